package plan

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"diagnum/diag"
)

// coverSolver returns a solver holding only what coverLagrange reads: the
// demand D_i of each commune (all in the territory, none covered) and
// the communes each candidate covers.
func coverSolver(d []float64, sets [][]int32) *solver {
	s := &solver{wpop: d, in: make([]bool, len(d)), covered: make([]bool, len(d))}
	for i := range d {
		s.in[i] = true
	}
	for _, set := range sets {
		var rs []diag.Reach
		for _, i := range set {
			rs = append(rs, diag.Reach{Commune: i})
		}
		s.reach = append(s.reach, rs)
	}
	return s
}

// TestCoverLagrangeHand: two candidates covering {a, b} and {a, c}, each
// commune of demand 1. With 2 posts the n best first gains give 2 + 2 =
// 4, but a is counted twice; the optimum and the LP bound are 3, which
// the Lagrangian reaches with u = (0, 1, 1): L = (1 − 0) + (0 + 0) + (1 +
// 1) = 3. With 1 post both give 2.
func TestCoverLagrangeHand(t *testing.T) {
	s := coverSolver([]float64{1, 1, 1}, [][]int32{{0, 1}, {0, 2}})
	for _, c := range []struct {
		n    int
		want float64
	}{{2, 3}, {1, 2}} {
		if got := s.coverLagrange(c.n); math.Abs(got-c.want) > 1e-8 || got < c.want {
			t.Errorf("%d posts: bound %v, want %v (+ 1e-9 relative)", c.n, got, c.want)
		}
	}
}

// TestCoverLagrangeVsExhaustive: on random coverage instances (8 to 14
// candidates covering 1 to 6 of 20 communes with random demands), the
// Lagrangian bound is at least the exhaustive optimum and at most the
// bound of the n best first gains; the mean and worst optimum / bound
// are logged.
func TestCoverLagrangeVsExhaustive(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	worst, sum, cases, tighter := 1.0, 0.0, 0, 0
	for range 60 {
		nc, ni := 8+rng.IntN(7), 20
		d := make([]float64, ni)
		for i := range d {
			d[i] = float64(1 + rng.IntN(1000))
		}
		sets := make([][]int32, nc)
		for c := range sets {
			for _, i := range rng.Perm(ni)[:1+rng.IntN(6)] {
				sets[c] = append(sets[c], int32(i))
			}
		}
		s := coverSolver(d, sets)
		for n := 1; n <= 4; n++ {
			opt := 0.0
			for mask := 0; mask < 1<<nc; mask++ {
				if bits.OnesCount(uint(mask)) != n {
					continue
				}
				hit := make([]bool, ni)
				v := 0.0
				for c := range nc {
					if mask>>c&1 == 1 {
						for _, i := range sets[c] {
							if !hit[i] {
								hit[i], v = true, v+d[i]
							}
						}
					}
				}
				opt = max(opt, v)
			}
			firsts := make([]float64, nc)
			for c, set := range sets {
				for _, i := range set {
					firsts[c] += d[i]
				}
			}
			top := topSum(firsts, n)
			got := s.coverLagrange(n)
			if got < opt || got > top*(1+1e-9) {
				t.Fatalf("%d candidates, %d posts: bound %v, optimum %v, n best first gains %v", nc, n, got, opt, top)
			}
			if got < top*(1-1e-9) {
				tighter++
			}
			worst, sum, cases = min(worst, opt/got), sum+opt/got, cases+1
		}
	}
	if tighter == 0 {
		t.Error("the Lagrangian never improves on the n best first gains")
	}
	t.Logf("%d cases: optimum / bound mean %.4f, worst %.4f; tighter than the n best first gains in %d", cases, sum/float64(cases), worst, tighter)
}

// topSum returns the sum of the n largest values of v.
func topSum(v []float64, n int) float64 {
	w := append([]float64(nil), v...)
	sum := 0.0
	for range min(n, len(w)) {
		k := 0
		for j := range w {
			if w[j] > w[k] {
				k = j
			}
		}
		sum += w[k]
		w[k] = math.Inf(-1)
	}
	return sum
}

// TestRelaxedVsExhaustive: on random separable instances (6 candidates
// with random entries a_ck over 8 communes, weights p_k, caps δ_k, and
// 1 to 3 posts per candidate at most; then the same candidates with the
// served terms M_k·(1 − e^−q_k·z)), the Lagrangian bound is at least the
// optimum over every allocation of n posts, found by enumeration.
func TestRelaxedVsExhaustive(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	worst, cases := 1.0, 0
	for range 80 {
		const nc, nk = 6, 8
		r := &relaxed{}
		for range nk {
			r.p, r.delta = append(r.p, float64(1+rng.IntN(100))), append(r.delta, rng.Float64())
		}
		for range nc {
			var set []int32
			var a []float64
			for _, k := range rng.Perm(nk)[:1+rng.IntN(4)] {
				set, a = append(set, int32(k)), append(a, 0.05+rng.Float64()/2)
			}
			r.add(set, a, 1+rng.IntN(3))
		}
		// The same candidates with the served terms M·(1 − e^−qz).
		e := &relaxed{off: r.off, idx: r.idx, val: r.val, m: r.m}
		for range nk {
			m, q := float64(1+rng.IntN(100)), 0.5+5*rng.Float64()
			e.mx, e.q, e.p = append(e.mx, m), append(e.q, q), append(e.p, m*q)
		}
		for _, r := range []*relaxed{r, e} {
			value := func(alloc []int) float64 {
				z := make([]float64, nk)
				for c, m := range alloc {
					set, a := r.set(c)
					for x, k := range set {
						z[k] += float64(m) * a[x]
					}
				}
				v := 0.0
				for k := range z {
					if r.q != nil {
						v += r.mx[k] * (1 - math.Exp(-r.q[k]*z[k]))
					} else {
						v += r.p[k] * min(z[k], r.delta[k])
					}
				}
				return v
			}
			for n := 1; n <= 4; n++ {
				opt := 0.0
				alloc := make([]int, nc)
				var walk func(c, left int)
				walk = func(c, left int) {
					if c == nc {
						opt = max(opt, value(alloc))
						return
					}
					for m := 0; m <= min(left, r.m[c]); m++ {
						alloc[c] = m
						walk(c+1, left-m)
					}
					alloc[c] = 0
				}
				walk(0, n)
				got := r.upper(n, nil)
				if got < opt {
					t.Fatalf("%d posts: bound %v below the optimum %v", n, got, opt)
				}
				if opt > 0 {
					worst, cases = min(worst, opt/got), cases+1
				}
			}
		}
	}
	t.Logf("%d cases: worst optimum / bound %.4f", cases, worst)
}

// TestAccessLagrangeHand: one commune of 1,000 inhabitants with a
// deficit δ = A* − A = 0.002 per inhabitant, one candidate raising its
// access by a = R·W = 0.0005 per post. n posts reduce the deficit by
// 1,000·min(n·a, δ): 0.5 for one post, 2 (the whole deficit) from four
// on; the bound is exact here.
func TestAccessLagrangeHand(t *testing.T) {
	s := &solver{in: []bool{true}, pop: []float64{1000}, a: []float64{0.001}, target: 0.003, r: []float64{0.0005},
		reach: [][]diag.Reach{{{Commune: 0, W: 1}}}, posts: []int32{0}}
	for _, c := range []struct {
		n    int
		want float64
	}{{1, 0.5}, {3, 1.5}, {4, 2}, {10, 2}} {
		if got := s.accessLagrange(c.n); math.Abs(got-c.want) > 1e-8 || got < c.want {
			t.Errorf("%d posts: bound %v, want %v", c.n, got, c.want)
		}
	}
	s.maxPer = 2 // at most 2 posts at the candidate: 1
	if got := s.accessLagrange(4); math.Abs(got-1) > 1e-8 {
		t.Errorf("4 posts, 2 per place: bound %v, want 1", got)
	}
}
