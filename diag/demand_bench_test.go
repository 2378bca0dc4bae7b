package diag

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/internal/benchstat"

	"github.com/paulmach/orb"
)

// synthDemand returns n demand units placed like the synthetic communes
// (clustered around towns, synthPoint), 1 to 60 inhabitants each, as the
// populated cells of INSEE's 200 m grid are (2.3 M cells for France).
func synthDemand(n int, seed uint64) *data.DemandLayer {
	rng := rand.New(rand.NewPCG(seed, seed^0x51ed27))
	towns := make([]orb.Point, 80)
	for i := range towns {
		towns[i] = orb.Point{synLonMin + rng.Float64()*(synLonMax-synLonMin), synLatMin + rng.Float64()*(synLatMax-synLatMin)}
	}
	l := &data.DemandLayer{File: "synth", Format: data.DemandGrid, Units: make([]data.DemandUnit, n)}
	for i := range l.Units {
		p, _ := synthPoint(rng, towns)
		l.Units[i] = data.DemandUnit{ID: fmt.Sprint(i), Line: i + 2, Point: p, Pop: float64(1 + rng.IntN(60))}
	}
	return l
}

// BenchmarkDemand measures Baseline.Demand (placing every unit in its
// commune, its sites within reach, its nearest site and its access, the
// per-commune sums and the conservation checks) for 350 k, 1 M and 2.3 M
// units (the populated 200 m cells of France, synthDemand, in no spatial
// order) against a synthetic France of 35,000 communes and 10,000 sites
// (7,000 counted). The synthetic communes have points and no polygons,
// so every unit is placed by the nearest commune point, the rule for a
// data set without polygons (BenchmarkDemandFrance measures the
// point-in-polygon placement of the embedded communes). The baseline is
// built once, outside the timing; the peak resident memory of the
// process is reset once the layer is drawn (targets at 2.3 M, issue 14:
// ≤ 10 s and ≤ 4 GiB on 2 cores). benchreport prints the growth
// exponent between sizes, log(c2/c1)/log(n2/n1) on the CPU times.
func BenchmarkDemand(b *testing.B) {
	base, err := NewBaseline(context.Background(), synthDataset(35000, 10000, 42), Params{})
	if err != nil {
		b.Fatal(err)
	}
	benchDemand(b, base, func(n int) *data.DemandLayer { return synthDemand(n, 7) })
}

// benchDemand runs base.Demand on the layer draw(n) for 350 k, 1 M and
// 2.3 M units, a sub-benchmark each, with the CPU time and the peak
// resident memory of the process, reset once the layer is drawn.
func benchDemand(b *testing.B, base *Baseline, draw func(n int) *data.DemandLayer) {
	for _, n := range []int{350_000, 1_000_000, 2_300_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			layer := draw(n)
			runtime.GC()
			if err := benchstat.ResetPeakRSS(); err != nil {
				b.Logf("peak RSS not reset (%v): it includes drawing the layer", err)
			}
			benchstat.Loop(b, func() error {
				_, err := base.Demand(context.Background(), layer)
				return err
			})
			if mib, ok := benchstat.PeakRSSMiB(); ok {
				b.ReportMetric(mib, "peak-RSS-MiB")
			}
		})
	}
}

// franceDemand returns n demand units over the embedded communes of ds:
// each in a commune (with a polygon) drawn with probability proportional
// to P^0.6, P its legal population, at a point scattered around the
// commune's point (σ 0.02° of longitude, 0.015° of latitude: about
// 1.6 km), 1 to 60 inhabitants. The populated 200 m cells of a commune
// grow more slowly than its population (Filosofi: about 7 inhabitants a
// cell in rural Creuse, 29 over France, thousands in Paris), and Σ P^0.6
// over the communes is of the order of France's 2.3 M cells; drawing by
// P itself would put 3 % of the units in Paris, whose cells are 0.1 %.
// Some fall just off a coast or across a border, as real cells do.
func franceDemand(ds *data.Dataset, n int, seed uint64) *data.DemandLayer {
	var cum []float64
	var total float64
	for _, c := range ds.Communes {
		if c.HasPoint && len(c.Polygon) > 0 {
			total += math.Pow(float64(max(c.Population, 0)), 0.6)
		}
		cum = append(cum, total)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x2545f491))
	l := &data.DemandLayer{File: "france", Format: data.DemandGrid, Units: make([]data.DemandUnit, n)}
	for i := range l.Units {
		k, _ := slices.BinarySearch(cum, rng.Float64()*total)
		k = min(k, len(cum)-1)
		for k > 0 && cum[k-1] == cum[k] {
			k-- // the commune whose population holds the draw
		}
		c := ds.Communes[k].Point
		p := orb.Point{c[0] + 0.02*rng.NormFloat64(), c[1] + 0.015*rng.NormFloat64()}
		l.Units[i] = data.DemandUnit{ID: fmt.Sprint(i), Line: i + 2, Point: p, Pop: float64(1 + rng.IntN(60))}
	}
	return l
}

// BenchmarkDemandFrance is BenchmarkDemand on the real pipeline of a
// user's layer: the embedded national data set (its communes' polygons,
// which place every unit by point-in-polygon, its sites and the crow-fly
// times), with 350 k, 1 M and 2.3 M units drawn around the communes by
// population (franceDemand), in no spatial order. The national baseline
// is built once, outside the timing; the peak resident memory is reset
// once the layer is drawn.
func BenchmarkDemandFrance(b *testing.B) {
	_, base := national(b)
	benchDemand(b, base, func(n int) *data.DemandLayer { return franceDemand(base.Dataset(), n, 3) })
}
