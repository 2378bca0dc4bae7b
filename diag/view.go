package diag

import (
	"slices"
	"strings"
)

// View is what every output of a territory shows (the workbook, the CSV
// and GeoJSON exports, the map, the HTML report), taken from a national
// Result by Result.View.
type View struct {
	Territory Territory
	// Name is the territory's French name: the département's or région's,
	// "France", or t.String() for several codes.
	Name string
	// Communes are the communes of the territory sorted by Rank, ranked
	// within it (1 = largest score_ecart). NearestSite indexes
	// Result.Sites.
	Communes []CommuneResult
	// Rollup is the territory's roll-up; Region the roll-up of the région
	// of a one-département territory (the territory's own for a région,
	// zero for France); France the national one. They are the comparison
	// levels of the outputs.
	Rollup, Region, France Rollup
	// EPCI, Deps and Regions are the roll-ups that have a commune in the
	// territory, each over all its communes, sorted by code.
	EPCI, Deps, Regions []Rollup
	// Sites are the indexes in Result.Sites of the sites assigned to a
	// commune of the territory, in Result order.
	Sites []int
}

// View returns the view of territory t: Territory(t) with its communes
// sorted by rank, the territory's roll-up and name, its région and
// France, and its sites. It fails as Territory does.
func (r *Result) View(t Territory) (*View, error) {
	sub, err := r.Territory(t)
	if err != nil {
		return nil, err
	}
	v := &View{Territory: t, Communes: sub.Communes, EPCI: sub.EPCI, Deps: sub.Deps, Regions: sub.Regions, France: r.France}
	slices.SortFunc(v.Communes, func(a, b CommuneResult) int { return a.Rank - b.Rank })
	v.Name, v.Rollup = "France", r.France
	switch {
	case t.Level == LevelDepartement && len(t.Codes) == 1:
		v.Rollup, _ = pickRollup(r.Deps, t.Codes[0])
		v.Name = v.Rollup.Name
		if len(v.Communes) > 0 {
			v.Region, _ = pickRollup(r.Regions, v.Communes[0].Region)
		}
	case t.Level == LevelRegion && len(t.Codes) == 1:
		v.Rollup, _ = pickRollup(r.Regions, t.Codes[0])
		v.Name, v.Region = v.Rollup.Name, v.Rollup
	case t.Level != LevelFrance:
		acc := &accumulator{r: Rollup{Level: t.Level, Code: strings.Join(t.Codes, ",")}}
		for i := range v.Communes {
			acc.add(&v.Communes[i])
		}
		v.Rollup, v.Name = acc.finish(), t.String()
	}
	in := make(map[string]bool, len(v.Communes))
	for i := range v.Communes {
		in[v.Communes[i].Code] = true
	}
	for j := range r.Sites {
		if in[r.Sites[j].Commune] {
			v.Sites = append(v.Sites, j)
		}
	}
	return v, nil
}

// pickRollup returns the roll-up of code in rs.
func pickRollup(rs []Rollup, code string) (Rollup, bool) {
	for _, x := range rs {
		if x.Code == code {
			return x, true
		}
	}
	return Rollup{}, false
}
