package geo

import (
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func TestRepresentativePoint(t *testing.T) {
	cw := func(r orb.Ring) orb.Ring { r = slices.Clone(r); slices.Reverse(r); return r }
	outer, hole := square(0, 0, 4, 4), square(0.5, 0.5, 1.5, 1.5)
	// C shape opening east: the 4×4 square minus [1, 4] × [1, 3].
	c := orb.Ring{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 3}, {4, 3}, {4, 4}, {0, 4}, {0, 0}}
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		want orb.Point
	}{
		// (16 × (2, 2) − 1 × (1, 1)) / 15 = (31/15, 31/15), whatever the windings.
		{"hole-ccw-cw", orb.MultiPolygon{{outer, cw(hole)}}, orb.Point{31.0 / 15, 31.0 / 15}},
		{"hole-ccw-ccw", orb.MultiPolygon{{outer, hole}}, orb.Point{31.0 / 15, 31.0 / 15}},
		{"hole-cw-cw", orb.MultiPolygon{{cw(outer), cw(hole)}}, orb.Point{31.0 / 15, 31.0 / 15}},
		{"hole-cw-ccw", orb.MultiPolygon{{cw(outer), hole}}, orb.Point{31.0 / 15, 31.0 / 15}},
		// Centroid (16 × (2, 2) − 6 × (2.5, 2)) / 10 = (1.7, 2) is in the
		// notch; the line y = 2 cuts the C on [0, 1]: midpoint (0.5, 2).
		{"c-shape", orb.MultiPolygon{{c}}, orb.Point{0.5, 2}},
		{"c-shape-cw", orb.MultiPolygon{{cw(c)}}, orb.Point{0.5, 2}},
		// Two parts, areas 1 and 4: centroid ((0.5 + 4 × 4)/5, (0.5 + 4 × 1)/5)
		// = (3.3, 0.9), inside the larger part.
		{"two-parts-inside", orb.MultiPolygon{{square(0, 0, 1, 1)}, {square(3, 0, 5, 2)}}, orb.Point{3.3, 0.9}},
		// Areas 1 and 2: centroid ((0.5 + 2 × 2.5)/3, (0.5 + 2 × 1)/3) =
		// (1.833, 0.833) in the gap; the surface point is that of the
		// larger part [2, 3] × [0, 2]: line y = 1, midpoint (2.5, 1).
		{"two-parts-gap", orb.MultiPolygon{{square(0, 0, 1, 1)}, {square(2, 0, 3, 2)}}, orb.Point{2.5, 1}},
		// Real-scale coordinates: a 0.01° square near Guéret.
		{"small", orb.MultiPolygon{{square(1.86, 46.16, 1.87, 46.17)}}, orb.Point{1.865, 46.165}},
		{"empty", nil, orb.Point{}},
		// No area: the centre of the bounds.
		{"flat", orb.MultiPolygon{{{{0, 0}, {2, 0}, {0, 0}}}}, orb.Point{1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RepresentativePoint(tt.mp)
			if math.Abs(got[0]-tt.want[0]) > 1e-9 || math.Abs(got[1]-tt.want[1]) > 1e-9 {
				t.Errorf("RepresentativePoint = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRepresentativePointCreuse checks that each of the 258 Creuse
// communes' representative point is located in the commune itself.
func TestRepresentativePointCreuse(t *testing.T) {
	codes, polys := loadCommunes(t, "../testdata/real/communes-23-creuse.geojson")
	ix := NewPolygonIndex(polys)
	for i, mp := range polys {
		p := RepresentativePoint(mp)
		if j, ok := ix.Locate(p); !ok || j != i {
			t.Errorf("%s: representative point %v located in %d (%v)", codes[i], p, j, ok)
		}
	}
}
