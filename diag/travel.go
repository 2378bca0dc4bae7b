package diag

import (
	"context"
	"fmt"
	"math"

	"diagnum/geo"
)

// maxSearchKm caps search radii: no two points on Earth are farther apart.
const maxSearchKm = 20100.0

// timing computes travel times: with a geo.DistanceTimer (the model),
// inline from the great-circle distance the spatial index reports,
// without building matrices; otherwise through batched calls to the
// TravelTimer with the places' identities.
type timing struct {
	fast  bool
	km    func(src geo.Place, km float64) float64 // DistanceTimer.KmMinutes when fast
	timer geo.TravelTimer
	// model is the timer when it is a geo.Model, its fields defaulted
	// (nil otherwise): kmMinutes is then km × Detour / SpeedKmh × 60,
	// which the pairs' loop evaluates inline (gaussRow).
	model *geo.Model
}

func newTiming(t geo.TravelTimer) timing {
	if d, ok := t.(geo.DistanceTimer); ok {
		tm := timing{fast: true, km: d.KmMinutes, timer: t}
		if m, ok := t.(geo.Model); ok {
			m = m.WithDefaults()
			tm.model = &m
		}
		return tm
	}
	return timing{timer: t}
}

// kmMinutes is DistanceTimer.KmMinutes: the time from src to a place km
// away (fast path only).
func (tm *timing) kmMinutes(src geo.Place, km float64) float64 { return tm.km(src, km) }

// reachKm returns the search radius for a time budget: the timer's
// ReachKm padded by a relative 1e-9 (plus 1 mm) so that rounding never
// leaves out a pair whose computed time is within the budget.
func (tm *timing) reachKm(minutes float64) float64 {
	r := tm.timer.ReachKm(minutes)
	if !(r >= 0) {
		return 0
	}
	return min(maxSearchKm, r*(1+1e-9)+1e-6)
}

// toPoint sets out[k] to the travel time from srcs[k] to dst. Only the
// times up to limit minutes are needed: with a geo.BoundedTimer (a road
// graph) the searches stop there and a time above limit is +Inf; pass
// +Inf for every time.
func (tm *timing) toPoint(ctx context.Context, srcs []geo.Place, dst geo.Place, limit float64, out []float64) error {
	return tm.oneToMany(ctx, dst, srcs, true, limit, out)
}

// fromPoint sets out[k] to the travel time from src to dsts[k].
func (tm *timing) fromPoint(ctx context.Context, src geo.Place, dsts []geo.Place, out []float64) error {
	return tm.oneToMany(ctx, src, dsts, false, math.Inf(1), out)
}

// oneToMany sets out[k] to the travel time between p and many[k]: from
// many[k] to p when to is set, from p to many[k] otherwise; limit as in
// toPoint. The timer answers a len(many)×1 or a 1×len(many) matrix, whose
// cell (x, y) is out[x+y].
func (tm *timing) oneToMany(ctx context.Context, p geo.Place, many []geo.Place, to bool, limit float64, out []float64) error {
	if tm.fast {
		for k, m := range many {
			src, dst := p, m
			if to {
				src, dst = m, p
			}
			out[k] = tm.kmMinutes(src, geo.HaversineKm(src.Point, dst.Point))
		}
		return nil
	}
	if len(many) == 0 {
		return nil
	}
	srcs, dsts := []geo.Place{p}, many
	if to {
		srcs, dsts = many, srcs
	}
	var t [][]float64
	var err error
	if bt, ok := tm.timer.(geo.BoundedTimer); ok && !math.IsInf(limit, 1) {
		t, err = bt.TimesWithin(ctx, srcs, dsts, limit)
	} else {
		t, err = tm.timer.Times(ctx, srcs, dsts)
	}
	if err != nil {
		return fmt.Errorf("temps de trajet : %w", err)
	}
	if len(t) != len(srcs) {
		return fmt.Errorf("temps de trajet : %d lignes pour %d origine(s)", len(t), len(srcs))
	}
	for x, row := range t {
		if len(row) != len(dsts) {
			return fmt.Errorf("temps de trajet : %d colonnes pour %d destination(s)", len(row), len(dsts))
		}
		for y, v := range row {
			if out[x+y], err = cleanTime(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// cleanTime maps an unknown time (NaN, no route) to +Inf and refuses a
// negative one.
func cleanTime(v float64) (float64, error) {
	switch {
	case math.IsNaN(v):
		return math.Inf(1), nil
	case v < 0:
		return 0, fmt.Errorf("temps de trajet : temps négatif de %v minutes", v)
	}
	return v, nil
}

// nearestBatch is the number of candidates sent per Times call by nearest.
const nearestBatch = 32

// nearest returns the index in ix of the point of pts with the smallest
// travel time from p, and that time, skipping index skip (-1 for none).
// Ties go to the lowest index. It returns (-1, +Inf) when ix holds no
// other point. r0 is the first search radius of the model's search.
func (tm *timing) nearest(ctx context.Context, ix *geo.PointIndex, pts []geo.Place, p geo.Place, skip int, r0 float64) (int, float64, error) {
	if tm.fast {
		q, t := tm.nearestWithin(ix, nil, p, skip, r0)
		return q, t, nil
	}
	return tm.nearestAscending(ctx, ix, pts, p, skip)
}

// nearestWithin searches discs of radius r0, 2·r0, 4·r0, … with the
// model: once the best time found is below the model time of the radius,
// every point outside the disc (farther than the radius) is slower, so
// the answer is exact, ties included.
// The discs are searched in st when it is not nil (the same points and
// distances as ix's, in another order), else in ix.
func (tm *timing) nearestWithin(ix *geo.PointIndex, st *geo.StripIndex, p geo.Place, skip int, r0 float64) (int, float64) {
	r := max(r0, 0.1)
	for {
		r = min(r, maxSearchKm)
		best, bestQ := math.Inf(1), -1
		var buf [64]geo.Neighbor
		ns := buf[:0]
		switch {
		case st != nil && tm.model != nil:
			// The model's time grows with the distance: only the
			// nearest points (ties and near-ties included) can win.
			ns = st.AppendNearest(ns, p.Point, r, skip)
		case st != nil:
			ns = st.AppendWithin(ns, p.Point, r)
		default:
			ns = ix.AppendWithin(ns, p.Point, r)
		}
		for _, n := range ns {
			if n.Index != skip { // n.Km is HaversineKm(p, point): see catchment
				if t := tm.kmMinutes(p, n.Km); t < best || t == best && n.Index < bestQ {
					best, bestQ = t, n.Index
				}
			}
		}
		if r == maxSearchKm || bestQ >= 0 && best < tm.kmMinutes(p, r) {
			return bestQ, best
		}
		r *= 2
	}
}

// nearestAscending visits points by increasing distance and stops once
// MinMinutes of the distance exceeds the best time found; times are asked
// in batches of nearestBatch.
func (tm *timing) nearestAscending(ctx context.Context, ix *geo.PointIndex, pts []geo.Place, p geo.Place, skip int) (int, float64, error) {
	best, bestQ := math.Inf(1), -1
	batch := make([]int, 0, nearestBatch)
	dst, out := make([]geo.Place, 0, nearestBatch), make([]float64, nearestBatch)
	var err error
	flush := func() {
		dst, out = dst[:0], out[:len(batch)]
		for _, q := range batch {
			dst = append(dst, pts[q])
		}
		if err = tm.fromPoint(ctx, p, dst, out); err == nil {
			for k, q := range batch {
				if t := out[k]; t < best || t == best && bestQ >= 0 && q < bestQ {
					best, bestQ = t, q
				}
			}
		}
		batch = batch[:0]
	}
	ix.Ascending(p.Point, func(n geo.Neighbor) bool {
		if n.Index == skip {
			return true
		}
		if bestQ >= 0 && tm.timer.MinMinutes(n.Km) > best*(1+1e-12)+1e-12 {
			return false
		}
		batch = append(batch, n.Index)
		if len(batch) == nearestBatch {
			flush()
		}
		return err == nil
	})
	if err == nil && len(batch) > 0 {
		flush()
	}
	if err != nil {
		return -1, math.Inf(1), err
	}
	return bestQ, best, nil
}
