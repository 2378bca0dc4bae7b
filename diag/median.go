package diag

import (
	"math"
	"math/bits"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// median returns the median of x as every figure of diagnum takes it:
// stat.Quantile(0.5, stat.Empirical, sorted x, nil), the lowest value at
// or above half of them (the k-th smallest, k = ⌈n/2⌉); false when x is
// empty. x is reordered in place: kthSmallest selects that value without
// sorting x, unless x holds a NaN (the quantile is then NaN) or a −0
// (which of the zeros a sort leaves at rank k is the sort's choice), where
// x is sorted and the quantile read.
func median(x []float64) (float64, bool) {
	if len(x) == 0 {
		return 0, false
	}
	for _, v := range x {
		if math.IsNaN(v) || v == 0 && math.Signbit(v) {
			slices.Sort(x)
			return stat.Quantile(0.5, stat.Empirical, x, nil), true
		}
	}
	return kthSmallest(x, (len(x)+1)/2-1), true
}

// kthSmallest returns x[k] of x sorted in increasing order (k from 0),
// reordering x: Hoare's selection (partitions around the median of three
// values, keeping the side that holds rank k), which falls back to a
// sort of the range left after 2·log₂n + 8 partitions. x holds no NaN.
func kthSmallest(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for budget := 2*bits.Len(uint(len(x))) + 8; lo < hi; budget-- {
		if budget == 0 {
			slices.Sort(x[lo : hi+1])
			break
		}
		a, b, c := x[lo], x[lo+(hi-lo)/2], x[hi]
		p := max(min(a, b), min(max(a, b), c))
		// After the loop x[lo..j] ≤ p ≤ x[i..hi], and x[j+1..i−1] = p.
		i, j := lo, hi
		for i <= j {
			for x[i] < p {
				i++
			}
			for x[j] > p {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return p
		}
	}
	return x[k]
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

// medianAccess is MedianAccess of a, the accessibility of each commune
// of the engine's data set in data order, their populations as weights:
// the Amed of the baseline and of a demand layer's measures.
func (e *engine) medianAccess(a []float64) float64 {
	pops := make([]int, len(e.ds.Communes))
	for i, c := range e.ds.Communes {
		pops[i] = c.Population
	}
	return MedianAccess(a, pops)
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
