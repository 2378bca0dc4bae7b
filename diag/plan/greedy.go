package plan

import (
	"container/heap"
	"context"
	"fmt"

	"diagnum/data"
	"diagnum/diag"

	"github.com/paulmach/orb"
)

// Run chooses opt.Add new posts for opt.Territory, on top of the sites of
// the baseline, which stay fixed. See the package documentation for the
// objectives and the algorithm.
func Run(ctx context.Context, b *diag.Baseline, opt Options) (*Plan, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if _, err := b.Result.Territory(opt.Territory); err != nil {
		return nil, err
	}
	supply, counted := b.Result.Params.SupplyFor(data.KindCNFS, 1)
	if !counted {
		return nil, fmt.Errorf("%w: the planner adds conseiller numérique posts, but cnfs sites do not count as supply", ErrBadOptions)
	}
	cands := opt.Candidates
	if cands == nil {
		cands = CommuneCandidates(b, opt.Territory)
	}
	if err := checkCandidates(cands); err != nil {
		return nil, err
	}
	cands = assignCandidates(b, cands)
	s, err := newSolver(ctx, b, opt, cands, supply)
	if err != nil {
		return nil, err
	}
	p := s.plan(opt, len(cands))
	p.Params = b.Result.Params
	if err := s.greedy(ctx, b, p); err != nil {
		return nil, err
	}
	return p, nil
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

// solver holds the state of the greedy: what is covered and A_i so far.
type solver struct {
	ds      *data.Dataset
	obj     Objective
	supply  float64
	in      []bool    // the commune is in the territory
	pop     []float64 // P_i (negative read as 0), every commune
	wpop    []float64 // P_i·w_i, 0 outside the territory
	covered []bool
	a       []float64 // A_i
	target  float64   // A*, the reference of the deficit
	cands   []Candidate
	posts   []int32 // posts already planned at each candidate
	reach   [][]diag.Reach
	r       []float64 // R_c = supply / Σ P_k·W(t_kc)
	med     *medianTracker
	medID   []int32 // commune -> id in med, -1 when not tracked
}

// newSolver sets the state before any pick: coverage, A_i, the weights,
// the median tracker over the territory's populated communes, and the
// catchments.
func newSolver(ctx context.Context, b *diag.Baseline, opt Options, cands []Candidate, supply float64) (*solver, error) {
	ds := b.Dataset()
	n := len(ds.Communes)
	s := &solver{ds: ds, obj: opt.Objective, supply: supply, cands: cands, a: b.Access(),
		in: make([]bool, n), pop: make([]float64, n), wpop: make([]float64, n), covered: make([]bool, n),
		medID: make([]int32, n), posts: make([]int32, len(cands))}
	s.target = TargetAccess(b, opt.Add, supply)
	var vals []float64
	for i := range ds.Communes {
		c, cr := &ds.Communes[i], &b.Result.Communes[i]
		s.pop[i], s.covered[i], s.medID[i] = float64(max(c.Population, 0)), cr.Covered, -1
		if !contains(opt.Territory, c) {
			continue
		}
		s.in[i] = true
		s.wpop[i] = s.pop[i] * FragileWeight(cr.Fragility)
		if c.Population > 0 {
			s.medID[i] = int32(len(vals))
			vals = append(vals, cr.Access10k)
		}
	}
	s.med = newMedianTracker(vals)
	return s, s.catchments(ctx, b)
}

// catchments finds the communes within reach of every candidate with
// the spatial index, and the ratio R_c of a post there:
//
//	R_c = S / Σ_k P_k·W(t_kc)   over every commune k (0 when the sum is 0)
//
// summed by increasing k, as diag.Compute sums it.
func (s *solver) catchments(ctx context.Context, b *diag.Baseline) error {
	pts := make([]orb.Point, len(s.cands))
	for i, c := range s.cands {
		pts[i] = c.Point
	}
	var err error
	if s.reach, err = b.Catchments(ctx, pts); err != nil {
		return err
	}
	s.r = make([]float64, len(s.cands))
	for c, rs := range s.reach {
		reachPop := 0.0
		for _, x := range rs {
			reachPop += s.pop[x.Commune] * x.W
		}
		if reachPop > 0 {
			s.r[c] = s.supply / reachPop
		}
	}
	return nil
}

// plan returns the plan with the territory's figures before any pick.
func (s *solver) plan(opt Options, ncand int) *Plan {
	p := &Plan{Territory: opt.Territory, Objective: opt.Objective, Employer: opt.Employer, Costs: opt.Costs,
		Requested: opt.Add, Candidates: ncand, PostFTE: s.supply, TargetAccess: s.target,
		MedianAccess10k: s.med.median()}
	for i, c := range s.ds.Communes {
		if !s.in[i] {
			continue
		}
		p.Population += c.Population
		p.FragilePop += s.wpop[i]
		if s.covered[i] {
			p.CoveredPop += c.Population
			p.CoveredFragile += s.wpop[i]
		}
		p.Deficit += s.pop[i] * max(0, s.target-s.a[i])
	}
	return p
}

// gains returns the marginal gains of candidate c in the current state:
//
//	cov = Σ P_i·w_i over the territory's communes within reach not yet covered
//	acc = Σ P_i·min(R_c·W(t_ic), max(0, A* − A_i)) over the territory's
//	      communes within reach: the reduction of D
//
// Both only shrink as posts are added, at c or elsewhere (they are
// submodular, each post at c being a copy of c), which is what makes the
// lazy evaluation exact.
func (s *solver) gains(c int) (cov, acc float64) {
	rc := s.r[c]
	for _, x := range s.reach[c] {
		i := x.Commune
		if !s.in[i] {
			continue
		}
		if !s.covered[i] {
			cov += s.wpop[i]
		}
		acc += s.pop[i] * min(rc*x.W, max(0, s.target-s.a[i]))
	}
	return cov, acc
}

// key orders the gains: primary objective first.
func (s *solver) key(cov, acc float64) (float64, float64) {
	if s.obj == ObjectiveAccess {
		return acc, cov
	}
	return cov, acc
}

// entry is a candidate in the lazy queue, with gains computed at round.
type entry struct {
	c      int32
	round  int32
	k1, k2 float64
}

// queue is a max-heap of entries: larger k1, then larger k2, then lower
// candidate index first.
type queue []entry

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	a, b := &q[i], &q[j]
	if a.k1 != b.k1 {
		return a.k1 > b.k1
	}
	if a.k2 != b.k2 {
		return a.k2 > b.k2
	}
	return a.c < b.c
}
func (q queue) Swap(i, j int)     { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)       { *q = append(*q, x.(entry)) }
func (q *queue) Pop() any         { e := (*q)[len(*q)-1]; *q = (*q)[:len(*q)-1]; return e }
func (q queue) top() *entry       { return &q[0] }
func (q queue) isEmpty() bool     { return len(q) == 0 }
func (e *entry) zero() bool       { return e.k1 <= 0 && e.k2 <= 0 }
func (e *entry) fresh(r int) bool { return int(e.round) == r }

// greedy runs the lazy greedy (CELF, Leskovec et al. 2007): the queue
// holds each candidate with gains computed at some earlier round, which
// are upper bounds of its gains now (submodularity, and the
// lexicographic order of two upper bounds bounds the order of the
// values). The top is recomputed until it is fresh; a fresh top beats
// every other candidate's current gains, ties going to the lowest
// candidate index: the picks are those of the plain greedy. A picked
// candidate goes back in the queue, stale, for its next post.
func (s *solver) greedy(ctx context.Context, b *diag.Baseline, p *Plan) error {
	q := make(queue, len(s.cands))
	for c := range s.cands {
		k1, k2 := s.key(s.gains(c))
		q[c] = entry{c: int32(c), k1: k1, k2: k2}
	}
	heap.Init(&q)
	for len(p.Picks) < p.Requested && !q.isEmpty() {
		if err := ctx.Err(); err != nil {
			return err
		}
		round := len(p.Picks)
		top := q.top()
		if !top.fresh(round) {
			top.k1, top.k2 = s.key(s.gains(int(top.c)))
			top.round = int32(round)
			heap.Fix(&q, 0)
			continue
		}
		if top.zero() {
			break // nothing left to gain anywhere
		}
		c := int(top.c)
		if err := s.pick(ctx, b, p, c); err != nil {
			return err
		}
		top.round = -1 // its gains before the pick bound those after
		heap.Fix(&q, 0)
	}
	return nil
}

// pick adds candidate c to the plan and updates the state.
func (s *solver) pick(ctx context.Context, b *diag.Baseline, p *Plan, c int) error {
	cov, acc := s.gains(c)
	cand := &s.cands[c]
	s.posts[c]++
	id, name := cand.ID, cand.Name
	if n := s.posts[c]; n > 1 {
		id, name = fmt.Sprintf("%s-%d", id, n), fmt.Sprintf("%s (poste %d)", name, n)
	}
	k := Pick{Rank: len(p.Picks) + 1, NewFragile: cov, DeficitGain: acc, Post: int(s.posts[c]),
		Site: data.Site{ID: id, Name: name, Kind: data.KindCNFS, Point: cand.Point, FTE: 1,
			INSEE: cand.Commune, Source: Source, Commune: cand.Commune}}
	if ci, ok := s.ds.CommuneIndex(cand.Commune); ok {
		k.CommuneName, k.Dep = s.ds.Communes[ci].Name, s.ds.Communes[ci].Dep
	}
	before := s.med.median()
	for _, x := range s.reach[c] {
		i := x.Commune
		if s.in[i] && !s.covered[i] {
			s.covered[i] = true
			k.NewPop += s.ds.Communes[i].Population
		}
		s.a[i] += s.r[c] * x.W
		if id := s.medID[i]; id >= 0 {
			s.med.raise(int(id), s.a[i]*10000)
		}
	}
	k.CoveredPop = p.CoveredPop + k.NewPop
	if n := len(p.Picks); n > 0 {
		k.CoveredPop = p.Picks[n-1].CoveredPop + k.NewPop
	}
	k.Coverage = ratio(float64(k.CoveredPop), float64(p.Population))
	k.MedianAccess10k = s.med.median()
	k.DeltaMedian10k = k.MedianAccess10k - before
	if err := s.nearest(ctx, b, &k); err != nil {
		return err
	}
	k.Zone = ZoneOf(k.Dep)
	k.Cost = k.Site.FTE * p.Costs.PerPost(k.Zone, p.Employer)
	p.Picks = append(p.Picks, k)
	return nil
}

// TargetAccess returns A*, the reference of the access deficit when add
// posts of supply S each are planned: the population-weighted mean of
// A_i over the communes of the data set that have a location, once the
// new supply is shared out evenly,
//
//	A* = (Σ_i P_i·A_i + add·S) / Σ_i P_i
//
// Since E2SFCA shares out all the supply that reaches anyone, Σ_i P_i·A_i
// is the supply in place, A* the national "fair share" after the plan,
// and the deficits Σ_i P_i·max(0, A* − A_i) add up to at least add·S:
// every post has somewhere to go.
func TargetAccess(b *diag.Baseline, add int, supply float64) float64 {
	a := b.Access()
	var pa, p float64
	for i, c := range b.Dataset().Communes {
		if _, ok := b.Location(i); ok && c.Population > 0 {
			pa += float64(c.Population) * a[i]
			p += float64(c.Population)
		}
	}
	return ratio(pa+float64(add)*supply, p)
}

// nearest sets the nearest existing (baseline) site of a pick.
func (s *solver) nearest(ctx context.Context, b *diag.Baseline, k *Pick) error {
	j, t, err := b.NearestSite(ctx, k.Site.Point)
	if err != nil {
		return fmt.Errorf("plan: nearest site of %s: %w", k.Site.ID, err)
	}
	k.NearestSite, k.NearestMin = j, t
	if j >= 0 {
		k.NearestID, k.NearestName = b.Result.Sites[j].ID, b.Result.Sites[j].Name
	}
	return nil
}
