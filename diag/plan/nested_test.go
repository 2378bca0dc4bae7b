package plan

import (
	"bytes"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"

	"diagnum/diag"
	"diagnum/internal/testmust"
)

// planCSV returns the scenario file of a plan: every pick's place and
// figures, for byte comparisons.
func planCSV(t *testing.T, p *Plan) []byte {
	t.Helper()
	return testmust.Written(t, func(w io.Writer) error { return WriteCSV(w, p) })
}

// TestNestedAndDeterministic: the plan for N posts is the first N picks
// of the plan for N + k (Creuse 15 and 40, Corse-du-Sud 20 and 50, for
// the coverage and access objectives, through the capacity stage); and
// a plan is byte-identical with GOMAXPROCS=1, with the default, and with
// the candidates listed in reverse order.
func TestNestedAndDeterministic(t *testing.T) {
	_, b := parallelNational(t)
	for _, tc := range []struct {
		t      diag.Territory
		small  int
		large  int
		obj    Objective
		stages int
	}{
		{creuse, 15, 40, ObjectiveCoverage, 2},
		{diag.Departements("2A"), 20, 50, ObjectiveCoverage, 2},
		{creuse, 10, 25, ObjectiveAccess, 1},
	} {
		run := func(add int, cands []Candidate) *Plan {
			p := mustRun(t, b, Options{Territory: tc.t, Add: add, Objective: tc.obj, Candidates: cands})
			return p
		}
		small, large := run(tc.small, nil), run(tc.large, nil)
		if len(small.Picks) != tc.small || len(large.Picks) != tc.large || large.Stop != "" {
			t.Fatalf("%v %s: %d and %d picks (%q), want %d and %d", tc.t, tc.obj, len(small.Picks), len(large.Picks), large.Stop, tc.small, tc.large)
		}
		if len(large.Stages) < tc.stages {
			t.Errorf("%v %s: stages %v", tc.t, tc.obj, large.Stages)
		}
		for k := range small.Picks {
			if small.Picks[k] != large.Picks[k] {
				t.Fatalf("%v %s: pick %d differs: %s / %s", tc.t, tc.obj, k+1, small.Picks[k].Site.ID, large.Picks[k].Site.ID)
			}
		}
		want := planCSV(t, large)
		rev := slices.Clone(CommuneCandidates(b, tc.t))
		slices.Reverse(rev)
		reversed := run(tc.large, rev)
		if got := planCSV(t, reversed); !bytes.Equal(got, want) {
			t.Errorf("%v %s: candidates in reverse order give another plan", tc.t, tc.obj)
		}
		old := runtime.GOMAXPROCS(1)
		one := run(tc.large, nil)
		runtime.GOMAXPROCS(old)
		if !bytes.Equal(planCSV(t, one), want) {
			t.Errorf("%v %s: GOMAXPROCS=1 gives another plan", tc.t, tc.obj)
		}
		sameBounds(t, large, one, reversed)
	}
}

// sameBounds checks that plans printed as the same plan carry the same
// certified bounds: bit for bit (same candidate order), or within a
// relative 1e-9 (candidates reordered: the relaxations sum in another
// order), so that the printed certificate is the same.
func sameBounds(t *testing.T, p, sameOrder, reordered *Plan) {
	t.Helper()
	if !slices.Equal(p.Bounds, sameOrder.Bounds) {
		t.Errorf("bounds %v, then %v", p.Bounds, sameOrder.Bounds)
	}
	if len(reordered.Bounds) != len(p.Bounds) {
		t.Fatalf("bounds %v, candidates reordered %v", p.Bounds, reordered.Bounds)
	}
	for i, bd := range p.Bounds {
		r := reordered.Bounds[i]
		if r.Stage != bd.Stage || !near(r.Value, bd.Value, 1e-9) || !near(r.Upper, bd.Upper, 1e-9) || r.Certificate() != bd.Certificate() {
			t.Errorf("bound %v, candidates reordered %v", bd, r)
		}
	}
}

// TestStopSaysWhy: --add N returns N posts or says why fewer: a
// candidate that reaches nobody of the territory gains nothing in any
// stage; MaxPerPlace exhausts a single candidate.
func TestStopSaysWhy(t *testing.T) {
	_, b := parallelNational(t)
	// A point in Creuse, more than 30 minutes from every commune of the
	// Pyrénées-Atlantiques: nothing to gain there.
	cands := CommuneCandidates(b, creuse)[:1]
	p := mustRun(t, b, Options{Territory: diag.Departements("64"), Add: 5, Candidates: cands})
	if len(p.Picks) != 0 || p.Stop != "couverture et capacité saturées après 0 postes : aucun lieu candidat n'apporte plus rien" {
		t.Errorf("%d picks, stop %q", len(p.Picks), p.Stop)
	}
	p = mustRun(t, b, Options{Territory: creuse, Add: 5, Candidates: cands, MaxPerPlace: 3})
	if len(p.Picks) != 3 || !strings.Contains(p.Stop, "--max-par-lieu") || p.Picks[2].Post != 3 {
		t.Errorf("%d picks, stop %q", len(p.Picks), p.Stop)
	}
}
