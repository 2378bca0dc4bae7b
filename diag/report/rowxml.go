package report

import (
	"encoding/xml"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// rowXML appends the XML of worksheet rows exactly as excelize's
// StreamWriter.SetRow writes them (same bytes: TestRowXMLAsExcelize),
// without its per-cell reference parsing, style lookups and
// allocations: the national Communes sheet is 1.3 M cells, and SetRow
// was 40 % of the workbook's CPU. A value is written as SetRow writes it
// at column 1 of a streamed sheet with no column styles: nil is no
// cell; an excelize.Cell takes its StyleID and writes its Value (nil: an
// empty styled cell); integers and finite floats are numbers (floats
// with at most 15 significant digits), NaN and infinities the text
// fmt.Sprint gives, booleans t="b", strings and anything else inline
// strings (fmt.Sprint). Formulas, rich text, times and durations are
// not supported (the workbook writes none): row returns an error.
type rowXML struct {
	buf  []byte
	cols []string // column letters, by 0-based index
}

// row appends row r (1-based) holding values from column A; height > 0
// sets a custom row height (excelize.RowOpts.Height).
func (x *rowXML) row(r int, values []any, height float64) error {
	if height > excelize.MaxRowHeight {
		return excelize.ErrMaxRowHeight
	}
	rs := strconv.Itoa(r)
	x.buf = append(x.buf, `<row r="`...)
	x.buf = append(x.buf, rs...)
	x.buf = append(x.buf, '"')
	if height > 0 {
		x.buf = append(x.buf, ` ht="`...)
		x.buf = strconv.AppendFloat(x.buf, height, 'f', -1, 64)
		x.buf = append(x.buf, `" customHeight="1"`...)
	}
	x.buf = append(x.buf, '>')
	for i, v := range values {
		if v == nil {
			continue
		}
		if err := x.cell(i, rs, v); err != nil {
			x.buf = append(x.buf, `</row>`...)
			return err
		}
	}
	x.buf = append(x.buf, `</row>`...)
	return nil
}

// col returns the letters of the 0-based column i.
func (x *rowXML) col(i int) string {
	for len(x.cols) <= i {
		name, _ := excelize.ColumnNumberToName(len(x.cols) + 1) // a valid column: no error
		x.cols = append(x.cols, name)
	}
	return x.cols[i]
}

// cell appends the cell of column i (0-based) of row rs.
func (x *rowXML) cell(i int, rs string, v any) error {
	style := 0
	switch c := v.(type) {
	case excelize.Cell:
		if c.Formula != "" {
			return fmt.Errorf("rowXML: formula cells are not supported")
		}
		style, v = c.StyleID, c.Value
	case *excelize.Cell:
		return fmt.Errorf("rowXML: *excelize.Cell is not supported")
	}
	x.begin(i, rs, style)
	switch v := v.(type) {
	case nil:
		x.buf = append(x.buf, `></c>`...)
	case int:
		x.number(strconv.AppendInt(x.open(""), int64(v), 10))
	case int8, int16, int32, int64:
		x.number(strconv.AppendInt(x.open(""), reflect.ValueOf(v).Int(), 10))
	case uint, uint8, uint16, uint32, uint64:
		x.number(strconv.AppendUint(x.open(""), reflect.ValueOf(v).Uint(), 10))
	case float64:
		x.float(v, 64)
	case float32:
		x.float(float64(v), 32)
	case bool:
		x.buf = x.open("b")
		if v {
			x.buf = append(x.buf, '1')
		} else {
			x.buf = append(x.buf, '0')
		}
		x.buf = append(x.buf, `</v></c>`...)
	case string:
		x.text(v)
	case []byte:
		x.text(string(v))
	case excelize.Cell, *excelize.Cell, []excelize.RichTextRun:
		return fmt.Errorf("rowXML: value of type %T is not supported", v)
	default:
		if isTimeLike(v) {
			return fmt.Errorf("rowXML: value of type %T is not supported", v)
		}
		x.text(fmt.Sprint(v))
	}
	return nil
}

// begin starts the cell of column i (0-based) of row rs, with style (0:
// none); a value method ends it.
func (x *rowXML) begin(i int, rs string, style int) {
	x.buf = append(x.buf, `<c r="`...)
	x.buf = append(x.buf, x.col(i)...)
	x.buf = append(x.buf, rs...)
	x.buf = append(x.buf, '"')
	if style != 0 {
		x.buf = append(x.buf, ` s="`...)
		x.buf = strconv.AppendInt(x.buf, int64(style), 10)
		x.buf = append(x.buf, '"')
	}
}

// intValue ends a cell with the integer n.
func (x *rowXML) intValue(n int) { x.number(strconv.AppendInt(x.open(""), int64(n), 10)) }

// measureValue ends a cell with the value measure(v) writes: v rounded
// to the CSV's 6 decimals (formatMeasure), none when v is not finite.
// When the rounded value has at most 15 significant digits, its shortest
// form (the number a cell holds, excelFloat) is the rounded text without
// its trailing zeros: a decimal of at most 15 significant digits is the
// shortest that reads back as the nearest float64 (DBL_DIG = 15), so no
// ParseFloat and FormatFloat round trip is needed (TestMeasureValue).
func (x *rowXML) measureValue(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		x.buf = append(x.buf, `></c>`...)
		return
	}
	var a [40]byte
	d := strconv.AppendFloat(a[:0], v, 'f', csvDecimals, 64)
	significant := 0
	for _, c := range d {
		if c >= '0' && c <= '9' && (significant > 0 || c != '0') {
			significant++
		}
	}
	if significant > 15 {
		r, _ := roundMeasure(v) // finite: ok
		x.float(r, 64)
		return
	}
	d = trimDecimals(d)
	if significant == 0 { // 0, or -0.000000
		d = append(d[:0], '0')
	}
	x.number(append(x.open(""), d...))
}

// trimDecimals drops the trailing zeros of the decimals of d, and its
// point when none is left.
func trimDecimals(d []byte) []byte {
	for len(d) > 0 && d[len(d)-1] == '0' {
		d = d[:len(d)-1]
	}
	if len(d) > 0 && d[len(d)-1] == '.' {
		d = d[:len(d)-1]
	}
	return d
}

// isTimeLike reports the time values excelize converts to serial dates.
func isTimeLike(v any) bool {
	switch v.(type) {
	case interface{ UnixNano() int64 }, interface{ Hours() float64 }:
		return true
	}
	return false
}

// open ends the cell's attributes with type t ("" for a number) and
// opens its value.
func (x *rowXML) open(t string) []byte {
	if t != "" {
		x.buf = append(x.buf, ` t="`...)
		x.buf = append(x.buf, t...)
		x.buf = append(x.buf, '"')
	}
	return append(x.buf, `><v>`...)
}

// number closes a numeric value appended to buf.
func (x *rowXML) number(buf []byte) { x.buf = append(buf, `</v></c>`...) }

// float appends a float cell: at most 15 significant digits (Excel's
// precision, as excelize writes them), or the text of NaN and
// infinities.
func (x *rowXML) float(v float64, bits int) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		x.text(fmt.Sprint(v))
		return
	}
	x.number(append(x.open(""), excelFloat(v, bits)...))
}

// excelFloat formats v in plain decimal notation ('f', shortest) with
// the digits past the 15th significant one dropped (fraction digits) or
// set to 0 (integer digits); ±math.MaxFloat64 keeps every digit.
func excelFloat(v float64, bits int) string {
	s := strconv.FormatFloat(v, 'f', -1, bits)
	if math.Abs(v) == math.MaxFloat64 {
		return s
	}
	dot := strings.IndexByte(s, '.')
	seen := 0
	for i := 0; i < len(s); i++ {
		d := s[i]
		if d < '0' || d > '9' || (seen == 0 && d == '0') {
			continue
		}
		if seen++; seen <= 15 {
			continue
		}
		if dot >= 0 && i > dot { // a 16th digit after the point: cut there
			return strings.TrimSuffix(s[:i], ".")
		}
		end := len(s) // before the point: zeros up to it, fraction dropped
		if dot >= 0 {
			end = dot
		}
		b := []byte(s[:end])
		for j := i; j < end; j++ {
			b[j] = '0'
		}
		return string(b)
	}
	return s
}

// text appends an inline string cell: cut to Excel's 32,767 UTF-16
// units, xml:space="preserve" when it starts or ends with a space, tab
// or line break, XML-escaped (line breaks kept as they are), and each
// literal _xHHHH_ escaped as _x005F_xHHHH_ (ECMA-376's escape of the
// escape character).
func (x *rowXML) text(s string) {
	x.buf = append(x.buf, ` t="inlineStr"><is><t`...)
	s = cutUTF16(s, excelize.TotalCellChars)
	if s != "" && (isSpaceByte(s[0]) || isSpaceByte(s[len(s)-1])) {
		x.buf = append(x.buf, ` xml:space="preserve"`...)
	}
	x.buf = append(x.buf, '>')
	if plainXML(s) {
		x.buf = append(x.buf, s...)
	} else {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
		e := strings.ReplaceAll(b.String(), "&#xA;", "\n")
		if strings.Contains(e, "_x") {
			e = escapeBstr(e)
		}
		x.buf = append(x.buf, e...)
	}
	x.buf = append(x.buf, `</t></is></c>`...)
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// plainXML reports whether s is written as it is: valid UTF-8 with no
// control character, nothing xml.EscapeText escapes, no U+FFFE or
// U+FFFF (any 0xEF lead byte is sent to the slow path) and no "_x".
func plainXML(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b < 0x20, b == '"', b == '&', b == '\'', b == '<', b == '>', b == 0xEF:
			return false
		case b == '_' && i+1 < len(s) && s[i+1] == 'x':
			return false
		case b >= 0x80:
			ascii = false
		}
	}
	return ascii || utf8.ValidString(s)
}

// cutUTF16 cuts s to at most n UTF-16 code units, as excelize does
// (data.MaxCellChars cuts by characters first; only characters beyond
// the Basic Multilingual Plane, two units each, reach this).
func cutUTF16(s string, n int) string {
	if len(s) <= n {
		return s
	}
	units := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}

var (
	bstrLiteral = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrTail    = regexp.MustCompile(`^x[a-fA-F\d]{4}_`)
)

// escapeBstr escapes the literal escape sequences of an (XML-escaped)
// text as excelize does: each _xHHHH_ naming a valid code point becomes
// _x005F_xHHHH_, one naming a surrogate is dropped; _x005F_ itself
// becomes _x005F_x005F_, or _x005F_x005F_x005F_ when another xHHHH_
// follows it.
func escapeBstr(s string) string {
	var b strings.Builder
	cursor := 0
	for _, m := range bstrLiteral.FindAllStringIndex(s, -1) {
		b.WriteString(s[cursor:m[0]])
		sub := s[m[0]:m[1]]
		if sub == "_x005F_" {
			cursor = m[1]
			if m[1]+6 <= len(s) && bstrTail.MatchString(s[m[1]:m[1]+6]) && validHexRune(s[m[1]+1:m[1]+5]) {
				b.WriteString(sub + "x005F" + sub)
				continue
			}
			b.WriteString(sub + "x005F_")
			continue
		}
		cursor = m[1]
		if validHexRune(sub[2:6]) {
			b.WriteString("_x005F" + sub)
		}
	}
	b.WriteString(s[cursor:])
	return b.String()
}

// validHexRune reports whether the 4 hex digits h name a valid rune
// (not a surrogate).
func validHexRune(h string) bool {
	n, err := strconv.ParseUint(h, 16, 32)
	return err == nil && utf8.ValidRune(rune(n))
}
