package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// placementsFS is a folder holding sites_communes.csv.gz with content csv.
func placementsFS(t *testing.T, csv string) fstest.MapFS {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(csv)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{"sites_communes.csv.gz": {Data: b.Bytes()}}
}

// TestLoadEmbeddedPlacements: the stored placements are set on the sites
// they name (Site.Commune, Placed; Dataset.Placements for those with a
// check), and a file that does not match the sites is refused, naming
// the line and column.
func TestLoadEmbeddedPlacements(t *testing.T) {
	newDS := func() *Dataset {
		return &Dataset{Communes: []Commune{{Code: "23096"}, {Code: "87085"}},
			Sites: []Site{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
	}
	ds := newDS()
	if err := loadEmbeddedPlacements(fstest.MapFS{}, ds); err != nil || ds.PlacedSites {
		t.Fatalf("no file: err %v, PlacedSites %v", err, ds.PlacedSites)
	}
	const head = "id,commune,controle,declare,km\n"
	if err := loadEmbeddedPlacements(placementsFS(t, head+"a,23096,,,\nb,,hors-france,,\nc,87085,cote,,0.25\n"), ds); err != nil {
		t.Fatal(err)
	}
	want := []Site{{ID: "a", Commune: "23096", Placed: true}, {ID: "b", Placed: true}, {ID: "c", Commune: "87085", Placed: true}}
	if !ds.PlacedSites || ds.Sites[0] != want[0] || ds.Sites[1] != want[1] || ds.Sites[2] != want[2] {
		t.Errorf("got %+v (PlacedSites %v), want %+v", ds.Sites, ds.PlacedSites, want)
	}
	wantP := map[string]Placement{"b": {Check: PlaceOutside}, "c": {Commune: "87085", Check: PlaceOffshore, Km: 0.25}}
	if len(ds.Placements) != 2 || ds.Placements["b"] != wantP["b"] || ds.Placements["c"] != wantP["c"] {
		t.Errorf("placements %+v, want %+v", ds.Placements, wantP)
	}
	for _, c := range []struct {
		csv    string
		line   int
		column string
		err    error
	}{
		{"a,23096,,,\nc,87085,,,\nb,,hors-france,,\n", 3, "id", ErrBadValue},
		{"a,23096,,,\nb,23999,,,\nc,23096,,,\n", 3, "commune", ErrBadCode},
		{"a,23096,,,\nb,23096,contour,23999,\nc,23096,,,\n", 3, "commune", ErrBadCode},
		{"a,23096,,,\nb,23096,ailleurs,,\nc,23096,,,\n", 3, "controle", ErrBadValue},
		{"a,23096,,,\nb,,,,\nc,23096,,,\n", 3, "commune", ErrBadValue},
		{"a,23096,,,\nb,23096,cote,,loin\nc,23096,,,\n", 3, "km", ErrBadNumber},
		{"a,23096,,,\nb,23096,,,\n", 0, "", ErrBadValue},
	} {
		ds := newDS()
		err := loadEmbeddedPlacements(placementsFS(t, head+c.csv), ds)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, c.err) || pe.Line != c.line || pe.Column != c.column {
			t.Errorf("%q: got %v, want %v at line %d column %q", c.csv, err, c.err, c.line, c.column)
		}
	}
}

// TestFrFoldFastPath: frFold, which skips the replacer on ASCII text,
// folds as the replacer does on every kind of text (the oracle).
func TestFrFoldFastPath(t *testing.T) {
	for _, s := range []string{"", "france-services", "France Services", "ÉCOLE Numérique", "Cœur d' Æ", "abc\u00A0déf", "ÑANDÚ", "x"} {
		if got, want := frFold(s), frAccents.Replace(strings.ToLower(s)); got != want {
			t.Errorf("frFold(%q) = %q, want %q", s, got, want)
		}
	}
	for _, s := range []string{"1 234,5", "1\u00A0234,5", "1\u202F234", "12"} {
		if _, err := ParseFloatFR(s); err != nil {
			t.Errorf("ParseFloatFR(%q): %v", s, err)
		}
	}
}

// TestParseKindFastPath: every key of sitesKindAliases is its own folded
// form, so ParseKind's direct lookup gives what folding would.
func TestParseKindFastPath(t *testing.T) {
	for key, kind := range sitesKindAliases {
		folded := strings.Join(strings.FieldsFunc(frFold(key), func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "-")
		if folded != key {
			t.Errorf("alias %q folds to %q", key, folded)
		}
		if k, ok := ParseKind(strings.ToUpper(key)); !ok || k != kind {
			t.Errorf("ParseKind(%q) = %v, %v; want %v", strings.ToUpper(key), k, ok, kind)
		}
	}
}
