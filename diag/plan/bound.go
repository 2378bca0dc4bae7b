package plan

import (
	"container/heap"
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
	// Coverage: the N largest first gains of distinct candidates.
	slices.Sort(covs)
	top := 0.0
	for i := len(covs) - 1; i >= 0 && i >= len(covs)-n; i-- {
		top += covs[i]
	}
	s.covBound = min(s.covBound, done.cov+top)
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
