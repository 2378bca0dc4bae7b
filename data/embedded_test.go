package data

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"diagnum/internal/testmust"
)

// The expected figures come from the shared copy of
// @etalab/decoupage-administratif@6.0.0 (communes.json, type
// commune-actuelle) and anct-france-services/liste-fs-20240801.csv,
// counted with python3 (json.load / csv.DictReader), as noted per value.
func TestEmbeddedCOG(t *testing.T) {
	t.Parallel()
	ds := loadEmbedded(t)
	// 34,969 communes actuelles, total legal population 68,952,941.
	if n := len(ds.Communes); n != 34969 {
		t.Errorf("communes: got %d, want 34969", n)
	}
	total := 0
	byDep := map[string][2]int{}
	for _, c := range ds.Communes {
		total += c.Population
		x := byDep[c.Dep]
		byDep[c.Dep] = [2]int{x[0] + 1, x[1] + c.Population}
	}
	if total != 68952941 {
		t.Errorf("population: got %d, want 68952941", total)
	}
	for _, tc := range []struct {
		dep      string
		communes int
		pop      int
	}{
		{"23", 255, 115527},  // Creuse
		{"59", 647, 2615635}, // Nord
		{"974", 24, 889679},  // La Réunion
		{"976", 17, 256518},  // Mayotte: the points file has 0, the COG has them
		{"2A", 124, 168306},  // Corse-du-Sud
		{"75", 1, 2103778},   // Paris as one commune, not 20 arrondissements
	} {
		if got := byDep[tc.dep]; got != [2]int{tc.communes, tc.pop} {
			t.Errorf("département %s: got %d communes, %d inhabitants; want %d, %d", tc.dep, got[0], got[1], tc.communes, tc.pop)
		}
	}
	// departements.json: 101 départements + 8 collectivités d'outre-mer.
	if n := len(ds.Departements); n != 109 {
		t.Errorf("départements: got %d, want 109", n)
	}
	if n := len(ds.EPCIs); n != 1255 {
		t.Errorf("EPCI: got %d, want 1255 (epci.json entries)", n)
	}
}

func TestEmbeddedSites(t *testing.T) {
	t.Parallel()
	ds := loadEmbedded(t)
	fs23, cnfs, fte := 0, 0, 0.0
	for _, s := range ds.Sites {
		if s.Kind == KindFranceServices && s.INSEE != "" && s.INSEE[:2] == "23" {
			fs23++
		}
		if s.Kind == KindCNFS {
			cnfs++
			fte += s.FTE
		}
		if math.IsNaN(s.FTE) || s.FTE < 0 {
			t.Errorf("site %s: FTE %v", s.ID, s.FTE)
		}
		// No person's name (SIRENE's "NOM*PRÉNOM/" form) is embedded.
		if i := strings.IndexByte(s.Name, '*'); i >= 0 && strings.Contains(s.Name[i:], "/") {
			t.Errorf("site %s: name in a person's form", s.ID)
		}
	}
	// 21 rows with insee_dep = 23 in liste-fs-20240801.csv.
	if fs23 != 21 {
		t.Errorf("France Services in 23: got %d, want 21", fs23)
	}
	// Posts are conserved by the allocation: the 3,925 posts of the 2023
	// list (structures-20230405.csv) all land on a place or at their
	// commune, except the 2 posts of Saint-Martin (978), a collectivity
	// without commune points (2 Rejected checks in controles.csv.zst).
	if math.Abs(fte-3923) > 1e-6 {
		t.Errorf("CNFS FTE: got %.9f, want 3,923 of the 3,925 posts of 2023", fte)
	}
	// 4,930 places of 2022-12, minus 22 without coordinates, minus the
	// places declared twice and merged (MergeSamePlaces), plus the
	// structures without a place, at their commune.
	if cnfs < 4908 {
		t.Errorf("CNFS sites: got %d, want at least the 4,908 located places of 2022-12", cnfs)
	}
}

// TestEmbeddedChecksTyped: the checks make data recorded keep their kind
// and subject (controles.csv.zst columns type, site, commune). Counts from
// the committed file: 37 probable duplicates found by make data among the
// source files' sites (France Services 1, advisors' places 14, Hinaura 7,
// portrea 4, data·inclusion 11), each naming its site, and listed
// once (the sites themselves load from sites.bin.zst with no check:
// make data refuses to write them when reading them back gives one);
// communes-points-2024 has no lat/lng for 60694.
func TestEmbeddedChecksTyped(t *testing.T) {
	t.Parallel()
	ds := loadEmbedded(t)
	dups := 0
	for _, c := range ds.SiteChecks {
		if c.Kind == CheckDuplicate && c.Site != "" && strings.Contains(c.Err.Error(), fmt.Sprintf("le lieu %q", c.Site)) && strings.Contains(c.Err.Error(), "a le même nom") {
			dups++
		}
	}
	if dups != 37 {
		t.Errorf("%d duplicate checks naming their site, want 37", dups)
	}
	for _, c := range ds.SiteChecks {
		if c.Kind == CheckOther {
			t.Errorf("embedded site check of kind %s: %v", c.Kind, c.Err)
		}
	}
	found := false
	for _, c := range ds.Checks {
		if c.Kind == CheckCoordinate && c.Commune == "60694" && c.Site == "" && c.Severity == Warning {
			found = true
		}
		if c.Kind == CheckOther {
			t.Errorf("embedded check of kind %s: %v", c.Kind, c.Err)
		}
	}
	if !found {
		t.Error("no coordinate check about commune 60694")
	}
}

// embeddedOnce loads the embedded data set once for the tests of the
// package, which only read it.
var embeddedOnce = sync.OnceValues(LoadEmbedded)

// loadEmbedded returns the embedded data set (shared: do not change it).
func loadEmbedded(t *testing.T) *Dataset {
	t.Helper()
	return testmust.Value(embeddedOnce())(t)
}
