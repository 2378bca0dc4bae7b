package plan

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/internal/testlong"
)

// TestLoadScenario reads scenario files: the sites format plus action
// and employeur.
func TestLoadScenario(t *testing.T) {
	const head = "id,nom,type,latitude,longitude,etp,code_insee,action,employeur\n"
	tests := []struct {
		name, in      string
		add, remove   []string
		addEmp        map[string]Employer
		rejectedLines []int
		err           error
	}{
		{"add by default", head + "n1,Mairie,cnfs,46.17,1.87,1,23096,,\n", []string{"n1"}, nil, nil, nil, nil},
		{"remove needs only the id", head + "old,,,,,,,suppression,\n", nil, []string{"old"}, nil, nil, nil},
		{"remove and re-add one id", head + "s1,A,cnfs,46.17,1.87,2,,suppression,\ns1,A,cnfs,46.17,1.87,2,,ajout,prive\n",
			[]string{"s1"}, []string{"s1"}, map[string]Employer{"s1": EmployerPrivate}, nil, nil},
		{"accents and case", head + "n1,Mairie,cnfs,46.17,1.87,1,,AJOUT,Privé\nold,,,,,,,Suppression,\n",
			[]string{"n1"}, []string{"old"}, map[string]Employer{"n1": EmployerPrivate}, nil, nil},
		{"without the extra columns", "id,nom,type,latitude,longitude\nn1,M,cnfs,46.17,1.87\n", []string{"n1"}, nil, nil, nil, nil},
		{"bad rows keep their lines", head + "old,,,,,,,suppression,\nn1,M,cnfs,abc,1.87,1,,,\nn2,M,cnfs,46.2,1.9,1,,deplacer,\nn3,N,cnfs,46.3,1.9,1,,,\n",
			[]string{"n3"}, []string{"old"}, nil, []int{3, 4}, nil},
		{"removed twice", head + "old,,,,,,,suppression,\nold,,,,,,,suppression,\n", nil, []string{"old"}, nil, []int{3}, nil},
		{"bad employer", head + "n1,M,cnfs,46.17,1.87,1,,,etat\nold,,,,,,,suppression,\n", nil, []string{"old"}, nil, []int{2}, nil},
		{"no id column", "nom,type\nM,cnfs\n", nil, nil, nil, nil, data.ErrMissingColumn},
		{"nothing usable", head + "n1,M,cnfs,,1.87,1,,,\n", nil, nil, nil, []int{2}, data.ErrEmptyFile},
		{"empty", head, nil, nil, nil, nil, data.ErrEmptyFile},
	}
	for _, tc := range tests {
		sc, checks, err := LoadScenario("scenario.csv", strings.NewReader(tc.in), data.SitesOptions{})
		var lines []int
		for _, c := range checks {
			if c.Severity == data.Rejected {
				lines = append(lines, c.Err.Line)
			}
		}
		if !slices.Equal(lines, tc.rejectedLines) {
			t.Errorf("%s: rejected lines %v, want %v (%v)", tc.name, lines, tc.rejectedLines, checks)
		}
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: error %v, want %v", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var add []string
		for _, s := range sc.Add {
			add = append(add, s.ID)
		}
		if !slices.Equal(add, tc.add) || !slices.Equal(sc.Remove, tc.remove) {
			t.Errorf("%s: add %v remove %v, want %v and %v", tc.name, add, sc.Remove, tc.add, tc.remove)
		}
		if len(tc.addEmp) > 0 && !reflect.DeepEqual(sc.AddEmployer, tc.addEmp) {
			t.Errorf("%s: employers %v, want %v", tc.name, sc.AddEmployer, tc.addEmp)
		}
	}
}

// TestScenarioApply: removals, replacement in place, additions at the end, errors.
func TestScenarioApply(t *testing.T) {
	sites := []data.Site{{ID: "a"}, {ID: "b", Name: "B"}, {ID: "c"}}
	sc := &Scenario{Remove: []string{"b", "c"}, Add: []data.Site{{ID: "n"}, {ID: "b", Name: "B2"}}}
	got, err := sc.Apply(sites)
	if err != nil {
		t.Fatal(err)
	}
	want := []data.Site{{ID: "a"}, {ID: "b", Name: "B2"}, {ID: "n"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Apply = %v, want %v", got, want)
	}
	if _, err := (&Scenario{Remove: []string{"zz"}}).Apply(sites); !errors.Is(err, ErrUnknownSite) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := (&Scenario{Add: []data.Site{{ID: "a"}}}).Apply(sites); !errors.Is(err, data.ErrDuplicate) {
		t.Errorf("existing id: %v", err)
	}
}

// creuseSite returns the counted conseiller numérique site of Creuse
// with the most FTE.
func creuseSite(t *testing.T, b *diag.Baseline) data.Site {
	var best *diag.SiteResult
	for j := range b.Result.Sites {
		s := &b.Result.Sites[j]
		if s.Counted && strings.HasPrefix(s.Commune, "23") && (best == nil || s.FTE > best.FTE) {
			best = s
		}
	}
	if best == nil {
		t.Fatal("no counted site in Creuse")
	}
	s := best.Site
	s.Commune = ""
	return s
}

// scenarioFile writes the sites with an action column.
func scenarioFile(t *testing.T, rows []data.Site, actions []string) string {
	var buf bytes.Buffer
	if err := data.WriteSitesCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	lines[0] += ",action"
	for i := range rows {
		lines[i+1] += "," + actions[i]
	}
	return strings.Join(lines, "\n") + "\n"
}

// TestScenarioRemoveReAddIsNoop: a scenario that removes the largest
// Creuse site and adds it back (the same row) changes nothing: same
// sites, same figures, no commune listed, equal totals, and the subsidy
// of the posts removed equals that of the posts added.
func TestScenarioRemoveReAddIsNoop(t *testing.T) {
	ds, b := parallelNational(t)
	s := creuseSite(t, b)
	text := scenarioFile(t, []data.Site{s, s}, []string{ActionRemove, ActionAdd})
	sc, checks, err := LoadScenario("noop.csv", strings.NewReader(text), data.SitesOptions{Known: ds.KnownCode})
	if err != nil || len(checks) != 0 {
		t.Fatalf("load: %v %v", err, checks)
	}
	r, _, ds2 := evalScenario(t, ds, b, sc, "")
	if !reflect.DeepEqual(withoutLines(ds2.Sites), withoutLines(ds.Sites)) {
		t.Fatal("the sites changed")
	}
	if len(r.Communes) != 0 || r.Unchanged != 255 || r.Before != r.After {
		t.Errorf("no-op changed %d communes (%d unchanged); before %+v after %+v", len(r.Communes), r.Unchanged, r.Before, r.After)
	}
	// The largest Creuse site (the Conseil départemental's place, 1.467 FTE
	// of its 9 posts on the 2023 supply) × 50,000 €.
	if r.AddedCost != s.FTE*50000 || r.RemovedCost != r.AddedCost || s.FTE < 1 {
		t.Errorf("costs added %.0f removed %.0f (FTE %g)", r.AddedCost, r.RemovedCost, s.FTE)
	}
}

// TestScenarioRemove removes every counted Creuse site: its communes
// lose coverage and access, and the totals are those of the diagnostic
// run without them.
func TestScenarioRemove(t *testing.T) {
	ds, b := parallelNational(t)
	sc := &Scenario{}
	fte := 0.0
	for _, s := range b.Result.Sites {
		if s.Counted && strings.HasPrefix(s.Commune, "23") {
			sc.Remove = append(sc.Remove, s.ID)
			fte += s.FTE
		}
	}
	if len(sc.Remove) < 10 {
		t.Fatalf("only %d counted sites in Creuse", len(sc.Remove))
	}
	r, after, ds2 := evalScenario(t, ds, b, sc, EmployerPrivate)
	if len(ds2.Sites) != len(ds.Sites)-len(sc.Remove) {
		t.Fatalf("%d sites after removing %d of %d", len(ds2.Sites), len(sc.Remove), len(ds.Sites))
	}
	roll := territoryRollup(t, after, "23")
	if r.After.CoveredPop != roll.CoveredPop || r.After.FTE != roll.FTE || r.After.Population != roll.Population {
		t.Errorf("after: %+v, diagnostic %+v", r.After, roll)
	}
	if r.After.CoveredPop >= r.Before.CoveredPop || math.Abs(r.After.FTE-(r.Before.FTE-fte)) > 1e-9 || r.After.FTE > 1e-9 {
		t.Errorf("coverage %d → %d, FTE %g → %g (removed %g)", r.Before.CoveredPop, r.After.CoveredPop, r.Before.FTE, r.After.FTE, fte)
	}
	lost := 0
	for _, c := range r.Communes {
		if c.CoveredBefore && !c.CoveredAfter {
			lost += c.Population
		}
		if c.CoveredAfter && !c.CoveredBefore || c.Access10kAfter > c.Access10kBefore {
			t.Errorf("%s gained from a removal", c.Code)
		}
	}
	if lost != r.Before.CoveredPop-r.After.CoveredPop || r.Unchanged+len(r.Communes) != 255 {
		t.Errorf("lost %d, totals say %d; %d listed + %d unchanged", lost, r.Before.CoveredPop-r.After.CoveredPop, len(r.Communes), r.Unchanged)
	}
	// 32,000 € per private post removed (the default employer here).
	if math.Abs(r.RemovedCost-fte*32000) > 1e-6 || r.AddedCost != 0 {
		t.Errorf("removed cost %.0f, want %.0f", r.RemovedCost, fte*32000)
	}
}

// TestPlanCSVRoundTrip: the --csv output of a plan is a scenario file
// that gives back the planned posts, and evaluating it reproduces the
// coverage the plan reached.
func TestPlanCSVRoundTrip(t *testing.T) {
	ds, b := parallelNational(t)
	p := mustRun(t, b, Options{Territory: creuse, Add: 12})
	var buf bytes.Buffer
	if err := WriteCSV(&buf, p); err != nil {
		t.Fatal(err)
	}
	sc, checks, err := LoadScenario("plan.csv", &buf, data.SitesOptions{Known: ds.KnownCode})
	if err != nil || checks.Count(data.Rejected) != 0 {
		t.Fatalf("load: %v %v", err, checks)
	}
	if !reflect.DeepEqual(withoutLines(sc.Add), PicksAsSites(p)) || len(sc.Remove) != 0 {
		t.Fatalf("read back %d sites, want the %d picks", len(sc.Add), len(p.Picks))
	}
	r, _, _ := evalScenario(t, ds, b, sc, "")
	last := p.Picks[len(p.Picks)-1]
	if r.After.CoveredPop != last.CoveredPop || r.After.MedianAccess10k != last.MedianAccess10k {
		t.Errorf("scenario: covered %d, median %v; plan %d, %v", r.After.CoveredPop, r.After.MedianAccess10k, last.CoveredPop, last.MedianAccess10k)
	}
	if r.AddedCost != p.TotalCost() {
		t.Errorf("scenario cost %.0f, plan %.0f", r.AddedCost, p.TotalCost())
	}
}

// TestScenarioReasonGiven (issue 17 §6): a scenario whose only row is
// rejected says why in its error, not only that nothing is left.
func TestScenarioReasonGiven(t *testing.T) {
	in := "id,nom,type,latitude,longitude,etp,code_insee,action,employeur\nn1,M,cnfs,46.17,1.87,1,,demenagement,\n"
	_, _, err := LoadScenario("sc.csv", strings.NewReader(in), data.SitesOptions{})
	if !errors.Is(err, data.ErrEmptyFile) || !strings.Contains(err.Error(), "aucun lieu à ajouter ni à retirer ; première ligne rejetée : sc.csv") ||
		!strings.Contains(err.Error(), `"action"`) || !strings.Contains(err.Error(), `"demenagement"`) {
		t.Errorf("err = %v", err)
	}
}

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
