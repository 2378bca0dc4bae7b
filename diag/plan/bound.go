package plan

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"diagnum/diag"
	"diagnum/geo"
)

// Bound is the certified bound of a plan on one criterion: no set of as
// many posts among the same candidates (at most MaxPerPlace per place)
// gains more than Upper on it, while the plan gains Value.
type Bound struct {
	Stage Stage   // the criterion: couverture, capacité or accès
	Value float64 // the plan's gain: fragile population covered, served per year, or deficit reduced (FTE)
	Upper float64 // an upper bound of the best gain of any such set
}

// Ratio returns Value / Upper, the share of the optimum the plan is
// certified to reach at least (1 when Upper is 0).
func (b Bound) Ratio() float64 {
	if b.Upper <= 0 {
		return 1
	}
	return min(1, b.Value/b.Upper)
}

// Certificate says it in French, e.g. « au moins 97,8 % de l'optimum ».
func (b Bound) Certificate() string {
	return "au moins " + geo.FrDecimal(100*b.Ratio(), 1) + " % de l'optimum"
}

// picksGain returns the gains of the picks of p so far.
func picksGain(p *Plan) gain {
	var done gain
	for _, k := range p.Picks {
		done.cov += k.NewFragile
		done.served += k.NewServed
		done.acc += k.DeficitGain
	}
	return done
}

// checkpointLater runs checkpointAt on a copy of the current state, on
// another goroutine, while the greedy goes on; bounds takes its bounds
// (waitCheckpoints). The copy holds what checkpointAt reads and changes
// the greedy would change: coverage, A_i, Served per point, the posts
// per candidate. The checkpoints run one after the other, each taking
// the bounds and the entries' arrays (relax) of the one before, so that
// one relaxed problem at most is held at a time.
func (s *solver) checkpointLater(p *Plan, first []gain) {
	c := *s
	c.a, c.covered, c.posts = slices.Clone(s.a), slices.Clone(s.covered), slices.Clone(s.posts)
	c.servedA, c.servedNow = slices.Clone(s.servedA), slices.Clone(s.servedNow)
	c.relaxIdx, c.relaxVal, c.later = nil, nil, nil
	n, done := p.Requested, picksGain(p)
	prev, ch := s.later, make(chan *solver, 1)
	go func() {
		if prev != nil {
			d := <-prev
			c.covBound, c.servedBound, c.accBound = d.covBound, d.servedBound, d.accBound
			c.relaxIdx, c.relaxVal = d.relaxIdx, d.relaxVal
		}
		c.checkpointAt(1, n, done, first)
		ch <- &c
	}()
	s.later = ch
}

// waitCheckpoints takes the bounds of the checkpoints run by
// checkpointLater, and their entries' arrays.
func (s *solver) waitCheckpoints() {
	if s.later == nil {
		return
	}
	c := <-s.later
	s.covBound, s.servedBound, s.accBound = min(s.covBound, c.covBound), min(s.servedBound, c.servedBound), min(s.accBound, c.accBound)
	if s.relaxIdx == nil {
		s.relaxIdx, s.relaxVal = c.relaxIdx, c.relaxVal
	}
	s.later = nil
}

// checkpointAt records, in the current state S_t of the greedy, the
// upper bounds of the best gains of N = n posts (Nemhauser, Wolsey and
// Fisher 1978; Minoux's data-dependent bound). For a monotone submodular
// f and any sets S and T, submodularity gives, grouping T by candidate,
//
//	f(S ∪ T) ≤ f(S) + Σ_c h_c(n_c),  h_c(n) = f(S + n posts at c) − f(S)
//
// so that the optimum OPT of N posts is at most f(S_t) plus the largest
// Σ_c h_c(n_c) over Σ n_c = N (n_c ≤ MaxPerPlace). h_c is concave in n
// (coverage: a copy adds nothing; served and deficit: concave functions
// of A_i), so taking the N largest increments h_c(n+1) − h_c(n) one at a
// time is that largest sum. Each checkpoint gives a valid bound; the plan
// keeps the smallest.
//
// done is the gains of the picks so far; first holds the gains of every
// candidate in the current state when the caller has them (nil:
// computed here). The bounds, and the more computations given (which
// must only write their own results), are computed on workers
// goroutines (concurrently): one for the checkpoints run beside the
// greedy (checkpointLater), which holds the cores and, with the
// catchments' served terms, most of the memory.
func (s *solver) checkpointAt(workers, n int, done gain, first []gain, more ...func(c *solver)) {
	if first == nil {
		first = s.allGains()
	}
	covs := make([]float64, len(s.cands))
	for c := range s.cands {
		covs[c] = first[c].cov
	}
	// Coverage: the N largest first gains of distinct candidates, then
	// lowered by the Lagrangian relaxation (coverLagrange starts there).
	slices.Sort(covs)
	top := 0.0
	for i := len(covs) - 1; i >= 0 && i >= len(covs)-n; i-- {
		top += covs[i]
	}
	var covL, servedA, servedL, accA, accL float64
	s.concurrently(workers, append([]func(c *solver){
		func(c *solver) { covL = c.coverLagrange(n) },
		func(c *solver) { servedL = c.servedLagrange(n) },
		func(c *solver) { accL = c.accessLagrange(n) },
		func(c *solver) { servedA = c.allocate(first, n, func(g gain) float64 { return g.served }) },
		func(c *solver) { accA = c.allocate(first, n, func(g gain) float64 { return g.acc }) },
	}, more...)...)
	s.covBound = min(s.covBound, done.cov+top, done.cov+covL)
	s.servedBound = min(s.servedBound, done.served+servedA, done.served+servedL)
	s.accBound = min(s.accBound, done.acc+accA, done.acc+accL)
}

// concurrently runs the tasks, each on a copy of s that it may change
// (its own arrays of the entries of a relaxed problem, relax: one per
// goroutine, 36 MB for France), on at most workers goroutines: they only
// read the rest of the state, so that each result is the same as one
// after the other.
func (s *solver) concurrently(workers int, tasks ...func(c *solver)) {
	var next atomic.Int32
	run := func(c *solver) {
		for k := int(next.Add(1)) - 1; k < len(tasks); k = int(next.Add(1)) - 1 {
			tasks[k](c)
		}
	}
	var wg sync.WaitGroup
	for range min(len(tasks), workers) - 1 {
		c := *s
		c.relaxIdx, c.relaxVal, c.later = nil, nil, nil
		wg.Go(func() { run(&c) })
	}
	c := *s
	c.later = nil
	run(&c)
	s.relaxIdx, s.relaxVal = c.relaxIdx, c.relaxVal
	wg.Wait()
}

// allocate returns the largest Σ_c h_c(n_c) with Σ n_c = n on the
// criterion of val: the n largest increments, taken one at a time from a
// heap holding each candidate's next one.
func (s *solver) allocate(first []gain, n int, val func(gain) float64) float64 {
	h := &lessHeap[inc]{less: incFirst}
	for c, g := range first {
		if v := val(g); v > 0 && s.room(c, 0) {
			h.items = append(h.items, inc{c: c, v: v})
		}
	}
	h.init()
	sum := 0.0
	for k := 0; k < n && h.Len() > 0; k++ {
		top := &h.items[0]
		sum += top.v
		top.n++
		if !s.room(top.c, top.n) {
			h.pop()
			continue
		}
		top.v = val(s.gainsCopy(top.c, top.n))
		h.fix(0)
	}
	return sum
}

// room reports whether candidate c may receive an (n+1)-th post on top
// of the state (Options.MaxPerPlace).
func (s *solver) room(c, n int) bool {
	return s.maxPer <= 0 || int(s.posts[c])+n < s.maxPer
}

// bounds sets the plan's certified bounds from the checkpoints and the
// final state (another checkpoint).
func (s *solver) bounds(p *Plan) {
	if p.Objective == ObjectiveEquity {
		return
	}
	s.waitCheckpoints()
	// The last checkpoint, and beside it the bounds from the state
	// before any pick.
	served, access := math.Inf(1), math.Inf(1)
	var start []func(c *solver)
	if len(p.Picks) > 0 && s.a0 != nil && p.Cover == nil {
		n := p.Requested
		start = append(start, func(c *solver) { served = c.startServed(n) }, func(c *solver) { access = c.startAccess(n) })
	}
	s.checkpointAt(runtime.GOMAXPROCS(0), p.Requested, picksGain(p), nil, start...)
	s.servedBound, s.accBound = min(s.servedBound, served), min(s.accBound, access)
	if start != nil {
		if served, access, ok := s.branchBounds(p.Requested); ok {
			s.servedBound, s.accBound = min(s.servedBound, served), min(s.accBound, access)
		}
	}
	var v gain
	for _, k := range p.Picks {
		v.cov += k.NewFragile
		v.served += k.NewServed
		v.acc += k.DeficitGain
	}
	p.Bounds = []Bound{
		{Stage: StageCoverage, Value: v.cov, Upper: max(v.cov, s.covBound)},
		{Stage: StageCapacity, Value: v.served, Upper: max(v.served, s.servedBound)},
		{Stage: StageAccess, Value: v.acc, Upper: max(v.acc, s.accBound)},
	}
	switch {
	case p.Cover != nil:
		p.Bounds = p.Bounds[:1]
	case p.Objective == ObjectiveAccess:
		p.Bounds[0], p.Bounds[2] = p.Bounds[2], p.Bounds[0]
	}
}

// inc is a candidate's next increment in allocate.
type inc struct {
	c, n int
	v    float64
}

// incFirst orders increments by value, largest first, then by lower
// candidate index.
func incFirst(a, b inc) bool {
	if a.v != b.v {
		return a.v > b.v
	}
	return a.c < b.c
}

// Limits of the Lagrangian bounds: subgradient steps, and work
// (candidate–commune entries visited, summed over the steps) per bound.
const (
	lagrangeSteps = 300
	lagrangeWork  = 3e7
)

// branchWork caps the work of branchBounds: candidates × catchment
// entries (Creuse: 255 × about 15,000).
const branchWork = 6e7

// branchBounds returns upper bounds of the best rise of the fragile
// population served and of the best reduction of the deficit that n ≥ 2
// posts can bring from the state before any pick, by branching on one
// post. The best set holds some candidate c, so, g_c being its gains
// and M_{n−1} the data-dependent bound of n − 1 posts (checkpoint's
// allocate) in the state with c added,
//
//	OPT_n ≤ max_c [g_c + OPT_{n−1}(S + c)] ≤ max_c [g_c + M_{n−1}(S + c)],
//
// exact for n = 2 (M_1 is the best single gain). The relaxations miss
// what this sees: a post is whole, not a fraction spread over several
// places. False when n < 2, or for instances beyond branchWork
// (national plans). The state is restored.
func (s *solver) branchBounds(n int) (served, access float64, ok bool) {
	if n < 2 || float64(len(s.cands))*float64(len(s.rPt)) > branchWork {
		return 0, 0, false
	}
	now, posts := s.a, s.posts
	s.a, s.posts = slices.Clone(s.a0), make([]int32, len(s.cands))
	defer func() { s.a, s.posts = now, posts }()
	first := make([]gain, len(s.cands))
	served, access = math.Inf(-1), math.Inf(-1)
	for c := range s.cands {
		g := s.gains(c)
		pts, ws := s.entries(c)
		for x, i := range pts {
			s.a[i] += s.r[c] * ws[x]
		}
		s.posts[c]++
		for c2 := range s.cands {
			first[c2] = s.gains(c2)
		}
		served = max(served, g.served+s.allocate(first, n-1, func(g gain) float64 { return g.served }))
		access = max(access, g.acc+s.allocate(first, n-1, func(g gain) float64 { return g.acc }))
		for _, i := range pts {
			s.a[i] = s.a0[i]
		}
		s.posts[c]--
	}
	// Against rounding, as relaxed.upper.
	return max(0, served) * (1 + 1e-9), max(0, access) * (1 + 1e-9), true
}

// relaxed is a separable concave problem over the communes k that count,
//
//	max Σ_k p_k·min(z_k, δ_k),  z_k = Σ_c n_c·a_ck,  Σ_c n_c ≤ n,  0 ≤ n_c ≤ m_c,
//
// with the entries a_ck > 0 of candidate c in sets[c] (local commune
// indexes) and a[c] (their values).
//
// With q set (served), the term of commune k is instead the concave
// h_k(z) = M_k·(1 − exp(−q_k·z)), of slope p_k = M_k·q_k at 0.
type relaxed struct {
	p, delta []float64
	q, mx    []float64 // served: q_k and M_k (nil otherwise)
	// Candidate c's entries: communes idx[off[c]:off[c+1]] (local
	// indexes), values a_ck in val, flat so that a national instance is
	// a few arrays rather than a slice per candidate.
	off []int
	idx []int32
	val []float64
	m   []int // most posts per candidate
	// commune[k] is the solver's index of local commune k.
	commune []int32
}

// entry adds commune k, with a_ck = a, to the candidate being recorded.
func (r *relaxed) entry(k int32, a float64) {
	r.idx, r.val = append(r.idx, k), append(r.val, a)
}

// close ends the candidate being recorded, with at most m posts; a
// candidate without entries, or with no room, is left out.
func (r *relaxed) close(m int) {
	if r.off == nil {
		r.off = []int{0}
	}
	last := r.off[len(r.off)-1]
	if len(r.idx) == last || m <= 0 {
		r.idx, r.val = r.idx[:last], r.val[:last]
		return
	}
	r.off, r.m = append(r.off, len(r.idx)), append(r.m, m)
}

// cands returns the number of candidates recorded.
func (r *relaxed) cands() int { return len(r.m) }

// set returns candidate c's communes and values.
func (r *relaxed) set(c int) ([]int32, []float64) {
	return r.idx[r.off[c]:r.off[c+1]], r.val[r.off[c]:r.off[c+1]]
}

// term returns commune k's term at z.
func (r *relaxed) term(k int, z float64) float64 {
	if r.q != nil {
		return -r.mx[k] * math.Expm1(-r.q[k]*z)
	}
	return r.p[k] * min(z, r.delta[k])
}

// conj returns h*_k(λ) = max_z h_k(z) − λ·z for 0 ≤ λ ≤ p_k, and the z
// where it is reached (capped for λ = 0 when served):
//
//	p·min(z, δ):   (p − λ)·δ at z = δ
//	M·(1 − e^−qz): M·(1 − λ/p) − (λ/q)·ln(p/λ) at z = ln(p/λ)/q
func (r *relaxed) conj(k int, lambda float64) (float64, float64) {
	if r.q == nil {
		return (r.p[k] - lambda) * r.delta[k], r.delta[k]
	}
	const far = 40 // e^−40: nothing left beyond
	if lambda <= 0 {
		return r.mx[k], far / r.q[k]
	}
	lg := math.Log(r.p[k] / lambda)
	return r.mx[k]*(1-lambda/r.p[k]) - lambda/r.q[k]*lg, min(far, lg) / r.q[k]
}

// add records a candidate with entries set, a and at most m posts.
func (r *relaxed) add(set []int32, a []float64, m int) {
	for x, k := range set {
		r.entry(k, a[x])
	}
	r.close(m)
}

// upper returns an upper bound of the optimum of r with n posts, by
// Lagrangian relaxation. For any 0 ≤ λ_k ≤ p_k, h_k(z) ≤ λ·z + h*_k(λ)
// (conj; for p·min(z, δ), (p − λ)·δ), so
//
//	OPT ≤ L(λ) = Σ_k h*_k(λ_k) + max Σ_c n_c·U_c,  U_c = Σ_k λ_k·a_ck,
//
// the max filling the n posts on the largest U_c, m_c at most each.
// λ = p gives the bound of the n best first gains when a_ck·m_c ≥ δ_k
// (coverage); projected subgradient steps (gradient z_k − z*_k(λ_k),
// Polyak's step towards the best value Σ h_k(z_k) of the allocations
// met) lower it towards the bound of the LP relaxation, which counts
// once a commune that several candidates reach. The smallest L(λ) met is
// returned, raised by a relative 1e-9 against rounding. Deterministic:
// fixed order, ties by candidate index.
//
// The steps start from lambda0 (nil: λ = p), clipped to [0, p]; L(0),
// every term at its largest value, is a bound too.
func (r *relaxed) upper(n int, lambda0 []float64) float64 {
	nc := r.cands()
	if nc == 0 || n <= 0 {
		return 0
	}
	steps := min(lagrangeSteps, int(lagrangeWork/float64(len(r.idx)+nc)))
	lambda := slices.Clone(r.p)
	for k, l := range lambda0 {
		lambda[k] = min(r.p[k], max(0, l))
	}
	z, zstar := make([]float64, len(r.p)), make([]float64, len(r.p))
	score := make([]float64, nc)
	// order is a heap of the candidates of positive score (the only ones
	// that take posts), popped in decreasing score, then index: the n
	// posts usually go to the first few.
	order := &lessHeap[scored]{items: make([]scored, 0, nc), less: scoredFirst}
	// λ = 0: every term at its most, Σ_k h*_k(0) (the whole deficit
	// reachable, or the whole demand not yet served), whatever the posts.
	best, lower, theta, stale := 0.0, 0.0, 2.0, 0
	for k := range r.p {
		h, _ := r.conj(k, 0)
		best += h
	}
	hk, tv := make([]float64, len(r.p)), make([]float64, len(r.p))
	for step := 0; step <= steps; step++ {
		// The scores, conjugates and terms are computed in parallel,
		// each in its own slot, and summed in order: the same bits on
		// any number of CPUs.
		each(nc, func(c int) {
			set, a := r.set(c)
			v := 0.0
			for x, k := range set {
				v += lambda[k] * a[x]
			}
			score[c] = v
		})
		order.items = order.items[:0]
		for c, v := range score {
			if !(v <= 0) {
				order.items = append(order.items, scored{v, c})
			}
		}
		order.init()
		each(len(r.p), func(k int) {
			hk[k], zstar[k] = r.conj(k, lambda[k])
			z[k] = 0
		})
		l := 0.0
		for _, h := range hk {
			l += h
		}
		for left := n; left > 0 && len(order.items) > 0; {
			c := order.pop().c
			if score[c] <= 0 {
				break
			}
			posts := min(left, r.m[c])
			left -= posts
			l += float64(posts) * score[c]
			set, a := r.set(c)
			for x, k := range set {
				z[k] += float64(posts) * a[x]
			}
		}
		each(len(r.p), func(k int) { tv[k] = r.term(k, z[k]) })
		value, norm := 0.0, 0.0
		for k := range r.p {
			value += tv[k]
			if g := z[k] - zstar[k]; g > 0 && lambda[k] > 0 || g < 0 && lambda[k] < r.p[k] {
				norm += g * g
			}
		}
		lower = max(lower, value)
		if l < best {
			best, stale = l, 0
		} else if stale++; stale == 20 {
			theta, stale = theta/2, 0
		}
		if norm == 0 || best-lower <= 1e-12*best {
			break
		}
		step := theta * (l - lower) / norm
		for k := range r.p {
			lambda[k] = min(r.p[k], max(0, lambda[k]-step*(z[k]-zstar[k])))
		}
	}
	return best * (1 + 1e-9)
}

// coverLagrange returns an upper bound of the largest fragile population
// that n posts can newly cover from the current state: relaxed.upper on
// the maximum coverage problem over the territory's communes not yet
// covered (p_k = D_k, δ_k = 1, a_ck = 1 for the communes within d0 of c,
// one post per candidate: a copy covers nothing more).
func (s *solver) coverLagrange(n int) float64 {
	r := s.relax(func(i int32, _ float64) float64 {
		if s.covered[i] || !(s.wpop[i] > 0) {
			return 0
		}
		return 1
	}, func(r *relaxed, i int32) {
		r.p, r.delta = append(r.p, s.wpop[i]), append(r.delta, 1)
	}, func(int) int { return 1 })
	return r.upper(n, nil)
}

// accessLagrange returns an upper bound of the largest reduction of the
// deficit that n posts can bring from the current state: relaxed.upper
// with p_k = P_k, δ_k = max(0, A* − A_k) over the territory's communes
// with a deficit, a_ck = R_c·W(t_kc), and the room left at each
// candidate (Options.MaxPerPlace; n when unlimited).
func (s *solver) accessLagrange(n int) float64 {
	return s.accessRelaxed(s.roomOr(n)).upper(n, nil)
}

// accessRelaxed returns the relaxed problem of accessLagrange in the
// current state, with room(c) posts at most at candidate c.
func (s *solver) accessRelaxed(room func(c int) int) *relaxed {
	return s.relax(func(i int32, da float64) float64 {
		if !(s.pop[i] > 0) || !(s.target-s.a[i] > 0) {
			return 0
		}
		return da
	}, func(r *relaxed, i int32) {
		r.p, r.delta = append(r.p, s.pop[i]), append(r.delta, s.target-s.a[i])
	}, room)
}

// servedLagrange returns an upper bound of the largest rise of the
// fragile population served per year that n posts can bring from the
// current state: relaxed.upper with, for the territory's communes of
// demand D_k > 0, K_k = C·P_k·A_k and z the rise of A_k,
//
//	h_k(z) = served(D_k, K_k + C·P_k·z) − served(D_k, K_k) = M_k·(1 − e^−q_k·z),
//	M_k = D_k·e^(−K_k/D_k),  q_k = C·P_k / D_k,
//
// a_ck = R_c·W(t_kc), and the room left at each candidate.
func (s *solver) servedLagrange(n int) float64 {
	return s.servedRelaxed(s.roomOr(n)).upper(n, nil)
}

// servedRelaxed returns the relaxed problem of servedLagrange in the
// current state, with room(c) posts at most at candidate c.
func (s *solver) servedRelaxed(room func(c int) int) *relaxed {
	return s.relax(func(i int32, da float64) float64 {
		if !(s.pop[i] > 0) || !(s.wpop[i] > 0) {
			return 0
		}
		return da
	}, func(r *relaxed, i int32) {
		d := s.wpop[i]
		m := d * math.Exp(-s.capacity*s.pop[i]*s.a[i]/d)
		q := s.capacity * s.pop[i] / d
		r.mx, r.q, r.p = append(r.mx, m), append(r.q, q), append(r.p, m*q)
	}, room)
}

// startServed and startAccess return upper bounds of the best rise of
// the fragile population served and of the best reduction of the
// deficit that n posts can bring from the state before any pick (s.a0): the Lagrangian
// relaxations of servedLagrange and accessLagrange in that state, their
// multipliers started at the slopes of the terms where the plan's own
// allocation leaves them (z^g_k = A_k now − A_k before the plan):
//
//	served: λ_k = p_k·e^(−q_k·z^g_k)   (h_k'(z^g_k))
//	access: λ_k = p_k if z^g_k < δ_k, else 0
//
// Every λ in [0, p] gives a valid bound (relaxed.upper); the dual of a
// concave problem is smallest at the multipliers of an optimal
// allocation, and the plan's is near one, so this start is usually far
// tighter than λ = p, which the national instances, too large for more
// than a few subgradient steps, never leave. The state is restored.
func (s *solver) startServed(n int) float64 {
	return s.startBound(n, s.servedRelaxed, func(r *relaxed, k int, z float64) float64 {
		return r.p[k] * math.Exp(-r.q[k]*z)
	})
}

// startAccess is the access bound of startServed's documentation.
func (s *solver) startAccess(n int) float64 {
	return s.startBound(n, s.accessRelaxed, func(r *relaxed, k int, z float64) float64 {
		if z < r.delta[k] {
			return r.p[k]
		}
		return 0
	})
}

// startBound returns the bound r.upper(n, λ) of the relaxed problem
// relax(startRoom(n)) made in the state before any pick, with λ_k =
// lambda(r, k, z^g_k) (startServed). The state is restored.
func (s *solver) startBound(n int, relax func(room func(c int) int) *relaxed, lambda func(r *relaxed, k int, z float64) float64) float64 {
	now := s.a
	s.a = s.a0
	defer func() { s.a = now }()
	r := relax(s.startRoom(n))
	l := make([]float64, len(r.p))
	for k, i := range r.commune {
		l[k] = lambda(r, k, now[i]-s.a0[i])
	}
	return r.upper(n, l)
}

// startRoom returns the posts a candidate may take from the state
// before any pick: Options.MaxPerPlace, n when unlimited.
func (s *solver) startRoom(n int) func(c int) int {
	return func(int) int {
		if s.maxPer > 0 {
			return s.maxPer
		}
		return n
	}
}

// roomOr returns the posts a candidate may still take (Options.MaxPerPlace
// minus those planned), n when unlimited.
func (s *solver) roomOr(n int) func(c int) int {
	return func(c int) int {
		if s.maxPer > 0 {
			return max(0, s.maxPer-int(s.posts[c]))
		}
		return n
	}
}

// relax builds a relaxed problem from the catchments of the candidates:
// the entries a_ck = val(c, x) > 0, each commune numbered on its first
// entry (commune adds its terms), at most room(c) posts at candidate c.
// The flat arrays of entries are the solver's, reused from one relaxed
// problem to the next: a relaxed problem is valid until the next relax.
//
// val(i, da) is the entry of the territory's point i within reach of a
// candidate whose post raises A_i by da = R_c·W(t_ic) (the entries gains
// reads: points outside the territory count in no bound).
func (s *solver) relax(val func(i int32, da float64) float64, commune func(r *relaxed, i int32), room func(c int) int) *relaxed {
	if s.rOff == nil {
		s.flatten() // a solver made by hand (tests)
	}
	if cap(s.relaxIdx) < len(s.rPt) {
		// At most one entry per candidate–point pair: allocated once,
		// not grown by doubling (France: 3.1 million entries).
		s.relaxIdx, s.relaxVal = make([]int32, 0, len(s.rPt)), make([]float64, 0, len(s.rPt))
	}
	r := &relaxed{idx: s.relaxIdx[:0], val: s.relaxVal[:0]}
	defer func() { s.relaxIdx, s.relaxVal = r.idx, r.val }()
	local := make([]int32, len(s.in))
	for i := range local {
		local[i] = -1
	}
	for c := range len(s.rOff) - 1 {
		rc := 0.0
		if s.r != nil {
			rc = s.r[c]
		}
		pts, ws := s.entries(c)
		for x, i := range pts {
			if !s.in[i] {
				continue
			}
			a := val(i, rc*ws[x])
			if !(a > 0) {
				continue
			}
			k := local[i]
			if k < 0 {
				k = int32(len(r.p))
				local[i] = k
				commune(r, i)
				r.commune = append(r.commune, i)
			}
			r.entry(k, a)
		}
		r.close(room(c))
	}
	return r
}

// each calls fn(i) for every i in [0, n), on every available CPU
// (diag.Parallel): fn must write its own slots only.
func each(n int, fn func(i int)) {
	_ = diag.Parallel(context.Background(), n, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			fn(i)
		}
		return nil
	})
}

// scored is a candidate and its score U_c in relaxed.upper.
type scored struct {
	v float64
	c int
}

// scoredFirst orders scores largest first, then by lower index (a
// strict order: the pops come in the order of a full sort).
func scoredFirst(a, b scored) bool {
	if d := cmp.Compare(a.v, b.v); d != 0 {
		return d > 0
	}
	return a.c < b.c
}
