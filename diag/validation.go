package diag

import (
	"math"
	"strings"

	"diagnum/data"
)

// ValidationRow compares a published figure with the embedded data.
type ValidationRow struct {
	data.Reference
	// Embedded is the conseiller-numérique FTE of the data set in the
	// territory (Σ FTE of the sites of kind cnfs placed in its communes,
	// or in all of France); Known is false for a measure it cannot be
	// compared with.
	Embedded float64
	Known    bool
}

// Gap returns Embedded/Value − 1 (0 when the reference is 0 and so is
// the embedded figure, +Inf when only the reference is 0).
func (r ValidationRow) Gap() float64 {
	switch {
	case r.Value != 0:
		return r.Embedded/r.Value - 1
	case r.Embedded == 0:
		return 0
	}
	return math.Inf(1)
}

// ValidateSupply compares each published figure of ds.References about
// advisor posts (measures starting "postes_cnfs" or
// "conseillers_recrutes") with the FTE of the conseiller-numérique sites
// of sites (as placed by Assign: Site.Commune set) in the same
// territory: a département code, or "France" for the whole data set.
func ValidateSupply(ds *data.Dataset, sites []data.Site) []ValidationRow {
	dep := make(map[string]string, len(ds.Communes))
	for _, c := range ds.Communes {
		dep[c.Code] = c.Dep
	}
	fte := map[string]float64{}
	for _, s := range sites {
		if s.Kind != data.KindCNFS || s.Commune == "" {
			continue
		}
		fte[dep[s.Commune]] += s.FTE
		fte["France"] += s.FTE
	}
	out := make([]ValidationRow, 0, len(ds.References))
	for _, r := range ds.References {
		row := ValidationRow{Reference: r}
		if isPostsMeasure(r.Measure) {
			row.Embedded, row.Known = fte[r.Territory], true
		}
		out = append(out, row)
	}
	return out
}

func isPostsMeasure(m string) bool {
	return strings.HasPrefix(m, "postes_cnfs") || m == "conseillers_recrutes"
}

// DepartementsWithin counts the 101 départements (those of metropolitan
// France and the DROM, not the COM) whose advisor FTE in rows is within
// ±tol (a fraction) of the posts of the 2023 list, and how many were
// compared.
func DepartementsWithin(ds *data.Dataset, rows []ValidationRow, tol float64) (within, total int) {
	dep := map[string]bool{}
	for _, c := range ds.Communes {
		if c.Zone != "com" {
			dep[c.Dep] = true
		}
	}
	for _, r := range rows {
		if r.Measure != "postes_cnfs" || !r.Known || !dep[r.Territory] {
			continue
		}
		total++
		if math.Abs(r.Gap()) <= tol {
			within++
		}
	}
	return within, total
}
