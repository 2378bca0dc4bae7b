package plan

import (
	"context"
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/diag"
)

// TestRetire: the first site --retirer closes in Creuse loses the least
// fragile coverage among all its conseiller numérique sites, each
// removal evaluated by brute force (diag.Compute again without the
// site); the planner's figures of that removal (population and fragile
// population no longer covered) equal the recomputed ones. The short run
// checks the first removal only against one recomputation.
func TestRetire(t *testing.T) {
	ds, b := parallelNational(t)
	p := mustRun(t, b, Options{Territory: creuse, Remove: 3})
	if len(p.Removals) != 3 || len(p.Picks) != 0 {
		t.Fatalf("%d removals, %d picks", len(p.Removals), len(p.Picks))
	}
	lost := func(id string) (int, float64) {
		cp := *ds
		cp.Sites = slices.DeleteFunc(slices.Clone(ds.Sites), func(s data.Site) bool { return s.ID == id })
		res, err := diag.Compute(context.Background(), &cp, diag.Params{})
		if err != nil {
			t.Fatal(err)
		}
		pop, frag := 0, 0.0
		for i, c := range res.Communes {
			if c.Dep == "23" && !c.Covered && b.Result.Communes[i].Covered {
				pop += c.Population
				frag += float64(c.Population) * FragileWeight(c.Fragility)
			}
		}
		return pop, frag
	}
	first := p.Removals[0]
	pop, frag := lost(first.Site.ID)
	if pop != first.LostPop || !near(frag, first.LostFragile, 1e-9) {
		t.Errorf("first removal %s: planner %d / %.3f, recomputed %d / %.3f", first.Site.ID, first.LostPop, first.LostFragile, pop, frag)
	}
	if testing.Short() {
		return
	}
	for _, s := range b.Result.Sites {
		if !s.Counted || s.Kind != data.KindCNFS || len(s.Commune) < 2 || s.Commune[:2] != "23" {
			continue
		}
		if _, f := lost(s.ID); f < first.LostFragile*(1-1e-9) {
			t.Errorf("removing %s loses %.1f fragile, less than the planner's first %s (%.1f)", s.ID, f, first.Site.ID, first.LostFragile)
		}
	}
}
