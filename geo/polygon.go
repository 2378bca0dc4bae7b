package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// PolygonIndex is an R-tree over the bounds of polygon parts (each
// polygon of each multipolygon), with every ring stored beside its bounds
// so that a query tests a ring's box before running the crossing test.
// Polygons are closed sets: a point on a border belongs to the polygon.
// Queries may run concurrently; the index is immutable.
type PolygonIndex struct {
	n     int
	parts []part
	tr    *boxTree // data: index into parts
}

// ring is a ring with its bounding box.
type ring struct {
	pts    orb.Ring
	lo, hi [2]float64
}

// part is one polygon of multipolygon mp: rings[0] is the outer ring, the
// others are holes.
type part struct {
	mp    int
	rings []ring
}

// NewPolygonIndex indexes polys (nil entries are skipped); indexes in
// results refer to this slice. Polygons whose outer ring has fewer than 3
// points or a non-finite coordinate are skipped, as are such holes.
func NewPolygonIndex(polys []orb.MultiPolygon) *PolygonIndex {
	ix := &PolygonIndex{n: len(polys)}
	var bs []box
	var ids []int
	for i, mp := range polys {
		for _, poly := range mp {
			pt, ok := newPart(i, poly)
			if !ok {
				continue
			}
			bs, ids = append(bs, box{pt.rings[0].lo, pt.rings[0].hi}), append(ids, len(ix.parts))
			ix.parts = append(ix.parts, pt)
		}
	}
	ix.tr = newBoxTree(bs, ids)
	return ix
}

// newPart precomputes the rings of poly with their bounds.
func newPart(mp int, poly orb.Polygon) (part, bool) {
	pt := part{mp: mp}
	for k, r := range poly {
		rg, ok := newRing(r)
		if !ok {
			if k == 0 {
				return part{}, false
			}
			continue
		}
		pt.rings = append(pt.rings, rg)
	}
	return pt, len(pt.rings) > 0
}

// newRing returns r with its bounds; false when r is degenerate.
func newRing(r orb.Ring) (ring, bool) {
	if len(r) < 3 {
		return ring{}, false
	}
	rg := ring{pts: r, lo: r[0], hi: r[0]}
	for _, q := range r {
		if !finite(q) {
			return ring{}, false
		}
		rg.lo = [2]float64{math.Min(rg.lo[0], q[0]), math.Min(rg.lo[1], q[1])}
		rg.hi = [2]float64{math.Max(rg.hi[0], q[0]), math.Max(rg.hi[1], q[1])}
	}
	return rg, true
}

// Len returns the number of multipolygons given to NewPolygonIndex.
func (ix *PolygonIndex) Len() int { return ix.n }

// Locate returns the lowest index of a polygon containing p (borders
// included), and false when none does.
func (ix *PolygonIndex) Locate(p orb.Point) (int, bool) {
	best := -1
	if !finite(p) {
		return best, false
	}
	ix.tr.search(box{p, p}, func(j int) bool {
		pt := &ix.parts[j]
		if (best < 0 || pt.mp < best) && pt.contains(p) {
			best = pt.mp
		}
		return true
	})
	return best, best >= 0
}

// AppendParts appends to dst the polygon parts whose bounds meet the box
// [lo, hi] (lon/lat), in no particular order, and returns the extended
// slice: the candidates of LocateIn for every point of the box, found by
// one search of the tree for a group of nearby points.
func (ix *PolygonIndex) AppendParts(dst []int32, lo, hi orb.Point) []int32 {
	ix.tr.search(box{lo, hi}, func(j int) bool {
		dst = append(dst, int32(j))
		return true
	})
	return dst
}

// LocateIn is Locate among the parts of parts (AppendParts): when they
// hold every part whose bounds contain p, the result is Locate(p)'s.
func (ix *PolygonIndex) LocateIn(p orb.Point, parts []int32) (int, bool) {
	best := -1
	if !finite(p) {
		return best, false
	}
	for _, j := range parts {
		pt := &ix.parts[j]
		if (best < 0 || pt.mp < best) && pt.contains(p) {
			best = pt.mp
		}
	}
	return best, best >= 0
}

// LocateNearest returns the polygon containing p as Locate does (with km
// 0) or else the polygon whose boundary is nearest to p, if at most maxKm
// away (ties by lowest index). It is the fallback for points falling in
// the slivers and gaps between simplified polygons, or just off a coast.
//
// The distance to an edge is HaversineKm from p to the edge's point
// closest to p in a local equirectangular projection centred on p (x
// scaled by cos φp), accurate to well under 0.1 % at these distances.
func (ix *PolygonIndex) LocateNearest(p orb.Point, maxKm float64) (int, float64, bool) {
	if i, ok := ix.Locate(p); ok {
		return i, 0, true
	}
	if !finite(p) || !(maxKm >= 0) {
		return -1, 0, false
	}
	best, bestKm := -1, math.Inf(1)
	bs, nb := capBoxes(p, maxKm)
	for _, b := range bs[:nb] {
		ix.tr.search(box{b[0], b[1]}, func(j int) bool {
			pt := &ix.parts[j]
			d := pt.boundaryKm(p, bestKm)
			if d <= maxKm && (d < bestKm || d == bestKm && pt.mp < best) {
				best, bestKm = pt.mp, d
			}
			return true
		})
	}
	if best < 0 {
		return -1, 0, false
	}
	return best, bestKm, true
}

// contains reports whether p is in the closed polygon.
func (pt *part) contains(p orb.Point) bool {
	in, on := pt.rings[0].locate(p)
	if on {
		return true
	}
	if !in {
		return false
	}
	for _, h := range pt.rings[1:] {
		in, on := h.locate(p)
		if on {
			return true
		}
		if in {
			return false
		}
	}
	return true
}

// boundaryKm returns the distance from p to the nearest ring of pt, or a
// value >= cut when every ring is farther than cut (rings whose box is
// farther are skipped).
func (pt *part) boundaryKm(p orb.Point, cut float64) float64 {
	best := math.Inf(1)
	for _, rg := range pt.rings {
		if boxMinKm(p, rg.lo, rg.hi) > math.Min(best, cut) {
			continue
		}
		cosLat := math.Cos(p[1] * rad)
		r := rg.pts
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			best = math.Min(best, segmentKm(p, r[j], r[i], cosLat))
		}
	}
	return best
}

// segmentKm is the distance from p to segment ab (see LocateNearest).
func segmentKm(p, a, b orb.Point, cosLat float64) float64 {
	ax, ay := (a[0]-p[0])*cosLat, a[1]-p[1]
	bx, by := (b[0]-p[0])*cosLat, b[1]-p[1]
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	return HaversineKm(p, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
}

// locate reports whether p is strictly inside the ring (even-odd crossing
// rule) or on its boundary. The ring's box is tested first.
func (rg *ring) locate(p orb.Point) (in, on bool) {
	if p[0] < rg.lo[0] || p[0] > rg.hi[0] || p[1] < rg.lo[1] || p[1] > rg.hi[1] {
		return false, false
	}
	r := rg.pts
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[j], r[i]
		cross := (a[1] > p[1]) != (b[1] > p[1])
		// An edge whose ends are both above p, or both below it, neither
		// holds p nor crosses its ray: onSegment is needed only when it
		// crosses or an end lies at p's latitude.
		if (cross || a[1] == p[1] || b[1] == p[1]) && onSegment(a, b, p) {
			return false, true
		}
		if cross && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in, false
}

// onSegment reports whether p lies on segment ab (exact cross product).
func onSegment(a, b, p orb.Point) bool {
	if p[0] < math.Min(a[0], b[0]) || p[0] > math.Max(a[0], b[0]) ||
		p[1] < math.Min(a[1], b[1]) || p[1] > math.Max(a[1], b[1]) {
		return false
	}
	return (b[0]-a[0])*(p[1]-a[1]) == (b[1]-a[1])*(p[0]-a[0])
}
