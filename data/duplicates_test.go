package data

import (
	"diagnum/geo"

	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// naiveDuplicates is the reference of valDuplicates: every earlier site
// of the same kind and normalised name, scanned in order.
func naiveDuplicates(file string, sites []Site) []string {
	var out []string
	for i, s := range sites {
		name := NormName(s.Name)
		if name == "" {
			continue
		}
		for j := range i {
			if sites[j].Kind == s.Kind && NormName(sites[j].Name) == name && geo.HaversineKm(sites[j].Point, s.Point) <= DuplicateKm {
				out = append(out, fmt.Sprintf("%s:%d: %s ~ %s", file, s.Line, s.ID, sites[j].ID))
				break
			}
		}
	}
	return out
}

// TestDuplicatesAgainstNaive checks the grid of valDuplicates against the
// naive scan on random sites crowded around a few points (many pairs
// closer than DuplicateKm, across cell borders), at several latitudes
// including beyond 60°.
func TestDuplicatesAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, centre := range []orb.Point{{2.35, 48.85}, {55.45, -21.1}, {-56.17, 46.78}, {0, 0}, {18.9, 69.6}, {-179.99999, 10}} {
		var sites []Site
		for i := range 600 {
			p := orb.Point{centre[0] + (rng.Float64()-0.5)*0.004, centre[1] + (rng.Float64()-0.5)*0.002}
			name := []string{"Mairie", "MAIRIE ", "Médiathèque", "Lieu " + fmt.Sprint(i%7)}[rng.IntN(4)]
			kind := []SiteKind{KindCNFS, KindFranceServices}[rng.IntN(2)]
			sites = append(sites, Site{ID: fmt.Sprint("s", i), Name: name, Kind: kind, Point: p, Line: i + 2})
		}
		var got []string
		for _, c := range valDuplicates("f.csv", sites) {
			var a, b string
			fmt.Sscanf(c.Err.Err.Error()[len("doublon : le lieu "):], "%q a le même nom que le lieu %q", &a, &b)
			got = append(got, fmt.Sprintf("%s:%d: %s ~ %s", c.Err.File, c.Err.Line, a, b))
		}
		want := naiveDuplicates("f.csv", sites)
		if len(want) < 100 {
			t.Fatalf("%v: only %d duplicates: the test is too sparse", centre, len(want))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%v: %d duplicates, naive %d; first got %q want %q", centre, len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
		}
	}
}

// BenchmarkDuplicatesOneName: 30,000 sites sharing one name over a
// département (issue 15 §2: the quadratic check took 115 s).
func BenchmarkDuplicatesOneName(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	sites := make([]Site, 30_000)
	for i := range sites {
		sites[i] = Site{ID: fmt.Sprint("s", i), Name: "France services", Kind: KindFranceServices,
			Point: orb.Point{1.5 + rng.Float64(), 45.7 + rng.Float64()*0.6}, Line: i + 2}
	}
	b.ReportAllocs()
	for b.Loop() {
		valDuplicates("f.csv", sites)
	}
}
