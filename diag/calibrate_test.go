package diag

import (
	"context"
	"math"
	"testing"

	"diagnum/data"
)

func isereTable(t *testing.T, ds *data.Dataset) *data.TravelTable {
	t.Helper()
	f := openFixture(t, "temps/temps-voiture-isere.csv")
	tab, _, err := data.LoadTravelTable("isere.csv", f, data.TravelTableOptions{Unit: data.UnitSeconds, Known: ds.KnownCode})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// TestCalibrateIsere fits the model on the real OSRM times of Isère: the
// fitted model's median absolute error is lower than the default
// model's, overall and in every class with its own parameters, and the
// overall fit is the km-weighted median of minutes per km.
func TestCalibrateIsere(t *testing.T) {
	ds := embedded(t)
	tab := isereTable(t, ds)
	c, err := Calibrate(context.Background(), ds, tab, Params{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pairs %d (left out %d); default median %.3f p90 %.3f; overall fit %.2f km/h median %.3f p90 %.3f; per class median %.3f p90 %.3f; coverage change %.4f → %.4f over %d communes",
		c.All.Pairs, c.Skipped, c.All.DefMedianErr, c.All.DefP90Err, c.Overall.Model.SpeedKmh, c.Overall.MedianErr, c.Overall.P90Err,
		c.All.MedianErr, c.All.P90Err, c.CoverageDefault, c.CoverageFit, c.Communes)
	for _, f := range c.Classes {
		t.Logf("class %d: %d pairs, %.2f km/h (own %v), median %.3f (default %.3f), p90 %.3f (default %.3f)",
			f.Class, f.Pairs, f.Model.SpeedKmh, f.Own, f.MedianErr, f.DefMedianErr, f.P90Err, f.DefP90Err)
		if f.Own && !(f.MedianErr < f.DefMedianErr) {
			t.Errorf("class %d: fitted median error %v not below the default's %v", f.Class, f.MedianErr, f.DefMedianErr)
		}
	}
	if !(c.Overall.MedianErr < c.All.DefMedianErr) || !(c.All.MedianErr < c.All.DefMedianErr) {
		t.Errorf("fitted median errors %v (overall) and %v (per class) not below the default's %v", c.Overall.MedianErr, c.All.MedianErr, c.All.DefMedianErr)
	}
	// The provenance note gives a median of 1.39 min per crow-fly km over
	// the pairs: the km-weighted median lies close to it.
	r := c.Overall.Model.Detour / c.Overall.Model.SpeedKmh * 60
	if math.Abs(r-1.39) > 0.15 || c.All.Pairs < 250000 {
		t.Errorf("fitted %v min/km over %d pairs, want about 1.39 over ~261k", r, c.All.Pairs)
	}
}
