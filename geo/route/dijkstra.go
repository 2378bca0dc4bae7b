package route

import (
	"context"
	"math"
)

// Search is the state of Dijkstra searches on one graph, reused from one
// search to the next (only the nodes touched are reset). It is not safe
// for concurrent use: give each goroutine its own.
type Search struct {
	g       *Graph
	dist    []float64 // seconds, +Inf when not reached
	done    []bool
	touched []int32
	heap    []item
	want    []bool // targets of runTo not yet settled (all false between runs)
}

type item struct {
	d float64
	n int32
}

// NewSearch returns a search state for g.
func NewSearch(g *Graph) *Search {
	s := &Search{g: g, dist: make([]float64, g.Nodes()), done: make([]bool, g.Nodes())}
	for i := range s.dist {
		s.dist[i] = math.Inf(1)
	}
	return s
}

// Run runs a multi-source Dijkstra from sources (each with its start
// time in seconds) over the arcs, reversed when rev (times to the
// sources instead of from them). It settles nodes by increasing time and
// stops at the first of: a node beyond limitSec (every node within
// limitSec is then settled), settle returning false, or no node left. It
// checks ctx every 65,536 nodes. Dist then gives the times of the
// settled nodes.
func (s *Search) Run(ctx context.Context, sources []int32, start []float64, rev bool, limitSec float64, settle func(n int32, sec float64) bool) error {
	s.reset()
	for k, n := range sources {
		if start[k] < s.dist[n] {
			s.touch(n, start[k])
			s.push(item{start[k], n})
		}
	}
	ad := &s.g.fwd
	if rev {
		ad = &s.g.rev
	}
	for count := 0; len(s.heap) > 0; count++ {
		if count&0xFFFF == 0xFFFF {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		it := s.pop()
		if s.done[it.n] || it.d > s.dist[it.n] {
			continue
		}
		if it.d > limitSec {
			return nil
		}
		s.done[it.n] = true
		if settle != nil && !settle(it.n, it.d) {
			return nil
		}
		for x := ad.off[it.n]; x < ad.off[it.n+1]; x++ {
			v := ad.to[x]
			if d := it.d + float64(ad.sec[x]); d < s.dist[v] {
				s.touch(v, d)
				s.push(item{d, v})
			}
		}
	}
	return nil
}

// runTo runs a search from node from (none when from < 0) that stops
// once every target node (those ≥ 0) is settled, or beyond limitSec.
// The targets are marked in a slice of the search, not a map: a région's
// searches ask for hundreds of communes each.
func (s *Search) runTo(ctx context.Context, from int32, start float64, rev bool, targets []int32, limitSec float64) error {
	s.reset()
	if from < 0 {
		return nil
	}
	if s.want == nil {
		s.want = make([]bool, s.g.Nodes())
	}
	left := 0
	for _, n := range targets {
		if n >= 0 && !s.want[n] {
			s.want[n] = true
			left++
		}
	}
	defer func() {
		for _, n := range targets {
			if n >= 0 {
				s.want[n] = false
			}
		}
	}()
	if left == 0 {
		return nil
	}
	return s.Run(ctx, []int32{from}, []float64{start}, rev, limitSec, func(n int32, _ float64) bool {
		if s.want[n] {
			s.want[n] = false
			left--
		}
		return left > 0
	})
}

// Dist returns the time of node n found by the last Run (+Inf when not
// settled).
func (s *Search) Dist(n int32) float64 {
	if !s.done[n] {
		return math.Inf(1)
	}
	return s.dist[n]
}

func (s *Search) touch(n int32, d float64) {
	if math.IsInf(s.dist[n], 1) {
		s.touched = append(s.touched, n)
	}
	s.dist[n] = d
}

func (s *Search) reset() {
	for _, n := range s.touched {
		s.dist[n], s.done[n] = math.Inf(1), false
	}
	s.touched, s.heap = s.touched[:0], s.heap[:0]
}

// push and pop keep s.heap a 4-ary min-heap on (d, n) (fewer levels
// than a binary heap: pop, the costly side, touches fewer cache lines).
func (s *Search) push(it item) {
	h := append(s.heap, it)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !less(h[i], h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
	s.heap = h
}

func (s *Search) pop() item {
	h := s.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i := 0
	for {
		m := i
		for c := 4*i + 1; c <= 4*i+4 && c < len(h); c++ {
			if less(h[c], h[m]) {
				m = c
			}
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	s.heap = h
	return top
}

func less(a, b item) bool { return a.d < b.d || a.d == b.d && a.n < b.n }
