package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/internal/testnum"
)

// writeSmall writes the workbook of smallInput and returns its bytes.
func writeSmall(t *testing.T) []byte {
	t.Helper()
	return writeBytes(t, smallInput())
}

// writeBytes writes the workbook of in and returns its bytes.
func writeBytes(t *testing.T, in Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openBook reads a workbook back with excelize.
func openBook(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rawRows returns the raw cell values of a sheet, rows padded to n columns.
func rawRows(t *testing.T, f *excelize.File, sheet string, n int) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for len(rows[i]) < n {
			rows[i] = append(rows[i], "")
		}
	}
	return rows
}

// dump returns every non-empty cell of every sheet, one "sheet!A1 = value"
// per line, raw values, in sheet and row order.
func dump(t *testing.T, f *excelize.File) string {
	t.Helper()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				b.WriteString(sh + "!" + ref + " = " + v + "\n")
			}
		}
	}
	return b.String()
}

func TestWorkbookGolden(t *testing.T) {
	got := dump(t, openBook(t, writeSmall(t)))
	want, path := golden(t, "report_small.txt", func() []byte { return []byte(got) })
	if got != string(want) {
		t.Errorf("cells differ from %s (go test -update rewrites it after a deliberate change):\n%s", path, firstDiff(got, string(want)))
	}
}

func TestWorkbookDeterministic(t *testing.T) {
	// excelize writes streamed sheets in map order; partZip fixes the order,
	// so two runs give the same bytes.
	a, b := writeSmall(t), writeSmall(t)
	for range 5 {
		if !bytes.Equal(a, b) {
			t.Fatal("two writes of the same input differ")
		}
		b = writeSmall(t)
	}
}

func TestWorkbookSheets(t *testing.T) {
	f := openBook(t, writeSmall(t))
	if got := f.GetSheetList(); !slices.Equal(got, Sheets) {
		t.Errorf("sheets = %q, want %q", got, Sheets)
	}
	p, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if p.Created != "2026-01-15T09:30:00Z" || p.Modified != p.Created || p.Creator != "diagnum v0.1.0-test" || p.Language != "fr-FR" {
		t.Errorf("doc props = %+v", p)
	}
}

// readCSV returns the records of WriteCSV(communes).
func readCSV(t *testing.T, in Input) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, in.Communes); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestWorkbookCommunesEqualCSV(t *testing.T) {
	in := smallInput()
	recs := readCSV(t, in)
	rows := rawRows(t, openBook(t, writeSmall(t)), SheetCommunes, len(CSVHeader))
	if len(rows) != len(recs) || len(rows) != 5 {
		t.Fatalf("Communes has %d rows, CSV %d, want 5 (header + 4 communes of the Ain)", len(rows), len(recs))
	}
	wantHeader := []string{"Code INSEE", "Commune", "Département", "EPCI", "Population", "Sites", "ETP conseillers",
		"ETP conseillers numériques seuls", "Conseillers pour 10 000 hab.", "Temps au site le plus proche (min)", "Couvert (≤ 30 min)",
		"Accès E2SFCA pour 10 000 hab.", "Indice de fragilité (0–100)", "Score d'écart", "Rang", "Part couverte (≤ 30 min)"}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header = %q", rows[0])
	}
	sameAsCSV(t, rows, recs)
	// Rank order, as given: 01002, 01005, 01001, 01004.
	if got := []string{rows[1][0], rows[2][0], rows[3][0], rows[4][0]}; !slices.Equal(got, []string{"01002", "01005", "01001", "01004"}) {
		t.Errorf("order = %q", got)
	}
}

// sameAsCSV checks that the data rows of the Communes sheet (raw values)
// hold the CSV records, decimals compared at the CSV's 6 decimals.
func sameAsCSV(t *testing.T, rows, recs [][]string) {
	t.Helper()
	if len(rows) != len(recs) {
		t.Fatalf("Communes has %d rows, CSV %d", len(rows), len(recs))
	}
	decimals := map[int]bool{6: true, 7: true, 8: true, 9: true, 11: true, 12: true, 13: true, 15: true}
	errs := 0
	for r := 1; r < len(rows) && errs < 10; r++ {
		for c, want := range recs[r] {
			got := rows[r][c]
			if decimals[c] && got != "" {
				got = strconv.FormatFloat(testnum.Float(t, got), 'f', csvDecimals, 64)
			}
			if got != want {
				t.Errorf("row %d %s: workbook %q, CSV %q", r, CSVHeader[c], got, want)
				errs++
			}
		}
	}
}

// cellFormat returns the number format of a cell: the built-in ID, or the
// custom format text.
func cellFormat(t *testing.T, f *excelize.File, sheet, ref string) (int, string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return st.NumFmt, *st.CustomNumFmt
	}
	return st.NumFmt, ""
}

func TestWorkbookCommunesFormats(t *testing.T) {
	f := openBook(t, writeSmall(t))
	tests := []struct {
		ref    string
		numFmt int
		custom string
	}{
		{"A2", fmtText, ""}, {"C2", fmtText, ""}, {"D2", fmtText, ""},
		{"E2", fmtThousands, ""}, {"F2", fmtInteger, ""},
		{"G3", fmtDecimal2, ""}, {"H3", fmtDecimal2, ""}, {"I5", fmtDecimal2, ""},
		{"J2", 0, customDecimal1}, {"K2", 0, customYesNo},
		{"L4", fmtDecimal2, ""}, {"M2", 0, customDecimal1}, {"N2", fmtDecimal2, ""},
		{"O5", fmtInteger, ""},
	}
	for _, tt := range tests {
		n, c := cellFormat(t, f, SheetCommunes, tt.ref)
		if c != tt.custom || c == "" && n != tt.numFmt {
			t.Errorf("%s: format %d %q, want %d %q", tt.ref, n, c, tt.numFmt, tt.custom)
		}
	}
	// Codes are text cells, leading zeros kept.
	for _, ref := range []string{"A2", "C2"} {
		typ, _ := f.GetCellType(SheetCommunes, ref)
		v, _ := f.GetCellValue(SheetCommunes, ref)
		if typ != excelize.CellTypeInlineString || !strings.HasPrefix(v, "0") {
			t.Errorf("%s = %q of type %v, want a text cell starting with 0", ref, v, typ)
		}
	}
	// Formatted values as excelize renders them (it renders the oui/non
	// format wrongly; TestWorkbookLibreOffice checks it).
	for ref, want := range map[string]string{"E5": "15,934", "J2": "31.4", "I5": "1.26"} {
		if v, _ := f.GetCellValue(SheetCommunes, ref); v != want {
			t.Errorf("%s shows %q, want %q", ref, v, want)
		}
	}
}

func TestWorkbookCommunesLayout(t *testing.T) {
	b := writeSmall(t)
	f := openBook(t, b)
	p, err := f.GetPanes(SheetCommunes)
	if err != nil || !p.Freeze || p.YSplit != 1 || p.XSplit != 0 || p.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, %v; want the header row frozen", p, err)
	}
	cf, err := f.GetConditionalFormats(SheetCommunes)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"L2:L5", "N2:N5"} {
		if len(cf[ref]) != 1 || cf[ref][0].Type != "3_color_scale" {
			t.Errorf("conditional format on %s = %+v, want a 3-colour scale", ref, cf[ref])
		}
	}
	if len(cf) != 2 {
		t.Errorf("conditional formats on %d ranges, want 2", len(cf))
	}
	found := false
	for _, d := range f.GetDefinedName() {
		found = found || d.Name == "_xlnm._FilterDatabase" && d.Scope == SheetCommunes && d.RefersTo == "'Communes'!$A$1:$P$5"
	}
	if !found {
		t.Errorf("no autofilter defined name over 'Communes'!$A$1:$P$5 in %+v", f.GetDefinedName())
	}
	if xml := zipEntry(t, b, "xl/worksheets/sheet2.xml"); !strings.Contains(xml, `<autoFilter ref="$A$1:$P$5">`) {
		t.Errorf("sheet2.xml (Communes) has no autoFilter A1:P5")
	}
}

// zipEntry returns the content of a part of the workbook.
func zipEntry(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(c)
}

// TestWorkbookCommunesIndicators: the Communes sheet shows, after the
// CSV's columns, each indicator that entered the index with its weight
// (qpv, weight 1.5) and not the one left out (frr, partial coverage);
// the values are those of the data: 01004 holds a QPV, the three other
// communes of the Ain none (rank order 01002, 01005, 01001, 01004).
func TestWorkbookCommunesIndicators(t *testing.T) {
	in := smallInput()
	r := *in.Result
	r.Indicators = []diag.IndicatorUse{
		{Name: data.ColQPV, Weight: 1.5, Status: diag.Used},
		{Name: data.ColFRR, Weight: 1, Status: diag.OutCoverage},
	}
	in.Result = &r
	n := len(CSVHeader)
	rows := rawRows(t, openBook(t, writeBytes(t, in)), SheetCommunes, n+2)
	if got := rows[0][n]; got != "Indicateur : qpv (poids 1,5)" {
		t.Errorf("header %q, want the qpv column with its weight", got)
	}
	if rows[0][n+1] != "" {
		t.Errorf("column after qpv: %q, want none (frr is out of the index)", rows[0][n+1])
	}
	if got := []string{rows[1][n], rows[2][n], rows[3][n], rows[4][n]}; !slices.Equal(got, []string{"0", "0", "0", "1"}) {
		t.Errorf("qpv values %q, want 0 0 0 1", got)
	}
	if cols := IndicatorColumns(r.Indicators, nil); cols != nil {
		t.Errorf("no indicators table: %d columns, want none", len(cols))
	}
}

// TestWorkbookOffersFunc: offers given by Input.OffersFunc make the same
// workbook as the same offers in Input.Offers (the function is called
// once), and its error stops the workbook.
func TestWorkbookOffersFunc(t *testing.T) {
	in := smallInput()
	offers := []Offer{{Label: "Conseillers numériques seuls", Territory: in.Rollup, France: in.France},
		{Label: "Offre complète", Territory: in.Rollup, France: in.France}}
	direct := in
	direct.Offers = offers
	calls := 0
	lazy := in
	lazy.OffersFunc = func() ([]Offer, error) { calls++; return offers, nil }
	if a, b := writeBytes(t, direct), writeBytes(t, lazy); !bytes.Equal(a, b) || calls != 1 {
		t.Errorf("same bytes %v, calls %d", bytes.Equal(a, b), calls)
	}
	if !strings.Contains(dump(t, openBook(t, writeBytes(t, lazy))), "Conseillers numériques seuls") {
		t.Error("the offers are not in the workbook")
	}
	bad := in
	bad.OffersFunc = func() ([]Offer, error) { return nil, errors.New("no offers") }
	if err := WriteWorkbook(io.Discard, bad); err == nil || !strings.Contains(err.Error(), "no offers") {
		t.Errorf("error %v", err)
	}
}
