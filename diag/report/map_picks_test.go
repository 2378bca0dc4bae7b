package report

import (
	"bytes"
	"image/color"
	"testing"

	"github.com/paulmach/orb"

	"diagnum/data"
)

// TestRenderMapPicks: the planner's picks are drawn as black stars above
// the communes, and the legend names them.
func TestRenderMapPicks(t *testing.T) {
	ds, cs, sites := holeFixture()
	pick := data.Site{ID: "plan-23001", Name: "Proposition", Kind: data.KindCNFS, Point: orb.Point{1.96, 46.03}}
	r := render(t, MapInput{Communes: cs, Dataset: ds, Sites: sites, Picks: []data.Site{pick}})
	if got := r.atLonLat(t, 1.96, 46.03); got != (color.RGBA{0, 0, 0, 255}) {
		t.Errorf("pick at (1.96, 46.03): %v, want black", got)
	}
	if len(r.m.picks) != 1 {
		t.Errorf("picks drawn: %d, want 1", len(r.m.picks))
	}
	if !bytes.Contains(r.svg, []byte("Nouveau poste proposé (1)")) {
		t.Error("svg legend lacks the picks")
	}
	// Without picks, the same point has the colour of 23001's class.
	if got := render(t, MapInput{Communes: cs, Dataset: ds, Sites: sites}).atLonLat(t, 1.96, 46.03); got != rgb(0xffeda0) {
		t.Errorf("without picks: %v", got)
	}
}
