package geo

import (
	"math"
	"testing"
)

// TestFitModelBruteForce: FitModel's ratio minimises Σ|t − r·km| (checked
// against a scan of candidate ratios), on a small hand-made set.
func TestFitModelBruteForce(t *testing.T) {
	obs := []KmTime{{10, 12}, {5, 9}, {20, 22}, {1, 4}, {30, 29}}
	m, ok := FitModel(obs, 1.3)
	if !ok {
		t.Fatal("no fit")
	}
	loss := func(r float64) float64 {
		s := 0.0
		for _, o := range obs {
			s += math.Abs(o.Minutes - r*o.Km)
		}
		return s
	}
	r := 1.3 / m.SpeedKmh * 60
	for x := 0.5; x < 3; x += 0.0001 {
		if loss(x) < loss(r)-1e-9 {
			t.Fatalf("ratio %v has loss %v < %v of the fit %v", x, loss(x), loss(r), r)
		}
	}
	// Ratios 1.2, 1.8, 1.1, 4, 0.967 with weights 10, 5, 20, 1, 30: the
	// weighted median (half of 66 = 33 reached at 0.967 + 1.1) is 1.1.
	if math.Abs(r-1.1) > 1e-12 {
		t.Errorf("ratio %v, want 1.1", r)
	}
}
