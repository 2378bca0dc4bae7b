package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// RepresentativePoint returns the area centroid of mp, or a point on its
// surface when the centroid falls outside.
//
// The centroid is taken in the lon/lat plane (at commune scale it differs
// from the spherical one by metres). Each ring contributes its shoelace
// area and first moments,
//
//	2A = Σ (x_i y_{i+1} − x_{i+1} y_i)
//	Cx = Σ (x_i + x_{i+1})(x_i y_{i+1} − x_{i+1} y_i) / (6A), same for Cy,
//
// oriented so that outer rings count positively and holes negatively,
// whatever their winding in the file (producers disagree on it). The
// centroid of mp is the area-weighted mean over all rings.
//
// When that point is not in mp (a C-shaped commune, or islands), the
// result is on the surface of the largest polygon: the horizontal line
// through the middle of its bounds is cut by its rings, and the midpoint
// of the widest inside segment (the westmost on ties) is returned.
// A degenerate mp (no area) gives the centre of its bounds, and an empty
// one gives orb.Point{}.
func RepresentativePoint(mp orb.MultiPolygon) orb.Point {
	o, ok := firstVertex(mp)
	if !ok {
		return orb.Point{}
	}
	var a2, mx, my float64
	largest, largestA2 := -1, 0.0
	for i, poly := range mp {
		pa2, px, py := polygonMoments(poly, o)
		a2, mx, my = a2+pa2, mx+px, my+py
		if pa2 > largestA2 {
			largest, largestA2 = i, pa2
		}
	}
	if !(a2 > 0) || largest < 0 {
		return mp.Bound().Center()
	}
	c := orb.Point{o[0] + mx/(3*a2), o[1] + my/(3*a2)}
	if multiPolygonContains(mp, c) {
		return c
	}
	if s, ok := surfacePoint(mp[largest]); ok {
		return s
	}
	return c
}

// firstVertex returns the first vertex of mp, the origin of the moments
// (working relative to it avoids cancellation in the cross products).
func firstVertex(mp orb.MultiPolygon) (orb.Point, bool) {
	for _, poly := range mp {
		for _, r := range poly {
			if len(r) > 0 {
				return r[0], true
			}
		}
	}
	return orb.Point{}, false
}

// polygonMoments returns twice the area of poly (holes subtracted) and
// its first moments times 6, relative to o.
func polygonMoments(poly orb.Polygon, o orb.Point) (a2, mx, my float64) {
	for k, r := range poly {
		ra2, rx, ry := ringMoments(r, o)
		if (ra2 < 0) != (k > 0) { // outer rings positive, holes negative
			ra2, rx, ry = -ra2, -rx, -ry
		}
		a2, mx, my = a2+ra2, mx+rx, my+ry
	}
	return a2, mx, my
}

// ringMoments returns the signed shoelace sums 2A, Σ(x_i+x_j)c, Σ(y_i+y_j)c
// of r relative to o (open or closed rings alike).
func ringMoments(r orb.Ring, o orb.Point) (a2, mx, my float64) {
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		xj, yj := r[j][0]-o[0], r[j][1]-o[1]
		xi, yi := r[i][0]-o[0], r[i][1]-o[1]
		c := xj*yi - xi*yj
		a2 += c
		mx += (xj + xi) * c
		my += (yj + yi) * c
	}
	return a2, mx, my
}

// multiPolygonContains reports whether p is in the closed multipolygon.
func multiPolygonContains(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if pt, ok := newPart(0, poly); ok && pt.contains(p) {
			return true
		}
	}
	return false
}

// surfacePoint returns the midpoint of the widest inside segment of the
// horizontal line through the middle of poly's bounds.
func surfacePoint(poly orb.Polygon) (orb.Point, bool) {
	if len(poly) == 0 {
		return orb.Point{}, false
	}
	b := poly[0].Bound()
	y := (b.Min[1] + b.Max[1]) / 2
	var xs []float64
	for _, r := range poly {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, c := r[j], r[i]
			if (a[1] > y) != (c[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	best, width := -1, 0.0
	for k := 0; k+1 < len(xs); k += 2 {
		if w := xs[k+1] - xs[k]; w > width {
			best, width = k, w
		}
	}
	if best < 0 {
		return orb.Point{}, false
	}
	return orb.Point{(xs[best] + xs[best+1]) / 2, y}, true
}
