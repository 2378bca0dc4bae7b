package diag

import (
	"context"
	"math"
	"testing"

	"diagnum/data"
)

// TestDemandIRISAges: IRIS layers with an age column (p16_pop65p, as
// in La MedNum's IRIS files: testdata/demande/PROVENANCE.md), read by
// data.LoadDemand and measured on the national baseline, give each
// commune part_65_plus = Σ p16_pop65p / Σ p16_pop over its IRIS, summed
// by hand from the fixtures:
//
//	Guéret (23096), 5 IRIS points: 628.63 + 494.1 + 826.6 + 419.15 +
//	  751.37 = 3,119.85 over 2,485.99 + 2,877.98 + 2,657.69 + 2,282.72 +
//	  2,970.62 = 13,275;  Ajain (23001), 1 IRIS: 401.03 / 1,438
//	Bobigny (93008), 6 IRIS polygons: 179.16 + 428.78 + 148.93 + 177.07 +
//	  346.09 + 426.16 = 1,706.19 over 17,600.66;
//	Pantin (93055), 2 polygons: 408.15 + 239.32 = 647.47 over 4,744.07
//
// and the layer's indicators table (Table, the Communes sheet's and the
// CSV's part_65_plus) holds the same values.
func TestDemandIRISAges(t *testing.T) {
	_, b := parallelNational(t)
	for _, c := range []struct {
		file string
		want map[string]float64
	}{
		{"iris-23-extrait.csv", map[string]float64{"23096": 3119.85 / 13275, "23001": 401.03 / 1438}},
		{"iris-93-extrait.geojson", map[string]float64{"93008": 1706.19 / 17600.66, "93055": 647.47 / 4744.07}},
	} {
		layer, err := data.LoadDemand(c.file, openFixture(t, "demande/"+c.file))
		if err != nil {
			t.Fatal(err)
		}
		s, err := b.Demand(context.Background(), layer)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Communes) != 2 || s.Table == nil {
			t.Fatalf("%s: %d communes, table %v", c.file, len(s.Communes), s.Table != nil)
		}
		col := s.Table.Column(data.ColPart65Plus)
		for _, d := range s.Communes {
			code := b.Dataset().Communes[d.Commune].Code
			want, ok := c.want[code]
			if !ok {
				t.Errorf("%s: unit placed in %s", c.file, code)
				continue
			}
			if math.Abs(d.Part65-want) > 1e-12 {
				t.Errorf("%s: %s part_65_plus %v, want %v", c.file, code, d.Part65, want)
			}
			if v, _ := s.Table.Get(code, col); math.Abs(v-want) > 1e-12 {
				t.Errorf("%s: %s part_65_plus in the table %v, want %v", c.file, code, v, want)
			}
		}
	}
}
