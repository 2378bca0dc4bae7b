package plan_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// TestRunDemandHand plans on a demand layer (--demande) by hand. On
// handDataset (A 1,000 inh. with site s1, B 500, C 2,000; no polygons),
// a layer of two points in C, u1 at C's point (300 inh.) and u2 at
// (5.0, 46.3) (700 inh., 22.2 km from C's point, 33.4 km from A's: placed
// in C), replaces C's point as its demand; A and B stay at commune level.
// Each unit counts P_C·P_u/Σ P_u of C's legal population: u1 600, u2 1,400.
// s1 is 52 min from u2 and 86.7 min from u1: neither is covered, so the
// coverage before is (1,000 + 500) / 3,500.
//
// Candidates: c at C's point, x at u2's point. t(c, u2) = 22.24 km × 1.3
// / 50 × 60 = 34.7 min > 30, so c covers u1 only (fragile gain 600·0.5 =
// 300) and x covers u2 only (1,400·0.5 = 700): x first, then c. Without
// the layer C is one point, which x does not reach, and c comes first.
// A* = Σ P·A / Σ P = 1 / 3,500 (s1's 1 FTE shared out over A and B);
// x has R = 1 / (700·W(0)) = 1/700 and lowers the deficit of u2 by
// 1,400·min(1/700, A*) = 0.4.
func TestRunDemandHand(t *testing.T) {
	ctx := context.Background()
	ds := handDataset()
	layer := &data.DemandLayer{File: "points.csv", Format: data.DemandPoints, Units: []data.DemandUnit{
		{ID: "u1", Line: 2, Point: orb.Point{5.0, 46.5}, Pop: 300},
		{ID: "u2", Line: 3, Point: orb.Point{5.0, 46.3}, Pop: 700},
	}}
	cands := []plan.Candidate{
		{ID: "c", Name: "C", Point: orb.Point{5.0, 46.5}, Commune: "01003"},
		{ID: "x", Name: "X", Point: orb.Point{5.0, 46.3}, Commune: "01003"},
	}
	if tm := geo.HaversineKm(orb.Point{5.0, 46.5}, orb.Point{5.0, 46.3}) * 1.3 / 50 * 60; math.Abs(tm-34.69) > 0.01 {
		t.Fatalf("hand value t(c, u2) = %v", tm)
	}
	run := func(l *data.DemandLayer) *plan.Plan {
		b := layerBaseline(t, ds, diag.Params{}, l)
		p, err := plan.Run(ctx, b, plan.Options{Territory: diag.Departements("01"), Add: 2, Candidates: cands})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := run(layer)
	checkFigures(t, []figure{
		{"population (legal)", float64(p.Population), 3500},
		{"covered before", float64(p.CoveredPop), 1500},
		{"fragile", p.FragilePop, 1750},
		{"A*", p.TargetAccess, 1.0 / 3500},
		{"deficit before: (600 + 1400) × A*", p.Deficit, 2000.0 / 3500},
		{"pick 1 newly covered (u2)", float64(p.Picks[0].NewPop), 1400},
		{"pick 1 fragile", p.Picks[0].NewFragile, 700},
		{"pick 1 coverage", p.Picks[0].Coverage, 2900.0 / 3500},
		{"pick 1 deficit gain", p.Picks[0].DeficitGain, 0.4},
		{"pick 2 newly covered (u1)", float64(p.Picks[1].NewPop), 600},
		{"pick 2 coverage", p.Picks[1].Coverage, 1},
	})
	if p.Picks[0].Site.ID != "x" || p.Picks[1].Site.ID != "c" {
		t.Errorf("picks %s, %s; want x, c", p.Picks[0].Site.ID, p.Picks[1].Site.ID)
	}
	if q := run(nil); q.Picks[0].Site.ID != "c" || q.Picks[0].NewPop != 2000 {
		t.Errorf("without the layer: first pick %s covering %d, want c covering 2000", q.Picks[0].Site.ID, q.Picks[0].NewPop)
	}

	// The diagnostic with the first pick added, measured on the layer,
	// has the coverage the plan announced (2,900 of 3,500: C's
	// part_couverte 0.7) and u2's access R_x = 1/700.
	ds2 := *ds
	ds2.Sites = append(slices.Clone(ds.Sites), p.Picks[0].Site)
	b2 := layerBaseline(t, &ds2, diag.Params{}, layer)
	if got := b2.Result.France.CoveredPop; got != 2900 {
		t.Errorf("diagnostic after pick 1: %d covered, want 2900", got)
	}
	if got := b2.Result.Communes[2].CoveredShare(); math.Abs(got-0.7) > 1e-12 {
		t.Errorf("part_couverte of C after pick 1: %v, want 0.7", got)
	}
	pts := b2.DemandPoints()
	if n := len(pts.Pop); n != 5 || math.Abs(pts.Access[4]-1.0/700) > 1e-15 || pts.Pop[2] != 0 {
		t.Errorf("demand points after pick 1: %d points, A(u2) = %v (want 1/700), C's own point %v inh. (want 0)", n, pts.Access[4], pts.Pop[2])
	}
}

// TestCoverDemandRounding: --couvrir 100 % on a layer whose units count
// 2,000/11 inhabitants each (eleven units of 1 inhabitant in C, six
// within 1.2 km of C's point, five within 1 km of (5.0, 46.3)) reaches
// 100 % with 2 posts (c and x) and says nothing is out of reach, though
// 1,500 + 11 × 181.81… is 3,499.9999999999995 in floating point: within
// Tolerance of the territory's 3,500 inhabitants.
func TestCoverDemandRounding(t *testing.T) {
	ctx := context.Background()
	layer := &data.DemandLayer{File: "points.csv", Format: data.DemandPoints}
	for k := range 11 {
		lat := 46.5 + 0.002*float64(k)
		if k >= 6 {
			lat = 46.3 + 0.002*float64(k-6)
		}
		layer.Units = append(layer.Units, data.DemandUnit{ID: fmt.Sprint("u", k), Line: k + 2, Point: orb.Point{5.0, lat}, Pop: 1})
	}
	b := layerBaseline(t, handDataset(), diag.Params{}, layer)
	p, err := plan.Run(ctx, b, plan.Options{Territory: diag.Departements("01"), Cover: 1, Candidates: []plan.Candidate{
		{ID: "c", Name: "C", Point: orb.Point{5.0, 46.5}, Commune: "01003"},
		{ID: "x", Name: "X", Point: orb.Point{5.0, 46.3}, Commune: "01003"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Cover == nil || p.Cover.Posts != 2 || p.Stop != "" || len(p.Picks) != 2 || math.Abs(p.Picks[1].Coverage-1) > 1e-12 {
		t.Errorf("cover: %+v, stop %q, %d picks", p.Cover, p.Stop, len(p.Picks))
	}
}

// layerBaseline builds the baseline of ds with p and, when layer is not
// nil, measures the layer on it (Baseline.Demand) and applies it
// (ApplyDemand), failing t on an error.
func layerBaseline(t *testing.T, ds *data.Dataset, p diag.Params, layer *data.DemandLayer) *diag.Baseline {
	t.Helper()
	ctx := context.Background()
	b, err := diag.NewBaseline(ctx, ds, p)
	if err != nil {
		t.Fatal(err)
	}
	if layer != nil {
		s, err := b.Demand(ctx, layer)
		if err != nil {
			t.Fatal(err)
		}
		b.ApplyDemand(s)
	}
	return b
}
