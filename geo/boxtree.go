package geo

import (
	"math"
	"math/bits"
	"slices"
)

// box is an axis-aligned lon/lat box, closed: lo ≤ hi on both axes.
type box struct{ lo, hi [2]float64 }

// intersects reports whether the closed boxes b and c share a point.
func (b *box) intersects(c *box) bool {
	return b.lo[0] <= c.hi[0] && b.hi[0] >= c.lo[0] && b.lo[1] <= c.hi[1] && b.hi[1] >= c.lo[1]
}

// treeFanout is the number of children of a node of a boxTree.
const treeFanout = 16

// boxTree is a static R-tree over boxes, bulk-loaded once by
// Sort-Tile-Recursive packing (Leutenegger, Lopez and Edgington, 1997):
// with P = ⌈n/F⌉ leaves (F = treeFanout) and S = ⌈√P⌉, the items are
// sorted by the x of their centre, cut into S vertical slices of S·F
// items, and each slice is sorted by the y of its centre; runs of F
// consecutive items then form the leaves, and runs of F consecutive nodes
// the nodes above, up to one root. Building costs two sorts
// (O(n log n)) instead of n insertions with node splits, and the tree is
// held in flat arrays: boxes[starts[l]:starts[l+1]] are the nodes of
// level l (level 0 the items, the last level the root, always above the items), and node k of
// level l+1 covers entries [k·F, (k+1)·F) of level l.
type boxTree struct {
	boxes  []box
	ids    []int // the data of each item, in packed order
	starts []int
}

// newBoxTree packs the items bs, item x carrying data ids[x].
func newBoxTree(bs []box, ids []int) *boxTree {
	n := len(bs)
	t := &boxTree{ids: make([]int, n)}
	if n == 0 {
		return t
	}
	// The sorts run on uint64 keys, the centre quantised on the high bits
	// (order-preserving) and the item number on the low bits: sequential
	// memory and no comparison function. Quantisation only merges very
	// close centres, which the item number then orders.
	ib := uint(bits.Len(uint(n)))
	mask := uint64(1)<<ib - 1
	quant := centreQuantiser(bs, 64-ib)
	keys := make([]uint64, n)
	for x := range keys {
		keys[x] = quant(&bs[x], 0)<<ib | uint64(x)
	}
	slices.Sort(keys)
	leaves := (n + treeFanout - 1) / treeFanout
	s := int(math.Ceil(math.Sqrt(float64(leaves))))
	per := s * treeFanout
	for lo := 0; lo < n; lo += per {
		part := keys[lo:min(n, lo+per)]
		for y, k := range part {
			part[y] = quant(&bs[k&mask], 1)<<ib | k&mask
		}
		slices.Sort(part)
	}
	size := n
	for m := n; ; {
		m = (m + treeFanout - 1) / treeFanout
		size += m
		if m == 1 {
			break
		}
	}
	t.boxes = make([]box, n, size)
	for x, k := range keys {
		t.boxes[x], t.ids[x] = bs[k&mask], ids[k&mask]
	}
	t.starts = []int{0}
	// At least one level of nodes above the items, even for one item.
	for lo, hi := 0, n; lo == 0 || hi-lo > 1; lo, hi = hi, len(t.boxes) {
		t.starts = append(t.starts, hi)
		for c := lo; c < hi; c += treeFanout {
			u := t.boxes[c]
			for _, b := range t.boxes[c+1 : min(hi, c+treeFanout)] {
				u.lo[0], u.lo[1] = math.Min(u.lo[0], b.lo[0]), math.Min(u.lo[1], b.lo[1])
				u.hi[0], u.hi[1] = math.Max(u.hi[0], b.hi[0]), math.Max(u.hi[1], b.hi[1])
			}
			t.boxes = append(t.boxes, u)
		}
	}
	t.starts = append(t.starts, len(t.boxes))
	return t
}

// centreQuantiser returns a function mapping the centre of a box of bs on
// an axis to an integer of nbits bits, increasing with the coordinate.
func centreQuantiser(bs []box, nbits uint) func(b *box, axis int) uint64 {
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	for i := range bs {
		for a := range 2 {
			c := (bs[i].lo[a] + bs[i].hi[a]) / 2
			lo[a], hi[a] = math.Min(lo[a], c), math.Max(hi[a], c)
		}
	}
	top := float64(uint64(1)<<min(nbits, 52) - 1)
	var scale [2]float64
	for a := range 2 {
		if hi[a] > lo[a] {
			scale[a] = top / (hi[a] - lo[a])
		}
	}
	return func(b *box, a int) uint64 {
		v := ((b.lo[a]+b.hi[a])/2 - lo[a]) * scale[a]
		return uint64(math.Min(top, math.Max(0, v)))
	}
}

// children returns the range of level l−1 entries (as indexes into
// boxes) under node k of level l.
func (t *boxTree) children(l, k int) (int, int) {
	lo := t.starts[l-1] + k*treeFanout
	return lo, min(t.starts[l], lo+treeFanout)
}

// treeRef is a node of a boxTree: level and index within the level.
type treeRef struct{ l, k int32 }

// search calls fn with the data of every item whose box intersects q,
// until fn returns false; it reports whether fn never did.
func (t *boxTree) search(q box, fn func(id int) bool) bool {
	var buf [8 * treeFanout]treeRef
	for stack := t.walk(&q, buf[:0]); len(stack) > 0; {
		var lo, hi int
		lo, hi, stack = t.nextLeaf(&q, stack)
		for c := lo; c < hi; c++ {
			if t.boxes[c].intersects(&q) && !fn(t.ids[c]) {
				return false
			}
		}
	}
	return true
}

// walk starts a depth-first walk of the nodes whose boxes intersect q,
// the one tree search of search and of PointIndex.AppendWithin: it
// returns the walk's stack, the root or nothing, in buf's storage (an
// array of the caller's avoids an allocation). nextLeaf goes on with it.
func (t *boxTree) walk(q *box, buf []treeRef) []treeRef {
	if len(t.ids) == 0 {
		return buf[:0]
	}
	root := len(t.starts) - 2
	if !t.boxes[t.starts[root]].intersects(q) {
		return buf[:0]
	}
	return append(buf[:0], treeRef{int32(root), 0})
}

// nextLeaf pops the nodes of stack, pushing their children whose boxes
// intersect q, up to a leaf node: it returns the items [lo, hi) (indexes
// into boxes) under that node, whose own boxes the caller tests, and the
// stack left. An empty range comes with an empty stack: the walk is over.
func (t *boxTree) nextLeaf(q *box, stack []treeRef) (lo, hi int, rest []treeRef) {
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		lo, hi := t.children(int(n.l), int(n.k))
		if n.l == 1 {
			return lo, hi, stack
		}
		base := t.starts[n.l-1]
		for c := lo; c < hi; c++ {
			if t.boxes[c].intersects(q) {
				stack = append(stack, treeRef{n.l - 1, int32(c - base)})
			}
		}
	}
	return 0, 0, stack
}

// nearby visits the items by increasing distance: nodeKm(b) must be a
// lower bound of itemKm over the items under a node of box b. fn gets
// each item's data and distance, until it returns false. Items at equal
// distance come in no particular order.
func (t *boxTree) nearby(nodeKm func(b *box) float64, itemKm func(id int) float64, fn func(id int, d float64) bool) {
	if len(t.ids) == 0 {
		return
	}
	root := len(t.starts) - 2
	h := treeHeap{{d: nodeKm(&t.boxes[t.starts[root]]), r: treeRef{int32(root), 0}}}
	for len(h) > 0 {
		e := h.pop()
		if e.r.l == 0 {
			if !fn(t.ids[e.r.k], e.d) {
				return
			}
			continue
		}
		lo, hi := t.children(int(e.r.l), int(e.r.k))
		base := t.starts[e.r.l-1]
		for c := lo; c < hi; c++ {
			r := treeRef{e.r.l - 1, int32(c - base)}
			if r.l == 0 {
				h.push(treeEntry{d: itemKm(t.ids[c]), r: r})
			} else {
				h.push(treeEntry{d: nodeKm(&t.boxes[c]), r: r})
			}
		}
	}
}

// treeEntry is a queued node or item of nearby with its distance key.
type treeEntry struct {
	d float64
	r treeRef
}

// treeHeap is a binary min-heap of entries by d.
type treeHeap []treeEntry

func (h *treeHeap) push(e treeEntry) {
	*h = append(*h, e)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !(s[i].d < s[p].d) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *treeHeap) pop() treeEntry {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(s) {
			break
		}
		if c+1 < len(s) && s[c+1].d < s[c].d {
			c++
		}
		if !(s[c].d < s[i].d) {
			break
		}
		s[i], s[c] = s[c], s[i]
		i = c
	}
	*h = s
	return top
}
