package plan_test

import (
	"context"
	"math"
	"testing"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"

	"github.com/paulmach/orb"
)

// TestRunDemandUnitFragility: the planner weighs each unit of an aged
// layer by its own fragility index (issue 14: the share aged 65+ enters
// the index at the unit's level), not by its commune's. On handDataset
// with --weights part_65_plus=1 (its only indicator) and the units u0 at
// A's point (1,000 inh., 200 aged 65+), u1 at C's point (300 inh., 270)
// and u2 at (5.0, 46.3) (700 inh., 70; placed in C, see TestRunDemandHand):
//
//	part_65_plus: A 0.2, C 340/1,000 = 0.34; mean 0.27, sample sd 0.07·√2
//	F_u1 = 100·Φ((0.9 − 0.27)/sd) ≈ 100,  F_u2 = 100·Φ((0.1 − 0.27)/sd) ≈ 4.3
//	F_C = (300·F_u1 + 700·F_u2) / 1,000 ≈ 33
//
// u1 counts 2,000·300/1,000 = 600 inhabitants of C, u2 1,400. Candidate c
// (C's point) covers u1 only, x (u2's point) u2 only (TestRunDemandHand).
// By the units' own indices c gains 600·F_u1/100 ≈ 600 against x's
// 1,400·F_u2/100 ≈ 60, and comes first; by C's index x would (1,400·F_C
// against 600·F_C).
func TestRunDemandUnitFragility(t *testing.T) {
	ctx := context.Background()
	phi := func(z float64) float64 { return 100 * 0.5 * math.Erfc(-z/math.Sqrt2) }
	sd := 0.07 * math.Sqrt2
	f1, f2 := phi((0.9-0.27)/sd), phi((0.1-0.27)/sd)
	layer := &data.DemandLayer{File: "points.csv", Format: data.DemandPoints, Units: []data.DemandUnit{
		{ID: "u0", Line: 2, Point: orb.Point{5.0, 46.0}, Pop: 1000, Pop65: 200, HasAges: true},
		{ID: "u1", Line: 3, Point: orb.Point{5.0, 46.5}, Pop: 300, Pop65: 270, HasAges: true},
		{ID: "u2", Line: 4, Point: orb.Point{5.0, 46.3}, Pop: 700, Pop65: 70, HasAges: true},
	}}
	cands := []plan.Candidate{
		{ID: "c", Name: "C", Point: orb.Point{5.0, 46.5}, Commune: "01003"},
		{ID: "x", Name: "X", Point: orb.Point{5.0, 46.3}, Commune: "01003"},
	}
	b := layerBaseline(t, handDataset(), diag.Params{Weights: map[string]float64{data.ColPart65Plus: 1}}, layer)
	if got, want := b.Result.Communes[2].Fragility, (300*f1+700*f2)/1000; math.Abs(got-want) > 1e-9 {
		t.Fatalf("indice_fragilite of C: %v, want %v", got, want)
	}
	p, err := plan.Run(ctx, b, plan.Options{Territory: diag.Departements("01"), Add: 2, Candidates: cands})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Picks) != 2 || p.Picks[0].Site.ID != "c" || p.Picks[1].Site.ID != "x" {
		t.Fatalf("picks %+v; want c, then x", p.Picks)
	}
	for x, want := range []float64{600 * f1 / 100, 1400 * f2 / 100} {
		if got := p.Picks[x].NewFragile; math.Abs(got-want) > 1e-9*want {
			t.Errorf("pick %d (%s): %v fragile inhabitants newly covered, want %v", x+1, p.Picks[x].Site.ID, got, want)
		}
	}
}
