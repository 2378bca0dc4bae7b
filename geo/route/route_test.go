package route

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"diagnum/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

var monacoPath = filepath.Join("..", "..", "testdata", "osm", "monaco.osm.pbf")

var monaco = sync.OnceValues(func() (*Graph, Info) {
	f, err := os.Open(monacoPath)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	g, info, err := ReadPBF(context.Background(), f)
	if err != nil {
		panic(err)
	}
	return g, info
})

// bellmanFord is the independent oracle: relax every arc until nothing
// changes (no heap, no early stop).
func bellmanFord(g *Graph, src int32, rev bool) []float64 {
	d := make([]float64, g.Nodes())
	for i := range d {
		d[i] = math.Inf(1)
	}
	d[src] = 0
	for changed := true; changed; {
		changed = false
		for u := int32(0); int(u) < g.Nodes(); u++ {
			if math.IsInf(d[u], 1) {
				continue
			}
			g.Out(u, rev, func(v int32, sec float32) {
				if x := d[u] + float64(sec); x < d[v] {
					d[v], changed = x, true
				}
			})
		}
	}
	return d
}

// TestMonacoDijkstraOracle: on the Monaco graph, the searches (forward
// and reverse, bounded and not) give Bellman-Ford's times.
func TestMonacoDijkstraOracle(t *testing.T) {
	g, info := monaco()
	if g.Nodes() < 1000 || info.Ways < 1000 || info.Date.Year() != 2016 {
		t.Fatalf("graph of %d nodes, %d ways, dated %v", g.Nodes(), info.Ways, info.Date)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	s := NewSearch(g)
	for k := range 4 {
		src, rev := int32(rng.IntN(g.Nodes())), k%2 == 1
		want := bellmanFord(g, src, rev)
		limit := math.Inf(1)
		if k >= 2 {
			limit = 300 // 5 min
		}
		if err := s.Run(context.Background(), []int32{src}, []float64{0}, rev, limit, nil); err != nil {
			t.Fatal(err)
		}
		for n := int32(0); int(n) < g.Nodes(); n++ {
			got := s.Dist(n)
			if want[n] > limit {
				if !math.IsInf(got, 1) && got > limit {
					t.Fatalf("node %d settled at %v beyond the limit", n, got)
				}
				continue
			}
			if math.Abs(got-want[n]) > 1e-6 {
				t.Fatalf("source %d rev %v: node %d at %v s, Bellman-Ford %v", src, rev, n, got, want[n])
			}
		}
	}
}

// TestMonacoTimesBounds: every time is at least the crow-fly time at the
// graph's top speed, and a forward time a → b equals the reverse search
// from b (the two adjacency arrays agree); one-way streets make the two
// directions differ by little.
func TestMonacoTimesBounds(t *testing.T) {
	g, _ := monaco()
	rng := rand.New(rand.NewPCG(3, 4))
	f, r := NewSearch(g), NewSearch(g)
	worst := 0.0
	for range 20 {
		a, b := int32(rng.IntN(g.Nodes())), int32(rng.IntN(g.Nodes()))
		f.Run(context.Background(), []int32{a}, []float64{0}, false, math.Inf(1), nil)
		r.Run(context.Background(), []int32{b}, []float64{0}, true, math.Inf(1), nil)
		ab := f.Dist(b)
		if ab != r.Dist(a) {
			t.Fatalf("%d → %d: forward %v, reverse %v", a, b, ab, r.Dist(a))
		}
		if math.IsInf(ab, 1) {
			continue
		}
		if crow := geo.HaversineKm(g.Points[a], g.Points[b]) / g.TopKmh * 3600; ab < crow {
			t.Errorf("%d → %d: %v s below the crow-fly time %v s at %v km/h", a, b, ab, crow, g.TopKmh)
		}
		f.Run(context.Background(), []int32{b}, []float64{0}, false, math.Inf(1), nil)
		if ba := f.Dist(a); !math.IsInf(ba, 1) {
			worst = max(worst, math.Abs(ab-ba))
		}
	}
	// Loops around one-way streets of Monaco and Beausoleil cost minutes,
	// not more.
	if worst > 300 {
		t.Errorf("largest |t(a→b) − t(b→a)| = %v s", worst)
	}
}

// wayNodes returns the points of the nodes of OSM way id, read from the
// extract again (independently of the graph).
func wayNodes(t *testing.T, id osm.WayID) []orb.Point {
	f, err := os.Open(monacoPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := osmpbf.New(context.Background(), f, 1)
	defer sc.Close()
	pts := map[osm.NodeID]orb.Point{}
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			pts[o.ID] = orb.Point{o.Lon, o.Lat}
		case *osm.Way:
			if o.ID == id {
				var out []orb.Point
				for _, n := range o.Nodes {
					out = append(out, pts[n.ID])
				}
				return out
			}
		}
	}
	t.Fatalf("way %d not found", id)
	return nil
}

// TestMonacoNamedRoads checks routes by hand along named roads: the time
// between the ends of the Moyenne Corniche (way 123008095, primary,
// maxspeed=70, driven at 70 × 0.8 = 56 km/h) is its length over 56 km/h,
// both ways; Avenue Princesse Grace (way 182700002, oneway=yes, primary
// at 65 km/h) takes its length over 65 km/h forward, and longer backward.
func TestMonacoNamedRoads(t *testing.T) {
	g, info := monaco()
	tm := NewTimer(g, TimerOptions{Info: info})
	s := NewSearch(g)
	along := func(pts []orb.Point, kmh float64) float64 {
		sec := 0.0
		for k := 1; k < len(pts); k++ {
			sec += geo.HaversineKm(pts[k-1], pts[k]) / kmh * 3600
		}
		return sec
	}
	time := func(a, b orb.Point) float64 {
		na, ka, _ := tm.Snap(geo.At(a))
		nb, kb, _ := tm.Snap(geo.At(b))
		if ka > 1e-9 || kb > 1e-9 {
			t.Fatalf("way ends are not graph nodes (%v, %v km)", ka, kb)
		}
		s.Run(context.Background(), []int32{na}, []float64{0}, false, math.Inf(1), nil)
		return s.Dist(nb)
	}
	corniche := wayNodes(t, 123008095)
	want := along(corniche, 56)
	a, b := corniche[0], corniche[len(corniche)-1]
	if got := time(a, b); math.Abs(got-want) > 1e-3 {
		t.Errorf("Moyenne Corniche: %v s, want %v s along the road", got, want)
	}
	if got := time(b, a); math.Abs(got-want) > 1e-3 {
		t.Errorf("Moyenne Corniche backward: %v s, want %v s", got, want)
	}
	grace := wayNodes(t, 182700002)
	want = along(grace, 65)
	a, b = grace[0], grace[len(grace)-1]
	if got := time(a, b); math.Abs(got-want) > 1e-3 {
		t.Errorf("Avenue Princesse Grace: %v s, want %v s along the road", got, want)
	}
	if got := time(b, a); !(got > want+1) {
		t.Errorf("Avenue Princesse Grace against the one-way: %v s, want more than %v s", got, want)
	}
	t.Logf("Moyenne Corniche %.0f s over %.2f km; Avenue Princesse Grace %.0f s forward, %.0f s backward",
		along(corniche, 56), along(corniche, 3600), want, time(b, a))
}
