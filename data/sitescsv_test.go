package data

import (
	"bytes"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// testKnownCodes are communes actuelles of the COG 2025 (checked in
// shared/data/decoupage-administratif/communes.json), for SitesOptions.Known.
var testKnownCodes = map[string]bool{
	"23001": true, "23008": true, "23013": true, "23031": true, "23096": true, // Creuse
	"01053": true, "2A004": true, "75056": true, "97411": true,
}

func testKnown(code string) bool { return testKnownCodes[code] }

// sitesCase is a case of a sites loader: its input, the sites it keeps
// and the text of its checks, in order.
type sitesCase struct {
	name   string
	input  string
	sites  []Site
	checks []string
}

// withoutLines returns a copy of sites with their Line cleared, to
// compare sites read from files of different layouts (CSV and GeoJSON, a
// written and reloaded file); TestSitesKeepTheirLines checks the lines.
func withoutLines(sites []Site) []Site {
	out := slices.Clone(sites)
	for i := range out {
		out[i].Line = 0
	}
	return out
}

// testSitesLoader runs each case through load, reading the input as file;
// the cases' sites leave Line out (TestSitesKeepTheirLines checks it).
func testSitesLoader(t *testing.T, file string, cases []sitesCase, load func(string, io.Reader, SitesOptions) ([]Site, Checks, error)) {
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			sites, checks, err := load(file, strings.NewReader(tt.input), SitesOptions{Known: testKnown})
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if !reflect.DeepEqual(withoutLines(sites), tt.sites) {
				t.Errorf("sites:\n got %+v\nwant %+v", sites, tt.sites)
			}
			if got := checkTexts(checks); !reflect.DeepEqual(got, tt.checks) {
				t.Errorf("checks:\n got %q\nwant %q", got, tt.checks)
			}
		})
	}
}

var loadSitesTests = []sitesCase{{
	name: "minimal columns, FTE defaults to 1",
	input: "id,nom,type,latitude,longitude\n" +
		"a,Mairie,cnfs,46.34908,2.216669\n",
	sites: []Site{{ID: "a", Name: "Mairie", Kind: KindCNFS, Point: orb.Point{2.216669, 46.34908}, FTE: 1}},
}, {
	name: "French Excel: semicolons, decimal commas, lost zero, Corsica, overseas, aliases",
	input: "ID;Nom;Type;Lat;Lng;ETP;INSEE;CP\n" +
		"a;Bourg;Conseiller numérique;46,2052;5,2255;0,5;1053;1000\n" +
		"b;Ajaccio;France Services;41,9192;8,7386;;2a004;20000\n" +
		"c;Saint-Denis;Médiation numérique;-20,8821;55,4504;2;97411;97400\n" +
		"d;Accès;AUTRE;46,1;2,1;0;;\n",
	sites: []Site{
		{ID: "a", Name: "Bourg", Kind: KindCNFS, Point: orb.Point{5.2255, 46.2052}, FTE: 0.5, INSEE: "01053", Postcode: "01000"},
		{ID: "b", Name: "Ajaccio", Kind: KindFranceServices, Point: orb.Point{8.7386, 41.9192}, FTE: 1, INSEE: "2A004", Postcode: "20000"},
		{ID: "c", Name: "Saint-Denis", Kind: KindMediation, Point: orb.Point{55.4504, -20.8821}, FTE: 2, INSEE: "97411", Postcode: "97400"},
		{ID: "d", Name: "Accès", Kind: KindOther, Point: orb.Point{2.1, 46.1}, FTE: 0},
	},
}, {
	name: "optional columns round-trip; bad ones are warnings",
	input: "id\tnom\ttype\tlatitude\tlongitude\tetp\tcode_insee\tcode_postal\tsiret\tsource\tdate\n" +
		"a\tX\tcnfs\t46.1\t2.1\t1\t23031\t23600\t130 026 032 00016\tcnfs-2022\t09/05/2022\n" +
		"b\tY\tcnfs\t46.2\t2.2\t1\t23031\t236\t123\tcnfs-2022\tmai 2022\n",
	sites: []Site{
		{ID: "a", Name: "X", Kind: KindCNFS, Point: orb.Point{2.1, 46.1}, FTE: 1, INSEE: "23031", Postcode: "23600",
			SIRET: "13002603200016", Source: "cnfs-2022", Date: "2022-05-09"},
		{ID: "b", Name: "Y", Kind: KindCNFS, Point: orb.Point{2.2, 46.2}, FTE: 1, INSEE: "23031", Source: "cnfs-2022"},
	},
	checks: []string{
		`t.csv:3: colonne "code_postal" : code mal formé : code postal "236" : attendu 5 chiffres, par exemple 01100 ; valeur ignorée pour le lieu "b"`,
		`t.csv:3: colonne "siret" : code mal formé : SIRET "123" : attendu 14 chiffres ; valeur ignorée pour le lieu "b"`,
		`t.csv:3: colonne "date" : valeur invalide : date "mai 2022" : attendu AAAA-MM-JJ ou JJ/MM/AAAA ; valeur ignorée pour le lieu "b"`,
	},
}, {
	name: "quoted name with newline: later rows keep their physical lines",
	input: "id,nom,type,latitude,longitude\n" +
		"a,\"Maison\nFrance services\",france-services,46.1,2.1\n" +
		"b,B,cnfs,abc,2.1\n",
	sites:  []Site{{ID: "a", Name: "Maison\nFrance services", Kind: KindFranceServices, Point: orb.Point{2.1, 46.1}, FTE: 1}},
	checks: []string{`t.csv:4: colonne "latitude" : coordonnée invalide : latitude "abc" n'est pas un nombre (aucun chiffre)`},
}, {
	name: "Windows-1252 name, unknown code cleared",
	input: "id;nom;type;latitude;longitude;etp;code_insee\n" +
		"a;Gu\xE9ret;cnfs;46,171;1,871;1;23096\n" +
		"b;Ch\xE9n\xE9railles;cnfs;46,111;2,176;1;23061\n",
	sites: []Site{
		{ID: "a", Name: "Guéret", Kind: KindCNFS, Point: orb.Point{1.871, 46.171}, FTE: 1, INSEE: "23096"},
		{ID: "b", Name: "Chénérailles", Kind: KindCNFS, Point: orb.Point{2.176, 46.111}, FTE: 1},
	},
	checks: []string{`t.csv:3: colonne "code_insee" : code INSEE inconnu : le lieu "b" déclare 23061, qui n'est pas une commune ; code ignoré, la commune sera déduite des coordonnées`},
}, {
	name:  "empty id and latitude hors de la plage des nombres représentables",
	input: "id,nom,type,latitude,longitude\n,A,cnfs,46.1,2.1\nb,B,cnfs,95,2.1\nc,C,cnfs,46.1,2.1\n",
	sites: []Site{{ID: "c", Name: "C", Kind: KindCNFS, Point: orb.Point{2.1, 46.1}, FTE: 1}},
	checks: []string{
		`t.csv:2: colonne "id" : valeur invalide : id vide`,
		`t.csv:3: colonne "latitude" : coordonnée invalide : latitude 95 hors de [-90, 90]`,
	},
}}

func TestLoadSitesCSV(t *testing.T) {
	testSitesLoader(t, "t.csv", loadSitesTests, LoadSitesCSV)
}

func checkTexts(c Checks) []string {
	var s []string
	for _, x := range c {
		s = append(s, x.Err.Error())
	}
	return s
}

func TestLoadSitesCSVHugeLine(t *testing.T) {
	input := "id,nom,type,latitude,longitude\na,A,cnfs,46.1,2.1\nb," + strings.Repeat("B", 10<<20) + ",cnfs,46.1,2.1\n"
	_, _, err := LoadSitesCSV("huge.csv", strings.NewReader(input), SitesOptions{})
	checkParseError(t, err, ErrTooLarge, "huge.csv:3: entrée au-delà des limites : ligne de plus de 1 Mio", "huge.csv", 3)
}

// TestLoadSitesCreuse loads the 21 France Services of Creuse (see
// testdata/sites/PROVENANCE.md for the count) in the documented format and
// in a French Excel export of the same rows; both give the same sites.
func TestLoadSitesCreuse(t *testing.T) {
	var loaded [2][]Site
	for i, name := range []string{"creuse-france-services.csv", "creuse-france-services-excel.csv"} {
		sites, checks, err := LoadSitesCSV(name, openTestdata(t, "sites/"+name), SitesOptions{})
		if err != nil || len(checks) != 0 {
			t.Fatalf("%s: %v, checks %v", name, err, checkTexts(checks))
		}
		if len(sites) != 21 {
			t.Fatalf("%s: %d sites, want 21", name, len(sites))
		}
		// Row id_fs 137 of liste-fs-20240801.csv: Boussac, 46.34908, 2.216669, 23031, 23600.
		want := Site{ID: "fs-137", Name: "France services Boussac", Kind: KindFranceServices,
			Point: orb.Point{2.216669, 46.34908}, FTE: 1, INSEE: "23031", Postcode: "23600",
			Source: "france-services", Date: "2024-08-01", Line: 2}
		if !reflect.DeepEqual(sites[0], want) {
			t.Errorf("%s: first site %+v\nwant %+v", name, sites[0], want)
		}
		loaded[i] = sites
	}
	if !reflect.DeepEqual(loaded[0], loaded[1]) {
		t.Errorf("the Excel export does not load to the same sites")
	}
	// Auzances has two sites (ids 2166, the bus, and 2727) with different
	// names, 39.6 m apart: not reported as duplicates.
	fte := 0.0
	for _, s := range loaded[0] {
		fte += s.FTE
	}
	if fte != 21 {
		t.Errorf("total FTE %v, want 21 (default 1 per site)", fte)
	}
}

// TestWriteSitesCSVRoundTrip checks that WriteSitesCSV output loads back to
// the same sites, including the optional columns and awkward texts.
func TestWriteSitesCSVRoundTrip(t *testing.T) {
	sites := []Site{
		{ID: "a", Name: `Maison "France services", Guéret`, Kind: KindFranceServices, Point: orb.Point{1.8714, 46.1712},
			FTE: 0.1 + 0.2, INSEE: "23096", Postcode: "23000", SIRET: "13002603200016", Source: "fs", Date: "2024-08-01"},
		{ID: "b;2", Name: "Ajaccio\nport", Kind: KindMediation, Point: orb.Point{8.7386, 41.9192}, FTE: 0, INSEE: "2A004"},
		{ID: "c", Name: "Saint-Denis", Kind: KindOther, Point: orb.Point{55.45039999999999, -20.8821}, FTE: 1e-9},
	}
	var buf bytes.Buffer
	if err := WriteSitesCSV(&buf, sites); err != nil {
		t.Fatal(err)
	}
	got, checks, err := LoadSitesCSV("rt.csv", &buf, SitesOptions{})
	if err != nil || len(checks) != 0 {
		t.Fatalf("load: %v %v", err, checkTexts(checks))
	}
	if !reflect.DeepEqual(withoutLines(got), sites) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, sites)
	}
	if math.Float64bits(got[0].FTE) != math.Float64bits(0.1+0.2) {
		t.Errorf("FTE %v not bit-identical", got[0].FTE)
	}
}

func TestParseKind(t *testing.T) {
	tests := map[string]SiteKind{
		"cnfs": KindCNFS, "CNFS": KindCNFS, "Conseiller numérique": KindCNFS, "conseillers_numeriques": KindCNFS,
		"france-services": KindFranceServices, "France Services": KindFranceServices, "FRANCE_SERVICES": KindFranceServices,
		"mediation": KindMediation, "Lieu de médiation numérique": KindMediation, "autre": KindOther, "Other": KindOther,
		"": KindUnknown, "bibliothèque": KindUnknown, "inconnu": KindUnknown,
	}
	for in, want := range tests {
		if got, ok := ParseKind(in); got != want || ok != (want != KindUnknown) {
			t.Errorf("ParseKind(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
}

// TestLoadSitesCSVChecked: two sites of one name 11 m apart are a probable
// duplicate (one warning, line 3) unless the file was already checked by
// make data (SitesOptions.Checked), whose checks already list it.
func TestLoadSitesCSVChecked(t *testing.T) {
	const input = "id,nom,type,latitude,longitude\na,Mairie d'Ahun,cnfs,46.0800,1.9300\nb,MAIRIE D AHUN,cnfs,46.0801,1.9300\n"
	for _, checked := range []bool{false, true} {
		sites, checks, err := LoadSitesCSV("t.csv", strings.NewReader(input), SitesOptions{Checked: checked})
		if err != nil || len(sites) != 2 {
			t.Fatalf("checked=%v: %d sites, err %v", checked, len(sites), err)
		}
		want := 1
		if checked {
			want = 0
		}
		if len(checks) != want {
			t.Fatalf("checked=%v: %d checks, want %d: %v", checked, len(checks), want, checks)
		}
		if want == 1 && (checks[0].Kind != CheckDuplicate || checks[0].Err.Line != 3 || checks[0].Site != "b") {
			t.Errorf("check %+v, want a duplicate of site b at line 3", checks[0])
		}
	}
}

// TestSitesKeepTheirLines checks that each loaded site keeps where it
// stands in its file (Site.Line, which names it in the checks made after
// loading, such as an id already used by another --sites file): the
// physical line of a CSV record, past a quoted line break and a rejected
// row, and the line where a GeoJSON feature starts.
func TestSitesKeepTheirLines(t *testing.T) {
	lines := func(sites []Site) []int {
		var out []int
		for _, s := range sites {
			out = append(out, s.Line)
		}
		return out
	}
	csv := "id,nom,type,latitude,longitude\n" + // line 1
		"a,\"Maison\nFrance services\",cnfs,46.1,2.1\n" + // lines 2-3
		"b,B,cnfs,abc,2.1\n" + // line 4: rejected
		"c,C,cnfs,46.2,2.2\n" // line 5
	sites, _, err := LoadSitesCSV("t.csv", strings.NewReader(csv), SitesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(sites); !slices.Equal(got, []int{2, 5}) {
		t.Errorf("CSV lines %v, want [2 5]", got)
	}
	geo := `{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"id": "a", "nom": "A", "type": "cnfs"},
   "geometry": {"type": "Point", "coordinates": [2.1, 46.1]}},
  {"type": "Feature",
   "properties": {"id": "b", "nom": "B", "type": "cnfs"},
   "geometry": {"type": "Point", "coordinates": [2.2, 46.2]}}
]}`
	// A file is read in a single pass; a stream (no io.ReaderAt) by the
	// decoder.
	for _, r := range []io.Reader{strings.NewReader(geo), struct{ io.Reader }{strings.NewReader(geo)}} {
		sites, _, err = LoadSites("t.geojson", r, SitesOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(sites); !slices.Equal(got, []int{2, 4}) {
			t.Errorf("%T: GeoJSON lines %v, want [2 4]", r, got)
		}
	}
}
