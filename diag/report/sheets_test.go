package report

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/diag"
	"diagnum/internal/testnum"
)

// findRow returns the raw cells of the first row of sheet whose column A is label.
func findRow(t *testing.T, rows [][]string, label string) []string {
	t.Helper()
	for _, r := range rows {
		if r[0] == label {
			return r
		}
	}
	t.Fatalf("no row %q", label)
	return nil
}

// syntheseTotals checks the key figures of Synthèse (raw rows) against
// the roll-ups of its columns, in order; the threshold is 30 min.
func syntheseTotals(t *testing.T, rows [][]string, rs []diag.Rollup) {
	t.Helper()
	ints := map[string]func(r diag.Rollup) int{
		labelCommunes:   func(r diag.Rollup) int { return r.Communes },
		labelPopulation: func(r diag.Rollup) int { return r.Population },
		labelCounted:    func(r diag.Rollup) int { return r.NbSites },
		"Population couverte (site à 30 min ou moins)":           func(r diag.Rollup) int { return r.CoveredPop },
		"Population non couverte (aucun site à 30 min ou moins)": func(r diag.Rollup) int { return r.Uncovered },
	}
	for label, f := range ints {
		row := findRow(t, rows, label)
		for i, r := range rs {
			if row[i+1] != strconv.Itoa(f(r)) {
				t.Errorf("%s column %d = %q, want %d", label, i+1, row[i+1], f(r))
			}
		}
	}
	floats := map[string]func(r diag.Rollup) float64{
		labelFTE:        func(r diag.Rollup) float64 { return r.FTE },
		labelPer10k:     func(r diag.Rollup) float64 { return r.Per10k },
		labelAccessMean: func(r diag.Rollup) float64 { return r.MeanAccess10k },
		"Taux de couverture (site à 30 min ou moins)": func(r diag.Rollup) float64 { return r.Coverage },
	}
	for label, f := range floats {
		row := findRow(t, rows, label)
		for i, r := range rs {
			if got := testnum.Float(t, row[i+1]); math.Abs(got-f(r)) > 5e-7 {
				t.Errorf("%s column %d = %v, want %v", label, i+1, got, f(r))
			}
		}
	}
}

func TestWorkbookSyntheseTotals(t *testing.T) {
	in := smallInput()
	rows := rawRows(t, openBook(t, writeSmall(t)), SheetSynthese, 9)
	syntheseTotals(t, rows, []diag.Rollup{in.Rollup, in.Region, in.France})
	// Hand counts over smallResult's sites: Ain has s1 (cnfs, 01004) and
	// s3 (médiation, 01001); the région adds s2 (cnfs, 03001); France adds
	// s4 (France Services, 23001).
	for label, want := range map[string][]string{
		"Sites : Conseiller numérique":        {"1", "2", "2"},
		"Sites : France Services":             {"0", "0", "1"},
		"Sites : Lieu de médiation numérique": {"1", "1", "1"},
		"Sites : Autre":                       {"0", "0", "0"},
		labelAllSites:                         {"2", "3", "4"},
		// Median of Access10k over populated communes, stat.Empirical:
		// Ain 0, 0, 1.0987654321, 2.5 → 2nd of 4 = 0; région adds 3 →
		// 3rd of 5 = 1.098765; France adds 0.5 → 3rd of 6 = 0.5.
		labelAccessMed: {"0", "1.098765", "0.5"},
		// Population 18970 = 860 + 270 + 15934 + 1906 (COG populations).
		labelPopulation: {"18970", "21885", "23279"},
	} {
		if got := findRow(t, rows, label)[1:4]; !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", label, got, want)
		}
	}
}

func TestWorkbookSyntheseLists(t *testing.T) {
	rows := rawRows(t, openBook(t, writeSmall(t)), SheetSynthese, 9)
	// The 10 most under-covered: the 4 communes of the Ain in rank order.
	top := findRow(t, rows, "Commune")
	i := slices.IndexFunc(rows, func(r []string) bool { return &r[0] == &top[0] })
	for k, code := range []string{"01002", "01005", "01001", "01004"} {
		if r := rows[i+1+k]; r[1] != code || r[2] != strconv.Itoa(k+1) {
			t.Errorf("top row %d = %q, want %s of rank %d", k+1, r[:3], code, k+1)
		}
	}
	// Checks: 2 loading rejects; 3 warnings of diag, 2 about the Ain (s3
	// in 01001, commune 01005), s2 of the Allier not.
	for label, want := range map[string][]string{
		"Lignes rejetées": {"2", "0"},
		"Avertissements":  {"3", "2"},
		"   dont Sites sans population à portée (R_j = 0)":        {"1", "0"},
		"   dont Désaccords entre code INSEE déclaré et position": {"1", "1"},
		"   dont Communes sans point ni contour":                  {"1", "1"},
	} {
		if got := findRow(t, rows, label)[1:3]; !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", label, got, want)
		}
	}
	if got := findRow(t, rows, "Conseillers numériques")[1]; got != "2025-06-30" {
		t.Errorf("cnfs source date = %q", got)
	}
}

func TestWorkbookPartialResult(t *testing.T) {
	// A territory result (as from diag.ComputeTerritory) holds only the
	// Ain's communes and no France roll-up: the région column keeps its
	// roll-up figures but no site counts, the France column stays empty.
	r := smallResult()
	r.Communes, r.France = r.Communes[:4], diag.Rollup{}
	v, err := r.View(diag.Departements("01"))
	if err != nil {
		t.Fatal(err)
	}
	in := smallInput()
	in.View = *v
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, in); err != nil {
		t.Fatal(err)
	}
	rows := rawRows(t, openBook(t, buf.Bytes()), SheetSynthese, 9)
	if got := findRow(t, rows, labelAllSites)[1:4]; !slices.Equal(got, []string{"2", "", ""}) {
		t.Errorf("sites = %q, want [2 '' '']", got)
	}
	if got := findRow(t, rows, labelPopulation)[1:4]; !slices.Equal(got, []string{"18970", "21885", ""}) {
		t.Errorf("population = %q, want [18970 21885 '']", got)
	}
}

func TestWorkbookOtherSheets(t *testing.T) {
	f := openBook(t, writeSmall(t))
	tests := []struct {
		sheet string
		cols  []int // columns compared
		want  [][]string
	}{
		// Ranked by coverage: Dombes 860/2766 = 0.311, Plaine de l'Ain 15934/16204 = 0.983.
		{SheetEPCI, []int{0, 1, 3, 5, 10}, [][]string{
			{"1", "200069193", "2", "2766", "0.310918"}, {"2", "240100883", "2", "16204", "0.983337"}}},
		// Sites of the Ain by commune code: s3 (01001) then s1 (01004,
		// which has a QPV); the Ain has no FRR data.
		{SheetSites, []int{0, 2, 5, 7, 8, 9, 10, 11}, [][]string{
			{"s3", "Lieu de médiation numérique", "01001", "01", "0", "non renseigné", "0", "18.75"},
			{"s1", "Conseiller numérique", "01004", "01", "1", "non renseigné", "1", "95.5"}}},
		// Not covered: 01002 (31.4 min from s1) and 01005 (no counted site).
		// Part couverte 0, so the whole population is not covered.
		{SheetZonesBlanches, []int{1, 3, 4, 5, 6, 7, 8, 9}, [][]string{
			{"01002", "01", "270", "Médiathèque d'Ambérieu", "Ambérieu-en-Bugey (01004)", "31.4", "0", "270"},
			{"01005", "01", "1906", "aucun site compté", "", "", "0", "1906"}}},
		// Rejected rows first, then each category; in a category, the
		// territory's first.
		{SheetControles, []int{0, 1, 2, 3, 5, 6}, [][]string{
			{"Rejeté", "sites.csv", "12", "latitude", "—", ""},
			{"Rejeté", "indicateurs.csv", "", "", "—", ""},
			{"Avertissement", "sites (test)", "", "code_insee", "non", "site s2 — Mairie d'Abrest"},
			{"Avertissement", "sites.csv", "7", "code_insee", "oui", "site s3 — Espace public numérique"},
			{"Avertissement", "communes", "", "code_insee", "oui", "commune Ambérieux-en-Dombes (01005)"}}},
	}
	for _, tt := range tests {
		rows := rawRows(t, f, tt.sheet, 14)[1:]
		if len(rows) != len(tt.want) {
			t.Errorf("%s: %d rows, want %d", tt.sheet, len(rows), len(tt.want))
			continue
		}
		for i, w := range tt.want {
			var got []string
			for _, c := range tt.cols {
				got = append(got, rows[i][c])
			}
			if !slices.Equal(got, w) {
				t.Errorf("%s row %d = %q, want %q", tt.sheet, i+2, got, w)
			}
		}
		if p, _ := f.GetPanes(tt.sheet); !p.Freeze {
			t.Errorf("%s: header not frozen", tt.sheet)
		}
	}
	if v, _ := f.GetCellValue(SheetRecommandations, "A4"); v != "diagnum plan --dept 01 --add 10" {
		t.Errorf("planner command = %q", v)
	}
}

func TestWorkbookCharts(t *testing.T) {
	b := writeSmall(t)
	for _, part := range []struct{ name, want string }{
		// Largest gaps first: 01002 (3.1) … 01004 (0.4), rows 3 to 6.
		{"xl/charts/chart1.xml", "Graphiques!$B$3:$B$6"},
		{"xl/charts/chart2.xml", "Graphiques!$E$3:$E$4"},
	} {
		x := zipEntry(t, b, part.name)
		if !strings.Contains(x, "<barDir val=\"bar\">") || !strings.Contains(x, "<f>"+part.want+"</f>") {
			t.Errorf("%s: no bar chart over %s", part.name, part.want)
		}
	}
	f := openBook(t, b)
	for ref, want := range map[string]string{"A3": "L'Abergement-de-Varey (01002)", "B3": "3.1", "D3": "CC de la Dombes", "A6": "Ambérieu-en-Bugey (01004)"} {
		if v, _ := f.GetCellValue(SheetGraphiques, ref, excelize.Options{RawCellValue: true}); v != want {
			t.Errorf("Graphiques!%s = %q, want %q", ref, v, want)
		}
	}
}

func TestWorkbookBadInput(t *testing.T) {
	in := smallInput()
	in.Result = nil
	if err := WriteWorkbook(&bytes.Buffer{}, in); err == nil {
		t.Error("no error for a nil Result")
	}
	in = smallInput()
	in.Territory.Level = "canton"
	if err := WriteWorkbook(&bytes.Buffer{}, in); err == nil || !strings.Contains(err.Error(), "canton") {
		t.Errorf("err = %v, want an unknown level error", err)
	}
	// Out-of-range NearestSite and empty lists are reported, not a panic.
	in = smallInput()
	in.Communes[0].NearestSite = 99
	in.Sources, in.Checks, in.Result.Checks = nil, nil, nil
	if err := WriteWorkbook(&bytes.Buffer{}, in); err != nil {
		t.Error(err)
	}
	in.Communes = nil
	if err := WriteWorkbook(&bytes.Buffer{}, in); err != nil {
		t.Errorf("no communes: %v", err)
	}
}
