package route

import (
	"context"
	"math"
	"math/rand/v2"
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
	// Recount: the same times, counted apart from tm's.
	rc := geo.Recount(tm).(*Timer)
	again, err := rc.Times(context.Background(), places, places[:2])
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		for j := range again[i] {
			if again[i][j] != got[i][j] {
				t.Errorf("Recount: %s → %s: %v, want %v", places[i].Commune, places[j].Commune, again[i][j], got[i][j])
			}
		}
	}
	if asked, unrouted := rc.Stats(); asked != 10 || unrouted != 0 {
		t.Errorf("Recount: Stats() = %d, %d; want 10 asked, 0 unrouted", asked, unrouted)
	}
	if asked, unrouted := tm.Stats(); asked != 26 || unrouted != 1 {
		t.Errorf("after the Recount's times, Stats() = %d, %d; want 26, 1 still", asked, unrouted)
	}
}

// TestTimesWithinEqualsTimes: the bounded searches give the unbounded
// times bit for bit up to the bound and +Inf above it, for many sources
// and one destination (a catchment) and for one source and many
// destinations, on the Monaco graph with places scattered over the
// extract (some off the roads, one outside it: the model's time).
func TestTimesWithinEqualsTimes(t *testing.T) {
	g, info := monaco()
	tm := NewTimer(g, TimerOptions{Name: "monaco.osm.pbf", Info: info})
	rng := rand.New(rand.NewPCG(5, 6))
	var places []geo.Place
	for range 16 {
		p := g.Points[rng.IntN(g.Nodes())]
		places = append(places, geo.At(orb.Point{p[0] + (rng.Float64()-0.5)*0.004, p[1] + (rng.Float64()-0.5)*0.004}))
	}
	places = append(places, geo.At(orb.Point{7.262, 43.703})) // Nice, off the extract
	ctx := context.Background()
	full, err := tm.Times(ctx, places, places)
	if err != nil {
		t.Fatal(err)
	}
	kept, cut := 0, 0
	for _, limit := range []float64{0.5, 3, 30} {
		for j := range places {
			col, err := tm.TimesWithin(ctx, places, places[j:j+1], limit)
			if err != nil {
				t.Fatal(err)
			}
			row, err := tm.TimesWithin(ctx, places[j:j+1], places, limit)
			if err != nil {
				t.Fatal(err)
			}
			// One source is a forward search: its sums run the other
			// way, so it is compared with the unbounded one of that shape.
			fullRow, err := tm.Times(ctx, places[j:j+1], places)
			if err != nil {
				t.Fatal(err)
			}
			for i := range places {
				for _, c := range []struct {
					got, want float64
					what      string
				}{{col[i][0], full[i][j], "to"}, {row[0][i], fullRow[0][i], "from"}} {
					want := c.want
					if want > limit {
						want = math.Inf(1)
						cut++
					} else {
						kept++
					}
					if c.got != want {
						t.Errorf("limit %v min, %s place %d, pair %d: %v, full search %v", limit, c.what, j, i, c.got, c.want)
					}
				}
			}
		}
	}
	if kept == 0 || cut == 0 {
		t.Errorf("%d pairs kept, %d cut: the bounds test nothing", kept, cut)
	}
}
