package diag

import (
	"context"
	"math"
	"slices"
	"sync"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// engine holds the state of one computation. Commune indexes (i, k) are
// indexes in ds.Communes; counted-site indexes (q) are positions in
// counted, in increasing site order.
type engine struct {
	ctx     context.Context
	ds      *data.Dataset
	p       Params
	tm      timing
	d0      float64
	workers int
	checks  data.Checks
	frag    *Fragility

	loc  []orb.Point // representative point of each commune
	has  []bool      // the commune has one
	pop  []float64   // P_i (negative populations read as 0)
	cidx *geo.PointIndex
	cown []int // cidx index -> commune index

	sites   []SiteResult
	counted []int       // site indexes of the counted sites
	spts    []orb.Point // their points
	splaces []geo.Place // their points with commune and id, for the timer
	sidx    *geo.PointIndex
	byComm  map[string]int
	asg     *assigner     // places sites in communes (kept for WithSites)
	achecks []data.Checks // per site: the checks of its placement
	cchecks data.Checks   // of the communes' locations (locateCommunes)
	// nearJ, nearT: per commune, the nearest counted site (site index, -1
	// for none) and its time when already known (WithSites); nil otherwise.
	nearJ []int
	nearT []float64

	pairs [][]Reach // per counted site: communes with t ≤ d0, by increasing k (exactly sized)
	a     []float64 // A_i per commune
	norm  float64   // Ā, the divisor of Params.Normalize (1 without it)
	raw   []float64 // A_i before Params.Normalize divides them (nil without it)
	off   []int     // per commune: its pairs are cq[off[i]:off[i+1]]
	cq    []int32
	cw    []float64
	ct    []float64
}

func newEngine(ctx context.Context, ds *data.Dataset, params Params) (*engine, error) {
	p := params.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.Timer = p.timer()
	e := &engine{ctx: ctx, ds: ds, p: p, tm: newTiming(p.Timer), d0: p.ThresholdMin, byComm: communeIndex(ds)}
	// Every TravelTimer is safe for concurrent use; a remote one bounds
	// its own concurrency.
	e.workers = defaultWorkers()
	// Three independent preparations, each with its own checks.
	var cc, sc data.Checks
	var wg sync.WaitGroup
	wg.Go(func() { cc = e.locateCommunes(); e.cchecks = cc })
	wg.Go(func() { sc = e.prepareSites() })
	wg.Go(func() { e.frag = NewFragility(ds, p.Weights) })
	wg.Wait()
	e.checks = slices.Concat(cc, sc, e.frag.Checks)
	return e, nil
}

// locateCommunes sets the representative point of every commune: its
// Point, else the representative point of its polygon; a commune with
// neither is a Warning and takes no part in travel times.
func (e *engine) locateCommunes() (checks data.Checks) {
	n := len(e.ds.Communes)
	e.loc, e.has, e.pop = make([]orb.Point, n), make([]bool, n), make([]float64, n)
	var pts []orb.Point
	var com comCount
	for i, c := range e.ds.Communes {
		e.pop[i] = float64(max(c.Population, 0))
		switch {
		case com.add(&c):
		case c.HasPoint && finitePoint(c.Point):
			e.loc[i], e.has[i] = c.Point, true
		case len(c.Polygon) > 0:
			if rp := geo.RepresentativePoint(c.Polygon); rp != (orb.Point{}) && finitePoint(rp) {
				e.loc[i], e.has[i] = rp, true
			}
		}
		if !e.has[i] {
			if c.Zone == data.ZoneCOM {
				continue
			}
			checks.Add(checkNoLocation(c.Code))
			continue
		}
		pts = append(pts, e.loc[i])
		e.cown = append(e.cown, i)
	}
	e.cidx = geo.NewPointIndex(pts)
	return append(checks, com.checks()...)
}

// comCount counts the communes of the overseas collectivities (COM),
// which take no part in the measures.
type comCount struct{ n, pop int }

// add counts c when it is a commune of a COM, and reports whether it is.
func (k *comCount) add(c *data.Commune) bool {
	if c.Zone != data.ZoneCOM {
		return false
	}
	k.n++
	k.pop += max(c.Population, 0)
	return true
}

// checks returns the one warning that says the COM are not computed.
func (k *comCount) checks() data.Checks {
	var checks data.Checks
	if k.n > 0 {
		checks.Add(checkCOM(k.n, k.pop))
	}
	return checks
}

// prepareSites assigns the sites and sets their supply S_j.
func (e *engine) prepareSites() data.Checks {
	e.asg = newAssigner(e.ds)
	sites, per := e.asg.assignAll(e.ds.Sites)
	return e.placeSites(sites, per)
}

// placeSites sets the sites placed in their communes (per: the checks of
// each placement) and their supply S_j, and indexes the counted ones.
func (e *engine) placeSites(sites []data.Site, per []data.Checks) data.Checks {
	e.achecks = per
	checks := slices.Concat(per...)
	e.sites = make([]SiteResult, len(sites))
	for j, s := range sites {
		e.sites[j] = SiteResult{Site: s, NearestOtherMin: math.Inf(1)}
		fte, counted := e.p.supply(s.Kind, s.FTE)
		if !counted || s.Commune == "" {
			continue
		}
		if !finitePoint(s.Point) || !(fte >= 0) || math.IsInf(fte, 0) {
			checks.Add(checkUnusable(&s))
			continue
		}
		e.sites[j].Counted, e.sites[j].SupplyFTE = true, fte
		e.counted = append(e.counted, j)
		e.spts = append(e.spts, s.Point)
		e.splaces = append(e.splaces, SitePlace(&s))
	}
	e.sidx = geo.NewPointIndex(e.spts)
	return checks
}

// e2sfca runs the two steps of the method (see Method) over every counted
// site and every commune of the data set:
//
//	R_j = S_j / Σ_k G_kj·P_k·W(t_kj)   (0 when the sum is 0, with a Warning)
//	A_i = Σ_j G_ij·R_j·W(t_ij)
//
// with G = 1 except for 3SFCA.
// Sums run in increasing index order, so the result is the same bit for
// bit whatever the number of workers.
func (e *engine) e2sfca() error {
	e.pairs = make([][]Reach, len(e.counted))
	reach := e.tm.reachKm(e.d0)
	err := parallel(e.ctx, len(e.counted), e.workers, func(lo, hi int) error {
		var buf siteBuf
		for q := lo; q < hi; q++ {
			if err := e.catchment(q, reach, &buf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := e.transpose(); err != nil {
		return err
	}
	g := e.selection()
	// R_j by site and A_i by commune, each on all cores: every sum stays
	// in its own slot and in index order.
	if err := parallel(e.ctx, len(e.counted), e.workers, func(lo, hi int) error {
		for q := lo; q < hi; q++ {
			e.setRatio(q, g)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, j := range e.counted {
		if s := &e.sites[j]; !(s.ReachPop > 0) {
			e.checks.Add(checkNoReach(&s.Site, e.d0))
		}
	}
	r := e.ratios()
	e.a = make([]float64, len(e.ds.Communes))
	if err := parallel(e.ctx, len(e.a), e.workers, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			e.a[i] = e.access(i, g, r)
		}
		return nil
	}); err != nil {
		return err
	}
	e.normalize()
	return nil
}

// normalize sets norm and, with Params.Normalize, keeps A_i in raw and
// divides them by Ā.
func (e *engine) normalize() {
	e.norm, e.raw = 1, nil
	if e.p.Normalize {
		e.raw = slices.Clone(e.a)
		e.norm = normalize(e.a, e.pop, e.has)
	}
}

// ratio sets ReachPop and R_j of counted site q from its pairs; a site
// that reaches no one is a Warning.
func (e *engine) ratio(q int, g func(i int, w float64) float64) {
	if !e.setRatio(q, g) {
		e.checks.Add(checkNoReach(&e.sites[e.counted[q]].Site, e.d0))
	}
}

// setRatio sets ReachPop and R_j of counted site q from its pairs, and
// reports whether the site reaches anyone (ReachPop > 0).
func (e *engine) setRatio(q int, g func(i int, w float64) float64) bool {
	s := &e.sites[e.counted[q]]
	s.ReachPop = 0
	for _, pr := range e.pairs[q] {
		s.ReachPop += g(int(pr.Commune), pr.W) * e.pop[pr.Commune] * pr.W
	}
	if s.ReachPop > 0 {
		s.R = s.SupplyFTE / s.ReachPop
		return true
	}
	s.R = 0
	return false
}

// ratios returns R_j of the counted sites, by counted position.
func (e *engine) ratios() []float64 {
	r := make([]float64, len(e.counted))
	for q, j := range e.counted {
		r[q] = e.sites[j].R
	}
	return r
}

// access returns A_i from the pairs of commune i, by increasing site
// order, and the ratios r by counted position.
func (e *engine) access(i int, g func(i int, w float64) float64, r []float64) float64 {
	var a float64
	for x := e.off[i]; x < e.off[i+1]; x++ {
		a += g(i, e.cw[x]) * r[e.cq[x]] * e.cw[x]
	}
	return a
}

// selection returns G(i, W_ij), the selection weight of Method3SFCA,
// G_ij = W_ij / Σ_k W_ik (0 when the sum is 0); 1 for the other methods.
// Σ_k W_ik runs over the pairs of commune i by increasing site order.
func (e *engine) selection() func(i int, w float64) float64 {
	if e.p.Method != Method3SFCA {
		return func(int, float64) float64 { return 1 }
	}
	sum := make([]float64, len(e.ds.Communes))
	for i := range sum {
		for x := e.off[i]; x < e.off[i+1]; x++ {
			sum[i] += e.cw[x]
		}
	}
	return func(i int, w float64) float64 {
		if sum[i] > 0 {
			return w / sum[i]
		}
		return 0
	}
}

// normalize divides a by its mean weighted by pop over the communes that
// have a point (has), Σ pop_i·a_i / Σ pop_i (Params.Normalize); a stays
// unchanged when that mean is 0. It returns the divisor (1 when a is
// unchanged).
func normalize(a, pop []float64, has []bool) float64 {
	var num, den float64
	for i := range a {
		if has[i] {
			num += pop[i] * a[i]
			den += pop[i]
		}
	}
	if num > 0 && den > 0 {
		m := num / den
		for i := range a {
			a[i] /= m
		}
		return m
	}
	return 1
}

// siteBuf holds the scratch slices of one worker.
type siteBuf struct {
	ns  []geo.Neighbor // Index: commune index
	pts []geo.Place
	t   []float64
}

// catchment sets the pairs of counted site q (catchmentAt at its place).
func (e *engine) catchment(q int, reach float64, b *siteBuf) error {
	ps, err := e.catchmentAt(e.ctx, e.splaces[q], reach, b)
	e.pairs[q] = ps
	return err
}

// catchmentAt is the one catchment routine, for sites (E2SFCA, the
// incremental update) and for candidate points (Baseline.Catchments):
// the communes within d0 of p (t ≤ ThresholdMin), by increasing commune
// index, in an exactly sized slice (nil when none). With the model, t
// comes from the distance the index reports, which is
// HaversineKm(p, commune) exactly (the PointIndex contract) and
// HaversineKm is symmetric, so t is Model.Minutes(commune, p) bit for
// bit. A non-finite point reaches nothing.
func (e *engine) catchmentAt(ctx context.Context, p geo.Place, reach float64, b *siteBuf) ([]Reach, error) {
	if !finitePoint(p.Point) {
		return nil, nil
	}
	if err := e.timesWithin(ctx, p, reach, b); err != nil {
		return nil, err
	}
	n := 0
	for _, t := range b.t {
		if t <= e.d0 {
			n++
		}
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]Reach, 0, n)
	for x, nb := range b.ns {
		if t := b.t[x]; t <= e.d0 {
			out = append(out, Reach{Commune: int32(nb.Index), Minutes: t, W: e.p.weight(t)})
		}
	}
	return out, nil
}

// timesWithin sets b.ns to the communes within reach km of p, by
// increasing commune index, and b.t to their travel times to p (exact up
// to d0, possibly +Inf above: only the pairs within d0 are kept).
func (e *engine) timesWithin(ctx context.Context, p geo.Place, reach float64, b *siteBuf) error {
	b.ns = b.ns[:0]
	e.cidx.Within(p.Point, reach, func(n geo.Neighbor) bool {
		b.ns = append(b.ns, geo.Neighbor{Index: e.cown[n.Index], Km: n.Km})
		return true
	})
	slices.SortFunc(b.ns, func(x, y geo.Neighbor) int { return x.Index - y.Index })
	b.t = growFloats(b.t, len(b.ns))
	if e.tm.fast {
		for x, n := range b.ns {
			b.t[x] = e.tm.kmMinutes(e.communePlace(n.Index), n.Km)
		}
		return nil
	}
	b.pts = b.pts[:0]
	for _, n := range b.ns {
		b.pts = append(b.pts, e.communePlace(n.Index))
	}
	return e.tm.toPoint(ctx, b.pts, p, e.d0, b.t)
}

// transpose lists the pairs of every commune, by increasing site order,
// on all cores: each worker takes a range of communes and, for every
// site in increasing order, the part of its pairs (sorted by commune)
// that falls in the range, so it writes only its communes' slots.
func (e *engine) transpose() error {
	n := len(e.ds.Communes)
	e.off = make([]int, n+1)
	if err := e.byCommune(func(_ int32, ps []Reach) {
		for _, pr := range ps {
			e.off[pr.Commune+1]++
		}
	}); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		e.off[i+1] += e.off[i]
	}
	m := e.off[n]
	e.cq, e.cw, e.ct = make([]int32, m), make([]float64, m), make([]float64, m)
	fill := append([]int(nil), e.off[:n]...)
	return e.byCommune(func(q int32, ps []Reach) {
		for _, pr := range ps {
			x := fill[pr.Commune]
			e.cq[x], e.cw[x], e.ct[x] = q, pr.W, pr.Minutes
			fill[pr.Commune]++
		}
	})
}

// byCommune calls fn(q, ps) for every counted site q in increasing
// order, ps being the part of its pairs in a range of communes, with the
// ranges split over the workers: each commune's pairs are seen by one
// worker, by increasing q.
func (e *engine) byCommune(fn func(q int32, ps []Reach)) error {
	return parallel(e.ctx, len(e.ds.Communes), e.workers, func(clo, chi int) error {
		for q, ps := range e.pairs {
			lo, _ := slices.BinarySearchFunc(ps, int32(clo), func(r Reach, k int32) int { return int(r.Commune - k) })
			hi := lo
			for hi < len(ps) && ps[hi].Commune < int32(chi) {
				hi++
			}
			if hi > lo {
				fn(int32(q), ps[lo:hi])
			}
		}
		return nil
	})
}

// nearestSite returns the counted site with the smallest travel time from
// commune i (ties to the lowest site index) and that time. Its pairs hold
// every site within d0; beyond, the index is searched by distance.
func (e *engine) nearestSite(i int) (int, float64, error) {
	if !e.has[i] {
		return -1, math.Inf(1), nil
	}
	best, bestQ := math.Inf(1), -1
	for x := e.off[i]; x < e.off[i+1]; x++ {
		if e.ct[x] < best {
			best, bestQ = e.ct[x], int(e.cq[x])
		}
	}
	if bestQ < 0 {
		var err error
		if bestQ, best, err = e.tm.nearest(e.ctx, e.sidx, e.splaces, e.communePlace(i), -1, 2*e.tm.reachKm(e.d0)); err != nil {
			return -1, math.Inf(1), err
		}
	}
	if bestQ < 0 {
		return -1, math.Inf(1), nil
	}
	return e.counted[bestQ], best, nil
}

// nearestOthers sets NearestOtherMin of every site: the travel time to the
// nearest other counted site.
func (e *engine) nearestOthers() error {
	qOf := make([]int, len(e.sites))
	for j := range qOf {
		qOf[j] = -1
	}
	for q, j := range e.counted {
		qOf[j] = q
	}
	return parallel(e.ctx, len(e.sites), e.workers, func(lo, hi int) error {
		for j := lo; j < hi; j++ {
			if err := e.nearestOther(j, qOf[j]); err != nil {
				return err
			}
		}
		return nil
	})
}

// nearestOther sets NearestOtherMin of site j, whose counted position is
// q (-1 when it is not counted): the travel time to the nearest other
// counted site (+Inf when none, or when j has no usable point).
func (e *engine) nearestOther(j, q int) error {
	s := &e.sites[j]
	s.NearestOtherMin = math.Inf(1)
	if !finitePoint(s.Point) {
		return nil
	}
	q, t, err := e.tm.nearest(e.ctx, e.sidx, e.splaces, SitePlace(&s.Site), q, e.tm.reachKm(e.d0)/2)
	if err != nil {
		return err
	}
	if q >= 0 {
		s.NearestOtherMin = t
	}
	return nil
}

// communePlace returns the place of commune i for the timer: its
// representative point and its code.
func (e *engine) communePlace(i int) geo.Place {
	return geo.Place{Point: e.loc[i], Commune: e.ds.Communes[i].Code}
}

// SitePlace returns the place of a site for a geo.TravelTimer: its point, the
// commune it is assigned to and its id.
func SitePlace(s *data.Site) geo.Place {
	return geo.Place{Point: s.Point, Commune: s.Commune, ID: s.ID}
}

// sortScratch holds the scratch slices of sortNeighbors.
type sortScratch struct {
	keys []uint64
	tmp  []geo.Neighbor
}

// sortNeighbors sorts ns by increasing Index (indexes are distinct).
// Short lists take an insertion sort, longer ones a sort of
// Index<<32 | position keys (no comparison function) and a gather.
func sortNeighbors(ns []geo.Neighbor, s *sortScratch) {
	if len(ns) <= 24 {
		for x := 1; x < len(ns); x++ {
			for y := x; y > 0 && ns[y-1].Index > ns[y].Index; y-- {
				ns[y-1], ns[y] = ns[y], ns[y-1]
			}
		}
		return
	}
	s.keys = s.keys[:0]
	for x, n := range ns {
		s.keys = append(s.keys, uint64(n.Index)<<32|uint64(x))
	}
	slices.Sort(s.keys)
	s.tmp = append(s.tmp[:0], ns...)
	for x, k := range s.keys {
		ns[x] = s.tmp[k&0xffffffff]
	}
}

// siteSum is the sum v of one counted site q (siteSums).
type siteSum struct {
	q int32
	v float64
}

// siteSums accumulates sums per counted site in a dense array, keeping
// the list of the sites touched: the sums of a block of units, each
// site's terms added in the block's order.
type siteSums struct {
	acc     []float64
	seen    []bool
	touched []int32
}

func newSiteSums(n int) *siteSums {
	return &siteSums{acc: make([]float64, n), seen: make([]bool, n)}
}

// add adds v to the sum of site q.
func (s *siteSums) add(q int32, v float64) {
	if !s.seen[q] {
		s.seen[q] = true
		s.touched = append(s.touched, q)
	}
	s.acc[q] += v
}

// take returns the sums of the touched sites, in the order they were
// first touched, and resets them.
func (s *siteSums) take() []siteSum {
	out := make([]siteSum, len(s.touched))
	for x, q := range s.touched {
		out[x] = siteSum{q, s.acc[q]}
		s.acc[q], s.seen[q] = 0, false
	}
	s.touched = s.touched[:0]
	return out
}

func growFloats(x []float64, n int) []float64 {
	if cap(x) < n {
		return make([]float64, n)
	}
	return x[:n]
}
