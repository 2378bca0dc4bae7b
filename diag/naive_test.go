package diag

import (
	"context"
	"fmt"
	"math"
	"testing"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// ComputeNaive is the reference implementation of Compute: the same
// measures by plain scans over every commune × site pair, on one
// goroutine, without any spatial index. Point-in-polygon uses orb/planar
// and nearest points a linear scan. It shares with Compute only the
// formulas that involve no pair (Kernel, Fragility, MedianAccess, Gap,
// Rollups and the ranking). It is the test oracle and the benchmark
// baseline: O(communes × sites) travel times, computed twice.
func ComputeNaive(ctx context.Context, ds *data.Dataset, params Params) (*Result, error) {
	p := params.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Timer == nil {
		p.Timer = geo.Model{Detour: p.Detour, SpeedKmh: p.SpeedKmh}
	}
	n := naive{ctx: ctx, ds: ds, p: p, tm: newTiming(p.Timer), d0: p.ThresholdMin}
	n.locate()
	n.supply()
	cs, err := n.measures()
	if err != nil {
		return nil, err
	}
	rankCommunes(cs)
	res := &Result{Params: p, Communes: cs, Sites: n.sites, Checks: n.checks}
	res.EPCI, res.Deps, res.Regions, res.France = Rollups(ds, cs)
	res.COM = COMRollup(cs)
	return res, nil
}

// againstNaive computes ds with params by Compute and by ComputeNaive,
// checks that they agree (compareResults) and returns both.
func againstNaive(t *testing.T, ds *data.Dataset, params Params) (got, want *Result) {
	t.Helper()
	got = mustCompute(t, ds, params)
	want, err := ComputeNaive(context.Background(), ds, params)
	if err != nil {
		t.Fatal(err)
	}
	compareResults(t, got, want)
	return got, want
}

type naive struct {
	ctx    context.Context
	ds     *data.Dataset
	p      Params
	tm     timing
	d0     float64
	checks data.Checks
	loc    []orb.Point
	has    []bool
	sites  []SiteResult
	cpts   []geo.Place // places of the counted sites
	cj     []int       // their site indexes
	out    []float64   // scratch row
}

// locate finds the commune points, then places the sites.
func (n *naive) locate() {
	var com comCount
	for _, c := range n.ds.Communes {
		pt, ok := c.Point, c.HasPoint && finitePoint(c.Point)
		if com.add(&c) {
			pt, ok = orb.Point{}, false
		} else if !ok && len(c.Polygon) > 0 {
			pt = geo.RepresentativePoint(c.Polygon)
			ok = pt != (orb.Point{}) && finitePoint(pt)
		}
		if !ok && c.Zone != data.ZoneCOM {
			n.checks.Add(checkNoLocation(c.Code))
		}
		n.loc, n.has = append(n.loc, pt), append(n.has, ok)
	}
	n.checks = append(n.checks, com.checks()...)
	a := &assigner{byCode: communeIndex(n.ds), renamed: n.ds.Renamed}
	for _, s := range n.ds.Sites {
		s.Commune = n.assign(a, &s)
		n.sites = append(n.sites, SiteResult{Site: s, NearestOtherMin: math.Inf(1)})
	}
}

// assign applies the rules of Assign by linear scans.
func (n *naive) assign(a *assigner, s *data.Site) string {
	declared := ""
	if s.INSEE != "" {
		declared = a.current(s.INSEE)
	}
	usable := finitePoint(s.Point)
	for i := range n.ds.Communes {
		if c := &n.ds.Communes[i]; usable && len(c.Polygon) > 0 && planar.MultiPolygonContains(c.Polygon, s.Point) {
			if s.INSEE != "" && declared != c.Code {
				n.checks.Add(checkDisagree(s, declared, c.Code))
			}
			return c.Code
		}
	}
	if declared != "" {
		return declared
	}
	best, bestKm := -1, math.Inf(1)
	for i, c := range n.ds.Communes {
		if usable && c.HasPoint && finitePoint(c.Point) {
			if d := geo.HaversineKm(s.Point, c.Point); d < bestKm {
				best, bestKm = i, d
			}
		}
	}
	if best >= 0 {
		if s.INSEE != "" {
			n.checks.Add(checkNearest(s, n.ds.Communes[best].Code))
		}
		return n.ds.Communes[best].Code
	}
	n.checks.Add(checkUnplaced(s))
	return ""
}

// supply marks the counted sites and sets S_j.
func (n *naive) supply() {
	for j := range n.sites {
		s := &n.sites[j]
		fte, counted := n.p.supply(s.Kind, s.FTE)
		if !counted || s.Commune == "" {
			continue
		}
		if !finitePoint(s.Point) || !(fte >= 0) || math.IsInf(fte, 0) {
			n.checks.Add(checkUnusable(&s.Site))
			continue
		}
		s.Counted, s.SupplyFTE = true, fte
		n.cpts, n.cj = append(n.cpts, SitePlace(&s.Site)), append(n.cj, j)
	}
	n.out = make([]float64, len(n.cpts))
}

// row sets t[j] to the travel time from commune i to every site j
// (+Inf for sites not counted).
func (n *naive) row(i int, t []float64) error {
	if err := n.tm.fromPoint(n.ctx, geo.Place{Point: n.loc[i], Commune: n.ds.Communes[i].Code}, n.cpts, n.out); err != nil {
		return err
	}
	for j := range t {
		t[j] = math.Inf(1)
	}
	for x, j := range n.cj {
		t[j] = n.out[x]
	}
	return nil
}

// measures scans all pairs twice: nearest site and Σ_k P_k·W(t_kj), then
// A_i = Σ_j G_ij·R_j·W(t_ij) (G = 1 but for 3SFCA); then the per-commune figures.
func (n *naive) measures() ([]CommuneResult, error) {
	near, nearT, err := n.demand()
	if err != nil {
		return nil, err
	}
	n.ratios()
	a, err := n.access()
	if err != nil {
		return nil, err
	}
	if err := n.nearestOthers(); err != nil {
		return nil, err
	}
	return n.communes(a, near, nearT), nil
}

// demand finds the nearest site of every commune and sums ReachPop.
func (n *naive) demand() ([]int, []float64, error) {
	nc := len(n.ds.Communes)
	t := make([]float64, len(n.sites))
	near, nearT := make([]int, nc), make([]float64, nc)
	for i, c := range n.ds.Communes {
		near[i], nearT[i] = -1, math.Inf(1)
		if !n.has[i] {
			continue
		}
		if err := n.row(i, t); err != nil {
			return nil, nil, fmt.Errorf("diag: naive: %w", err)
		}
		g := n.selection(t)
		for j := range n.sites {
			if t[j] < nearT[i] {
				near[i], nearT[i] = j, t[j]
			}
			if t[j] <= n.d0 {
				w := n.p.weight(t[j])
				n.sites[j].ReachPop += g(w) * float64(max(c.Population, 0)) * w
			}
		}
	}
	return near, nearT, nil
}

// ratios sets R_j = S_j / ReachPop_j (0, with a Warning, when empty).
func (n *naive) ratios() {
	for j := range n.sites {
		s := &n.sites[j]
		if !s.Counted {
			continue
		}
		if s.ReachPop > 0 {
			s.R = s.SupplyFTE / s.ReachPop
		} else {
			n.checks.Add(checkNoReach(&s.Site, n.d0))
		}
	}
}

// access returns A_i = Σ_j R_j·W(t_ij) for every commune.
func (n *naive) access() ([]float64, error) {
	t := make([]float64, len(n.sites))
	a := make([]float64, len(n.ds.Communes))
	for i := range n.ds.Communes {
		if !n.has[i] {
			continue
		}
		if err := n.row(i, t); err != nil {
			return nil, fmt.Errorf("diag: naive: %w", err)
		}
		g := n.selection(t)
		for j := range n.sites {
			if t[j] <= n.d0 {
				w := n.p.weight(t[j])
				a[i] += g(w) * n.sites[j].R * w
			}
		}
	}
	if n.p.Normalize {
		pop := make([]float64, len(a))
		for i, c := range n.ds.Communes {
			pop[i] = float64(max(c.Population, 0))
		}
		normalize(a, pop, n.has)
	}
	return a, nil
}

// selection returns G(W_ij) of Method3SFCA for the row t of travel times
// from one commune to every site, W_ij / Σ_k W_ik over the sites within
// d0 (0 when the sum is 0); 1 for the other methods.
func (n *naive) selection(t []float64) func(w float64) float64 {
	if n.p.Method != Method3SFCA {
		return func(float64) float64 { return 1 }
	}
	sum := 0.0
	for j := range n.sites {
		if t[j] <= n.d0 {
			sum += n.p.weight(t[j])
		}
	}
	return func(w float64) float64 {
		if sum > 0 {
			return w / sum
		}
		return 0
	}
}

// nearestOthers scans every site pair for NearestOtherMin.
func (n *naive) nearestOthers() error {
	for j := range n.sites {
		s := &n.sites[j]
		if !finitePoint(s.Point) {
			continue
		}
		if err := n.tm.fromPoint(n.ctx, SitePlace(&s.Site), n.cpts, n.out); err != nil {
			return fmt.Errorf("diag: naive: %w", err)
		}
		for x, k := range n.cj {
			if k != j {
				s.NearestOtherMin = min(s.NearestOtherMin, n.out[x])
			}
		}
	}
	return nil
}

// communes assembles the per-commune figures.
func (n *naive) communes(a []float64, near []int, nearT []float64) []CommuneResult {
	nb := map[string]int{}
	fte := map[string]float64{}
	for _, s := range n.sites {
		if s.Counted {
			nb[s.Commune]++
			fte[s.Commune] += s.SupplyFTE
		}
	}
	pops := make([]int, len(n.ds.Communes))
	for i, c := range n.ds.Communes {
		pops[i] = c.Population
	}
	amed := MedianAccess(a, pops)
	frag := NewFragility(n.ds, n.p.Weights)
	cnfs := AdvisorFTE(n.sites, n.p)
	cs := make([]CommuneResult, len(n.ds.Communes))
	for i := range n.ds.Communes {
		c := &n.ds.Communes[i]
		cs[i] = communeResult(c, nb[c.Code], fte[c.Code], near[i], nearT[i], a[i], n.d0, frag.Index(c.Code), amed)
		cs[i].FTECNFS = cnfs[c.Code]
	}
	return cs
}
