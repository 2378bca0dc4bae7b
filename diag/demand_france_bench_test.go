package diag

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"diagnum/data"

	"github.com/paulmach/orb"
)

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
