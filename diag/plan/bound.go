package plan

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
	"strconv"
	"strings"
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
	return "au moins " + strings.Replace(strconv.FormatFloat(100*b.Ratio(), 'f', 1, 64), ".", ",", 1) + " % de l'optimum"
}

// checkpoint records, in the current state S_t of the greedy, the upper
// bounds of the best gains of N = Requested posts (Nemhauser, Wolsey and
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
func (s *solver) checkpoint(p *Plan) {
	n := p.Requested
	var done gain
	for _, k := range p.Picks {
		done.cov += k.NewFragile
		done.served += k.NewServed
		done.acc += k.DeficitGain
	}
	first := make([]gain, len(s.cands))
	covs := make([]float64, len(s.cands))
	for c := range s.cands {
		first[c] = s.gains(c)
		covs[c] = first[c].cov
	}
	// Coverage: the N largest first gains of distinct candidates, then
	// lowered by the Lagrangian relaxation (coverLagrange starts there).
	slices.Sort(covs)
	top := 0.0
	for i := len(covs) - 1; i >= 0 && i >= len(covs)-n; i-- {
		top += covs[i]
	}
	s.covBound = min(s.covBound, done.cov+top, done.cov+s.coverLagrange(n))
	s.servedBound = min(s.servedBound, done.served+s.allocate(first, n, func(g gain) float64 { return g.served }))
	s.accBound = min(s.accBound, done.acc+s.allocate(first, n, func(g gain) float64 { return g.acc }))
}

// allocate returns the largest Σ_c h_c(n_c) with Σ n_c = n on the
// criterion of val: the n largest increments, taken one at a time from a
// heap holding each candidate's next one.
func (s *solver) allocate(first []gain, n int, val func(gain) float64) float64 {
	h := &incHeap{}
	for c, g := range first {
		if v := val(g); v > 0 && s.room(c, 0) {
			h.items = append(h.items, inc{c: c, v: v})
		}
	}
	heap.Init(h)
	sum := 0.0
	for k := 0; k < n && h.Len() > 0; k++ {
		top := &h.items[0]
		sum += top.v
		top.n++
		if !s.room(top.c, top.n) {
			heap.Pop(h)
			continue
		}
		top.v = val(s.gainsCopy(top.c, top.n))
		heap.Fix(h, 0)
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
	s.checkpoint(p)
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

type incHeap struct{ items []inc }

func (h *incHeap) Len() int { return len(h.items) }
func (h *incHeap) Less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	if a.v != b.v {
		return a.v > b.v
	}
	return a.c < b.c
}
func (h *incHeap) Swap(i, j int) { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *incHeap) Push(x any)    { h.items = append(h.items, x.(inc)) }
func (h *incHeap) Pop() any {
	e := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return e
}

// Limits of coverLagrange: subgradient steps, and work (candidate–commune
// entries visited, summed over the steps) per checkpoint.
const (
	lagrangeSteps = 300
	lagrangeWork  = 3e7
)

// coverLagrange returns an upper bound of the largest fragile population
// that n posts can newly cover from the current state: the Lagrangian
// relaxation of the maximum coverage problem over the territory's
// communes not yet covered (demand D_i, candidates c covering the set
// C_c of communes within d0),
//
//	max Σ_i D_i·y_i  s.t.  y_i ≤ Σ_{c ∋ i} x_c,  Σ_c x_c ≤ n,  x, y ∈ {0, 1}.
//
// For any multipliers 0 ≤ u_i ≤ D_i, Σ_i D_i·y_i ≤ Σ_i (D_i − u_i)·y_i
// + Σ_c x_c·Σ_{i ∈ C_c} u_i for every feasible (x, y), hence
//
//	OPT ≤ L(u) = Σ_i (D_i − u_i) + (the n largest U_c = Σ_{i ∈ C_c} u_i).
//
// u = D gives the bound of the n best first gains; projected subgradient
// steps (Polyak's step towards the best coverage found by the sets of
// the n largest U_c) lower it towards the bound of the LP relaxation,
// which is much tighter on small plans where candidates overlap. The
// smallest L(u) met is returned, raised by a relative 1e-9 against
// rounding. Deterministic: fixed order, ties by candidate index.
func (s *solver) coverLagrange(n int) float64 {
	// The communes that count (demand not yet covered) and, per candidate,
	// the ones it covers, in local indexes.
	local := map[int32]int32{}
	var d []float64
	var sets [][]int32
	work := 0
	for _, rs := range s.reach {
		var set []int32
		for _, x := range rs {
			i := x.Commune
			if !s.in[i] || s.covered[i] || !(s.wpop[i] > 0) {
				continue
			}
			k, ok := local[i]
			if !ok {
				k = int32(len(d))
				local[i] = k
				d = append(d, s.wpop[i])
			}
			set = append(set, k)
		}
		if len(set) > 0 {
			sets = append(sets, set)
			work += len(set)
		}
	}
	if len(sets) == 0 || n <= 0 {
		return 0
	}
	if n >= len(sets) { // every candidate with a gain: all the demand
		total := 0.0
		for _, v := range d {
			total += v
		}
		return total * (1 + 1e-9)
	}
	steps := min(lagrangeSteps, int(lagrangeWork/float64(work+len(sets))))
	u := slices.Clone(d)
	cnt := make([]int32, len(d))
	score := make([]float64, len(sets))
	order := make([]int, len(sets))
	best, lower, theta, stale := math.Inf(1), 0.0, 2.0, 0
	for step := 0; step <= steps; step++ {
		for c, set := range sets {
			score[c] = 0
			for _, k := range set {
				score[c] += u[k]
			}
			order[c] = c
		}
		slices.SortFunc(order, func(a, b int) int {
			if score[a] != score[b] {
				return cmp.Compare(score[b], score[a])
			}
			return a - b
		})
		l := 0.0
		for k := range d {
			l += d[k] - u[k]
			cnt[k] = 0
		}
		for _, c := range order[:n] {
			l += score[c]
			for _, k := range sets[c] {
				cnt[k]++
			}
		}
		// The coverage of those n candidates is a feasible value.
		value := 0.0
		norm := 0.0
		for k := range d {
			if cnt[k] > 0 {
				value += d[k]
			}
			// Gradient of L in u_k: cnt_k − 1, projected on [0, D_k].
			if g := float64(cnt[k] - 1); g > 0 && u[k] > 0 || g < 0 && u[k] < d[k] {
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
		lambda := theta * (l - lower) / norm
		for k := range d {
			u[k] = min(d[k], max(0, u[k]-lambda*float64(cnt[k]-1)))
		}
	}
	return best * (1 + 1e-9)
}
