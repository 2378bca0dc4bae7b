package route

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"diagnum/geo"

	"github.com/paulmach/orb"
)

// Graph is a directed road graph: node points and the arcs leaving each
// node (forward) and entering it (reverse), as compressed adjacency
// arrays; an arc's weight is its driving time in seconds.
type Graph struct {
	Points []orb.Point // lon/lat of each node
	fwd    adjacency
	rev    adjacency
	TopKmh float64 // the largest arc speed
}

// adjacency lists the arcs of node n in to[off[n]:off[n+1]].
type adjacency struct {
	off []int32
	to  []int32
	sec []float32
}

// Arc is a directed road segment between node indexes.
type Arc struct {
	From, To int32
	Sec      float32 // driving time, seconds
}

// Builder collects arcs, then builds a Graph.
type Builder struct {
	Points []orb.Point
	Arcs   []Arc
	TopKmh float64 // the largest speed of a segment added
}

// AddSegment adds the segment a–b driven at kmh, in the directions
// allowed; its length is the great-circle distance between the nodes.
func (b *Builder) AddSegment(a, c int32, kmh float64, fwd, bwd bool) {
	km := geo.HaversineKm(b.Points[a], b.Points[c])
	sec := float32(km / kmh * 3600)
	if fwd || bwd {
		b.TopKmh = max(b.TopKmh, kmh)
	}
	if fwd {
		b.Arcs = append(b.Arcs, Arc{a, c, sec})
	}
	if bwd {
		b.Arcs = append(b.Arcs, Arc{c, a, sec})
	}
}

// Build returns the graph of the arcs. The builder is emptied.
func (b *Builder) Build() (*Graph, error) {
	n := len(b.Points)
	if n >= math.MaxInt32 || len(b.Arcs) >= math.MaxInt32 {
		return nil, fmt.Errorf("route : graphe de %d nœuds et %d arcs trop grand", n, len(b.Arcs))
	}
	g := &Graph{Points: b.Points, TopKmh: b.TopKmh}
	var wg sync.WaitGroup
	wg.Go(func() { g.fwd = csr(n, b.Arcs, false) })
	g.rev = csr(n, b.Arcs, true)
	wg.Wait()
	b.Points, b.Arcs = nil, nil
	return g, nil
}

// csr builds the adjacency of the arcs by From (or by To when rev).
func csr(n int, arcs []Arc, rev bool) adjacency {
	ad := adjacency{off: make([]int32, n+1), to: make([]int32, len(arcs)), sec: make([]float32, len(arcs))}
	for _, a := range arcs {
		u := a.From
		if rev {
			u = a.To
		}
		ad.off[u+1]++
	}
	for i := 0; i < n; i++ {
		ad.off[i+1] += ad.off[i]
	}
	fill := slices.Clone(ad.off[:n])
	for _, a := range arcs {
		u, v := a.From, a.To
		if rev {
			u, v = v, u
		}
		ad.to[fill[u]], ad.sec[fill[u]] = v, a.Sec
		fill[u]++
	}
	return ad
}

// Nodes returns the number of nodes; Arcs the number of directed arcs.
func (g *Graph) Nodes() int { return len(g.Points) }

// Arcs returns the number of directed arcs.
func (g *Graph) Arcs() int { return len(g.fwd.to) }

// Out calls fn for every arc leaving node u (entering it when rev).
func (g *Graph) Out(u int32, rev bool, fn func(v int32, sec float32)) {
	ad := &g.fwd
	if rev {
		ad = &g.rev
	}
	for x := ad.off[u]; x < ad.off[u+1]; x++ {
		fn(ad.to[x], ad.sec[x])
	}
}
