package diag

import (
	"context"
	"fmt"
	"math"
	"testing"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// tableTimer is a TravelTimer with fixed times between listed points
// (symmetric), all points lying within 100 km of each other.
type tableTimer map[[2]orb.Point]float64

func (tt tableTimer) Times(ctx context.Context, src, dst []geo.Place) ([][]float64, error) {
	out := make([][]float64, len(src))
	for i, pa := range src {
		out[i] = make([]float64, len(dst))
		for j, pb := range dst {
			a, b := pa.Point, pb.Point
			t, ok := tt[[2]orb.Point{a, b}]
			if a == b {
				t, ok = 0, true
			}
			if !ok {
				t, ok = tt[[2]orb.Point{b, a}]
			}
			if !ok {
				return nil, fmt.Errorf("no time between %v and %v", a, b)
			}
			out[i][j] = t
		}
	}
	return out, nil
}

func (tableTimer) MinMinutes(km float64) float64 {
	if km <= 100 {
		return 0
	}
	return math.Inf(1)
}

func (tableTimer) ReachKm(float64) float64 { return 100 }

// Points of the hand-computed case.
var (
	ptA, ptB, ptC   = orb.Point{2.00, 46.00}, orb.Point{2.10, 46.00}, orb.Point{2.20, 46.00}
	ptS1, ptS2, ptF = orb.Point{2.001, 46.001}, orb.Point{2.101, 46.001}, orb.Point{2.199, 45.999}
)

// handDataset: communes A (1000 inh.), B (2000), C (500); sites S1 (cnfs,
// 2 FTE, in A), S2 (cnfs, 1 FTE, in B), F (France Services, not counted
// by default, declared in C); indicators densite A 2, B 4, C 6 and
// ifn_score A 90, B missing, C 110. ifn_score is known for 2 communes of
// 3, not a national coverage: it takes part in the index only when the
// weights name it (handWeights).
func handDataset() (*data.Dataset, tableTimer) {
	ds := &data.Dataset{
		Communes: []data.Commune{
			{Code: "01001", Name: "A", Dep: "01", Region: "84", EPCI: "200000001", Population: 1000, Point: ptA, HasPoint: true},
			{Code: "01002", Name: "B", Dep: "01", Region: "84", EPCI: "200000001", Population: 2000, Point: ptB, HasPoint: true},
			{Code: "01003", Name: "C", Dep: "01", Region: "84", Population: 500, Point: ptC, HasPoint: true},
		},
		Sites: []data.Site{
			{ID: "S1", Kind: data.KindCNFS, Point: ptS1, FTE: 2, INSEE: "01001"},
			{ID: "S2", Kind: data.KindCNFS, Point: ptS2, FTE: 1, INSEE: "01002"},
			{ID: "F", Kind: data.KindFranceServices, Point: ptF, FTE: 0, INSEE: "01003"},
		},
		Indicators: data.NewIndicators("densite", "ifn_score"),
	}
	for i, v := range []float64{2, 4, 6} {
		ds.Indicators.Set(ds.Communes[i].Code, 0, v)
	}
	ds.Indicators.Set("01001", 1, 90)
	ds.Indicators.Set("01003", 1, 110)
	tt := tableTimer{
		{ptA, ptS1}: 0, {ptA, ptS2}: 20, {ptA, ptF}: 30,
		{ptB, ptS1}: 20, {ptB, ptS2}: 10, {ptB, ptF}: 25,
		{ptC, ptS1}: 40, {ptC, ptS2}: 35, {ptC, ptF}: 2,
		{ptS1, ptS2}: 15, {ptF, ptS1}: 5, {ptF, ptS2}: 12,
	}
	return ds, tt
}

// handWeights give ifn_score its default weight explicitly, so that it
// takes part although its coverage is partial.
var handWeights = map[string]float64{"ifn_score": 2}

// TestHandComputed checks every measure of the 3-commune, 2-site case
// against values computed by hand (d0 = threshold = 30 min):
//
//	W(t) = (exp(−½(t/30)²) − e^−½) / (1 − e^−½),  e^−½ = 0.6065306597126334
//	W(0) = 1, W(10) = (0.9459594689 − 0.6065306597)/0.3934693403 = 0.8626563100093985
//	W(20) = (0.8007374029 − 0.6065306597)/0.3934693403 = 0.4935752886421534
//	W(35) = W(40) = 0
//	ReachPop_S1 = 1000·1 + 2000·W(20) = 1987.1505772843068, R_S1 = 2/1987.15… = 0.0010064662551809503
//	ReachPop_S2 = 1000·W(20) + 2000·W(10) = 2218.8879086609504, R_S2 = 1/2218.89… = 0.00045067621311410807
//	A_A = R_S1·1 + R_S2·W(20) = 0.0012289088971528988 → 12.289088971528988 per 10k
//	A_B = R_S1·W(20) + R_S2·W(10) = 0.0008855455514235504 → 8.855455514235505 per 10k
//	A_C = 0
//	check: Σ P_i·A_i = 1000·A_A + 2000·A_B = 3 = S_S1 + S_S2
//	nearest: A 0 (S1), B 10 (S2), C 35 (S2, not covered: 35 > 30)
//	per 10k: A 2/1000·1e4 = 20, B 1/2000·1e4 = 5, C 0
//	densite 2, 4, 6: mean 4, sd 2 → z −1, 0, 1
//	ifn_score 90, –, 110: mean 100, sd √200 → z −1/√2, +1/√2
//	Z_A = (1·(−1) + 2·(−0.70710678))/3 = −0.8047378541243649 → F = 100·Φ(Z) = 21.048548521526488
//	Z_B = 0 (densite only) → F = 50
//	Z_C = +0.8047378541243649 → F = 78.95145147847352
//	Amed = median of {0, A_B, A_A} = A_B
//	A: need 1000·(0.5+0.2104854852) = 710.4854852, deficit 0, covered → lack 0, gap 0
//	B: need 2000, deficit 0 → gap 0
//	C: need 500·(0.5+0.7895145148) = 644.7572573923676, deficit 1, uncovered → lack 1, gap 644.757…
//	rank: C 1, then A and B tie at 0 → by code: A 2, B 3
//
// ifn_score enters through handWeights (weight 2, its default).
func TestHandComputed(t *testing.T) {
	ds, tt := handDataset()
	for _, compute := range []struct {
		name string
		fn   func(context.Context, *data.Dataset, Params) (*Result, error)
	}{{"indexed", Compute}, {"naive", ComputeNaive}} {
		t.Run(compute.name, func(t *testing.T) {
			res, err := compute.fn(context.Background(), ds, Params{Timer: tt, Weights: handWeights})
			if err != nil {
				t.Fatal(err)
			}
			checkHandCommunes(t, res)
			checkHandSites(t, res)
		})
	}
}

func checkHandCommunes(t *testing.T, res *Result) {
	t.Helper()
	want := []CommuneResult{
		{Code: "01001", NbSites: 1, FTE: 2, Per10k: 20, NearestMin: 0, NearestSite: 0, Covered: true,
			Access10k: 12.289088971528988, Fragility: 21.048548521526488, Gap: 0, Rank: 2},
		{Code: "01002", NbSites: 1, FTE: 1, Per10k: 5, NearestMin: 10, NearestSite: 1, Covered: true,
			Access10k: 8.855455514235505, Fragility: 50, Gap: 0, Rank: 3},
		{Code: "01003", NbSites: 0, FTE: 0, Per10k: 0, NearestMin: 35, NearestSite: 1, Covered: false,
			Access10k: 0, Fragility: 78.95145147847352, Gap: 644.7572573923676, Rank: 1},
	}
	for i, w := range want {
		g := res.Communes[i]
		if g.Code != w.Code || g.NbSites != w.NbSites || g.NearestSite != w.NearestSite || g.Covered != w.Covered || g.Rank != w.Rank {
			t.Errorf("%s: got %+v, want %+v", w.Code, g, w)
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{{"FTE", g.FTE, w.FTE}, {"Per10k", g.Per10k, w.Per10k}, {"NearestMin", g.NearestMin, w.NearestMin},
			{"Access10k", g.Access10k, w.Access10k}, {"Fragility", g.Fragility, w.Fragility}, {"Gap", g.Gap, w.Gap}} {
			if !closeRel(f.got, f.want, 1e-9) {
				t.Errorf("%s %s = %.17g, want %.17g", w.Code, f.name, f.got, f.want)
			}
		}
	}
	// France: 3500 inh., 3 FTE → 8.571428571428571 per 10k; covered 3000
	// → 0.8571428571428571; mean access = Σ P·A·1e4 / 3500 = 3e4/3500.
	fr := res.France
	if fr.Population != 3500 || fr.Communes != 3 || fr.NbSites != 2 || fr.CoveredPop != 3000 || fr.Uncovered != 500 {
		t.Errorf("France = %+v", fr)
	}
	for _, f := range [][2]float64{{fr.FTE, 3}, {fr.Per10k, 30000.0 / 3500}, {fr.Coverage, 3000.0 / 3500}, {fr.MeanAccess10k, 30000.0 / 3500}} {
		if !closeRel(f[0], f[1], 1e-9) {
			t.Errorf("France figure %.17g, want %.17g", f[0], f[1])
		}
	}
	if len(res.EPCI) != 1 || res.EPCI[0].Population != 3000 || res.EPCI[0].Communes != 2 {
		t.Errorf("EPCI roll-ups = %+v, want one EPCI of 2 communes, 3000 inh.", res.EPCI)
	}
}

func checkHandSites(t *testing.T, res *Result) {
	t.Helper()
	want := []struct {
		commune          string
		counted          bool
		s, reach, r, nom float64
	}{
		{"01001", true, 2, 1987.1505772843068, 0.0010064662551809503, 15},
		{"01002", true, 1, 2218.8879086609504, 0.00045067621311410807, 15},
		{"01003", false, 0, 0, 0, 5}, // F: nearest counted site S1, 5 min
	}
	for j, w := range want {
		g := res.Sites[j]
		if g.Commune != w.commune || g.Counted != w.counted || g.SupplyFTE != w.s || g.NearestOtherMin != w.nom ||
			!closeRel(g.ReachPop, w.reach, 1e-9) || !closeRel(g.R, w.r, 1e-9) {
			t.Errorf("site %s = %+v, want %+v", g.ID, g, w)
		}
	}
}

// TestHandFranceServices counts France Services sites (1 FTE each by
// default): F (in C, 2 min from C) then covers C. Its catchment is
// A (30 min, W = 0), B (25 min) and C (2 min):
//
//	W(25) = (exp(−½·(25/30)²) − e^−½)/(1 − e^−½) = (0.7066482 − 0.6065307)/0.3934693 = 0.2544483…
//	W(2) = (0.9977802 − 0.6065307)/0.3934693 = 0.9943585…
//	C: NearestMin 2, covered, nb_sites 1, FTE 1, per 10k 1/500·1e4 = 20.
func TestHandFranceServices(t *testing.T) {
	ds, tt := handDataset()
	res := mustCompute(t, ds, Params{Timer: tt, Supply: []data.SiteKind{data.KindCNFS, data.KindFranceServices}})
	c := res.Communes[2]
	if c.NearestMin != 2 || c.NearestSite != 2 || !c.Covered || c.NbSites != 1 || c.FTE != 1 || c.Per10k != 20 {
		t.Errorf("C = %+v", c)
	}
	f := res.Sites[2]
	wantReach := 2000*Kernel(25, 30) + 500*Kernel(2, 30)
	if !f.Counted || f.SupplyFTE != 1 || !closeRel(f.ReachPop, wantReach, 1e-12) || f.NearestOtherMin != 5 {
		t.Errorf("F = %+v, want ReachPop %v", f, wantReach)
	}
	if !closeRel(Kernel(25, 30), 0.2544483340734067, 1e-12) || !closeRel(Kernel(2, 30), 0.9943585060203866, 1e-12) {
		t.Errorf("W(25) = %v, W(2) = %v", Kernel(25, 30), Kernel(2, 30))
	}
}

// closeRel reports whether a and b agree within rel (relative), or both
// are 0 or the same infinity.
func closeRel(a, b, rel float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

// TestHandAdvisorFTE: etp_cnfs is the FTE of the conseiller-numérique
// sites alone (S1 2 FTE in A, S2 1 FTE in B), whether they count as
// supply or not; etp_conseillers is the FTE of the counted supply (France
// Services F in C: 1 FTE by default).
func TestHandAdvisorFTE(t *testing.T) {
	ds, tt := handDataset()
	for _, tc := range []struct {
		supply      []data.SiteKind
		cnfs, count [3]float64
	}{
		{[]data.SiteKind{data.KindCNFS, data.KindFranceServices}, [3]float64{2, 1, 0}, [3]float64{2, 1, 1}},
		{[]data.SiteKind{data.KindFranceServices}, [3]float64{2, 1, 0}, [3]float64{0, 0, 1}},
	} {
		res := mustCompute(t, ds, Params{Timer: tt, Supply: tc.supply})
		for i, c := range res.Communes {
			if c.FTECNFS != tc.cnfs[i] || c.FTE != tc.count[i] {
				t.Errorf("supply %v, %s: etp_cnfs %v, etp_conseillers %v; want %v, %v", tc.supply, c.Code, c.FTECNFS, c.FTE, tc.cnfs[i], tc.count[i])
			}
		}
	}
}
