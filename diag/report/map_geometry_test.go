package report

import (
	"bytes"
	"slices"
	"testing"

	"diagnum/diag"
)

// TestMapGeometryShared: a map drawn with a MapGeometry computed
// beforehand (from its communes in another order, with dots, sites,
// picks and a commune without score) is byte for byte the map drawn
// without one, and so is the map whose geometry holds other communes
// (ignored) or comes from another dataset.
func TestMapGeometryShared(t *testing.T) {
	in := goldenMaps(t)["creuse"]
	want := mapPNG(t, in)
	reversed := slices.Clone(in.Communes)
	slices.Reverse(reversed)
	other, _ := creuseDataset(t)
	for name, g := range map[string]*MapGeometry{
		"same communes":   NewMapGeometry(in.Dataset, reversed),
		"fewer communes":  NewMapGeometry(in.Dataset, in.Communes[10:]),
		"another dataset": NewMapGeometry(other, in.Communes),
		"other communes":  NewMapGeometry(in.Dataset, []diag.CommuneResult{in.Communes[0]}),
	} {
		shared := in
		shared.Geometry = g
		if !bytes.Equal(mapPNG(t, shared), want) {
			t.Errorf("%s: the map differs from the map drawn without a geometry", name)
		}
		if got := g.holds(&shared); got != (name == "same communes") {
			t.Errorf("%s: holds %v", name, got)
		}
	}
	// Two maps of the same communes, other colours, one geometry: the
	// shapes are the same slices.
	g := NewMapGeometry(in.Dataset, in.Communes)
	a, b := in, in
	a.Geometry, b.Geometry = g, g
	b.Communes = slices.Clone(in.Communes)
	for i := range b.Communes {
		b.Communes[i].Gap = float64(i % 3)
	}
	ma, err := newMapModel(&a)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := newMapModel(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ma.shapes) != len(mb.shapes) || len(ma.shapes) < 250 || &ma.shapes[0].poly[0][0][0] != &mb.shapes[0].poly[0][0][0] {
		t.Errorf("%d and %d shapes, not shared", len(ma.shapes), len(mb.shapes))
	}
}
