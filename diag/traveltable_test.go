package diag

import (
	"context"
	"math"
	"testing"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// TestIsereTableNearest: with the real OSRM table of Isère as --temps
// and sites placed on the points of a few communes of the table, the
// nearest time of every commune of the table is exactly the smallest
// table time from it to a site commune (the intra-commune term is 0 for
// a site on its commune's point), coverage follows it, and ComputeNaive
// (a scan of every pair) agrees.
func TestIsereTableNearest(t *testing.T) {
	ds, tab, pts := isereSetup(t)
	// Grenoble, Vienne, Bourgoin-Jallieu, Voiron, La Mure, Le Bourg-d'Oisans.
	siteCodes := []string{"38185", "38544", "38053", "38563", "38269", "38052"}
	for k, code := range siteCodes {
		if _, ok := pts[code]; !ok {
			t.Fatalf("commune %s has no point", code)
		}
		ds.Sites = append(ds.Sites, data.Site{ID: "s" + code, Kind: data.KindCNFS, Point: pts[code], FTE: float64(k + 1), INSEE: code})
	}
	timer := geo.NewTable(tab, geo.TableOptions{Name: "isere.csv", Communes: pts})
	p := Params{ThresholdMin: 20, Timer: timer}
	res, _ := againstNaive(t, ds, p)
	checked := 0
	for _, c := range res.Communes {
		want := math.Inf(1)
		for _, d := range siteCodes {
			v, ok := tab.CommuneMinutes(c.Code, d)
			if !ok {
				want = math.NaN()
				break
			}
			want = min(want, v)
		}
		if math.IsNaN(want) {
			continue // a commune created since 2021: not in the table
		}
		checked++
		if c.NearestMin != want || c.Covered != (want <= 20) {
			t.Errorf("%s: nearest %v (covered %v), want the table minimum %v", c.Code, c.NearestMin, c.Covered, want)
		}
	}
	if checked < 500 {
		t.Errorf("only %d communes checked against the table", checked)
	}
}

// isereSetup returns the communes of Isère (embedded), the real Isère
// table and the communes' points.
func isereSetup(t *testing.T) (*data.Dataset, *data.TravelTable, map[string]orb.Point) {
	t.Helper()
	full := embedded(t)
	ds := &data.Dataset{Indicators: full.Indicators, Renamed: full.Renamed}
	for _, c := range full.Communes {
		if c.Dep == "38" {
			ds.Communes = append(ds.Communes, c)
		}
	}
	tab := isereTable(t, ds)
	pts := map[string]orb.Point{}
	for _, c := range ds.Communes {
		if c.HasPoint {
			pts[c.Code] = c.Point
		}
	}
	return ds, tab, pts
}

// TestIsereTablePlanner: the planner's catchment of a candidate placed
// on a commune's point takes the table's times to that commune.
func TestIsereTablePlanner(t *testing.T) {
	ds, tab, pts := isereSetup(t)
	ds.Sites = []data.Site{{ID: "s1", Kind: data.KindCNFS, Point: pts["38185"], FTE: 1, INSEE: "38185"}}
	b, err := NewBaseline(context.Background(), ds, Params{Timer: geo.NewTable(tab, geo.TableOptions{Name: "isere.csv", Communes: pts})})
	if err != nil {
		t.Fatal(err)
	}
	cand := geo.Place{Point: pts["38563"], Commune: "38563", ID: "38563"} // Voiron
	reach, err := b.CatchmentsOf(context.Background(), []geo.Place{cand})
	if err != nil {
		t.Fatal(err)
	}
	if len(reach[0]) < 10 {
		t.Fatalf("%d communes within reach of Voiron", len(reach[0]))
	}
	for _, r := range reach[0] {
		code := ds.Communes[r.Commune].Code
		if want, ok := tab.CommuneMinutes(code, "38563"); ok && r.Minutes != want {
			t.Errorf("%s → Voiron: %v min, table %v", code, r.Minutes, want)
		}
	}
	if _, tm, err := b.NearestSiteOf(context.Background(), cand); err != nil || tm != mustTime(t, tab, "38563", "38185") {
		t.Errorf("Voiron → nearest site: %v (%v), want the table's %v", tm, err, mustTime(t, tab, "38563", "38185"))
	}
}

func mustTime(t *testing.T, tab *data.TravelTable, o, d string) float64 {
	t.Helper()
	v, ok := tab.CommuneMinutes(o, d)
	if !ok {
		t.Fatalf("no time %s → %s", o, d)
	}
	return v
}
