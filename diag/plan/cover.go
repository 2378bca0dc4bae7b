package plan

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"

	"diagnum/diag"
)

// Limits of the fewest-posts search (Cover): the linear relaxation is
// solved when the reduced instance has at most MaxLPRows communes to
// cover, and the exact search of each component stops after
// MaxCoverNodes nodes.
const (
	MaxLPRows     = 400
	MaxCoverNodes = 300_000
)

// CoverResult is what --couvrir reports beside the picks.
type CoverResult struct {
	Rate       float64 // the coverage rate asked for (0–1)
	Reachable  float64 // the highest rate the candidates can reach
	Posts      int     // posts of the plan
	LowerBound int     // no set of fewer posts reaches the rate
	Optimal    bool    // Posts == LowerBound, or proved by exhaustive search
}

// cover chooses the fewest posts that bring the territory's coverage
// rate (population within d0 of a site / population) to Options.Cover:
//
//  1. greedy: the candidate covering the most inhabitants not yet covered
//     (ties: the coverage stage's criteria, then canonical order), until
//     the rate is reached; then every post that the others make useless
//     is dropped (last first);
//  2. lower bound: the fewest k whose k largest single-candidate gains
//     add up to what is missing; and, when every reachable commune must
//     be covered (rate ≥ Reachable), the linear relaxation of the set
//     cover, min Σ x_c s.t. Σ_{c reaches i} x_c ≥ 1 for every commune i
//     to cover, x ≥ 0 (gonum's simplex), rounded up;
//  3. exact: for a full cover, a depth-limited search (branching on the
//     commune reached by the fewest candidates) for each k from the lower
//     bound up, which proves the minimum or stops at MaxCoverNodes.
//
// The posts found are then placed in the order of the greedy among them.
func (s *solver) cover(ctx context.Context, b *diag.Baseline, p *Plan, rate float64) error {
	in := s.coverInstance(p)
	res := &CoverResult{Rate: rate, Reachable: ratio(s.covPop+in.reachable, float64(p.Population))}
	p.Cover = res
	need := rate*float64(p.Population) - s.covPop
	if rate >= res.Reachable {
		need = in.reachable
	}
	if need <= 0 {
		return nil
	}
	var set []int
	if rate >= res.Reachable {
		// Every reachable commune: the components of the instance
		// (communes linked by a candidate reaching both) are solved apart.
		res.Optimal = true
		for _, part := range in.split() {
			sub, lb, proved := part.solveFull(ctx)
			for _, c := range sub {
				set = append(set, part.parent[c])
			}
			res.LowerBound += lb
			res.Optimal = res.Optimal && proved
		}
	} else {
		set = in.greedy(need)
		res.LowerBound = in.gainBound(need)
	}
	res.Optimal = res.Optimal || len(set) <= res.LowerBound
	res.LowerBound = min(res.LowerBound, len(set))
	res.Posts = len(set)
	if rate > res.Reachable*(1+Tolerance) { // the units of a demand layer add up to P within rounding
		p.Stop = fmt.Sprintf("couverture de %.1f %% inatteignable : au plus %.1f %% avec ces lieux candidats", 100*rate, 100*res.Reachable)
	}
	p.Requested = len(set)
	order := make([]int, len(set))
	for k, c := range in.ordered(set) {
		order[k] = in.cands[c]
	}
	return s.replay(ctx, b, p, order)
}

// ordered returns the posts of set in greedy order: most inhabitants
// newly covered first (ties: first in set order).
func (in *coverInst) ordered(set []int) []int {
	left := slices.Clone(set)
	var out []int
	for len(left) > 0 {
		best, bv := 0, -1.0
		for k := range left {
			if v := in.value(append(slices.Clone(out), left[k])); v > bv {
				best, bv = k, v
			}
		}
		out = append(out, left[best])
		left = slices.Delete(left, best, best+1)
	}
	return out
}

// coverInst is the set-cover instance of cover: the territory's
// populated communes not yet covered that some candidate reaches, and
// the candidates that reach at least one (identical sets merged).
type coverInst struct {
	pop       []float64 // per commune to cover
	frag      []float64 // its fragile population (tie-break)
	sets      [][]int32 // per candidate: the communes it covers
	by        [][]int32 // per commune: the candidates covering it
	cands     []int     // candidate index in the solver
	reachable float64   // Σ pop
	parent    []int     // for a component (split): candidate index in the whole instance
}

// solveFull covers every commune of the instance: greedy, lower bound
// (single gains and linear relaxation), exact search; it returns the
// posts, the lower bound and whether the posts are proved minimal.
func (in *coverInst) solveFull(ctx context.Context) ([]int, int, bool) {
	set := in.greedy(in.reachable)
	lb := max(in.gainBound(in.reachable), in.lpBound())
	if len(set) <= lb {
		return set, lb, true
	}
	red, keep := in.undominated()
	exact, proved := red.exact(ctx, lb, len(set))
	if !proved {
		return set, lb, false
	}
	if exact != nil {
		set = set[:0]
		for _, c := range exact {
			set = append(set, keep[c])
		}
	}
	return set, len(set), true
}

// undominated returns the instance without the candidates whose
// communes another candidate covers too (the first in order among equal
// sets; a cover keeps its size when such a candidate is replaced), and
// the index in in of each candidate kept.
func (in *coverInst) undominated() (*coverInst, []int) {
	mark := make([]int32, len(in.pop))
	gen := int32(0)
	var keep []int
	for a, sa := range in.sets {
		gen++
		for _, i := range sa {
			mark[i] = gen
		}
		dominated := false
		// A dominating candidate covers sa[0]: look among those only.
		for _, c := range in.by[sa[0]] {
			sc := in.sets[c]
			if int(c) == a || len(sc) < len(sa) || len(sc) == len(sa) && int(c) > a {
				continue
			}
			n := 0
			for _, i := range sc {
				if mark[i] == gen {
					n++
				}
			}
			if n == len(sa) {
				dominated = true
				break
			}
		}
		if !dominated {
			keep = append(keep, a)
		}
	}
	red := &coverInst{pop: in.pop, frag: in.frag, by: make([][]int32, len(in.pop)), reachable: in.reachable}
	for _, a := range keep {
		for _, i := range in.sets[a] {
			red.by[i] = append(red.by[i], int32(len(red.sets)))
		}
		red.sets = append(red.sets, in.sets[a])
		red.cands = append(red.cands, in.cands[a])
	}
	return red, keep
}

// disjointBound returns a lower bound of the posts still needed: a set
// of open communes no candidate covers two of (chosen greedily, fewest
// candidates first), each of which needs its own post.
func (in *coverInst) disjointBound(count []int32, used []int32, gen int32) int {
	n := 0
	for i := range in.pop {
		if count[i] != 0 {
			continue
		}
		free := true
		for _, c := range in.by[i] {
			if used[c] == gen {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		n++
		for _, c := range in.by[i] {
			used[c] = gen
		}
	}
	return n
}

// split returns the connected components of the instance: communes
// joined when a candidate covers both; each component's candidates know
// their index in in (parent).
func (in *coverInst) split() []*coverInst {
	root := make([]int32, len(in.pop))
	for i := range root {
		root[i] = int32(i)
	}
	find := func(i int32) int32 {
		for root[i] != i {
			root[i] = root[root[i]]
			i = root[i]
		}
		return i
	}
	for _, cs := range in.sets {
		for _, i := range cs[1:] {
			if a, b := find(cs[0]), find(i); a != b {
				root[max(a, b)] = min(a, b)
			}
		}
	}
	comp := map[int32]*coverInst{}
	local := make([]int32, len(in.pop))
	var order []int32
	for i := range in.pop {
		r := find(int32(i))
		part, ok := comp[r]
		if !ok {
			part = &coverInst{}
			comp[r] = part
			order = append(order, r)
		}
		local[i] = int32(len(part.pop))
		part.pop = append(part.pop, in.pop[i])
		part.frag = append(part.frag, in.frag[i])
		part.by = append(part.by, nil)
		part.reachable += in.pop[i]
	}
	for c, cs := range in.sets {
		part := comp[find(cs[0])]
		set := make([]int32, len(cs))
		for k, i := range cs {
			set[k] = local[i]
			part.by[local[i]] = append(part.by[local[i]], int32(len(part.sets)))
		}
		part.sets = append(part.sets, set)
		part.cands = append(part.cands, in.cands[c])
		part.parent = append(part.parent, c)
	}
	out := make([]*coverInst, len(order))
	for k, r := range order {
		out[k] = comp[r]
	}
	return out
}

func (s *solver) coverInstance(p *Plan) *coverInst {
	in := &coverInst{}
	id := map[int32]int32{}
	seen := map[string]bool{}
	for c := range s.cands {
		var set []int32
		pts, _ := s.entries(c)
		for _, i := range pts {
			if !s.in[i] || s.covered[i] || s.pop[i] <= 0 {
				continue
			}
			k, ok := id[i]
			if !ok {
				k = int32(len(in.pop))
				id[i] = k
				in.pop = append(in.pop, s.pop[i])
				in.frag = append(in.frag, s.wpop[i])
				in.by = append(in.by, nil)
				in.reachable += s.pop[i]
			}
			set = append(set, k)
		}
		if len(set) == 0 {
			continue
		}
		slices.Sort(set)
		key := fmt.Sprint(set)
		if seen[key] {
			continue // same communes as a candidate before it in canonical order
		}
		seen[key] = true
		for _, k := range set {
			in.by[k] = append(in.by[k], int32(len(in.sets)))
		}
		in.sets = append(in.sets, set)
		in.cands = append(in.cands, c)
	}
	return in
}

// greedy returns the candidates (instance indexes) of the greedy cover
// of need inhabitants, redundant ones dropped.
func (in *coverInst) greedy(need float64) []int {
	covered := make([]bool, len(in.pop))
	var set []int
	got := 0.0
	for got < need*(1-Tolerance) {
		best, bp, bf := -1, 0.0, 0.0
		for c, cs := range in.sets {
			p, f := 0.0, 0.0
			for _, i := range cs {
				if !covered[i] {
					p, f = p+in.pop[i], f+in.frag[i]
				}
			}
			if best < 0 || p > bp && !(tied(p, bp) && tied(bp, p)) || tied(p, bp) && tied(bp, p) && f > bf && !(tied(f, bf) && tied(bf, f)) {
				best, bp, bf = c, p, f
			}
		}
		if best < 0 || bp <= 0 {
			break
		}
		set = append(set, best)
		for _, i := range in.sets[best] {
			covered[i] = true
		}
		got += bp
	}
	// Drop the posts the others make useless, last first.
	for k := len(set) - 1; k >= 0; k-- {
		if in.value(slices.Delete(slices.Clone(set), k, k+1)) >= need*(1-Tolerance) {
			set = slices.Delete(set, k, k+1)
		}
	}
	return set
}

// value returns the inhabitants covered by set.
func (in *coverInst) value(set []int) float64 {
	covered := make([]bool, len(in.pop))
	v := 0.0
	for _, c := range set {
		for _, i := range in.sets[c] {
			if !covered[i] {
				covered[i], v = true, v+in.pop[i]
			}
		}
	}
	return v
}

// gainBound returns the fewest k whose k largest single gains reach need.
func (in *coverInst) gainBound(need float64) int {
	gains := make([]float64, len(in.sets))
	for c, cs := range in.sets {
		for _, i := range cs {
			gains[c] += in.pop[i]
		}
	}
	slices.Sort(gains)
	slices.Reverse(gains)
	sum := 0.0
	for k, g := range gains {
		sum += g
		if sum >= need*(1-Tolerance) {
			return k + 1
		}
	}
	return len(gains)
}

// lpBound returns ⌈LP⌉ for covering every commune of the instance, or 0
// when the instance is too large or the simplex fails.
func (in *coverInst) lpBound() int {
	m, n := len(in.pop), len(in.sets)
	if m == 0 || m > MaxLPRows {
		return 0
	}
	// min Σ x_c s.t. Σ_{c ∋ i} x_c − s_i = 1, x, s ≥ 0.
	a := mat.NewDense(m, n+m, nil)
	c := make([]float64, n+m)
	rhs := make([]float64, m)
	for j, cs := range in.sets {
		c[j] = 1
		for _, i := range cs {
			a.Set(int(i), j, 1)
		}
	}
	for i := range m {
		a.Set(i, n+i, -1)
		rhs[i] = 1
	}
	opt, _, err := lp.Simplex(c, a, rhs, 1e-10, nil)
	if err != nil {
		return 0
	}
	return int(math.Ceil(opt - 1e-6))
}

// exact searches for a cover of every commune with k posts, for k from
// lo up to hi − 1; it returns the first found, or false when none exists
// below hi (the greedy's is then optimal) or the search was cut.
func (in *coverInst) exact(ctx context.Context, lo, hi int) ([]int, bool) {
	maxSet := 0
	for _, cs := range in.sets {
		maxSet = max(maxSet, len(cs))
	}
	nodes := 0
	used := make([]int32, len(in.sets))
	gen := int32(0)
	for k := max(lo, 1); k < hi; k++ {
		count := make([]int32, len(in.pop))
		var set []int
		var rec func(left int) bool
		rec = func(left int) bool {
			nodes++
			if nodes > MaxCoverNodes || nodes%4096 == 0 && ctx.Err() != nil {
				return false
			}
			// The uncovered commune reached by the fewest candidates.
			best, open := -1, 0
			for i := range in.pop {
				if count[i] == 0 {
					open++
					if best < 0 || len(in.by[i]) < len(in.by[best]) {
						best = i
					}
				}
			}
			if best < 0 {
				return true
			}
			if left == 0 || (open+maxSet-1)/maxSet > left {
				return false
			}
			if gen++; in.disjointBound(count, used, gen) > left {
				return false
			}
			for _, c := range in.by[best] {
				set = append(set, int(c))
				for _, i := range in.sets[c] {
					count[i]++
				}
				if rec(left - 1) {
					return true
				}
				for _, i := range in.sets[c] {
					count[i]--
				}
				set = set[:len(set)-1]
			}
			return false
		}
		if rec(k) {
			return set, true
		}
		if nodes > MaxCoverNodes || ctx.Err() != nil {
			return nil, false
		}
	}
	return nil, nodes <= MaxCoverNodes && ctx.Err() == nil && hi > 0
}
