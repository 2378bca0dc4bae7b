package plan

import (
	"math"
	"strings"
	"testing"

	"diagnum/geo"
)

// TestEquity: with --objective equite, the first post goes to the
// candidate that lowers the worst travel time of Creuse's fragile
// communes most, found by brute force (every candidate, every commune,
// times from geo.Model); the worst time never rises from pick to pick.
func TestEquity(t *testing.T) {
	_, b := parallelNational(t)
	p := mustRun(t, b, Options{Territory: creuse, Add: 12, Objective: ObjectiveEquity})
	ds := b.Dataset()
	prm := b.Result.Params.WithDefaults()
	m := geo.Model{Detour: prm.Detour, SpeedKmh: prm.SpeedKmh}
	cands := CommuneCandidates(b, creuse)
	worstAfter := func(c Candidate) float64 {
		w := 0.0
		for i, com := range ds.Communes {
			if com.Dep != "23" || com.Population <= 0 {
				continue
			}
			loc, ok := b.Location(i)
			if !ok {
				continue
			}
			w = max(w, math.Min(b.Result.Communes[i].NearestMin, m.Minutes(loc, c.Point)))
		}
		return w
	}
	best := math.Inf(1)
	for _, c := range cands {
		best = min(best, worstAfter(c))
	}
	first := p.Picks[0]
	if first.Stage != StageEquity || !near(first.WorstMin, best, 1e-9) || first.WorstMin >= p.WorstMin {
		t.Errorf("first pick %s: worst %.3f min (before %.3f), brute force best %.3f", first.Site.ID, first.WorstMin, p.WorstMin, best)
	}
	last := p.WorstMin
	for _, k := range p.Picks {
		if k.Stage != StageEquity {
			break
		}
		if k.WorstMin > last {
			t.Errorf("pick %d raises the worst time %.2f → %.2f", k.Rank, last, k.WorstMin)
		}
		last = k.WorstMin
	}
	if len(p.Picks) != 12 {
		t.Errorf("%d picks (%s)", len(p.Picks), p.Stop)
	}
	t.Logf("worst time %.1f → %.1f min; stages %v", p.WorstMin, last, p.Stages)
}

// TestLoadExclusions: one code or id per line, or a CSV with a
// code_insee or id column; an empty file is refused.
func TestLoadExclusions(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"23096\n# commentaire\n\nplan-23001\n", []string{"23096", "plan-23001"}},
		{"\ufeffnom;code_insee\nGuéret;23096\nAubusson;23008\n", []string{"23096", "23008"}},
		{"id,nom\nlieu-1,Mairie\n", []string{"lieu-1"}},
	} {
		keys, err := LoadExclusions("exclure.csv", strings.NewReader(tc.text))
		if err != nil || len(keys) != len(tc.want) {
			t.Errorf("%q: %v %v", tc.text, keys, err)
		}
		for _, k := range tc.want {
			if !keys[k] {
				t.Errorf("%q: %s missing", tc.text, k)
			}
		}
	}
	if _, err := LoadExclusions("vide.csv", strings.NewReader("# rien\n")); err == nil {
		t.Error("an empty exclusion file was accepted")
	}
	got := Exclude([]Candidate{{ID: "a", Commune: "23096"}, {ID: "b", Commune: "23001"}, {ID: "c", Commune: "23002"}},
		map[string]bool{"23096": true, "c": true})
	if len(got) != 1 || got[0].ID != "b" {
		t.Errorf("Exclude kept %v", got)
	}
}
