package route

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

// TestNodeTable: nodes read in id order or not, repeated or missing, get
// their point and one graph index each, numbered by first use, as a map
// would give them.
func TestNodeTable(t *testing.T) {
	var nt nodeTable
	b := &Builder{}
	for _, id := range []osm.NodeID{10, 30, 20, 5, 30} {
		nt.add(id, orb.Point{float64(id), -float64(id)})
	}
	for k, c := range []struct {
		id   osm.NodeID
		want int32
		ok   bool
	}{{20, 0, true}, {5, 1, true}, {20, 0, true}, {7, 0, false}, {30, 2, true}, {10, 3, true}, {31, 0, false}} {
		got, ok := nt.index(c.id, b)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("lookup %d of node %d: %d, %v; want %d, %v", k, c.id, got, ok, c.want, c.ok)
		}
	}
	want := []orb.Point{{20, -20}, {5, -5}, {30, -30}, {10, -10}}
	if len(b.Points) != len(want) {
		t.Fatalf("points %v, want %v", b.Points, want)
	}
	for i := range want {
		if b.Points[i] != want[i] {
			t.Errorf("point %d: %v, want %v", i, b.Points[i], want[i])
		}
	}
	// A node read after the lookups (out of order) is found too, and the
	// indexes given before are kept.
	nt.add(1, orb.Point{1, -1})
	if i, ok := nt.index(1, b); !ok || i != 4 {
		t.Errorf("late node: %d, %v", i, ok)
	}
	if i, ok := nt.index(5, b); !ok || i != 1 {
		t.Errorf("node 5 after the re-sort: %d, %v", i, ok)
	}
}
