package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Neighbor is a result of a nearest or within-radius query.
type Neighbor struct {
	Index int     // index of the point in the slice given to NewPointIndex
	Km    float64 // great-circle distance from the query point
}

// PointIndex is a bulk-loaded R-tree (boxTree) over points (sites or
// commune points), in lon/lat degrees, answering great-circle queries exactly: results are
// those of a brute-force scan with HaversineKm, in the same order.
// Queries may run concurrently; the index is immutable.
type PointIndex struct {
	pts []orb.Point
	cos []float64 // cos φ of each point (haversineCos)
	tr  *boxTree
}

// NewPointIndex indexes pts; indexes in results refer to this slice.
// Points with a NaN or infinite coordinate are not indexed and never
// returned. Longitudes are expected in [−180, 180].
func NewPointIndex(pts []orb.Point) *PointIndex {
	ix := &PointIndex{pts: append([]orb.Point(nil), pts...), cos: make([]float64, len(pts))}
	bs, ids := make([]box, 0, len(pts)), make([]int, 0, len(pts))
	for i, p := range ix.pts {
		ix.cos[i] = math.Cos(p[1] * rad)
		if finite(p) {
			bs, ids = append(bs, box{p, p}), append(ids, i)
		}
	}
	ix.tr = newBoxTree(bs, ids)
	return ix
}

// Len returns the number of points given to NewPointIndex (the range of
// Neighbor.Index).
func (ix *PointIndex) Len() int { return len(ix.pts) }

// Within calls fn for every point at most km from p (great circle), in
// no particular order, until fn returns false. Nothing is reported when
// p is not finite or km is negative or NaN.
func (ix *PointIndex) Within(p orb.Point, km float64, fn func(Neighbor) bool) {
	if !finite(p) || !(km >= 0) {
		return
	}
	cp := math.Cos(p[1] * rad)
	for _, b := range capBoxes(p, km) {
		if !ix.tr.search(box{b[0], b[1]}, func(i int) bool {
			if d := haversineCos(p, ix.pts[i], cp, ix.cos[i]); d <= km {
				return fn(Neighbor{i, d})
			}
			return true
		}) {
			return
		}
	}
}

// Nearest returns the k points nearest to p, by increasing distance, ties
// broken by index. It returns nil when k <= 0 or p is not finite.
func (ix *PointIndex) Nearest(p orb.Point, k int) []Neighbor {
	if k <= 0 {
		return nil
	}
	out := make([]Neighbor, 0, min(k, len(ix.pts)))
	ix.Ascending(p, func(n Neighbor) bool {
		out = append(out, n)
		return len(out) < k
	})
	return out
}

// Ascending calls fn for points by increasing distance from p (ties by
// index) until fn returns false. Nothing is reported when p is not finite.
//
// The R-tree's best-first search pops entries by a key that is the exact
// distance for points and boxMinKm, a lower bound, for nodes: when a point
// at distance d is popped, every point nearer than d has already been
// popped, but points at exactly d may still be queued. Points are thus
// held back until a farther one (or the end) shows their group complete,
// and each group of equal distances is reported in index order.
func (ix *PointIndex) Ascending(p orb.Point, fn func(Neighbor) bool) {
	if !finite(p) {
		return
	}
	var group []Neighbor
	flush := func() bool {
		if len(group) > 1 {
			slices.SortFunc(group, func(a, b Neighbor) int { return a.Index - b.Index })
		}
		for _, n := range group {
			if !fn(n) {
				return false
			}
		}
		group = group[:0]
		return true
	}
	stopped := false
	cp := math.Cos(p[1] * rad)
	ix.tr.nearby(
		func(b *box) float64 { return boxMinKm(p, b.lo, b.hi) },
		func(i int) float64 { return haversineCos(p, ix.pts[i], cp, ix.cos[i]) },
		func(i int, d float64) bool {
			if len(group) > 0 && d != group[0].Km && !flush() {
				stopped = true
				return false
			}
			group = append(group, Neighbor{i, d})
			return true
		})
	if !stopped {
		flush()
	}
}
