package plan

import (
	"context"
	"slices"

	"diagnum/diag"
)

// MaxSwapWork caps the work of the 1-exchange pass: posts × candidates.
// Beyond it (national plans), Options.Swap is ignored and Plan.Swapped
// stays 0.
const MaxSwapWork = 2_000_000

// swap improves the greedy's set by 1-exchanges: for each post j, the
// state without it is rebuilt and every candidate c is compared with
// j's candidate there; c replaces it when its gains are better, in the
// order of the plan's first stage (criteria), by more than Tolerance.
// Passes repeat until none exchanges anything (at most 10). The picks
// are then recomputed in their order, each keeping its stage. The value
// of the set never decreases; the plan is no longer nested.
func (s *solver) swap(ctx context.Context, b *diag.Baseline, p *Plan) error {
	n := len(s.picked)
	if n == 0 || n*len(s.cands) > MaxSwapWork {
		return nil
	}
	set := slices.Clone(s.picked)
	st := stagesOf(s.obj)[0]
	for pass := 0; pass < 10; pass++ {
		changed := false
		for j := range set {
			if err := ctx.Err(); err != nil {
				return err
			}
			s.reset(set, j)
			cur := st.criteria(s.gains(set[j]))
			best, bestC := cur, set[j]
			for c := range s.cands {
				if c == set[j] || !s.room(c, 0) {
					continue
				}
				if g := st.criteria(s.gains(c)); better(g, best) {
					best, bestC = g, c
				}
			}
			if bestC != set[j] {
				set[j] = bestC
				p.Swapped++
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return s.replay(ctx, b, p, set)
}

// better reports whether gains a beat b: the first criterion that is not
// tied (Tolerance) decides.
func better(a, b [3]float64) bool {
	for k := range a {
		if tied(a[k], b[k]) && tied(b[k], a[k]) {
			continue
		}
		return a[k] > b[k]
	}
	return false
}

// reset sets the state to the baseline plus the posts of set except the
// one at position skip (posts counted per candidate for MaxPerPlace).
func (s *solver) reset(set []int, skip int) {
	copy(s.a, s.a0)
	copy(s.covered, s.covered0)
	clear(s.posts)
	for k, c := range set {
		if k == skip {
			continue
		}
		s.posts[c]++
		pts, ws := s.entries(c)
		for x, i := range pts {
			s.covered[i] = s.covered[i] || s.in[i]
			s.a[i] += s.r[c] * ws[x]
		}
	}
}

// replay recomputes the picks of p for the candidates of set, in order,
// from the baseline state.
func (s *solver) replay(ctx context.Context, b *diag.Baseline, p *Plan, set []int) error {
	copy(s.a, s.a0)
	copy(s.ca, s.ca0)
	copy(s.covered, s.covered0)
	s.covPop = s.covPop0
	clear(s.posts)
	s.picked = s.picked[:0]
	s.med = newMedianTracker(s.med0)
	old := p.Picks
	p.Picks = nil
	for k, c := range set {
		stage := StageCoverage
		if k < len(old) {
			stage = old[k].Stage
		}
		if err := s.pick(ctx, b, p, c, stage); err != nil {
			return err
		}
	}
	return nil
}
