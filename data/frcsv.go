package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Input limits: files beyond them are refused rather than exhausting memory.
const (
	MaxFileBytes = 2 << 30    // 2 GiB
	MaxRows      = 10_000_000 // data rows per file
)

// Record is one data row of a CSV file.
type Record struct {
	Line   int      // physical line where the record starts (1-based; the header is line 1)
	Fields []string // fields, trimmed of surrounding spaces
}

// Table is a decoded CSV file: its header, its rows, and what was detected.
type Table struct {
	File     string   // name used in errors
	Header   []string // column names, trimmed, BOM removed
	Comma    rune     // detected separator
	Encoding string   // "UTF-8", "UTF-8 (BOM)" or "Windows-1252"
	Records  []Record
}

// ReadTable reads a whole CSV file as French files really come: it detects
// the encoding (UTF-8 with or without BOM, else Windows-1252) and the
// separator (';', ',' or tab, from the header line), and accepts quoted
// fields with newlines. name is used in error messages.
func ReadTable(name string, r io.Reader) (*Table, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("read: %w", err)}
	}
	if len(raw) > MaxFileBytes {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: file larger than 2 GiB", ErrTooLarge)}
	}
	text, enc, err := decodeText(raw)
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	if strings.TrimSpace(text) == "" {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: the file is empty", ErrEmptyFile)}
	}
	comma, err := detectComma(text)
	if err != nil {
		return nil, &ParseError{File: name, Line: 1, Err: err}
	}
	t := &Table{File: name, Comma: comma, Encoding: enc}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	first := true
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if first {
			first = false
			if len(fields) > 0 {
				fields[0] = strings.TrimPrefix(fields[0], "\uFEFF")
			}
			t.Header = fields
			continue
		}
		if len(fields) == 1 && fields[0] == "" {
			continue // blank line
		}
		if len(t.Records) >= MaxRows {
			return nil, &ParseError{File: name, Line: line, Err: fmt.Errorf("%w: more than %d rows", ErrTooLarge, MaxRows)}
		}
		t.Records = append(t.Records, Record{Line: line, Fields: fields})
	}
	return t, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := pe.Err
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			reason = fmt.Errorf("%w (unterminated or stray quote)", pe.Err)
		}
		return &ParseError{File: name, Line: pe.StartLine, Err: reason}
	}
	return &ParseError{File: name, Err: err}
}

// decodeText returns the file as UTF-8 text and the detected encoding.
func decodeText(raw []byte) (string, string, error) {
	if bytes.HasPrefix(raw, []byte("PK\x03\x04")) {
		return "", "", fmt.Errorf("%w: this is a zip or Excel (.xlsx) file; save it as CSV first", ErrBinary)
	}
	head := raw
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return "", "", fmt.Errorf("%w: binary content (NUL bytes)", ErrBinary)
	}
	if b, ok := bytes.CutPrefix(raw, []byte("\xEF\xBB\xBF")); ok {
		if !utf8.Valid(b) {
			return "", "", fmt.Errorf("%w: BOM says UTF-8 but the content is not", ErrBinary)
		}
		return string(b), "UTF-8 (BOM)", nil
	}
	if utf8.Valid(raw) {
		return string(raw), "UTF-8", nil
	}
	b, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return "", "", fmt.Errorf("%w: neither UTF-8 nor Windows-1252", ErrBinary)
	}
	return string(b), "Windows-1252", nil
}

// detectComma picks the separator among ';', ',' and tab that occurs most
// often outside quotes in the header line.
func detectComma(text string) (rune, error) {
	counts := map[rune]int{}
	quoted := false
	for _, c := range text {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (c == '\n' || c == '\r') {
			break
		}
		if !quoted && (c == ';' || c == ',' || c == '\t') {
			counts[c]++
		}
	}
	best, n := rune(0), 0
	for _, c := range []rune{';', ',', '\t'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("%w: no separator (';', ',' or tab) in the header line", ErrMissingColumn)
	}
	return best, nil
}

// Index returns the position of the first header column whose name equals
// one of names (case-insensitive), or -1.
func (t *Table) Index(names ...string) int {
	for _, n := range names {
		for i, h := range t.Header {
			if strings.EqualFold(h, n) {
				return i
			}
		}
	}
	return -1
}

// Require returns the positions of the named columns, or a *ParseError
// naming the first missing one.
func (t *Table) Require(names ...string) ([]int, error) {
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = t.Index(n)
		if idx[i] < 0 {
			return nil, &ParseError{File: t.File, Line: 1, Column: n,
				Err: fmt.Errorf("%w %q (header: %s)", ErrMissingColumn, n, strings.Join(t.Header, string(t.Comma)))}
		}
	}
	return idx, nil
}

// Field returns field i of r, or "" when the row is short.
func (r Record) Field(i int) string {
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return r.Fields[i]
}
