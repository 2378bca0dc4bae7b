package main

import (
	"bytes"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"testing"

	"diagnum/data"
	"diagnum/data/source"

	"github.com/paulmach/orb"
)

const mini = "../../testdata/shared-mini"

// TestReproducible runs the generator twice on the Creuse-sized copy of
// the shared data and checks that both outputs are byte-identical.
func TestReproducible(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, out := range []string{a, b} {
		if err := run(mini, out); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	err := filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		x, _ := os.ReadFile(path)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("only %d files generated", n)
	}
}

// TestGeneratedLoads checks that the generated set loads back with the
// figures of the extract (counted with python3 on the extract files).
func TestGeneratedLoads(t *testing.T) {
	out := t.TempDir()
	if err := run(mini, out); err != nil {
		t.Fatal(err)
	}
	ds, err := data.LoadDir(os.DirFS(out))
	if err != nil {
		t.Fatal(err)
	}
	pop := 0
	for _, c := range ds.Communes {
		pop += c.Population
	}
	// 255 communes actuelles of 23, 115,527 inhabitants (COG 2025).
	if len(ds.Communes) != 255 || pop != 115527 {
		t.Errorf("got %d communes, %d inhabitants; want 255, 115527", len(ds.Communes), pop)
	}
	withPolygon := 0
	for _, c := range ds.Communes {
		if c.Polygon != nil {
			withPolygon++
		}
	}
	// Every COG-2025 commune of 23 has a polygon (france-geojson
	// PROVENANCE); the 3 merged 2018 codes are folded into their successor.
	if withPolygon != 255 {
		t.Errorf("communes with a polygon: got %d, want 255", withPolygon)
	}
	kinds := map[data.SiteKind]int{}
	fte := 0.0
	for _, s := range ds.Sites {
		kinds[s.Kind]++
		if s.Kind == data.KindCNFS {
			fte += s.FTE
		}
	}
	// 21 France Services; the 6 structures of 23 in the 2023 list hold 14
	// posts (cnfs-structures-2023 PROVENANCE), all placed.
	if kinds[data.KindFranceServices] != 21 {
		t.Errorf("France Services: got %d, want 21", kinds[data.KindFranceServices])
	}
	if math.Abs(fte-14) > 1e-9 {
		t.Errorf("CNFS FTE: got %v, want 14", fte)
	}
	// Representative points are the town halls (chefs-lieux-cog2025.csv
	// row of 23096 Guéret: 1.8715, 46.16935).
	if i, ok := ds.CommuneIndex("23096"); !ok || ds.Communes[i].Point != (orb.Point{1.8715, 46.16935}) {
		t.Errorf("Guéret's point %v is not its town hall", ds.Communes[i].Point)
	}
	// references.csv: the 6 structures of 23 hold 14 posts in the 2023 list.
	found := false
	for _, r := range ds.References {
		if r.Territory == "23" && r.Measure == "postes_cnfs" {
			found = r.Value == 14 && r.Date == "2023-04-05"
		}
	}
	if !found {
		t.Errorf("no reference of 14 posts for 23: %+v", ds.References)
	}
	if len(ds.Sources) != len(sourceRows) {
		t.Errorf("sources: got %d, want %d", len(ds.Sources), len(sourceRows))
	}
}

// TestCommuneLocator: the rule that places a lieu without coordinates, on
// hand-made communes. By INSEE code (an old code mapped to its
// successor); else by postcode and city, CEDEX and its number dropped,
// case and accents folded, among the communes of the postcode's
// département (Corsica: 2A and 2B), only when one commune matches; a
// commune without point places nothing.
func TestCommuneLocator(t *testing.T) {
	cs := []data.Commune{ // sorted by code, as the COG's
		{Code: "28006", Name: "Allonnes", Dep: "28", Point: orb.Point{1.6, 48.3}, HasPoint: true},
		{Code: "2A004", Name: "Ajaccio", Dep: "2A", Point: orb.Point{8.73, 41.93}, HasPoint: true},
		{Code: "49002", Name: "Allonnes", Dep: "49", Point: orb.Point{0.0, 47.3}, HasPoint: true},
		{Code: "72003", Name: "Allonnes", Dep: "72", Point: orb.Point{0.16, 47.97}, HasPoint: true},
		{Code: "72181", Name: "Le Mans", Dep: "72", Point: orb.Point{0.1996, 48.0077}, HasPoint: true},
		{Code: "72200", Name: "Saint-Rémy", Dep: "72", Point: orb.Point{0.3, 48.1}, HasPoint: true},
		{Code: "72201", Name: "Saint-Remy", Dep: "72", Point: orb.Point{0.4, 48.2}, HasPoint: true},
		{Code: "97304", Name: "Kourou", Dep: "973", Point: orb.Point{-52.65, 5.16}, HasPoint: true},
		{Code: "98818", Name: "Nouméa", Dep: "988"},
	}
	cog := &source.COG{Communes: cs, Renamed: map[string]string{"72999": "72181"}}
	g := &gen{cog: cog, res: cog.Resolver()}
	locate := g.communeLocator()
	tests := []struct {
		insee, postcode, city string
		want                  string // "" when not placed
	}{
		{"72181", "", "", "72181"},
		{"72999", "", "", "72181"},                // old code → successor
		{"", "72015", "LE MANS CEDEX 2", "72181"}, // CEDEX dropped
		{"", "72703", "Allonnes Cedex", "72003"},  // one Allonnes in 72
		{"", "20090", "AJACCIO", "2A004"},         // Corsica
		{"", "97310", "Kourou", "97304"},          // overseas: 3 digits
		{"", "72000", "Saint Remy", ""},           // two communes fold to it
		{"", "72000", "Paris", ""},                // not in the département
		{"", "7200", "Le Mans", ""},               // not a postcode
		{"98818", "", "", ""},                     // no point
		{"00000", "72000", "Le Mans", "72181"},    // unknown code, then postcode
	}
	for _, tt := range tests {
		code, pt, ok := locate(tt.insee, tt.postcode, tt.city)
		if ok != (tt.want != "") || code != tt.want {
			t.Errorf("locate(%q, %q, %q) = %q, %v; want %q", tt.insee, tt.postcode, tt.city, code, ok, tt.want)
			continue
		}
		if ok {
			if i, _ := g.communeIndex(code); pt != cs[i].Point {
				t.Errorf("locate(%q, %q, %q): point %v, want the commune's %v", tt.insee, tt.postcode, tt.city, pt, cs[i].Point)
			}
		}
	}
}
