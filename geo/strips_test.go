package geo

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// stripWithin is StripIndex.AppendWithin sorted by index.
func stripWithin(ix *StripIndex, p orb.Point, km float64) []Neighbor {
	return byIndex(ix.AppendWithin(nil, p, km))
}

// TestStripIndexAgainstBruteForce: the strips report the points and
// distances of the brute-force scan with HaversineKm (hence of
// PointIndex.AppendWithin), on the territories' points with duplicates,
// for strip heights from far below to far above the radii, radii on a
// point's exact distance included, across the antimeridian and near the
// poles.
func TestStripIndexAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 2026))
	pts := randomPoints(rng, 3000)
	// Points near the poles and on both sides of the antimeridian, and
	// unusable ones, which are never reported.
	pts = append(pts, orb.Point{179.99, -16.5}, orb.Point{-179.99, -16.5}, orb.Point{180, -16.4},
		orb.Point{-180, -16.6}, orb.Point{10, 89.99}, orb.Point{-170, 89.95}, orb.Point{0, -89.99},
		orb.Point{math.NaN(), 45}, orb.Point{2, math.Inf(1)})
	queries := 200
	if testing.Short() {
		queries = 60
	}
	for _, height := range []float64{1e-6, 0.01, 0.1, 1, 50} {
		ix := NewStripIndex(pts, height)
		if ix.Len() != len(pts) {
			t.Fatalf("Len %d, want %d", ix.Len(), len(pts))
		}
		total := 0
		for q := range queries {
			p := randomPoint(rng)
			switch q % 5 {
			case 0:
				p = pts[rng.IntN(len(pts)-2)] // on an indexed point
			case 1:
				p = orb.Point{180 - rng.Float64()*0.05, -16.5} // by the antimeridian
			case 2:
				p = orb.Point{rng.Float64()*360 - 180, 89.9} // by the pole
			}
			km := rng.Float64() * 100
			if q%17 == 0 {
				km = 3000 + rng.Float64()*20000 // continents, up to the whole sphere
			}
			want := bruteWithin(pts, p, km)
			if got := stripWithin(ix, p, km); !slices.Equal(got, want) {
				t.Fatalf("height %v: AppendWithin(%v, %v): %d points, want %d", height, p, km, len(got), len(want))
			}
			total += len(want)
			if len(want) > 0 { // the radius is a point's exact distance
				edge := want[rng.IntN(len(want))].Km
				if got, w := stripWithin(ix, p, edge), bruteWithin(pts, p, edge); !slices.Equal(got, w) {
					t.Fatalf("height %v: AppendWithin(%v, %v) on a point's distance: %d points, want %d", height, p, edge, len(got), len(w))
				}
			}
		}
		if total < 10*queries {
			t.Fatalf("height %v: weak test data, %d results", height, total)
		}
	}
}

// TestStripIndexDegenerate: no point, no usable point, one point, a
// negative or NaN radius, a query that is not finite, a height that is
// not a positive number.
func TestStripIndexDegenerate(t *testing.T) {
	p := orb.Point{2.35, 48.85}
	for _, pts := range [][]orb.Point{nil, {{math.NaN(), 1}}} {
		if got := NewStripIndex(pts, 0.1).AppendWithin(nil, p, 1e9); len(got) != 0 {
			t.Errorf("%v: %v", pts, got)
		}
	}
	for _, h := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		ix := NewStripIndex([]orb.Point{p}, h)
		if got := ix.AppendWithin(nil, p, 0); len(got) != 1 || got[0] != (Neighbor{0, 0}) {
			t.Errorf("height %v: %v, want the point at 0 km", h, got)
		}
		for _, km := range []float64{-1, math.NaN()} {
			if got := ix.AppendWithin(nil, p, km); len(got) != 0 {
				t.Errorf("height %v, radius %v: %v", h, km, got)
			}
		}
		if got := ix.AppendWithin(nil, orb.Point{math.NaN(), 0}, 10); len(got) != 0 {
			t.Errorf("height %v, NaN query: %v", h, got)
		}
	}
}

// TestStripIndexNearest: AppendNearest returns, with AppendWithin's
// distances bit for bit, every point at the smallest distance of the
// brute-force scan (skip left out) and only points within a relative
// 1e-6 of it, on the territories' points with duplicates (ties at 0 km
// and between copies), the query on an indexed point skipped or not.
func TestStripIndexNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	pts := randomPoints(rng, 2000)
	for k := range 200 { // copies: ties at the same distance
		pts = append(pts, pts[k*3])
	}
	ix := NewStripIndex(pts, 0.05)
	found := 0
	for q := range 400 {
		p, skip := randomPoint(rng), -1
		if q%2 == 0 {
			skip = rng.IntN(len(pts))
			p = pts[skip]
			if q%4 == 0 {
				skip = -1 // the point itself, at 0 km
			}
		}
		km := rng.Float64() * 200
		var want []Neighbor
		for _, n := range bruteWithin(pts, p, km) {
			if n.Index != skip {
				want = append(want, n)
			}
		}
		got := ix.AppendNearest(nil, p, km, skip)
		if len(want) == 0 {
			if len(got) != 0 {
				t.Fatalf("AppendNearest(%v, %v, %d): %v, want none", p, km, skip, got)
			}
			continue
		}
		found++
		dmin := want[0].Km
		for _, w := range want {
			dmin = min(dmin, w.Km)
		}
		for _, w := range want {
			if w.Km == dmin && !slices.Contains(got, w) {
				t.Fatalf("AppendNearest(%v, %v, %d) = %v: %v at the smallest distance is missing", p, km, skip, got, w)
			}
		}
		for _, g := range got {
			if !slices.Contains(want, g) || g.Km > dmin*(1+1e-6) {
				t.Fatalf("AppendNearest(%v, %v, %d): %v is not among the nearest (%v km)", p, km, skip, g, dmin)
			}
		}
	}
	if found < 100 {
		t.Fatalf("weak test data: %d queries found a point", found)
	}
}
