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

// TestDemandApplyHand: commune C holds two units, 30 inh. at C's point
// (t = 35: not covered, A = 0: no site within 30 min) and 10 inh. at F's
// point (t = 5 to S1, 12 to S2), so with E2SFCA
//
//	A_F = R_S1·W(5) + R_S2·W(12),  Access_C = (30·0 + 10·A_F) / 40
//	part_couverte_C = 10/40 = 0.25, temps = (30·35 + 10·5)/40 = 27.5 ≤ 30
//
// A and B hold one unit each at their points (share 1). The roll-up
// covers 1000 + 2000 + 0.25·500 = 3125 inhabitants, and C's score_ecart
// is GapShare with share 0.25.
func TestDemandApplyHand(t *testing.T) {
	ds, tt := handDataset()
	b, err := NewBaseline(context.Background(), ds, Params{Timer: tt})
	if err != nil {
		t.Fatal(err)
	}
	amed := b.MedianAccess()
	layer := &data.DemandLayer{File: "d.csv", Format: data.DemandPoints, Units: []data.DemandUnit{
		{ID: "a", Line: 2, Point: ptA, Pop: 100}, {ID: "b", Line: 3, Point: ptB, Pop: 50},
		{ID: "c", Line: 4, Point: ptC, Pop: 30}, {ID: "f", Line: 5, Point: ptF, Pop: 10},
	}}
	s, err := b.Demand(context.Background(), layer)
	if err != nil {
		t.Fatal(err)
	}
	r1, r2 := b.Result.Sites[0].R, b.Result.Sites[1].R
	aF := r1*Kernel(5, 30) + r2*Kernel(12, 30)
	c := s.Communes[2]
	if len(s.Communes) != 3 || c.Units != 2 || c.Pop != 40 || c.Share != 0.25 || c.MeanMin != 27.5 || math.Abs(c.Access-10*aF/40) > 1e-18 {
		t.Fatalf("commune C %+v (A_F %v)", c, aF)
	}
	b.ApplyDemand(s)
	rc := b.Result.Communes[2]
	if rc.Share != 0.25 || rc.NearestMin != 27.5 || !rc.Covered || rc.DemandUnits != 2 || math.Abs(rc.Access10k-1e4*10*aF/40) > 1e-12 ||
		rc.Gap != GapShare(500, rc.Fragility, 10*aF/40, 0.25, amed) {
		t.Errorf("C after ApplyDemand %+v", rc)
	}
	if f := b.Result.France; f.CoveredPop != 3125 || f.Coverage != 3125.0/3500 {
		t.Errorf("France covered %d (%v), want 3125", f.CoveredPop, f.Coverage)
	}
	// Conservation: every commune differs from its legal population by
	// more than 10 %: a total check and one per commune, A (100 for
	// 1000: partial layer), B, C.
	if n := len(s.Checks); n != 4 || s.Checks[0].Commune != "" || s.Checks[3].Commune != "01003" ||
		!strings.Contains(s.Checks[1].Err.Error(), "qu'une partie de la commune") {
		t.Errorf("checks %v", s.Checks)
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
