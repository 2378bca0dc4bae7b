package source

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// ringEdge is edge k of a ring, from ring[k] to ring[k+1], with its x range.
type ringEdge struct {
	k          int
	minX, maxX float64
}

// ringCrossing looks for two edges of the closed ring that are not
// neighbours and that cross (each one passes through the inside of the
// other) or overlap along a stretch of positive length, and returns the
// first such pair (i < j) and a point where they meet. Edges that only
// touch at a vertex are accepted, as in the real commune files (a ring
// pinched at one vertex).
//
// It sweeps the edges by increasing x and tests only edges whose x and
// y ranges overlap: O(n log n) for the rings of real boundaries, whose
// edges are short, O(n²) at worst.
func ringCrossing(ring orb.Ring) (i, j int, at orb.Point, found bool) {
	n := len(ring) - 1 // number of edges
	if n < 4 {
		return 0, 0, orb.Point{}, false
	}
	edges := make([]ringEdge, n)
	for k := range edges {
		a, b := ring[k], ring[k+1]
		edges[k] = ringEdge{k, math.Min(a[0], b[0]), math.Max(a[0], b[0])}
	}
	slices.SortFunc(edges, func(a, b ringEdge) int { return cmp.Or(cmp.Compare(a.minX, b.minX), cmp.Compare(a.k, b.k)) })
	active := make([]ringEdge, 0, 16)
	for _, e := range edges {
		kept := active[:0]
		for _, a := range active {
			if a.maxX >= e.minX {
				kept = append(kept, a)
			}
		}
		active = kept
		for _, a := range active {
			if ringAdjacent(a.k, e.k, n) {
				continue
			}
			if p, ok := segmentsCross(ring[a.k], ring[a.k+1], ring[e.k], ring[e.k+1]); ok {
				return min(a.k, e.k), max(a.k, e.k), p, true
			}
		}
		active = append(active, e)
	}
	return 0, 0, orb.Point{}, false
}

// ringAdjacent reports whether edges a and b of a ring of n edges share a
// vertex by construction (consecutive, or the last and the first).
func ringAdjacent(a, b, n int) bool {
	d := a - b
	return d == 1 || d == -1 || d == n-1 || d == 1-n
}

// orient returns the sign of the cross product (b − a) × (c − a): +1 when
// a, b, c turn counter-clockwise, −1 clockwise, 0 when collinear.
func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// segmentsCross reports whether segments pq and rs cross properly (at a
// point inside both) or are collinear and overlap on a positive length,
// and returns a point they share.
func segmentsCross(p, q, r, s orb.Point) (orb.Point, bool) {
	if math.Max(p[1], q[1]) < math.Min(r[1], s[1]) || math.Max(r[1], s[1]) < math.Min(p[1], q[1]) {
		return orb.Point{}, false
	}
	d1, d2 := orient(p, q, r), orient(p, q, s)
	d3, d4 := orient(r, s, p), orient(r, s, q)
	if d1*d2 < 0 && d3*d4 < 0 {
		// t solves p + t(q − p) on the line rs.
		den := (q[0]-p[0])*(s[1]-r[1]) - (q[1]-p[1])*(s[0]-r[0])
		t := ((r[0]-p[0])*(s[1]-r[1]) - (r[1]-p[1])*(s[0]-r[0])) / den
		return orb.Point{p[0] + t*(q[0]-p[0]), p[1] + t*(q[1]-p[1])}, true
	}
	if d1 != 0 || d2 != 0 || d3 != 0 || d4 != 0 || p == q || r == s {
		return orb.Point{}, false
	}
	// Collinear: compare the projections on the longer axis.
	axis := 0
	if math.Abs(q[0]-p[0]) < math.Abs(q[1]-p[1]) {
		axis = 1
	}
	lo := math.Max(math.Min(p[axis], q[axis]), math.Min(r[axis], s[axis]))
	hi := math.Min(math.Max(p[axis], q[axis]), math.Max(r[axis], s[axis]))
	if hi <= lo {
		return orb.Point{}, false
	}
	for _, c := range []orb.Point{r, s, p} {
		if c[axis] >= lo && c[axis] <= hi {
			return c, true
		}
	}
	return q, true
}
