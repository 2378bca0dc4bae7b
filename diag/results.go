package diag

import (
	"context"
	"fmt"
	"math"
	"runtime/debug"
	"sync"

	"diagnum/data"
)

// Compute computes every measure over all the communes and sites of ds
// (no border effects: a commune's figures use every site, and every
// site's ratio R_j every commune, wherever they are). Result.Communes is
// in data order with Rank over the whole of France; use Result.Territory
// to report a département or a région.
//
// Site assignment follows Assign; the supply, travel times and measures
// are documented on Params, CommuneResult, Kernel, Fragility and Gap:
//
//	S_j  = FTEPerSite[kind] when set, else the site's FTE (counted kinds only)
//	t_ij = travel time in minutes from the commune's representative point
//	       to the site (geo.Model by default)
//	couvert_i = t_i,nearest ≤ ThresholdMin
//	R_j = S_j / Σ_k P_k·W(t_kj),   A_i = Σ_j R_j·W(t_ij),   d0 = ThresholdMin
//
// With the travel-time model the work is split over all CPUs; each
// worker writes its own slots and every sum runs in index order, so the
// figures are the same bit for bit as ComputeNaive's. Another TravelTimer
// is called from one goroutine, with batched requests.
func Compute(ctx context.Context, ds *data.Dataset, params Params) (*Result, error) {
	e, err := nationalEngine(ctx, ds, params)
	if err != nil {
		return nil, err
	}
	// Compute keeps no engine: the pairs, most of its memory at grid
	// scale, are garbage once A_i is known, before the results are made.
	// Many of them (the 200 m grid of France: ≈ 120 million, 1.4 GB) are
	// returned to the system at once: otherwise the collector, paced on
	// the heap that held them, would not run before the results are made
	// beside them, and their scattered blocks could not hold the results'
	// large slices anyway (peak RSS 4.2 GiB at 2.3 M points).
	n := 0
	for _, b := range e.rows {
		n += len(b.q)
	}
	e.rows = nil
	if n >= freePairs {
		debug.FreeOSMemory()
	}
	return e.nationalResult()
}

// freePairs is the number of pairs from which Compute returns their
// memory to the system once A_i is known (16 million pairs, 192 MB; the
// national data set has about 0.5 million).
const freePairs = 16 << 20

// nationalResult returns the figures of every commune of the engine's
// data set, ranked over France, with the roll-ups (Compute's result).
func (e *engine) nationalResult() (*Result, error) {
	all := make([]int, len(e.ds.Communes))
	for i := range all {
		all[i] = i
	}
	cs, err := e.communeResults(all)
	if err != nil {
		return nil, err
	}
	if e.nearJ == nil { // kept for Baseline.WithSites
		e.nearJ, e.nearT = make([]int, len(cs)), make([]float64, len(cs))
		for i := range cs {
			e.nearJ[i], e.nearT[i] = cs[i].NearestSite, cs[i].NearestMin
		}
	}
	res := &Result{Params: e.p, Communes: cs, Sites: e.sites, Checks: e.checks, Indicators: e.frag.Uses}
	// The ranking writes Rank only, which the roll-ups do not read.
	var wg sync.WaitGroup
	wg.Go(func() { rankCommunes(cs) })
	res.EPCI, res.Deps, res.Regions, res.France = Rollups(e.ds, cs)
	res.COM = COMRollup(cs)
	wg.Wait()
	return res, nil
}

// nationalEngine prepares the engine and runs the national passes that
// every result needs: E2SFCA (R_j, A_i) and the nearest other site of
// each site.
func nationalEngine(ctx context.Context, ds *data.Dataset, params Params) (*engine, error) {
	e, err := newEngine(ctx, ds, params)
	if err != nil {
		return nil, err
	}
	if err := e.e2sfca(); err != nil {
		return nil, fmt.Errorf("calcul de l'accessibilité : %w", err)
	}
	if err := e.nearestOthers(); err != nil {
		return nil, fmt.Errorf("recherche des lieux les plus proches : %w", err)
	}
	return e, nil
}

// ComputeTerritory computes the figures of the communes of the
// départements deps only, identical bit for bit to those of
// Compute(…).Territory(Departements(deps...)).
//
// What it computes, and why:
//   - every site is assigned, and the E2SFCA ratios R_j and accessibilities
//     A_i are computed nationally: the gap score needs Amed, the median of
//     A_i over all populated communes of France, hence every A_i. With the
//     spatial index this pass is cheap (one radius query per site), but it
//     is most of the work left: on a synthetic France (35,000 communes,
//     5,500 sites) a département costs about 0.8 of the national run.
//   - the nearest-site search (an index walk beyond d0), the fragility
//     index (standardised over all of France), the gap and the roll-ups
//     are computed only for the communes of deps and of the EPCIs that
//     have a member in deps (so that those EPCI roll-ups are complete);
//   - NearestOtherMin is computed for every site, so Sites is the full
//     list with the national indexes.
//
// Result.Communes holds the communes of deps, Rank within them; EPCI the
// EPCIs with a member in deps; Deps the départements of deps. Regions is
// nil and France the zero Rollup: they would need every commune.
func ComputeTerritory(ctx context.Context, ds *data.Dataset, params Params, deps []string) (*Result, error) {
	t := Departements(deps...)
	if err := t.check(ds); err != nil {
		return nil, err
	}
	e, err := nationalEngine(ctx, ds, params)
	if err != nil {
		return nil, err
	}
	e.rows = nil // as in Compute
	in, ext := territoryCommunes(ds, t)
	cs, err := e.communeResults(ext)
	if err != nil {
		return nil, err
	}
	epci, dps, _, _ := Rollups(ds, cs)
	res := &Result{Params: e.p, Sites: e.sites, Checks: e.checks, Indicators: e.frag.Uses}
	for x, i := range ext {
		if in[i] {
			res.Communes = append(res.Communes, cs[x])
		}
	}
	rankCommunes(res.Communes)
	res.EPCI = epci
	for _, d := range dps {
		if t.has(d.Code) {
			res.Deps = append(res.Deps, d)
		}
	}
	return res, nil
}

// territoryCommunes returns which communes are in t, and the indexes of
// those communes plus the other members of their EPCIs, in data order.
func territoryCommunes(ds *data.Dataset, t Territory) ([]bool, []int) {
	in := make([]bool, len(ds.Communes))
	epcis := map[string]bool{}
	for i := range ds.Communes {
		c := &ds.Communes[i]
		if t.Contains(c.Dep, c.Region) {
			in[i] = true
			if c.EPCI != "" {
				epcis[c.EPCI] = true
			}
		}
	}
	var ext []int
	for i := range ds.Communes {
		if in[i] || epcis[ds.Communes[i].EPCI] && ds.Communes[i].EPCI != "" {
			ext = append(ext, i)
		}
	}
	return in, ext
}

// communeResults computes the measures of the communes idx (data order).
func (e *engine) communeResults(idx []int) ([]CommuneResult, error) {
	byComm := e.byComm()
	nb := make([]int, len(e.ds.Communes))
	fte := make([]float64, len(e.ds.Communes))
	for _, j := range e.counted {
		i := byComm[e.sites[j].Commune]
		nb[i]++
		fte[i] += e.sites[j].SupplyFTE
	}
	// AdvisorFTE by commune index: the same sums, in the same site order.
	cnfs := make([]float64, len(e.ds.Communes))
	for j := range e.sites {
		if v, ok := advisorFTE(&e.sites[j].Site, e.p); ok {
			if i, known := byComm[e.sites[j].Commune]; known {
				cnfs[i] += v
			}
		}
	}
	amed := e.medianAccess(e.a)
	cs := make([]CommuneResult, len(idx))
	err := parallel(e.ctx, len(idx), e.workers, func(lo, hi int) error {
		for x := lo; x < hi; x++ {
			i := idx[x]
			j, t, err := e.nearestOf(i)
			if err != nil {
				return fmt.Errorf("lieu le plus proche de la commune %s : %w", e.ds.Communes[i].Code, err)
			}
			cs[x] = communeResult(&e.ds.Communes[i], nb[i], fte[i], j, t, e.a[i], e.d0, e.frag.indexAt(i), amed)
			cs[x].FTECNFS = cnfs[i]
		}
		return nil
	})
	return cs, err
}

// nearestOf is nearestSite, or the nearest site already known.
func (e *engine) nearestOf(i int) (int, float64, error) {
	if e.nearJ != nil {
		return e.nearJ[i], e.nearT[i], nil
	}
	return e.nearestSite(i)
}

// communeResult assembles the measures of one commune (Rank left 0).
func communeResult(c *data.Commune, nb int, fte float64, nearest int, t, a, d0 float64,
	fragility, amed float64) CommuneResult {
	r := CommuneResult{
		Code: c.Code, Name: c.Name, Dep: c.Dep, Region: c.Region, EPCI: c.EPCI,
		Population: c.Population, NbSites: nb, FTE: fte,
		NearestMin: t, NearestSite: nearest, Covered: t <= d0,
		Access10k: a * 10000, Fragility: fragility,
	}
	if c.Population > 0 {
		r.Per10k = fte / float64(c.Population) * 10000
	}
	if c.Zone == data.ZoneCOM {
		r.NoGeography, r.Fragility = true, math.NaN()
		return r
	}
	r.Gap = Gap(c.Population, r.Fragility, a, r.Covered, amed)
	if math.IsInf(t, 1) {
		r.NearestSite = -1
	}
	return r
}
