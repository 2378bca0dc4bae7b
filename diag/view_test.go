package diag

import (
	"context"
	"testing"
)

// TestView: a département's view holds its communes by rank, its
// roll-up, its région's and France's, and exactly the sites assigned to
// its communes; two départements together sum their roll-ups.
func TestView(t *testing.T) {
	ds := synthDataset(3000, 400, 9)
	res, err := Compute(context.Background(), ds, Params{})
	if err != nil {
		t.Fatal(err)
	}
	c0 := res.Communes[0]
	v, err := res.View(Departements(c0.Dep))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range v.Communes {
		if c.Dep != c0.Dep || c.Rank != i+1 {
			t.Fatalf("commune %d: %s of %s, rank %d", i, c.Code, c.Dep, c.Rank)
		}
	}
	dep, _ := pickRollup(res.Deps, c0.Dep)
	reg, _ := pickRollup(res.Regions, c0.Region)
	if v.Rollup != dep || v.Region != reg || v.France != res.France || v.Name != dep.Name || v.Rollup.Communes != len(v.Communes) {
		t.Errorf("levels: %+v / %+v / %+v, name %q", v.Rollup, v.Region, v.France, v.Name)
	}
	n := 0
	for j, s := range res.Sites {
		in := false
		for _, c := range v.Communes {
			in = in || c.Code == s.Commune
		}
		if in {
			if n >= len(v.Sites) || v.Sites[n] != j {
				t.Fatalf("site %d (%s) missing from the view's sites %v", j, s.Commune, v.Sites)
			}
			n++
		}
	}
	if n != len(v.Sites) {
		t.Errorf("%d sites in the view, %d assigned to its communes", len(v.Sites), n)
	}
	var other string
	for _, d := range res.Deps {
		if d.Code != c0.Dep {
			other = d.Code
			break
		}
	}
	two, err := res.View(Departements(c0.Dep, other))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pickRollup(res.Deps, other)
	if two.Rollup.Population != dep.Population+b.Population || two.Rollup.Communes != dep.Communes+b.Communes ||
		two.Rollup.NbSites != dep.NbSites+b.NbSites || two.Region != (Rollup{}) {
		t.Errorf("two départements: %+v from %+v and %+v", two.Rollup, dep, b)
	}
}
