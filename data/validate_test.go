package data

import (
	"diagnum/geo"

	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestTerritoryOf(t *testing.T) {
	// Town-hall coordinates of each territory's main town (rounded), and
	// places just outside France.
	tests := []struct {
		name string
		p    orb.Point
		want string // territory code, "" for none
	}{
		{"Boussac", orb.Point{2.2167, 46.3491}, "metro"},
		{"Ouessant", orb.Point{-5.0946, 48.4575}, "metro"},
		{"Bonifacio", orb.Point{9.1590, 41.3875}, "metro"},
		{"Bray-Dunes", orb.Point{2.5160, 51.0770}, "metro"},
		{"Pointe-à-Pitre", orb.Point{-61.5331, 16.2411}, "971"},
		{"Fort-de-France", orb.Point{-61.0588, 14.6161}, "972"},
		{"Cayenne", orb.Point{-52.3260, 4.9372}, "973"},
		{"Saint-Denis", orb.Point{55.4504, -20.8821}, "974"},
		{"Mamoudzou", orb.Point{45.2279, -12.7806}, "976"},
		{"Saint-Pierre", orb.Point{-56.1773, 46.7811}, "975"},
		{"Gustavia", orb.Point{-62.8498, 17.8962}, "977"},
		{"Marigot", orb.Point{-63.0822, 18.0676}, "978"},
		{"Mata-Utu", orb.Point{-176.1745, -13.2816}, "986"},
		{"Papeete", orb.Point{-149.5585, -17.5516}, "987"},
		{"Nouméa", orb.Point{166.4572, -22.2758}, "988"},
		{"Madrid", orb.Point{-3.7038, 40.4168}, ""},
		{"London", orb.Point{-0.1276, 51.5072}, ""},
		{"Dominica", orb.Point{-61.3794, 15.4150}, ""},
		{"Null Island", orb.Point{0, 0}, ""},
	}
	for _, tt := range tests {
		got, ok := TerritoryOf(tt.p)
		if ok != (tt.want != "") || got.Code != tt.want {
			t.Errorf("TerritoryOf(%s %v) = %q, %v; want %q", tt.name, tt.p, got.Code, ok, tt.want)
		}
	}
	if n := len(valTerritories); n != 12 {
		t.Errorf("%d territories, want 12 (metro, 5 DROM, 6 COM)", n)
	}
}

func TestValHaversineKm(t *testing.T) {
	// Hand computation: one degree of a great circle is 6371.0088 × π / 180
	// = 111.19508 km, along a meridian or the equator.
	const deg = 6371.0088 * math.Pi / 180
	for _, tt := range []struct{ a, b orb.Point }{
		{orb.Point{2, 46}, orb.Point{2, 47}},
		{orb.Point{0, 0}, orb.Point{1, 0}},
		{orb.Point{-179.5, 0}, orb.Point{179.5, 0}},
	} {
		if got := geo.HaversineKm(tt.a, tt.b); math.Abs(got-deg) > 1e-9 {
			t.Errorf("geo.HaversineKm(%v, %v) = %.9f, want %.9f", tt.a, tt.b, got, deg)
		}
	}
}

func TestValidateSites(t *testing.T) {
	boussac := orb.Point{2.216669, 46.34908}
	north := func(p orb.Point, deg float64) orb.Point { return orb.Point{p[0], p[1] + deg} }
	sites := []Site{
		{ID: "ok", Name: "France services Boussac", Point: boussac, FTE: 1, INSEE: "23031", Line: 2},
		{ID: "dup", Name: "FRANCE-SERVICES  boussac!", Point: north(boussac, 0.0004), FTE: 1, Line: 3}, // 44.5 m: duplicate
		{ID: "far", Name: "France services Boussac", Point: north(boussac, 0.0009), FTE: 1, Line: 4},   // 55.6 m from dup, 100 m from ok: not
		{ID: "other", Name: "Mairie de Boussac", Point: north(boussac, 0.0001), FTE: 1, Line: 5},       // 11 m, other name
		{ID: "kind", Name: "France services Boussac", Kind: KindCNFS, Point: boussac, FTE: 1, Line: 6}, // 0 m, other kind
		{ID: "swap", Name: "Saint-Denis", Point: orb.Point{-20.8821, 55.4504}, FTE: 1, Line: 7},
		{ID: "out", Name: "Madrid", Point: orb.Point{-3.7038, 40.4168}, FTE: 1, Line: 8},
		{ID: "nan", Name: "X", Point: orb.Point{math.NaN(), 46}, FTE: 1, Line: 9},
		{ID: "neg", Name: "Y", Point: boussac, FTE: -1, Line: 10},
		{ID: "inf", Name: "Z", Point: boussac, FTE: math.Inf(1), Line: 11},
		{ID: "code", Name: "Guéret", Point: orb.Point{1.871, 46.171}, FTE: 1, INSEE: "23999", Line: 12},
	}
	kept, checks := ValidateSites("v.csv", sites, testKnown)
	var ids []string
	for _, s := range kept {
		ids = append(ids, s.ID)
	}
	if want := []string{"ok", "dup", "far", "other", "kind", "code"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("kept %v, want %v", ids, want)
	}
	if kept[5].INSEE != "" || kept[0].INSEE != "23031" {
		t.Errorf("INSEE codes after validation: %q %q; want the unknown one cleared", kept[0].INSEE, kept[5].INSEE)
	}
	want := []struct {
		sev  Severity
		is   error
		line int
		text string
	}{
		{Warning, ErrDuplicate, 3, `le lieu "dup" a le même nom que le lieu "ok" (ligne 2), à 44 m`},
		{Rejected, ErrSwappedLatLon, 7, `lieu "swap" : latitude 55.4504, longitude -20.8821 n'est dans aucun territoire français, mais relèverait de La Réunion une fois inversées`},
		{Rejected, ErrOutsideFrance, 8, `lieu "out" : latitude 40.4168, longitude -3.7038`},
		{Rejected, ErrBadCoordinate, 9, `le lieu "nan" a des coordonnées non finies`},
		{Rejected, ErrBadValue, 10, `lieu "neg" : l'ETP -1 doit être un nombre fini ≥ 0`},
		{Rejected, ErrBadValue, 11, `lieu "inf" : l'ETP +Inf`},
		{Warning, ErrUnknownINSEE, 12, `le lieu "code" déclare 23999`},
	}
	if len(checks) != len(want) {
		t.Fatalf("%d checks, want %d:\n%s", len(checks), len(want), strings.Join(checkTexts(checks), "\n"))
	}
	for i, w := range want {
		c := checks[i]
		if c.Severity != w.sev || !errors.Is(c.Err, w.is) || c.Err.Line != w.line || !strings.Contains(c.Err.Error(), w.text) {
			t.Errorf("check %d = %v %q; want severity %v, %v, line %d, %q", i, c.Severity, c.Err, w.sev, w.is, w.line, w.text)
		}
	}
}

func TestValidateSitesWithoutLinesOrKnown(t *testing.T) {
	sites := []Site{{ID: "a", Point: orb.Point{2.1, 46.1}, INSEE: "23999"}, {ID: "b", Point: orb.Point{0, 0}}}
	kept, checks := ValidateSites("mem", sites, nil)
	if len(kept) != 1 || kept[0].INSEE != "23999" {
		t.Errorf("kept %+v; want site a with its code (no known callback)", kept)
	}
	if len(checks) != 1 || checks[0].Err.Line != 0 || !errors.Is(checks[0].Err, ErrOutsideFrance) ||
		!strings.Contains(checks[0].Err.Error(), "mem: coordonnées hors des territoires français : lieu \"b\"") {
		t.Errorf("checks %v", checkTexts(checks))
	}
}

func TestValNormName(t *testing.T) {
	tests := map[string]string{
		"Mairie d'Ahun ":                 "mairie d ahun",
		"MAIRIE D AHUN":                  "mairie d ahun",
		"  Espace  Numérique -- Guéret ": "espace numerique gueret",
		"Œuvre 1":                        "oeuvre 1",
		"!!":                             "",
	}
	for in, want := range tests {
		if got := NormName(in); got != want {
			t.Errorf("NormName(%q) = %q, want %q", in, got, want)
		}
	}
}
