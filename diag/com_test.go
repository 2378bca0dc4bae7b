package diag

import (
	"errors"
	"strings"
	"testing"

	"diagnum/data"
)

// TestCOMOutOfRankings: the communes of the overseas collectivities (zone
// "com": Nouméa 98818…) have no geography. They are not computed, are in
// no ranking (communes, départements, régions) and in no national rate;
// Result.COM shows them apart. Expected counts come from the data set
// (the COG: 94 communes, 602,143 inhabitants in COG 2025).
func TestCOMOutOfRankings(t *testing.T) {
	ds, b := parallelNational(t)
	var comN, comPop, restPop int
	for _, c := range ds.Communes {
		if c.Zone == data.ZoneCOM {
			comN, comPop = comN+1, comPop+c.Population
		} else {
			restPop += c.Population
		}
	}
	if comN == 0 {
		t.Fatal("no COM commune in the embedded data")
	}
	res := b.Result
	if res.COM.Communes != comN || res.COM.Population != comPop || res.France.Population != restPop {
		t.Errorf("COM %+v (want %d communes, %d inh.), France population %d (want %d)",
			res.COM, comN, comPop, res.France.Population, restPop)
	}
	noumea := -1
	for i, c := range res.Communes {
		if c.Code == "98818" {
			noumea = i
		}
		if c.NoGeography != (strings.HasPrefix(c.Code, "98") || strings.HasPrefix(c.Code, "975") ||
			strings.HasPrefix(c.Code, "977") || strings.HasPrefix(c.Code, "978")) {
			t.Errorf("%s: NoGeography = %v", c.Code, c.NoGeography)
		}
		if c.NoGeography && (c.Rank != 0 || c.Gap != 0) {
			t.Errorf("%s: rank %d, gap %v", c.Code, c.Rank, c.Gap)
		}
	}
	if noumea < 0 || !res.Communes[noumea].NoGeography {
		t.Fatalf("Nouméa: index %d", noumea)
	}
	for _, rs := range [][]Rollup{res.Deps, res.Regions, res.EPCI} {
		for _, r := range rs {
			if strings.HasPrefix(r.Code, "98") || r.Code == "975" || r.Code == "977" || r.Code == "978" {
				t.Errorf("roll-up %s %s includes a COM", r.Level, r.Code)
			}
		}
	}
	fr, err := res.Territory(France())
	if err != nil {
		t.Fatal(err)
	}
	if len(fr.Communes) != len(ds.Communes)-comN {
		t.Errorf("France view: %d communes, want %d", len(fr.Communes), len(ds.Communes)-comN)
	}
	ranks := make([]bool, len(fr.Communes)+1)
	for _, c := range fr.Communes {
		if c.Code == "98818" || c.Rank < 1 || c.Rank > len(fr.Communes) || ranks[c.Rank] {
			t.Fatalf("France view: %s rank %d", c.Code, c.Rank)
		}
		ranks[c.Rank] = true
	}
	if _, err := res.Territory(Departements("988")); !errors.Is(err, ErrNoGeography) {
		t.Errorf("--dept 988: err = %v, want ErrNoGeography", err)
	}
	if _, err := res.TerritoryRollup(Departements("988")); !errors.Is(err, ErrNoGeography) {
		t.Errorf("roll-up of 988: err = %v, want ErrNoGeography", err)
	}
	// The check a command makes before computing gives the error the
	// measures give, for every kind of territory.
	for _, tr := range []Territory{France(), Departements("988"), Departements("23"), Departements("23", "988"),
		Departements("974"), Departements("975"), Regions("75"), Regions("01")} {
		_, want := res.Territory(tr)
		got := CheckDatasetTerritory(ds, tr)
		if (got == nil) != (want == nil) || errors.Is(got, ErrNoGeography) != errors.Is(want, ErrNoGeography) ||
			errors.Is(got, ErrUnknownTerritory) != errors.Is(want, ErrUnknownTerritory) || got != nil && got.Error() != want.Error() {
			t.Errorf("%v: CheckDatasetTerritory = %v, Territory = %v", tr, got, want)
		}
	}
	n := 0
	for _, c := range res.Checks {
		if strings.Contains(c.Err.Error(), "collectivités d'outre-mer") {
			n++
		}
		if strings.Contains(c.Err.Error(), "commune 98818 ") {
			t.Errorf("per-commune check for Nouméa: %v", c.Err)
		}
	}
	if n != 1 {
		t.Errorf("%d summary checks for the COM, want 1", n)
	}
}
