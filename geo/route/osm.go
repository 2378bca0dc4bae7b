package route

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// Info describes the extract a graph was built from.
type Info struct {
	Date     time.Time // replication timestamp of the extract (zero when absent)
	Ways     int       // routable ways read
	Segments int       // segments kept (both ends in the extract)
	Cut      int       // segments left out: a node outside the extract
}

// ReadPBF builds the car graph of an OpenStreetMap extract: every way
// whose highway class has a speed (Speeds) and that cars may use, at the
// speed of wayKmh, in the directions of direction. Nodes are read first
// (as .osm.pbf files order them), into sorted arrays (nodeTable); a
// segment whose node is absent from the extract is left out (counted in
// Info.Cut).
//
// Once ctx is done (Ctrl-C, SIGTERM) the reading stops and ctx's error is
// returned, never a graph of the part read so far.
func ReadPBF(ctx context.Context, r io.Reader) (*Graph, Info, error) {
	sc := osmpbf.New(ctx, r, 1)
	defer sc.Close()
	sc.SkipRelations = true
	var info Info
	if h, err := sc.Header(); err == nil && h != nil {
		info.Date = h.ReplicationTimestamp
	}
	var nodes nodeTable
	b := &Builder{}
	node := func(id osm.NodeID) (int32, bool) { return nodes.index(id, b) }
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			nodes.add(o.ID, orb.Point{o.Lon, o.Lat})
		case *osm.Way:
			t := o.Tags
			kmh := wayKmh(t.Find("highway"), t.Find("maxspeed"), t.Find("access"), t.Find("motor_vehicle"))
			if kmh == 0 || len(o.Nodes) < 2 {
				continue
			}
			fwd, bwd := direction(t.Find("highway"), t.Find("oneway"), t.Find("junction"))
			info.Ways++
			for k := 1; k < len(o.Nodes); k++ {
				a, okA := node(o.Nodes[k-1].ID)
				c, okC := node(o.Nodes[k].ID)
				if !okA || !okC {
					info.Cut++
					continue
				}
				b.AddSegment(a, c, kmh, fwd, bwd)
				info.Segments++
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, info, err // the scanner stops without an error of its own
	}
	if err := sc.Err(); err != nil {
		return nil, info, fmt.Errorf("route : lecture de l'extrait : %w", err)
	}
	if info.Segments == 0 {
		return nil, info, errors.New("route : aucune route ouverte aux voitures dans l'extrait")
	}
	g, err := b.Build()
	if err == nil && ctx.Err() != nil {
		return nil, info, ctx.Err()
	}
	return g, info, err
}
