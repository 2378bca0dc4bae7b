package diag

import (
	"context"
	"math"
	"testing"

	"diagnum/data"
)

// TestDemandFragilityHand: 3 aged units in 2 communes of handDataset, A
// (unit a: 100 inh., 20 aged 65+) and C (unit c: 30 inh., 15 aged; unit
// f: 10 inh., 1 aged); B has none. part_65_plus: A 20/100 = 0.2, C 16/40
// = 0.4; mean 0.3, sample sd √0.02. densite (2, 4, 6): mean 4, sd 2;
// ifn_score (2 communes of 3) stays out by the coverage rule.
//
// By default part_65_plus (2 communes of 3) is out too: the indices stay
// those of densite alone. With --weights part_65_plus=1, each unit uses
// its own share:
//
//	Z_a = (−1 + (0.2 − 0.3)/√0.02)/2, F_A = 100·Φ(Z_a)
//	Z_c = (1 + (0.5 − 0.3)/√0.02)/2, Z_f = (1 + (0.1 − 0.3)/√0.02)/2
//	F_C = (30·100·Φ(Z_c) + 10·100·Φ(Z_f)) / 40
//	F_B = 100·Φ(0) = 50 (densite only)
//
// and score_ecart follows F. The planner's demand points (DemandPoints)
// weigh each unit by its own index, 100·Φ(Z_a), 100·Φ(Z_c), 100·Φ(Z_f),
// and each commune point by its commune's; by default every point takes
// its commune's.
func TestDemandFragilityHand(t *testing.T) {
	phi := func(z float64) float64 { return 100 * 0.5 * math.Erfc(-z/math.Sqrt2) }
	sd := math.Sqrt(0.02)
	layer := &data.DemandLayer{File: "d.csv", Format: data.DemandPoints, Units: []data.DemandUnit{
		{ID: "a", Line: 2, Point: ptA, Pop: 100, Pop65: 20, HasAges: true},
		{ID: "c", Line: 3, Point: ptC, Pop: 30, Pop65: 15, HasAges: true},
		{ID: "f", Line: 4, Point: ptF, Pop: 10, Pop65: 1, HasAges: true},
	}}
	zc, zf := phi((1+(0.5-0.3)/sd)/2), phi((1+(0.1-0.3)/sd)/2)
	for _, tc := range []struct {
		weights    map[string]float64
		fa, fb, fc float64
		fu         [3]float64 // the units' own indices a, c, f
		used       bool
	}{
		{nil, phi(-1), phi(0), phi(1), [3]float64{phi(-1), phi(1), phi(1)}, false},
		{map[string]float64{"part_65_plus": 1}, phi((-1 + (0.2-0.3)/sd) / 2), phi(0),
			(30*zc + 10*zf) / 40, [3]float64{phi((-1 + (0.2-0.3)/sd) / 2), zc, zf}, true},
	} {
		ds, tt := handDataset()
		b, err := NewBaseline(context.Background(), ds, Params{Timer: tt, Weights: tc.weights})
		if err != nil {
			t.Fatal(err)
		}
		s, err := b.Demand(context.Background(), layer)
		if err != nil {
			t.Fatal(err)
		}
		if a, c := s.Communes[0], s.Communes[1]; len(s.Communes) != 2 || a.Part65 != 0.2 || c.Part65 != 0.4 {
			t.Fatalf("communes %+v", s.Communes)
		}
		var use IndicatorUse
		for _, u := range s.Indicators {
			if u.Name == data.ColPart65Plus {
				use = u
			}
		}
		if use.Communes != 2 || use.Total != 3 || (use.Status == Used) != tc.used {
			t.Errorf("weights %v: part_65_plus %+v", tc.weights, use)
		}
		b.ApplyDemand(s)
		amed := MedianAccess(s.Access, []int{1000, 2000, 500})
		for k, want := range []float64{tc.fa, tc.fb, tc.fc} {
			c := b.Result.Communes[k]
			if math.Abs(c.Fragility-want) > 1e-9 {
				t.Errorf("weights %v, commune %s: indice %v, want %v", tc.weights, c.Name, c.Fragility, want)
			}
			share := 0.0
			if c.Covered {
				share = 1
			}
			if c.DemandUnits > 0 {
				share = c.Share
			}
			if g := GapShare(c.Population, want, s.Access[k], share, amed); math.Abs(c.Gap-g) > 1e-9*max(1, g) {
				t.Errorf("weights %v, commune %s: score %v, want %v", tc.weights, c.Name, c.Gap, g)
			}
		}
		pts := b.DemandPoints()
		for x, want := range []float64{tc.fa, tc.fb, tc.fc, tc.fu[0], tc.fu[1], tc.fu[2]} {
			if len(pts.Fragility) != 6 || math.Abs(pts.Fragility[x]-want) > 1e-9 {
				t.Fatalf("weights %v: point %d of %d: indice %v, want %v", tc.weights, x, len(pts.Fragility), pts.Fragility[x], want)
			}
		}
		if warned := len(s.Checks) > 0 && s.Checks[len(s.Checks)-1].Err.Column == data.ColPart65Plus; warned != tc.used {
			t.Errorf("weights %v: partial-coverage warning %v, checks %v", tc.weights, warned, s.Checks)
		}
	}
}
