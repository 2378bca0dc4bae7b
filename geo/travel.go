package geo

import (
	"cmp"
	"context"
	"fmt"

	"github.com/paulmach/orb"
)

// Place is a point with the identities a travel-time table may be keyed
// on: the INSEE code of the commune it lies in and, for a site, its id.
// The model and OSRM use Point only.
type Place struct {
	Point   orb.Point
	Commune string // INSEE code of the commune the place lies in ("" unknown)
	ID      string // site id; "" for the representative point of a commune
}

// At returns the anonymous place at p (no commune, no id).
func At(p orb.Point) Place { return Place{Point: p} }

// TravelTimer gives travel times in minutes. Model is the default; Table
// reads a time table, OSRM asks a road-network server.
type TravelTimer interface {
	// Times returns t[i][j], the travel time in minutes from src[i] to
	// dst[j] (+Inf when there is no route). It is safe for concurrent use.
	Times(ctx context.Context, src, dst []Place) ([][]float64, error)
	// MinMinutes is a lower bound of the travel time between two points
	// km apart (great circle). It is increasing in km.
	MinMinutes(km float64) float64
	// ReachKm is the largest great-circle distance at which the travel
	// time can still be at most minutes (the inverse of MinMinutes).
	ReachKm(minutes float64) float64
}

// DistanceTimer is the optional fast path of a TravelTimer whose time
// depends only on the great-circle distance and on the origin's
// identity: Times(src, dst)[i][j] is KmMinutes(src[i],
// HaversineKm(src[i].Point, dst[j].Point)) bit for bit, and KmMinutes
// is increasing in km for a given origin, so a caller holding the
// distance (from a spatial index) needs no matrix.
type DistanceTimer interface {
	TravelTimer
	KmMinutes(src Place, km float64) float64
}

// BoundedTimer is the optional bounded path of a TravelTimer whose cost
// grows with the time searched (a road graph): a caller that needs the
// times up to a threshold only (coverage, catchments) asks TimesWithin,
// which returns Times(src, dst)[i][j] bit for bit when it is at most
// maxMinutes, and +Inf otherwise.
type BoundedTimer interface {
	TravelTimer
	TimesWithin(ctx context.Context, src, dst []Place, maxMinutes float64) ([][]float64, error)
}

// Method says how a TravelTimer's times are obtained, for the report.
type Method struct {
	Road bool   // road times (table, OSRM, OSM graph) rather than the crow-fly model
	Text string // French description: backend, parameters, source, coverage
}

// Describer is implemented by timers that can describe their method;
// Describe is called after the computation, so it may report coverage.
type Describer interface {
	Describe() Method
}

// Recounter is implemented by timers that count their work for the
// report (the times asked, those left to the model: Describe, Stats).
// Recount returns a timer giving the same times, sharing the data and
// searches, whose counts start at zero. A run made beside the diagnostic
// with the same timer (the offers of Synthèse) takes its own, so that
// the diagnostic's counts do not depend on how far that run has got.
type Recounter interface {
	Recount() TravelTimer
}

// Recount returns t.Recount() when t is a Recounter, t otherwise (nil
// included).
func Recount(t TravelTimer) TravelTimer {
	if r, ok := t.(Recounter); ok {
		return r.Recount()
	}
	return t
}

// DescribeTimer returns t's method, or a generic road method for a
// timer that does not describe itself.
func DescribeTimer(t TravelTimer) Method {
	if d, ok := t.(Describer); ok {
		return d.Describe()
	}
	return Method{Road: true, Text: fmt.Sprintf("temps de trajet donnés par un calculateur d'itinéraires (%T), en minutes", t)}
}

// Default parameters of Model.
const (
	DefaultDetour   = 1.3  // road distance / great-circle distance
	DefaultSpeedKmh = 50.0 // mean door-to-door speed, km/h
)

// Model is the straight-line travel-time model:
//
//	t_ij (minutes) = haversine(i, j) km × Detour / SpeedKmh × 60
//
// A zero field takes its default (DefaultDetour, DefaultSpeedKmh), so the
// zero Model is the default model.
type Model struct {
	Detour   float64 // road distance / great-circle distance, default 1.3
	SpeedKmh float64 // mean speed, default 50
}

// DefaultModel returns the model with the documented defaults (1.3, 50 km/h).
func DefaultModel() Model { return Model{Detour: DefaultDetour, SpeedKmh: DefaultSpeedKmh} }

// WithDefaults returns m with its zero fields replaced by their defaults:
// MinMinutes(km) is km × Detour / SpeedKmh × 60 of the result, in that
// order, so a caller timing many distances can evaluate it inline.
func (m Model) WithDefaults() Model {
	m.Detour, m.SpeedKmh = cmp.Or(m.Detour, DefaultDetour), cmp.Or(m.SpeedKmh, DefaultSpeedKmh)
	return m
}

// Minutes returns the modelled travel time between a and b.
func (m Model) Minutes(a, b orb.Point) float64 { return m.MinMinutes(HaversineKm(a, b)) }

// KmMinutes returns MinMinutes(km) whatever the origin (DistanceTimer).
func (m Model) KmMinutes(_ Place, km float64) float64 { return m.MinMinutes(km) }

// MinMinutes returns km × Detour / SpeedKmh × 60, the model time for a
// great-circle distance of km: the model is its own lower bound.
func (m Model) MinMinutes(km float64) float64 {
	m = m.WithDefaults()
	return km * m.Detour / m.SpeedKmh * 60
}

// ReachKm returns minutes / 60 × SpeedKmh / Detour.
func (m Model) ReachKm(minutes float64) float64 {
	m = m.WithDefaults()
	return minutes / 60 * m.SpeedKmh / m.Detour
}

// Times implements TravelTimer. It checks ctx between rows.
func (m Model) Times(ctx context.Context, src, dst []Place) ([][]float64, error) {
	return pairTimes(ctx, src, dst, func(a, b Place) (float64, error) { return m.Minutes(a.Point, b.Point), nil })
}

// pairTimes returns the matrix of f(src[i], dst[j]), checking ctx between
// rows; it stops at the first error of f. The TravelTimers that time each
// pair alone (the models, a table) are this.
func pairTimes(ctx context.Context, src, dst []Place, f func(a, b Place) (float64, error)) ([][]float64, error) {
	t := make([][]float64, len(src))
	for i, a := range src {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t[i] = make([]float64, len(dst))
		for j, b := range dst {
			v, err := f(a, b)
			if err != nil {
				return nil, err
			}
			t[i][j] = v
		}
	}
	return t, nil
}

// Describe implements Describer.
func (m Model) Describe() Method {
	m = m.WithDefaults()
	return Method{Text: fmt.Sprintf("temps estimés (vol d'oiseau × détour) : distance orthodromique (haversine, R = %s km) × détour / vitesse × 60, en minutes (détour = %s, vitesse = %s km/h)",
		FrNumber(EarthRadiusKm), FrNumber(m.Detour), FrNumber(m.SpeedKmh))}
}
