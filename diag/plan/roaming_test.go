package plan

import (
	"math"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/internal/testlong"
)

// TestRoamingScenario: itinerance, one advisor spread over k places, is
// evaluated as a scenario of k added sites of 1/k FTE each (the sites
// format, etp column). The plan's first three places in Creuse, shared
// by one advisor: the supply of the territory grows by exactly 1 FTE in
// all, the communes newly covered are those of the three posts (coverage
// does not depend on the FTE), and the access gained is a third of that
// of three full posts in every commune, as E2SFCA is linear in S_j.
func TestRoamingScenario(t *testing.T) {
	testlong.Skip(t, "scenario evaluation is also tested by TestScenarioRemove")
	ds, b := nationalBaseline(t)
	p := mustRun(t, b, Options{Territory: creuse, Add: 3})
	full, third := PicksAsSites(p), PicksAsSites(p)
	for i := range third {
		third[i].FTE = 1.0 / 3
	}
	eval := func(sites []data.Site) (*ScenarioResult, *diag.Result) {
		text := scenarioFile(t, sites, []string{ActionAdd, ActionAdd, ActionAdd})
		sc, checks, err := LoadScenario("itinerance.csv", strings.NewReader(text), data.SitesOptions{Known: ds.KnownCode})
		if err != nil || len(checks) != 0 {
			t.Fatalf("load: %v %v", err, checks)
		}
		r, after, _ := evalScenario(t, ds, b, sc, "")
		return r, after
	}
	rRoam, aRoam := eval(third)
	rFull, aFull := eval(full)
	if d := rRoam.After.FTE - rRoam.Before.FTE; math.Abs(d-1) > 1e-9 {
		t.Errorf("roaming advisor adds %v FTE, want 1", d)
	}
	if rRoam.After.CoveredPop != p.Picks[2].CoveredPop || rFull.After.CoveredPop != rRoam.After.CoveredPop {
		t.Errorf("covered %d (roaming) / %d (full), planner %d", rRoam.After.CoveredPop, rFull.After.CoveredPop, p.Picks[2].CoveredPop)
	}
	for i, c := range b.Result.Communes {
		if c.Dep != "23" {
			continue
		}
		gr, gf := aRoam.Communes[i].Access10k-c.Access10k, aFull.Communes[i].Access10k-c.Access10k
		if math.Abs(gr-gf/3) > 1e-9*math.Max(1, gf) {
			t.Fatalf("%s: access gained %v roaming, %v with three posts", c.Code, gr, gf)
		}
	}
}
