package report

import (
	"github.com/xuri/excelize/v2"
)

// Number formats of the workbook.
const (
	fmtInteger   = 1  // 0
	fmtDecimal2  = 4  // #,##0.00: the separators follow the reader's locale
	fmtThousands = 3  // #,##0: the thousands separator follows the reader's locale
	fmtPercent   = 10 // 0.00%
	fmtText      = 49 // @
)

// Custom number formats.
const (
	customDecimal1 = "0.0"
	// customYesNo shows 1 as "oui" and 0 as "non", so the cell keeps the
	// CSV value (1 or 0) and still reads in French.
	customYesNo = `"oui";"oui";"non"`
	// customSigned2 shows a signed difference with 2 decimals: +0.12, -0.30.
	customSigned2 = "+0.00;-0.00;0.00"
	// customPoints shows a difference of two rates, in percentage points
	// (the cell holds the difference × 100): +1.5 pt, -12.0 pt.
	customPoints = `+0.0" pt";-0.0" pt";0.0" pt"`
)

// styles holds the style IDs of the workbook.
type styles struct {
	title, subtitle, header, headerC, text  int
	wrap, code                              int
	note                                    int // italic grey: explanations under a table
	warn                                    int // bold dark red: a warning to the reader
	integer, thousands, dec1, dec2, percent int
	yesNo, signed2, points                  int
}

// newStyles registers the workbook's styles.
func newStyles(f *excelize.File) (styles, error) {
	var s styles
	dec1, yesNo, signed2, points := customDecimal1, customYesNo, customSigned2, customPoints
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.subtitle, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}},
		{&s.warn, excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}}},
		{&s.header, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
			Border:    []excelize.Border{{Type: "bottom", Color: "4472C4", Style: 1}},
		}},
		{&s.headerC, excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"},
			Border:    []excelize.Border{{Type: "bottom", Color: "4472C4", Style: 1}},
		}},
		{&s.text, excelize.Style{}},
		{&s.note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.code, excelize.Style{NumFmt: fmtText, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.integer, excelize.Style{NumFmt: fmtInteger}},
		{&s.thousands, excelize.Style{NumFmt: fmtThousands}},
		{&s.dec1, excelize.Style{CustomNumFmt: &dec1}},
		{&s.dec2, excelize.Style{NumFmt: fmtDecimal2}},
		{&s.percent, excelize.Style{NumFmt: fmtPercent}},
		{&s.yesNo, excelize.Style{CustomNumFmt: &yesNo, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.signed2, excelize.Style{CustomNumFmt: &signed2}},
		{&s.points, excelize.Style{CustomNumFmt: &points}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, err
		}
		*d.id = id
	}
	return s, nil
}

// cell returns a styled cell.
func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// headers returns a row of column headers: names as cells of style header.
func (st *styles) headers(names ...string) []any {
	cells := make([]any, len(names))
	for i, h := range names {
		cells[i] = cell(st.header, h)
	}
	return cells
}

// measure returns v rounded as in the CSV export, nil (an empty cell)
// when v is NaN or infinite.
func measure(v float64) any {
	if r, ok := roundMeasure(v); ok {
		return r
	}
	return nil
}

// yesNo returns 1 for true and 0 for false, for the customYesNo format.
func yesNo(b bool) int {
	if b {
		return 1
	}
	return 0
}
