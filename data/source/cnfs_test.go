package source

import (
	"errors"
	"math"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"

	"github.com/paulmach/orb"
)

func TestLoadCNFSStructuresReal(t *testing.T) {
	// cnfs_extract.json: 52 objects of the shared cnfs.json (see
	// PROVENANCE.md). Counted with python3 json on the extract: 80 posts
	// (sum of nb_cnfs), 12 objects without latitude/longitude (objects 2,
	// 3, 4, 6, 42, 46–52), 44 "publique", ids 7 and 539 without
	// code_postal_bis (code_postal 1960 and 2220).
	structs, checks := readExtract(t, LoadCNFSStructures, "sites-real", "cnfs_extract.json")
	// Ids 7 and 539 share a point with different postcodes: a default
	// geocode (DefaultGeocodes), 2 more warnings, 2 more without a point.
	if len(structs) != 52 || checks.Count(data.Rejected) != 0 || checks.Count(data.Warning) != 14 {
		t.Fatalf("got %d structures, checks %s", len(structs), sitesChecksText(checks))
	}
	posts, public, noPoint := 0.0, 0, 0
	for _, s := range structs {
		posts += s.Posts
		if s.Public {
			public++
		}
		if !s.HasPoint {
			noPoint++
		} else if !siteInFrance(s.Point[0], s.Point[1]) {
			t.Errorf("%s: point %v", s.ID, s.Point)
		}
	}
	if posts != 80 || public != 44 || noPoint != 14 {
		t.Errorf("posts %g, public %d, without point %d; want 80, 44, 14", posts, public, noPoint)
	}
	wantLines := []int{2, 3, 4, 6, 42, 46, 47, 48, 49, 50, 51, 52}
	if k := checks[12].Kind; k != data.CheckDefaultGeocode || checks[13].Site != "cn21-539" {
		t.Errorf("checks 12–13: %v", checks[12:])
	}
	for i, c := range checks[:12] {
		if c.Err.Line != wantLines[i] || c.Err.Column != "latitude" || !errors.Is(c.Err, data.ErrBadCoordinate) ||
			!strings.Contains(c.Err.Error(), "objet JSON") {
			t.Errorf("check %d: %v, want line %d", i, c.Err, wantLines[i])
		}
	}
	// Object 1 (id 7): raison_sociale "0", siret "null", privée, code_postal 1960.
	want := Structure{ID: "cn21-7", Posts: 1, Point: orb.Point{4.691, 44.9687}, HasPoint: false,
		Date: "2021-05-19", Postcode: "01960", Line: 1}
	if structs[0] != want {
		t.Errorf("structure 0 = %+v\nwant %+v", structs[0], want)
	}
	if s := structs[4]; s.ID != "cn21-539" || s.Postcode != "02220" {
		t.Errorf("structure 4 = %+v, want cn21-539 with postcode 02220", s)
	}
}

func TestLoadCNFSStructuresObjects(t *testing.T) {
	const ok = `{"id":1,"raison_sociale":"COMMUNE","siret":"21230096300017","type":"publique","nb_cnfs":2,` +
		`"insee_com":"23096","code_postal_bis":"23000","latitude":46.17,"longitude":1.87,` +
		`"date_de_validation_en_comité_de_sélection":"2021-03-24"}`
	tests := []loadCase[Structure]{
		{name: "complete", in: "[" + ok + "]", n: 1, check: func(s Structure) bool {
			return s == Structure{ID: "cn21-1", Name: "COMMUNE", SIRET: "21230096300017", Public: true, Posts: 2,
				Point: orb.Point{1.87, 46.17}, HasPoint: true, INSEE: "23096", Date: "2021-03-24", Postcode: "23000", Line: 1}
		}},
		{name: "strings with decimal comma", in: `[{"id":"5","nb_cnfs":"3","type":"privée","latitude":"46,17","longitude":"1,87","code_postal":1100}]`,
			n: 1, check: func(s Structure) bool {
				return s.ID == "cn21-5" && s.Posts == 3 && s.Point == orb.Point{1.87, 46.17} && s.Postcode == "01100"
			}},
		{name: "zero posts", in: "[" + ok + `,{"id":2,"nb_cnfs":0}]`, n: 1, rejected: data.ErrBadValue, line: 2, column: "nb_cnfs"},
		{name: "posts missing", in: "[" + ok + `,{"id":2}]`, n: 1, rejected: data.ErrBadValue, line: 2, column: "nb_cnfs"},
		{name: "posts not a number", in: "[" + ok + `,{"id":2,"nb_cnfs":"deux"}]`, n: 1, rejected: data.ErrBadNumber, line: 2, column: "nb_cnfs"},
		{name: "duplicate id", in: "[" + ok + "," + ok + "]", n: 1, rejected: data.ErrDuplicate, line: 2, column: "id"},
		{name: "not an object", in: "[" + ok + ",42]", n: 1, rejected: data.ErrBadValue, line: 2},
		{name: "null object", in: "[null," + ok + "]", n: 1, rejected: data.ErrBadValue, line: 1},
		{name: "id is an object", in: `[{"id":{},"nb_cnfs":1}]`, rejected: data.ErrBadValue, line: 1, column: "id"},
		{name: "outside France kept without point", in: `[{"id":1,"nb_cnfs":1,"latitude":0,"longitude":0}]`, n: 1,
			warned: data.ErrOutsideFrance, check: func(s Structure) bool { return !s.HasPoint }},
		{name: "bad type", in: `[{"id":1,"nb_cnfs":1,"type":"mixte","latitude":46.17,"longitude":1.87}]`, n: 1,
			warned: data.ErrBadValue, check: func(s Structure) bool { return !s.Public && s.HasPoint }},
		{name: "bad SIRET", in: `[{"id":1,"nb_cnfs":1,"siret":"1234","latitude":46.17,"longitude":1.87}]`, n: 1,
			warned: data.ErrBadCode, check: func(s Structure) bool { return s.SIRET == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, LoadCNFSStructures, "cnfs.json") })
	}
}

func TestLoadCNFSStructuresBadFile(t *testing.T) {
	tests := []refusal{
		{"empty", "  \n", data.ErrEmptyFile, 0, "", ""},
		{"empty array", "[]", data.ErrEmptyFile, 0, "", ""},
		{"object, not array", `{"id":1}`, data.ErrBadValue, 1, "", ""},
		{"syntax error on line 3", "[\n{\"id\":1},\n{\"id\":2,,}\n]", data.ErrBadValue, 3, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertRefused(t, LoadCNFSStructures, "cnfs.json", tt)
		})
	}
}

func FuzzLoadCNFSStructures(f *testing.F) {
	fuzztest.Seed(f, "../../testdata/sites-real", "cnfs_extract.json")
	f.Add([]byte(`[{"id":"5","nb_cnfs":"3","latitude":"46,17","longitude":1.87},{"id":5,"nb_cnfs":-1},null,3]`))
	fuzzLoad(f, "fuzz.json", LoadCNFSStructures, func(t *testing.T, structs []Structure) {
		seen := map[string]bool{}
		for _, s := range structs {
			if s.ID == "" || seen[s.ID] || !(s.Posts > 0) || math.IsInf(s.Posts, 0) {
				t.Fatalf("bad structure %+v", s)
			}
			seen[s.ID] = true
			if s.HasPoint && !siteInFrance(s.Point[0], s.Point[1]) {
				t.Fatalf("bad point %+v", s)
			}
		}
	})
}

// TestDefaultGeocodeCluster: the 7 structures of the 2021 file that share
// one point in Ardèche (cnfs_gilhoc.json; postcodes 01960, 02220, … of six
// départements, 9 posts) are caught as a default geocode and lose their
// point; the ordinary Ardèche structure after them keeps its own.
func TestDefaultGeocodeCluster(t *testing.T) {
	structs, checks := readExtract(t, LoadCNFSStructures, "sites-real", "cnfs_gilhoc.json")
	if len(structs) != 8 {
		t.Fatalf("%d structures, want 8", len(structs))
	}
	caught, posts := 0, 0.0
	for _, c := range checks {
		if c.Kind == data.CheckDefaultGeocode && strings.Contains(c.Err.Error(), "partagé par 7 structures de 7 communes différentes") {
			caught++
		}
	}
	for _, s := range structs[:7] {
		posts += s.Posts
		if s.HasPoint {
			t.Errorf("%s keeps the default point", s.ID)
		}
	}
	if caught != 7 || posts != 9 || !structs[7].HasPoint {
		t.Errorf("caught %d (want 7), posts %g (want 9), last has point %v; checks %s", caught, posts, structs[7].HasPoint, sitesChecksText(checks))
	}
}
