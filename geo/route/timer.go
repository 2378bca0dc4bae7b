package route

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"diagnum/geo"

	"github.com/paulmach/orb"
)

// MaxSnapKm is the largest distance from a place to its road node: a
// place farther from every road of the extract (outside it, or on an
// island without roads) is not routed; its times come from the model.
const MaxSnapKm = 2.0

// TimerOptions configure NewTimer.
type TimerOptions struct {
	Name  string    // the extract's file, for the report
	Model geo.Model // the access term (place → its node) and unrouted places
	Info  Info      // of the extract
}

// Timer is a geo.TravelTimer on a road graph. The time from s to d is
//
//	t(s, d) = m(s, n(s)) + T(n(s) → n(d)) + m(n(d), d)
//
// where n(x) is the routable node nearest to x (at most MaxSnapKm), T the
// shortest driving time on the graph (Dijkstra) and m the model time of
// the short access trip. A place with no node within MaxSnapKm takes the
// model time for its pairs, counted (Stats); no route between the nodes
// gives +Inf.
type Timer struct {
	*timerData
	asked    atomic.Int64
	unrouted atomic.Int64
}

// timerData is what a Timer and its Recount share.
type timerData struct {
	g    *Graph
	ix   *geo.PointIndex // nodes with arcs
	node []int32         // ix index → graph node
	opt  TimerOptions
	vmax float64
	box  orb.Bound // of the routable nodes, widened by MaxSnapKm
	pool sync.Pool
}

// Recount implements geo.Recounter: the same graph, searches and times,
// with counts (Stats, Describe) of its own.
func (t *Timer) Recount() geo.TravelTimer { return &Timer{timerData: t.timerData} }

// NewTimer returns the timer of g.
func NewTimer(g *Graph, opt TimerOptions) *Timer {
	t := &Timer{timerData: &timerData{g: g, opt: opt}}
	var p []int32
	loc := make([]orb.Point, 0, g.Nodes())
	for n := int32(0); int(n) < g.Nodes(); n++ {
		if g.fwd.off[n+1] > g.fwd.off[n] || g.rev.off[n+1] > g.rev.off[n] {
			p = append(p, n)
			loc = append(loc, g.Points[n])
		}
	}
	t.node, t.ix = p, geo.NewPointIndex(loc)
	if len(loc) > 0 {
		t.box = orb.MultiPoint(loc).Bound()
		// MaxSnapKm in degrees: 1° of latitude is at least 110.5 km, and a
		// degree of longitude at least cos(|lat|) × 111.3 km.
		dLat := MaxSnapKm / 110.5
		lat := max(math.Abs(t.box.Min[1]), math.Abs(t.box.Max[1])) + dLat
		dLon := MaxSnapKm / (111.3 * math.Cos(min(lat, 89)*math.Pi/180))
		t.box = orb.Bound{Min: orb.Point{t.box.Min[0] - dLon, t.box.Min[1] - dLat}, Max: orb.Point{t.box.Max[0] + dLon, t.box.Max[1] + dLat}}
	}
	m := opt.Model
	m.Detour, m.SpeedKmh = cmp.Or(m.Detour, geo.DefaultDetour), cmp.Or(m.SpeedKmh, geo.DefaultSpeedKmh)
	t.opt.Model = m
	t.vmax = max(g.TopKmh, m.SpeedKmh/m.Detour) * (1 + 1e-9)
	t.pool.New = func() any { return NewSearch(g) }
	return t
}

// Snap returns the routable node nearest to p and its distance, or false
// when none lies within MaxSnapKm.
func (t *Timer) Snap(p geo.Place) (int32, float64, bool) {
	if !t.box.Contains(p.Point) {
		return -1, math.Inf(1), false
	}
	ns := t.ix.Nearest(p.Point, 1)
	if len(ns) == 0 || ns[0].Km > MaxSnapKm {
		return -1, math.Inf(1), false
	}
	return t.node[ns[0].Index], ns[0].Km, true
}

// MinMinutes returns km / vmax × 60, vmax the top speed of the graph (or
// of the model's access term when faster): a lower bound of t.
func (t *Timer) MinMinutes(km float64) float64 { return km / t.vmax * 60 }

// ReachKm returns minutes / 60 × vmax.
func (t *Timer) ReachKm(minutes float64) float64 { return minutes / 60 * t.vmax }

// Times implements geo.TravelTimer: one reverse search per destination
// (a forward one when there is a single source), each stopped once
// every node asked for is settled.
func (t *Timer) Times(ctx context.Context, src, dst []geo.Place) ([][]float64, error) {
	return t.times(ctx, src, dst, math.Inf(1))
}

// TimesWithin implements geo.BoundedTimer: the times of Times up to
// maxMinutes, bit for bit, and +Inf for every time above it. Each search
// stops at the first of: every node asked for settled, or the next node
// beyond maxMinutes (a node not settled by then is farther, and the
// other end's access term only adds to it). A search of a région's
// graph thus visits the nodes within the threshold only, not the whole
// graph up to the farthest commune asked for.
func (t *Timer) TimesWithin(ctx context.Context, src, dst []geo.Place, maxMinutes float64) ([][]float64, error) {
	out, err := t.times(ctx, src, dst, maxMinutes)
	for _, row := range out {
		for j, v := range row {
			if v > maxMinutes {
				row[j] = math.Inf(1)
			}
		}
	}
	return out, err
}

// times is Times, the searches stopped beyond limit minutes.
func (t *Timer) times(ctx context.Context, src, dst []geo.Place, limit float64) ([][]float64, error) {
	out := make([][]float64, len(src))
	for i := range out {
		out[i] = make([]float64, len(dst))
	}
	t.asked.Add(int64(len(src) * len(dst)))
	sn, sa := t.snapAll(src)
	dn, da := t.snapAll(dst)
	s := t.pool.Get().(*Search)
	defer t.pool.Put(s)
	limitSec := limit * 60
	if len(src) == 1 && len(dst) > 1 {
		if err := s.runTo(ctx, sn[0], sa[0]*60, false, dn, limitSec); err != nil {
			return nil, err
		}
		for j := range dst {
			out[0][j] = t.combine(s, src[0], dst[j], sn[0], dn[j], dn[j], da[j])
		}
		return out, nil
	}
	for j := range dst {
		if err := s.runTo(ctx, dn[j], da[j]*60, true, sn, limitSec); err != nil {
			return nil, err
		}
		for i := range src {
			out[i][j] = t.combine(s, src[i], dst[j], sn[i], dn[j], sn[i], sa[i])
		}
	}
	return out, nil
}

// combine returns t(s, d) from the last search, whose settled node is
// probe (the other end's node) and whose far access time is access
// (+Inf when the search stopped before probe).
func (t *Timer) combine(s *Search, sp, dp geo.Place, sn, dn, probe int32, access float64) float64 {
	if sn < 0 || dn < 0 {
		t.unrouted.Add(1)
		return t.opt.Model.Minutes(sp.Point, dp.Point)
	}
	return s.Dist(probe)/60 + access
}

// snapAll snaps places: node (-1 when unrouted) and access minutes.
func (t *Timer) snapAll(ps []geo.Place) ([]int32, []float64) {
	n, a := make([]int32, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		var km float64
		var ok bool
		n[i], km, ok = t.Snap(p)
		if ok {
			a[i] = t.opt.Model.KmMinutes(p, km)
		}
	}
	return n, a
}

// Stats returns the times computed and those left to the model (a place
// farther than MaxSnapKm from every road).
func (t *Timer) Stats() (asked, unrouted int64) { return t.asked.Load(), t.unrouted.Load() }

// Describe implements geo.Describer.
func (t *Timer) Describe() geo.Method {
	asked, unrouted := t.Stats()
	date := "date inconnue"
	if !t.opt.Info.Date.IsZero() {
		date = t.opt.Info.Date.Format("02/01/2006")
	}
	return geo.Method{Road: true, Text: fmt.Sprintf(
		"temps routiers calculés sur le graphe routier OpenStreetMap de l'extrait %s (%s ; %d nœuds, %d arcs ; vitesses par classe de route, ou maxspeed × %s ; sens uniques respectés ; plus court chemin de Dijkstra, arrêté au seuil pour les bassins et la couverture) ; chaque point rattaché au nœud routier le plus proche (au plus %s km, trajet d'accès au temps du modèle) ; %d temps calculés, dont %d hors de l'extrait (point à plus de %s km d'une route) donnés par le modèle vol d'oiseau × détour (détour = %s, vitesse = %s km/h)",
		t.opt.Name, date, t.g.Nodes(), t.g.Arcs(), geo.FrNumber(MaxSpeedFactor), geo.FrNumber(MaxSnapKm), asked, unrouted, geo.FrNumber(MaxSnapKm),
		geo.FrNumber(t.opt.Model.Detour), geo.FrNumber(t.opt.Model.SpeedKmh))}
}

// Name returns the extract's file name.
func (t *Timer) Name() string { return t.opt.Name }
