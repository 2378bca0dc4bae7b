package data

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Input limits: files beyond them are refused rather than exhausting memory.
const (
	MaxFileBytes = 2 << 30    // 2 GiB
	MaxRows      = 10_000_000 // data rows per file
	MaxLineBytes = 1 << 20    // 1 MiB per physical line and per field
	MaxColumns   = 1_000      // columns of a CSV file
	MaxSites     = 1_000_000  // sites of one file
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
	Encoding string   // "UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)", "UTF-16BE (BOM)", "UTF-16LE (no BOM)", "UTF-16BE (no BOM)" or "Windows-1252"
	Records  []Record
}

// ReadTable reads a whole CSV file as French files really come: it detects
// the encoding (UTF-8 with or without BOM, UTF-16 with BOM as Excel's
// "Unicode text", else Windows-1252) and the separator (';', ',' or tab,
// from the header line, or from an Excel "sep=;" first line), and accepts
// quoted fields with newlines and old Mac '\r' line ends. name is used in
// error messages.
//
// It refuses with a *ParseError: zip/xlsx and binary files (ErrBinary), a
// file mixing UTF-8 and another encoding or holding a byte order mark
// after its start, as concatenated files do (ErrEncoding, with the line),
// an empty file (ErrEmptyFile), a header without separator
// (ErrMissingColumn), a line or field longer than MaxLineBytes, a file
// larger than MaxFileBytes (refused before reading when r is an *os.File)
// or with more than MaxRows rows or MaxColumns columns on a row (ErrTooLarge).
func ReadTable(name string, r io.Reader) (*Table, error) {
	ctx := ContextOf(r)
	raw, err := readAllLimited(name, r)
	if err != nil {
		return nil, err
	}
	text, enc, err := decodeText(raw)
	if err != nil {
		return nil, withFile(name, err)
	}
	if strings.TrimSpace(text) == "" {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w: the file is empty", ErrEmptyFile)}
	}
	text = frMacLineEnds(text)
	if err := checkText(text); err != nil {
		return nil, withFile(name, err)
	}
	text, comma, err := frSeparator(text)
	if err != nil {
		return nil, &ParseError{File: name, Line: 1, Err: err}
	}
	t := &Table{File: name, Comma: comma, Encoding: enc}
	if err := t.readRecords(ctx, text); err != nil {
		return nil, err
	}
	return t, nil
}

// readRecords parses text into t.Header and t.Records; it stops with
// ctx's error once ctx is done.
func (t *Table) readRecords(ctx context.Context, text string) error {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = t.Comma
	cr.FieldsPerRecord = -1
	first := true
	for {
		fields, err := cr.Read()
		if err == io.EOF && first {
			return &ParseError{File: t.File, Err: fmt.Errorf("%w: no header line", ErrEmptyFile)}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(t.File, err)
		}
		if len(t.Records)%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, _ := cr.FieldPos(0)
		if len(fields) > MaxColumns {
			return &ParseError{File: t.File, Line: line, Err: fmt.Errorf("%w: %d columns, more than %d", ErrTooLarge, len(fields), MaxColumns)}
		}
		for i := range fields {
			if len(fields[i]) > MaxLineBytes {
				return &ParseError{File: t.File, Line: line, Err: fmt.Errorf("%w: field %d longer than 1 MiB", ErrTooLarge, i+1)}
			}
			fields[i] = strings.TrimSpace(fields[i])
		}
		switch {
		case first:
			first = false
			t.Header = fields
		case len(fields) == 1 && fields[0] == "":
			// blank line
		case len(t.Records) >= maxRows:
			return &ParseError{File: t.File, Line: line, Err: fmt.Errorf("%w: more than %d rows", ErrTooLarge, maxRows)}
		default:
			t.Records = append(t.Records, Record{Line: line, Fields: fields})
		}
	}
}

// lineError is an error found at a line before the file name is known.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

func withFile(name string, err error) error {
	var le *lineError
	if errors.As(err, &le) {
		return &ParseError{File: name, Line: le.line, Err: le.err}
	}
	return &ParseError{File: name, Err: err}
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		reason := pe.Err
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			reason = fmt.Errorf("%w (unterminated or stray quote; the file may be truncated)", pe.Err)
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
	if bytes.HasPrefix(raw, []byte("\xD0\xCF\x11\xE0")) {
		return "", "", fmt.Errorf("%w: this is an old Excel (.xls) file; save it as CSV first", ErrBinary)
	}
	if bytes.HasPrefix(raw, []byte("\xFF\xFE")) || bytes.HasPrefix(raw, []byte("\xFE\xFF")) {
		return decodeUTF16(raw)
	}
	if enc := sniffUTF16(raw); enc != "" {
		return decodeUTF16NoBOM(raw, enc)
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return "", "", &lineError{1 + bytes.Count(raw[:i], []byte("\n")), fmt.Errorf("%w: binary content (NUL byte)", ErrBinary)}
	}
	if b, ok := bytes.CutPrefix(raw, []byte("\xEF\xBB\xBF")); ok {
		if !utf8.Valid(b) {
			return "", "", &lineError{frInvalidLine(raw), fmt.Errorf("%w: the BOM says UTF-8 but this line is not UTF-8", ErrEncoding)}
		}
		return string(b), "UTF-8 (BOM)", nil
	}
	if utf8.Valid(raw) {
		return string(raw), "UTF-8", nil
	}
	return decodeCP1252(raw)
}

// decodeCP1252 decodes a file that is not UTF-8 as Windows-1252, unless it
// also holds several UTF-8 sequences (a mix, as concatenated files give).
func decodeCP1252(raw []byte) (string, string, error) {
	if n, line := frUTF8Sequences(raw); n >= 3 {
		return "", "", &lineError{frInvalidLine(raw), fmt.Errorf(
			"%w: mixed encodings: this line is not UTF-8 but line %d is; save the file again as UTF-8", ErrEncoding, line)}
	}
	b, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return "", "", fmt.Errorf("%w: neither UTF-8 nor Windows-1252", ErrBinary)
	}
	if i := bytes.Index(b, []byte("\uFFFD")); i >= 0 {
		return "", "", &lineError{1 + bytes.Count(b[:i], []byte("\n")),
			fmt.Errorf("%w: a byte is undefined in Windows-1252: neither UTF-8 nor Windows-1252", ErrEncoding)}
	}
	return string(b), "Windows-1252", nil
}

func decodeUTF16(raw []byte) (string, string, error) {
	enc, name := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "UTF-16LE (BOM)"
	if raw[0] == 0xFE {
		enc, name = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "UTF-16BE (BOM)"
	}
	b, err := enc.NewDecoder().Bytes(raw)
	if err != nil || bytes.Contains(b, []byte("\uFFFD")) || bytes.IndexByte(b, 0) >= 0 {
		return "", "", fmt.Errorf("%w: the BOM says UTF-16 but the content is not", ErrEncoding)
	}
	return string(b), name, nil
}

// decodeUTF16NoBOM decodes UTF-16 text without a byte order mark, in the
// byte order sniffUTF16 found.
func decodeUTF16NoBOM(raw []byte, enc string) (string, string, error) {
	order := unicode.LittleEndian
	if enc == "UTF-16BE" {
		order = unicode.BigEndian
	}
	b, err := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Bytes(raw)
	if err != nil || bytes.Contains(b, []byte("\uFFFD")) || bytes.IndexByte(b, 0) >= 0 {
		return "", "", fmt.Errorf("%w: the file looks like %s without a byte order mark, but is not; save it as UTF-8", ErrEncoding, enc)
	}
	return string(b), enc + " (no BOM)", nil
}

// frUTF8Sequences counts valid multi-byte UTF-8 sequences in raw and gives
// the line of the first one.
func frUTF8Sequences(raw []byte) (n, line int) {
	ln := 1
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == '\n' {
			ln++
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r != utf8.RuneError || size > 1 {
			if n == 0 {
				line = ln
			}
			n++
		}
		i += size
	}
	return n, line
}

// frInvalidLine returns the line of the first byte that is not UTF-8.
func frInvalidLine(raw []byte) int {
	raw = bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size <= 1 {
			return 1 + bytes.Count(raw[:i], []byte("\n"))
		}
		i += size
	}
	return 0
}

// frMacLineEnds turns old Mac line ends ('\r' alone) into '\n' when no
// line outside quotes ends with '\n'; line breaks inside quoted fields
// (often '\n', as Excel writes them in a cell) are kept as they are.
func frMacLineEnds(text string) string {
	quoted, lf, cr := false, 0, 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			lf++
		case c == '\r' && (i+1 == len(text) || text[i+1] != '\n'):
			cr++
		}
	}
	if lf > 0 || cr == 0 {
		return text
	}
	b := []byte(text)
	quoted = false
	for i, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\r' && !quoted:
			b[i] = '\n'
		}
	}
	return string(b)
}

// checkText refuses a byte order mark after the start (two files pasted
// together) and physical lines longer than MaxLineBytes.
func checkText(text string) error {
	if i := strings.IndexRune(text[frBOMLen(text):], '\uFEFF'); i >= 0 {
		line := 1 + strings.Count(text[:frBOMLen(text)+i], "\n")
		return &lineError{line, fmt.Errorf("%w: byte order mark (U+FEFF) in the middle of the file; were two files concatenated?", ErrEncoding)}
	}
	line := 1
	for rest := text; rest != ""; line++ {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest)
		}
		if i > MaxLineBytes {
			return &lineError{line, fmt.Errorf("%w: line longer than 1 MiB (%d bytes)", ErrTooLarge, i)}
		}
		rest = rest[min(i+1, len(rest)):]
	}
	return nil
}

func frBOMLen(text string) int {
	if strings.HasPrefix(text, "\uFEFF") {
		return len("\uFEFF")
	}
	return 0
}

// frSeparator strips a leading BOM, honours an Excel "sep=X" first line
// (removed, leaving an empty line so that line numbers stay physical) and otherwise detects the
// separator from the header line.
func frSeparator(text string) (string, rune, error) {
	text = text[frBOMLen(text):]
	first, _, _ := strings.Cut(text, "\n")
	first = strings.TrimRight(first, "\r")
	if len(first) == 5 && strings.EqualFold(first[:4], "sep=") && strings.ContainsRune(";,\t|", rune(first[4])) {
		return text[len(first):], rune(first[4]), nil
	}
	comma, err := detectComma(text)
	return text, comma, err
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

// CheckWidth returns a *ParseError wrapping ErrBadValue when r does not
// have as many fields as the header (extra empty trailing fields are
// allowed), with a hint when the row seems split by another separator or
// by an unquoted decimal comma. It returns nil for a well-formed row.
func (t *Table) CheckWidth(r Record) error {
	n, want := len(r.Fields), len(t.Header)
	for n > want && r.Fields[n-1] == "" {
		n--
	}
	if n == want {
		return nil
	}
	hint := ""
	switch joined := strings.Join(r.Fields, ""); {
	case n < want && t.Comma != ';' && strings.Contains(joined, ";"):
		hint = "; this row seems separated by ';'"
	case n < want && t.Comma != ',' && strings.Contains(joined, ","):
		hint = "; this row seems separated by ',' not " + frCommaName(t.Comma)
	case n < want && t.Comma != '\t' && strings.Contains(joined, "\t"):
		hint = "; this row seems separated by tabs"
	case n > want && t.Comma == ',':
		hint = "; a decimal comma or a comma inside an unquoted value?"
	case n > want:
		hint = "; a separator inside an unquoted value?"
	}
	return &ParseError{File: t.File, Line: r.Line,
		Err: fmt.Errorf("%w: %d fields but the header has %d%s", ErrBadValue, len(r.Fields), want, hint)}
}

func frCommaName(c rune) string {
	if c == '\t' {
		return "tab"
	}
	return fmt.Sprintf("'%c'", c)
}

// Field returns field i of r, or "" when the row is short.
func (r Record) Field(i int) string {
	if i < 0 || i >= len(r.Fields) {
		return ""
	}
	return r.Fields[i]
}
