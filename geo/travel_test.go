package geo

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

var (
	notreDame = orb.Point{2.3499, 48.8530}
	gueret    = orb.Point{1.8717, 46.1700}
)

func TestModel(t *testing.T) {
	tests := []struct {
		name string
		m    Model
		km   float64
		min  float64
	}{
		// 300.4887 km × 1.3 / 50 × 60 = 468.7624 min (Notre-Dame → Guéret).
		{"default", DefaultModel(), HaversineKm(notreDame, gueret), 468.7624},
		// The zero Model takes the defaults.
		{"zero", Model{}, HaversineKm(notreDame, gueret), 468.7624},
		// 10 km × 1 / 60 × 60 = 10 min.
		{"one-km-a-minute", Model{Detour: 1, SpeedKmh: 60}, 10, 10},
		// 111.1951 km × 1.3 / 50 × 60 = 173.4643 min.
		{"equator-degree", DefaultModel(), 111.1951, 173.4643},
		{"zero-distance", DefaultModel(), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.m.MinMinutes(tt.km)
			if math.Abs(got-tt.min) > 1e-4 {
				t.Errorf("MinMinutes(%v) = %.6f, want %.4f", tt.km, got, tt.min)
			}
			if back := tt.m.ReachKm(got); math.Abs(back-tt.km) > 1e-9 {
				t.Errorf("ReachKm(MinMinutes(%v)) = %v", tt.km, back)
			}
		})
	}
	// 30 min / 60 × 50 / 1.3 = 19.2308 km.
	if got := DefaultModel().ReachKm(30); math.Abs(got-19.2308) > 1e-4 {
		t.Errorf("ReachKm(30) = %v, want 19.2308", got)
	}
	if got := DefaultModel().Minutes(notreDame, gueret); math.Abs(got-468.7624) > 1e-4 {
		t.Errorf("Minutes(Notre-Dame, Guéret) = %v, want 468.7624", got)
	}
}

func TestModelTimes(t *testing.T) {
	var tt TravelTimer = DefaultModel()
	src := []orb.Point{notreDame, gueret}
	dst := []orb.Point{gueret, notreDame, {1, 0}}
	got, err := tt.Times(context.Background(), placesOf(src), placesOf(dst))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0]) != 3 || len(got[1]) != 3 {
		t.Fatalf("shape %d×%d, want 2×3", len(got), len(got[0]))
	}
	want := [2][3]float64{{468.7624, 0, 0}, {0, 468.7624, 0}}
	for i := range 2 {
		for j := range 2 {
			if math.Abs(got[i][j]-want[i][j]) > 1e-4 {
				t.Errorf("t[%d][%d] = %v, want %v", i, j, got[i][j], want[i][j])
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tt.Times(ctx, placesOf(src), placesOf(dst)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

// placesOf returns the anonymous places at pts.
func placesOf(pts []orb.Point) []Place {
	out := make([]Place, len(pts))
	for i, p := range pts {
		out[i] = At(p)
	}
	return out
}
