package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"diagnum/data"

	"diagnum/diag"
)

// TestAccessColumnNamesMethod: the access column's header and description
// name the method and kernel actually used, not the default's.
func TestAccessColumnNamesMethod(t *testing.T) {
	col := CommuneColumns[communeColumn("acces_e2sfca_pour_10k")]
	for _, c := range []struct {
		p            diag.Params
		header, desc string
	}{
		{diag.Params{}, "Accès E2SFCA pour 10 000 hab.", "accessibilité E2SFCA (décroissance gaussienne) × 10 000"},
		{diag.Params{Method: diag.Method2SFCA}, "Accès 2SFCA pour 10 000 hab.", "accessibilité 2SFCA (bassin binaire) × 10 000"},
		{diag.Params{Method: diag.Method3SFCA, Decay: diag.Decay{Kind: diag.DecayExponential, Beta: 0.1}}, "Accès 3SFCA pour 10 000 hab.",
			"accessibilité 3SFCA (décroissance exponentielle, β = 0,1) × 10 000"},
		{diag.Params{Method: diag.MethodGravity, Decay: diag.Decay{Kind: diag.DecayPower, Beta: 2}}, "Accès gravitaire pour 10 000 hab.",
			"accessibilité gravitaire (W = t^(−β), β = 2) × 10 000"},
	} {
		h, d := col.Describe(c.p)
		if h != c.header || !strings.HasPrefix(d, c.desc) {
			t.Errorf("%v: %q, %q; want %q, %q…", c.p.Method, h, d, c.header, c.desc)
		}
	}
	if h, d := CommuneColumns[communeColumn("part_couverte")].Describe(diag.Params{ThresholdMin: 20}); h != "Part couverte (≤ 20 min)" ||
		!strings.Contains(d, "à 20 minutes ou moins") {
		t.Errorf("part_couverte: %q, %q", h, d)
	}
}

// TestFrPop: populations with halves, in French notation.
func TestFrPop(t *testing.T) {
	for v, want := range map[float64]string{85808.5: "85\u00a0808,5", 91862: "91\u00a0862", -12511.5: "−12\u00a0511,5", 0.04: "0"} {
		if got := frPop(v); got != want {
			t.Errorf("frPop(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestPart65Column: part_65_plus known for two communes of the Ain
// (01001: 0.25, 01004: 0.4) but left out of the index by the
// national-coverage rule is shown for information, last in the Communes
// sheet (header « hors indice ») and in the CSV (column part_65_plus);
// retained by --weights, it is the indicator's own column, in the CSV
// too; unknown, the CSV keeps CSVHeader alone.
func TestPart65Column(t *testing.T) {
	in := smallInput()
	in.Dataset = in.Dataset.Clone()
	col := in.Dataset.Indicators.AddColumn(data.ColPart65Plus)
	in.Dataset.Indicators.Set("01001", col, 0.25)
	in.Dataset.Indicators.Set("01004", col, 0.4)
	r := *in.Result
	r.Indicators = []diag.IndicatorUse{
		{Name: data.ColQPV, Weight: 1, Status: diag.Used},
		{Name: data.ColPart65Plus, Weight: 1, Status: diag.OutCoverage, Communes: 2, Total: 6},
	}
	in.Result = &r
	n := len(CSVHeader)
	rows := rawRows(t, openBook(t, writeBytes(t, in)), SheetCommunes, n+2)
	// Rank order 01002, 01005, 01001, 01004.
	if h := rows[0][n+1]; h != "part_65_plus (hors indice, pour information)" {
		t.Errorf("header %q", h)
	}
	if got := []string{rows[1][n+1], rows[2][n+1], rows[3][n+1], rows[4][n+1]}; !slices.Equal(got, []string{"", "", "0.25", "0.4"}) {
		t.Errorf("part_65_plus values %q", got)
	}
	csvOf := func(in Input) [][]string {
		var b bytes.Buffer
		if err := WriteCSVColumns(&b, in.Communes, in.CSVColumns()); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	recs := csvOf(in)
	if !slices.Equal(recs[0], append(slices.Clone(CSVHeader), "part_65_plus")) || recs[3][n] != "0.250000" || recs[4][n] != "0.400000" || recs[1][n] != "" {
		t.Errorf("CSV: header %v, rows %v", recs[0], recs[1:])
	}
	r.Indicators[1].Status = diag.Used
	rows = rawRows(t, openBook(t, writeBytes(t, in)), SheetCommunes, n+2)
	if h := rows[0][n+1]; h != "Indicateur : part_65_plus (poids 1)" {
		t.Errorf("retained: header %q", h)
	}
	if recs := csvOf(in); recs[0][n] != "part_65_plus" || recs[4][n] != "0.400000" {
		t.Errorf("retained: CSV %v", recs)
	}
	in.Dataset = smallDataset()
	if recs := csvOf(in); !slices.Equal(recs[0], CSVHeader) {
		t.Errorf("unknown: CSV header %v", recs[0])
	}
}
