package route

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"diagnum/internal/benchstat"
)

// gridGraph builds a synthetic road grid of side × side nodes about
// 111 m apart, as a région's network: every 20th row and column is a
// primary road (65 km/h), the rest residential streets (25 km/h).
func gridGraph(side int) (*Graph, error) {
	b := &Builder{Points: make([]orb.Point, 0, side*side)}
	for r := range side {
		for c := range side {
			b.Points = append(b.Points, orb.Point{2 + float64(c)*0.0014, 45 + float64(r)*0.001})
		}
	}
	b.Arcs = make([]Arc, 0, 4*side*side)
	kmh := func(k int) float64 {
		if k%20 == 0 {
			return Speeds["primary"]
		}
		return Speeds["residential"]
	}
	for r := range side {
		for c := range side {
			n := int32(r*side + c)
			if c+1 < side {
				b.AddSegment(n, n+1, kmh(r), true, true)
			}
			if r+1 < side {
				b.AddSegment(n, n+int32(side), kmh(c), true, true)
			}
		}
	}
	return b.Build()
}

// BenchmarkGrid5M measures, on a synthetic grid of 5 million nodes (a
// région), the graph build and then the times up to 30 minutes around
// 300 sites (reverse bounded Dijkstra, one search state per core), as
// coverage and E2SFCA need them. Target: ≤ 60 s and ≤ 4 GiB on 2 cores.
func BenchmarkGrid5M(b *testing.B) {
	const side, sites, limit = 2237, 300, 30 * 60.0
	for b.Loop() {
		t0 := time.Now()
		g, err := gridGraph(side)
		if err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "MiB-graph")
		b.ReportMetric(time.Since(t0).Seconds(), "s-build")
		t1 := time.Now()
		rng := rand.New(rand.NewPCG(7, 8))
		src := make([]int32, sites)
		for k := range src {
			src[k] = int32(rng.IntN(g.Nodes()))
		}
		var settled sync.Map
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := range workers {
			wg.Go(func() {
				s, n := NewSearch(g), 0
				for k := w; k < sites; k += workers {
					s.Run(context.Background(), src[k:k+1], []float64{0}, true, limit, func(int32, float64) bool { n++; return true })
				}
				settled.Store(w, n)
			})
		}
		wg.Wait()
		total := 0
		settled.Range(func(_, v any) bool { total += v.(int); return true })
		b.ReportMetric(time.Since(t1).Seconds(), "s-times")
		b.ReportMetric(benchstat.CPUTime().Seconds(), "cpu-s")
		b.ReportMetric(float64(total)/sites, "nodes/site")
		b.ReportMetric(float64(g.Nodes()), "nodes")
	}
}
