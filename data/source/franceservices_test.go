package source

import (
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"

	"github.com/paulmach/orb"
)

func TestLoadFranceServicesReal(t *testing.T) {
	// Counts: python3 csv.DictReader on the shared liste-fs-20240801.csv,
	// rows with insee_dep == "23" (21) and "974" (29), as PROVENANCE says.
	tests := []struct {
		file  string
		n     int
		dep   string
		index int
		want  data.Site
	}{
		{"fs_23.csv", 21, "23", 0, data.Site{ID: "fs-137", Name: "France services Boussac", Kind: data.KindFranceServices,
			Point: orb.Point{2.216669, 46.34908}, FTE: 1, INSEE: "23031", Postcode: "23600",
			Source: "france-services", Date: "2024-08-01", Line: 2}},
		{"fs_974.csv", 29, "974", 28, data.Site{ID: "fs-3242", Name: "France services de Saint-Louis - AORA Médiation",
			Kind: data.KindFranceServices, Point: orb.Point{55.4064796217424, -21.290385147613}, FTE: 1,
			INSEE: "97414", Postcode: "97450", Source: "france-services", Date: "2024-08-01", Line: 30}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			sites, checks, err := LoadFranceServices(tt.file, sitesRealOpen(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(sites) != tt.n || len(checks) != 0 {
				t.Fatalf("got %d sites, %d checks (%v), want %d, 0", len(sites), len(checks), checks, tt.n)
			}
			sitesAssertValid(t, sites)
			if got := sites[tt.index]; got != tt.want {
				t.Errorf("site %d = %+v\nwant %+v", tt.index, got, tt.want)
			}
			for _, s := range sites {
				if !strings.HasPrefix(s.INSEE, tt.dep) {
					t.Errorf("site %s: INSEE %s not in %s", s.ID, s.INSEE, tt.dep)
				}
			}
		})
	}
}

const fsHeader = "id_fs;lib_fs;insee_com;code_postal;latitude;longitude;format_fs\n"

func TestLoadFranceServicesRows(t *testing.T) {
	tests := []loadCase[data.Site]{ // in: the rows after the header (line 1)
		{name: "decimal comma, lost zeros", in: "9;A;1033;1200;\"46,1\";\"5,8\";Fixe\n", n: 1,
			check: func(s data.Site) bool {
				return s.INSEE == "01033" && s.Postcode == "01200" && s.Point == orb.Point{5.8, 46.1}
			}},
		{name: "swapped", in: "9;A;01033;01200;5.8;46.1;Fixe\n", rejected: data.ErrSwappedLatLon, line: 2, column: "latitude"},
		{name: "outside France", in: "1;A;01033;01200;46.1;5.8;Fixe\n9;B;01033;01200;0;0;Fixe\n", n: 1,
			rejected: data.ErrOutsideFrance, line: 3, column: "latitude"},
		{name: "not a number", in: "9;A;01033;01200;46.1;abc;Fixe\n", rejected: data.ErrBadNumber, line: 2, column: "longitude"},
		{name: "empty latitude", in: "9;A;01033;01200;;5.8;Fixe\n", rejected: data.ErrBadNumber, line: 2, column: "latitude"},
		{name: "no id", in: "1;A;01033;01200;46.1;5.8;Fixe\n;B;01033;01200;46.1;5.8;Fixe\n", n: 1,
			rejected: data.ErrBadValue, line: 3, column: "id_fs"},
		{name: "duplicate id", in: "9;A;01033;01200;46.1;5.8;Fixe\n9;B;01033;01200;46.2;5.8;Fixe\n", n: 1,
			rejected: data.ErrDuplicate, line: 3, column: "id_fs"},
		{name: "bad INSEE kept", in: "9;A;ABCDE;01200;46.1;5.8;Fixe\n", n: 1, warned: data.ErrBadCode,
			check: func(s data.Site) bool { return s.INSEE == "" && s.Postcode == "01200" }},
		{name: "multi-line name", in: "9;\"A\nB\";01033;01200;46.1;5.8;Fixe\n8;C;01033;01200;x;5.8;Fixe\n", n: 1,
			rejected: data.ErrBadNumber, line: 4, column: "latitude"},
	}
	for _, tt := range tests {
		tt.in = fsHeader + tt.in
		t.Run(tt.name, func(t *testing.T) { tt.run(t, LoadFranceServices, "fs.csv") })
	}
}

func TestLoadFranceServicesMissingColumn(t *testing.T) {
	assertRefused(t, LoadFranceServices, "fs.csv", refusal{name: "no longitude", in: "id_fs;lib_fs;insee_com;code_postal;latitude\n1;A;01033;01200;46.1\n",
		err: data.ErrMissingColumn, line: 1, column: "longitude"})
}

func FuzzLoadFranceServices(f *testing.F) {
	fuzztest.Seed(f, "../../testdata/sites-real", "fs_23.csv", "fs_974.csv")
	f.Add([]byte(fsHeader + "9;A;1033;1200;\"46,1\";\"5,8\";Fixe\n9;A;x;y;5.8;46.1;\n"))
	fuzzSites(f, "fuzz.csv", LoadFranceServices)
}
