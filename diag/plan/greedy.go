package plan

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
)

// Run chooses opt.Add new posts for opt.Territory, on top of the sites of
// the baseline, which stay fixed. See the package documentation for the
// objectives and the algorithm.
func Run(ctx context.Context, b *diag.Baseline, opt Options) (*Plan, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	s, p, err := prepare(ctx, b, opt)
	if err != nil {
		return nil, err
	}
	if opt.Remove > 0 {
		p.Requested = 0
		if err := s.retire(ctx, b, p, opt.Remove); err != nil {
			return nil, err
		}
		return p, nil
	}
	if opt.Cover > 0 {
		p.Stages = []Stage{StageCoverage}
		if err := s.cover(ctx, b, p, opt.Cover); err != nil {
			return nil, err
		}
	} else if err := s.add(ctx, b, p, opt); err != nil {
		return nil, err
	}
	if err := nearestAll(ctx, b, p); err != nil {
		return nil, err
	}
	s.bounds(p)
	return p, nil
}

// add picks opt.Add posts: the stages of opt.Objective, after the equity
// stage with ObjectiveEquity, then the swaps when opt.Swap asks for them.
func (s *solver) add(ctx context.Context, b *diag.Baseline, p *Plan, opt Options) error {
	if opt.Objective == ObjectiveEquity {
		if err := s.equity(ctx, b, p); err != nil {
			return err
		}
	}
	if err := s.greedy(ctx, b, p, stagesOf(opt.Objective)); err != nil {
		return err
	}
	if opt.Swap && opt.Objective != ObjectiveEquity {
		p.Swap = true
		return s.swap(ctx, b, p)
	}
	return nil
}

// checkMethod refuses the accessibility settings under which a new post
// would change the ratios R_j of the sites already there, so that the
// planner's exact update A_i += R_c·W(t_ic) would no longer hold: 3SFCA
// (the selection weights G_ij of every commune within reach change) and
// Params.Normalize (the mean Ā changes). E2SFCA with any kernel, 2SFCA
// and the gravity method keep R_j = S_j / Σ_k P_k·W_kj, which depends on
// the populations only.
func checkMethod(p diag.Params) error {
	switch {
	case p.Method == diag.Method3SFCA:
		return fmt.Errorf("%w : méthode 3sfca : un lieu ajouté change les poids de sélection, donc tous les ratios à sa portée ; utiliser e2sfca, 2sfca ou gravite", ErrBadOptions)
	case p.Normalize:
		return fmt.Errorf("%w : accès normalisé : un lieu ajouté change la moyenne qui sert de diviseur ; planifier sur l'accès lui-même", ErrBadOptions)
	}
	return nil
}

// prepare checks the options and candidates and returns the solver in
// the state before any pick, with the plan's figures before the picks.
func prepare(ctx context.Context, b *diag.Baseline, opt Options) (*solver, *Plan, error) {
	if err := b.Result.CheckTerritory(opt.Territory); err != nil {
		return nil, nil, err
	}
	if err := checkMethod(b.Result.Params); err != nil {
		return nil, nil, err
	}
	supply, counted := b.Result.Params.SupplyFor(data.KindCNFS, 1)
	if !counted {
		return nil, nil, fmt.Errorf("%w : le plan ajoute des postes de conseiller numérique, mais les lieux cnfs ne comptent pas dans l'offre", ErrBadOptions)
	}
	cands := opt.Candidates
	if cands == nil {
		cands = CommuneCandidates(b, opt.Territory)
	}
	if err := checkCandidates(cands); err != nil {
		return nil, nil, err
	}
	cands = canonical(assignCandidates(b, cands))
	s, err := newSolver(ctx, b, opt, cands, supply)
	if err != nil {
		return nil, nil, err
	}
	p := s.plan(opt, len(cands))
	p.Params = b.Result.Params
	if s.budget > 0 && len(s.cost) > 0 {
		// The budget decides: at most as many posts as it pays at the
		// lowest cost.
		p.Budget, p.Requested = s.budget, min(MaxAdd, int(s.budget*(1+Tolerance)/slices.Min(s.cost)))
	}
	return s, p, nil
}

// canonical sorts the candidates by INSEE code of their commune, then
// id: the order in which ties are broken, whatever the order of the
// input (ids are unique, so the order is total).
func canonical(cs []Candidate) []Candidate {
	slices.SortFunc(cs, func(a, b Candidate) int { return cmp.Or(cmp.Compare(a.Commune, b.Commune), cmp.Compare(a.ID, b.ID)) })
	return cs
}

// assignCandidates sets the commune of every candidate: its declared one
// when it is a commune of the data set, else the one diag.Assign finds.
func assignCandidates(b *diag.Baseline, cs []Candidate) []Candidate {
	ds := b.Dataset()
	out := append([]Candidate(nil), cs...)
	var todo []data.Site
	var at []int
	for i, c := range out {
		if code, ok := ds.Resolve(c.Commune); ok && c.Commune != "" {
			out[i].Commune = code
			continue
		}
		todo = append(todo, data.Site{ID: c.ID, Point: c.Point})
		at = append(at, i)
	}
	if len(todo) > 0 {
		sites, _ := b.Assign(todo)
		for k, i := range at {
			out[i].Commune = sites[k].Commune
		}
	}
	return out
}

// solver holds the state of the greedy: what is covered and A_i so far,
// over the baseline's demand points (diag.Baseline.DemandPoints): the
// communes, or, where a demand layer is applied, its units. Every
// per-point slice is indexed by point, Reach.Commune of the catchments
// holding a point index.
type solver struct {
	ds       *data.Dataset
	obj      Objective
	supply   float64
	capacity float64 // C, people accompanied per FTE per year
	maxPer   int     // posts allowed per candidate (0: no limit)
	pts      *diag.DemandPoints
	in       []bool    // the point's commune is in the territory
	pop      []float64 // P_i (negative read as 0), every point
	wpop     []float64 // P_i·w_i, 0 outside the territory: the demand D_i
	w        []float64 // w_i, of the point's commune
	covered  []bool
	a        []float64 // A_i per point
	ca       []float64 // access per commune (the median's values / 10,000)
	covPop   float64   // Σ P_i over the covered points of the territory
	target   float64   // A*, the reference of the deficit
	cands    []Candidate
	posts    []int32 // posts already planned at each candidate
	// reach holds the catchments as diag finds them, until flatten
	// moves them into rOff, rPt and rW (candidate c's points within
	// reach by increasing index in rPt[rOff[c]:rOff[c+1]], W(t_ic) in
	// rW): two flat arrays, a third of the memory of the slices of
	// diag.Reach, walked by every evaluation (entries).
	reach [][]diag.Reach
	rOff  []int32
	rPt   []int32
	rW    []float64
	r     []float64 // R_c = supply / Σ P_k·W(t_kc)
	cp    []float64 // C·P_i
	// stamp counts the changes of the state (apply); changed[i] is the
	// stamp of the last change of point i (coverage or A_i), so that a
	// candidate evaluated at stamp t whose points have not changed since
	// has the same gains (fresh).
	stamp   int32
	changed []int32
	// terms[rOff[c]+x] is, for the x-th point within reach of candidate
	// c, its term Served(D_i, K_i + C·P_i·R_c·W(t_ic)) − Served(D_i, K_i)
	// in gains, computed at stamp termsAt[c] (−1: never), so that the greedy's
	// evaluations (gainsFresh) compute again only the terms of the points
	// that changed since: the same values, summed in the same order.
	terms   []float64
	termsAt []int32
	batch   []entry // the entries best refreshes together, reused
	med     *medianTracker
	medID   []int32 // commune -> id in med, -1 when not tracked
	picked  []int   // candidate of each pick
	// The entries of the last relaxed problem (relax), reused.
	relaxIdx []int32
	relaxVal []float64
	// servedNow holds Served(D_i, C·P_i·A_i) per point with the A_i it
	// was computed at (servedA; NaN: none), kept by apply, so that
	// evaluating a candidate costs one exponential per point within
	// reach. gains only reads it (and computes the value itself when A_i
	// was changed elsewhere), so that candidates are evaluated in
	// parallel.
	servedA, servedNow []float64
	// Checkpoints of the certified bound (see bounds).
	covBound, servedBound, accBound float64
	later                           chan *solver // the last checkpoint still running (checkpointLater)
	// Budget mode (Options.Budget): the subsidy of a post at each
	// candidate, and what is left.
	budget, budgetLeft float64
	cost               []float64
	// The state before any pick, for swap.
	a0, ca0  []float64
	covered0 []bool
	covPop0  float64
	med0     []float64
}

// newSolver sets the state before any pick: coverage, A_i, the weights,
// the median tracker over the territory's populated communes, and the
// catchments.
func newSolver(ctx context.Context, b *diag.Baseline, opt Options, cands []Candidate, supply float64) (*solver, error) {
	ds := b.Dataset()
	pts := b.DemandPoints()
	n, np := len(ds.Communes), len(pts.Pop)
	s := &solver{ds: ds, obj: opt.Objective, supply: supply, capacity: opt.Capacity, maxPer: opt.MaxPerPlace, pts: pts,
		cands: cands, a: slices.Clone(pts.Access), ca: slices.Clone(pts.Access[:n]), in: make([]bool, np), pop: slices.Clone(pts.Pop),
		wpop: make([]float64, np), w: make([]float64, np), covered: slices.Clone(pts.Covered), medID: make([]int32, n),
		posts: make([]int32, len(cands)), covBound: math.Inf(1), servedBound: math.Inf(1), accBound: math.Inf(1)}
	s.target = targetAccess(pts)
	s.servedA, s.servedNow, s.cp, s.changed = make([]float64, np), make([]float64, np), make([]float64, np), make([]int32, np)
	for i := range s.servedA {
		s.servedA[i] = math.NaN()
	}
	var vals []float64
	for i := range ds.Communes {
		c, cr := &ds.Communes[i], &b.Result.Communes[i]
		s.medID[i] = -1
		if opt.Territory.Contains(c.Dep, c.Region) && c.Population > 0 {
			s.medID[i] = int32(len(vals))
			vals = append(vals, cr.Access10k)
		}
	}
	for i, k := range pts.Commune {
		c := &ds.Communes[k]
		if !opt.Territory.Contains(c.Dep, c.Region) {
			continue
		}
		s.in[i] = true
		s.w[i] = FragileWeight(pts.Fragility[i])
		s.wpop[i] = s.pop[i] * s.w[i]
		s.cp[i] = s.capacity * s.pop[i]
		s.keepServed(int32(i))
		if s.covered[i] {
			s.covPop += s.pop[i]
		}
	}
	if opt.Budget > 0 {
		s.budget, s.budgetLeft, s.cost = opt.Budget, opt.Budget, make([]float64, len(cands))
		for c, cand := range cands {
			dep := ""
			if ci, ok := ds.CommuneIndex(cand.Commune); ok {
				dep = ds.Communes[ci].Dep
			}
			s.cost[c] = opt.Costs.PerPost(ZoneOf(dep), opt.Employer)
		}
	}
	s.med, s.med0 = newMedianTracker(vals), vals
	s.a0, s.ca0, s.covered0, s.covPop0 = slices.Clone(s.a), slices.Clone(s.ca), slices.Clone(s.covered), s.covPop
	return s, s.catchments(ctx, b)
}

// catchments finds the points within reach of every candidate with
// the spatial index, and the ratio R_c of a post there:
//
//	R_c = S / Σ_k P_k·W(t_kc)   over every point k (0 when the sum is 0)
//
// summed by increasing k, as diag.Compute sums it (P_k: the point's
// RPop, the units' own population where a demand layer is applied, as
// diag.Baseline.Demand sums it).
func (s *solver) catchments(ctx context.Context, b *diag.Baseline) error {
	pts := make([]geo.Place, len(s.cands))
	for i, c := range s.cands {
		pts[i] = geo.Place{Point: c.Point, Commune: c.Commune, ID: c.ID}
	}
	var err error
	if s.reach, err = b.PointCatchmentsOf(ctx, pts); err != nil {
		return err
	}
	s.r = make([]float64, len(s.cands))
	each(len(s.reach), func(c int) { s.r[c] = s.ratio(s.supply, s.reach[c]) })
	s.flatten()
	return nil
}

// flatten moves the catchments of reach into rOff, rPt and rW (each
// candidate's on any core: it writes its own part of the arrays).
func (s *solver) flatten() {
	s.rOff = make([]int32, len(s.reach)+1)
	for c, rs := range s.reach {
		s.rOff[c+1] = s.rOff[c] + int32(len(rs))
	}
	n := s.rOff[len(s.reach)]
	s.rPt, s.rW = make([]int32, n), make([]float64, n)
	each(len(s.reach), func(c int) {
		pts, ws := s.entries(c)
		for x, r := range s.reach[c] {
			pts[x], ws[x] = r.Commune, r.W
		}
	})
	s.reach = nil
}

// entries returns the points within reach of candidate c, by increasing
// index, and W(t_ic).
func (s *solver) entries(c int) ([]int32, []float64) {
	lo, hi := s.rOff[c], s.rOff[c+1]
	return s.rPt[lo:hi], s.rW[lo:hi]
}

// keepServed sets servedNow[i] to Served(D_i, C·P_i·A_i) at the current
// A_i of a point of the territory with demand.
func (s *solver) keepServed(i int32) {
	if d := s.wpop[i]; d > 0 {
		s.servedA[i], s.servedNow[i] = s.a[i], Served(d, s.cp[i]*s.a[i])
	}
}

// ratio returns R = supply / Σ RPop_k·W over the points rs reaches (0
// when the sum is 0), summed in their order.
func (s *solver) ratio(supply float64, rs []diag.Reach) float64 {
	reachPop := 0.0
	for _, x := range rs {
		reachPop += s.pts.RPop[x.Commune] * x.W
	}
	if reachPop > 0 {
		return supply / reachPop
	}
	return 0
}

// plan returns the plan with the territory's figures before any pick.
func (s *solver) plan(opt Options, ncand int) *Plan {
	p := &Plan{Territory: opt.Territory, Objective: opt.Objective, Employer: opt.Employer, Costs: opt.Costs,
		Requested: opt.Add, Candidates: ncand, PostFTE: s.supply, TargetAccess: s.target,
		Capacity: s.capacity, MaxPerPlace: opt.MaxPerPlace, MedianAccess10k: s.med.median(), CapacityFrom: -1,
		DepNeed: map[string]float64{}, CoveredPop: int(math.Round(s.covPop))}
	for _, c := range s.ds.Communes {
		if opt.Territory.Contains(c.Dep, c.Region) {
			p.Population += c.Population
		}
	}
	for i, k := range s.pts.Commune {
		if !s.in[i] {
			continue
		}
		p.FragilePop += s.wpop[i]
		if s.covered[i] {
			p.CoveredFragile += s.wpop[i]
		}
		p.Deficit += s.pop[i] * max(0, s.target-s.a[i])
		p.Served += s.served(i)
		p.DepNeed[s.ds.Communes[k].Dep] += s.wpop[i] - s.served(i)
	}
	return p
}

// served returns the fragile population of commune i served per year
// in the current state (see Served).
func (s *solver) served(i int) float64 {
	return Served(s.wpop[i], s.capacity*s.pop[i]*s.a[i])
}

// Served returns the fragile population served per year in a commune
// of fragile population D (the demand) reached by a capacity of K
// people accompanied per year:
//
//	served(D, K) = D·(1 − exp(−K/D))   (0 when D = 0)
//
// It is at most min(D, K): no more than the demand within reach, nor
// than the capacity; it grows by about K while K is small against D and
// by less and less as K approaches D (diminishing returns), each
// accompaniment reaching a fragile person not yet served with
// probability exp(−K/D).
func Served(d, k float64) float64 {
	if d <= 0 || k <= 0 {
		return 0
	}
	return -d * math.Expm1(-k/d)
}

// gain is the marginal gains of a candidate in the current state, one
// per criterion.
type gain struct {
	cov    float64 // fragile population newly covered
	served float64 // fragile population newly served per year
	acc    float64 // reduction of the access deficit D, FTE
}

// gains returns the marginal gains of candidate c in the current state:
//
//	cov    = Σ P_i·w_i over the territory's communes within reach not yet covered
//	served = Σ served(D_i, K_i + C·P_i·R_c·W(t_ic)) − served(D_i, K_i)
//	acc    = Σ P_i·min(R_c·W(t_ic), max(0, A* − A_i))
//
// over the territory's communes i within reach, with D_i = P_i·w_i and
// K_i = C·P_i·A_i. All three only shrink as posts are added, at c or
// elsewhere (they are submodular, each post at c being a copy of c),
// which is what makes the lazy evaluation exact.
func (s *solver) gains(c int) gain {
	return s.gainsCopy(c, 0)
}

// gainsCopy returns the gains of the (n+1)-th post added at candidate c
// on top of the current state (n = 0: gains). The coverage of a copy is
// 0 for n ≥ 1.
func (s *solver) gainsCopy(c, n int) gain {
	var g gain
	rc := s.r[c]
	pts, ws := s.entries(c)
	for x, i := range pts {
		if !s.in[i] {
			continue
		}
		if n == 0 && !s.covered[i] {
			g.cov += s.wpop[i]
		}
		da := rc * ws[x]
		ai := s.a[i] + float64(n)*da
		g.acc += s.pop[i] * min(da, max(0, s.target-ai))
		if d := s.wpop[i]; d > 0 {
			k := s.cp[i] * ai
			now := s.servedNow[i]
			if s.servedA[i] != ai {
				now = Served(d, k)
			}
			g.served += Served(d, k+s.cp[i]*da) - now
		}
	}
	return g
}

// gainsFresh returns gains(c), computing again only the served terms of
// the points changed since candidate c was last evaluated here (the
// terms of the others are those of that evaluation, bit for bit, since
// they depend on the point's state only, which has not changed). Only
// the greedy calls it, where every change of a point's state is stamped
// (apply); candidates may be evaluated in parallel, each writing its
// own entries.
func (s *solver) gainsFresh(c int) gain {
	if s.terms == nil {
		return s.gains(c)
	}
	var g gain
	rc := s.r[c]
	lo := int(s.rOff[c])
	pts, ws := s.entries(c)
	terms := s.terms[lo : lo+len(pts)]
	at := s.termsAt[c]
	for x, i := range pts {
		if !s.in[i] {
			continue
		}
		if !s.covered[i] {
			g.cov += s.wpop[i]
		}
		da := rc * ws[x]
		ai := s.a[i]
		g.acc += s.pop[i] * min(da, max(0, s.target-ai))
		if d := s.wpop[i]; d > 0 {
			if at < 0 || s.changed[i] > at {
				k := s.cp[i] * ai
				now := s.servedNow[i]
				if s.servedA[i] != ai {
					now = Served(d, k)
				}
				terms[x] = Served(d, k+s.cp[i]*da) - now
			}
			g.served += terms[x]
		}
	}
	s.termsAt[c] = s.stamp
	return g
}

// TargetAccess returns A*, the reference of the access deficit: the
// population-weighted mean of A_i over the demand points of the
// baseline that have a location (the communes, or a demand layer's
// units where one is applied), before the plan,
//
//	A* = Σ_i P_i·A_i / Σ_i P_i
//
// Since E2SFCA shares out all the supply that reaches anyone, Σ_i P_i·A_i
// is the supply in place and A* the national fair share. It does not
// depend on the number of posts asked for, so that plans are nested.
// supply is unused and kept for the callers' clarity (S of a post).
func TargetAccess(b *diag.Baseline, supply float64) float64 {
	_ = supply
	return targetAccess(b.DemandPoints())
}

func targetAccess(pts *diag.DemandPoints) float64 {
	var pa, p float64
	for i, pop := range pts.Pop {
		if pts.Located[i] && pop > 0 {
			pa += pop * pts.Access[i]
			p += pop
		}
	}
	return ratio(pa, p)
}

// pick adds candidate c to the plan in the given stage and updates the
// state.
func (s *solver) pick(ctx context.Context, b *diag.Baseline, p *Plan, c int, stage Stage) error {
	g := s.gains(c)
	cand := &s.cands[c]
	s.posts[c]++
	s.picked = append(s.picked, c)
	id, name := cand.ID, cand.Name
	if n := s.posts[c]; n > 1 {
		id, name = fmt.Sprintf("%s-%d", id, n), fmt.Sprintf("%s (poste %d)", name, n)
	}
	k := Pick{Rank: len(p.Picks) + 1, Stage: stage, NewFragile: g.cov, DeficitGain: g.acc, NewServed: g.served,
		Post: int(s.posts[c]), Site: data.Site{ID: id, Name: name, Kind: data.KindCNFS, Point: cand.Point, FTE: 1,
			INSEE: cand.Commune, Source: Source, Commune: cand.Commune}}
	if ci, ok := s.ds.CommuneIndex(cand.Commune); ok {
		k.CommuneName, k.Dep = s.ds.Communes[ci].Name, s.ds.Communes[ci].Dep
	}
	before := s.med.median()
	prev := p.CoveredPop
	if n := len(p.Picks); n > 0 {
		prev = p.Picks[n-1].CoveredPop
	}
	s.apply(c)
	k.CoveredPop = int(math.Round(s.covPop))
	k.NewPop = k.CoveredPop - prev
	k.Coverage = ratio(float64(k.CoveredPop), float64(p.Population))
	k.MedianAccess10k = s.med.median()
	k.DeltaMedian10k = k.MedianAccess10k - before
	k.Zone = ZoneOf(k.Dep)
	k.Cost = k.Site.FTE * p.Costs.PerPost(k.Zone, p.Employer)
	s.budgetLeft -= k.Cost
	p.Picks = append(p.Picks, k)
	return nil
}

// apply adds one post at candidate c to the state (coverage, A_i and
// the median).
func (s *solver) apply(c int) {
	s.stamp++
	pts, ws := s.entries(c)
	for x, i := range pts {
		if s.in[i] && !s.covered[i] {
			s.covered[i] = true
			s.covPop += s.pop[i]
		}
		da := s.r[c] * ws[x]
		s.a[i] += da
		if s.in[i] {
			s.changed[i] = s.stamp
			s.keepServed(i)
		}
		k := s.pts.Commune[i]
		s.ca[k] += s.pts.Part[i] * da
		if id := s.medID[k]; id >= 0 {
			s.med.raise(int(id), s.ca[k]*10000)
		}
	}
}

// nearestAll sets the nearest existing (baseline) site of every pick,
// on every available CPU (it depends on the pick's place only).
func nearestAll(ctx context.Context, b *diag.Baseline, p *Plan) error {
	return diag.Parallel(ctx, len(p.Picks), func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			if err := nearest(ctx, b, &p.Picks[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// nearest sets the nearest existing (baseline) site of a pick.
func nearest(ctx context.Context, b *diag.Baseline, k *Pick) error {
	j, t, err := b.NearestSiteOf(ctx, diag.SitePlace(&k.Site))
	if err != nil {
		return fmt.Errorf("plan : lieu le plus proche de %s : %w", k.Site.ID, err)
	}
	k.NearestSite, k.NearestMin = j, t
	if j >= 0 {
		k.NearestID, k.NearestName = b.Result.Sites[j].ID, b.Result.Sites[j].Name
	}
	return nil
}
