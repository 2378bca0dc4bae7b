package source

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"

	"github.com/paulmach/orb"
)

// polygonStats counts polygons and points and checks the RFC 7946
// orientation of every ring.
func polygonStats(t *testing.T, polys map[string]orb.MultiPolygon) (npoly, npts int) {
	t.Helper()
	for code, mp := range polys {
		npoly += len(mp)
		for _, p := range mp {
			for i, r := range p {
				npts += len(r)
				if want := map[bool]orb.Orientation{true: orb.CCW, false: orb.CW}[i == 0]; r.Orientation() != want {
					t.Errorf("%s ring %d orientation %v, want %v", code, i, r.Orientation(), want)
				}
			}
		}
	}
	return npoly, npts
}

func TestReadPolygonsCreuse(t *testing.T) {
	polys := creusePolygons(t)
	// python3 on the file: 258 features (257 Polygon, 1 MultiPolygon:
	// 23179 with 2 parts), 259 polygons, no hole, 25,009 positions; every
	// exterior ring is clockwise in the source, so all 259 get reversed.
	npoly, npts := polygonStats(t, polys)
	if len(polys) != 258 || npoly != 259 || npts != 25_009 || len(polys["23179"]) != 2 {
		t.Errorf("%d codes, %d polygons, %d points, 23179 has %d parts; want 258, 259, 25009, 2",
			len(polys), npoly, npts, len(polys["23179"]))
	}
}

func TestFoldPolygonsCreuse(t *testing.T) {
	polys := creusePolygons(t)
	own := polys["23149"][0]
	folded, checks := FoldPolygons("communes-23-creuse.geojson", polys, realCOG(t).Resolver())
	// COG 2018 → 2025: 23023 → 23149, 23126 → 23189, 23121 → 23109
	// (France-geojson PROVENANCE), so 255 communes, still 259 polygons.
	npoly, _ := polygonStats(t, folded)
	if len(folded) != 255 || npoly != 259 || len(checks) != 0 {
		t.Fatalf("%d communes, %d polygons, checks %v; want 255, 259, none", len(folded), npoly, checks)
	}
	for _, code := range []string{"23149", "23189", "23109"} {
		if len(folded[code]) != 2 {
			t.Errorf("%s has %d polygons, want 2", code, len(folded[code]))
		}
	}
	if !folded["23149"][0].Equal(own) || folded["23149"][1].Equal(own) {
		t.Error("23149: its own polygon should come first")
	}
	for _, old := range []string{"23023", "23126", "23121"} {
		if _, ok := folded[old]; ok {
			t.Errorf("old code %s still present", old)
		}
	}
	if len(polys["23149"]) != 1 {
		t.Errorf("FoldPolygons changed its input: 23149 has %d polygons", len(polys["23149"]))
	}
	c := realCOG(t)
	if n := AttachPolygons(c.Communes, folded); n != 255 {
		t.Errorf("AttachPolygons = %d, want 255", n)
	}
	// A code the COG does not know is dropped with a Warning on the file's
	// code property.
	_, checks = FoldPolygons("p.geojson", map[string]orb.MultiPolygon{"99999": polys["23149"]}, c.Resolver())
	if len(checks) != 1 || checks[0].Severity != data.Warning || !errors.Is(checks[0].Err, data.ErrUnknownINSEE) ||
		checks[0].Err.File != "p.geojson" || checks[0].Err.Column != "code" {
		t.Errorf("unknown code: checks %v", checks)
	}
}

func TestReadPolygonsDepartements(t *testing.T) {
	polys, err := ReadPolygons("departements-5.geojson", realExtract(t, "departements-5.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	// 5 features of departements-avec-outre-mer: 23, 75, 93 (Polygon), 2A
	// (11 parts), 974 (2 parts); 16 polygons, 5,696 positions (python3).
	npoly, npts := polygonStats(t, polys)
	if len(polys) != 5 || npoly != 16 || npts != 5_696 || len(polys["2A"]) != 11 || len(polys["974"]) != 2 {
		t.Errorf("%d codes, %d polygons, %d points", len(polys), npoly, npts)
	}
}

func TestOrientRFC7946(t *testing.T) {
	cw := orb.Ring{{0, 0}, {0, 4}, {4, 4}, {4, 0}, {0, 0}}  // clockwise square
	ccw := orb.Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}} // counter-clockwise hole
	flat := orb.Ring{{0, 0}, {1, 1}, {2, 2}, {0, 0}}        // zero area: left alone
	mp := OrientRFC7946(orb.MultiPolygon{{cw, ccw}, {flat}})
	want := orb.MultiPolygon{
		{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}},
		{{{0, 0}, {1, 1}, {2, 2}, {0, 0}}},
	}
	if !mp.Equal(want) {
		t.Errorf("got %v, want %v", mp, want)
	}
	if again := OrientRFC7946(mp); !again.Equal(want) {
		t.Error("not idempotent")
	}
}

func TestReadPolygonsMalformed(t *testing.T) {
	feat := func(code, geom string) string {
		return `{"type":"Feature","properties":{"code":` + code + `,"nom":"x"},"geometry":` + geom + `}`
	}
	const sq = `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`
	fc := func(fs ...string) string {
		return "{\"type\":\"FeatureCollection\",\"features\":[\n" + strings.Join(fs, ",\n") + "\n]}"
	}
	tests := []refusal{
		{"unclosed ring", fc(feat(`"23001"`, sq), feat(`"23096"`, `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`)),
			data.ErrBadValue, 3, "", `objet (feature) 1 (code "23096") : polygone 0 anneau 0 : valeur invalide : anneau non fermé`},
		{"three points", fc(feat(`"23001"`, `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`)), data.ErrBadValue, 2, "", "3 points"},
		{"latitude 91", fc(feat(`"23001"`, `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,91],[0,0]]]]}`)), data.ErrBadCoordinate, 2, "", "[1, 91]"},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, data.ErrEmptyFile, 0, "", "aucun objet (feature)"},
		{"no features key", `{"type":"FeatureCollection"}`, data.ErrEmptyFile, 0, "", "aucun objet (feature)"},
		{"numeric code", fc(feat(`23001`, sq)), data.ErrBadCode, 2, "", "code"},
		{"point geometry", fc(feat(`"23001"`, `{"type":"Point","coordinates":[0,0]}`)), data.ErrBadValue, 2, "", "géométrie Point"},
		{"null geometry", fc(feat(`"23001"`, `null`)), data.ErrBadValue, 2, "", "pas de géométrie"},
		{"duplicate code", fc(feat(`"23001"`, sq), feat(`"23001"`, sq)), data.ErrDuplicate, 3, "", "objet (feature) 1"},
		{"not a collection", `{"type":"Feature"}`, data.ErrBadValue, 1, "", "FeatureCollection"},
		{"array", `[]`, data.ErrBadValue, 1, "", "FeatureCollection"},
		{"bad json", "{\"type\":\"FeatureCollection\",\n\"features\":[{]}", data.ErrBadValue, 2, "", "caractère ']' inattendu"},
		{"bad feature", fc(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":"x"}}`), data.ErrBadValue, 2, "", "objet (feature) 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPolygons("p.geojson", strings.NewReader(tt.in))
			tt.check(t, "p.geojson", err)
		})
	}
}

func TestFoldPolygonsUnknown(t *testing.T) {
	sq := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}
	res := NewResolver([]data.Commune{{Code: "23096"}}, map[string]string{"23500": "23096"})
	out, checks := FoldPolygons("p", map[string]orb.MultiPolygon{"23096": sq, "23500": sq, "23999": sq}, res)
	if len(out) != 1 || len(out["23096"]) != 2 || len(checks) != 1 || !errors.Is(checks[0].Err, data.ErrUnknownINSEE) ||
		!strings.Contains(checks[0].Err.Error(), "23999") {
		t.Errorf("out %v, checks %v", out, checks)
	}
}

// FuzzPolygons: ReadPolygons returns an error or closed, finite,
// RFC 7946-oriented rings.
func FuzzPolygons(f *testing.F) {
	f.Add(realExtractBytes(f, "departements-5.geojson"))
	creuse := realExtractBytes(f, "communes-23-creuse.geojson")
	if i := bytes.Index(creuse[1000:], []byte(`{"type":"Feature"`)); i > 0 {
		f.Add(append(append([]byte(nil), creuse[:1000+i-1]...), "]}"...)) // the first feature(s)
	}
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[0,1],[1,1],[0,0]],[[0.1,0.1],[0.2,0.1],[0.2,0.2],[0.1,0.1]]]]}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		polys, err := ReadPolygons("fuzz.geojson", bytes.NewReader(b))
		if fuzztest.Refused[*data.ParseError](t, err) {
			return
		}
		for code, mp := range polys {
			for _, p := range mp {
				for i, r := range p {
					if !r.Closed() || math.IsNaN(r[0][0]) || math.IsNaN(r[0][1]) {
						t.Fatalf("%s: bad ring %v", code, r)
					}
					o, want := r.Orientation(), orb.CW
					if i == 0 {
						want = orb.CCW
					}
					if o != 0 && o != want {
						t.Fatalf("%s ring %d orientation %v", code, i, o)
					}
				}
			}
		}
	})
}

// TestPolygonsBinRoundTrip: the real Creuse polygons survive the compact
// format exactly (france-geojson coordinates have 5 decimals).
func TestPolygonsBinRoundTrip(t *testing.T) {
	polys := creusePolygons(t)
	var buf bytes.Buffer
	if err := data.WritePolygonsBin(&buf, polys); err != nil {
		t.Fatal(err)
	}
	got, err := data.ReadPolygonsBin("creuse.bin", bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, polys) {
		t.Fatal("polygons differ after a round trip")
	}
	// 258 features in communes-23-creuse.geojson (france-geojson PROVENANCE).
	if len(got) != 258 {
		t.Errorf("got %d polygons, want 258", len(got))
	}
}
