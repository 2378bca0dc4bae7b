package geo

import (
	"math"
	"testing"
)

// TestLambert93Constants checks the derived constants against the values
// IGN publishes for Lambert-93 (NTG_71 / "Projection Lambert 93"):
// n = 0.7256077650532670, C = 11,754,255.426096 m, Ys = 12,655,612.049876 m.
func TestLambert93Constants(t *testing.T) {
	k := lambert93Constants()
	if math.Abs(k.n-0.7256077650532670) > 1e-12 {
		t.Errorf("n = %.16f, want 0.7256077650532670", k.n)
	}
	if math.Abs(k.c-11754255.426096) > 1e-3 {
		t.Errorf("C = %.6f, want 11754255.426096", k.c)
	}
	if math.Abs(k.ys-12655612.049876) > 1e-3 {
		t.Errorf("Ys = %.6f, want 12655612.049876", k.ys)
	}
	// e² = f(2 − f) with f = 1/298.257222101: e = 0.0818191910428158.
	if math.Abs(k.e-0.0818191910428158) > 1e-15 {
		t.Errorf("e = %.16f", k.e)
	}
}

// TestProjections checks the forward formulas on known points.
//
// Hand values: the origin (3° E, 46.5° N) is (700,000, 6,600,000) by
// definition, and every point of the central meridian has x = 700,000;
// on the central meridian of a UTM zone x = 500,000.
//
// The other values come from PROJ 9.1.1 (Debian proj-bin), e.g.
//
//	echo 48.846194 2.345972 | cs2cs -f %.4f EPSG:4171 EPSG:2154
//
// (RGF93 geographic to Lambert-93, no datum shift), and EPSG:4326 to
// EPSG:32620/32622/32740/32738/32621 for the UTM zones.
func TestProjections(t *testing.T) {
	tests := []struct {
		name     string
		p        Projection
		lon, lat float64
		x, y     float64
	}{
		{"L93 origin", Lambert93, 3, 46.5, 700000, 6600000},
		{"L93 Panthéon, Paris", Lambert93, 2.345972, 48.846194, 652002.4828, 6860881.9761},
		{"L93 Guéret", Lambert93, 1.8717, 46.1714, 612952.4776, 6564129.8727},
		{"L93 Brest", Lambert93, -4.4861, 48.3904, 146632.9785, 6836262.3267},
		{"L93 Nice", Lambert93, 7.262, 43.7102, 1043410.1597, 6299400.0430},
		{"L93 Ajaccio", Lambert93, 8.7369, 41.9192, 1176526.6023, 6108263.0226},
		{"L93 Dunkerque area", Lambert93, 2.5, 51, 664824.3620, 7100575.9541},
		{"UTM 20N Pointe-à-Pitre", UTM(20, false), -61.5331, 16.2411, 656770.8974, 1796166.1759},
		{"UTM 20N Fort-de-France", UTM(20, false), -61.0588, 14.6161, 709096.3158, 1616759.7332},
		{"UTM 22N Cayenne", UTM(22, false), -52.3261, 4.9372, 352969.1152, 545868.9446},
		{"UTM 40S Saint-Denis", UTM(40, true), 55.4481, -20.8823, 338571.9495, 7690099.0508},
		{"UTM 38S Mamoudzou", UTM(38, true), 45.2279, -12.7806, 524735.3747, 8587115.8115},
		{"UTM 21N Saint-Pierre", UTM(21, false), -56.1764, 46.7811, 562869.8033, 5181168.3165},
	}
	for _, tt := range tests {
		x, y := tt.p.Forward(tt.lon, tt.lat)
		// 1 mm: PROJ's own tolerance; GRS80 vs WGS84 is 0.1 mm at most here.
		if math.Abs(x-tt.x) > 1e-3 || math.Abs(y-tt.y) > 1e-3 {
			t.Errorf("%s: (%.4f, %.4f), want (%.4f, %.4f)", tt.name, x, y, tt.x, tt.y)
		}
	}
	for _, lat := range []float64{41.5, 44, 49, 51} {
		if x, _ := Lambert93.Forward(3, lat); math.Abs(x-700000) > 1e-6 {
			t.Errorf("L93 x at (3, %v) = %v, want 700000", lat, x)
		}
	}
	if x, y := UTM(31, false).Forward(3, 0); math.Abs(x-500000) > 1e-6 || math.Abs(y) > 1e-6 {
		t.Errorf("UTM 31N (3, 0) = (%v, %v), want (500000, 0)", x, y)
	}
}

// TestUTMZone checks the zone formula at the centres of the overseas
// départements against their official projections.
func TestUTMZone(t *testing.T) {
	for _, tt := range []struct {
		lon  float64
		zone int
	}{{-61.5, 20}, {-61.0, 20}, {-53.0, 22}, {55.5, 40}, {45.1, 38}, {-56.3, 21}, {-180, 1}, {180, 60}, {3, 31}} {
		if z := UTMZone(tt.lon); z != tt.zone {
			t.Errorf("UTMZone(%v) = %d, want %d", tt.lon, z, tt.zone)
		}
	}
}

// TestGridded: over metropolitan France at 0.1° (the national map's
// grid), Lambert-93 interpolated stays within 2 m of the exact
// projection at 20,000 pseudo-random points; La Réunion in UTM 40S
// likewise; outside the grid, and on its last row and column, the
// projection is exact or interpolated without error at the nodes.
func TestGridded(t *testing.T) {
	for _, tt := range []struct {
		name                   string
		p                      Projection
		lon0, lat0, lon1, lat1 float64
	}{
		{"Lambert-93", Lambert93, -5.2, 41.3, 9.6, 51.1},
		{"UTM 40S", UTM(40, true), 55.2, -21.4, 55.9, -20.8},
	} {
		g := tt.p.Gridded(tt.lon0, tt.lat0, tt.lon1, tt.lat1, 0.1)
		if g.Name != tt.p.Name {
			t.Errorf("%s: name %q", tt.name, g.Name)
		}
		worst := 0.0
		seed := uint64(1)
		for range 20000 {
			seed = seed*6364136223846793005 + 1442695040888963407
			fu := float64(seed>>11) / (1 << 53)
			seed = seed*6364136223846793005 + 1442695040888963407
			fv := float64(seed>>11) / (1 << 53)
			lon, lat := tt.lon0+fu*(tt.lon1-tt.lon0), tt.lat0+fv*(tt.lat1-tt.lat0)
			x0, y0 := tt.p.Forward(lon, lat)
			x1, y1 := g.Forward(lon, lat)
			worst = max(worst, math.Hypot(x1-x0, y1-y0))
		}
		t.Logf("%s: worst %.3f m", tt.name, worst)
		if worst > 2 {
			t.Errorf("%s: interpolation off by %.3f m, want ≤ 2 m", tt.name, worst)
		}
		for _, q := range [][2]float64{{tt.lon0 - 1, tt.lat0}, {tt.lon1, tt.lat1 + 0.5}, {tt.lon0, tt.lat0}, {tt.lon0 + 0.3, tt.lat0 + 0.2}} {
			x0, y0 := tt.p.Forward(q[0], q[1])
			x1, y1 := g.Forward(q[0], q[1])
			if d := math.Hypot(x1-x0, y1-y0); d > 1e-6 {
				t.Errorf("%s at %v (outside or a node): %.9f m from exact", tt.name, q, d)
			}
		}
	}
	if g := Lambert93.Gridded(0, 0, 0, 0, 0.1); g.Forward == nil {
		t.Error("empty grid: want the exact projection")
	}
}
