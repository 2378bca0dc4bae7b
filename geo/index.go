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
	// ncos: per entry of tr.boxes, the smallest cos φ over the box's
	// latitudes (boxMinHav)
	ncos []float64
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
	ix.ncos = make([]float64, len(ix.tr.boxes))
	for k, b := range ix.tr.boxes {
		ix.ncos[k] = math.Max(0, math.Min(math.Cos(b.lo[1]*rad), math.Cos(b.hi[1]*rad)))
	}
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
	bs, nb := capBoxes(p, km)
	for _, b := range bs[:nb] {
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

// AppendWithin appends to dst every point at most km from p (great
// circle), as Within reports them, and returns the extended slice: the
// same search without a callback per point.
func (ix *PointIndex) AppendWithin(dst []Neighbor, p orb.Point, km float64) []Neighbor {
	t := ix.tr
	if !finite(p) || !(km >= 0) {
		return dst
	}
	cp := math.Cos(p[1] * rad)
	bs, nb := capBoxes(p, km)
	hmax := withinHmax(km)
	var buf [8 * treeFanout]treeRef
	for _, b := range bs[:nb] {
		q := box{b[0], b[1]}
		for stack := t.walk(&q, buf[:0]); len(stack) > 0; {
			var lo, hi int
			lo, hi, stack = t.nextLeaf(&q, stack)
			for c := lo; c < hi; c++ {
				if !t.boxes[c].intersects(&q) {
					continue
				}
				dst = ix.appendIfWithin(dst, t.ids[c], p, cp, km, hmax)
			}
		}
	}
	return dst
}

// withinHmax bounds the haversine h of the points at most km away: a
// point whose h exceeds that of km by more than rounding can explain is
// farther than km, and its arcsine is not needed.
func withinHmax(km float64) float64 {
	if r := km / (2 * EarthRadiusKm); r < math.Pi/4 {
		s := math.Sin(r)
		return s * s * (1 + 1e-9)
	}
	return math.Inf(1)
}

// AppendWithinOf appends to dst those of cands (points of the index, as
// an earlier query returned them) that lie at most km from p, in the
// order of cands, with their distances from p computed as AppendWithin
// computes them, and returns the extended slice. When cands holds every
// point at most km from p (AppendWithin around a nearby point c with a
// radius of km + HaversineKm(c, p) or more), the result is
// AppendWithin(p, km)'s, bit for bit, in cands' order: a group of nearby
// points searches the tree once.
func (ix *PointIndex) AppendWithinOf(dst, cands []Neighbor, p orb.Point, km float64) []Neighbor {
	if !finite(p) || !(km >= 0) {
		return dst
	}
	cp := math.Cos(p[1] * rad)
	hmax := withinHmax(km)
	for _, c := range cands {
		dst = ix.appendIfWithin(dst, c.Index, p, cp, km, hmax)
	}
	return dst
}

// appendIfWithin appends point i with its distance to dst when it lies
// at most km from p, given cp = cos φ of p and hmax = withinHmax(km): the
// one distance test of AppendWithin and AppendWithinOf.
func (ix *PointIndex) appendIfWithin(dst []Neighbor, i int, p orb.Point, cp, km, hmax float64) []Neighbor {
	h := haversineH(p, ix.pts[i], cp, ix.cos[i])
	if h > hmax {
		return dst
	}
	if d := havKm(h); d <= km {
		dst = append(dst, Neighbor{i, d})
	}
	return dst
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

// NearestOne returns the point nearest to p, ties broken by index: the
// first of Nearest(p, 1), without allocating (a depth-first branch and
// bound over the R-tree, children visited by increasing boxMinHav, a node
// skipped when its lower bound exceeds the haversine of the best point
// found by more than rounding can explain). ok is false when p is not
// finite or no point is indexed.
func (ix *PointIndex) NearestOne(p orb.Point) (n Neighbor, ok bool) {
	return ix.NearestOneFrom(p, -1)
}

// NearestOneFrom is NearestOne starting from point hint (an index of the
// index's points, the nearest point of a neighbour of p; -1 or an
// unindexed point for none): the search starts with its distance as the
// bound to beat, so that far fewer nodes are opened when hint is near.
// The result is NearestOne's whatever hint is.
func (ix *PointIndex) NearestOneFrom(p orb.Point, hint int) (n Neighbor, ok bool) {
	t := ix.tr
	if !finite(p) || len(t.ids) == 0 {
		return Neighbor{-1, 0}, false
	}
	cp := math.Cos(p[1] * rad)
	q := nearestQuery{ix: ix, p: p, cp: cp, best: Neighbor{-1, math.Inf(1)}, bestH: math.Inf(1)}
	if hint >= 0 && hint < len(ix.pts) && finite(ix.pts[hint]) {
		q.bestH = haversineH(p, ix.pts[hint], cp, ix.cos[hint])
		q.best = Neighbor{hint, havKm(q.bestH)}
	}
	q.visit(len(t.starts)-2, 0)
	return q.best, q.best.Index >= 0
}

// NearestAmong returns the point of cands (points of the index, as an
// earlier query returned them) nearest to p, ties broken by index, with
// its distance computed as NearestOne computes it. When cands holds every
// point at most NearestOne(p).Km from p — AppendWithin around a nearby
// point c with a radius of d_c + 2·HaversineKm(c, p) or more, d_c the
// distance from c to its nearest point (triangle inequality) — the
// result is NearestOne(p)'s, bit for bit: a group of nearby points
// searches the tree once. ok is false when p is not finite or cands is
// empty.
func (ix *PointIndex) NearestAmong(p orb.Point, cands []Neighbor) (n Neighbor, ok bool) {
	best := Neighbor{-1, math.Inf(1)}
	if !finite(p) {
		return best, false
	}
	cp := math.Cos(p[1] * rad)
	bestH := math.Inf(1)
	for _, c := range cands {
		i := c.Index
		h := haversineH(p, ix.pts[i], cp, ix.cos[i])
		if h > bestH*(1+1e-9) {
			continue // farther than best even after rounding (nearestQuery.visit)
		}
		if d := havKm(h); d < best.Km || (d == best.Km && i < best.Index) {
			best, bestH = Neighbor{i, d}, h
		}
	}
	return best, best.Index >= 0
}

// nearestQuery is the state of NearestOne.
type nearestQuery struct {
	ix    *PointIndex
	p     orb.Point
	cp    float64 // cos φ of p
	best  Neighbor
	bestH float64 // the haversine h of best (haversineH)
}

// visit searches the children of node k of level l (l ≥ 1).
func (q *nearestQuery) visit(l, k int) {
	t := q.ix.tr
	lo, hi := t.children(l, k)
	if l == 1 {
		for c := lo; c < hi; c++ {
			i := t.ids[c]
			h := haversineH(q.p, q.ix.pts[i], q.cp, q.ix.cos[i])
			if h > q.bestH*(1+1e-9) {
				continue // farther than best even after rounding (see below)
			}
			if d := havKm(h); d < q.best.Km || (d == q.best.Km && i < q.best.Index) {
				q.best, q.bestH = Neighbor{i, d}, h
			}
		}
		return
	}
	var order [treeFanout]struct {
		h float64
		c int
	}
	n := 0
	for c := lo; c < hi; c++ {
		h, x := boxMinHav(q.p, q.cp, &t.boxes[c], q.ix.ncos[c]), n
		for ; x > 0 && order[x-1].h > h; x-- {
			order[x] = order[x-1]
		}
		order[x].h, order[x].c = h, c
		n++
	}
	base := t.starts[l-1]
	for _, o := range order[:n] {
		// A point of the node has h ≥ o.h, so h > bestH·(1+1e-9): its
		// distance is larger than best's even after rounding, and it can
		// be neither nearer nor tied.
		if o.h > q.bestH*(1+1e-9) {
			break
		}
		q.visit(l-1, o.c-base)
	}
}

// boxMinHav returns a lower bound of the haversine h (haversineH) between
// p (cos φ = cp) and every point of box b, whose smallest cos φ is cmin:
//
//	h = hav(Δφ) + cos φp · cos φ · hav(Δλ) ≥ hav(gφ) + cp · cmin · hav(gλ)
//
// with gφ and gλ the gaps between p and the box in latitude and longitude
// (0 inside its span; the longitude term is dropped when gλ > 90°, so that
// wrapping past ±180° never overstates it). hav(x) = sin²(x/2) is bounded
// below by (y − y³/6)² with y = x/2 (sin y ≥ y − y³/6 for y ≥ 0), which
// needs no trigonometry; the result is shrunk by a relative 1e-12 against
// rounding.
func boxMinHav(p orb.Point, cp float64, b *box, cmin float64) float64 {
	var gphi, glam float64
	switch {
	case p[1] < b.lo[1]:
		gphi = b.lo[1] - p[1]
	case p[1] > b.hi[1]:
		gphi = p[1] - b.hi[1]
	}
	switch {
	case p[0] < b.lo[0]:
		glam = b.lo[0] - p[0]
	case p[0] > b.hi[0]:
		glam = p[0] - b.hi[0]
	}
	if glam > 90 {
		glam = 0
	}
	return (havBelow(gphi*rad) + cp*cmin*havBelow(glam*rad)) * (1 - 1e-12)
}

// havBelow returns a lower bound of hav(x) = sin²(x/2) for 0 ≤ x ≤ π:
// (y − y³/6)² with y = x/2.
func havBelow(x float64) float64 {
	y := x / 2
	s := y - y*y*y/6
	return s * s
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
