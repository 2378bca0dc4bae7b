package report

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
)

// column is a column of a table sheet.
type column struct {
	header string
	width  float64
}

// sheet is a worksheet written through excelize's stream writer (its
// columns, panes, page breaks and whatever follows the rows), its rows
// written by rowXML and compressed as they come, so that large sheets
// stay in bounded memory: the workbook's zip writer splices them into
// the sheet's part (partZip.segment).
type sheet struct {
	b      *book
	name   string
	sw     *excelize.StreamWriter
	row    int       // last row written, 1-based
	widths []float64 // column widths, 0 for the default
	x      rowXML
	rows   *zipPart
}

// rowsFlushSize is the size of row XML handed to the zip writer at once.
const rowsFlushSize = 64 << 10

// stream opens the named sheet for writing, with the given column widths
// (0 keeps the default width).
func (b *book) stream(name string, widths ...float64) (*sheet, error) {
	if err := b.pageSetup(name); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	part, err := b.sheetPart(name)
	if err != nil {
		return nil, err
	}
	for i, w := range widths {
		if w > 0 {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return nil, err
			}
		}
	}
	return &sheet{b: b, name: name, sw: sw, widths: widths, rows: b.zip.segment(part)}, nil
}

// sheetPart returns the name of the part of the named sheet:
// excelize names a sheet's part after its sheet ID.
func (b *book) sheetPart(name string) (string, error) {
	for id, n := range b.f.GetSheetMap() {
		if n == name {
			return "xl/worksheets/sheet" + itoa(id) + ".xml", nil
		}
	}
	return "", excelize.ErrSheetNotExist{SheetName: name}
}

// setRow writes row s.row; height > 0 sets its height.
func (s *sheet) setRow(values []any, height float64) error {
	if err := s.x.row(s.row, values, height); err != nil {
		return err
	}
	s.flushRows()
	return nil
}

// flushRows hands the rows written so far to the zip writer once they
// are rowsFlushSize long.
func (s *sheet) flushRows() {
	if len(s.x.buf) >= rowsFlushSize {
		s.rows.write(s.x.buf)
		s.x.buf = s.x.buf[:0]
	}
}

// pageSetup makes the named sheet print on A4 landscape pages, fitted to
// the width of one page. Call it before opening a stream on the sheet:
// the stream writes the sheet properties first.
func (b *book) pageSetup(name string) error {
	fit := true
	if err := b.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	orient, a4, wide, tall := "landscape", 9, 1, 0
	return b.f.SetPageLayout(name, &excelize.PageLayoutOptions{
		Orientation: &orient, Size: &a4, FitToWidth: &wide, FitToHeight: &tall,
	})
}

// cutCell returns v with a text longer than data.MaxCellChars characters
// cut to fit, ending with data.CutMark (Excel's limit; the loaders report
// such names in Contrôles).
func cutCell(v any) any {
	switch x := v.(type) {
	case string:
		if t := cutText(x); len(t) != len(x) {
			return t
		}
	case excelize.Cell:
		if t, ok := x.Value.(string); ok && len(cutText(t)) != len(t) {
			x.Value = cutText(t)
			return x
		}
	}
	return v // unchanged, not boxed again
}

// cutText returns t cut to data.MaxCellChars characters, ending with
// data.CutMark, when it is longer.
func cutText(t string) string {
	if len(t) <= data.MaxCellChars || utf8.RuneCountInString(t) <= data.MaxCellChars {
		return t
	}
	r := []rune(t)
	return string(r[:data.MaxCellChars-utf8.RuneCountInString(data.CutMark)]) + data.CutMark
}

// add writes the next row; a plain value gets no style, an excelize.Cell
// its StyleID. A row with wrapped text (the wrap style) is made high
// enough for it: spreadsheets do not resize streamed rows themselves.
func (s *sheet) add(values ...any) error {
	s.row++
	lines := 1
	for i, v := range values {
		values[i] = cutCell(v)
		if c, ok := v.(excelize.Cell); ok && c.StyleID == s.b.st.wrap {
			if text, ok := c.Value.(string); ok {
				lines = max(lines, textLines(text, s.width(i), 1))
			}
		}
	}
	if lines > 1 {
		return s.setRow(values, float64(15*lines))
	}
	return s.setRow(values, 0)
}

// addCells writes the next row, its cells written by cells (column i
// at cell i) with no row height: a row of plain cells (no wrapped text)
// not boxed into values.
func (s *sheet) addCells(cells func(x *rowXML, rs string)) {
	s.row++
	rs := strconv.Itoa(s.row)
	s.x.buf = append(s.x.buf, `<row r="`...)
	s.x.buf = append(s.x.buf, rs...)
	s.x.buf = append(s.x.buf, `">`...)
	cells(&s.x, rs)
	s.x.buf = append(s.x.buf, `</row>`...)
	s.flushRows()
}

// width returns the width of column i (0-based).
func (s *sheet) width(i int) float64 {
	if i < len(s.widths) && s.widths[i] > 0 {
		return s.widths[i]
	}
	return 9 // excelize's default column width
}

// skip leaves n empty rows.
func (s *sheet) skip(n int) { s.row += n }

// pageBreak makes the next row start a printed page.
func (s *sheet) pageBreak() error {
	ref, err := excelize.CoordinatesToCellName(1, s.row+1)
	if err != nil {
		return err
	}
	return s.sw.InsertPageBreak(ref)
}

// header writes a row of header cells, high enough for the longest
// header to wrap within its column.
func (s *sheet) header(cols []column) error {
	v := make([]any, len(cols))
	lines := 1
	for i, c := range cols {
		v[i] = cell(s.b.st.header, c.header)
		w := c.width
		if w <= 0 {
			w = 9
		}
		lines = max(lines, textLines(c.header, w, 1.2))
	}
	s.row++
	return s.setRow(v, float64(13*lines+4))
}

// textLines estimates the number of lines of text wrapped in a column of
// the given width, a character being charWidth width units (about 1 for
// plain text, 1.2 for bold); words do not break.
func textLines(text string, width, charWidth float64) int {
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		lines++
		used := 0.0
		for _, w := range strings.Fields(para) {
			n := charWidth * float64(utf8.RuneCountInString(w))
			switch {
			case used == 0:
				used = n
			case used+charWidth+n <= width:
				used += charWidth + n
			default:
				lines++
				used = n
			}
		}
	}
	return max(lines, 1)
}

// freezeHeader freezes the first row; call it before any add.
func (s *sheet) freezeHeader() error {
	return s.sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
}

// autoFilter puts an autofilter on the header row 1 and the rows below it
// up to the last row written, over ncols columns.
func (s *sheet) autoFilter(ncols int) error {
	ref, err := rangeRef(1, 1, ncols, max(s.row, 2))
	if err != nil {
		return err
	}
	return s.b.f.AutoFilter(s.name, ref, nil)
}

// flush ends the sheet.
func (s *sheet) flush() error {
	s.rows.write(s.x.buf)
	s.x.buf = nil
	s.rows.end()
	return s.sw.Flush()
}

// table writes a whole table sheet: widths, frozen header row, n rows
// from row(i), autofilter; extra, when not nil, runs before the flush
// (conditional formats).
func (b *book) table(name string, cols []column, n int, row func(i int) []any, extra func(s *sheet) error) error {
	return b.tableRows(name, cols, n, func(s *sheet, i int) error { return s.add(row(i)...) }, extra)
}

// tableRows is table with each row written by add(s, i), row i of n.
func (b *book) tableRows(name string, cols []column, n int, add func(s *sheet, i int) error, extra func(s *sheet) error) error {
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width
	}
	s, err := b.stream(name, widths...)
	if err != nil {
		return err
	}
	if err := s.freezeHeader(); err != nil {
		return err
	}
	if err := s.header(cols); err != nil {
		return err
	}
	for i := range n {
		if err := add(s, i); err != nil {
			return err
		}
	}
	if err := s.autoFilter(len(cols)); err != nil {
		return err
	}
	if err := b.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: "'" + name + "'!$1:$1", Scope: name,
	}); err != nil {
		return err
	}
	if extra != nil {
		if err := extra(s); err != nil {
			return err
		}
	}
	return s.flush()
}

// rangeRef returns the A1 reference "A1:N6" of a rectangle of cells.
func rangeRef(col1, row1, col2, row2 int) (string, error) {
	a, err := excelize.CoordinatesToCellName(col1, row1)
	if err != nil {
		return "", err
	}
	b, err := excelize.CoordinatesToCellName(col2, row2)
	if err != nil {
		return "", err
	}
	return a + ":" + b, nil
}
