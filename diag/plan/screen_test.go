package plan

import (
	"errors"
	"testing"

	"diagnum/data"
	"diagnum/diag"

	"github.com/paulmach/orb"
)

// TestScreenCandidates: candidates of a file outside the territory, at
// sea, or in a commune without inhabitants are refused with a check
// naming the file and line; the others are kept. Real places: Guéret
// (23096), Limoges (87085), the Atlantic off the Vendée coast, and a
// village of the Meuse destroyed in 1916 (0 inhabitants in the COG).
func TestScreenCandidates(t *testing.T) {
	ds, b := parallelNational(t)
	empty := -1
	for i, c := range ds.Communes {
		if c.Population == 0 && c.Dep == "55" {
			if _, ok := b.Location(i); ok {
				empty = i
				break
			}
		}
	}
	if empty < 0 {
		t.Fatal("no commune of the Meuse without inhabitants")
	}
	emptyPt, _ := b.Location(empty)
	sites := []data.Site{
		{ID: "gueret", Point: orb.Point{1.8717, 46.1714}, Line: 2},
		{ID: "limoges", Point: orb.Point{1.2611, 45.8336}, Line: 3},
		{ID: "mer", Point: orb.Point{-2.9, 46.3}, Line: 4},
		{ID: "vide", Point: emptyPt, INSEE: ds.Communes[empty].Code, Line: 5},
	}
	for _, tc := range []struct {
		t    diag.Territory
		keep []string
		errs []error
	}{
		{creuse, []string{"gueret"}, []error{ErrCandidateOutside, ErrCandidateAtSea, ErrCandidateOutside}},
		{diag.Departements("55"), nil, []error{ErrCandidateOutside, ErrCandidateOutside, ErrCandidateAtSea, ErrCandidateEmpty}},
	} {
		kept, checks := ScreenCandidates(b, tc.t, "lieux.csv", sites)
		var ids []string
		for _, c := range kept {
			ids = append(ids, c.ID)
		}
		if len(ids) != len(tc.keep) || len(ids) > 0 && ids[0] != tc.keep[0] {
			t.Errorf("%v: kept %v, want %v", tc.t, ids, tc.keep)
		}
		if len(checks) != len(tc.errs) {
			t.Fatalf("%v: %d checks, want %d: %v", tc.t, len(checks), len(tc.errs), checks)
		}
		for k, c := range checks {
			if c.Severity != data.Rejected || c.Err.File != "lieux.csv" || c.Err.Line == 0 || !errors.Is(c.Err, tc.errs[k]) {
				t.Errorf("%v: check %d = %v, want %v", tc.t, k, c.Err, tc.errs[k])
			}
		}
	}
}
