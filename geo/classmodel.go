package geo

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// ClassModel is the crow-fly model with parameters per density class of
// the origin commune (the INSEE grid, 1–7), as diagnum calibrer fits
// them:
//
//	t(s, d) = haversine(s, d) km × Detour_c / SpeedKmh_c × 60,  c = Class(s.Commune)
//
// with the parameters of All when the class is unknown or has none.
type ClassModel struct {
	All     Model
	ByClass map[int]Model
	// Class returns the density class of a commune, 0 when unknown.
	Class  func(code string) int
	Source string // the parameters file, for Describe
}

// ForClass returns the model of density class c: ByClass[c], else All.
func (m ClassModel) ForClass(c int) Model {
	if x, ok := m.ByClass[c]; ok {
		return x
	}
	return m.All
}

// model returns the model of origin src.
func (m ClassModel) model(src Place) Model {
	if m.Class == nil {
		return m.All
	}
	return m.ForClass(m.Class(src.Commune))
}

// KmMinutes implements DistanceTimer: the model of src's class.
func (m ClassModel) KmMinutes(src Place, km float64) float64 { return m.model(src).MinMinutes(km) }

// MinMinutes returns the time of the fastest class (a lower bound).
func (m ClassModel) MinMinutes(km float64) float64 {
	t := m.All.MinMinutes(km)
	for _, x := range m.ByClass {
		t = min(t, x.MinMinutes(km))
	}
	return t
}

// ReachKm returns the reach of the fastest class.
func (m ClassModel) ReachKm(minutes float64) float64 {
	r := m.All.ReachKm(minutes)
	for _, x := range m.ByClass {
		r = max(r, x.ReachKm(minutes))
	}
	return r
}

// Times implements TravelTimer. It checks ctx between rows.
func (m ClassModel) Times(ctx context.Context, src, dst []Place) ([][]float64, error) {
	return pairTimes(ctx, src, dst, func(a, b Place) (float64, error) {
		return m.KmMinutes(a, HaversineKm(a.Point, b.Point)), nil
	})
}

// Describe implements Describer.
func (m ClassModel) Describe() Method {
	var parts []string
	a := m.All.WithDefaults()
	parts = append(parts, fmt.Sprintf("toutes : détour %s, vitesse %s km/h", FrNumber(a.Detour), FrNumber(a.SpeedKmh)))
	classes := make([]int, 0, len(m.ByClass))
	for c := range m.ByClass {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	for _, c := range classes {
		x := m.ByClass[c].WithDefaults()
		parts = append(parts, fmt.Sprintf("classe %d : détour %s, vitesse %s km/h", c, FrNumber(x.Detour), FrNumber(x.SpeedKmh)))
	}
	return Method{Text: fmt.Sprintf("temps estimés (vol d'oiseau × détour) : distance orthodromique (haversine, R = %s km) × détour / vitesse × 60, en minutes, paramètres calés sur des temps routiers par classe de densité de la commune d'origine (grille INSEE 1–7, fichier %s) : %s",
		FrNumber(EarthRadiusKm), m.Source, strings.Join(parts, " ; "))}
}
