package geo

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestLAEAEPSGExample: the worked example of EPSG Guidance Note 7-2 for
// ETRS89-LAEA: 50°N 5°E ↔ E = 3,962,799.45 m, N = 2,999,718.85 m.
func TestLAEAEPSGExample(t *testing.T) {
	e, n := LAEAForward(orb.Point{5, 50})
	if math.Abs(e-3962799.45) > 0.01 || math.Abs(n-2999718.85) > 0.01 {
		t.Errorf("forward(50°N 5°E) = %.3f, %.3f; want 3962799.45, 2999718.85", e, n)
	}
	p := LAEAInverse(3962799.45, 2999718.85)
	// 0.005 m ≈ 5e-8 degrees.
	if math.Abs(p[0]-5) > 1e-7 || math.Abs(p[1]-50) > 1e-7 {
		t.Errorf("inverse = %.10f, %.10f; want 5, 50", p[0], p[1])
	}
	if o := LAEAInverse(laeaFE, laeaFN); o != (orb.Point{10, 52}) {
		t.Errorf("inverse(origin) = %v", o)
	}
}

// TestLAEARoundTrip: inverse(forward(p)) = p within 1e-9 degrees (0.1 mm)
// over mainland France, Corsica and beyond.
func TestLAEARoundTrip(t *testing.T) {
	for lat := 41.0; lat <= 51.5; lat += 0.25 {
		for lon := -5.5; lon <= 10; lon += 0.25 {
			e, n := LAEAForward(orb.Point{lon, lat})
			p := LAEAInverse(e, n)
			if math.Abs(p[0]-lon) > 1e-9 || math.Abs(p[1]-lat) > 1e-9 {
				t.Fatalf("round trip of %v, %v: %v", lon, lat, p)
			}
		}
	}
}

// TestIdcar: INSEE's identifiers and the cells of the Creuse fixture.
// The fixture's block (X 3,660,800–3,737,600, Y 2,563,200–2,614,400) spans
// lon 1.4188–2.4752, lat 45.8415–46.3744 (PROVENANCE of
// filosofi-200m-creuse, computed independently): the south-west corner
// holds the least latitude, the north-west one the least longitude
// (meridians converge towards 10°E), the north-east one the greatest
// latitude, the south-east one the greatest longitude. Guéret town hall (46.1714 N, 1.8717 E) lies in the cell
// whose SW corner is the floor to 200 m of its projection.
func TestIdcar(t *testing.T) {
	c, err := ParseIdcar("CRS3035RES200mN2563200E3660800")
	if err != nil || c != (Idcar{North: 2563200, East: 3660800, Res: 200}) {
		t.Fatalf("ParseIdcar = %+v, %v", c, err)
	}
	for _, k := range []struct {
		e, n, want float64
		axis       int
	}{{3660800, 2563200, 45.8415, 1}, {3660800, 2614400, 1.4188, 0}, {3737600, 2614400, 46.3744, 1}, {3737600, 2563200, 2.4752, 0}} {
		if got := LAEAInverse(k.e, k.n)[k.axis]; math.Abs(got-k.want) > 5e-5 {
			t.Errorf("corner E%v N%v: %v, want ≈ %v", k.e, k.n, got, k.want)
		}
	}
	ctr := c.Center()
	if e, n := LAEAForward(ctr); math.Abs(e-(c.East+100)) > 1e-4 || math.Abs(n-(c.North+100)) > 1e-4 {
		t.Errorf("centre %v projects to %v, %v", ctr, e, n)
	}
	e, n := LAEAForward(orb.Point{1.8717, 46.1714})
	g := Idcar{North: math.Floor(n/200) * 200, East: math.Floor(e/200) * 200, Res: 200}
	if d := HaversineKm(g.Center(), orb.Point{1.8717, 46.1714}); d > 0.15 {
		t.Errorf("Guéret's cell centre is %v km away", d)
	}
	for _, s := range []string{"", "CRS3035RES200m", "CRS3035RES200mN2596200", "CRS3035RES0mN1E1", "CRS2154RES200mN1E1",
		"CRS3035RES200mN-1E2", "CRS3035RES200mNE2", "CRS3035RES200mN1E2x"} {
		if _, err := ParseIdcar(s); !errors.Is(err, ErrBadIdcar) {
			t.Errorf("ParseIdcar(%q) = %v, want ErrBadIdcar", s, err)
		}
	}
}
