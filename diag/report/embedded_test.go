package report

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/internal/benchstat"
	"diagnum/internal/embedtest"
	"diagnum/internal/testlong"
)

// embeddedResult returns the embedded data set and its national
// diagnostic with the default parameters, computed once per test process.
func embeddedResult(tb testing.TB) (*data.Dataset, *diag.Result) {
	tb.Helper()
	ds, b := embedtest.National(tb)
	return ds, b.Result
}

// embeddedInput builds the report input of territory t over the embedded
// data as cmd/diagnum does (NewInput of Result.View), without the map.
func embeddedInput(tb testing.TB, t diag.Territory) Input {
	tb.Helper()
	ds, res := embeddedResult(tb)
	v, err := res.View(t)
	if err != nil {
		tb.Fatal(err)
	}
	in := NewInput(ds, v)
	in.Version, in.Date = "test", fixtureDate
	return in
}

func TestWorkbookEmbeddedCreuse(t *testing.T) {
	in := embeddedInput(t, diag.Departements("23"))
	in.MapPNG = mapPNG(t, NewMapInput(&in, in.Dataset))
	b := writeBytes(t, in)
	f := openBook(t, b)
	if got := f.GetSheetList(); !slices.Equal(got, Sheets) {
		t.Errorf("sheets = %q", got)
	}
	rows := rawRows(t, f, SheetSynthese, 9)
	// 255 communes, 115,527 inhabitants: the COG 2025 (communes.json,
	// communes actuelles of département 23, counted with python3).
	if got := findRow(t, rows, labelPopulation)[1]; got != "115527" {
		t.Errorf("population of the Creuse = %s, want 115527", got)
	}
	if got := findRow(t, rows, labelCommunes)[1]; got != "255" {
		t.Errorf("communes of the Creuse = %s, want 255", got)
	}
	syntheseTotals(t, rows, []diag.Rollup{in.Rollup, in.Region, in.France})
	// Every Creuse commune is FRR-classified (frr-2025/PROVENANCE.md), so
	// every site of the Creuse is in an FRR commune with a known flag.
	all := findRow(t, rows, labelAllSites)[1]
	if got := findRow(t, rows, labelFRRAll)[1]; got != "1" {
		t.Errorf("FRR share of the Creuse's sites = %s, want 1", got)
	}
	if got := findRow(t, rows, labelFRRKnown)[1]; got != all {
		t.Errorf("sites with a known FRR flag = %s, want all %s", got, all)
	}
	if got, want := findRow(t, rows, labelQPVAll)[1], qpvShareOracle(t, in); got != want {
		t.Errorf("QPV share of the Creuse's sites = %s, want %s (brute force)", got, want)
	}
	pics, err := f.GetPictures(SheetSynthese, "A"+itoa(1+slices.IndexFunc(rows, func(r []string) bool {
		return r[0] == "Carte du score d'écart par commune"
	})+1))
	if err != nil || len(pics) != 1 {
		t.Fatalf("map picture: %d, %v", len(pics), err)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(pics[0].File)); err != nil || cfg.Width != DefaultMapWidth || cfg.Height != DefaultMapHeight {
		t.Errorf("map picture %dx%d, %v", cfg.Width, cfg.Height, err)
	}
	sameAsCSV(t, rawRows(t, f, SheetCommunes, len(CSVHeader)), readCSV(t, in))
	embeddedControles(t, f, in)
	// Validation des données: one row per published figure of
	// references.csv, then the agreement with the 2023 list (issue 9: at
	// least 90 of the 101 départements within ±20 %).
	val := rawRows(t, f, SheetValidation, 8)
	var within, of int
	if _, err := fmt.Sscanf(val[len(val)-1][0], "%d départements sur %d", &within, &of); err != nil || within < 90 || of != 101 {
		t.Errorf("Validation note %q: %d of %d (%v)", val[len(val)-1][0], within, of, err)
	}
	if len(val) < 1+101+3 {
		t.Errorf("Validation has %d rows", len(val))
	}
}

// qpvShareOracle counts, over every site of the Creuse, those whose
// commune has qpv = 1 in the embedded indicators, and formats the share
// as a raw cell value.
func qpvShareOracle(t *testing.T, in Input) string {
	t.Helper()
	col := in.Dataset.Indicators.Column(data.ColQPV)
	n, k := 0, 0
	for _, s := range in.Result.Sites {
		if !strings.HasPrefix(s.Commune, "23") {
			continue
		}
		n++
		if v, ok := in.Dataset.Indicators.Get(s.Commune, col); ok && v == 1 {
			k++
		}
	}
	if n == 0 {
		t.Fatal("no site in the Creuse")
	}
	return formatRaw(float64(k) / float64(n))
}

// formatRaw returns v as a raw workbook cell holds it (6 decimals, no
// trailing zeros).
func formatRaw(v float64) string {
	s := strings.TrimRight(formatMeasure(v), "0")
	return strings.TrimSuffix(s, ".")
}

// embeddedControles checks that Contrôles keeps every check, grouped by
// category, with each site that reaches nobody (R_j = 0) and each
// code/position disagreement found by diag under its category.
func embeddedControles(t *testing.T, f *excelize.File, in Input) {
	t.Helper()
	rows := rawRows(t, f, SheetControles, 9)[1:]
	if want := len(in.Checks) + len(in.Result.Checks); len(rows) != want {
		t.Errorf("Contrôles has %d rows, want every check: %d", len(rows), want)
	}
	order := map[string]int{}
	for c := range nCategories {
		order[categoryText[c].label] = int(c)
	}
	var shown [nCategories]int
	prev := 0
	for i, r := range rows {
		c, ok := order[r[4]]
		if !ok || c < prev {
			t.Fatalf("row %d: category %q out of order", i+2, r[4])
		}
		prev = c
		shown[c]++
	}
	var want [nCategories]int
	for _, c := range in.Result.Checks {
		switch {
		case c.Severity == data.Rejected:
		case c.Kind == data.CheckNoReach:
			want[catNoReach]++
		case c.Kind == data.CheckPlacement: // declared code or nearest polygon
			want[catDisagree]++
		}
	}
	// 5 sites reach nobody and 1 site declares another commune than its
	// point's on the embedded data (counted in Contrôles of the CLI's
	// diagnostic-23.xlsx, converted to CSV by LibreOffice).
	for _, c := range []checkCategory{catNoReach, catDisagree} {
		if want[c] == 0 || shown[c] != want[c] {
			t.Errorf("%s: %d rows, want the %d checks of diag (and some)", categoryText[c].label, shown[c], want[c])
		}
	}
}

func TestWorkbookEmbeddedRegion(t *testing.T) {
	in := embeddedInput(t, diag.Regions("75"))
	f := openBook(t, writeBytes(t, in))
	rows := rawRows(t, f, SheetDepartements, 17)
	// Nouvelle-Aquitaine: 12 départements (COG 2025, départements.json).
	if len(rows) < 13 || rows[12][1] == "" || rows[13][0] != "" {
		t.Fatalf("Départements has %d rows, want header + 12", len(rows))
	}
	codes := map[string]bool{}
	for _, r := range rows[1:13] {
		codes[r[1]] = true
	}
	for _, c := range []string{"16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"} {
		if !codes[c] {
			t.Errorf("département %s missing from %v", c, codes)
		}
	}
	// The least covered is the Creuse (54.0 % at 30 min, the CLI's figure).
	if rows[1][1] != "23" || rows[1][0] != "1" {
		t.Errorf("first row %q, want the Creuse ranked 1", rows[1][:3])
	}
	syntheseTotals(t, rawRows(t, f, SheetSynthese, 9), []diag.Rollup{in.Rollup, in.France})
}

func TestWorkbookEmbeddedReunion(t *testing.T) {
	in := embeddedInput(t, diag.Departements("974"))
	rows := rawRows(t, openBook(t, writeBytes(t, in)), SheetSynthese, 9)
	// La Réunion is a one-département région: no région column. 24
	// communes, 889,679 inhabitants (COG 2025, communes.json, python3).
	head := slices.IndexFunc(rows, func(r []string) bool { return r[0] == "Indicateur" })
	if got := rows[head][1:4]; !slices.Equal(got, []string{"La Réunion (974)", "France", ""}) {
		t.Errorf("columns %q, want La Réunion (974) and France", got)
	}
	// France: 68,952,941 inhabitants less the 602,143 of the overseas
	// collectivities (COM), which are not computed.
	if got := findRow(t, rows, labelPopulation)[1:3]; !slices.Equal(got, []string{"889679", "68350798"}) {
		t.Errorf("population = %q", got)
	}
	syntheseTotals(t, rows, []diag.Rollup{in.Rollup, in.France})
	// Every commune of the 974 has an FRR class (frr-2025: 0 → 1, 3 → 20, 4 → 3).
	if got, all := findRow(t, rows, labelFRRKnown)[1], findRow(t, rows, labelAllSites)[1]; got != all {
		t.Errorf("sites with a known FRR flag = %s, want all %s", got, all)
	}
}

func TestWorkbookEmbeddedFrance(t *testing.T) {
	testlong.Skip(t, "the national workbook")
	in := embeddedInput(t, diag.France())
	start := time.Now()
	b := writeBytes(t, in)
	t.Logf("national workbook: %d communes, %.1f MB in %v", len(in.Communes), float64(len(b))/1e6, time.Since(start))
	f := openBook(t, b)
	// COG 2025 (communes.json, communes actuelles): 34,969 communes in 109
	// département codes and 26 région codes (the collectivités d'outre-mer
	// count as both), 68,952,941 inhabitants; counted with python3. The 94
	// communes of the 8 COM codes (602,143 inhabitants) are not computed
	// (no geography) and appear in no sheet's rows: 34,875 communes, 101
	// départements, 18 régions, 68,350,798 inhabitants.
	for sheet, want := range map[string]int{SheetCommunes: 34969 - 94, SheetDepartements: 109 - 8, SheetRegions: 26 - 8} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		n := slices.IndexFunc(rows[1:], func(r []string) bool { return len(r) == 0 || r[0] == "" && r[1] == "" })
		if n < 0 {
			n = len(rows) - 1
		}
		if n != want {
			t.Errorf("%s: %d rows, want %d", sheet, n, want)
		}
	}
	// Polynésie française (987): a COM, in no ranking.
	for _, r := range rawRows(t, f, SheetDepartements, 18) {
		if len(r) > 1 && r[1] == "987" {
			t.Errorf("987 is ranked among the départements: %q", r)
		}
	}
	syn := rawRows(t, f, SheetSynthese, 9)
	if got := findRow(t, syn, labelPopulation)[1]; got != "68350798" {
		t.Errorf("population of France = %s, want 68350798 (COG less the COM)", got)
	}
	syntheseTotals(t, syn, []diag.Rollup{in.France})
}

func BenchmarkWriteWorkbookEmbedded(b *testing.B) {
	for _, tt := range []struct {
		name string
		t    diag.Territory
	}{{"dept23", diag.Departements("23")}, {"dept59", diag.Departements("59")}, {"region75", diag.Regions("75")}, {"france", diag.France()}} {
		in := embeddedInput(b, tt.t)
		b.Run(tt.name, func(b *testing.B) {
			benchstat.Loop(b, func() error { return WriteWorkbook(io.Discard, in) })
		})
	}
}

// BenchmarkWorkbookFrance writes the national workbook of diagnum --france
// with its map picture already drawn (BenchmarkMapFrance draws it), and
// reports the CPU time of all goroutines per workbook (target: ≈ 0.25 s).
func BenchmarkWorkbookFrance(b *testing.B) {
	in := embeddedInput(b, diag.France())
	in.MapPNG = mapPNG(b, NewMapInput(&in, in.Dataset))
	benchstat.Loop(b, func() error { return WriteWorkbook(io.Discard, in) })
}
