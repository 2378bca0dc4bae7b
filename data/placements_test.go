package data

import (
	"bytes"
	"compress/gzip"
	"errors"
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

// TestLoadEmbeddedPlacements: the stored communes are set on the sites
// they name (an empty one leaves the site to be placed at run time), and
// a file that does not match the sites is refused, naming the line.
func TestLoadEmbeddedPlacements(t *testing.T) {
	newDS := func() *Dataset {
		return &Dataset{Communes: []Commune{{Code: "23096"}, {Code: "87085"}},
			Sites: []Site{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
	}
	ds := newDS()
	if err := loadEmbeddedPlacements(fstest.MapFS{}, ds); err != nil || ds.PlacedSites {
		t.Fatalf("no file: err %v, PlacedSites %v", err, ds.PlacedSites)
	}
	if err := loadEmbeddedPlacements(placementsFS(t, "id,commune\na,23096\nb,\nc,87085\n"), ds); err != nil {
		t.Fatal(err)
	}
	want := []Site{{ID: "a", Commune: "23096", Placed: true}, {ID: "b"}, {ID: "c", Commune: "87085", Placed: true}}
	if !ds.PlacedSites || ds.Sites[0] != want[0] || ds.Sites[1] != want[1] || ds.Sites[2] != want[2] {
		t.Errorf("got %+v (PlacedSites %v), want %+v", ds.Sites, ds.PlacedSites, want)
	}
	for _, c := range []struct {
		csv    string
		line   int
		column string
		err    error
	}{
		{"id,commune\na,23096\nc,87085\nb,\n", 3, "id", ErrBadValue},
		{"id,commune\na,23096\nb,23999\nc,\n", 3, "commune", ErrBadCode},
		{"id,commune\na,23096\nb,\n", 0, "", ErrBadValue},
	} {
		ds := newDS()
		err := loadEmbeddedPlacements(placementsFS(t, c.csv), ds)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, c.err) || pe.Line != c.line || pe.Column != c.column {
			t.Errorf("%q: got %v, want %v at line %d column %q", c.csv, err, c.err, c.line, c.column)
		}
	}
}
