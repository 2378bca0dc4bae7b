package diag

import (
	"math"
	"testing"

	"diagnum/data"
)

// TestValidateSupply on a hand case: only conseiller-numérique FTE count,
// by the département of the commune each site was placed in.
func TestValidateSupply(t *testing.T) {
	ds := &data.Dataset{
		Communes: []data.Commune{{Code: "23096", Dep: "23"}, {Code: "87085", Dep: "87"}},
		References: []data.Reference{
			{Territory: "23", Measure: "postes_cnfs", Value: 2},
			{Territory: "87", Measure: "postes_cnfs", Value: 1},
			{Territory: "France", Measure: "postes_cnfs", Value: 4},
			{Territory: "France", Measure: "population", Value: 7},
		},
	}
	sites := []data.Site{
		{Kind: data.KindCNFS, FTE: 1, Commune: "23096"},
		{Kind: data.KindCNFS, FTE: 0.5, Commune: "23096"},
		{Kind: data.KindFranceServices, FTE: 1, Commune: "87085"},
		{Kind: data.KindCNFS, FTE: 9, Commune: ""}, // not placed: not counted
	}
	rows := ValidateSupply(ds, sites)
	// 23: 1.5 of 2 (−25 %); 87: 0 of 1 (−100 %); France: 1.5 of 4; population: not comparable.
	want := []struct {
		embedded, gap float64
		known         bool
	}{{1.5, -0.25, true}, {0, -1, true}, {1.5, 1.5/4 - 1, true}, {0, 0, false}}
	for i, w := range want {
		r := rows[i]
		if r.Embedded != w.embedded || r.Known != w.known || (w.known && math.Abs(r.Gap()-w.gap) > 1e-12) {
			t.Errorf("row %d: %+v, gap %v; want %+v", i, r, r.Gap(), w)
		}
	}
}
