package main

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// PolygonToleranceDeg is the Douglas–Peucker tolerance applied to the
// commune polygons by make data, in degrees of longitude/latitude taken
// as planar: 0.0005° is 56 m north–south and 39 m east–west at 46° N,
// below the precision of a commune-level travel time (a few seconds), and
// brings the 35,357 communes of France to a few MB. The vertices kept are
// vertices of the source (on its 1e-5 degree grid), so the result is
// exactly reproducible; neighbouring communes are simplified separately,
// so slivers of at most about the tolerance may open along their borders
// (a point in none is placed in the nearest commune, see diag.Assign).
const PolygonToleranceDeg = 0.0005

// simplifyPolygons simplifies every ring of mp with the Douglas–Peucker
// algorithm at tolerance tol. A ring that would keep fewer than 4
// positions (a closed triangle) is kept as it was, so no commune loses a
// part.
func simplifyPolygons(mp orb.MultiPolygon, tol float64) orb.MultiPolygon {
	dp := simplify.DouglasPeucker(tol)
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := dp.Ring(append(orb.Ring(nil), ring...))
			if len(r) < 4 {
				r = ring
			}
			out[i][j] = r
		}
	}
	return out
}
