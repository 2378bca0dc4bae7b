package plan

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"diagnum/diag"
)

// TestGainsFreshIsGains checks the greedy's evaluation with the served
// terms kept per candidate–point pair (gainsFresh) against the plain
// evaluation (gains), bit for bit: on the communes of Creuse and its
// neighbours as candidates, after each of 60 posts added at random
// candidates (several at the same place), a random half of the
// candidates evaluated each time (so that their kept terms date from
// different states), for both objectives.
func TestGainsFreshIsGains(t *testing.T) {
	t.Parallel()
	_, b := nationalBaseline(t)
	terr := diag.Departements("19", "23", "87")
	for _, obj := range []Objective{ObjectiveCoverage, ObjectiveAccess} {
		opt, err := Options{Territory: terr, Add: 60, Objective: obj}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		s, _, err := prepare(context.Background(), b, opt)
		if err != nil {
			t.Fatal(err)
		}
		s.terms, s.termsAt = make([]float64, len(s.rPt)), make([]int32, len(s.cands))
		for c := range s.termsAt {
			s.termsAt[c] = -1
		}
		rng := rand.New(rand.NewPCG(16, uint64(len(obj))))
		checked, recomputed := 0, 0
		for range opt.Add {
			for c := range s.cands {
				if rng.IntN(2) == 0 {
					continue
				}
				if s.termsAt[c] >= 0 && s.termsAt[c] < s.stamp {
					recomputed++
				}
				got, want := s.gainsFresh(c), s.gains(c)
				if !same(got.cov, want.cov) || !same(got.served, want.served) || !same(got.acc, want.acc) {
					t.Fatalf("%s, candidate %s at stamp %d: gainsFresh %+v, gains %+v", obj, s.cands[c].ID, s.stamp, got, want)
				}
				checked++
			}
			s.apply(rng.IntN(min(len(s.cands), 40)) * len(s.cands) / 40)
		}
		if checked < 1000 || recomputed < 500 {
			t.Fatalf("%s: %d evaluations checked, %d from kept terms: too few", obj, checked, recomputed)
		}
	}
}

// same reports whether a and b are the same float64, bit for bit.
func same(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
