package data

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"diagnum/internal/fuzztest"

	"github.com/paulmach/orb"
)

var loadSitesGeoJSONTests = []sitesCase{{
	name: "QGIS export: numbers and strings, altitude dropped, FTE absent = 1",
	input: `{"type":"FeatureCollection","name":"lieux","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
{"type":"Feature","properties":{"id":"a","nom":"Mairie","type":"Conseiller numérique","etp":0.5,"code_insee":23031},"geometry":{"type":"Point","coordinates":[2.216669,46.34908,350]}},
{"type":"Feature","properties":{"id":7,"name":"Bourg","type":"cnfs","fte":"1,5","insee":"1053","cp":"1000"},"geometry":{"type":"Point","coordinates":[5.2255,46.2052]}},
{"type":"Feature","properties":{"id":"c","nom":"Sans géométrie","type":"mediation","etp":null,"latitude":"46,1","longitude":2.1},"geometry":null}
]}`,
	sites: []Site{
		{ID: "a", Name: "Mairie", Kind: KindCNFS, Point: orb.Point{2.216669, 46.34908}, FTE: 0.5, INSEE: "23031"},
		{ID: "7", Name: "Bourg", Kind: KindCNFS, Point: orb.Point{5.2255, 46.2052}, FTE: 1.5, INSEE: "01053", Postcode: "01000"},
		{ID: "c", Name: "Sans géométrie", Kind: KindMediation, Point: orb.Point{2.1, 46.1}, FTE: 1},
	},
}, {
	name: "rejected features name their number and line",
	input: "{\"type\":\"FeatureCollection\",\"features\":[\n" +
		`{"type":"Feature","properties":{"id":"a","nom":"A","type":"cnfs"},"geometry":{"type":"Point","coordinates":[2.1,46.1]}},` + "\n" +
		`{"type":"Feature","properties":{"id":"b","nom":"B","type":"cnfs"},"geometry":{"type":"MultiPoint","coordinates":[[2.1,46.1]]}},` + "\n" +
		`{"type":"Feature","properties":{"id":"a","nom":"C","type":"cnfs"},"geometry":{"type":"Point","coordinates":[2.2,46.2]}},` + "\n" +
		`{"type":"Feature","properties":["id"],"geometry":{"type":"Point","coordinates":[2.2,46.2]}},` + "\n" +
		`{"type":"Feature","properties":{"id":"d","nom":"D","type":"cnfs","date":"mai 2022"},"geometry":{"type":"Point","coordinates":[2.3,46.3]}},` + "\n" +
		`{"type":"Point","coordinates":[2.2,46.2]}` + "\n]}",
	sites: []Site{
		{ID: "a", Name: "A", Kind: KindCNFS, Point: orb.Point{2.1, 46.1}, FTE: 1},
		{ID: "d", Name: "D", Kind: KindCNFS, Point: orb.Point{2.3, 46.3}, FTE: 1},
	},
	checks: []string{
		`t.geojson:3: colonne "geometry" : objet 2 : coordonnée invalide : geometry "MultiPoint" : un lieu doit être un Point`,
		`t.geojson:4: colonne "id" : objet 3 : doublon : id "a" déjà utilisé par l'objet 1 (ligne 2)`,
		`t.geojson:5: colonne "properties" : objet 4 : valeur invalide : properties absent ou qui n'est pas un objet`,
		`t.geojson:6: colonne "date" : objet 5 : valeur invalide : date "mai 2022" : attendu AAAA-MM-JJ ou JJ/MM/AAAA ; valeur ignorée pour le lieu "d"`,
		`t.geojson:7: objet 6 : valeur invalide : pas un objet GeoJSON Feature`,
	},
}}

func TestLoadSitesGeoJSON(t *testing.T) {
	testSitesLoader(t, "t.geojson", loadSitesGeoJSONTests, loadSitesGeoJSON)
}

// TestLoadSitesCreuseGeoJSON: the 21 France Services of Creuse as GeoJSON
// (testdata/sites/PROVENANCE.md) load to the same sites as the CSV, through
// LoadSites, which picks the format from the name or the content.
func TestLoadSitesCreuseGeoJSON(t *testing.T) {
	load := func(file, name string) []Site {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("..", "testdata", "sites", file))
		if err != nil {
			t.Fatal(err)
		}
		sites, checks, err := LoadSites(name, bytes.NewReader(b), SitesOptions{})
		if err != nil || len(checks) != 0 {
			t.Fatalf("%s as %s: %v, checks %v", file, name, err, checkTexts(checks))
		}
		return sites
	}
	csv := load("creuse-france-services.csv", "lieux.csv")
	for _, name := range []string{"lieux.geojson", "lieux.JSON", "lieux.txt"} {
		geo := load("creuse-france-services.geojson", name)
		if len(geo) != 21 || !reflect.DeepEqual(withoutLines(geo), withoutLines(csv)) {
			t.Errorf("%s: %d sites, not the 21 sites of the CSV", name, len(geo))
		}
	}
	// A CSV named .txt stays CSV.
	if got := load("creuse-france-services.csv", "lieux.txt"); !reflect.DeepEqual(got, csv) {
		t.Error("CSV read as .txt differs")
	}
}

func TestLoadSitesGeoJSONErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, "g.geojson: aucune ligne utilisable : le fichier est vide"},
		{`[]`, "g.geojson:1: valeur invalide : attendu un objet GeoJSON FeatureCollection"},
		{`{"type":"FeatureCollection"}`, "g.geojson: aucune ligne utilisable : la FeatureCollection n'a aucun objet (feature)"},
		{`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a","nom":"A","type":"cnfs"},"geometry":null}]}`,
			`g.geojson: aucune ligne utilisable : la seule ligne est rejetée ; la première : g.geojson:1: colonne "latitude" : objet 1 : coordonnée invalide : latitude vide`},
		{`{"type":"FeatureCollection","features":[]} {}`, "g.geojson:1: valeur invalide : données après la fin de la valeur JSON"},
	}
	for _, tt := range tests {
		_, _, err := loadSitesGeoJSON("g.geojson", strings.NewReader(tt.in), SitesOptions{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%.40s: error %v\nwant %s", tt.in, err, tt.want)
		}
		checkFuzzError(t, "g.geojson", nil, err)
	}
}

// FuzzLoadSitesGeoJSON: an error, or valid sites (checkFuzzSites) that
// WriteSitesCSV writes and LoadSitesCSV reads back unchanged.
func FuzzLoadSitesGeoJSON(f *testing.F) {
	addSitesGeoJSONSeeds(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		sites, checks, err := loadSitesGeoJSON("f.geojson", bytes.NewReader(input), SitesOptions{Known: testKnown})
		checkFuzzLoad(t, "f.geojson", sites, checks, err)
	})
}

// checkFuzzSites requires finite coordinates inside a territory box, a
// finite FTE in [0, DefaultMaxFTE], unique non-empty ids, known kinds and
// well-formed known codes.
func checkFuzzSites(t *testing.T, sites []Site) {
	t.Helper()
	ids := map[string]bool{}
	for _, s := range sites {
		if _, ok := TerritoryOf(s.Point); !ok || !valFinite(s.Point[0]) || !valFinite(s.Point[1]) {
			t.Fatalf("site %+v outside every territory", s)
		}
		if !valFinite(s.FTE) || s.FTE < 0 || s.FTE > DefaultMaxFTE {
			t.Fatalf("site %+v has FTE %v", s, s.FTE)
		}
		if s.ID == "" || ids[s.ID] || s.Kind == KindUnknown {
			t.Fatalf("site %+v: empty or duplicate id, or unknown kind", s)
		}
		ids[s.ID] = true
		if c, err := NormINSEE(s.INSEE); s.INSEE != "" && (err != nil || c != s.INSEE || !testKnown(c)) {
			t.Fatalf("site %+v keeps code %q", s, s.INSEE)
		}
	}
}

// TestFeaturesAtMost: the bound counts every "Feature", one cut by the
// end of a read chunk (1 MiB) included and none counted twice; a reader
// that cannot be read twice (a pipe) gives no bound.
func TestFeaturesAtMost(t *testing.T) {
	_, gj := sitesFixture(1000)
	if got := featuresAtMost(bytes.NewReader(gj)); got != 1000 {
		t.Errorf("fixture: %d, want 1000", got)
	}
	for _, cut := range []int{1, 4, 8, 9} { // bytes of the word before the chunk end
		in := append(bytes.Repeat([]byte(" "), 1<<20-cut), `"Feature"x"Feature"`...)
		if got := featuresAtMost(bytes.NewReader(in)); got != 2 {
			t.Errorf("word cut after %d bytes: %d, want 2", cut, got)
		}
	}
	if got := featuresAtMost(io.MultiReader(bytes.NewReader(gj))); got != 0 {
		t.Errorf("pipe: %d, want 0", got)
	}
}

// addSitesGeoJSONSeeds seeds a GeoJSON sites fuzz target with the sites
// GeoJSON files of testdata (bad ones included) and the inputs of
// loadSitesGeoJSONTests.
func addSitesGeoJSONSeeds(f *testing.F) {
	fuzztest.Seed(f, "../testdata", "bad/sites-*.geojson", "sites/*.geojson")
	for _, tt := range loadSitesGeoJSONTests {
		f.Add([]byte(tt.input))
	}
}
