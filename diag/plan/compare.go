package plan

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"diagnum/data"
	"diagnum/diag"
)

// Totals are the figures of a territory in one state of the sites.
type Totals struct {
	Population      int
	Communes        int
	NbSites         int     // counted sites located in the territory
	FTE             float64 // their supply
	CoveredPop      int
	Coverage        float64 // CoveredPop / Population
	MeanAccess10k   float64 // population-weighted mean of Access10k
	MedianAccess10k float64 // median of Access10k over the populated communes
	Gap             float64 // Σ score_ecart
}

// CommuneDelta is a commune whose figures a scenario changes.
type CommuneDelta struct {
	Code, Name                      string
	Population                      int
	CoveredBefore, CoveredAfter     bool
	Access10kBefore, Access10kAfter float64
	GapBefore, GapAfter             float64
}

// ScenarioResult compares a territory before and after a scenario.
type ScenarioResult struct {
	Territory     diag.Territory
	Added         []data.Site // the sites added, as assigned (Commune set)
	Removed       []data.Site // the sites removed, as assigned
	Before, After Totals
	// Communes are the communes of the territory whose coverage, access
	// or gap changed, the largest fall of score_ecart first (ties by
	// code). Unchanged counts the others.
	Communes  []CommuneDelta
	Unchanged int
	// AddedCost and RemovedCost are the subsidies over 24 months of the
	// conseiller numérique posts added and removed (FTE × the amount of
	// their zone and employer); other kinds of site cost nothing here.
	AddedCost, RemovedCost   float64
	AddedLines, RemovedLines []CostLine
}

// Compare compares territory t in two diagnostics of the same communes
// (Compute before and after sc was applied to the sites). Costs use
// costs (nil = DefaultCosts) and, where the file gives none, employer
// ("" = public).
func Compare(t diag.Territory, before, after *diag.Result, sc *Scenario, costs CostTable, employer Employer) (*ScenarioResult, error) {
	if len(before.Communes) != len(after.Communes) {
		return nil, fmt.Errorf("%w : les deux diagnostics ont %d et %d communes",
			ErrBadOptions, len(before.Communes), len(after.Communes))
	}
	if costs == nil {
		costs = DefaultCosts()
	}
	if employer == "" {
		employer = EmployerPublic
	}
	r := &ScenarioResult{Territory: t, Before: totals(t, before), After: totals(t, after)}
	for i := range before.Communes {
		b, a := &before.Communes[i], &after.Communes[i]
		if !t.Contains(b.Dep, b.Region) {
			continue
		}
		if b.Covered == a.Covered && b.Access10k == a.Access10k && sameFloat(b.Gap, a.Gap) {
			r.Unchanged++
			continue
		}
		r.Communes = append(r.Communes, CommuneDelta{Code: b.Code, Name: b.Name, Population: b.Population,
			CoveredBefore: b.Covered, CoveredAfter: a.Covered, Access10kBefore: b.Access10k,
			Access10kAfter: a.Access10k, GapBefore: b.Gap, GapAfter: a.Gap})
	}
	slices.SortFunc(r.Communes, func(x, y CommuneDelta) int {
		return cmp.Or(cmp.Compare(x.GapAfter-x.GapBefore, y.GapAfter-y.GapBefore), cmp.Compare(x.Code, y.Code))
	})
	r.Added, r.AddedCost, r.AddedLines = siteCosts(after, sc.Add, sc.AddEmployer, costs, employer)
	removed := make([]data.Site, len(sc.Remove))
	for i, id := range sc.Remove {
		removed[i] = data.Site{ID: id}
	}
	r.Removed, r.RemovedCost, r.RemovedLines = siteCosts(before, removed, sc.RemoveEmployer, costs, employer)
	return r, nil
}

// siteCosts finds the sites (by id) in res and returns them with the
// subsidy of their conseiller numérique posts.
func siteCosts(res *diag.Result, sites []data.Site, emps map[string]Employer, costs CostTable, def Employer) ([]data.Site, float64, []CostLine) {
	byID := map[string]int{}
	for j := len(res.Sites) - 1; j >= 0; j-- {
		byID[res.Sites[j].ID] = j
	}
	deps := map[string]string{}
	for i := range res.Communes {
		deps[res.Communes[i].Code] = res.Communes[i].Dep
	}
	var out []data.Site
	posts := map[CostKey]float64{}
	total := 0.0
	for _, s := range sites {
		j, ok := byID[s.ID]
		if !ok {
			continue
		}
		site := res.Sites[j].Site
		out = append(out, site)
		if site.Kind != data.KindCNFS {
			continue
		}
		e := cmp.Or(emps[site.ID], def)
		k := CostKey{ZoneOf(deps[site.Commune]), e}
		posts[k] += site.FTE
		total += site.FTE * costs.PerPost(k.Zone, k.Employer)
	}
	return out, total, summarize(costs, posts)
}

// totals sums the communes of t in res.
func totals(t diag.Territory, res *diag.Result) Totals {
	var o Totals
	var pa, cov float64
	in := func(c *diag.CommuneResult) bool { return t.Contains(c.Dep, c.Region) }
	for i := range res.Communes {
		c := &res.Communes[i]
		if !in(c) {
			continue
		}
		o.Population += c.Population
		o.Communes++
		o.NbSites += c.NbSites
		o.FTE += c.FTE
		cov += float64(c.Population) * c.CoveredShare() // part_couverte on a demand layer
		pa += float64(c.Population) * c.Access10k
		if !math.IsNaN(c.Gap) {
			o.Gap += c.Gap
		}
	}
	o.CoveredPop = int(math.Round(cov))
	if o.Population > 0 {
		o.Coverage = float64(o.CoveredPop) / float64(o.Population)
		o.MeanAccess10k = pa / float64(o.Population)
	}
	o.MedianAccess10k, _ = diag.MedianAccess10k(res.Communes, in)
	return o
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
