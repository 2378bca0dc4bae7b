package geo

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBoxTreeSearchAgainstScan: for every size around the level
// boundaries (0, 1, F, F+1, F², F²+1, …), search returns exactly the
// boxes a scan finds intersecting the query, and stops when asked.
func TestBoxTreeSearchAgainstScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 16))
	randBox := func(w float64) box {
		x, y := rng.Float64()*20-5, rng.Float64()*10+40
		return box{[2]float64{x, y}, [2]float64{x + rng.Float64()*w, y + rng.Float64()*w}}
	}
	for _, n := range []int{0, 1, treeFanout, treeFanout + 1, treeFanout * treeFanout, treeFanout*treeFanout + 1, 5000} {
		bs, ids := make([]box, n), make([]int, n)
		for i := range bs {
			bs[i], ids[i] = randBox(0.3), 1000+i
		}
		tr := newBoxTree(bs, ids)
		for r := range 200 {
			q := randBox(2)
			if r == 0 {
				q = box{[2]float64{-180, -90}, [2]float64{180, 90}} // every item
			}
			var got, want []int
			tr.search(q, func(id int) bool { got = append(got, id); return true })
			for i := range bs {
				if bs[i].intersects(&q) {
					want = append(want, ids[i])
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d query %v: got %v, want %v", n, q, got, want)
			}
			if len(want) > 1 {
				k := 0
				if tr.search(q, func(int) bool { k++; return false }) || k != 1 {
					t.Fatalf("n=%d: search did not stop (%d calls)", n, k)
				}
			}
		}
	}
}
