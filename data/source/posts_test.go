package source

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"diagnum/data"

	"github.com/paulmach/orb"
)

const (
	postsX = "11111111100011" // SIRET of places P0 and P1
	postsZ = "33333333300033" // SIRET matching no place
)

// postsPlaces are three CNFS places on the meridian 2°E. 1° of latitude
// is 6371.0088 × π/180 = 111.19508 km.
func postsPlaces() []data.Site {
	return []data.Site{
		{ID: "P0", Kind: data.KindCNFS, SIRET: postsX, Point: orb.Point{2, 46}},
		{ID: "P1", Kind: data.KindCNFS, SIRET: postsX, Point: orb.Point{2, 46.0045}},
		{ID: "P2", Kind: data.KindCNFS, Point: orb.Point{2, 46.0172}},
	}
}

func TestAllocatePostsHand(t *testing.T) {
	// A (SIRET X, 4 posts) splits over P0 and P1: 2 + 2.
	// B (SIRET Z, 3 posts, at 46.010°N) has no SIRET/SIREN match; distances:
	// P1 0.0055° = 0.61157 km, P2 0.0072° = 0.80060 km, P0 0.010° = 1.11195 km.
	// Radius 1 km: nearest P1 gets 3 → P0 2, P1 5, P2 0.
	// Radius 0.5 km: no place, B becomes a site of 3 FTE.
	structs := []Structure{
		{ID: "cn21-A", SIRET: postsX, Posts: 4, Point: orb.Point{3, 47}, HasPoint: true},
		{ID: "cn21-B", SIRET: postsZ, Posts: 3, Point: orb.Point{2, 46.010}, HasPoint: true, Postcode: "03000"},
	}
	tests := []struct {
		radius float64
		want   map[string]float64
	}{
		{0, map[string]float64{"P0": 2, "P1": 5, "P2": 0}}, // default 1 km
		{0.5, map[string]float64{"P0": 2, "P1": 2, "P2": 0, "cn21-B": 3}},
		{-1, map[string]float64{"P0": 2, "P1": 2, "P2": 0, "cn21-B": 3}},
		{0.80061, map[string]float64{"P0": 2, "P1": 5, "P2": 0}},
	}
	for _, tt := range tests {
		sites, checks := AllocatePosts(structs, postsPlaces(), PostOptions{RadiusKm: tt.radius})
		if len(checks) != 0 || len(sites) != len(tt.want) {
			t.Fatalf("radius %g: %d sites, checks %s", tt.radius, len(sites), sitesChecksText(checks))
		}
		for _, s := range sites {
			if w, ok := tt.want[s.ID]; !ok || math.Abs(s.FTE-w) > 1e-12 {
				t.Errorf("radius %g: %s FTE %g, want %g", tt.radius, s.ID, s.FTE, w)
			}
			if s.ID == "cn21-B" && (s.Kind != data.KindCNFS || s.Source != "cnfs-2021" || s.Postcode != "03000" || s.Point != structs[1].Point) {
				t.Errorf("structure site %+v", s)
			}
		}
	}
}

func TestMatchPostsRules(t *testing.T) {
	fs := data.Site{ID: "FS", Kind: data.KindFranceServices, SIRET: postsX, Point: orb.Point{2, 46.01}, FTE: 1}
	tests := []struct {
		name string
		s    Structure
		rule MatchRule
		fte  map[string]float64 // expected FTE of every output site
	}{
		{"SIRET", Structure{ID: "s", SIRET: postsX, Posts: 3}, MatchSIRET,
			map[string]float64{"P0": 1.5, "P1": 1.5, "P2": 0, "FS": 1}},
		{"SIREN", Structure{ID: "s", SIRET: "11111111199999", Posts: 1}, MatchSIREN,
			map[string]float64{"P0": 0.5, "P1": 0.5, "P2": 0, "FS": 1}},
		// At 46.0172°N: P2 is 0 km away; the France Services site is ignored.
		{"nearest", Structure{ID: "s", SIRET: postsZ, Posts: 2, Point: orb.Point{2, 46.0172}, HasPoint: true}, MatchNearest,
			map[string]float64{"P0": 0, "P1": 0, "P2": 2, "FS": 1}},
		{"self, no SIRET", Structure{ID: "s", Posts: 2, Point: orb.Point{5, 45}, HasPoint: true}, MatchSelf,
			map[string]float64{"P0": 0, "P1": 0, "P2": 0, "FS": 1, "s": 2}},
		{"none", Structure{ID: "s", SIRET: postsZ, Posts: 2}, MatchNone,
			map[string]float64{"P0": 0, "P1": 0, "P2": 0, "FS": 1}},
		{"point ignored when HasPoint is false", Structure{ID: "s", Posts: 2, Point: orb.Point{2, 46}}, MatchNone,
			map[string]float64{"P0": 0, "P1": 0, "P2": 0, "FS": 1}},
	}
	for _, tt := range tests {
		places := append(postsPlaces(), fs)
		m := MatchPosts([]Structure{tt.s}, places, PostOptions{})
		if len(m) != 1 || m[0].Rule != tt.rule {
			t.Errorf("%s: match %+v, want rule %v", tt.name, m, tt.rule)
		}
		sites, checks := AllocatePosts([]Structure{tt.s}, places, PostOptions{})
		if got := checks.Count(data.Rejected); got != map[bool]int{true: 1}[tt.rule == MatchNone] {
			t.Errorf("%s: checks %s", tt.name, sitesChecksText(checks))
		}
		if len(sites) != len(tt.fte) {
			t.Errorf("%s: %d sites, want %d", tt.name, len(sites), len(tt.fte))
		}
		for _, s := range sites {
			if w, ok := tt.fte[s.ID]; !ok || s.FTE != w {
				t.Errorf("%s: %s FTE %g, want %g", tt.name, s.ID, s.FTE, w)
			}
		}
	}
}

func TestAllocatePostsDuplicateSIRET(t *testing.T) {
	// Two structures with SIRET X (1 and 3 posts) each split over P0, P1:
	// P0 = 0.5 + 1.5 = 2, P1 = 2.
	structs := []Structure{{ID: "a", SIRET: postsX, Posts: 1}, {ID: "b", SIRET: postsX, Posts: 3}}
	sites, _ := AllocatePosts(structs, postsPlaces(), PostOptions{})
	if sites[0].FTE != 2 || sites[1].FTE != 2 || sites[2].FTE != 0 || len(sites) != 3 {
		t.Errorf("sites %+v", sites)
	}
}

func TestAllocatePostsRejects(t *testing.T) {
	structs := []Structure{
		{ID: "cn21-9", Name: "MAIRIE", SIRET: postsZ, Posts: 4, Line: 7},
		{ID: "cn21-10", SIRET: postsX, Posts: math.NaN()},
		{ID: "cn21-11", SIRET: postsX, Posts: -1},
	}
	places := postsPlaces()
	sites, checks := AllocatePosts(structs, places, PostOptions{File: "x.json"})
	if len(checks) != 3 || checks.Count(data.Rejected) != 3 {
		t.Fatalf("checks %s", sitesChecksText(checks))
	}
	c := checks[0].Err
	if c.File != "x.json" || c.Line != 7 || !errors.Is(c, data.ErrBadCoordinate) || !strings.Contains(c.Error(), "cn21-9 (MAIRIE) : 4 postes non placé(s)") {
		t.Errorf("check %v", c)
	}
	for i, s := range sites {
		if s.FTE != 0 || s != places[i] {
			t.Errorf("site %+v", s)
		}
	}
	if !errors.Is(checks[1].Err, data.ErrBadValue) || !errors.Is(checks[2].Err, data.ErrBadValue) {
		t.Errorf("checks %s", sitesChecksText(checks))
	}
}

func TestAllocatePostsReal(t *testing.T) {
	// Expected figures from an independent python3 implementation of the
	// rule run on the same extracts (cnfs_extract.json against the 45
	// merged places of lieux_cnfs_france_93_23.json + lieux_cnfs_idf_93.json,
	// radius 1 km, haversine R = 6371.0088): SIRET 8 structures / 19 posts,
	// SIREN 0, nearest 14 / 22, structure 18 / 22, none 12 / 17 (the 12
	// structures without coordinates, whose places are outside the
	// extract). 19 + 22 + 22 + 17 = 80 posts. Ids 7 and 539 (1 post each)
	// share a default geocode (DefaultGeocodes) and lose their point: they
	// move from structure to none (16 / 20 and 14 / 19). The Creuse département
	// council place receives 11 posts by SIRET 22230962700016.
	structs, _ := readExtract(t, LoadCNFSStructures, "sites-real", "cnfs_extract.json")
	_, _, places, _ := sitesRealCNFSPlaces(t)
	tally := TallyMatches(structs, MatchPosts(structs, places, PostOptions{}))
	want := map[MatchRule]PostTally{MatchSIRET: {8, 19}, MatchNearest: {14, 22}, MatchSelf: {16, 20}, MatchNone: {14, 19}}
	if fmt.Sprint(tally) != fmt.Sprint(want) {
		t.Errorf("tally %v, want %v", tally, want)
	}
	sites, checks := AllocatePosts(structs, places, PostOptions{})
	if len(sites) != 45+16 || checks.Count(data.Rejected) != 14 {
		t.Fatalf("%d sites, %d rejected", len(sites), checks.Count(data.Rejected))
	}
	sitesAssertValid(t, sites)
	total, atPlaces := 0.0, 0.0
	for i, s := range sites {
		total += s.FTE
		if i < len(places) {
			atPlaces += s.FTE
		}
		if s.ID == "cn22-62ab14b38255a806e299c84f" && s.FTE != 11 {
			t.Errorf("Creuse council FTE %g, want 11", s.FTE)
		}
	}
	// Conservation: 61 placed + 19 rejected = 80 posts of the extract.
	if total != 61 || atPlaces != 41 || total+tally[MatchNone].Posts != 80 {
		t.Errorf("FTE %g (at places %g), rejected %g; want 61 (41) + 19 = 80", total, atPlaces, tally[MatchNone].Posts)
	}
}

func ExampleAllocatePosts() {
	places := []data.Site{
		{ID: "cn22-a", Kind: data.KindCNFS, SIRET: "21230096300017", Point: orb.Point{1.87, 46.17}},
		{ID: "cn22-b", Kind: data.KindCNFS, SIRET: "21230096300017", Point: orb.Point{1.88, 46.18}},
		{ID: "cn22-c", Kind: data.KindCNFS, Point: orb.Point{2.0, 46.3}},
	}
	structures := []Structure{
		{ID: "cn21-1", SIRET: "21230096300017", Posts: 3},                     // split over a and b
		{ID: "cn21-2", Posts: 1, Point: orb.Point{1.9, 46.5}, HasPoint: true}, // no place within 1 km
	}
	sites, checks := AllocatePosts(structures, places, PostOptions{})
	for _, s := range sites {
		fmt.Printf("%s %.1f\n", s.ID, s.FTE)
	}
	fmt.Println(len(checks), "checks")
	// Output:
	// cn22-a 1.5
	// cn22-b 1.5
	// cn22-c 0.0
	// cn21-2 1.0
	// 0 checks
}
