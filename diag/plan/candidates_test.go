package plan

import (
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/diag"
)

// TestChefLieuCandidates: the pôles of Creuse. Counted with python3 on
// decoupage-administratif (communes.json, epci.json, departements.json):
// the préfecture 23096 Guéret, the most populated commune of each of the
// 10 EPCIs, and the 5 communes of 2,000 inhabitants or more (23008,
// 23030, 23096, 23176, 23193) make these 11 communes.
func TestChefLieuCandidates(t *testing.T) {
	_, b := parallelNational(t)
	var got []string
	for _, c := range ChefLieuCandidates(b, creuse) {
		got = append(got, c.Commune)
	}
	want := []string{"23008", "23013", "23025", "23030", "23067", "23075", "23093", "23096", "23176", "23192", "23193"}
	if !slices.Equal(got, want) {
		t.Errorf("chefs-lieux of Creuse %v, want %v", got, want)
	}
}

// TestCandidateCommunes: a candidate without a commune is placed by
// diag.Assign, one with a declared code keeps it.
func TestCandidateCommunes(t *testing.T) {
	ds, b := parallelNational(t)
	i, _ := ds.CommuneIndex("23096")
	gueret := ds.Communes[i].Point
	cs := assignCandidates(b, []Candidate{{ID: "a", Point: gueret}, {ID: "b", Point: gueret, Commune: "23008"}})
	if cs[0].Commune != "23096" || cs[1].Commune != "23008" {
		t.Errorf("communes %q and %q, want 23096 and 23008", cs[0].Commune, cs[1].Commune)
	}
}

// TestRunOverseas: a département d'outre-mer gets its posts, in its own
// communes, with its zone.
func TestRunOverseas(t *testing.T) {
	_, b := parallelNational(t)
	p := mustRun(t, b, Options{Territory: diag.Departements("971"), Add: 2, Employer: EmployerPrivate})
	if len(p.Picks) != 2 || p.TotalCost() != 140000 {
		t.Fatalf("%d picks, %.0f €; want 2 and 140000", len(p.Picks), p.TotalCost())
	}
	for _, k := range p.Picks {
		if k.Dep != "971" || k.Zone != ZoneAntillesGuyane || k.Cost != 70000 || k.Site.Kind != data.KindCNFS {
			t.Errorf("pick %+v", k)
		}
	}
}
