package diag

import (
	"context"
	"math"
	"math/bits"
	"runtime"
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

	loc []orb.Point // representative point of each commune
	has []bool      // the commune has one
	pop []float64   // P_i (negative populations read as 0)
	// communes is the set of the located communes, its index built on
	// first use (only the catchments of sites and points ask for it: the
	// pairs of the travel-time model search the sites' index).
	communes placeSet

	sites   []SiteResult
	counted []int       // site indexes of the counted sites
	spts    []orb.Point // their points
	splaces []geo.Place // their points with commune and id, for the timer
	// sidx indexes the counted points in an R-tree, built on first use
	// (catchments of points, demand units, another timer's nearest site:
	// Compute with the model searches the strips only).
	sidx func() *geo.PointIndex
	// sstrips holds the counted points in latitude strips for the pairs
	// of a geo.DistanceTimer (searchRow; nil with another timer).
	sstrips *geo.StripIndex
	// byComm indexes the communes by code, built on first use (the
	// results: at grid scale it is not held beside the pairs).
	byComm  func() map[string]int
	asg     *assigner     // places sites in communes (kept for WithSites)
	achecks []data.Checks // per site: the checks of its placement
	cchecks data.Checks   // of the communes' locations (locateCommunes)
	// nearJ, nearT: per commune, the nearest counted site (site index, -1
	// for none) and its time when already known (WithSites); nil otherwise.
	nearJ []int
	nearT []float64

	// rows: the pairs of every commune, by blocks of rowBlock communes
	// (pairRows); nq, nt: per commune, the counted position of its
	// nearest site within d0 (-1: none) and that time (+Inf: none).
	rows []pairRows
	nq   []int32
	nt   []float64
	a    []float64 // A_i per commune
	norm float64   // Ā, the divisor of Params.Normalize (1 without it)
	raw  []float64 // A_i before Params.Normalize divides them (nil without it)
}

// collectCommunes is the number of communes (or demand points) from
// which e2sfca collects the garbage of the preparation before building
// the pairs (the grid case; the national data set has 35,000).
const collectCommunes = 256 << 10

// rowBlock is the number of communes per block of pairs (pairRows).
const rowBlock = 512

// pairRows holds the pairs of the communes first … first+len(off)−2:
// the pairs of commune first+u are the counted sites q[off[u]:off[u+1]]
// within d0 (t ≤ d0), by increasing position, with their weights W(t)
// in w. One compact copy (12 bytes a pair), exactly sized, in blocks so
// that they are built on all cores without a copy.
type pairRows struct {
	first int
	off   []int32
	q     []int32
	w     []float64
}

// row returns the pairs of commune i: counted positions and weights.
func (e *engine) row(i int) ([]int32, []float64) {
	b := &e.rows[i/rowBlock]
	u := i - b.first
	return b.q[b.off[u]:b.off[u+1]], b.w[b.off[u]:b.off[u+1]]
}

func newEngine(ctx context.Context, ds *data.Dataset, params Params) (*engine, error) {
	p := params.WithDefaults()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.Timer = p.timer()
	e := &engine{ctx: ctx, ds: ds, p: p, tm: newTiming(p.Timer), d0: p.ThresholdMin,
		byComm: sync.OnceValue(func() map[string]int { return communeIndex(ds) })}
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
	own := make([]int, 0, n)
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
		own = append(own, i)
	}
	loc, cs := e.loc, e.ds.Communes
	e.communes = newPlaceSet(len(own), own, 0, func(i int) geo.Place { return geo.Place{Point: loc[i], Commune: cs[i].Code} })
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
	e.counted, e.spts, e.splaces = make([]int, 0, len(sites)), make([]orb.Point, 0, len(sites)), make([]geo.Place, 0, len(sites))
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
	spts := e.spts
	e.sidx = sync.OnceValue(func() *geo.PointIndex { return geo.NewPointIndex(spts) })
	if e.tm.fast {
		e.sstrips = geo.NewStripIndex(e.spts, stripHeight(e.tm.reachKm(e.d0)))
	}
	return checks
}

// e2sfca runs the two steps of the method (see Method) over every counted
// site and every commune of the data set:
//
//	R_j = S_j / Σ_k G_kj·P_k·W(t_kj)   (0 when the sum is 0, with a Warning)
//	A_i = Σ_j G_ij·R_j·W(t_ij)
//
// with G = 1 except for 3SFCA.
// Sums run in increasing index order (over k for R_j, over j for A_i),
// so the result is the same bit for bit whatever the number of workers.
func (e *engine) e2sfca() error {
	if len(e.ds.Communes) >= collectCommunes {
		// The preparation's garbage (the assigner's indexes as they grew,
		// the data set's copies) is freed for the pairs to reuse: the
		// collector, paced on the heap before them, would not run while
		// they are built.
		runtime.GC()
	}
	if err := e.buildRows(); err != nil {
		return err
	}
	g := e.selection()
	reach, err := e.reachSums(g, nil)
	if err != nil {
		return err
	}
	for q, j := range e.counted {
		s := &e.sites[j]
		s.ReachPop, s.R = reach[q], 0
		if s.ReachPop > 0 {
			s.R = s.SupplyFTE / s.ReachPop
		} else {
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

// buildRows sets rows, nq and nt. With a geo.DistanceTimer each
// commune's counted sites within reach are found from the commune
// (searchRow); with another timer each site's catchment is asked of the
// timer and the pairs are regrouped by commune (rowsFromSites).
func (e *engine) buildRows() error {
	if !e.tm.fast {
		n := len(e.ds.Communes)
		e.rows = make([]pairRows, (n+rowBlock-1)/rowBlock)
		e.nq, e.nt = make([]int32, n), make([]float64, n)
		return e.rowsFromSites()
	}
	return e.fillRows(e.searchRow)
}

// rowBuf holds the scratch slices of one worker of fillRows.
type rowBuf struct {
	ns []geo.Neighbor
	ss sortScratch
	q  []int32
	w  []float64
}

// rowBufs holds one rowBuf per worker of fillRows, kept from block to
// block and from one computation to the next (the national run makes
// two), so that its slices do not grow again each time.
var rowBufs sync.Pool

// fillRows sets rows, nq and nt, each(i, rb) appending the pairs of
// commune i to rb.q, rb.w and setting nq[i], nt[i]; the blocks of
// communes are built on all cores.
func (e *engine) fillRows(each func(i int, rb *rowBuf)) error {
	n := len(e.ds.Communes)
	e.rows = make([]pairRows, (n+rowBlock-1)/rowBlock)
	e.nq, e.nt = make([]int32, n), make([]float64, n)
	return parallelChunks(e.ctx, len(e.rows), e.workers, 1, func(lo, hi int) error {
		rb, _ := rowBufs.Get().(*rowBuf)
		if rb == nil {
			rb = new(rowBuf)
		}
		defer rowBufs.Put(rb)
		for b := lo; b < hi; b++ {
			first, last := b*rowBlock, min(n, (b+1)*rowBlock)
			off := make([]int32, last-first+1)
			rb.q, rb.w = rb.q[:0], rb.w[:0]
			for i := first; i < last; i++ {
				off[i-first] = int32(len(rb.q))
				each(i, rb)
			}
			off[last-first] = int32(len(rb.q))
			e.rows[b] = pairRows{first: first, off: off, q: slices.Clone(rb.q), w: slices.Clone(rb.w)}
		}
		return nil
	})
}

// stripHeight is the height in degrees of the strips of the counted
// sites searched within reach km: half the reach in latitude (2 to 3
// strips a query; on the national data it reads fewer candidates and
// costs about 30 % less than the sites' R-tree).
func stripHeight(reach float64) float64 {
	return reach / geo.EarthRadiusKm * 180 / math.Pi / 2
}

// searchRow appends the pairs of commune i to rb and sets nq[i], nt[i]
// (geo.DistanceTimer only): the counted sites within reach of its point,
// by increasing position, whose time is at most d0. The distance is
// HaversineKm, symmetric bit for bit, so t is the time the site's
// catchment (appendCatchment) gives.
func (e *engine) searchRow(i int, rb *rowBuf) {
	e.nq[i], e.nt[i] = -1, math.Inf(1)
	if !e.has[i] {
		return
	}
	rb.ns = e.sstrips.AppendWithin(rb.ns[:0], e.loc[i], e.tm.reachKm(e.d0))
	sortNeighbors(rb.ns, &rb.ss)
	kern := e.p.kernel()
	if m := e.tm.model; m != nil && kern.Kind == DecayGaussian {
		e.gaussRow(i, rb, m.Detour, m.SpeedKmh)
		return
	}
	place := e.communePlace(i)
	for _, nb := range rb.ns {
		if t := e.tm.kmMinutes(place, nb.Km); t <= e.d0 {
			rb.q, rb.w = append(rb.q, int32(nb.Index)), append(rb.w, kern.Weight(t, e.d0))
			if t < e.nt[i] {
				e.nq[i], e.nt[i] = int32(nb.Index), t
			}
		}
	}
}

// gaussRow is the loop of searchRow for the model (detour, speed: its
// fields) and the Gaussian kernel, written out: t = km × detour / speed
// × 60 as geo.Model.MinMinutes computes it and W = Kernel(t, d0), the
// same operations in the same order, hence the same bits, without a
// call per pair.
func (e *engine) gaussRow(i int, rb *rowBuf, detour, speed float64) {
	d0 := e.d0
	nq, nt := int32(-1), math.Inf(1)
	for _, nb := range rb.ns {
		if t := nb.Km * detour / speed * 60; t <= d0 {
			rb.q, rb.w = append(rb.q, int32(nb.Index)), append(rb.w, gaussKernel(t/d0))
			if t < nt {
				nq, nt = int32(nb.Index), t
			}
		}
	}
	e.nq[i], e.nt[i] = nq, nt
}

// rowsFromSites sets rows, nq and nt from the catchment of every counted
// site (the timer's times), each block of communes on one worker taking,
// for every site in increasing order, the part of its pairs (sorted by
// commune) that falls in the block.
func (e *engine) rowsFromSites() error {
	pairs := make([][]Reach, len(e.counted))
	reach := e.tm.reachKm(e.d0)
	err := parallel(e.ctx, len(e.counted), e.workers, func(lo, hi int) error {
		var buf siteBuf
		for q := lo; q < hi; q++ {
			ps, err := e.appendCatchment(e.ctx, nil, &e.communes, e.splaces[q], reach, &buf)
			if err != nil {
				return err
			}
			pairs[q] = ps
		}
		return nil
	})
	if err != nil {
		return err
	}
	n := len(e.ds.Communes)
	return parallelChunks(e.ctx, len(e.rows), e.workers, 1, func(lo, hi int) error {
		for b := lo; b < hi; b++ {
			first, last := b*rowBlock, min(n, (b+1)*rowBlock)
			off := make([]int32, last-first+1)
			span := make([][2]int, len(pairs))
			for q, ps := range pairs {
				x, _ := slices.BinarySearchFunc(ps, int32(first), func(r Reach, k int32) int { return int(r.Commune - k) })
				y := x
				for y < len(ps) && ps[y].Commune < int32(last) {
					off[ps[y].Commune-int32(first)+1]++
					y++
				}
				span[q] = [2]int{x, y}
			}
			for u := range last - first {
				off[u+1] += off[u]
			}
			m := off[last-first]
			rq, rw := make([]int32, m), make([]float64, m)
			fill := slices.Clone(off[:last-first])
			for i := first; i < last; i++ {
				e.nq[i], e.nt[i] = -1, math.Inf(1)
			}
			for q, ps := range pairs {
				for _, pr := range ps[span[q][0]:span[q][1]] {
					u := pr.Commune - int32(first)
					rq[fill[u]], rw[fill[u]] = int32(q), pr.W
					fill[u]++
					if i := pr.Commune; pr.Minutes < e.nt[i] {
						e.nq[i], e.nt[i] = int32(q), pr.Minutes
					}
				}
			}
			e.rows[b] = pairRows{first: first, off: off, q: rq, w: rw}
		}
		return nil
	})
}

// reachSums returns, per counted site q, Σ_k G(k, W_kq)·P_k·W_kq over
// the communes k in increasing order, leaving out those with skip[k]
// (skip may be nil; g nil means G = 1). The sites are split in one
// range per worker (siteParts), each worker summing its own sites in
// commune order: the denominators of R_j, the same bit for bit on any
// number of workers. Every range reads every row, so more ranges than
// workers cost more than they balance.
func (e *engine) reachSums(g func(i int, w float64) float64, skip []bool) ([]float64, error) {
	nq := len(e.counted)
	out := make([]float64, nq)
	bounds := e.siteParts(max(1, min(nq, e.workers)))
	err := parallelChunks(e.ctx, len(bounds)-1, e.workers, 1, func(lo, hi int) error {
		for part := lo; part < hi; part++ {
			qlo, qhi := bounds[part], bounds[part+1]
			for _, b := range e.rows {
				for u := range len(b.off) - 1 {
					k := b.first + u
					if skip != nil && skip[k] {
						continue
					}
					qs, ws := b.q[b.off[u]:b.off[u+1]], b.w[b.off[u]:b.off[u+1]]
					x := 0
					if len(qs) > 16 {
						x, _ = slices.BinarySearch(qs, qlo)
					}
					p := e.pop[k]
					for ; x < len(qs) && qs[x] < qhi; x++ {
						if q := qs[x]; q >= qlo {
							w := ws[x]
							if g != nil {
								out[q] += g(k, w) * p * w
							} else {
								out[q] += p * w
							}
						}
					}
				}
			}
		}
		return nil
	})
	return out, err
}

// siteParts returns the bounds of parts ranges of counted positions
// (part k is bounds[k] ≤ q < bounds[k+1]) holding about as many pairs
// each, as counted in the rows of one commune in 16.
func (e *engine) siteParts(parts int) []int32 {
	nq := len(e.counted)
	bounds := make([]int32, parts+1)
	bounds[parts] = int32(nq)
	if parts == 1 {
		return bounds
	}
	count := make([]int, nq)
	total := 0
	for i := 0; i < len(e.ds.Communes); i += 16 {
		qs, _ := e.row(i)
		for _, q := range qs {
			count[q]++
		}
		total += len(qs)
	}
	k, acc := 1, 0
	for q := 0; q < nq && k < parts; q++ {
		acc += count[q]
		for k < parts && acc*parts >= k*total {
			bounds[k] = int32(q + 1)
			k++
		}
	}
	for ; k < parts; k++ {
		bounds[k] = int32(nq)
	}
	return bounds
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

// ratio sets ReachPop and R_j of counted site q from its pairs ps
// (its catchment, by increasing commune); a site that reaches no one is
// a Warning.
func (e *engine) ratio(q int, ps []Reach, g func(i int, w float64) float64) {
	s := &e.sites[e.counted[q]]
	s.ReachPop, s.R = 0, 0
	for _, pr := range ps {
		if g != nil {
			s.ReachPop += g(int(pr.Commune), pr.W) * e.pop[pr.Commune] * pr.W
		} else {
			s.ReachPop += e.pop[pr.Commune] * pr.W
		}
	}
	if s.ReachPop > 0 {
		s.R = s.SupplyFTE / s.ReachPop
	} else {
		e.checks.Add(checkNoReach(&s.Site, e.d0))
	}
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
	qs, ws := e.row(i)
	if g == nil {
		for x, q := range qs {
			a += r[q] * ws[x]
		}
		return a
	}
	for x, q := range qs {
		a += g(i, ws[x]) * r[q] * ws[x]
	}
	return a
}

// selection returns G(i, W_ij), the selection weight of Method3SFCA,
// G_ij = W_ij / Σ_k W_ik (0 when the sum is 0); nil, meaning G = 1, for
// the other methods. Σ_k W_ik runs over the pairs of commune i by
// increasing site order.
func (e *engine) selection() func(i int, w float64) float64 {
	if e.p.Method != Method3SFCA {
		return nil
	}
	sum := make([]float64, len(e.ds.Communes))
	for i := range sum {
		_, ws := e.row(i)
		for _, w := range ws {
			sum[i] += w
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

// siteBuf holds the scratch slices of one worker: the places within
// reach of a point and their times (timesWithin, neighborTimes).
type siteBuf struct {
	ns  []geo.Neighbor // Index: a member of the place set, or a counted position
	pts []geo.Place
	t   []float64
}

// placeSet is a set of places whose catchments are searched around a
// point (timesWithin): the located communes of the engine, or the units
// of a demand layer. Its members are numbered as the results number
// them: commune index, or demand point index (DemandPoints).
type placeSet struct {
	index func() *geo.PointIndex // over the members' points, built on first use
	own   []int                  // the member of each point of index (nil: first + the point's index)
	first int
	place func(i int) geo.Place // member i, as the timer takes it
}

// newPlaceSet returns the set of n members own[x] (or first + x when own
// is nil), member i at place(i).
func newPlaceSet(n int, own []int, first int, place func(i int) geo.Place) placeSet {
	s := placeSet{own: own, first: first, place: place}
	s.index = sync.OnceValue(func() *geo.PointIndex {
		pts := make([]orb.Point, n)
		for x := range pts {
			pts[x] = place(member(own, first, x)).Point
		}
		return geo.NewPointIndex(pts)
	})
	return s
}

// member returns the member of point x of a place set's index.
func member(own []int, first, x int) int {
	if own != nil {
		return own[x]
	}
	return first + x
}

// appendCatchment is the one catchment routine, for sites (E2SFCA, the
// incremental update) and for candidate points (Baseline.Catchments,
// Baseline.PointCatchmentsOf): it appends to dst the members of s within
// d0 of p (t ≤ ThresholdMin), by increasing index, in an exactly sized
// slice when dst is nil (nil when none). With the model, t comes from the
// distance the index reports, which is HaversineKm(p, member) exactly
// (the PointIndex contract) and HaversineKm is symmetric, so t is
// Model.Minutes(member, p) bit for bit. A non-finite point reaches
// nothing.
func (e *engine) appendCatchment(ctx context.Context, dst []Reach, s *placeSet, p geo.Place, reach float64, b *siteBuf) ([]Reach, error) {
	if !finitePoint(p.Point) {
		return dst, nil
	}
	if err := e.timesWithin(ctx, s, p, reach, b); err != nil {
		return nil, err
	}
	n := 0
	for _, t := range b.t {
		if t <= e.d0 {
			n++
		}
	}
	if n == 0 {
		return dst, nil
	}
	if dst == nil {
		dst = make([]Reach, 0, n)
	}
	for x, nb := range b.ns {
		if t := b.t[x]; t <= e.d0 {
			dst = append(dst, Reach{Commune: int32(nb.Index), Minutes: t, W: e.p.weight(t)})
		}
	}
	return dst, nil
}

// timesWithin sets b.ns to the members of s within reach km of p, by
// increasing index, and b.t to their travel times to p (exact up to d0,
// possibly +Inf above: only the pairs within d0 are kept).
func (e *engine) timesWithin(ctx context.Context, s *placeSet, p geo.Place, reach float64, b *siteBuf) error {
	b.ns = b.ns[:0]
	s.index().Within(p.Point, reach, func(n geo.Neighbor) bool {
		b.ns = append(b.ns, geo.Neighbor{Index: member(s.own, s.first, n.Index), Km: n.Km})
		return true
	})
	slices.SortFunc(b.ns, func(x, y geo.Neighbor) int { return x.Index - y.Index })
	return e.neighborTimes(ctx, p, s.place, true, b)
}

// neighborTimes sets b.t to the travel times between p and the places
// of b.ns (place(Index)): from each place to p when to is set (the
// members of a catchment, toPoint: exact up to d0, possibly +Inf above),
// from p to each otherwise (the sites within reach of a demand unit,
// fromPoint).
func (e *engine) neighborTimes(ctx context.Context, p geo.Place, place func(i int) geo.Place, to bool, b *siteBuf) error {
	b.t = growFloats(b.t, len(b.ns))
	if e.tm.fast {
		for x, n := range b.ns {
			src := p
			if to {
				src = place(n.Index)
			}
			b.t[x] = e.tm.kmMinutes(src, n.Km)
		}
		return nil
	}
	b.pts = b.pts[:0]
	for _, n := range b.ns {
		b.pts = append(b.pts, place(n.Index))
	}
	if to {
		return e.tm.toPoint(ctx, b.pts, p, e.d0, b.t)
	}
	return e.tm.fromPoint(ctx, p, b.pts, b.t)
}

// countedPlace returns the place of the counted site at position q.
func (e *engine) countedPlace(q int) geo.Place { return e.splaces[q] }

// nearestSite returns the counted site with the smallest travel time from
// commune i (ties to the lowest site index) and that time. Its pairs hold
// every site within d0; beyond, the index is searched by distance.
func (e *engine) nearestSite(i int) (int, float64, error) {
	if !e.has[i] {
		return -1, math.Inf(1), nil
	}
	best, bestQ := e.nt[i], int(e.nq[i])
	if bestQ < 0 {
		var err error
		if bestQ, best, err = e.nearestCounted(e.ctx, e.communePlace(i), -1, 2*e.tm.reachKm(e.d0)); err != nil {
			return -1, math.Inf(1), err
		}
	}
	if bestQ < 0 {
		return -1, math.Inf(1), nil
	}
	return e.counted[bestQ], best, nil
}

// nearestCounted is timing.nearest over the counted sites (skip: a
// counted position, or -1), searching the strips with a
// geo.DistanceTimer.
func (e *engine) nearestCounted(ctx context.Context, p geo.Place, skip int, r0 float64) (int, float64, error) {
	if e.sstrips != nil {
		q, t := e.tm.nearestWithin(nil, e.sstrips, p, skip, r0)
		return q, t, nil
	}
	return e.tm.nearest(ctx, e.sidx(), e.splaces, p, skip, r0)
}

// nearestOthers sets NearestOtherMin of every site: the travel time to the
// nearest other counted site.
func (e *engine) nearestOthers() error {
	qOf := countedPositions(e)
	return parallel(e.ctx, len(e.sites), e.workers, func(lo, hi int) error {
		for j := lo; j < hi; j++ {
			if err := e.nearestOther(j, qOf[j]); err != nil {
				return err
			}
		}
		return nil
	})
}

// countedPositions returns the counted position of every site of e (-1
// when not counted).
func countedPositions(e *engine) []int {
	q := make([]int, len(e.sites))
	for j := range q {
		q[j] = -1
	}
	for x, j := range e.counted {
		q[j] = x
	}
	return q
}

// nearOtherKm is the first search radius of nearestOther: the answer of
// timing.nearest does not depend on it (the disc doubles until the best
// time found beats the radius's). Half the sites have another within
// 2 km, but most of the others need two to four doublings from there,
// each a new search of the strips, while a candidate costs little more
// than its squared chord (geo.StripIndex.AppendNearest): 10 km is
// ≈ 8 % cheaper on the national sites than 2 km, 20 km dearer.
const nearOtherKm = 10.0

// nearestOther sets NearestOtherMin of site j, whose counted position is
// q (-1 when it is not counted): the travel time to the nearest other
// counted site (+Inf when none, or when j has no usable point).
func (e *engine) nearestOther(j, q int) error {
	s := &e.sites[j]
	s.NearestOtherMin = math.Inf(1)
	if !finitePoint(s.Point) {
		return nil
	}
	q, t, err := e.nearestCounted(e.ctx, SitePlace(&s.Site), q, nearOtherKm)
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
func (e *engine) communePlace(i int) geo.Place { return e.communes.place(i) }

// SitePlace returns the place of a site for a geo.TravelTimer: its point, the
// commune it is assigned to and its id.
func SitePlace(s *data.Site) geo.Place {
	return geo.Place{Point: s.Point, Commune: s.Commune, ID: s.ID}
}

// sortScratch holds the scratch slices of sortNeighbors.
type sortScratch struct {
	keys []uint64
	tmp  []geo.Neighbor
	bits []uint64  // a bit per index of the span (all zero between calls)
	top  []uint64  // a bit per word of bits that is not zero (idem)
	km   []float64 // the distances by index of the span
}

// maxSortSpan bounds the span of indexes that sortNeighbors sets as bits
// (its scratch takes 8 bytes an index).
const maxSortSpan = 1 << 20

// sortNeighbors sorts ns by increasing Index (indexes are distinct).
// Lists of up to 8 take an insertion sort. Longer ones whose indexes span at
// most maxSortSpan, and less than 4096 per neighbour, are set as bits of
// the span with a second level of bits marking the words in use, read
// back in order with their distances (no comparison, and no scan of the
// empty words: the sites within reach of a grid point span most of the
// sites' indexes); the others take a sort of Index<<32 | position keys
// (no comparison function) and a gather.
func sortNeighbors(ns []geo.Neighbor, s *sortScratch) {
	if len(ns) <= 8 {
		for x := 1; x < len(ns); x++ {
			for y := x; y > 0 && ns[y-1].Index > ns[y].Index; y-- {
				ns[y-1], ns[y] = ns[y], ns[y-1]
			}
		}
		return
	}
	lo, hi := ns[0].Index, ns[0].Index
	for _, n := range ns {
		lo, hi = min(lo, n.Index), max(hi, n.Index)
	}
	if span := hi - lo + 1; span <= maxSortSpan && span <= 4096*len(ns) {
		words := (span + 63) / 64
		tops := (words + 63) / 64
		if len(s.bits) < words {
			s.bits = make([]uint64, words)
			s.top = make([]uint64, (words+63)/64)
		}
		if len(s.km) < span {
			s.km = make([]float64, span)
		}
		for _, n := range ns {
			x := n.Index - lo
			w := x >> 6
			s.bits[w] |= 1 << (x & 63)
			s.top[w>>6] |= 1 << (w & 63)
			s.km[x] = n.Km
		}
		k := 0
		for t, top := range s.top[:tops] {
			for top != 0 {
				w := t<<6 + bits.TrailingZeros64(top)
				top &= top - 1
				for word := s.bits[w]; word != 0; word &= word - 1 {
					x := w<<6 + bits.TrailingZeros64(word)
					ns[k] = geo.Neighbor{Index: lo + x, Km: s.km[x]}
					k++
				}
				s.bits[w] = 0
			}
			s.top[t] = 0
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
