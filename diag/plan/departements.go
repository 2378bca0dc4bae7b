package plan

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// DepShare is a département of a plan: its fragile population in need of
// service before the plan and the posts the plan adds there.
type DepShare struct {
	Dep   string
	Need  float64 // Σ (P_i·w_i − served_i) over its communes, before the plan
	Posts int     // posts of the plan located there
}

// Departements returns the départements of the plan's territory, by
// code, with their need and posts.
func (p *Plan) Departements() []DepShare {
	posts := map[string]int{}
	for _, k := range p.Picks {
		posts[k.Dep]++
	}
	out := make([]DepShare, 0, len(p.DepNeed))
	for d, need := range p.DepNeed {
		out = append(out, DepShare{Dep: d, Need: need, Posts: posts[d]})
	}
	slices.SortFunc(out, func(a, b DepShare) int { return cmp.Compare(a.Dep, b.Dep) })
	return out
}

// NeedCorrelation returns Spearman's rank correlation between the posts
// added per département and its fragile population in need of service
// (Departements), ties given their mean rank; NaN with fewer than 3
// départements.
func (p *Plan) NeedCorrelation() float64 {
	ds := p.Departements()
	if len(ds) < 3 {
		return math.NaN()
	}
	x, y := make([]float64, len(ds)), make([]float64, len(ds))
	for i, d := range ds {
		x[i], y[i] = float64(d.Posts), d.Need
	}
	return stat.Correlation(ranks(x), ranks(y), nil)
}

// ranks returns the rank of each value (1 = smallest), ties sharing
// their mean rank.
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(v[a], v[b]) })
	r := make([]float64, len(v))
	for lo := 0; lo < len(idx); {
		hi := lo
		for hi+1 < len(idx) && v[idx[hi+1]] == v[idx[lo]] {
			hi++
		}
		for k := lo; k <= hi; k++ {
			r[idx[k]] = float64(lo+hi)/2 + 1
		}
		lo = hi + 1
	}
	return r
}
