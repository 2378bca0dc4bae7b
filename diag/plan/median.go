package plan

import "sort"

// medianTracker keeps the median of values that only grow, in O(log n)
// per change. The median is the one of diag.MedianAccess and of the
// workbook: stat.Quantile(0.5, stat.Empirical, sorted, nil), which is the
// k-th smallest value with k = ⌈n/2⌉ (k = 1 for n = 1).
//
// The k smallest values are in a max-heap (lo), the others in a min-heap
// (hi); every element knows its heap and position, so that a value can
// grow in place: it sifts within its heap, and when a value of lo grows
// above the smallest of hi, the two swap heaps.
type medianTracker struct {
	v      []float64 // value per element
	lo, hi []int32   // heaps of element ids
	inLo   []bool
	pos    []int32 // position of each element in its heap
}

// newMedianTracker tracks the values v (copied).
func newMedianTracker(v []float64) *medianTracker {
	m := &medianTracker{v: append([]float64(nil), v...)}
	n := len(v)
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(i)
	}
	sort.SliceStable(ids, func(a, b int) bool { return m.v[ids[a]] < m.v[ids[b]] })
	k := (n + 1) / 2
	m.inLo, m.pos = make([]bool, n), make([]int32, n)
	// A sorted array read backwards is a max-heap; read forwards a min-heap.
	for x := k - 1; x >= 0; x-- {
		m.push(true, ids[x])
	}
	for x := k; x < n; x++ {
		m.push(false, ids[x])
	}
	return m
}

// median returns the k-th smallest value (0 when there is none).
func (m *medianTracker) median() float64 {
	if len(m.lo) == 0 {
		return 0
	}
	return m.v[m.lo[0]]
}

// raise sets the value of element id to x ≥ its current value.
func (m *medianTracker) raise(id int, x float64) {
	if !(x > m.v[id]) {
		return
	}
	m.v[id] = x
	if !m.inLo[id] {
		m.down(false, int(m.pos[id]))
		return
	}
	m.up(true, int(m.pos[id]))
	if len(m.hi) == 0 || m.v[m.lo[0]] <= m.v[m.hi[0]] {
		return
	}
	// The largest of lo now exceeds the smallest of hi: swap them.
	a, b := m.lo[0], m.hi[0]
	m.lo[0], m.hi[0] = b, a
	m.inLo[a], m.inLo[b] = false, true
	m.pos[a], m.pos[b] = 0, 0
	m.down(true, 0)
	m.down(false, 0)
}

// heap returns lo or hi.
func (m *medianTracker) heap(lo bool) *[]int32 {
	if lo {
		return &m.lo
	}
	return &m.hi
}

// before reports whether element a belongs above element b in the heap:
// larger first in lo, smaller first in hi.
func (m *medianTracker) before(lo bool, a, b int32) bool {
	if lo {
		return m.v[a] > m.v[b]
	}
	return m.v[a] < m.v[b]
}

func (m *medianTracker) push(lo bool, id int32) {
	h := m.heap(lo)
	*h = append(*h, id)
	m.inLo[id], m.pos[id] = lo, int32(len(*h)-1)
	m.up(lo, len(*h)-1)
}

func (m *medianTracker) swap(h []int32, i, j int) {
	h[i], h[j] = h[j], h[i]
	m.pos[h[i]], m.pos[h[j]] = int32(i), int32(j)
}

func (m *medianTracker) up(lo bool, i int) {
	h := *m.heap(lo)
	for i > 0 {
		p := (i - 1) / 2
		if !m.before(lo, h[i], h[p]) {
			return
		}
		m.swap(h, i, p)
		i = p
	}
}

func (m *medianTracker) down(lo bool, i int) {
	h := *m.heap(lo)
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && m.before(lo, h[c+1], h[c]) {
			c++
		}
		if !m.before(lo, h[c], h[i]) {
			return
		}
		m.swap(h, i, c)
		i = c
	}
}
