package geo

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// mapTimes is a PairTimes over a map "origin>dest" (dest "#id" for sites).
type mapTimes map[string]float64

func (m mapTimes) CommuneMinutes(o, d string) (float64, bool) { v, ok := m[o+">"+d]; return v, ok }
func (m mapTimes) SiteMinutes(o, id string) (float64, bool)   { v, ok := m[o+">#"+id]; return v, ok }
func (m mapTimes) Each(fn func(o, d string, site bool, v float64)) {
	for k, v := range m {
		for i := range k {
			if k[i] == '>' {
				d, site := k[i+1:], false
				if d[0] == '#' {
					d, site = d[1:], true
				}
				fn(k[:i], d, site, v)
			}
		}
	}
}

func TestTableTimes(t *testing.T) {
	a, b, c := orb.Point{5.0, 45.0}, orb.Point{5.1, 45.0}, orb.Point{5.3, 45.2}
	pt := mapTimes{"A>B": 10, "B>A": 12, "A>#s9": 4}
	m := DefaultModel()
	inB := orb.Point{5.11, 45.0} // a site in B, 0.79 km from B's point
	tab := NewTable(pt, TableOptions{Name: "t.csv", Communes: map[string]orb.Point{"A": a, "B": b, "C": c},
		Sites: map[string]orb.Point{"s9": inB}, InScope: func(code string) bool { return code != "C" }})
	src := []Place{{Point: a, Commune: "A"}, {Point: b, Commune: "B"}, {Point: c, Commune: "C"}}
	dst := []Place{{Point: b, Commune: "B"}, {Point: a, Commune: "A"}, {Point: inB, Commune: "B", ID: "s1"}, {Point: inB, Commune: "B", ID: "s9"}}
	got, err := tab.Times(context.Background(), src, dst)
	if err != nil {
		t.Fatal(err)
	}
	e := m.Minutes(inB, b) // intra-commune term of the site in B
	want := [][]float64{
		{10, m.Minutes(a, a), 10 + e, 4}, // A → A absent from the table: model (0)
		{m.Minutes(b, b), 12, m.Minutes(b, inB), m.Minutes(b, inB)},
		{m.Minutes(c, b), m.Minutes(c, a), m.Minutes(c, inB), m.Minutes(c, inB)},
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("t[%d][%d] = %v, want %v", i, j, got[i][j], want[i][j])
			}
		}
	}
	st := tab.Stats()
	// Absent: A→A, B→B, B→s1, B→s9, and the 4 pairs from C (out of scope).
	if st.Asked != 12 || st.Missing != 8 || st.MissingInScope != 4 || st.Origins != 3 {
		t.Errorf("stats %+v, want 12 asked, 8 missing, 4 in scope, 3 origins", st)
	}
	// Recount: the same times, counted apart from tab's.
	rc := Recount(tab).(*Table)
	row, err := rc.Times(context.Background(), src[2:], dst)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(row[0], got[2]) {
		t.Errorf("Recount: C's times %v, want %v", row[0], got[2])
	}
	if rst := rc.Stats(); rst != (TableStats{Asked: 4, Missing: 4, Origins: 1}) {
		t.Errorf("Recount: stats %+v, want 4 asked, 4 missing, 0 in scope, 1 origin", rst)
	}
	if tab.Stats() != st {
		t.Errorf("after the Recount's times, stats %+v, want %+v still", tab.Stats(), st)
	}
	strict := NewTable(pt, TableOptions{Name: "t.csv", Strict: true, Communes: map[string]orb.Point{"A": a, "B": b}})
	_, err = strict.Times(context.Background(), src[1:2], dst[:1])
	if !errors.Is(err, ErrTimeMissing) || err.Error() != "temps de trajet absent de la table : t.csv : pas de temps pour B → B (--temps-strict)" {
		t.Errorf("strict: err = %v", err)
	}
}

// TestTableLowerBound: MinMinutes(km) never exceeds a time of the table
// (brute force over every pair), and ReachKm is its inverse.
func TestTableLowerBound(t *testing.T) {
	pts := map[string]orb.Point{"A": {5, 45}, "B": {5.2, 45.1}, "C": {5.9, 45.6}}
	pt := mapTimes{"A>B": 9, "B>A": 25, "A>C": 40, "C>B": 30}
	tab := NewTable(pt, TableOptions{Communes: pts})
	vmax := 0.0
	pt.Each(func(o, d string, _ bool, v float64) {
		km := HaversineKm(pts[o], pts[d])
		vmax = max(vmax, km/v*60)
		if lb := tab.MinMinutes(km); lb > v {
			t.Errorf("%s → %s: MinMinutes(%v km) = %v > %v", o, d, km, lb, v)
		}
	})
	// C → B is the fastest pair: 78.0 km in 30 min, 156 km/h.
	if v := tab.ReachKm(30); math.Abs(v-HaversineKm(pts["C"], pts["B"])) > 1e-6 || math.Abs(vmax-156.0) > 0.1 {
		t.Errorf("ReachKm(30) = %v, want the C–B distance %v (vmax %v)", v, HaversineKm(pts["C"], pts["B"]), vmax)
	}
	zero := NewTable(mapTimes{"A>B": 0}, TableOptions{Communes: pts})
	if zero.MinMinutes(100) != 0 || !math.IsInf(zero.ReachKm(1), 1) {
		t.Errorf("a zero time between distinct points must remove the bound")
	}
}
