package diag

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// median returns the median of x as every figure of diagnum takes it:
// stat.Quantile(0.5, stat.Empirical, sorted x, nil), the lowest value at
// or above half of them (the k-th smallest, k = ⌈n/2⌉); false when x is
// empty. x is sorted in place.
func median(x []float64) (float64, bool) {
	if len(x) == 0 {
		return 0, false
	}
	slices.Sort(x)
	return stat.Quantile(0.5, stat.Empirical, x, nil), true
}

// MedianAccess returns Amed, the median (median) of A_i over the communes
// with P_i > 0, which score_ecart compares every commune with. It is 0
// when no commune is populated.
func MedianAccess(a []float64, pop []int) float64 {
	var x []float64
	for i, v := range a {
		if pop[i] > 0 {
			x = append(x, v)
		}
	}
	m, _ := median(x)
	return m
}

// MedianAccess10k returns the median (as MedianAccess takes it) of
// Access10k over the populated communes of cs that in accepts (nil: all
// of them), a NaN access left out; false when there is no such commune.
// The workbook's medians of a territory, its région and France, and the
// planner's before / after comparison are this.
func MedianAccess10k(cs []CommuneResult, in func(*CommuneResult) bool) (float64, bool) {
	var x []float64
	for i := range cs {
		c := &cs[i]
		if (in == nil || in(c)) && c.Population > 0 && !math.IsNaN(c.Access10k) {
			x = append(x, c.Access10k)
		}
	}
	return median(x)
}
