package diag

import (
	"context"
	"math"
	"reflect"
	"slices"
	"sync"
	"testing"

	"diagnum/data"
	"diagnum/geo"
	"diagnum/internal/benchstat"

	"github.com/paulmach/orb"
)

// embeddedOnce loads the embedded data set once per test process.
var embeddedOnce = sync.OnceValues(data.LoadEmbedded)

// embedded returns a copy of the embedded data set (data.Dataset.Clone:
// the caller may change its communes, sites and indicators).
func embedded(tb testing.TB) *data.Dataset {
	tb.Helper()
	ds, err := embeddedOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return ds.Clone()
}

// nationalOnce is the national baseline of the embedded data set with
// the default parameters, computed once per test process.
var nationalOnce = sync.OnceValues(func() (*Baseline, error) {
	ds, err := embeddedOnce()
	if err != nil {
		return nil, err
	}
	return NewBaseline(context.Background(), ds, Params{})
})

// national returns the embedded data set and its national baseline
// (default parameters), shared by the tests: read them, never change
// them (copy the Dataset struct to give it other sites).
func national(tb testing.TB) (*data.Dataset, *Baseline) {
	tb.Helper()
	b, err := nationalOnce()
	if err != nil {
		tb.Fatal(err)
	}
	return b.Dataset(), b
}

// parallelNational marks t parallel and returns the shared national
// baseline (national): the tests that only read it run side by side.
func parallelNational(t *testing.T) (*data.Dataset, *Baseline) {
	t.Helper()
	t.Parallel()
	return national(t)
}

// TestNearestSiteBruteForce checks the nearest existing site from the
// point of every populated Creuse commune (Baseline.NearestSite) against
// a scan of all counted sites with geo.Model (ties to the lowest index).
func TestNearestSiteBruteForce(t *testing.T) {
	ds, b := parallelNational(t)
	m := geo.DefaultModel()
	creuse := Departements("23")
	for i := range ds.Communes {
		c := &ds.Communes[i]
		p, ok := b.Location(i)
		if !creuse.Contains(c.Dep, c.Region) || c.Population <= 0 || !ok {
			continue
		}
		j, got, err := b.NearestSite(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		bestJ, best := -1, math.Inf(1)
		for k, s := range b.Result.Sites {
			if tk := m.Minutes(p, s.Point); s.Counted && tk < best {
				bestJ, best = k, tk
			}
		}
		if j != bestJ || got != best {
			t.Fatalf("%s: nearest site %d at %v min, brute force %d at %v", c.Code, j, got, bestJ, best)
		}
	}
}

// TestEmbeddedSitesAssigned: every embedded site (France Services,
// conseiller-numérique places, lieux de médiation) lands in exactly one
// existing commune.
func TestEmbeddedSitesAssigned(t *testing.T) {
	ds := embedded(t)
	sites, checks := Assign(ds)
	if len(sites) != len(ds.Sites) {
		t.Fatalf("Assign returned %d sites for %d", len(sites), len(ds.Sites))
	}
	for _, s := range sites {
		if _, ok := ds.CommuneIndex(s.Commune); !ok {
			t.Errorf("site %s (%s) assigned to %q, not a commune", s.ID, s.Name, s.Commune)
		}
	}
	if n := checks.Count(data.Rejected); n != 0 {
		t.Errorf("%d sites rejected by the assignment", n)
	}
}

// limousin returns the embedded communes of 19, 23 and 87 (polygons
// loaded for all three) with every site assigned to one of them.
func limousin(t *testing.T) *data.Dataset {
	ds := embedded(t)
	deps := []string{"19", "23", "87"}
	sub := &data.Dataset{Indicators: ds.Indicators, Renamed: ds.Renamed}
	for _, c := range ds.Communes {
		if slices.Contains(deps, c.Dep) {
			sub.Communes = append(sub.Communes, c)
		}
	}
	sites, _ := Assign(ds)
	for i, s := range sites {
		if _, ok := sub.CommuneIndex(s.Commune); ok {
			sub.Sites = append(sub.Sites, ds.Sites[i])
		}
	}
	return sub
}

// TestEmbeddedNaiveOracle checks the indexed engine against the naive
// O(communes × sites) reference on the real communes and sites of the
// three Limousin départements, for two supply settings.
func TestEmbeddedNaiveOracle(t *testing.T) {
	ds := limousin(t)
	// communes actuelles of 19, 23 and 87 in COG 2025 (communes.json,
	// counted with python3): 277 + 255 + 195.
	if len(ds.Communes) != 727 {
		t.Fatalf("communes: got %d, want 727", len(ds.Communes))
	}
	if len(ds.Sites) < 100 {
		t.Fatalf("only %d sites in Limousin", len(ds.Sites))
	}
	for _, p := range []Params{
		{},
		{Supply: []data.SiteKind{data.KindCNFS, data.KindFranceServices}, ThresholdMin: 20},
	} {
		t.Logf("supply %v, %v min", p.Supply, p.ThresholdMin)
		againstNaive(t, ds, p)
	}
}

// BenchmarkComputeNational is the full national computation on the
// embedded real data: 34,969 communes, every site of the default supply.
func BenchmarkComputeNational(b *testing.B) { benchNational(b, Compute) }

// benchNational times compute (Compute, or its naive reference) on the
// embedded data with the default parameters.
func benchNational(b *testing.B, compute func(context.Context, *data.Dataset, Params) (*Result, error)) {
	ds := embedded(b)
	benchstat.Loop(b, func() error {
		_, err := compute(context.Background(), ds, Params{})
		return err
	})
}

// BenchmarkPairsNational is the pairs step of BenchmarkComputeNational
// alone (engine.buildRows: every commune's counted sites within reach,
// their times and weights), the engine prepared once.
func BenchmarkPairsNational(b *testing.B) {
	e, err := newEngine(context.Background(), embedded(b), Params{})
	if err != nil {
		b.Fatal(err)
	}
	benchstat.Loop(b, e.buildRows)
}

// BenchmarkNearestOthersNational is the nearest other counted site of
// every national site alone (engine.nearestOthers), the engine prepared
// once.
func BenchmarkNearestOthersNational(b *testing.B) {
	e, err := newEngine(context.Background(), embedded(b), Params{})
	if err != nil {
		b.Fatal(err)
	}
	benchstat.Loop(b, e.nearestOthers)
}

// BenchmarkComputeNationalNaive is the naive O(communes × sites) scan on
// the same data, the baseline of BenchmarkComputeNational.
func BenchmarkComputeNationalNaive(b *testing.B) { benchNational(b, ComputeNaive) }

// BenchmarkLoadCompute is what an analyst would otherwise do in PostGIS:
// load the national data (embedded), compute nearest site and E2SFCA for
// every commune, and roll up the département (23).
func BenchmarkLoadCompute(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ds, err := data.LoadEmbedded()
		if err != nil {
			b.Fatal(err)
		}
		res, err := Compute(context.Background(), ds, Params{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := res.Territory(Departements("23")); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEveryDepartement: each of the 101 départements (96 in metropolitan
// France, 5 overseas) can be reported, and their communes add up to the
// national result minus the collectivités d'outre-mer.
func TestEveryDepartement(t *testing.T) {
	ds, b := parallelNational(t)
	res := b.Result
	zone := map[string]string{}
	for _, c := range ds.Communes {
		zone[c.Dep] = c.Zone
	}
	n, communes := 0, 0
	for _, d := range ds.Departements {
		if zone[d.Code] == "com" {
			continue
		}
		n++
		view, err := res.Territory(Departements(d.Code))
		if err != nil {
			t.Errorf("département %s: %v", d.Code, err)
			continue
		}
		communes += len(view.Communes)
		for _, c := range view.Communes {
			if c.Rank < 1 || c.Rank > len(view.Communes) {
				t.Fatalf("département %s: commune %s has rank %d of %d", d.Code, c.Code, c.Rank, len(view.Communes))
			}
		}
	}
	if n != 101 {
		t.Errorf("got %d départements, want 101", n)
	}
	// 34,969 communes actuelles, of which 94 in the COM (communes.json).
	if communes != 34969-94 {
		t.Errorf("communes over the 101 départements: %d, want %d", communes, 34969-94)
	}
}

// TestValidationAgreement: the embedded advisor supply agrees with the
// published 2023 list (references.csv, posts per département of
// structures-20230405.csv): at least 90 of the 101 départements within
// ±20 % (the 2021 supply had 30 of 102, issue 9), and the national FTE is
// the list's 3,925 posts less the 2 of Saint-Martin, a collectivity
// without commune points.
func TestValidationAgreement(t *testing.T) {
	ds := embedded(t)
	sites, _ := Assign(ds)
	rows := ValidateSupply(ds, sites)
	for _, r := range rows {
		if r.Measure == "postes_cnfs" && r.Known && math.Abs(r.Gap()) > 0.2 {
			t.Logf("%s: %g embedded, %g in the list", r.Territory, r.Embedded, r.Value)
		}
	}
	within, total := DepartementsWithin(ds, rows, 0.2)
	var national ValidationRow
	for _, r := range rows {
		if r.Measure == "postes_cnfs" && r.Territory == "France" {
			national = r
		}
	}
	if total != 101 || within < 90 {
		t.Errorf("%d of %d départements within ±20 %% of the 2023 list, want at least 90 of 101", within, total)
	}
	if national.Value != 3925 || math.Abs(national.Embedded-3923) > 1e-6 || national.Source == "" || national.Date != "2023-04-05" {
		t.Errorf("national: %+v", national)
	}
}

// TestChefLieuPoints: a commune's representative point is its town hall
// (chefs-lieux), so in the huge communes of Guyane every site a commune
// hosts is within 10 minutes of its point with the default travel model
// (the old centre points were 31.5, 61.8 and 69.5 km from the towns:
// 49, 96 and 108 minutes), and Kourou's own site covers it.
func TestChefLieuPoints(t *testing.T) {
	ds := embedded(t)
	sites, _ := Assign(ds)
	m := geo.DefaultModel()
	for _, code := range []string{"97304", "97311", "97353"} { // Kourou, Saint-Laurent-du-Maroni, Maripasoula
		i, ok := ds.CommuneIndex(code)
		if !ok || !ds.Communes[i].HasPoint {
			t.Fatalf("%s: no point", code)
		}
		n := 0
		for _, s := range sites {
			if s.Commune != code {
				continue
			}
			n++
			if min := m.Minutes(ds.Communes[i].Point, s.Point); min > 10 {
				t.Errorf("%s: site %s (%s) is %.1f min from the commune's point", code, s.ID, s.Name, min)
			}
		}
		if n == 0 && code != "97353" { // Maripasoula hosts none in these data
			t.Errorf("%s hosts no site", code)
		}
	}
	// Maripasoula's point is its town (3.6408 N, 54.0285 W), not the
	// centre of its 18,360 km².
	if i, _ := ds.CommuneIndex("97353"); geo.HaversineKm(ds.Communes[i].Point, orb.Point{-54.0285, 3.6408}) > 2 {
		t.Errorf("Maripasoula's point %v is not in the town", ds.Communes[i].Point)
	}
	ds.Sites = sites
	r := mustCompute(t, ds, Params{Supply: []data.SiteKind{data.KindCNFS, data.KindFranceServices}})
	for _, c := range r.Communes {
		if c.Code == "97304" && (!c.Covered || c.NearestMin > 10) {
			t.Errorf("Kourou: covered %v, nearest site %.1f min", c.Covered, c.NearestMin)
		}
	}
}

// TestStoredPlacementOracle: the communes make data stored for the
// embedded sites (sites_communes.csv.gz, Site.Placed) are those Assign
// finds when it places every site again (the oracle: PlacedSites
// cleared), and the checks are the same, in the same order: none is
// placed again at run time.
func TestStoredPlacementOracle(t *testing.T) {
	ds := embedded(t)
	if !ds.PlacedSites {
		t.Fatal("embedded data set: PlacedSites not set (sites_communes.csv.gz missing?)")
	}
	fresh := ds.Clone()
	fresh.PlacedSites = false
	want, wantChecks := Assign(fresh)
	got, gotChecks := Assign(ds)
	placed := 0
	for i, s := range ds.Sites {
		if got[i].Commune != want[i].Commune {
			t.Errorf("site %s: stored commune %q, placed again %q", s.ID, got[i].Commune, want[i].Commune)
		}
		if s.Placed {
			placed++
		}
	}
	if placed != len(ds.Sites) {
		t.Errorf("only %d of %d sites stored as placed", placed, len(ds.Sites))
	}
	// 18 placements give a check (rattachement): 10 sites off a coast or
	// in a sliver, 8 whose polygon is not their declared commune.
	if len(wantChecks) != len(ds.Placements) || len(wantChecks) < 10 {
		t.Errorf("%d checks placing again, %d stored", len(wantChecks), len(ds.Placements))
	}
	if !reflect.DeepEqual(gotChecks, wantChecks) {
		t.Errorf("checks differ:\nstored: %v\nplaced again: %v", gotChecks, wantChecks)
	}
	// A site marked Placed in a data set whose communes are not those
	// make data used (PlacedSites clear) is placed again.
	s := ds.Sites[0]
	s.Commune = "99999"
	out, _ := Assign(&data.Dataset{Communes: ds.Communes, Renamed: ds.Renamed, PolygonsTileFrance: true, Sites: []data.Site{s}})
	if out[0].Commune != want[0].Commune {
		t.Errorf("Placed site without PlacedSites: got %q, want %q", out[0].Commune, want[0].Commune)
	}
}

// BenchmarkAssignEmbedded places the embedded sites as a run does, with
// the communes make data stored ("stored") and placing every site again
// ("again", the oracle of TestStoredPlacementOracle).
func BenchmarkAssignEmbedded(b *testing.B) {
	for _, stored := range []bool{true, false} {
		name := map[bool]string{true: "stored", false: "again"}[stored]
		b.Run(name, func(b *testing.B) {
			ds := embedded(b)
			ds.PlacedSites = stored
			b.ReportAllocs()
			for b.Loop() {
				Assign(ds)
			}
		})
	}
}
