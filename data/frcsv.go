package data

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
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
// OpenTable reads the same files row by row.
func ReadTable(name string, r io.Reader) (*Table, error) {
	tr, err := OpenTable(name, r)
	if err != nil {
		return nil, err
	}
	t := &tr.Table
	for {
		rec, err := tr.Next()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, err
		}
		t.Records = append(t.Records, rec)
	}
}

// TableReader reads the data rows of a CSV file one at a time, so that
// memory stays proportional to a row: its Table has the header and what
// was detected, and no Records.
type TableReader struct {
	Table
	ctx  context.Context
	cr   *csv.Reader
	rows int
	// records is at most the number of records, header included (from
	// the first pass: the line ends outside quotes, plus one).
	records int
	// fields is the arena each record's fields are carved from (the
	// reader reuses its own slice): one allocation per chunk of fields,
	// not per record.
	fields []string
}

// OpenTable reads the header of a CSV file with the conventions and
// refusals of ReadTable; Next then gives the rows. r is read twice from
// its current position when it can seek and read at an offset (a regular
// file): once to check the encoding, the line ends and the lines' length,
// once to parse. Another reader (a pipe) is first read whole within
// MaxFileBytes. A context set by WithContext stops the reading.
func OpenTable(name string, r io.Reader) (*TableReader, error) {
	ctx := ContextOf(r)
	src, err := tableInput(name, r)
	if err != nil {
		return nil, err
	}
	s, err := scanTable(ctx, name, src)
	if err != nil {
		return nil, err
	}
	text, err := s.text(src)
	if err != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("lecture : %w", err)}
	}
	if _, err := io.CopyN(io.Discard, text, s.skip); err != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("lecture : %w", err)}
	}
	cr := csv.NewReader(&ctxReader{ctx: ctx, r: text})
	cr.Comma = s.comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true // read copies the fields into its arena
	tr := &TableReader{Table: Table{File: name, Comma: s.comma, Encoding: s.encoding}, ctx: ctx, cr: cr, records: s.lineEnds + 1}
	header, _, err := tr.read()
	if err == io.EOF {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w : pas de ligne d'en-tête", ErrEmptyFile)}
	}
	if err != nil {
		return nil, err
	}
	tr.Header = header
	return tr, nil
}

// RowsAtMost returns an upper bound of the data rows Next will give (the
// records outside quotes counted by the first pass, less the header), so
// that a loader can size its slices once instead of growing them.
func (tr *TableReader) RowsAtMost() int { return max(0, tr.records-1) }

// Next returns the next data row (blank lines are skipped), io.EOF after
// the last one, or a *ParseError (a row beyond MaxRows, a malformed
// quote, too many columns, a field too long), or the context's error.
func (tr *TableReader) Next() (Record, error) {
	for {
		if tr.rows%checkEvery == 0 && tr.ctx.Err() != nil {
			return Record{}, tr.ctx.Err()
		}
		fields, line, err := tr.read()
		if err != nil {
			return Record{}, err
		}
		if len(fields) == 1 && fields[0] == "" {
			continue
		}
		if tr.rows >= maxRows {
			return Record{}, &ParseError{File: tr.File, Line: line, Err: fmt.Errorf("%w : plus de %d lignes", ErrTooLarge, maxRows)}
		}
		tr.rows++
		return Record{Line: line, Fields: fields}, nil
	}
}

// read returns the next record's trimmed fields and its line.
func (tr *TableReader) read() ([]string, int, error) {
	fields, err := tr.cr.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	if isContextErr(err) {
		return nil, 0, tr.ctx.Err()
	}
	if err != nil {
		return nil, 0, csvError(tr.File, err)
	}
	line, _ := tr.cr.FieldPos(0)
	if len(fields) > MaxColumns {
		return nil, 0, &ParseError{File: tr.File, Line: line, Err: fmt.Errorf("%w : %d colonnes, plus de %d", ErrTooLarge, len(fields), MaxColumns)}
	}
	fields = append(carve(&tr.fields, len(fields))[:0], fields...)
	for i := range fields {
		if len(fields[i]) > MaxLineBytes {
			return nil, 0, &ParseError{File: tr.File, Line: line, Err: fmt.Errorf("%w : champ %d de plus de 1 Mio", ErrTooLarge, i+1)}
		}
		fields[i] = strings.TrimSpace(fields[i])
	}
	return fields, line, nil
}

// lineError is an error found at a line before the file name is known.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("ligne %d : %v", e.line, e.err) }
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
			reason = &textError{csvQuoteText(pe.Err) + " (guillemet non fermé ou isolé ; le fichier est peut-être tronqué)", pe.Err}
		}
		return &ParseError{File: name, Line: pe.StartLine, Err: reason}
	}
	return &ParseError{File: name, Err: err}
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
		return 0, fmt.Errorf("%w : aucun séparateur (';', ',' ou tabulation) dans la ligne d'en-tête", ErrMissingColumn)
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
				Err: fmt.Errorf("%w %q (en-tête : %s)", ErrMissingColumn, n, strings.Join(t.Header, string(t.Comma)))}
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
		hint = " ; cette ligne semble séparée par ';'"
	case n < want && t.Comma != ',' && strings.Contains(joined, ","):
		hint = " ; cette ligne semble séparée par ',' et non par " + frCommaName(t.Comma)
	case n < want && t.Comma != '\t' && strings.Contains(joined, "\t"):
		hint = " ; cette ligne semble séparée par des tabulations"
	case n > want && t.Comma == ',':
		hint = " ; une virgule décimale ou une virgule dans une valeur sans guillemets ?"
	case n > want:
		hint = " ; un séparateur dans une valeur sans guillemets ?"
	}
	return &ParseError{File: t.File, Line: r.Line,
		Err: fmt.Errorf("%w : %d champ%s alors que l'en-tête en a %d%s", ErrBadValue, len(r.Fields), frPlural(len(r.Fields)), want, hint)}
}

func frCommaName(c rune) string {
	if c == '\t' {
		return "tabulation"
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

// csvQuoteText names in French the quote error of encoding/csv.
func csvQuoteText(err error) string {
	if errors.Is(err, csv.ErrBareQuote) {
		return `guillemet " dans un champ sans guillemets`
	}
	return `guillemet " manquant ou en trop dans un champ entre guillemets`
}

// frPlural is the "s" of a French plural: "" for n = 0 or 1.
func frPlural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
