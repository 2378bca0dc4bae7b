package diag

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"

	"diagnum/data"
	"diagnum/internal/testmust"

	"github.com/paulmach/orb"
)

// Metropolitan bounding box used by the synthetic data sets.
const (
	synLonMin, synLonMax = -5.0, 9.5
	synLatMin, synLatMax = 41.3, 51.1
)

// synthComputed is the diagnostic of synthDataset(3000, 400, 9) with the
// default parameters, computed once per test process: its tests only
// read it.
var synthComputed = sync.OnceValues(func() (*Result, error) {
	return Compute(context.Background(), synthDataset(3000, 400, 9), Params{})
})

// synthResult returns synthComputed, failing t on an error.
func synthResult(t *testing.T) *Result {
	t.Helper()
	return testmust.Value(synthComputed())(t)
}

// synthDataset returns a synthetic national data set with nc communes and
// ns sites, reproducible from seed. Communes spread over the metropolitan
// bounding box, 35 % of them clustered around 80 towns; 1 % of them (at
// least 24) form département 974 around Réunion. Populations are
// log-normal (median ≈ 450, larger near towns), 1 % are 0. Départements
// are the cells of a 12 × 8 grid (codes 01–96), régions groups of 8
// départements, EPCIs the cells of a 50 × 33 grid (not aligned, so some
// straddle départements); 2 % of communes have no EPCI and 0.5 % no point.
// Sites sit near communes drawn by population: 70 % cnfs (FTE 0, 0.5, 1
// or 2), 25 % France Services, 5 % médiation; 5 % declare no INSEE code
// and 3 % an unknown one. The six default indicators are filled with
// 10 % missing values.
func synthDataset(nc, ns int, seed uint64) *data.Dataset {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ds := &data.Dataset{Indicators: data.NewIndicators(DefaultIndicators...)}
	nReunion := max(24, nc/100)
	towns := make([]orb.Point, 80)
	for i := range towns {
		towns[i] = orb.Point{synLonMin + rng.Float64()*(synLonMax-synLonMin), synLatMin + rng.Float64()*(synLatMax-synLatMin)}
	}
	for i := range nc {
		c := data.Commune{Code: fmt.Sprintf("%05d", i+1), HasPoint: true, Zone: "metro"}
		urban := false
		if i >= nc-nReunion {
			c.Point = orb.Point{55.22 + rng.Float64()*0.6, -21.37 + rng.Float64()*0.5}
			c.Dep, c.Region, c.Zone = "974", "04", "drom"
			c.EPCI = fmt.Sprintf("2499%05d", rng.IntN(5))
		} else {
			c.Point, urban = synthPoint(rng, towns)
			c.Dep, c.Region, c.EPCI = synthCells(c.Point)
		}
		c.Population = int(math.Exp(6.1 + 1.2*rng.NormFloat64()))
		if urban {
			c.Population *= 3
		}
		switch r := rng.Float64(); {
		case r < 0.01:
			c.Population = 0
		case r < 0.03:
			c.EPCI = ""
		case r < 0.035:
			c.HasPoint = false
		}
		c.Name = "Commune " + c.Code
		ds.Communes = append(ds.Communes, c)
		synthIndicators(rng, ds.Indicators, c.Code)
	}
	ds.Sites = synthSites(rng, ds.Communes, ns)
	synthNames(ds)
	return ds
}

// synthPoint draws a commune point: near a town (35 %) or uniform.
func synthPoint(rng *rand.Rand, towns []orb.Point) (orb.Point, bool) {
	if rng.Float64() < 0.35 {
		t := towns[rng.IntN(len(towns))]
		p := orb.Point{t[0] + 0.25*rng.NormFloat64(), t[1] + 0.18*rng.NormFloat64()}
		p[0] = min(synLonMax, max(synLonMin, p[0]))
		p[1] = min(synLatMax, max(synLatMin, p[1]))
		return p, true
	}
	return orb.Point{synLonMin + rng.Float64()*(synLonMax-synLonMin), synLatMin + rng.Float64()*(synLatMax-synLatMin)}, false
}

// synthCells returns the département, région and EPCI codes of a point.
func synthCells(p orb.Point) (dep, region, epci string) {
	fx := (p[0] - synLonMin) / (synLonMax - synLonMin)
	fy := (p[1] - synLatMin) / (synLatMax - synLatMin)
	cell := func(f float64, n int) int { return min(n-1, max(0, int(f*float64(n)))) }
	d := cell(fy, 8)*12 + cell(fx, 12)
	dep = fmt.Sprintf("%02d", d+1)
	region = fmt.Sprintf("%d", 11+d/8)
	epci = fmt.Sprintf("2%08d", cell(fy, 33)*50+cell(fx, 50))
	return dep, region, epci
}

func synthIndicators(rng *rand.Rand, ind *data.Indicators, code string) {
	vals := []float64{
		float64(b2i(rng.Float64() < 0.05)), float64(b2i(rng.Float64() < 0.3)),
		float64(1 + rng.IntN(7)), 0.03 + 0.15*rng.Float64(), 0.1 + 0.3*rng.Float64(), 100 + 15*rng.NormFloat64(),
	}
	for col, v := range vals {
		if rng.Float64() >= 0.1 {
			ind.Set(code, col, v)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// synthSites places ns sites near communes drawn in proportion to population.
func synthSites(rng *rand.Rand, cs []data.Commune, ns int) []data.Site {
	cum := make([]float64, len(cs))
	total := 0.0
	for i, c := range cs {
		if c.HasPoint {
			total += float64(c.Population) + 50
		}
		cum[i] = total
	}
	kinds := []data.SiteKind{data.KindCNFS, data.KindFranceServices, data.KindMediation}
	var sites []data.Site
	for j := range ns {
		i := sort.SearchFloat64s(cum, rng.Float64()*total)
		c := cs[min(i, len(cs)-1)]
		s := data.Site{ID: fmt.Sprintf("S%05d", j), Name: "Site", Source: "synth",
			Point: orb.Point{c.Point[0] + 0.01*rng.NormFloat64(), c.Point[1] + 0.01*rng.NormFloat64()}, INSEE: c.Code}
		switch r := rng.Float64(); {
		case r < 0.70:
			s.Kind, s.FTE = kinds[0], []float64{0, 0.5, 1, 2}[rng.IntN(4)]
		case r < 0.95:
			s.Kind = kinds[1]
		default:
			s.Kind = kinds[2]
		}
		switch r := rng.Float64(); {
		case r < 0.05:
			s.INSEE = ""
		case r < 0.08:
			s.INSEE = "99999"
		}
		sites = append(sites, s)
	}
	return sites
}

// synthNames fills the départements, régions and EPCIs of ds.
func synthNames(ds *data.Dataset) {
	seen := map[string]bool{}
	for _, c := range ds.Communes {
		if !seen["d"+c.Dep] {
			seen["d"+c.Dep] = true
			ds.Departements = append(ds.Departements, data.Departement{Code: c.Dep, Name: "Dép. " + c.Dep, Region: c.Region})
		}
		if !seen["r"+c.Region] {
			seen["r"+c.Region] = true
			ds.Regions = append(ds.Regions, data.Region{Code: c.Region, Name: "Région " + c.Region})
		}
		if c.EPCI != "" && !seen["e"+c.EPCI] {
			seen["e"+c.EPCI] = true
			ds.EPCIs = append(ds.EPCIs, data.EPCI{Code: c.EPCI, Name: "EPCI " + c.EPCI, Kind: "CC"})
		}
	}
}
