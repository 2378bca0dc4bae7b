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
	// E2SFCA shares out s1's 1 FTE: Σ P·A = 1; A* = 1 / 3,500, the mean
	// before the plan (independent of the posts asked for).
	target := 1.0 / 3500
	// Capacity stage, C = 544 people per FTE per year, weights 0.5:
	// D = 500, 250, 1000 for A, B, C; K_A = C·1000·R, K_B = C·500·W·R,
	// K_C = 0; served(D, K) = D·(1 − exp(−K/D)).
	const capC = 544.0
	served := func(d, k float64) float64 { return d * (1 - math.Exp(-k/d)) }
	kA, kB := capC*1000*r, capC*500*w*r
	// A post at C reaches C only (86.7 min from A): R = 1/2000, ΔK_C = 544.
	pick1Served := served(1000, 544)
	// Second post: at C, 1000·(e^−0.544 − e^−1.088); at A (R = r, reaches
	// A and B); at B (R = 1/(1000·W + 500), reaches A with W and B).
	gC := served(1000, 1088) - served(1000, 544)
	gA := served(500, kA+capC*1000*r) - served(500, kA) + served(250, kB+capC*500*w*r) - served(250, kB)
	rB := 1 / (1000*w + 500)
	gB := served(500, kA+capC*1000*w*rB) - served(500, kA) + served(250, kB+capC*500*rB) - served(250, kB)
	if !(gC > gA && gC > gB) {
		t.Fatalf("hand gains: A %v, B %v, C %v; C should be best", gA, gB, gC)
	}
	checkFigures(t, []figure{
		{"population", float64(p.Population), 3500},
		{"covered", float64(p.CoveredPop), 1500},
		{"fragile population (weight 0.5)", p.FragilePop, 1750},
		{"covered fragile", p.CoveredFragile, 750},
		{"A*", p.TargetAccess, target},
		{"deficit = 2000 × A* (A and B above A*)", p.Deficit, 2000 * target},
		{"served before", p.Served, served(500, kA) + served(250, kB)},
		{"pick 1 served", p.Picks[0].NewServed, pick1Served},
		{"pick 2 served", p.Picks[1].NewServed, gC},
		{"capacity stage from pick 2", float64(p.CapacityFrom), 1},
		{"median before (B)", p.MedianAccess10k, w * r * 1e4},
		{"pick 1 newly covered", float64(p.Picks[0].NewPop), 2000},
		{"pick 1 fragile", p.Picks[0].NewFragile, 1000},
		{"pick 1 coverage", p.Picks[0].Coverage, 1},
		{"pick 1 deficit gain: 2000 × min(1/2000, A*)", p.Picks[0].DeficitGain, 2000 * target},
		{"pick 1 nearest site time", p.Picks[0].NearestMin, geo.HaversineKm(orb.Point{5.0, 46.5}, orb.Point{5.0, 46.0}) * 1.3 / 50 * 60},
		// C now at 1/2000 per inhabitant: the median (2nd of 3) is still B's.
		{"pick 1 Δ median", p.Picks[0].DeltaMedian10k, 0},
		{"pick 2 deficit gain: C above A*", p.Picks[1].DeficitGain, 0},
		{"pick 2 newly covered", float64(p.Picks[1].NewPop), 0},
		{"cost", p.TotalCost(), 100000},
	})
	if p.Picks[1].Site.ID != "plan-01003-2" || p.Picks[1].Post != 2 || p.Picks[1].NearestID != "s1" ||
		p.Picks[0].Stage != plan.StageCoverage || p.Picks[1].Stage != plan.StageCapacity {
		t.Errorf("pick 2: %+v", p.Picks[1])
	}
	// With 6 posts, the capacity stage places them all (the demand
	// within reach is never fully served), and the first two are the
	// plan of 2 (nested).
	p6, err := plan.Run(context.Background(), b, plan.Options{Territory: diag.Departements("01"), Add: 6})
	if err != nil {
		t.Fatal(err)
	}
	if len(p6.Picks) != 6 || p6.Stop != "" {
		t.Errorf("%d posts placed (%q), want 6", len(p6.Picks), p6.Stop)
	}
	for k := range p.Picks {
		if p6.Picks[k].Site != p.Picks[k].Site || p6.Picks[k].NewServed != p.Picks[k].NewServed {
			t.Errorf("pick %d differs between the plans of 2 and 6 posts", k+1)
		}
	}
}

// TestRunHand2SFCA: with 2SFCA (binary catchment, W = 1 up to 30 min)
// a post at A reaches A and B with weight 1, R = 1 / (1000 + 500), and
// serves, by hand (C = 544, weights 0.5, D_A = 500, D_B = 250, A_A = A_B
// = 1/1500 before: s1 shares 1 FTE over 1,500 inhabitants),
//
//	served(500, 2·544·1000/1500) − served(500, 544·1000/1500)
//	+ served(250, 2·544·500/1500) − served(250, 544·500/1500);
//
// the Gaussian kernel would give B the weight 0.803 and R = 1 / 1401.5.
func TestRunHand2SFCA(t *testing.T) {
	prm := diag.Params{Method: diag.Method2SFCA}
	b, err := diag.NewBaseline(context.Background(), handDataset(), prm)
	if err != nil {
		t.Fatal(err)
	}
	cands := []plan.Candidate{{ID: "a", Name: "A", Point: orb.Point{5.0, 46.0}, Commune: "01001"}}
	p, err := plan.Run(context.Background(), b, plan.Options{Territory: diag.Departements("01"), Add: 1, Candidates: cands})
	if err != nil {
		t.Fatal(err)
	}
	served := func(d, k float64) float64 { return d * (1 - math.Exp(-k/d)) }
	kA, kB := 544*1000.0/1500, 544*500.0/1500
	want := served(500, 2*kA) - served(500, kA) + served(250, 2*kB) - served(250, kB)
	if len(p.Picks) != 1 || math.Abs(p.Picks[0].NewServed-want) > 1e-9*want || p.Picks[0].Stage != plan.StageCapacity {
		t.Fatalf("picks %+v, want 1 capacity pick serving %v", p.Picks, want)
	}
	if got, w := p.Picks[0].MedianAccess10k, 2.0/1500*1e4; math.Abs(got-w) > 1e-9*w {
		t.Errorf("median access after the post %v, want %v (A and B at 2/1500)", got, w)
	}
}

// figure is one figure of a hand computation: its name, the value the
// planner gave and the value computed by hand.
type figure struct {
	name      string
	got, want float64
}

// checkFigures reports every figure whose value is not the hand one
// within 1e-9, relative (absolute below 1).
func checkFigures(t *testing.T, figs []figure) {
	t.Helper()
	for _, f := range figs {
		if math.Abs(f.got-f.want) > 1e-9*math.Max(1, math.Abs(f.want)) {
			t.Errorf("%s = %v, want %v", f.name, f.got, f.want)
		}
	}
}
