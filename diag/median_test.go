package diag

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestMedianAccess10k: hand-computed medians. The populated communes
// with a number have access 4, 1, 3, 2: sorted 1 2 3 4, the median is
// the 2nd (k = ⌈4/2⌉), 2; of département 23 alone (4, 1, 3) the 2nd of
// 1 3 4, 3. The unpopulated commune (access 0) and the NaN are left out.
func TestMedianAccess10k(t *testing.T) {
	cs := []CommuneResult{
		{Dep: "23", Population: 10, Access10k: 4},
		{Dep: "23", Population: 5, Access10k: 1},
		{Dep: "87", Population: 0, Access10k: 0},
		{Dep: "23", Population: 7, Access10k: 3},
		{Dep: "87", Population: 3, Access10k: 2},
		{Dep: "87", Population: 3, Access10k: math.NaN()},
	}
	if m, ok := MedianAccess10k(cs, nil); !ok || m != 2 {
		t.Errorf("all: %v %v, want 2", m, ok)
	}
	in23 := func(c *CommuneResult) bool { return c.Dep == "23" }
	if m, ok := MedianAccess10k(cs, in23); !ok || m != 3 {
		t.Errorf("23: %v %v, want 3", m, ok)
	}
	if _, ok := MedianAccess10k(cs, func(c *CommuneResult) bool { return c.Dep == "19" }); ok {
		t.Error("no commune: ok")
	}
	if m := MedianAccess([]float64{4, 1, 0, 3, 2}, []int{10, 5, 0, 7, 3}); m != 2 {
		t.Errorf("MedianAccess = %v, want 2", m)
	}
}

// TestMedianSelect: median (a selection, without sorting) equals the
// quantile of the sorted values, on random slices of every small length
// with many ties, and on the cases that fall back to the sort (NaN, −0).
func TestMedianSelect(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for n := 1; n <= 300; n++ {
		for _, levels := range []int{2, 10, 1 << 30} {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(rng.IntN(levels)) / 4
			}
			if n%3 == 0 { // sorted and reversed inputs
				slices.Sort(x)
				if n%2 == 0 {
					slices.Reverse(x)
				}
			}
			sorted := slices.Sorted(slices.Values(x))
			want := stat.Quantile(0.5, stat.Empirical, sorted, nil)
			if got, ok := median(x); !ok || got != want {
				t.Fatalf("n=%d levels=%d: median %v, want %v", n, levels, got, want)
			}
		}
	}
	if m, _ := median([]float64{3, math.NaN(), 1}); !math.IsNaN(m) {
		t.Errorf("with NaN: %v, want NaN", m)
	}
	if m, _ := median([]float64{math.Copysign(0, -1), 0, 0}); m != 0 {
		t.Errorf("with −0: %v, want 0", m)
	}
	if _, ok := median(nil); ok {
		t.Error("empty: ok")
	}
}
