package report

import (
	"hash/crc32"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/diag"
)

// excelizeRows returns the <sheetData> content excelize's
// StreamWriter.SetRow writes for rows (heights[i] > 0: a custom height).
func excelizeRows(t *testing.T, rows [][]any, heights []float64) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(ref, r, excelize.RowOpts{Height: heights[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	s := zipEntry(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	i, j := strings.Index(s, "<sheetData>"), strings.Index(s, "</sheetData>")
	return s[i+len("<sheetData>") : j]
}

// TestRowXMLAsExcelize: rowXML writes the same bytes as excelize's
// SetRow for every kind of value the workbook writes and the edge cases
// of its text encoding (escapes, spaces kept, literal _xHHHH_, invalid
// UTF-8, control characters, numbers past 15 digits, NaN), plus random
// rows.
func TestRowXMLAsExcelize(t *testing.T) {
	texts := []string{
		"", "Guéret", "Saint-Denis <2> & \"co\" 'l'", " lead", "trail ", "\ttab", "a\nb", "a\r\nb",
		"_x0041_", "a_x005F_x0041_b", "_x005F_", "x_xD800_y_x0042_z", "_xzzzz_", "bad \xff utf8",
		"ctl \x01\x1f", "\uFFFE\uFFFF ok \uFFFD", "💻 emoji", strings.Repeat("é", 40),
	}
	nums := []any{0, -7, 123456789, int64(math.MaxInt64), int8(-3), uint16(9), uint64(math.MaxUint64),
		0.5, -0.000001, 1e21, 123456789.123456789, 1.0 / 3, math.MaxFloat64, -math.MaxFloat64,
		math.NaN(), math.Inf(1), math.Inf(-1), float32(0.1), 12345678901234567890.0, 0.1234567890123456789,
		true, false}
	var rows [][]any
	var heights []float64
	for _, s := range texts {
		rows = append(rows, []any{s, cell(3, s), nil, cell(0, s)})
		heights = append(heights, 0)
	}
	for _, n := range nums {
		rows = append(rows, []any{n, cell(5, n), cell(7, nil), nil, []byte("bytes")})
		heights = append(heights, 30)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		r := make([]any, 1+rng.IntN(30))
		for i := range r {
			switch rng.IntN(6) {
			case 0:
				r[i] = texts[rng.IntN(len(texts))]
			case 1:
				r[i] = nums[rng.IntN(len(nums))]
			case 2:
				r[i] = cell(1+rng.IntN(20), rng.NormFloat64()*math.Pow(10, float64(rng.IntN(30)-10)))
			case 3:
				r[i] = cell(rng.IntN(3), rng.IntN(1000000))
			case 4:
				r[i] = nil
			default:
				r[i] = struct{ A int }{rng.IntN(9)}
			}
		}
		rows = append(rows, r)
		heights = append(heights, float64(rng.IntN(3)*15))
	}
	var x rowXML
	for i, r := range rows {
		if err := x.row(i+1, r, heights[i]); err != nil {
			t.Fatal(err)
		}
	}
	want := excelizeRows(t, rows, heights)
	if got := string(x.buf); got != want {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				lo := max(i-120, 0)
				t.Fatalf("differs at byte %d:\n got  …%s\n want …%s", i, got[lo:min(i+80, len(got))], want[lo:min(i+80, len(want))])
			}
		}
		t.Fatalf("lengths %d and %d", len(got), len(want))
	}
}

// TestRowXMLRefuses: values excelize converts in ways rowXML does not
// (formulas, times), and a row too high, are errors.
func TestRowXMLRefuses(t *testing.T) {
	for _, v := range []any{excelize.Cell{Formula: "SUM(A1)"}, &excelize.Cell{}, []excelize.RichTextRun{{Text: "a"}}} {
		var x rowXML
		if err := x.row(1, []any{v}, 0); err == nil {
			t.Errorf("%T: no error", v)
		}
	}
	var x rowXML
	if err := x.row(1, []any{1}, excelize.MaxRowHeight+1); err != excelize.ErrMaxRowHeight {
		t.Errorf("height: %v", err)
	}
}

// TestCRC32Combine: the combined CRC of two pieces is the CRC of their
// concatenation, for lengths from 0 to past a chunk.
func TestCRC32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {17, 300}, {1000, 1 << 20}, {3, 123457}} {
		a, b := make([]byte, n[0]), make([]byte, n[1])
		for i := range a {
			a[i] = byte(rng.Uint32())
		}
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		want := crc32.ChecksumIEEE(append(append([]byte{}, a...), b...))
		if got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), uint64(len(b))); got != want {
			t.Errorf("lengths %v: %08x, want %08x", n, got, want)
		}
	}
}

// TestMeasureValue: measureValue writes what cell(style, measure(v))
// writes through the generic path (roundMeasure, then excelFloat), for
// hand-picked values (ties, -0, 15 and 16 significant digits, huge,
// tiny, NaN) and a million random ones of every magnitude.
func TestMeasureValue(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), -0.0000004, 0.0000005, 0.0000015, 2.5e-7, 1, -1, 0.1, 1.0 / 3,
		123456789.123456, 999999999.9999995, 1234567890.123456, 1e15, 1e20, -1e300, math.MaxFloat64,
		math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1), math.Inf(-1), 96.336249, 4.8120925}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1_000_000 {
		vals = append(vals, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(24)-8)))
	}
	for _, v := range vals {
		var fast, slow rowXML
		fast.begin(0, "1", 4)
		fast.measureValue(v)
		if err := slow.cell(0, "1", cell(4, measure(v))); err != nil {
			t.Fatal(err)
		}
		if string(fast.buf) != string(slow.buf) {
			t.Fatalf("%v (%b): %s, want %s", v, v, fast.buf, slow.buf)
		}
	}
}

// TestAppendCellAsSheetCell: the Communes sheet's unboxed cells are the
// bytes of its boxed cells, for every column of the small fixture and
// of France's (with names to escape and empty measures).
func TestAppendCellAsSheetCell(t *testing.T) {
	for _, in := range []Input{smallInput(), franceInput()} {
		b := &book{in: &in}
		b.st = styles{code: 1, text: 2, integer: 3, thousands: 4, yesNo: 5, dec1: 6, dec2: 7}
		cols := b.sheetCommuneColumns()
		cs := append(slices.Clone(in.Communes), diag.CommuneResult{Code: "X", Name: "A & <B> _x0041_", Per10k: math.NaN(), Gap: math.Inf(1)})
		for i := range cs {
			var fast, slow rowXML
			for j := range cols {
				cols[j].appendCell(&fast, j, "7", &b.st, &cs[i])
				if err := slow.cell(j, "7", cols[j].sheetCell(&b.st, &cs[i])); err != nil {
					t.Fatal(err)
				}
			}
			if string(fast.buf) != string(slow.buf) {
				t.Fatalf("commune %s:\n got  %s\n want %s", cs[i].Code, fast.buf, slow.buf)
			}
		}
	}
}
