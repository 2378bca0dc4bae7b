package report

import (
	"fmt"
	"io"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/internal/benchstat"
)

// syntheticMap returns n communes on a grid over metropolitan France,
// each a 64-vertex polygon, with scores 0…n−1 and one counted site each.
func syntheticMap(n int) ([]diag.CommuneResult, *data.Dataset, []diag.SiteResult) {
	side := int(math.Ceil(math.Sqrt(float64(n))))
	step := 9.0 / float64(side) // degrees, over 9° × 9°
	ds := &data.Dataset{Communes: make([]data.Commune, n)}
	cs := make([]diag.CommuneResult, n)
	sites := make([]diag.SiteResult, n)
	for i := range n {
		cx, cy := -3+step*(float64(i%side)+0.5), 42.5+step*(float64(i/side)+0.5)
		ring := make(orb.Ring, 65)
		for k := range 64 {
			a := 2 * math.Pi * float64(k) / 64
			ring[k] = orb.Point{cx + 0.45*step*math.Cos(a), cy + 0.45*step*math.Sin(a)}
		}
		ring[64] = ring[0]
		code := fmt.Sprintf("%05d", i)
		ds.Communes[i] = data.Commune{Code: code, Zone: "metro", Polygon: orb.MultiPolygon{{ring}}}
		cs[i] = diag.CommuneResult{Code: code, Name: "Commune " + code, Population: 1000 + i, Gap: float64(i),
			Fragility: math.NaN(), NearestMin: math.Inf(1), Rank: n - i}
		sites[i] = diag.SiteResult{Site: data.Site{ID: code, Kind: data.Kinds[i%len(data.Kinds)],
			Point: orb.Point{cx, cy}, Commune: code}, Counted: true}
	}
	return cs, ds, sites
}

func BenchmarkWriteGeoJSON(b *testing.B) {
	for _, n := range []int{1000, 10000, 35000} {
		cs, ds, sites := syntheticMap(n)
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			benchstat.Loop(b, func() error { return WriteGeoJSON(io.Discard, cs, ds, sites) })
		})
	}
}

func BenchmarkRenderMap(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		cs, ds, sites := syntheticMap(n)
		in := MapInput{Communes: cs, Dataset: ds, Sites: sites}
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			benchstat.Loop(b, func() error {
				_, _, err := RenderMap(in)
				return err
			})
		})
	}
}

// BenchmarkMapFrance draws the map embedded in the national workbook:
// the embedded data's 34,875 metropolitan and overseas communes (circles)
// and its counted sites, as diagnum --france does (target: ≈ 0.1 s).
func BenchmarkMapFrance(b *testing.B) {
	in := embeddedInput(b, diag.France())
	mi := NewMapInput(&in, in.Dataset)
	benchstat.Loop(b, func() error { return WriteMapPNG(io.Discard, mi) })
}
