package diag

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"
)

func TestLoadWeights(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]float64
		err      error
		line     int
		column   string
	}{
		{"semicolon, decimal comma", "indicateur;poids\nifn_score;2,5\nQPV;0\n", map[string]float64{"ifn_score": 2.5, "qpv": 0}, nil, 0, ""},
		{"comma, extra column", "poids,indicateur,note\n1,densite,x\n", map[string]float64{"densite": 1}, nil, 0, ""},
		{"missing column", "indicateur;weight\nqpv;1\n", nil, data.ErrMissingColumn, 1, "poids"},
		{"not a number", "indicateur;poids\nqpv;1\nfrr;abc\n", nil, data.ErrBadNumber, 3, "poids"},
		{"negative", "indicateur;poids\nqpv;-1\n", nil, data.ErrBadValue, 2, "poids"},
		{"NaN", "indicateur;poids\nqpv;NaN\n", nil, data.ErrBadNumber, 2, "poids"},
		{"infinite", "indicateur;poids\nqpv;Inf\n", nil, data.ErrBadNumber, 2, "poids"},
		{"unknown indicator", "indicateur;poids\nqpv;1\nchomage;2\n", nil, data.ErrUnknownIndicator, 3, "indicateur"},
		{"named indicator absent from the data, weight 0", "indicateur;poids\nqpv;1\npart_65_plus;0\n", map[string]float64{"qpv": 1, "part_65_plus": 0}, nil, 0, ""},
		{"named indicator absent from the data, weight 1", "indicateur;poids\npart_65_plus;1\n", nil, data.ErrUnknownIndicator, 2, "indicateur"},
		{"duplicate", "indicateur;poids\nqpv;1\nQPV;2\n", nil, data.ErrDuplicate, 3, "indicateur"},
		{"empty name", "indicateur;poids\n;2\n", nil, data.ErrBadValue, 2, "indicateur"},
		{"header only", "indicateur;poids\n", nil, data.ErrEmptyFile, 0, "poids"},
		{"empty file", "", nil, data.ErrEmptyFile, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			known := func(n string) bool { return n == "qpv" || n == "ifn_score" || n == "densite" || n == "frr" }
			got, err := LoadWeights("poids.csv", strings.NewReader(tt.in), known)
			if tt.err != nil {
				var pe *data.ParseError
				if !errors.Is(err, tt.err) || !errors.As(err, &pe) || pe.Line != tt.line || pe.Column != tt.column {
					t.Fatalf("err = %v, want %v at line %d column %q", err, tt.err, tt.line, tt.column)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v", k, got[k], v)
				}
			}
		})
	}
}

func FuzzLoadWeights(f *testing.F) {
	for _, s := range []string{"indicateur;poids\nifn_score;2,5\n", "poids,indicateur\n1,qpv\n", "indicateur;poids\nqpv;1e308\n", "\xef\xbb\xbfindicateur\tpoids\nfrr\t0\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		w, err := LoadWeights("fuzz.csv", strings.NewReader(in), nil)
		if fuzztest.Refused[*data.ParseError](t, err) {
			return
		}
		for k, v := range w {
			if k == "" || !(v >= 0) || math.IsInf(v, 0) {
				t.Fatalf("weight %q = %v", k, v)
			}
		}
	})
}

// TestFragilityIndicators: a constant indicator (sd 0) is dropped, a zero
// weight leaves an indicator out, a default indicator of partial coverage
// is left out unless the weights name it, user weights override the
// defaults, and a commune with no known indicator gets NaN.
func TestFragilityIndicators(t *testing.T) {
	ds, _ := handDataset()
	c := ds.Indicators.AddColumn("qpv")
	for _, code := range []string{"01001", "01002", "01003"} {
		ds.Indicators.Set(code, c, 1) // constant: sd 0
	}
	f := NewFragility(ds, nil)
	// ifn_score: 2 communes of 3 (67 % < 95 %): out by default.
	if strings.Join(f.Names, ",") != "densite" || f.Mean[0] != 4 || f.SD[0] != 2 || len(f.Checks) != 0 {
		t.Errorf("fragility = %+v", f)
	}
	wantStatus := map[string]UseStatus{"densite": Used, "ifn_score": OutCoverage, "qpv": OutConstant}
	for _, u := range f.Uses {
		if u.Status != wantStatus[u.Name] || u.Origin != WeightDefault || u.Total != 3 || u.DepTotal != 1 {
			t.Errorf("use %+v, want status %d", u, wantStatus[u.Name])
		}
	}
	// densite alone: z = −1, 0, 1 → 100·Φ(−1) = 15.865525393145708, 50, 84.13447460685429.
	f = NewFragility(ds, map[string]float64{"densite": 3, "ifn_score": 0})
	for code, want := range map[string]float64{"01001": 15.865525393145708, "01002": 50, "01003": 84.13447460685429} {
		if got := f.Index(code); !closeRel(got, want, 1e-12) {
			t.Errorf("%s: %v, want %v", code, got, want)
		}
	}
	// Weights naming ifn_score bring it in (with a warning: partial
	// coverage) and keep the other defaults: densite 1, ifn_score 4.
	// A: (1·(−1) + 4·(−1/√2))/5 = −0.765685424949238 → 100·Φ(Z) = 22.193175074005193
	f = NewFragility(ds, map[string]float64{"ifn_score": 4})
	if strings.Join(f.Names, ",") != "densite,ifn_score" || f.Weight[0] != 1 || f.Weight[1] != 4 ||
		!closeRel(f.Index("01001"), 22.193175074005193, 1e-12) || len(f.Checks) != 1 {
		t.Errorf("partial weights: %+v, A = %.10g", f, f.Index("01001"))
	}
	if !math.IsNaN(f.Index("99999")) {
		t.Error("unknown commune: want NaN")
	}
	if g := NewFragility(&data.Dataset{}, nil); !math.IsNaN(g.Index("01001")) {
		t.Error("no indicators: want NaN")
	}
}

// TestFragilityUserColumn: a column that is no named indicator takes part
// with weight 1 and a warning naming it; its coverage does not matter.
// densite z −1, 0, 1; enquete (A 10, C 30; B missing) z −1/√2, +1/√2:
// A: (−1 − 1/√2)/2 = −0.8535533905932737 → 100·Φ = 19.66762465663947 (Python math.erf).
func TestFragilityUserColumn(t *testing.T) {
	ds, _ := handDataset()
	c := ds.Indicators.AddColumn("enquete")
	ds.Indicators.Set("01001", c, 10)
	ds.Indicators.Set("01003", c, 30)
	f := NewFragility(ds, nil)
	if strings.Join(f.Names, ",") != "densite,enquete" || len(f.Checks) != 1 ||
		f.Checks[0].Err.Column != "enquete" || f.Uses[2].Origin != WeightImplicit {
		t.Fatalf("fragility %+v", f)
	}
	if got := f.Index("01001"); !closeRel(got, 19.66762465663947, 1e-12) {
		t.Errorf("A = %.15g", got)
	}
}

// TestFragilityCoverageCOM: the COM are outside the coverage count, and
// a département without any value is listed as missing.
func TestFragilityCoverageCOM(t *testing.T) {
	ds := &data.Dataset{Indicators: data.NewIndicators("x")}
	for i := range 40 {
		dep := fmt.Sprintf("%02d", 1+i%20)
		code := fmt.Sprintf("%s%03d", dep, i)
		ds.Communes = append(ds.Communes, data.Commune{Code: code, Dep: dep})
		if dep != "20" {
			ds.Indicators.Set(code, 0, float64(i))
		}
	}
	ds.Communes = append(ds.Communes, data.Commune{Code: "98818", Dep: "988", Zone: data.ZoneCOM})
	u := NewFragility(ds, nil).Uses[0]
	// 38 communes of 40 (95 %), 19 départements of 20 (95 %): national.
	if u.Total != 40 || u.Communes != 38 || u.DepTotal != 20 || u.Deps != 19 ||
		strings.Join(u.Missing, ",") != "20" || !u.National() || u.Coverage() != 0.95 {
		t.Errorf("use %+v", u)
	}
}

// TestGap checks score_ecart on hand-computed rows.
func TestGap(t *testing.T) {
	tests := []struct {
		p       int
		frag, a float64
		covered bool
		amed    float64
		want    float64
	}{
		// need 1000·(0.5+0.6) = 1100; deficit (2−1)/2 = 0.5; covered → lack 0.25 → 275
		{1000, 60, 1, true, 2, 275},
		// F unknown → 50: need 1000; deficit 0.75, uncovered → lack 0.875 → 875
		{1000, math.NaN(), 0.5, false, 2, 875},
		// A above the median: deficit 0; uncovered → lack 0.5; need 200·(0.5+0.1) = 120 → 60
		{200, 10, 3, false, 2, 60},
		// Amed = 0 → deficit 0, covered → 0
		{500, 90, 0, true, 0, 0},
		// no inhabitant → 0
		{0, 99, 0, false, 1, 0},
	}
	for _, tt := range tests {
		if got := Gap(tt.p, tt.frag, tt.a, tt.covered, tt.amed); !closeRel(got, tt.want, 1e-12) {
			t.Errorf("Gap(%+v) = %v, want %v", tt, got, tt.want)
		}
	}
}

// TestMedianAccess: the empirical median is the lower middle value for an
// even count, over populated communes only.
func TestMedianAccess(t *testing.T) {
	tests := []struct {
		a    []float64
		pop  []int
		want float64
	}{
		{[]float64{3, 1, 2}, []int{1, 1, 1}, 2},
		{[]float64{4, 1, 3, 2}, []int{1, 1, 1, 1}, 2},
		{[]float64{9, 1, 3, 2}, []int{0, 1, 1, 1}, 2},
		{[]float64{5}, []int{0}, 0},
		{nil, nil, 0},
	}
	for _, tt := range tests {
		if got := MedianAccess(tt.a, tt.pop); got != tt.want {
			t.Errorf("MedianAccess(%v, %v) = %v, want %v", tt.a, tt.pop, got, tt.want)
		}
	}
}

// TestTerritory selects départements and régions and re-ranks.
func TestTerritory(t *testing.T) {
	res := synthResult(t)
	dep := res.Communes[0].Dep
	v, err := res.Territory(Departements(dep))
	if err != nil {
		t.Fatal(err)
	}
	seen := make([]bool, len(v.Communes)+1)
	for _, c := range v.Communes {
		if c.Dep != dep || c.Rank < 1 || c.Rank > len(v.Communes) || seen[c.Rank] {
			t.Fatalf("commune %+v in view of %s", c, dep)
		}
		seen[c.Rank] = true
	}
	if len(v.Deps) != 1 || v.Deps[0].Communes != len(v.Communes) || v.France != res.France || len(v.Regions) != 1 {
		t.Errorf("view: deps %+v, regions %d", v.Deps, len(v.Regions))
	}
	all, err := res.Territory(France())
	if err != nil || len(all.Communes) != len(res.Communes) || !sameCommune(all.Communes[7], res.Communes[7]) {
		t.Errorf("France view: %v", err)
	}
	reg, err := res.Territory(Regions(res.Communes[0].Region))
	if err != nil || len(reg.Deps) < 2 || len(reg.Regions) != 1 {
		t.Errorf("région view: %v, %d deps", err, len(reg.Deps))
	}
	for _, bad := range []Territory{Departements("975"), Departements(), {Level: "canton", Codes: []string{"1"}}} {
		if _, err := res.Territory(bad); !errors.Is(err, ErrUnknownTerritory) {
			t.Errorf("%v: err = %v", bad, err)
		}
	}
}

// TestFragilitySpreadOverflow: an indicator whose values are so far apart
// that their spread overflows (1e308, −1e308, 0: the sum of squares is
// +Inf) is left out of the index even with an explicit weight, with its
// own status and a warning naming it, instead of passing for constant.
func TestFragilitySpreadOverflow(t *testing.T) {
	ds, _ := handDataset()
	c := ds.Indicators.AddColumn("ecart")
	for code, v := range map[string]float64{"01001": 1e308, "01002": -1e308, "01003": 0} {
		ds.Indicators.Set(code, c, v)
	}
	f := NewFragility(ds, map[string]float64{"ecart": 2})
	if slices.Contains(f.Names, "ecart") {
		t.Errorf("ecart in the index: %v", f.Names)
	}
	found := false
	for _, u := range f.Uses {
		if u.Name == "ecart" {
			found = true
			if u.Status != OutSpread {
				t.Errorf("ecart: status %d, want OutSpread", u.Status)
			}
		}
	}
	if !found || len(f.Checks) != 1 || f.Checks[0].Err.Column != "ecart" || !strings.Contains(f.Checks[0].Err.Error(), "écarté de l'indice") {
		t.Errorf("uses %+v, checks %v: want one warning about ecart", f.Uses, f.Checks)
	}
}
