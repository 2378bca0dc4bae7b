package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/diag/report"
)

// formulaNames are the names of testdata/hostile/formulas.csv after
// loading (fields are trimmed, so the tab and the carriage return go).
var formulaNames = []string{
	`=HYPERLINK("http://example.invalid/x","Cliquer")`, "+33 5 55 00 00 00",
	"-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
}

// TestFormulaInjection (issue 15 §6): sites named like formulas are
// written as text everywhere: with a leading apostrophe in the plan CSV
// and the GeoJSON layer, as plain text cells (no formula) in the
// workbook; and the layer reads back with the names given.
func TestFormulaInjection(t *testing.T) {
	sites := fixture(t, "hostile/formulas.csv")
	if _, err := run(t, "--quiet", "--sites", sites, "--geojson", "g.geojson", "--out", "w.xlsx"); err != nil {
		t.Fatal(err)
	}
	// GeoJSON: neutralised, and read back as given.
	layer := readFile(t, "g-sites.geojson")
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(layer, &fc); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range fc.Features {
		names = append(names, f.Properties["nom"].(string))
	}
	for _, n := range formulaNames {
		if !slices.Contains(names, "'"+n) {
			t.Errorf("layer: no name %q; names %q", "'"+n, names)
		}
	}
	back, _, err := data.LoadSites("g-sites.geojson", strings.NewReader(string(layer)), data.SitesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	names = names[:0]
	for _, s := range back {
		names = append(names, s.Name)
	}
	for _, n := range formulaNames {
		if !slices.Contains(names, n) {
			t.Errorf("layer read back: no name %q; names %q", n, names)
		}
	}
	checkNoFormula(t, "w.xlsx")

	// Plan CSV (a scenario file): neutralised, read back as given.
	if _, err := run(t, "plan", "--quiet", "--add", "2", "--candidates", sites, "--csv", "p.csv", "--out", "-"); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, "p.csv")
	if len(rows) != 3 {
		t.Fatalf("plan CSV: %d rows", len(rows))
	}
	for _, r := range rows[1:] {
		if n := r[1]; strings.ContainsAny(n[:1], "=+-@") {
			t.Errorf("plan CSV name %q is not neutralised", n)
		}
	}
}

// formulaElement matches a formula of a worksheet's XML.
var formulaElement = regexp.MustCompile(`<f[ >][^<]*</f>`)

// checkNoFormula opens the workbook: the Sites sheet holds every name as
// text, and no cell of any sheet is a formula with a user's text.
func checkNoFormula(t *testing.T, path string) {
	t.Helper()
	f := openBook(t, path)
	rows := sheetRows(t, f, report.SheetSites)
	var cells []string
	for _, r := range rows {
		cells = append(cells, r...)
	}
	for _, n := range formulaNames {
		if !slices.Contains(cells, n) {
			t.Errorf("Sites sheet: no text cell %q", n)
		}
	}
	for name, b := range zipFiles(t, path, "xl/worksheets/") {
		for _, m := range formulaElement.FindAllString(string(b), -1) {
			if strings.Contains(m, "HYPERLINK") || strings.Contains(m, "calc") || strings.Contains(m, "SUM(1+1)") {
				t.Errorf("%s: formula %s from a user's text", name, m)
			}
		}
	}
}

// TestSameSitesFileTwice (issue 17 §5): the same --sites file given twice
// does not count its sites twice: every site of the second copy is
// rejected with a check naming the first, and --strict refuses the run.
func TestSameSitesFileTwice(t *testing.T) {
	sites := fixture(t, "sites/creuse-france-services.csv")
	_, err := run(t, "--sites", sites, "--sites", sites, "--strict", "--out", "-")
	if err == nil || !strings.Contains(err.Error(), `identifiant "fs-137" déjà utilisé par un fichier précédent (`+sites+`) ; le même fichier donné deux fois ?`) {
		t.Fatalf("err = %v", err)
	}
}

// TestWarningsCounted (issue 15 §7): a warning of a user's file (here a
// column given twice) is counted on the console as well as listed in
// Contrôles.
func TestWarningsCounted(t *testing.T) {
	path := fixture(t, "bad/header-duplicate.csv")
	stderr, err := run(t, "--sites", path, "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, path+" : 1 avertissement, voir Contrôles") {
		t.Errorf("console does not count the warning: %q", stderr)
	}
}
