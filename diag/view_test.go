package diag

import (
	"errors"
	"math"
	"slices"
	"testing"

	"diagnum/data"
)

// synthDepView returns synthResult, its first commune and the view of
// that commune's département.
func synthDepView(t *testing.T) (*Result, CommuneResult, *View) {
	t.Helper()
	res := synthResult(t)
	v, err := res.View(Departements(res.Communes[0].Dep))
	if err != nil {
		t.Fatal(err)
	}
	return res, res.Communes[0], v
}

// TestView: a département's view holds its communes by rank, its
// roll-up, its région's and France's, and exactly the sites assigned to
// its communes; two départements together sum their roll-ups.
func TestView(t *testing.T) {
	res, c0, v := synthDepView(t)
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

// TestViewLevels: a département's view compares it with its région and
// France; each level's site counts and median are those of a brute-force
// pass over the communes of its area, and a territory result (which
// holds the département's communes only) leaves the région's and
// France's unknown.
func TestViewLevels(t *testing.T) {
	res, c0, v := synthDepView(t)
	if len(v.Levels) != 3 || v.Levels[0].Rollup != v.Rollup || v.Levels[1].Rollup != v.Region || v.Levels[2].Rollup != res.France {
		t.Fatalf("levels %+v", v.Levels)
	}
	areas := []func(c *CommuneResult) bool{
		func(c *CommuneResult) bool { return c.Dep == c0.Dep },
		func(c *CommuneResult) bool { return c.Region == c0.Region },
		func(c *CommuneResult) bool { return true },
	}
	for i, l := range v.Levels {
		want := make([]int, len(data.Kinds)+1)
		for _, s := range res.Sites {
			for _, c := range res.Communes {
				if c.Code == s.Commune && areas[i](&c) {
					want[slices.Index(data.Kinds, s.Kind)]++
					want[len(data.Kinds)]++
				}
			}
		}
		var acc []float64
		var pop []int
		for _, c := range res.Communes {
			if areas[i](&c) {
				acc, pop = append(acc, c.Access10k), append(pop, c.Population)
			}
		}
		if !l.Full || !slices.Equal(l.SiteCounts, want) || l.MedianAccess10k != MedianAccess(acc, pop) {
			t.Errorf("level %d: full %v, sites %v (want %v), median %v (want %v)",
				i, l.Full, l.SiteCounts, want, l.MedianAccess10k, MedianAccess(acc, pop))
		}
	}
	sub, err := res.Territory(Departements(c0.Dep))
	if err != nil {
		t.Fatal(err)
	}
	if v, err = sub.View(Departements(c0.Dep)); err != nil {
		t.Fatal(err)
	}
	if l := v.Levels; len(l) != 3 || !l[0].Full || l[1].Full || l[2].Full || l[2].SiteCounts != nil || !math.IsNaN(l[2].MedianAccess10k) {
		t.Errorf("territory result: levels %+v", l)
	}
	if f, err := res.View(France()); err != nil || len(f.Levels) != 1 || !f.Levels[0].Full {
		t.Errorf("France: %v levels, %v", len(f.Levels), err)
	}
}

// TestTerritoryRollup: the roll-up alone is View's for France, each
// département and région, two départements and a département with a
// région's code; population, communes and sites agree with a brute-force
// pass over the communes of the territory; a code without commune fails
// as View does.
func TestTerritoryRollup(t *testing.T) {
	res := synthResult(t)
	ts := []Territory{France()}
	for _, d := range res.Deps {
		ts = append(ts, Departements(d.Code))
	}
	for _, g := range res.Regions {
		ts = append(ts, Regions(g.Code))
	}
	ts = append(ts, Departements(res.Deps[0].Code, res.Deps[len(res.Deps)-1].Code), Regions(res.Regions[0].Code, "zz"))
	for _, tr := range ts {
		got, err := res.TerritoryRollup(tr)
		v, verr := res.View(tr)
		if (err == nil) != (verr == nil) || err != nil && err.Error() != verr.Error() {
			t.Fatalf("%s: err %v, View's %v", tr, err, verr)
		}
		if cerr := res.CheckTerritory(tr); (cerr == nil) != (verr == nil) || cerr != nil && cerr.Error() != verr.Error() {
			t.Fatalf("%s: CheckTerritory %v, View's %v", tr, cerr, verr)
		}
		if err != nil {
			continue
		}
		if got != v.Rollup {
			t.Errorf("%s: %+v, View's %+v", tr, got, v.Rollup)
		}
		pop, n, sites := 0, 0, 0
		for _, c := range res.Communes {
			if !c.NoGeography && tr.Contains(c.Dep, c.Region) {
				pop, n, sites = pop+c.Population, n+1, sites+c.NbSites
			}
		}
		if got.Population != pop || got.Communes != n || got.NbSites != sites {
			t.Errorf("%s: %d hab., %d communes, %d sites; brute force %d, %d, %d", tr, got.Population, got.Communes, got.NbSites, pop, n, sites)
		}
	}
	if _, err := res.TerritoryRollup(Departements("zz")); !errors.Is(err, ErrUnknownTerritory) {
		t.Errorf("unknown département: err = %v", err)
	}
}
