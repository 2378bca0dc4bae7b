package diag

import (
	"context"
	"math"
	"slices"
	"testing"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// TestDemandCellsAgainstUnitByUnit: the first pass of Demand, whose units
// share the searches of their cell (placeUnits), gives each unit what
// placing it alone (assigner.place, as Assign places a site) and
// searching its sites alone (unitPairs) give: the same commune and check,
// the same pairs and weights and the same t_u, bit for bit. On a
// synthetic France without polygons (placed by the nearest commune point,
// duplicated units making ties) and on the embedded communes (polygons,
// coasts, borders), with units in no order, some without a usable point.
func TestDemandCellsAgainstUnitByUnit(t *testing.T) {
	ctx := context.Background()
	n := 8000
	if testing.Short() {
		n = 2000 // make test-long runs 8,000 units of each
	}
	_, nat := national(t)
	synth, err := NewBaseline(ctx, synthDataset(1000, 157, 3), Params{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		b     *Baseline
		layer *data.DemandLayer
	}{
		{"synthetic", synth, synthDemand(n, 5)},
		{"embedded", nat, franceDemand(nat.Dataset(), n, 4)},
	} {
		us := tc.layer.Units
		for i := 0; i < len(us); i += 97 {
			us[i+1].Point = us[i].Point // a duplicate: ties
		}
		us[3].Point = orb.Point{math.NaN(), 45}
		us[5].Point = orb.Point{-20, 46} // the open Atlantic
		e := tc.b.e
		ps, err := e.placeUnits(ctx, us)
		if err != nil {
			t.Fatal(err)
		}
		a := newAssigner(e.ds)
		var buf unitBuf
		placed, offshore := 0, 0
		for i := range us {
			pl := a.place(&data.Site{ID: us[i].ID, Point: us[i].Point})
			k, ok := e.ds.CommuneIndex(pl.Commune)
			if !ok {
				k = -1
			}
			if ps.comm[i] != k || ps.offshore[i] != (pl.Check == data.PlaceOffshore) {
				t.Fatalf("%s unit %d at %v: commune %d (offshore %v), alone %d (%v)", tc.name, i, us[i].Point, ps.comm[i], ps.offshore[i], k, pl.Check)
			}
			if k < 0 {
				if ps.pn[i] != 0 || ps.tu[i] != 0 {
					t.Fatalf("%s unit %d refused with %d pairs, t %v", tc.name, i, ps.pn[i], ps.tu[i])
				}
				continue
			}
			placed++
			if ps.offshore[i] {
				offshore++
			}
			qs, ws, tu, err := e.unitPairs(ctx, unitPlace(&us[i], pl.Commune), &buf)
			if err != nil {
				t.Fatal(err)
			}
			gq, gw := ps.pairs(i)
			if !slices.Equal(gq, qs) || !slices.Equal(gw, ws) || math.Float64bits(ps.tu[i]) != math.Float64bits(tu) {
				t.Fatalf("%s unit %d: %d pairs, t %v; alone %d pairs, t %v", tc.name, i, len(gq), ps.tu[i], len(qs), tu)
			}
		}
		if placed < len(us)*9/10 || placed == len(us) || (tc.name == "embedded" && offshore == 0) {
			t.Errorf("%s: weak test: %d units placed of %d, %d offshore", tc.name, placed, len(us), offshore)
		}
	}
}

// TestSpatialOrder: the units come by cell key, then by index (the order
// slices.Sort gives the keys), units without a usable point last; and
// radixSortHigh is slices.Sort on keys built in index order.
func TestSpatialOrder(t *testing.T) {
	us := synthDemand(5000, 9).Units
	us[7].Point = orb.Point{math.NaN(), 1}
	us[8].Point = orb.Point{181, 45}
	got := spatialOrder(us)
	want := make([]uint64, len(us))
	for i := range us {
		want[i] = unitCell(us[i].Point)<<32 | uint64(i)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatal("spatialOrder is not slices.Sort of the keys")
	}
	if n := len(got); got[n-2]>>32 != noCell || got[n-1]>>32 != noCell || uint32(got[n-2]) != 7 {
		t.Errorf("units without a usable point: %x, %x", got[n-2], got[n-1])
	}
	if r := spatialOrder(nil); len(r) != 0 {
		t.Errorf("no unit: %v", r)
	}
	one := []uint64{5 << 32, 5<<32 | 1} // units 0 and 1 of cell 5
	if r := radixSortHigh(one, make([]uint64, 2)); !slices.Equal(r, one) {
		t.Errorf("one cell: %v", r)
	}
}
