package diag

import (
	"context"
	"math"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/testlong"
)

// creuseFranceServices loads testdata/sites/creuse-france-services.csv
// (the 21 France Services of the Creuse, kind france-services only).
func creuseFranceServices(t *testing.T, ds *data.Dataset) []data.Site {
	t.Helper()
	f := openFixture(t, "sites/creuse-france-services.csv")
	sites, _, err := data.LoadSites("creuse-france-services.csv", f, data.SitesOptions{Known: ds.KnownCode})
	if err != nil || len(sites) == 0 {
		t.Fatalf("%d sites, %v", len(sites), err)
	}
	return sites
}

// depOfSites maps the ID of each site of res to the département of its
// commune.
func depOfSites(ds *data.Dataset, res *Result) map[string]string {
	m := map[string]string{}
	for _, s := range res.Sites {
		if j, ok := ds.CommuneIndex(s.Commune); ok {
			m[s.ID] = ds.Communes[j].Dep
		}
	}
	return m
}

// TestReplaceSitesCreuseOnly: a Creuse-only --sites file of France
// Services replaces the embedded France Services of the Creuse only. The
// sites of the Haute-Vienne (87) are the same, the Creuse keeps its
// embedded sites of the other kinds, and, France Services not being
// counted by default, the national median access Amed and every measure
// outside the Creuse are unchanged bit for bit.
func TestReplaceSitesCreuseOnly(t *testing.T) {
	ds, before := parallelNational(t)
	user := creuseFranceServices(t, ds)
	mod := *ds
	var dropped map[string]bool
	mod.Sites, dropped = ReplaceSites(ds, user, Departements("23"))
	after, err := NewBaseline(context.Background(), &mod, Params{})
	if err != nil {
		t.Fatal(err)
	}
	depB, depA := depOfSites(ds, before.Result), depOfSites(&mod, after.Result)
	n87 := 0
	for id, dep := range depB {
		kind := before.Result.Sites[siteIndex(before.Result, id)].Kind
		switch {
		case dep == "87":
			n87++
			if depA[id] != "87" {
				t.Errorf("Haute-Vienne site %s lost", id)
			}
		case dep == "23" && kind == data.KindFranceServices:
			if !dropped[id] {
				t.Errorf("embedded France Services %s of the Creuse kept", id)
			}
		case dep == "23":
			if depA[id] != "23" || dropped[id] {
				t.Errorf("Creuse site %s of kind %v dropped", id, kind)
			}
		}
	}
	if n87 == 0 || len(mod.Sites) != len(ds.Sites)-len(dropped)+len(user) {
		t.Errorf("%d Haute-Vienne sites; %d sites = %d − %d + %d?", n87, len(mod.Sites), len(ds.Sites), len(dropped), len(user))
	}
	if before.MedianAccess() != after.MedianAccess() || before.MedianAccess() == 0 {
		t.Errorf("national median %v → %v", before.MedianAccess(), after.MedianAccess())
	}
	if before.Result.France != after.Result.France {
		t.Errorf("France %+v → %+v", before.Result.France, after.Result.France)
	}
}

// TestReplaceSitesIdentity: replacing the Creuse's conseiller-numérique
// sites by an identical copy leaves every measure of France unchanged
// (up to the order of the sums: 1e-12 relative).
func TestReplaceSitesIdentity(t *testing.T) {
	ds, before := parallelNational(t)
	var copyOf []data.Site
	for i, s := range before.Result.Sites {
		if s.Kind == data.KindCNFS && len(s.Commune) == 5 && s.Commune[:2] == "23" {
			copyOf = append(copyOf, ds.Sites[i])
		}
	}
	if len(copyOf) == 0 {
		t.Fatal("no conseiller-numérique site in the Creuse")
	}
	mod := *ds
	mod.Sites, _ = ReplaceSites(ds, copyOf, Departements("23"))
	after, err := NewBaseline(context.Background(), &mod, Params{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range before.Result.Communes {
		b, a := &before.Result.Communes[i], &after.Result.Communes[i]
		if b.Covered != a.Covered || b.Rank != a.Rank || !closeRel(a.Access10k, b.Access10k, 1e-12) ||
			!closeRel(a.Gap, b.Gap, 1e-12) || !(a.NearestMin == b.NearestMin || math.IsInf(b.NearestMin, 1) && math.IsInf(a.NearestMin, 1)) {
			t.Fatalf("%s: %+v → %+v", b.Code, *b, *a)
		}
	}
}

// siteIndex returns the index of the site id in res.Sites, -1 if none.
func siteIndex(res *Result, id string) int {
	for j := range res.Sites {
		if res.Sites[j].ID == id {
			return j
		}
	}
	return -1
}

// TestReplaceSitesCreuseOnlyWholeOffer: the same Creuse-only file of
// France Services with the command's default supply, the whole offer
// (every kind, France Services counted): the Haute-Vienne's sites are
// the same and counted as before, and the national median access Amed is
// unchanged; the Creuse's own figures follow the file.
func TestReplaceSitesCreuseOnlyWholeOffer(t *testing.T) {
	testlong.Skip(t, "")
	ds, _ := parallelNational(t)
	p := Params{Supply: data.Kinds}
	before, err := NewBaseline(context.Background(), ds, p)
	if err != nil {
		t.Fatal(err)
	}
	mod := *ds
	mod.Sites, _ = ReplaceSites(ds, creuseFranceServices(t, ds), Departements("23"))
	after, err := NewBaseline(context.Background(), &mod, p)
	if err != nil {
		t.Fatal(err)
	}
	fte87 := func(r *Result) (n int, fte float64) {
		for _, s := range r.Sites {
			if strings.HasPrefix(s.Commune, "87") {
				n, fte = n+1, fte+s.FTE
			}
		}
		return n, fte
	}
	nB, fB := fte87(before.Result)
	nA, fA := fte87(after.Result)
	if nB == 0 || nA != nB || fA != fB {
		t.Errorf("Haute-Vienne: %d sites, %g FTE before; %d, %g after", nB, fB, nA, fA)
	}
	if before.MedianAccess() == 0 || before.MedianAccess() != after.MedianAccess() {
		t.Errorf("national median %v → %v", before.MedianAccess(), after.MedianAccess())
	}
}
