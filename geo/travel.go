package geo

import (
	"context"

	"github.com/paulmach/orb"
)

// TravelTimer gives travel times in minutes. Model is the default; OSRM
// asks a road-network server.
type TravelTimer interface {
	// Times returns t[i][j], the travel time in minutes from src[i] to dst[j].
	Times(ctx context.Context, src, dst []orb.Point) ([][]float64, error)
	// MinMinutes is a lower bound of the travel time between two points
	// km apart (great circle). It is increasing in km.
	MinMinutes(km float64) float64
	// ReachKm is the largest great-circle distance at which the travel
	// time can still be at most minutes (the inverse of MinMinutes).
	ReachKm(minutes float64) float64
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

// withDefaults replaces zero fields by their defaults.
func (m Model) withDefaults() Model {
	if m.Detour == 0 {
		m.Detour = DefaultDetour
	}
	if m.SpeedKmh == 0 {
		m.SpeedKmh = DefaultSpeedKmh
	}
	return m
}

// Minutes returns the modelled travel time between a and b.
func (m Model) Minutes(a, b orb.Point) float64 { return m.MinMinutes(HaversineKm(a, b)) }

// MinMinutes returns km × Detour / SpeedKmh × 60 (exact for the model).
func (m Model) MinMinutes(km float64) float64 {
	m = m.withDefaults()
	return km * m.Detour / m.SpeedKmh * 60
}

// ReachKm returns minutes / 60 × SpeedKmh / Detour.
func (m Model) ReachKm(minutes float64) float64 {
	m = m.withDefaults()
	return minutes / 60 * m.SpeedKmh / m.Detour
}

// Times implements TravelTimer. It checks ctx between rows.
func (m Model) Times(ctx context.Context, src, dst []orb.Point) ([][]float64, error) {
	t := make([][]float64, len(src))
	for i, a := range src {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t[i] = make([]float64, len(dst))
		for j, b := range dst {
			t[i][j] = m.Minutes(a, b)
		}
	}
	return t, nil
}
