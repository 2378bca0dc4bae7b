package diag

import (
	"context"
	"math"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// TestDemandCoverageHand: 4 cells on handDataset (no polygons, so each
// cell goes to the commune with the nearest point), threshold 30 min:
//
//	cell at A's point, 100 inh.: commune A, t = 0 (S1), covered
//	cell at S2's point, 20 inh.: commune B (nearest point), t = 0 (S2), covered
//	cell at C's point, 30 inh.: commune C, t = min(40, 35) = 35, not covered
//	cell at F's point, 10 inh.: commune C, t = min(5, 12) = 5, covered
//
// So A: 100 inh., share 1, mean 0; B: 20, share 1, mean 0; C: 40 inh.,
// covered 10, share 0.25, mean (30·35 + 10·5)/40 = 27.5 min.
func TestDemandCoverageHand(t *testing.T) {
	ds, tt := handDataset()
	b, err := NewBaseline(context.Background(), ds, Params{Timer: tt})
	if err != nil {
		t.Fatal(err)
	}
	cells := []data.GridCell{
		{ID: "a", Point: ptA, Pop: 100}, {ID: "s2", Point: ptS2, Pop: 20},
		{ID: "c", Point: ptC, Pop: 30}, {ID: "f", Point: ptF, Pop: 10},
	}
	got, _, err := b.DemandCoverage(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	want := []CommuneDemand{
		{Commune: 0, Units: 1, Pop: 100, CoveredPop: 100, Share: 1, MeanMin: 0},
		{Commune: 1, Units: 1, Pop: 20, CoveredPop: 20, Share: 1, MeanMin: 0},
		{Commune: 2, Units: 2, Pop: 40, CoveredPop: 10, Share: 0.25, MeanMin: 27.5},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, w := range want {
		if g := got[i]; g.Commune != w.Commune || g.Units != w.Units || g.Pop != w.Pop || g.CoveredPop != w.CoveredPop ||
			g.Share != w.Share || math.Abs(g.MeanMin-w.MeanMin) > 1e-12 {
			t.Errorf("commune %d: %+v, want %+v", i, g, w)
		}
	}
}

// TestDemandUnitAtCommunePoint: a unit placed at a commune's point is
// timed like the commune, so its access is the commune's A_i exactly, for
// every method and with --normaliser (the oracle is the commune pass of
// Compute, itself checked by hand in TestHandComputed and method_test).
func TestDemandUnitAtCommunePoint(t *testing.T) {
	for _, p := range []Params{
		{}, {Method: Method2SFCA}, {Method: Method3SFCA}, {Method: MethodGravity}, {Normalize: true}, {Method: Method3SFCA, Normalize: true},
	} {
		ds, tt := handDataset()
		p.Timer = tt
		b, err := NewBaseline(context.Background(), ds, p)
		if err != nil {
			t.Fatal(err)
		}
		a := b.Access()
		for i, pt := range []orb.Point{ptA, ptB, ptC} {
			got, tmin, err := b.UnitAccess(context.Background(), geo.Place{Point: pt, Commune: ds.Communes[i].Code})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-a[i]) > 1e-15*max(1, a[i]) || tmin != b.Result.Communes[i].NearestMin {
				t.Errorf("%v, commune %d: A_u %v t %v, want %v, %v", p.Method, i, got, tmin, a[i], b.Result.Communes[i].NearestMin)
			}
		}
	}
}

// TestDemandApplyHand: the layer holds 4 units, so every commune is
// measured on it and the units are the whole demand. Commune C holds
// two, 30 inh. at C's point (t = 35 and 40: not covered, no site within
// 30 min) and 10 inh. at F's point (t = 5 to S1, 12 to S2); A holds 100
// inh. at its point (0, 20), B 50 at its point (20, 10). With E2SFCA:
//
//	R_S1 = 2 / (100·W(0) + 50·W(20) + 10·W(5))
//	R_S2 = 1 / (100·W(20) + 50·W(10) + 10·W(12))
//	A_F = R_S1·W(5) + R_S2·W(12),  Access_C = (30·0 + 10·A_F) / 40
//	part_couverte_C = 10/40 = 0.25, temps = (30·35 + 10·5)/40 = 27.5 ≤ 30
//
// and the supply is conserved: 100·A_a + 50·A_b + 10·A_F = 2 + 1. The
// roll-up covers 1000 + 2000 + 0.25·500 = 3125 inhabitants, and C's
// score_ecart is GapShare with share 0.25.
func TestDemandApplyHand(t *testing.T) {
	ds, tt := handDataset()
	b, err := NewBaseline(context.Background(), ds, Params{Timer: tt})
	if err != nil {
		t.Fatal(err)
	}
	layer := &data.DemandLayer{File: "d.csv", Format: data.DemandPoints, Units: []data.DemandUnit{
		{ID: "a", Line: 2, Point: ptA, Pop: 100}, {ID: "b", Line: 3, Point: ptB, Pop: 50},
		{ID: "c", Line: 4, Point: ptC, Pop: 30}, {ID: "f", Line: 5, Point: ptF, Pop: 10},
	}}
	s, err := b.Demand(context.Background(), layer)
	if err != nil {
		t.Fatal(err)
	}
	w := func(t float64) float64 { return Kernel(t, 30) }
	r1 := 2 / (100*w(0) + 50*w(20) + 10*w(5))
	r2 := 1 / (100*w(20) + 50*w(10) + 10*w(12))
	aA, aB, aF := r1+r2*w(20), r1*w(20)+r2*w(10), r1*w(5)+r2*w(12)
	c := s.Communes[2]
	if len(s.Communes) != 3 || c.Units != 2 || c.Pop != 40 || c.Share != 0.25 || c.MeanMin != 27.5 || math.Abs(c.Access-10*aF/40) > 1e-15 {
		t.Fatalf("commune C %+v (A_F %v)", c, aF)
	}
	if math.Abs(s.R[0]-r1) > 1e-15 || math.Abs(s.R[1]-r2) > 1e-15 || math.Abs(s.Access[0]-aA) > 1e-15 || math.Abs(s.Access[1]-aB) > 1e-15 {
		t.Errorf("R %v, access %v; want %v %v, %v %v", s.R, s.Access, r1, r2, aA, aB)
	}
	if got := 100*s.Access[0] + 50*s.Access[1] + 40*s.Access[2]; math.Abs(got-3) > 1e-12 {
		t.Errorf("Σ P_u·A_u = %v, want 3", got)
	}
	amed := MedianAccess(s.Access, []int{1000, 2000, 500})
	b.ApplyDemand(s)
	rc := b.Result.Communes[2]
	if rc.Share != 0.25 || rc.NearestMin != 27.5 || !rc.Covered || rc.DemandUnits != 2 || math.Abs(rc.Access10k-1e4*10*aF/40) > 1e-12 ||
		rc.Gap != GapShare(500, rc.Fragility, s.Access[2], 0.25, amed) {
		t.Errorf("C after ApplyDemand %+v", rc)
	}
	if f := b.Result.France; f.CoveredPop != 3125 || f.Coverage != 3125.0/3500 {
		t.Errorf("France covered %d (%v), want 3125", f.CoveredPop, f.Coverage)
	}
	if b.Result.Sites[0].R != s.R[0] || b.Result.Sites[1].ReachPop != s.ReachPop[1] {
		t.Errorf("sites not updated: %+v", b.Result.Sites[:2])
	}
	// Conservation: every commune differs from its legal population by
	// more than 10 %: a total check and one per commune, A (100 for
	// 1000: partial layer), B, C.
	if n := len(s.Checks); n != 4 || s.Checks[0].Commune != "" || s.Checks[3].Commune != "01003" ||
		!strings.Contains(s.Checks[1].Err.Error(), "qu'une partie de la commune") {
		t.Errorf("checks %v", s.Checks)
	}
}

// TestDemandConservation: with a layer covering only commune C (units at
// C's and F's points), A and B stay demand points with their legal
// population, and for every method the supply is conserved:
// 1000·A_A + 2000·A_B + Σ_u P_u·A_u = Σ S_j = 3 (both sites reach
// population). By hand for E2SFCA: R_S1 = 2 / (1000·W(0) + 2000·W(20) +
// 10·W(5)).
func TestDemandConservation(t *testing.T) {
	for _, p := range []Params{{}, {Method: Method2SFCA}, {Method: Method3SFCA}, {Method: MethodGravity}} {
		ds, tt := handDataset()
		p.Timer = tt
		b, err := NewBaseline(context.Background(), ds, p)
		if err != nil {
			t.Fatal(err)
		}
		s, err := b.Demand(context.Background(), &data.DemandLayer{File: "d.csv", Units: []data.DemandUnit{
			{ID: "c", Line: 2, Point: ptC, Pop: 30}, {ID: "f", Line: 3, Point: ptF, Pop: 10},
		}})
		if err != nil {
			t.Fatal(err)
		}
		if got := 1000*s.Access[0] + 2000*s.Access[1] + 40*s.Access[2]; math.Abs(got-3) > 1e-12 {
			t.Errorf("%v: Σ P·A = %v, want 3", p.Method, got)
		}
		if w := func(t float64) float64 { return Kernel(t, 30) }; p.Method == MethodE2SFCA && math.Abs(s.R[0]-2/(1000+2000*w(20)+10*w(5))) > 1e-18 {
			t.Errorf("R_S1 = %v", s.R[0])
		}
	}
}

// TestDemandLayerOfCommunePoints: a layer of one unit per commune, at its
// point with its legal population, is the commune demand itself: the
// access of every commune is Compute's, for every method and with
// --normaliser.
func TestDemandLayerOfCommunePoints(t *testing.T) {
	for _, p := range []Params{{}, {Method: Method2SFCA}, {Method: Method3SFCA}, {Method: MethodGravity}, {Normalize: true}} {
		ds, tt := handDataset()
		p.Timer = tt
		b, err := NewBaseline(context.Background(), ds, p)
		if err != nil {
			t.Fatal(err)
		}
		l := &data.DemandLayer{File: "d.csv"}
		for i, c := range ds.Communes {
			l.Units = append(l.Units, data.DemandUnit{ID: c.Code, Line: i + 2, Point: c.Point, Pop: float64(c.Population)})
		}
		s, err := b.Demand(context.Background(), l)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range b.Access() {
			if math.Abs(s.Access[i]-a) > 1e-15*max(1, a) {
				t.Errorf("%v commune %d: %v, want %v", p.Method, i, s.Access[i], a)
			}
		}
	}
}

// TestDemandUnplaced: a unit far from every commune is rejected with a
// check naming its file and line; its population is counted apart.
func TestDemandUnplaced(t *testing.T) {
	ds, tt := handDataset()
	ds.PolygonsTileFrance = true
	ds.Communes[0].Polygon = orb.MultiPolygon{{{{1.95, 45.95}, {2.05, 45.95}, {2.05, 46.05}, {1.95, 46.05}, {1.95, 45.95}}}}
	b, err := NewBaseline(context.Background(), ds, Params{Timer: tt})
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Demand(context.Background(), &data.DemandLayer{File: "d.csv", Units: []data.DemandUnit{
		{ID: "in", Line: 2, Point: ptA, Pop: 5}, {ID: "out", Line: 3, Point: orb.Point{1.90, 46.0}, Pop: 7},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var rejected []data.Check
	for _, c := range s.Checks {
		if c.Severity == data.Rejected {
			rejected = append(rejected, c)
		}
	}
	if s.Unplaced != 1 || s.UnplacedPop != 7 || len(rejected) != 1 || rejected[0].Err.Line != 3 || rejected[0].Kind != data.CheckDemandPlacement {
		t.Errorf("unplaced %d (%v), rejected %v", s.Unplaced, s.UnplacedPop, rejected)
	}
}

// TestDemandWorkers: the demand figures are the same bit for bit with 1
// or 3 workers (the ratios' denominators are summed in fixed blocks of
// units, in unit order), on 10,000 synthetic units over a synthetic
// France of 1,000 communes and 157 sites.
func TestDemandWorkers(t *testing.T) {
	ds := synthDataset(1000, 157, 3)
	layer := synthDemand(10000, 5)
	var got [2]*DemandSummary
	for x, w := range []int{1, 3} {
		b, err := NewBaseline(context.Background(), ds, Params{Method: Method3SFCA})
		if err != nil {
			t.Fatal(err)
		}
		b.e.workers = w
		if got[x], err = b.Demand(context.Background(), layer); err != nil {
			t.Fatal(err)
		}
	}
	for k := range got[0].Access {
		if math.Float64bits(got[0].Access[k]) != math.Float64bits(got[1].Access[k]) {
			t.Fatalf("commune %d: %v with 1 worker, %v with 3", k, got[0].Access[k], got[1].Access[k])
		}
	}
	for j := range got[0].R {
		if math.Float64bits(got[0].R[j]) != math.Float64bits(got[1].R[j]) {
			t.Fatalf("site %d: R %v with 1 worker, %v with 3", j, got[0].R[j], got[1].R[j])
		}
	}
	if len(got[0].Communes) < 100 {
		t.Errorf("only %d communes hold units", len(got[0].Communes))
	}
}
