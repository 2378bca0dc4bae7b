package source

import (
	"errors"
	"os"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"

	"github.com/paulmach/orb"
)

// TestLoadAidantsConnect reads the extract of the Aidants Connect export
// (testdata/aidants-connect, 66 structures, counted with python3's csv
// module): the 63 of Creuse, one inactive structure, one without an INSEE
// code, one labelled France Services elsewhere. Of the 66: 3 inactive and
// 15 France Services are skipped (one warning each), 1 is rejected, 47 are
// kept as sites of kind autre.
func TestLoadAidantsConnect(t *testing.T) {
	f, err := os.Open("../../testdata/aidants-connect/structures_23.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sites, checks, err := LoadAidantsConnect("ac.csv", f)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 47 {
		t.Fatalf("got %d sites, want 47", len(sites))
	}
	want := data.Site{ID: "ac-622", Name: "La Quincaillerie", Kind: data.KindOther, INSEE: "23096", Postcode: sites[0].Postcode,
		SIRET: "20003482500014", Source: SourceAidantsConnect, Line: 4} // line 2 holds a quoted line break
	if sites[0] != want {
		t.Errorf("first site %+v\nwant %+v", sites[0], want)
	}
	guéret := 0
	for _, s := range sites {
		if s.INSEE == "23096" {
			guéret++
		}
	}
	if guéret != 8 {
		t.Errorf("%d structures in Guéret, want 8", guéret)
	}
	var inactive, fs, noINSEE int
	for _, c := range checks {
		switch {
		case c.Err.Column == colACActive && strings.Contains(c.Err.Error(), "3 structures inactives"):
			inactive++
		case c.Err.Column == colACFS && errors.Is(c.Err, data.ErrDuplicate) && strings.Contains(c.Err.Error(), "15 structures"):
			fs++
		case c.Severity == data.Rejected && c.Err.Column == colACINSEE:
			noINSEE++
		}
	}
	if inactive != 1 || fs != 1 || noINSEE != 1 || len(checks) != 3 {
		t.Errorf("checks %v: want the inactive and France Services counts and 1 rejection", checks)
	}
	assertRefused(t, LoadAidantsConnect, "x.csv", refusal{name: "missing columns", in: "Name,ID\na,1\n", err: data.ErrMissingColumn, line: 1})
	if !IsAidantsConnect("Name,ID,UUID,Is Active,City Insee Code,Address,Zip Code,Siret,France Services Label,City,Nombre d'aidants") ||
		IsAidantsConnect("id,nom,type,latitude,longitude") {
		t.Error("IsAidantsConnect does not tell the export's header from a sites file's")
	}
}

// TestPlaceAtCommunes: two sites in a commune with a point get it, one
// in a commune without is rejected; one warning counts the 2 placed.
func TestPlaceAtCommunes(t *testing.T) {
	pt := orb.Point{1.87, 46.17}
	point := func(code string) (orb.Point, bool) { return pt, code == "23096" }
	sites := []data.Site{{ID: "a", INSEE: "23096"}, {ID: "b", INSEE: "99999"}, {ID: "c", INSEE: "23096"}}
	kept, checks := PlaceAtCommunes("f", sites, point)
	if len(kept) != 2 || kept[0].ID != "a" || kept[1].ID != "c" || kept[0].Point != pt || kept[1].Point != pt {
		t.Fatalf("kept %+v", kept)
	}
	if sites[1].ID != "b" {
		t.Error("PlaceAtCommunes changed its input")
	}
	if len(checks) != 2 || checks[0].Severity != data.Rejected || checks[0].Site != "b" ||
		checks[1].Kind != data.CheckCommunePoint || !strings.Contains(checks[1].Err.Error(), "2 lieux") {
		t.Errorf("checks %v", checks)
	}
}

func FuzzLoadAidantsConnect(f *testing.F) {
	fuzztest.Seed(f, "../../testdata/aidants-connect", "structures_23.csv")
	f.Add([]byte("Name,ID,Is Active,City Insee Code,Zip Code,Siret,France Services Label\n\"a,\nb\",1,true,2A004,20000,1.0,false\n,1,x,,,,\n"))
	fuzzLoad(f, "fuzz.csv", LoadAidantsConnect, func(t *testing.T, sites []data.Site) {
		for _, s := range sites {
			if s.INSEE == "" || s.Kind != data.KindOther || !strings.HasPrefix(s.ID, "ac-") {
				t.Fatalf("site %+v", s)
			}
		}
	})
}
