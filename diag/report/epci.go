package report

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"diagnum/diag"
	"diagnum/geo"
)

// epciRow is an EPCI intersecting the territory.
type epciRow struct {
	diag.Rollup
	InTerritory int // number of its communes in the territory
}

// territoryEPCIs returns the roll-ups of the EPCIs that have at least one
// commune in the territory (the view's EPCI), ranked from the least
// covered: by Coverage ascending, then Per10k ascending, then code.
func (b *book) territoryEPCIs() []epciRow {
	in := make(map[string]int, len(b.in.EPCI))
	for i := range b.in.Communes {
		in[b.in.Communes[i].EPCI]++
	}
	v := make([]epciRow, 0, len(b.in.EPCI))
	for _, r := range b.in.EPCI {
		if r.Code != "" && in[r.Code] > 0 {
			v = append(v, epciRow{r, in[r.Code]})
		}
	}
	slices.SortFunc(v, func(x, y epciRow) int {
		return cmp.Or(cmp.Compare(x.Coverage, y.Coverage), cmp.Compare(x.Per10k, y.Per10k), strings.Compare(x.Code, y.Code))
	})
	return v
}

// epci writes the EPCI sheet: the EPCIs intersecting the territory, whole
// (their figures include their communes outside the territory), ranked
// from the least covered (see territoryEPCIs).
func (b *book) epci() error {
	th := b.threshold()
	cols := []column{
		{"Rang", 7}, {"Code EPCI (SIREN)", 12}, {"EPCI", 40}, {"Communes dans le territoire", 12},
		{"Communes", 10}, {"Population", 12}, {"Sites", 8}, {"ETP conseillers", 11},
		{"Conseillers pour 10 000 hab.", 14}, {"Population couverte (≤ " + th + " min)", 14},
		{"Taux de couverture (≤ " + th + " min)", 12}, {"Population non couverte", 14},
		{"Accès E2SFCA moyen pour 10 000 hab.", 14},
	}
	v, st := b.territoryEPCIs(), &b.st
	row := func(i int) []any {
		r := &v[i]
		return []any{
			cell(st.integer, i+1), cell(st.code, r.Code), r.Name, cell(st.integer, r.InTerritory),
			cell(st.integer, r.Communes), cell(st.thousands, r.Population), cell(st.integer, r.NbSites),
			cell(st.dec2, measure(r.FTE)), cell(st.dec2, measure(r.Per10k)), cell(st.thousands, r.CoveredPop),
			cell(st.percent, measure(r.Coverage)), cell(st.thousands, r.Uncovered),
			cell(st.dec2, measure(r.MeanAccess10k)),
		}
	}
	return b.table(SheetEPCI, cols, len(v), row, nil)
}

// itoa is strconv.Itoa.
func itoa(n int) string { return strconv.Itoa(n) }

// frPercent formats a share (0–1) as a French percentage with one
// decimal at most: 0.95 → "95 %", 0.0696 → "7 %"… 0.9991 → "99,9 %".
func frPercent(share float64) string {
	return frNumber(math.Round(share*1000)/10) + "\u00a0%"
}

// frInt formats a count n ≥ 0 with a no-break space between groups of
// three digits (geo.FrDecimal): 34875 → "34 875".
func frInt(n int) string { return geo.FrDecimal(float64(n), 0) }

// frNumber formats v in French notation (decimal comma), with no more
// decimals than needed: 30 → "30", 22.5 → "22,5".
func frNumber(v float64) string { return geo.FrNumber(v) }
