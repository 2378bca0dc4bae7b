package route

import (
	"context"
	"math"
	"testing"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// TestMonacoCommunes: the French communes of the extract (Beausoleil,
// Cap-d'Ail, La Turbie, Èze, Roquebrune-Cap-Martin) snap to a road within
// MaxSnapKm and get road times between them: finite, at least the
// crow-fly time at the top speed, equal to a direct search plus the
// access terms; a place far from the extract (Nice) takes the model.
func TestMonacoCommunes(t *testing.T) {
	ds, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	g, info := monaco()
	tm := NewTimer(g, TimerOptions{Name: "monaco.osm.pbf", Info: info})
	var places []geo.Place
	for _, code := range []string{"06012", "06032", "06150", "06059", "06104"} {
		i, ok := ds.CommuneIndex(code)
		if !ok || !ds.Communes[i].HasPoint {
			t.Fatalf("commune %s has no point", code)
		}
		p := geo.Place{Point: ds.Communes[i].Point, Commune: code}
		if _, km, ok := tm.Snap(p); !ok {
			t.Fatalf("%s: no road within %v km (%v km)", code, MaxSnapKm, km)
		}
		places = append(places, p)
	}
	got, err := tm.Times(context.Background(), places, places)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSearch(g)
	m := geo.DefaultModel()
	for i, a := range places {
		na, ka, _ := tm.Snap(a)
		s.Run(context.Background(), []int32{na}, []float64{0}, false, math.Inf(1), nil)
		for j, b := range places {
			nb, kb, _ := tm.Snap(b)
			want := m.MinMinutes(ka) + s.Dist(nb)/60 + m.MinMinutes(kb)
			if math.Abs(got[i][j]-want) > 1e-9 || got[i][j] < tm.MinMinutes(geo.HaversineKm(a.Point, b.Point)) {
				t.Errorf("%s → %s: %v min, want %v (crow-fly bound %v)", a.Commune, b.Commune, got[i][j], want, tm.MinMinutes(geo.HaversineKm(a.Point, b.Point)))
			}
			if i != j && !(got[i][j] > 0 && got[i][j] < 45) {
				t.Errorf("%s → %s: %v min", a.Commune, b.Commune, got[i][j])
			}
		}
	}
	t.Logf("Beausoleil → La Turbie %.1f min, Cap-d'Ail → Roquebrune %.1f min, Èze → Beausoleil %.1f min", got[0][2], got[1][4], got[3][0])
	nice := geo.At(orb.Point{7.262, 43.703})
	far, err := tm.Times(context.Background(), []geo.Place{nice}, places[:1])
	if err != nil || far[0][0] != m.Minutes(nice.Point, places[0].Point) {
		t.Errorf("Nice → Beausoleil: %v, %v; want the model time", far, err)
	}
	if asked, unrouted := tm.Stats(); asked != 26 || unrouted != 1 {
		t.Errorf("Stats() = %d, %d; want 26 asked, 1 unrouted", asked, unrouted)
	}
}
