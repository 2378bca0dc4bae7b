package diag

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"diagnum/data"
)

func embedded(tb testing.TB) *data.Dataset {
	tb.Helper()
	ds, err := data.LoadEmbedded()
	if err != nil {
		tb.Fatal(err)
	}
	return ds
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
		fast, err := Compute(context.Background(), ds, p)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := ComputeNaive(context.Background(), ds, p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(stripNaN(fast.Communes), stripNaN(slow.Communes)) {
			t.Errorf("supply %v: indexed and naive commune results differ", p.Supply)
		}
		if !reflect.DeepEqual(fast.Deps, slow.Deps) {
			t.Errorf("supply %v: département roll-ups differ", p.Supply)
		}
	}
}

// stripNaN replaces NaN fragility (missing) by a sentinel so DeepEqual
// can compare.
func stripNaN(cs []CommuneResult) []CommuneResult {
	out := slices.Clone(cs)
	for i := range out {
		if math.IsNaN(out[i].Fragility) {
			out[i].Fragility = -1
		}
	}
	return out
}

// BenchmarkComputeNational is the full national computation on the
// embedded real data: 34,969 communes, every site of the default supply.
func BenchmarkComputeNational(b *testing.B) {
	ds := embedded(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(context.Background(), ds, Params{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputeNationalNaive is the naive O(communes × sites) scan on
// the same data, the baseline of BenchmarkComputeNational.
func BenchmarkComputeNationalNaive(b *testing.B) {
	ds := embedded(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ComputeNaive(context.Background(), ds, Params{}); err != nil {
			b.Fatal(err)
		}
	}
}

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
	ds := embedded(t)
	res, err := Compute(context.Background(), ds, Params{})
	if err != nil {
		t.Fatal(err)
	}
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
