package source

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"diagnum/internal/testmust"
)

// ringCrossingNaive tests every pair of non-adjacent edges: the oracle of
// ringCrossing.
func ringCrossingNaive(ring orb.Ring) bool {
	n := len(ring) - 1
	if n < 4 {
		return false
	}
	for a := 0; a < n; a++ {
		for b := a + 2; b < n; b++ {
			if ringAdjacent(a, b, n) {
				continue
			}
			if _, ok := segmentsCross(ring[a], ring[a+1], ring[b], ring[b+1]); ok {
				return true
			}
		}
	}
	return false
}

func TestRingCrossing(t *testing.T) {
	tests := []struct {
		name  string
		ring  orb.Ring
		cross bool
		i, j  int
		at    orb.Point
	}{
		{"square", orb.Ring{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}, false, 0, 0, orb.Point{}},
		// Edges 0 (0,0)-(2,2) and 2 (2,0)-(0,2) cross at their middles, (1, 1).
		{"bow-tie", orb.Ring{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}, true, 0, 2, orb.Point{1, 1}},
		// Pinched at (2, 2): edges 1 and 4 only touch there; accepted.
		{"pinched", orb.Ring{{0, 0}, {4, 0}, {2, 2}, {4, 4}, {0, 4}, {2, 2}, {0, 0}}, false, 0, 0, orb.Point{}},
		// A spike that comes back over itself through a repeated point:
		// edges 1 (4,0)-(6,0) and 3 (6,0)-(4,0) overlap from x=4 to 6.
		{"spike", orb.Ring{{0, 0}, {4, 0}, {6, 0}, {6, 0}, {4, 0}, {4, 4}, {0, 0}}, true, 1, 3, orb.Point{6, 0}},
		// Collinear edges 0 (0,0)-(2,0) and 2 (3,0)-(5,0) do not overlap.
		{"collinear apart", orb.Ring{{0, 0}, {2, 0}, {2, 1}, {3, 0}, {5, 0}, {5, 5}, {0, 5}, {0, 0}}, false, 0, 0, orb.Point{}},
		{"triangle", orb.Ring{{0, 0}, {1, 0}, {0, 1}, {0, 0}}, false, 0, 0, orb.Point{}},
	}
	for _, tt := range tests {
		i, j, at, ok := ringCrossing(tt.ring)
		if ok != tt.cross || ok && (i != tt.i || j != tt.j || at != tt.at) {
			t.Errorf("%s: ringCrossing = %d, %d, %v, %v; want %d, %d, %v, %v", tt.name, i, j, at, ok, tt.i, tt.j, tt.at, tt.cross)
		}
		if naive := ringCrossingNaive(tt.ring); naive != tt.cross {
			t.Errorf("%s: naive = %v", tt.name, naive)
		}
	}
}

// TestRingCrossingRandom compares the sweep with the naive pair test on
// random rings of 4 to 40 points on a small integer grid, where
// crossings, shared vertices and collinear overlaps are all frequent.
func TestRingCrossingRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 9))
	crossing := 0
	for range 20000 {
		n := 3 + rng.IntN(38)
		ring := make(orb.Ring, n, n+1)
		for k := range ring {
			ring[k] = orb.Point{float64(rng.IntN(8)), float64(rng.IntN(8))}
		}
		ring = append(ring, ring[0])
		_, _, _, got := ringCrossing(ring)
		if want := ringCrossingNaive(ring); got != want {
			t.Fatalf("ring %v: sweep %v, naive %v", ring, got, want)
		}
		if got {
			crossing++
		}
	}
	if crossing < 1000 || crossing > 19000 {
		t.Errorf("%d crossing rings out of 20000: the test does not exercise both outcomes", crossing)
	}
}

// TestRingCrossingCreuse: no ring of the 258 real commune polygons of
// Creuse crosses itself (25,009 positions), by the sweep and the naive test.
func TestRingCrossingCreuse(t *testing.T) {
	polys := creusePolygons(t)
	rings, points := 0, 0
	for code, mp := range polys {
		for _, p := range mp {
			for _, r := range p {
				rings++
				points += len(r)
				if i, j, at, ok := ringCrossing(r); ok || ringCrossingNaive(r) {
					t.Errorf("%s: edges %d and %d cross at %v", code, i, j, at)
				}
			}
		}
	}
	// PROVENANCE.md: 259 polygons, 25,009 positions (one ring each).
	if rings != 259 || points != 25009 {
		t.Errorf("%d rings, %d points; want 259 and 25009", rings, points)
	}
}

// creusePolygons reads the communes of Creuse of testdata/real
// (france-geojson, COG 2018 codes: 258 features).
func creusePolygons(tb testing.TB) map[string]orb.MultiPolygon {
	tb.Helper()
	return testmust.Value(ReadPolygons("communes-23-creuse.geojson", realExtract(tb, "communes-23-creuse.geojson")))(tb)
}

// BenchmarkRingCrossing checks every ring of Creuse (25,009 positions).
func BenchmarkRingCrossing(b *testing.B) {
	var rings []orb.Ring
	for _, mp := range creusePolygons(b) {
		for _, p := range mp {
			rings = append(rings, p...)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rings {
			if _, _, _, ok := ringCrossing(r); ok {
				b.Fatal("crossing")
			}
		}
	}
}

// FuzzRingCrossing: on any ring of small integer points the sweep agrees
// with the naive pair test.
func FuzzRingCrossing(f *testing.F) {
	f.Add([]byte{0, 0, 2, 2, 2, 0, 0, 2})
	f.Add([]byte{0, 0, 4, 0, 6, 0, 6, 0, 4, 0, 4, 4})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 400 {
			b = b[:400]
		}
		var ring orb.Ring
		for k := 0; k+1 < len(b); k += 2 {
			ring = append(ring, orb.Point{float64(b[k] % 16), float64(b[k+1] % 16)})
		}
		if len(ring) < 3 {
			return
		}
		ring = append(ring, ring[0])
		if _, _, _, got := ringCrossing(ring); got != ringCrossingNaive(ring) {
			t.Fatalf("ring %v: sweep %v, naive %v", ring, got, !got)
		}
	})
}
