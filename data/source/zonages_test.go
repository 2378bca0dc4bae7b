package source

import (
	"errors"
	"math"
	"strings"
	"testing"

	"diagnum/data"

	"github.com/paulmach/orb"
)

func TestReadQPVCommunesReal(t *testing.T) {
	nb, checks := readExtract(t, ReadQPVCommunes, "real", "qpv2024_qpv_communes.csv")
	// The whole file (PROVENANCE of anct-zonages-2025; python3 csv): 1,684
	// (QPV, commune) rows, all distinct, over 824 communes; Guéret 1 QPV,
	// Saint-Denis 10, Paris 21, Marseille 41, Lyon 10.
	sum := 0
	for _, n := range nb {
		sum += n
	}
	if len(nb) != 824 || sum != 1684 || len(checks) != 0 {
		t.Errorf("%d communes, %d pairs, checks %v; want 824, 1684, none", len(nb), sum, checks)
	}
	for code, want := range map[string]int{"23096": 1, "93066": 10, "75056": 21, "13055": 41, "69123": 10} {
		if nb[code] != want {
			t.Errorf("nb_qpv[%s] = %d, want %d", code, nb[code], want)
		}
	}
}

func TestReadQPVCommunesInline(t *testing.T) {
	in := "code_qp,insee_com\nQN02301M,23096\nQN02301M,23096\nQN02302M,23096\nQN09301M,93066\n,93066\nQN09302M,9306X\n"
	nb, checks := readInline(t, ReadQPVCommunes, "q.csv", in)
	// 23096: QN02301M counted once (repeated row) + QN02302M = 2; lines 6
	// and 7 rejected (empty code_qp, bad INSEE code).
	if nb["23096"] != 2 || nb["93066"] != 1 || len(checks) != 2 ||
		checks[0].Err.Line != 6 || checks[1].Err.Line != 7 || !errors.Is(checks[1].Err, data.ErrBadCode) {
		t.Errorf("nb %v, checks %v", nb, checks)
	}
	assertRefused(t, ReadQPVCommunes, "q.csv", refusal{name: "missing column", in: "qp,insee_com\nQN02301M,23096\n",
		err: data.ErrMissingColumn, line: 1, column: "code_qp"})
}

func TestReadDensityReal(t *testing.T) {
	d, checks, err := ReadDensity("grille_densite.csv", realExtract(t, "grille_densite.csv"))
	if err != nil || len(checks) != 0 {
		t.Fatal(err, checks)
	}
	// Creuse in the grid (python3 Counter): 199 "Rural à habitat très
	// dispersé" (7), 44 "Rural à habitat dispersé" (6), 11 "Bourgs ruraux"
	// (5), 1 "Centres urbains intermédiaires" (2: Guéret); + 8 other rows.
	count := map[int]int{}
	for code, v := range d {
		if strings.HasPrefix(code, "23") {
			count[v]++
		}
	}
	if len(d) != 263 || count[7] != 199 || count[6] != 44 || count[5] != 11 || count[2] != 1 || d["23096"] != 2 ||
		d["75056"] != 1 || d["15031"] != 5 {
		t.Errorf("%d rows, Creuse levels %v, Guéret %d, Paris %d", len(d), count, d["23096"], d["75056"])
	}
	bad := "insee_com,niveau_densite\n23096,Très urbain\n23001,7\n23002, petites villes \n"
	d, checks, err = ReadDensity("d.csv", strings.NewReader(bad))
	if err != nil || len(checks) != 1 || checks[0].Err.Line != 2 || !errors.Is(checks[0].Err, data.ErrBadValue) ||
		d["23001"] != 7 || d["23002"] != 4 {
		t.Errorf("inline: %v, %v, %v", d, checks, err)
	}
}

func TestReadRuralityReal(t *testing.T) {
	r, checks, err := ReadRurality("grille_ruralite.csv", realExtract(t, "grille_ruralite.csv"))
	if err != nil || len(checks) != 0 {
		t.Fatal(err, checks)
	}
	// The source line is "23001,Ahun, Les petites polarités mixtes".
	if len(r) != 263 || r["23001"] != "Les petites polarités mixtes" || r["23096"] != "Hors champ : DOM ou commune urbaine" {
		t.Errorf("%d rows, 23001 %q, 23096 %q", len(r), r["23001"], r["23096"])
	}
}

func TestReadFRR(t *testing.T) {
	frr, checks, err := ReadFRR("frr-communes.csv", realExtract(t, "frr-communes.csv"))
	if err != nil || len(checks) != 0 {
		t.Fatal(err, checks)
	}
	// All 255 Creuse communes are classified (codefrr 4 or 5), 93066 and
	// 97601 are not (codefrr 0): frr-2025 PROVENANCE counts.
	n := 0
	for code, v := range frr {
		if strings.HasPrefix(code, "23") && v {
			n++
		}
	}
	if len(frr) != 257 || n != 255 || frr["93066"] || frr["97601"] {
		t.Errorf("%d rows, %d classified in 23, 93066 %v", len(frr), n, frr["93066"])
	}
	frr, checks, err = ReadFRR("f.csv", strings.NewReader("insee_com,codefrr\n23096,4\n93066,0\n59350,peut-être\n"))
	if err != nil || !frr["23096"] || frr["93066"] || len(frr) != 2 || len(checks) != 1 || checks[0].Err.Column != "codefrr" {
		t.Errorf("codefrr: %v %v %v", frr, checks, err)
	}
}

func TestReadEPCICentroidsReal(t *testing.T) {
	pts, checks := readExtract(t, ReadEPCICentroids, "real", "centroides_epci_ept.geojson")
	// 21 features: the 10 EPCI of the COG extract and the 11 EPT; Plaine
	// Commune's point lies in La Réunion and is rejected.
	if len(pts) != 20 || len(checks) != 1 || !strings.Contains(checks[0].Err.Error(), "200057867") {
		t.Fatalf("%d points, checks %v", len(pts), checks)
	}
	if p := pts["200034825"]; p != (orb.Point{1.854988500055471, 46.182074637223394}) {
		t.Errorf("CA du Grand Guéret at %v", p)
	}
	if _, ok := pts["200057875"]; !ok {
		t.Error("EPT Est Ensemble missing")
	}
	_, _, err := ReadEPCICentroids("c.geojson", strings.NewReader(`{"type":"FeatureCollection","features":[]}`))
	if !errors.Is(err, data.ErrEmptyFile) {
		t.Errorf("empty: %v", err)
	}
}

// realIndicators builds the indicator table from every extract.
func realIndicators(t *testing.T) (*data.Indicators, data.Checks, *COG) {
	c := realCOG(t)
	res := c.Resolver()
	pts, _ := FoldPoints("p", realPointRows(t), res)
	in := IndicatorInputs{Points: pts, QPVFile: "qpv", FRRFile: "frr", DensityFile: "densite"}
	var err error
	if in.QPV, _, err = ReadQPVCommunes("qpv", realExtract(t, "qpv2024_qpv_communes.csv")); err != nil {
		t.Fatal(err)
	}
	if in.FRR, _, err = ReadFRR("frr", realExtract(t, "frr-communes.csv")); err != nil {
		t.Fatal(err)
	}
	if in.Density, _, err = ReadDensity("densite", realExtract(t, "grille_densite.csv")); err != nil {
		t.Fatal(err)
	}
	rows, _, err := ReadIFN("ifn", realExtract(t, "ifn-communes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	in.IFN, _ = FoldIFN("ifn", rows, res)
	tab, checks := BuildIndicators(c.Communes, res, in)
	return tab, checks, c
}

func TestBuildIndicatorsReal(t *testing.T) {
	tab, checks, c := realIndicators(t)
	want := []string{data.ColNbQPV, data.ColQPV, data.ColFRR, data.ColDensite, data.ColTauxChomage, data.ColIFNScore, data.ColPart65Plus}
	if strings.Join(tab.Columns, ",") != strings.Join(want, ",") {
		t.Fatalf("columns %v", tab.Columns)
	}
	// 817 of the 824 QPV communes are outside the COG extract: Warnings.
	if len(checks) != 817 || !errors.Is(checks[0].Err, data.ErrUnknownINSEE) || checks[0].Err.File != "qpv" {
		t.Errorf("%d checks, first %v", len(checks), checks[0].Err)
	}
	nan := math.NaN()
	tests := []struct {
		code string
		vals []float64 // in column order; NaN = missing
	}{
		// Guéret: 1 QPV, FRR code 4, density 2, 866/5672 unemployed, IFN 116.78, 3120/13275 aged 65+.
		{"23096", []float64{1, 1, 1, 2, 866.0 / 5672, 116.78, 3120.0 / 13275}},
		// Paris: 21 QPV; not in the FRR subset; sums over the 20 arrondissements (python3).
		{"75056", []float64{21, 1, nan, 1, 124666.0 / 1160074, 110.41104179878164, 0.1647105660479006}},
		// Marseille: no 2016 population in the IFN detail: plain mean, no part_65_plus.
		{"13055", []float64{41, 1, nan, 1, 54206.0 / 368387, 106.64687500000001, nan}},
		// Parsac (23149) + Blaudeix (23023): weighted IFN (695·89.32 + 96·100.69)/791.
		{"23149", []float64{0, 0, 1, 7, 42.0 / 345, (695*89.32 + 96*100.69) / 791, (182.0 + 31) / (695 + 96)}},
		// Clipperton (COM): nothing applies, the QPV columns stay missing.
		{"98901", []float64{nan, nan, nan, nan, nan, nan, nan}},
		// 15031, created in 2025: only the zonages know it.
		{"15031", []float64{0, 0, nan, 5, nan, nan, nan}},
	}
	for _, tt := range tests {
		for col, w := range tt.vals {
			got, ok := tab.Get(tt.code, col)
			if ok == math.IsNaN(w) || (ok && math.Abs(got-w) > 1e-9) {
				t.Errorf("%s %s = %v (%v), want %v", tt.code, tab.Columns[col], got, ok, w)
			}
		}
	}
	// qpv is a true zero for every metro/DROM commune of the COG.
	zero := 0
	for _, x := range c.Communes {
		if v, ok := tab.Get(x.Code, tab.Column(data.ColQPV)); ok && v == 0 {
			zero++
		}
	}
	if zero != 269-2-7 { // − 2 COM − 7 communes with a QPV
		t.Errorf("%d communes with qpv = 0, want 260", zero)
	}
}

func TestBuildIndicatorsFolding(t *testing.T) {
	res := NewResolver([]data.Commune{{Code: "93066", Zone: "metro"}, {Code: "97501", Zone: "com"}}, map[string]string{"93059": "93066"})
	tab, checks := BuildIndicators([]data.Commune{{Code: "93066", Zone: "metro"}, {Code: "97501", Zone: "com"}}, res, IndicatorInputs{
		QPV:     map[string]int{"93066": 9, "93059": 3, "99999": 1},
		FRR:     map[string]bool{"93066": false, "93059": true},
		Density: map[string]int{"93066": 1, "93059": 2},
	})
	// QPV 9 + 3 = 12 (old code added), FRR false OR true = 1, density of
	// the commune's own code wins; 99999 unknown: one Warning. No Points
	// and no IFN: their columns are absent.
	if len(tab.Columns) != 4 || len(checks) != 1 {
		t.Fatalf("columns %v, checks %v", tab.Columns, checks)
	}
	for col, w := range []float64{12, 1, 1, 1} {
		if v, ok := tab.Get("93066", col); !ok || v != w {
			t.Errorf("%s = %v, want %v", tab.Columns[col], v, w)
		}
	}
	if _, ok := tab.Get("97501", 0); ok {
		t.Error("nb_qpv set for a COM commune")
	}
}
