package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func TestHaversineKm(t *testing.T) {
	tests := []struct {
		name string
		a, b orb.Point
		want float64
	}{
		// Notre-Dame (2.3499, 48.8530) → Guéret (1.8717, 46.1700), by hand:
		// Δφ = −2.6830°, Δλ = −0.4782°,
		// h = sin²(Δφ/2) + cos 48.853° cos 46.17° sin²(Δλ/2)
		//   = 5.480961e-4 + 7.935343e-6 = 5.560315e-4,
		// d = 2 × 6371.0088 × asin(√h) = 2 × 6371.0088 × 0.02358251 = 300.4887 km
		// (the spherical law of cosines gives 300.4887 km too).
		{"notre-dame-gueret", orb.Point{2.3499, 48.8530}, orb.Point{1.8717, 46.1700}, 300.4887},
		// One degree of the equator: 2πR/360 = 111.1951 km.
		{"equator-1deg", orb.Point{0, 0}, orb.Point{1, 0}, 111.1951},
		// Equator to pole: πR/2 = 10007.5572 km.
		{"quarter-meridian", orb.Point{0, 0}, orb.Point{0, 90}, 10007.5572},
		// Antipodes: πR = 20015.1144 km.
		{"antipodes", orb.Point{0, 0}, orb.Point{180, 0}, 20015.1144},
		// Across the antimeridian (Wallis −176.2° to 179.9°, Δλ = 3.9°):
		// 2R asin(cos 13.28° sin 1.95°) = 422.0600 km.
		{"antimeridian", orb.Point{-176.2, -13.28}, orb.Point{179.9, -13.28}, 422.0600},
		{"same", orb.Point{55.45, -20.88}, orb.Point{55.45, -20.88}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HaversineKm(tt.a, tt.b)
			if math.Abs(got-tt.want) > 5e-5 {
				t.Errorf("HaversineKm(%v, %v) = %.6f, want %.4f", tt.a, tt.b, got, tt.want)
			}
			if back := HaversineKm(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
				t.Errorf("not symmetric: %v vs %v", got, back)
			}
		})
	}
}

// TestBoxMinKmIsLowerBound checks the bound used by Ascending against
// every point of a dense grid of each random box, and its tightness at
// the box's nearest grid point.
func TestBoxMinKmIsLowerBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 1000; n++ {
		p := randomPoint(rng)
		c := randomPoint(rng)
		w, h := rng.Float64()*3, rng.Float64()*3
		lo := [2]float64{c[0] - w, c[1] - h}
		hi := [2]float64{c[0] + w, c[1] + h}
		bound := boxMinKm(p, lo, hi)
		best := math.Inf(1)
		const steps = 24
		for i := 0; i <= steps; i++ {
			for j := 0; j <= steps; j++ {
				q := orb.Point{lo[0] + (hi[0]-lo[0])*float64(i)/steps, lo[1] + (hi[1]-lo[1])*float64(j)/steps}
				d := HaversineKm(p, q)
				if d < bound {
					t.Fatalf("p=%v box=%v..%v: bound %v > distance %v to %v", p, lo, hi, bound, d, q)
				}
				best = math.Min(best, d)
			}
		}
		// The grid misses the exact nearest point by at most half a cell
		// diagonal: the bound must be that close (it is exact).
		cell := HaversineKm(orb.Point{lo[0], lo[1]}, orb.Point{lo[0] + (hi[0]-lo[0])/steps, lo[1] + (hi[1]-lo[1])/steps})
		if best-bound > cell {
			t.Fatalf("p=%v box=%v..%v: bound %v too loose (grid min %v)", p, lo, hi, bound, best)
		}
	}
}

// TestCapBoxesContainCap checks that every point within km of p lies in
// one of the boxes, including near the antimeridian and the poles.
func TestCapBoxesContainCap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	centres := []orb.Point{{-179.5, -14}, {179.8, 10}, {2, 89.5}, {0, 0}, {55.5, -21}}
	checked := 0
	for n := 0; n < 3000; n++ {
		p := centres[n%len(centres)]
		if n >= 1000 {
			p = randomPoint(rng)
		}
		km := rng.Float64() * 300
		bs, nb := capBoxes(p, km)
		boxes := bs[:nb]
		dlat := km / 111 * 1.2
		dlon := math.Min(360, dlat/math.Max(0.01, math.Cos(p[1]*rad)))
		for m := 0; m < 50; m++ {
			q := orb.Point{p[0] + (rng.Float64()*2-1)*dlon, p[1] + (rng.Float64()*2-1)*dlat}
			q[0] = math.Mod(q[0]+540, 360) - 180
			q[1] = math.Max(-90, math.Min(90, q[1]))
			if HaversineKm(p, q) > km {
				continue
			}
			checked++
			in := false
			for _, b := range boxes {
				in = in || q[0] >= b[0][0] && q[0] <= b[1][0] && q[1] >= b[0][1] && q[1] <= b[1][1]
			}
			if !in {
				t.Fatalf("p=%v km=%v: %v (%.3f km) outside boxes %v", p, km, q, HaversineKm(p, q), boxes)
			}
		}
	}
	if checked < 50000 {
		t.Fatalf("only %d points fell in a cap", checked)
	}
}

// TestHaversineCosBitForBit: the form with the cosines given (sines
// computed once) gives the textbook expression's result bit for bit, so
// the figures of earlier versions do not move.
func TestHaversineCosBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	textbook := func(a, b orb.Point) float64 {
		la1, la2 := a[1]*rad, b[1]*rad
		dla := la2 - la1
		dlo := (b[0] - a[0]) * rad
		h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
		return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
	}
	for range 100000 {
		a := orb.Point{rng.Float64()*360 - 180, rng.Float64()*180 - 90}
		b := orb.Point{a[0] + rng.NormFloat64(), a[1] + rng.NormFloat64()}
		if got, want := HaversineKm(a, b), textbook(a, b); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("HaversineKm(%v, %v) = %v, textbook %v", a, b, got, want)
		}
	}
}
