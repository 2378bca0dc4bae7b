package diag

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"diagnum/data"
	"diagnum/geo"
	"diagnum/geo/route"

	"github.com/paulmach/orb"
)

// unboundedTimer hides the bounded path of a timer (geo.BoundedTimer):
// only Times, MinMinutes and ReachKm remain.
type unboundedTimer struct{ geo.TravelTimer }

// TestBoundedRoadSearchIsFull: under --osm the catchments ask the road
// graph for the times up to d0 only (route.Timer.TimesWithin, searches
// stopped at the threshold); the diagnostic is the same, bit for bit, as
// with searches run until every commune asked for is settled. Communes
// and sites are scattered over the Monaco extract (testdata/osm), with a
// 4-minute threshold so that the bound cuts.
func TestBoundedRoadSearchIsFull(t *testing.T) {
	g, info, err := route.ReadPBF(context.Background(), openFixture(t, "osm/monaco.osm.pbf"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	ds := &data.Dataset{}
	for k := range 30 {
		p := g.Points[rng.IntN(g.Nodes())]
		ds.Communes = append(ds.Communes, data.Commune{Code: fmt.Sprintf("06%03d", 100+k), Name: fmt.Sprint("c", k), Dep: "06", Region: "93",
			Population: 100 + rng.IntN(5000), Point: p, HasPoint: true})
	}
	for k := range 4 {
		p := g.Points[rng.IntN(g.Nodes())]
		ds.Sites = append(ds.Sites, data.Site{ID: fmt.Sprint("s", k), Name: fmt.Sprint("s", k), Kind: data.KindCNFS,
			Point: orb.Point{p[0] + 0.0005, p[1]}, FTE: 1})
	}
	cut := 0
	var res [2]*Result
	for k, bounded := range []bool{true, false} {
		var tm geo.TravelTimer = route.NewTimer(g, route.TimerOptions{Name: "monaco.osm.pbf", Info: info})
		if !bounded {
			tm = unboundedTimer{tm}
		}
		if res[k], err = Compute(context.Background(), ds, Params{ThresholdMin: 4, Timer: tm}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range res[1].Communes {
		if !c.Covered && c.NearestMin < 1e9 {
			cut++
		}
	}
	if fmt.Sprint(res[0].Communes) != fmt.Sprint(res[1].Communes) || fmt.Sprint(res[0].Sites) != fmt.Sprint(res[1].Sites) {
		t.Errorf("bounded and full searches differ:\n%v\n%v", res[0].Communes, res[1].Communes)
	}
	if cut == 0 {
		t.Error("every commune is within the threshold: the bound cuts nothing")
	}
}
