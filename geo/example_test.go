package geo_test

import (
	"fmt"

	"diagnum/geo"

	"github.com/paulmach/orb"
)

// The great-circle distance from Notre-Dame de Paris to Guéret, and the
// travel time of the default model (× 1.3 detour, 50 km/h).
func ExampleHaversineKm() {
	notreDame := orb.Point{2.3499, 48.8530} // lon, lat
	gueret := orb.Point{1.8717, 46.1700}
	km := geo.HaversineKm(notreDame, gueret)
	fmt.Printf("%.1f km\n", km)
	fmt.Printf("%.0f min\n", geo.DefaultModel().Minutes(notreDame, gueret))
	// Output:
	// 300.5 km
	// 469 min
}

// Nearest sites of a point, by increasing distance (28.22 and 32.09 km,
// checked with an independent python3 haversine).
func ExamplePointIndex_Nearest() {
	sites := []orb.Point{
		{1.8717, 46.1700}, // Guéret
		{2.3499, 48.8530}, // Paris
		{1.2611, 45.8336}, // Limoges
	}
	ix := geo.NewPointIndex(sites)
	for _, n := range ix.Nearest(orb.Point{1.6, 46.0}, 2) {
		fmt.Printf("site %d at %.1f km\n", n.Index, n.Km)
	}
	// Output:
	// site 0 at 28.2 km
	// site 2 at 32.1 km
}
