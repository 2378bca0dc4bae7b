package plan_test

import (
	"context"
	"math"
	"testing"

	"diagnum/diag"
	"diagnum/diag/plan"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// TestRunHand checks every figure of a two-post plan on handDataset
// against a hand computation.
func TestRunHand(t *testing.T) {
	b, err := diag.NewBaseline(context.Background(), handDataset(), diag.Params{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Run(context.Background(), b, plan.Options{Territory: diag.Departements("01"), Add: 2})
	if err != nil {
		t.Fatal(err)
	}
	// t(A, B) = haversine × 1.3 / 50 × 60; W = (exp(−½(t/30)²) − e^−½) / (1 − e^−½).
	tab := geo.HaversineKm(orb.Point{5.0, 46.0}, orb.Point{5.1, 46.0}) * 1.3 / 50 * 60
	w := (math.Exp(-0.5*(tab/30)*(tab/30)) - math.Exp(-0.5)) / (1 - math.Exp(-0.5))
	if math.Abs(tab-12.05) > 0.01 || math.Abs(w-0.803) > 0.001 {
		t.Fatalf("hand values: t = %v min, W = %v", tab, w)
	}
	r := 1 / (1000 + 500*w) // R of s1, which reaches A (W = 1) and B
	// E2SFCA shares out s1's 1 FTE: Σ P·A = 1; A* = (1 + 2 posts) / 3,500.
	target := 3.0 / 3500
	checks := []struct {
		name      string
		got, want float64
	}{
		{"population", float64(p.Population), 3500},
		{"covered", float64(p.CoveredPop), 1500},
		{"fragile population (weight 0.5)", p.FragilePop, 1750},
		{"covered fragile", p.CoveredFragile, 750},
		{"A*", p.TargetAccess, target},
		{"deficit = 3 − 1", p.Deficit, 2},
		{"median before (B)", p.MedianAccess10k, w * r * 1e4},
		{"pick 1 newly covered", float64(p.Picks[0].NewPop), 2000},
		{"pick 1 fragile", p.Picks[0].NewFragile, 1000},
		{"pick 1 coverage", p.Picks[0].Coverage, 1},
		{"pick 1 deficit gain: 2000 × 1/2000", p.Picks[0].DeficitGain, 1},
		{"pick 1 nearest site time", p.Picks[0].NearestMin, geo.HaversineKm(orb.Point{5.0, 46.5}, orb.Point{5.0, 46.0}) * 1.3 / 50 * 60},
		// C now at 1/2000 per inhabitant: the median (2nd of 3) is still B's.
		{"pick 1 Δ median", p.Picks[0].DeltaMedian10k, 0},
		{"pick 2 deficit gain: 2000 × (A* − 1/2000)", p.Picks[1].DeficitGain, 2000 * (target - 1.0/2000)},
		{"pick 2 newly covered", float64(p.Picks[1].NewPop), 0},
		{"cost", p.TotalCost(), 100000},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if p.Picks[1].Site.ID != "plan-01003-2" || p.Picks[1].Post != 2 || p.Picks[1].NearestID != "s1" {
		t.Errorf("pick 2: %+v", p.Picks[1])
	}
	// With 6 posts, A* = 7/3500 and the deficits add up to 7 − 1 = 6 FTE;
	// a post reduces them by at most its 1 FTE, so all six find a deficit.
	p, err = plan.Run(context.Background(), b, plan.Options{Territory: diag.Departements("01"), Add: 6})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Picks) != 6 {
		t.Errorf("%d posts placed, want 6: Σ deficits ≥ the posts added", len(p.Picks))
	}
}
