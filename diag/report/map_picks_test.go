package report

import (
	"bytes"
	"image/color"
	"testing"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"

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

// TestWorkbookMapFunc: without MapPNG, the workbook asks Input.Map for the
// picture once and embeds it.
func TestWorkbookMapFunc(t *testing.T) {
	in := smallInput()
	calls := 0
	picture := pngOf(t, 1600, 1200)
	in.Map = func() []byte { calls++; return picture }
	f := openBook(t, writeBytes(t, in))
	if calls != 1 {
		t.Errorf("Map called %d times, want 1", calls)
	}
	rows := rawRows(t, f, SheetSynthese, 9)
	at := -1
	for i, r := range rows {
		if r[0] == "Carte du score d'écart par commune" {
			at = i
		}
	}
	ref, _ := excelize.CoordinatesToCellName(1, at+2)
	if pics, err := f.GetPictures(SheetSynthese, ref); err != nil || len(pics) != 1 || !bytes.Equal(pics[0].File, picture) {
		t.Errorf("picture at %s: %d, %v; want the picture from Map", ref, len(pics), err)
	}
}
