package diag

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// square returns the polygon of the cell [lon, lon+d] × [lat, lat+d].
func square(lon, lat, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}}}
}

// TestAssignRules walks the three rules on two square communes, one
// renamed code and an arrondissement.
func TestAssignRules(t *testing.T) {
	ds := &data.Dataset{
		Communes: []data.Commune{
			{Code: "75056", Point: orb.Point{2.35, 48.85}, HasPoint: true, Polygon: square(2.3, 48.8, 0.1)},
			{Code: "87085", Point: orb.Point{1.26, 45.83}, HasPoint: true},
			{Code: "87187", Point: orb.Point{1.0, 45.5}, HasPoint: true},
		},
		Renamed: map[string]string{"75101": "75056", "87001": "87002", "87002": "87085"},
	}
	ds.Sites = []data.Site{
		{ID: "in-polygon", Point: orb.Point{2.34, 48.86}, INSEE: "75101"},   // polygon, arrondissement agrees
		{ID: "disagrees", Point: orb.Point{2.34, 48.86}, INSEE: "87085"},    // polygon wins, Warning
		{ID: "renamed", Point: orb.Point{1.1, 45.6}, INSEE: "87001"},        // 87001 → 87002 → 87085
		{ID: "unknown", Point: orb.Point{1.01, 45.51}, INSEE: "99999"},      // nearest point: 87187, Warning
		{ID: "no-code", Point: orb.Point{1.25, 45.8}},                       // nearest point: 87085
		{ID: "no-point", Point: orb.Point{nan(), 45}, INSEE: "87187"},       // declared
		{ID: "nothing", Point: orb.Point{nan(), nan()}, INSEE: "12345"},     // Rejected
		{ID: "outside", Point: orb.Point{2.45, 48.85}, INSEE: "75056"},      // outside the square: declared
		{ID: "old-in-poly", Point: orb.Point{2.31, 48.81}, INSEE: "87002"},  // Warning, in 75056
		{ID: "plain", Point: orb.Point{1.26, 45.83}, INSEE: "87085"},        // declared
		{ID: "fr-services", Point: orb.Point{1.26, 45.83}, INSEE: "87187"},  // declared, no polygon: no check
		{ID: "arr-outside", Point: orb.Point{2.29, 48.79}, INSEE: "75101"},  // declared → 75056
		{ID: "unknown-poly", Point: orb.Point{2.31, 48.89}, INSEE: "00000"}, // polygon; Warning (names no commune)
	}
	want := []string{"75056", "75056", "87085", "87187", "87085", "87187", "", "75056", "75056", "87085", "87187", "75056", "75056"}
	sites, checks := Assign(ds)
	for i, s := range sites {
		if s.Commune != want[i] {
			t.Errorf("%s: commune %q, want %q", s.ID, s.Commune, want[i])
		}
	}
	if checks.Count(data.Warning) != 4 || checks.Count(data.Rejected) != 1 {
		t.Errorf("checks: %v", checks)
	}
	for _, c := range checks {
		if !errors.Is(c.Err, data.ErrBadValue) && !errors.Is(c.Err, data.ErrUnknownINSEE) {
			t.Errorf("check without a sentinel: %v", c.Err)
		}
	}
	if ds.Sites[0].Commune != "" {
		t.Error("Assign modified ds.Sites")
	}
}

// TestAssignMatchesNaive compares the indexed assignment with the linear
// scans of ComputeNaive on a grid of square communes (some without
// polygon) and random sites with right, wrong, unknown or no codes.
func TestAssignMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ds := &data.Dataset{}
	for y := range 20 {
		for x := range 20 {
			c := data.Commune{Code: fmt.Sprintf("%05d", 1000+y*20+x), Dep: "01", Region: "84", Population: 100 + rng.IntN(1000),
				Point: orb.Point{2 + 0.1*float64(x) + 0.05, 45 + 0.1*float64(y) + 0.05}, HasPoint: true}
			if rng.Float64() < 0.9 {
				c.Polygon = square(2+0.1*float64(x), 45+0.1*float64(y), 0.1)
			}
			ds.Communes = append(ds.Communes, c)
		}
	}
	for j := range 600 {
		s := data.Site{ID: fmt.Sprint(j), Kind: data.KindCNFS, FTE: 1,
			Point: orb.Point{1.9 + 2.2*rng.Float64(), 44.9 + 2.2*rng.Float64()}}
		switch r := rng.IntN(4); r {
		case 0, 1:
			s.INSEE = ds.Communes[rng.IntN(len(ds.Communes))].Code
		case 2:
			s.INSEE = "99999"
		}
		ds.Sites = append(ds.Sites, s)
	}
	got, want := againstNaive(t, ds, Params{})
	for i := range got.Checks {
		g, w := got.Checks[i], want.Checks[i]
		if g.Err.Error() != w.Err.Error() || g.Kind != w.Kind || g.Site != w.Site || g.Commune != w.Commune {
			t.Fatalf("check %d: %s %q %q %v, naive %s %q %q %v", i, g.Kind, g.Site, g.Commune, g.Err, w.Kind, w.Site, w.Commune, w.Err)
		}
		if g.Site == "" || (g.Kind != data.CheckPlacement && g.Kind != data.CheckNoReach && g.Kind != data.CheckUnusableSite) {
			t.Fatalf("check %d: kind %s, site %q: %v", i, g.Kind, g.Site, g.Err)
		}
	}
	idx := communeIndex(ds)
	for _, s := range got.Sites {
		if _, ok := idx[s.Commune]; !ok {
			t.Fatalf("site %s in no commune (%q)", s.ID, s.Commune)
		}
	}
	if len(got.Checks) < 100 {
		t.Errorf("only %d checks: the case exercises too little", len(got.Checks))
	}
}

func nan() float64 { return math.NaN() }

// TestAssignOutsideFrance: with the embedded national commune polygons,
// Geneva, Lausanne and Tournai are refused as outside France (no bounding
// box: Geneva's centre is 5 km from the border), even when they declare
// a French code; Annemasse, across the border from Geneva, is placed in
// its commune (74012). A point in the open Atlantic (45° N, 20° W) and one
// in Saint-Pierre-et-Miquelon (a COM, no commune) are more than
// polygonAreaKm from every commune: refused, not given to the nearest.
func TestAssignOutsideFrance(t *testing.T) {
	ds := embedded(t)
	ds.Sites = []data.Site{
		{ID: "geneve", Kind: data.KindCNFS, Point: orb.Point{6.1432, 46.2044}, FTE: 1},
		{ID: "geneve-74012", Kind: data.KindCNFS, Point: orb.Point{6.1432, 46.2044}, FTE: 1, INSEE: "74012"},
		{ID: "lausanne", Kind: data.KindCNFS, Point: orb.Point{6.6323, 46.5197}, FTE: 1},
		{ID: "tournai", Kind: data.KindCNFS, Point: orb.Point{3.3890, 50.6056}, FTE: 1},
		{ID: "annemasse", Kind: data.KindCNFS, Point: orb.Point{6.2346, 46.1934}, FTE: 1},
		{ID: "atlantique", Kind: data.KindCNFS, Point: orb.Point{-20, 45}, FTE: 1},
		{ID: "saint-pierre", Kind: data.KindCNFS, Point: orb.Point{-56.1773, 46.7811}, FTE: 1},
	}
	sites, checks := Assign(ds)
	for i, want := range []string{"", "", "", "", "74012", "", ""} {
		if sites[i].Commune != want {
			t.Errorf("%s: commune %q, want %q", sites[i].ID, sites[i].Commune, want)
		}
	}
	refused := 0
	for _, c := range checks {
		if c.Severity == data.Rejected && errors.Is(c.Err, data.ErrOutsideFrance) {
			refused++
		}
	}
	if refused != 6 {
		t.Errorf("%d refused as outside France, want 6: %v", refused, checks)
	}
}
