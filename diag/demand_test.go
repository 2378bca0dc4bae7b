package diag

import (
	"context"
	"math"
	"testing"

	"diagnum/data"
)

// TestDemandCoverageHand: 4 cells on handDataset (no polygons, so each
// cell goes to the commune with the nearest point), threshold 30 min:
//
//	cell at A's point, 100 inh.: commune A, t = 0 (S1), covered
//	cell at S2's point, 20 inh.: commune B (nearest point), t = 0 (S2), covered
//	cell at C's point, 30 inh.: commune C, t = min(40, 35) = 35, not covered
//	cell at F's point, 10 inh.: commune C, t = min(5, 12) = 5, covered
//
// So A: 100 inh., share 1, mean 0; B: 20, share 1, mean 0; C: 40 inh.,
// covered 10, share 0.25, mean (30·35 + 10·5)/40 = 27.5 min.
func TestDemandCoverageHand(t *testing.T) {
	ds, tt := handDataset()
	b, err := NewBaseline(context.Background(), ds, Params{Timer: tt})
	if err != nil {
		t.Fatal(err)
	}
	cells := []data.GridCell{
		{ID: "a", Point: ptA, Pop: 100}, {ID: "s2", Point: ptS2, Pop: 20},
		{ID: "c", Point: ptC, Pop: 30}, {ID: "f", Point: ptF, Pop: 10},
	}
	got, _, err := b.DemandCoverage(context.Background(), cells)
	if err != nil {
		t.Fatal(err)
	}
	want := []CommuneDemand{
		{Commune: 0, Cells: 1, Pop: 100, CoveredPop: 100, Share: 1, MeanMin: 0},
		{Commune: 1, Cells: 1, Pop: 20, CoveredPop: 20, Share: 1, MeanMin: 0},
		{Commune: 2, Cells: 2, Pop: 40, CoveredPop: 10, Share: 0.25, MeanMin: 27.5},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, w := range want {
		if g := got[i]; g.Commune != w.Commune || g.Cells != w.Cells || g.Pop != w.Pop || g.CoveredPop != w.CoveredPop ||
			g.Share != w.Share || math.Abs(g.MeanMin-w.MeanMin) > 1e-12 {
			t.Errorf("commune %d: %+v, want %+v", i, g, w)
		}
	}
}
