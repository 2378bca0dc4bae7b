package diag

import (
	"math"
	"testing"
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
