package diag

import (
	"bytes"
	"context"
	"math"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"
)

// FuzzMeasures feeds the sites that the user loaders (data.LoadSites, CSV
// or GeoJSON) accept from arbitrary bytes to Compute, over a synthetic
// France of 200 communes, with every kind counted as supply. Whatever
// the loaders let through, no measure is NaN or infinite, except the two
// documented cases: NearestMin is +Inf when no counted site exists or the
// commune has no point, and Fragility is NaN when no indicator is known.
func FuzzMeasures(f *testing.F) {
	fuzztest.Seed(f, "../testdata", "sites/*.csv", "sites/*.geojson", "bad/sites-*.geojson", "bad/duplicate-*.csv", "bad/fte-huge.csv", "bad/lambert93.csv")
	base := synthDataset(200, 0, 7)
	params := Params{Supply: data.Kinds}
	f.Fuzz(func(t *testing.T, input []byte) {
		sites, _, err := data.LoadSites("f", bytes.NewReader(input), data.SitesOptions{})
		if err != nil {
			return
		}
		ds := *base
		ds.Sites = sites
		res, err := Compute(context.Background(), &ds, params)
		if err != nil {
			t.Fatalf("Compute on %d loaded sites: %v", len(sites), err)
		}
		checkFinite(t, res, len(sites) > 0)
	})
}

// checkFinite requires finite measures in res (see FuzzMeasures).
func checkFinite(t *testing.T, res *Result, anySite bool) {
	t.Helper()
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for _, c := range res.Communes {
		if !finite(c.FTE) || !finite(c.Per10k) || !finite(c.Access10k) || !finite(c.Gap) || c.FTE < 0 || c.Access10k < 0 {
			t.Fatalf("commune %s: %+v", c.Code, c)
		}
		if math.IsNaN(c.NearestMin) || c.NearestMin < 0 || math.IsInf(c.NearestMin, 1) && anySite && c.NearestSite >= 0 {
			t.Fatalf("commune %s: nearest site %d at %v min", c.Code, c.NearestSite, c.NearestMin)
		}
		if !math.IsNaN(c.Fragility) && (c.Fragility < 0 || c.Fragility > 100) {
			t.Fatalf("commune %s: fragility %v", c.Code, c.Fragility)
		}
	}
	for _, s := range res.Sites {
		if !finite(s.SupplyFTE) || !finite(s.R) || !finite(s.ReachPop) || math.IsNaN(s.NearestOtherMin) {
			t.Fatalf("site %s: %+v", s.ID, s)
		}
	}
	for _, r := range append(append(append([]Rollup{res.France}, res.Regions...), res.Deps...), res.EPCI...) {
		if !finite(r.FTE) || !finite(r.Per10k) || !finite(r.MeanAccess10k) || !(r.Coverage >= 0 && r.Coverage <= 1) {
			t.Fatalf("roll-up %s %s: %+v", r.Level, r.Code, r)
		}
	}
}
