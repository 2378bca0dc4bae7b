package route

import (
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

// nodeTable holds the nodes of an extract in compact arrays rather than
// maps (a région holds tens of millions of nodes): their ids, points
// and graph index (0 when not yet in the graph, else index + 1), sorted
// by id, as .osm.pbf files write them, so that a way's node is found by
// binary search. Nodes read out of order are sorted once, before the
// next lookup.
type nodeTable struct {
	ids    []osm.NodeID
	pts    []orb.Point
	graph  []int32
	sorted bool
}

// add records node id at p.
func (t *nodeTable) add(id osm.NodeID, p orb.Point) {
	if n := len(t.ids); n > 0 && id <= t.ids[n-1] {
		t.sorted = false
	} else if n == 0 {
		t.sorted = true
	}
	t.ids = append(t.ids, id)
	t.pts = append(t.pts, p)
	t.graph = append(t.graph, 0)
}

// index returns the graph index of node id, adding its point to the
// builder on first use, and false when the extract has no such node.
func (t *nodeTable) index(id osm.NodeID, b *Builder) (int32, bool) {
	if !t.sorted {
		t.sort()
	}
	j, ok := slices.BinarySearch(t.ids, id)
	if !ok {
		return 0, false
	}
	if t.graph[j] == 0 {
		b.Points = append(b.Points, t.pts[j])
		t.graph[j] = int32(len(b.Points))
	}
	return t.graph[j] - 1, true
}

// sort orders the three arrays by id (a node repeated keeps its first
// point and graph index).
func (t *nodeTable) sort() {
	perm := make([]int32, len(t.ids))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int {
		switch {
		case t.ids[a] < t.ids[b]:
			return -1
		case t.ids[a] > t.ids[b]:
			return 1
		}
		return 0
	})
	ids, pts, graph := make([]osm.NodeID, 0, len(perm)), make([]orb.Point, 0, len(perm)), make([]int32, 0, len(perm))
	for _, i := range perm {
		if n := len(ids); n > 0 && ids[n-1] == t.ids[i] {
			continue
		}
		ids, pts, graph = append(ids, t.ids[i]), append(pts, t.pts[i]), append(graph, t.graph[i])
	}
	t.ids, t.pts, t.graph, t.sorted = ids, pts, graph, true
}
