package report

import (
	"bytes"
	"errors"
	"math"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"diagnum/data"
	"diagnum/data/source"
	"diagnum/diag"
)

// geoFixture is a hand-made territory of four communes:
//   - 01001 has a square polygon with a square hole, given with the wrong
//     winding (exterior clockwise, hole counter-clockwise), an unclosed
//     hole, and coordinates with more than 6 decimals;
//   - 01002 has a point only;
//   - 01004 has neither (null geometry);
//   - 01005 has two polygons, one of them a ring of 3 positions once
//     closed (dropped) — so its MultiPolygon keeps one polygon.
func geoFixture() ([]diag.CommuneResult, *data.Dataset, []diag.SiteResult) {
	inf, nan := math.Inf(1), math.NaN()
	cs := []diag.CommuneResult{
		{Code: "01001", Name: "L'Abergement-Clémenciat", Dep: "01", EPCI: "200069193", Population: 860,
			NbSites: 1, FTE: 2, Per10k: 2.0 / 860 * 10000, NearestMin: 0, Covered: true,
			Access10k: 1.0987654321, Fragility: 42, Gap: 1.2, Rank: 3},
		{Code: "01002", Name: "L'Abergement-de-Varey", Dep: "01", EPCI: "240100883", Population: 270,
			NearestMin: inf, NearestSite: -1, Fragility: nan, Gap: 3.1, Rank: 1},
		{Code: "01004", Name: `Ambérieu "en" Bugey`, Dep: "01", Population: 15934, NearestMin: 12.5,
			Covered: true, Fragility: 10, Gap: -0.0000001, Rank: 4},
		{Code: "01005", Name: "Ambérieux-en-Dombes", Dep: "01", EPCI: "200069193", Population: 1906,
			NearestMin: 31, Fragility: 55.25, Gap: 2.75, Rank: 2},
	}
	outerCW := orb.Ring{{5.0, 46.0}, {5.0, 46.1}, {5.1, 46.1}, {5.1, 46.0}, {5.0, 46.0}}
	holeCCW := orb.Ring{{5.02, 46.02}, {5.08, 46.02}, {5.08, 46.08}, {5.023456789, 46.08}} // unclosed
	ds := &data.Dataset{Communes: []data.Commune{
		{Code: "01001", Polygon: orb.MultiPolygon{{outerCW, holeCCW}}},
		{Code: "01002", Point: orb.Point{5.3012345678, 45.9876543219}, HasPoint: true},
		{Code: "01004"},
		{Code: "01005", Point: orb.Point{4.9, 46.0}, HasPoint: true, Polygon: orb.MultiPolygon{
			{{{4.8, 46.0}, {4.9, 46.0}, {4.9, 46.1}, {4.8, 46.1}, {4.8, 46.0}}},
			{{{4.0, 45.0}, {4.1, 45.0}, {4.0, 45.0}}},
		}},
	}}
	sites := []diag.SiteResult{
		{Site: data.Site{ID: "s1", Name: "Médiathèque", Kind: data.KindCNFS, Point: orb.Point{5.05, 46.05},
			FTE: 2, Commune: "01001"}, Counted: true, SupplyFTE: 2},
		{Site: data.Site{ID: "s2", Name: "Espace numérique", Kind: data.KindMediation, Point: orb.Point{5.31, 45.99},
			FTE: 0.5, Commune: "01002"}},
		{Site: data.Site{ID: "s3", Name: "Sans position", Kind: data.KindOther, Point: orb.Point{nan, 46},
			Commune: "01004"}},
	}
	return cs, ds, sites
}

func writeGeo(t *testing.T, cs []diag.CommuneResult, ds *data.Dataset, sites []diag.SiteResult) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteGeoJSON(&buf, cs, ds, sites); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parseGeo(t *testing.T, b []byte) *geojson.FeatureCollection {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatalf("parse back: %v\n%s", err, b)
	}
	return fc
}

// checkRFC7946 checks every polygon of fc: rings closed, at least 4
// positions, exterior counter-clockwise, holes clockwise (orb's own
// orientation test, independent of the writer's shoelace).
func checkRFC7946(t *testing.T, fc *geojson.FeatureCollection) {
	t.Helper()
	for i, f := range fc.Features {
		mp, ok := f.Geometry.(orb.MultiPolygon)
		if !ok {
			continue
		}
		for _, p := range mp {
			for j, r := range p {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Errorf("feature %d: ring %d not closed or too short: %v", i, j, r)
				}
				want := orb.CCW
				if j > 0 {
					want = orb.CW
				}
				if o := r.Orientation(); o != want {
					t.Errorf("feature %d ring %d: orientation %v, want %v", i, j, o, want)
				}
			}
		}
	}
}

func TestWriteGeoJSONFeatures(t *testing.T) {
	cs, ds, sites := geoFixture()
	b := writeGeo(t, cs, ds, sites)
	fc := parseGeo(t, b)
	if len(fc.Features) != 7 {
		t.Fatalf("%d features, want 4 communes + 3 sites", len(fc.Features))
	}
	checkRFC7946(t, fc)
	for i, f := range fc.Features {
		want, layer := GeoJSONCommuneProperties, "communes"
		if i >= 4 {
			want, layer = GeoJSONSiteProperties, "sites"
		}
		if len(f.Properties) != len(want) {
			t.Errorf("feature %d: %d properties, want %d", i, len(f.Properties), len(want))
		}
		for _, k := range want {
			if _, ok := f.Properties[k]; !ok {
				t.Errorf("feature %d: no property %q", i, k)
			}
		}
		if f.Properties["layer"] != layer {
			t.Errorf("feature %d: layer %v, want %s", i, f.Properties["layer"], layer)
		}
	}
	types := []string{"MultiPolygon", "Point", "", "MultiPolygon", "Point", "Point", ""}
	for i, f := range fc.Features {
		got := ""
		if f.Geometry != nil {
			got = f.Geometry.GeoJSONType()
		}
		if got != types[i] {
			t.Errorf("feature %d: geometry %q, want %q", i, got, types[i])
		}
	}
	// 01001: exterior reversed to CCW, hole closed and reversed to CW.
	mp := fc.Features[0].Geometry.(orb.MultiPolygon)
	if len(mp) != 1 || len(mp[0]) != 2 || len(mp[0][1]) != 5 {
		t.Errorf("01001 geometry %v", mp)
	}
	// 01005: the 3-position ring is dropped.
	if mp := fc.Features[3].Geometry.(orb.MultiPolygon); len(mp) != 1 {
		t.Errorf("01005: %d polygons, want 1", len(mp))
	}
	if fc.Features[0].ID != "01001" {
		t.Errorf("id %v", fc.Features[0].ID)
	}
}

func TestWriteGeoJSONValues(t *testing.T) {
	cs, ds, sites := geoFixture()
	fc := parseGeo(t, writeGeo(t, cs, ds, sites))
	p0, p1, p2 := fc.Features[0].Properties, fc.Features[1].Properties, fc.Features[2].Properties
	tests := []struct {
		got, want any
		what      string
	}{
		{p0["code_insee"], "01001", "code"},
		{p0["nom"], "L'Abergement-Clémenciat", "nom"},
		{p0["population"], 860.0, "population"},
		// 2 / 860 × 10,000 = 23.2558139534…, 6 decimals: 23.255814.
		{p0["conseillers_pour_10k"], 23.255814, "per10k"},
		// 1.0987654321 → 1.098765.
		{p0["acces_e2sfca_pour_10k"], 1.098765, "access"},
		{p0["couvert"], 1.0, "couvert"},
		{p0["temps_site_proche_min"], 0.0, "time 0"},
		{p1["temps_site_proche_min"], nil, "+Inf time is null"},
		{p1["indice_fragilite"], nil, "NaN fragility is null"},
		{p1["couvert"], 0.0, "couvert 0"},
		{p1["code_epci"], "240100883", "epci"},
		{p2["code_epci"], "", "no epci"},
		{p2["nom"], `Ambérieu "en" Bugey`, "quoted name"},
		{p2["score_ecart"], 0.0, "-1e-7 rounds to 0"},
		{fc.Features[4].Properties["compte"], 1.0, "site counted"},
		{fc.Features[4].Properties["etp_retenu"], 2.0, "site supply"},
		{fc.Features[5].Properties["compte"], 0.0, "site not counted"},
		{fc.Features[5].Properties["type"], "mediation", "site kind"},
		{fc.Features[5].Properties["etp"], 0.5, "site fte"},
		{fc.Features[6].Properties["code_insee"], "01004", "site commune"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %#v, want %#v", tt.what, tt.got, tt.want)
		}
	}
	// The point of 01002, rounded to 6 decimals.
	if p := fc.Features[1].Geometry.(orb.Point); p != (orb.Point{5.301235, 45.987654}) {
		t.Errorf("01002 point %v", p)
	}
	// The hole's unclosed corner 5.023456789 is 5.023457.
	hole := fc.Features[0].Geometry.(orb.MultiPolygon)[0][1]
	if !slices.Contains(hole, orb.Point{5.023457, 46.08}) {
		t.Errorf("hole %v lacks [5.023457, 46.08]", hole)
	}
}

// TestWriteGeoJSONText checks the bytes: no number has more than 6
// decimals, no NaN or Infinity token, no "-0", and fixed property order.
func TestWriteGeoJSONText(t *testing.T) {
	cs, ds, sites := geoFixture()
	b := writeGeo(t, cs, ds, sites)
	if m := regexp.MustCompile(`\d\.\d{7,}`).Find(b); m != nil {
		t.Errorf("number with more than 6 decimals: %s", m)
	}
	for _, bad := range []string{"NaN", "Inf", "-0,", "-0]", ":-0}"} {
		if bytes.Contains(b, []byte(bad)) {
			t.Errorf("output holds %q", bad)
		}
	}
	want := `"properties":{"code_insee":"01002","nom":"L'Abergement-de-Varey","code_departement":"01",` +
		`"code_epci":"240100883","population":270,"nb_sites":0,"etp_conseillers":0,"etp_cnfs":0,"conseillers_pour_10k":0,` +
		`"temps_site_proche_min":null,"couvert":0,"acces_e2sfca_pour_10k":0,"indice_fragilite":null,` +
		`"score_ecart":3.1,"rang":1,"part_couverte":0,"layer":"communes"}}`
	if !bytes.Contains(b, []byte(want)) {
		t.Errorf("01002 properties not as expected in\n%s", b)
	}
	if again := writeGeo(t, cs, ds, sites); !bytes.Equal(b, again) {
		t.Error("two runs differ")
	}
	// The dataset is not modified: 01001's exterior is still clockwise.
	if o := ds.Communes[0].Polygon[0][0].Orientation(); o != orb.CW {
		t.Errorf("input polygon reoriented in place: %v", o)
	}
}

// TestWriteGeoJSONCreuse writes the 258 real Creuse polygons
// (france-geojson, COG 2018) and reads them back: 258 features, all
// MultiPolygon, 259 polygons (23179 has 2), 25,009 positions — counted
// with python3 on testdata/real/communes-23-creuse.geojson (the file has
// 5 decimals, so rounding to 6 keeps every position and closes no ring).
func TestWriteGeoJSONCreuse(t *testing.T) {
	ds, cs := creuseDataset(t)
	fc := parseGeo(t, writeGeo(t, cs, ds, nil))
	if len(fc.Features) != 258 {
		t.Fatalf("%d features, want 258", len(fc.Features))
	}
	checkRFC7946(t, fc)
	polys, positions := 0, 0
	for _, f := range fc.Features {
		mp, ok := f.Geometry.(orb.MultiPolygon)
		if !ok {
			t.Fatalf("%v: geometry %T", f.ID, f.Geometry)
		}
		polys += len(mp)
		for _, p := range mp {
			for _, r := range p {
				positions += len(r)
			}
		}
	}
	if polys != 259 || positions != 25009 {
		t.Errorf("%d polygons, %d positions; want 259, 25009", polys, positions)
	}
}

// creuseDataset loads the real Creuse polygons into a dataset, with one
// made-up commune result per polygon (see mapimg_test.go).
func creuseDataset(t testing.TB) (*data.Dataset, []diag.CommuneResult) {
	t.Helper()
	f, err := os.Open("../../testdata/real/communes-23-creuse.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	polys, err := source.ReadPolygons("communes-23-creuse.geojson", f)
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]string, 0, len(polys))
	for c := range polys {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	ds := &data.Dataset{}
	cs := make([]diag.CommuneResult, len(codes))
	for i, c := range codes {
		ds.Communes = append(ds.Communes, data.Commune{Code: c, Dep: "23", Zone: "metro", Polygon: polys[c]})
		cs[i] = diag.CommuneResult{Code: c, Dep: "23", Population: 100 + i, Gap: float64(i), Rank: len(codes) - i,
			NearestSite: -1, Fragility: math.NaN()}
	}
	return ds, cs
}

func TestWriteSitesGeoJSON(t *testing.T) {
	_, _, sites := geoFixture()
	var buf bytes.Buffer
	if err := WriteSitesGeoJSON(&buf, sites[:2]); err != nil {
		t.Fatal(err)
	}
	fc := parseGeo(t, buf.Bytes())
	if len(fc.Features) != 2 {
		t.Fatalf("%d features, want the 2 sites of 01001 and 01002", len(fc.Features))
	}
	for i, id := range []string{"s1", "s2"} {
		if fc.Features[i].Properties["id"] != id || fc.Features[i].Properties["layer"] != "sites" {
			t.Errorf("feature %d: %v", i, fc.Features[i].Properties)
		}
	}
	buf.Reset()
	if err := WriteSitesGeoJSON(&buf, nil); err != nil || buf.String() != "{\"type\":\"FeatureCollection\",\"features\":[]}\n" {
		t.Errorf("empty collection: %q, %v", buf.String(), err)
	}
}

type failWriter struct{}

var errDiskFull = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteGeoJSONErrors(t *testing.T) {
	cs, ds, sites := geoFixture()
	if err := WriteGeoJSON(failWriter{}, cs, ds, sites); !errors.Is(err, errDiskFull) {
		t.Errorf("write error: %v", err)
	}
	if err := WriteSitesGeoJSON(failWriter{}, sites); !errors.Is(err, errDiskFull) {
		t.Errorf("sites write error: %v", err)
	}
	if err := WriteGeoJSON(&bytes.Buffer{}, cs, nil, sites); err == nil {
		t.Error("nil dataset accepted")
	}
}

// TestSitesGeoJSONFTEExact: the sites layer writes each FTE at full
// precision, so that a layer read back with --sites gives the same
// supply bit for bit (an advisor shared by 11 places has 1/11 FTE at
// each): removing and re-adding a site through it changes nothing.
func TestSitesGeoJSONFTEExact(t *testing.T) {
	fte := 1.0 / 11
	sites := []diag.SiteResult{{Site: data.Site{ID: "s1", Name: "Mairie", Kind: data.KindCNFS,
		Point: orb.Point{1.8717123456789, 46.1714987654321}, FTE: fte}, Counted: true, SupplyFTE: fte}}
	var buf bytes.Buffer
	if err := WriteSitesGeoJSON(&buf, sites); err != nil {
		t.Fatal(err)
	}
	back, _, err := data.LoadSites("sites.geojson", &buf, data.SitesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Coordinates are rounded to 1e-6° (0.1 m); a scenario re-adding the
	// same id keeps the site's own point (plan.Scenario.Apply).
	if len(back) != 1 || back[0].FTE != fte || planar.Distance(back[0].Point, sites[0].Point) > 1e-6 {
		t.Errorf("read back %+v, want FTE %v at %v", back, fte, sites[0].Point)
	}
}
