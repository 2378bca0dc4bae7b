package diag

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"

	"diagnum/data"
	"diagnum/geo"
)

// maxIncremental is the number of changed sites (added plus removed)
// above which WithSites recomputes everything: each change costs a pass
// over the sites and the uncovered communes.
const maxIncremental = 256

// WithSites returns the baseline of ds, a data set that differs from the
// baseline's (Dataset) by its sites only: the same communes, indicators
// and renamed codes, with sites added, removed or replaced (as
// plan.WithScenario makes it). The result is NewBaseline(ctx, ds, params)
// bit for bit, but only what the changed sites reach is recomputed, since
// every measure is local:
//
//   - a kept site keeps its commune, its catchment and its R_j (R_j
//     depends on its own catchment only); an added one is placed and its
//     catchment found;
//   - A_i = Σ_j R_j·W_ij changes only for the communes in the catchment of
//     an added or removed site; elsewhere the same terms are summed in
//     the same order;
//   - the nearest site of a commune changes only when it was removed (a
//     new search) or when an added site is nearer (ties to the lowest
//     site index, as in Compute): within d0 the added site's catchment
//     lists those communes, beyond d0 only the uncovered communes can
//     gain a nearer site;
//   - the nearest other site of a kept site changes only when an added
//     site is nearer or when a removed site was at that very time (then a
//     new search);
//   - the fragility index, the communes' locations and the spatial index
//     of the communes do not depend on the sites and are shared;
//   - the median access Amed, the gap score, the ranks and the roll-ups
//     are national and recomputed (a pass over the communes), and so is
//     the division of every A_i by the national mean with
//     Params.Normalize (from the A_i before it, kept).
//
// It recomputes everything, as NewBaseline does, when the changes are
// not local or not cheap: a TravelTimer that is not a geo.DistanceTimer,
// Method3SFCA (its selection weights tie each site to its neighbours'),
// more than 256 changed sites, or a data set that differs by more than its
// sites.
func (b *Baseline) WithSites(ctx context.Context, ds *data.Dataset) (*Baseline, error) {
	old := b.e
	if !old.local(ds) {
		return NewBaseline(ctx, ds, old.p)
	}
	match, removed := alignSites(old.ds.Sites, ds.Sites)
	added := 0
	for _, p := range match {
		if p < 0 {
			added++
		}
	}
	if added+len(removed) > maxIncremental {
		return NewBaseline(ctx, ds, old.p)
	}
	e := &engine{ctx: ctx, ds: ds, p: old.p, tm: old.tm, d0: old.d0, workers: old.workers, frag: old.frag,
		loc: old.loc, has: old.has, pop: old.pop, communes: old.communes, byComm: old.byComm,
		asg: old.asg, cchecks: old.cchecks}

	// Sites: the kept ones as placed before, the added ones placed now.
	placed := make([]data.Site, len(ds.Sites))
	per := make([]data.Checks, len(ds.Sites))
	var fresh []int
	for k, p := range match {
		if p >= 0 {
			placed[k], per[k] = old.sites[p].Site, old.achecks[p]
		} else {
			fresh = append(fresh, k)
		}
	}
	if len(fresh) > 0 {
		add := make([]data.Site, len(fresh))
		for x, k := range fresh {
			add[x] = ds.Sites[k]
		}
		add, checks := e.asg.assignAll(add)
		for x, k := range fresh {
			placed[k], per[k] = add[x], checks[x]
		}
	}
	sc := e.placeSites(placed, per)
	e.checks = slices.Concat(e.cchecks, sc, e.frag.Checks)

	// Catchments of the added counted sites and of the removed ones: the
	// communes whose pairs change (dirty).
	qOld := countedPositions(old)
	remap := make([]int32, len(old.counted)) // old counted position -> new
	var freshQ []int
	for q, j := range e.counted {
		if p := match[j]; p >= 0 && qOld[p] >= 0 {
			remap[qOld[p]] = int32(q)
		} else {
			freshQ = append(freshQ, q)
		}
	}
	var gone []int // the removed counted sites, by old site index
	for _, p := range removed {
		if qOld[p] >= 0 {
			gone = append(gone, p)
		}
	}
	reach := e.tm.reachKm(e.d0)
	freshPairs, gonePairs := make([][]Reach, len(freshQ)), make([][]Reach, len(gone))
	err := parallel(ctx, len(freshQ)+len(gone), e.workers, func(lo, hi int) error {
		var buf siteBuf
		for x := lo; x < hi; x++ {
			var err error
			if x < len(freshQ) {
				freshPairs[x], err = e.appendCatchment(ctx, nil, &e.communes, e.splaces[freshQ[x]], reach, &buf)
			} else {
				gonePairs[x-len(freshQ)], err = old.appendCatchment(ctx, nil, &old.communes, old.splaces[qOld[gone[x-len(freshQ)]]], reach, &buf)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calcul de l'accessibilité : %w", err)
	}
	dirty := make([]bool, len(ds.Communes))
	for _, ps := range slices.Concat(freshPairs, gonePairs) {
		for _, pr := range ps {
			dirty[pr.Commune] = true
		}
	}
	// Pairs: searched again for the dirty communes, else the old ones
	// with the sites renumbered (in the same order).
	if err := e.fillRows(func(i int, rb *rowBuf) {
		if dirty[i] {
			e.searchRow(i, rb)
			return
		}
		qs, ws := old.row(i)
		for x, q := range qs {
			rb.q, rb.w = append(rb.q, remap[q]), append(rb.w, ws[x])
		}
		e.nq[i], e.nt[i] = -1, old.nt[i]
		if q := old.nq[i]; q >= 0 {
			e.nq[i] = remap[q]
		}
	}); err != nil {
		return nil, fmt.Errorf("calcul de l'accessibilité : %w", err)
	}

	// R_j (kept for kept sites, with their warnings in site order) and
	// A_i of the communes the changed sites reach.
	g := e.selection()
	isFresh := make([]int, len(e.counted)) // 1 + index in freshQ, 0 for a kept site
	for x, q := range freshQ {
		isFresh[q] = x + 1
	}
	for q, j := range e.counted {
		if x := isFresh[q]; x > 0 {
			e.ratio(q, freshPairs[x-1], g)
			continue
		}
		s, o := &e.sites[j], &old.sites[match[j]]
		s.ReachPop, s.R = o.ReachPop, o.R
		if !(s.ReachPop > 0) {
			e.checks.Add(checkNoReach(&s.Site, e.d0))
		}
	}
	r := e.ratios()
	e.a = slices.Clone(old.a)
	if old.raw != nil {
		e.a = slices.Clone(old.raw)
	}
	for i, d := range dirty {
		if d {
			e.a[i] = e.access(i, g, r)
		}
	}
	e.normalize()

	if err := e.nearestOthersAfter(old, match, freshQ, gone); err != nil {
		return nil, fmt.Errorf("recherche des lieux les plus proches : %w", err)
	}
	if err := e.nearestAfter(old, match, freshQ, freshPairs); err != nil {
		return nil, err
	}
	return e.baseline()
}

// local reports whether WithSites can update the engine for ds locally.
func (e *engine) local(ds *data.Dataset) bool {
	o := e.ds
	return e.tm.fast && e.p.Method != Method3SFCA && e.nearJ != nil &&
		sameSlice(ds.Communes, o.Communes) && ds.Indicators == o.Indicators &&
		ds.PolygonsTileFrance == o.PolygonsTileFrance && maps.Equal(ds.Renamed, o.Renamed)
}

// sameSlice reports whether a and b are the same slice (same elements in
// the same memory).
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// alignSites matches the sites of now to those of before, keeping their
// order: match[k] is the index in before of a site equal to now[k] (-1:
// added), increasing; removed lists the sites of before left unmatched.
func alignSites(before, now []data.Site) (match, removed []int) {
	byID := map[string][]int{}
	for p, s := range before {
		byID[s.ID] = append(byID[s.ID], p)
	}
	match = make([]int, len(now))
	used := make([]bool, len(before))
	last := -1
	for k, s := range now {
		match[k] = -1
		for _, p := range byID[s.ID] {
			if p > last && before[p].SameRecord(s) {
				match[k], last, used[p] = p, p, true
				break
			}
		}
	}
	for p, u := range used {
		if !u {
			removed = append(removed, p)
		}
	}
	return match, removed
}

// siteMinutes is the time nearestOther finds from site s to a site at pt.
func (e *engine) siteMinutes(s *data.Site, pt [2]float64) float64 {
	return e.tm.kmMinutes(SitePlace(s), geo.HaversineKm(s.Point, pt))
}

// nearestOthersAfter sets NearestOtherMin of every site of e from those
// of old: a new search for an added site and for a kept site whose
// nearest other may have been removed (gone: old site indexes), else the
// old time lowered by the added counted sites (freshQ).
func (e *engine) nearestOthersAfter(old *engine, match, freshQ, gone []int) error {
	qNew := countedPositions(e)
	for j := range e.sites {
		p := match[j]
		if p < 0 {
			if err := e.nearestOther(j, qNew[j]); err != nil {
				return err
			}
			continue
		}
		s := &e.sites[j]
		m := old.sites[p].NearestOtherMin
		if !finitePoint(s.Point) {
			continue // +Inf, as placeSites left it
		}
		redo := false
		for _, g := range gone {
			if e.siteMinutes(&s.Site, old.sites[g].Point) == m {
				redo = true
				break
			}
		}
		if redo {
			if err := e.nearestOther(j, qNew[j]); err != nil {
				return err
			}
			continue
		}
		for _, q := range freshQ {
			m = min(m, e.siteMinutes(&s.Site, e.spts[q]))
		}
		s.NearestOtherMin = m
	}
	return nil
}

// nearestAfter sets the nearest site of every commune (nearJ, nearT) from
// those of old: a new search where it was removed, else the old one or an
// added counted site (freshQ, with their catchments freshPairs) that is
// nearer, ties to the lowest index.
func (e *engine) nearestAfter(old *engine, match, freshQ []int, freshPairs [][]Reach) error {
	n := len(e.ds.Communes)
	oldToNew := make([]int, len(old.sites))
	for j := range oldToNew {
		oldToNew[j] = -1
	}
	for k, p := range match {
		if p >= 0 {
			oldToNew[p] = k
		}
	}
	e.nearJ, e.nearT = make([]int, n), make([]float64, n)
	const redo = -2
	for i := range n {
		j, t := old.nearJ[i], old.nearT[i]
		switch {
		case j >= 0 && oldToNew[j] < 0:
			j = redo
		case j >= 0:
			j = oldToNew[j]
		}
		e.nearJ[i], e.nearT[i] = j, t
	}
	better := func(i, j int, t float64) {
		if cj := e.nearJ[i]; cj != redo && (t < e.nearT[i] || t == e.nearT[i] && (cj < 0 || j < cj)) {
			e.nearJ[i], e.nearT[i] = j, t
		}
	}
	// Within d0: the added sites' catchments, with their very times.
	for x, q := range freshQ {
		for _, pr := range freshPairs[x] {
			better(int(pr.Commune), e.counted[q], pr.Minutes)
		}
	}
	// Beyond d0: an uncovered commune may be nearer to an added site.
	for i := range n {
		if !e.has[i] || e.nearJ[i] == redo || e.nearT[i] <= e.d0 {
			continue
		}
		place := e.communePlace(i)
		for _, q := range freshQ {
			better(i, e.counted[q], e.tm.kmMinutes(place, geo.HaversineKm(e.loc[i], e.spts[q])))
		}
	}
	for i := range n {
		if e.nearJ[i] != redo {
			continue
		}
		j, t, err := e.nearestSite(i)
		if err != nil {
			return fmt.Errorf("lieu le plus proche de la commune %s : %w", e.ds.Communes[i].Code, err)
		}
		if math.IsInf(t, 1) {
			j = -1
		}
		e.nearJ[i], e.nearT[i] = j, t
	}
	return nil
}
