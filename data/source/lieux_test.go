package source

import (
	"errors"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"

	"github.com/paulmach/orb"
)

// sitesRealCNFSPlaces loads the national and Île-de-France extracts and
// merges them.
func sitesRealCNFSPlaces(t *testing.T) (national, idf, merged []data.Site, dup int) {
	t.Helper()
	var err error
	for _, x := range []struct {
		file string
		out  *[]data.Site
	}{{"lieux_cnfs_france_93_23.json", &national}, {"lieux_cnfs_idf_93.json", &idf}} {
		var checks data.Checks
		*x.out, checks, err = LoadCNFSPlaces(x.file, sitesRealOpen(t, x.file))
		if err != nil || len(checks) != 0 {
			t.Fatalf("%s: err %v, checks %s", x.file, err, sitesChecksText(checks))
		}
	}
	merged, dup = MergeSites(national, idf)
	return national, idf, merged, dup
}

func TestLoadCNFSPlacesReal(t *testing.T) {
	// Counted with python3 json on the shared files (see PROVENANCE.md):
	// national objects with code_postal 93xxx (33) or 23xxx (1) = 34, of
	// which 15 have a 14-digit non-zero pivot; Île-de-France objects with
	// code_postal 93xxx = 44, of which 33 ids are in the national extract,
	// 2 of them with a later date_maj in the Île-de-France file. Merged:
	// 34 + 44 - 33 = 45.
	national, idf, merged, dup := sitesRealCNFSPlaces(t)
	if len(national) != 34 || len(idf) != 44 || len(merged) != 45 || dup != 33 {
		t.Fatalf("national %d, idf %d, merged %d, dup %d; want 34, 44, 45, 33", len(national), len(idf), len(merged), dup)
	}
	sitesAssertValid(t, merged)
	withSIRET := 0
	for _, s := range national {
		if s.SIRET != "" {
			withSIRET++
		}
		if s.Kind != data.KindCNFS || s.FTE != 0 || s.Source != "cnfs-2022" || s.INSEE != "" || !strings.HasPrefix(s.ID, "cn22-") {
			t.Errorf("site %+v", s)
		}
	}
	if withSIRET != 15 {
		t.Errorf("%d sites with SIRET, want 15", withSIRET)
	}
	creuse := data.Site{ID: "cn22-62ab14b38255a806e299c84f", Name: "CONSEIL DEPARTEMENTAL DE LA CREUSE", Kind: data.KindCNFS,
		Point: orb.Point{1.869283, 46.169029}, Postcode: "23000", SIRET: "22230962700016", Source: "cnfs-2022", Date: "2022-06-21",
		Line: 11} // the 11th object of lieux_cnfs_france_93_23.json
	found := false
	for i, s := range merged {
		found = found || s == creuse
		// The newer Île-de-France record replaces the national one in place.
		if s.ID == "cn22-62ac0aab8255a806e299cf70" && (s.Date != "2022-07-12" || i >= len(national)) {
			t.Errorf("merged record %d = %+v, want the 2022-07-12 one at its national position", i, s)
		}
	}
	if !found {
		t.Errorf("Creuse place %+v not found", creuse)
	}
}

func TestLoadHinauraReal(t *testing.T) {
	// 17 objects with code_postal 15xxx in the shared file (python3 json);
	// every pivot is "00000000000000".
	sites, checks, err := LoadHinaura("lieux_hinaura_15.json", sitesRealOpen(t, "lieux_hinaura_15.json"))
	if err != nil || len(checks) != 0 || len(sites) != 17 {
		t.Fatalf("got %d sites, err %v, checks %s; want 17", len(sites), err, sitesChecksText(checks))
	}
	sitesAssertValid(t, sites)
	for _, s := range sites {
		if s.Kind != data.KindMediation || s.SIRET != "" || s.Source != "hinaura" || !strings.HasPrefix(s.Postcode, "15") || !strings.HasPrefix(s.ID, "hin-") {
			t.Errorf("site %+v", s)
		}
	}
	if sites[0].ID != "hin-483" || sites[0].Name != "Association Centre Social &amp; Culturel d'Arpajon-sur-Cère" {
		t.Errorf("first site %+v", sites[0])
	}
}

func TestLoadPortreaReal(t *testing.T) {
	// 36 features with code_postal 59100 (Roubaix) in the shared file
	// (python3 json): source assembleurs 20, france-tiers-lieux 8,
	// conseiller-numerique 5, france-services 2, dora 1. The 7 duplicates
	// of the national files are skipped: 29 sites. The dora feature is the
	// only one with a code_insee (59512).
	sites, checks, err := LoadPortrea("portrea_59100.geojson", sitesRealOpen(t, "portrea_59100.geojson"))
	if err != nil || len(sites) != 29 {
		t.Fatalf("got %d sites, err %v; want 29", len(sites), err)
	}
	sitesAssertValid(t, sites)
	sitesAssertCheck(t, checks, data.Warning, data.ErrDuplicate, 0, "source")
	if msg := checks[0].Err.Error(); !strings.Contains(msg, "7 lieux ignorés comme doublons d'un fichier national") ||
		!strings.Contains(msg, "conseiller-numerique : 5") || !strings.Contains(msg, "france-services : 2") {
		t.Errorf("warning %q", msg)
	}
	withINSEE := 0
	for _, s := range sites {
		if s.INSEE != "" {
			withINSEE++
			if s.ID != "portrea-b9cf77b6-10b1-4c8c-839c-5cfe57fcedff-dora" || s.INSEE != "59512" {
				t.Errorf("site %+v", s)
			}
		}
		if s.Kind != data.KindMediation || s.Postcode != "59100" || s.Source != "portrea" || s.SIRET != "" {
			t.Errorf("site %+v", s)
		}
	}
	if withINSEE != 1 {
		t.Errorf("%d sites with INSEE, want 1", withINSEE)
	}
	// First feature: geometry [3.192008, 50.690383] (the point used).
	if sites[0].Point != (orb.Point{3.192008, 50.690383}) || sites[0].Date != "2022-11-22" {
		t.Errorf("first site %+v", sites[0])
	}
}

func TestLoadLieuxObjects(t *testing.T) {
	const ok = `{"id":"a","nom":"A","code_postal":"1100","latitude":46.1,"longitude":5.8,"pivot":"21010283100016","date_maj":"2022-05-09"}`
	tests := []loadCase[data.Site]{
		{name: "numbers", in: "[" + ok + "]", n: 1, check: func(s data.Site) bool {
			return s == data.Site{ID: "cn22-a", Name: "A", Kind: data.KindCNFS, Point: orb.Point{5.8, 46.1}, Postcode: "01100",
				SIRET: "21010283100016", Source: "cnfs-2022", Date: "2022-05-09", Line: 1}
		}},
		{name: "strings", in: `[{"id":7,"latitude":"46,1","longitude":" 5.8 ","pivot":"00000000000000","date_maj":"2022-05-09T10:00:00Z"}]`,
			n: 1, check: func(s data.Site) bool {
				return s.ID == "cn22-7" && s.Point == orb.Point{5.8, 46.1} && s.SIRET == "" && s.Date == "2022-05-09"
			}},
		{name: "pivot with APE", in: `[{"id":"a","latitude":46.1,"longitude":5.8,"pivot":"34106240403159/APE:8790B"}]`,
			n: 1, warned: data.ErrBadCode, check: func(s data.Site) bool { return s.SIRET == "" }},
		{name: "bad date", in: `[{"id":"a","latitude":46.1,"longitude":5.8,"date_maj":"09/05/2022"}]`,
			n: 1, warned: data.ErrBadValue, check: func(s data.Site) bool { return s.Date == "" }},
		{name: "no longitude", in: "[" + ok + `,{"id":"b","latitude":46.1}]`, n: 1,
			rejected: data.ErrBadCoordinate, line: 2, column: "longitude"},
		{name: "latitude is a list", in: `[{"id":"b","latitude":[46.1],"longitude":5.8},` + ok + "]", n: 1,
			rejected: data.ErrBadNumber, line: 1, column: "latitude"},
		{name: "huge number", in: `[{"id":"b","latitude":1e999,"longitude":5.8},` + ok + "]", n: 1,
			rejected: data.ErrBadNumber, line: 1, column: "latitude"},
		{name: "swapped", in: `[{"id":"b","latitude":5.8,"longitude":46.1}]`, rejected: data.ErrSwappedLatLon, line: 1, column: "latitude"},
		{name: "no id", in: `[{"latitude":46.1,"longitude":5.8}]`, rejected: data.ErrBadValue, line: 1, column: "id"},
		{name: "duplicate", in: "[" + ok + "," + ok + "]", n: 1, rejected: data.ErrDuplicate, line: 2, column: "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := tt.run(t, LoadCNFSPlaces, "lieux.json")
			if tt.rejected != nil && !strings.Contains(checks[0].Err.Error(), "objet JSON") {
				t.Errorf("message %q does not say the line is an object number", checks[0].Err)
			}
		})
	}
}

func TestLoadPortreaFeatures(t *testing.T) {
	const props = `"properties":{"id":"x","source":"assembleurs","latitude":"50.69","longitude":"3.19","code_postal":"59100"}`
	fc := func(features ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + "]}"
	}
	at := func(p orb.Point) func(data.Site) bool { return func(s data.Site) bool { return s.Point == p } }
	tests := []loadCase[data.Site]{
		{name: "geometry wins", in: fc(`{"type":"Feature",` + props + `,"geometry":{"type":"Point","coordinates":[3.2,50.7]}}`),
			n: 1, check: at(orb.Point{3.2, 50.7})},
		{name: "null geometry: properties", in: fc(`{"type":"Feature",` + props + `,"geometry":null}`), n: 1, check: at(orb.Point{3.19, 50.69})},
		{name: "bad geometry", in: fc(`{"type":"Feature",` + props + `,"geometry":{"type":"Point","coordinates":"x"}}`),
			rejected: data.ErrBadCoordinate, line: 1, column: "geometry"},
		{name: "geometry outside", in: fc(`{"type":"Feature",` + props + `,"geometry":{"type":"Point","coordinates":[0,0]}}`),
			rejected: data.ErrOutsideFrance, line: 1, column: "geometry"},
		{name: "no properties", in: fc(`{"type":"Feature",`+props+`}`, `{"type":"Feature"}`), n: 1,
			rejected: data.ErrBadValue, line: 2, column: "properties", check: at(orb.Point{3.19, 50.69})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, LoadPortrea, "p.geojson") })
	}
	if _, _, err := LoadPortrea("p.json", strings.NewReader(`[{"id":"x"}]`)); !errors.Is(err, data.ErrBadValue) {
		t.Errorf("array instead of FeatureCollection: err = %v", err)
	}
	if _, _, err := LoadPortrea("p.json", strings.NewReader(`{"type":"Feature"}`)); !errors.Is(err, data.ErrBadValue) {
		t.Errorf("Feature instead of FeatureCollection: err = %v", err)
	}
}

func TestMergeSites(t *testing.T) {
	base := []data.Site{{ID: "a", Date: "2022-05-01"}, {ID: "b", Date: "2022-05-01"}}
	extra := []data.Site{{ID: "b", Date: "2022-06-01", Name: "new"}, {ID: "c"}, {ID: "a", Date: "2022-04-01", Name: "old"}}
	got, dup := MergeSites(base, extra)
	want := []data.Site{{ID: "a", Date: "2022-05-01"}, {ID: "b", Date: "2022-06-01", Name: "new"}, {ID: "c"}}
	if dup != 2 || len(got) != len(want) {
		t.Fatalf("got %+v, dup %d", got, dup)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("site %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if base[1].Name != "" {
		t.Error("MergeSites changed its input")
	}
}

// fuzzLieux fuzzes a JSON lieux adapter (fuzzSites) from the files seeds
// of testdata/sites-real and a malformed array.
func fuzzLieux(f *testing.F, load loader[[]data.Site], seeds ...string) {
	fuzztest.Seed(f, "../../testdata/sites-real", seeds...)
	f.Add([]byte(`[{"id":7,"latitude":"46,1","longitude":" 5.8 ","pivot":"0"},{"id":7},null,{"id":"x","latitude":1e400}]`))
	fuzzSites(f, "fuzz.json", load)
}

func FuzzLoadCNFSPlaces(f *testing.F) {
	fuzzLieux(f, LoadCNFSPlaces, "lieux_cnfs_france_93_23.json", "lieux_cnfs_idf_93.json")
}

func FuzzLoadHinaura(f *testing.F) {
	fuzzLieux(f, LoadHinaura, "lieux_hinaura_15.json")
}

func FuzzLoadPortrea(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"properties":{"id":"x","latitude":"50,1","longitude":"3"},"geometry":{"type":"LineString","coordinates":[[3,50],[3.1,50]]}},{"geometry":{"type":"Point","coordinates":[]}}]}`))
	fuzzLieux(f, LoadPortrea, "portrea_59100.geojson")
}
