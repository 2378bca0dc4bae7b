package diag

import (
	"math"
	"slices"
	"strings"

	"diagnum/data"
)

// View is what every output of a territory shows (the workbook, the CSV
// and GeoJSON exports, the map, the HTML report), taken from a national
// Result by Result.View.
type View struct {
	// Result is the diagnostic viewed, preferably national (Compute): the
	// comparison levels count sites and take medians over its communes.
	Result    *Result
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
	// commune of the territory, in Result order (SiteResults gives them).
	Sites []int
	// Levels are the comparison columns of the outputs, in order: the
	// territory, its région (a département territory, unless the région is
	// the same area, e.g. La Réunion) and France (unless the territory is
	// France).
	Levels []Level
}

// Level is a comparison level of a View: an area with its roll-up and,
// when Result holds every commune of the area, its site counts and
// median access.
type Level struct {
	// Area is the view's territory, its région (Regions(code)) or France().
	Area Territory
	// Rollup is the area's roll-up; zero when unknown (the column is left
	// empty).
	Rollup Rollup
	// Full reports whether Result holds every commune of the area (as many
	// communes with a geography as Rollup.Communes): SiteCounts and
	// MedianAccess10k are known only then.
	Full bool
	// SiteCounts counts the sites of each kind of data.Kinds (same order)
	// assigned to a commune of the area; its last element counts every
	// kind. Nil unless Full.
	SiteCounts []int
	// MedianAccess10k is MedianAccess10k over the area's communes; NaN
	// when unknown or when the area has no populated commune.
	MedianAccess10k float64
}

// Contains reports whether commune c is in the level's area; the
// communes without geography (COM) never are, as in the roll-ups.
func (l *Level) Contains(c *CommuneResult) bool {
	return !c.NoGeography && l.Area.Contains(c.Dep, c.Region)
}

// SiteResults returns the sites of the view (Sites), in Result order.
func (v *View) SiteResults() []SiteResult {
	out := make([]SiteResult, 0, len(v.Sites))
	for _, j := range v.Sites {
		out = append(out, v.Result.Sites[j])
	}
	return out
}

// View returns the view of territory t: Territory(t) with its communes
// sorted by rank, the territory's roll-up and name, its région and
// France, and its sites. It fails as Territory does.
func (r *Result) View(t Territory) (*View, error) {
	sub, err := r.Territory(t)
	if err != nil {
		return nil, err
	}
	v := &View{Result: r, Territory: t, Communes: make([]CommuneResult, len(sub.Communes)), EPCI: sub.EPCI, Deps: sub.Deps, Regions: sub.Regions, France: r.France}
	// Territory ranks its communes 1…n (none lacks a geography): each goes
	// to index Rank-1, the order a sort by Rank gives, without sorting
	// 35,000 large records.
	for i := range sub.Communes {
		v.Communes[sub.Communes[i].Rank-1] = sub.Communes[i]
	}
	v.Name, v.Rollup = r.rollupOf(t, v.Communes)
	switch {
	case t.Level == LevelDepartement && len(t.Codes) == 1:
		if len(v.Communes) > 0 {
			v.Region, _ = pickRollup(r.Regions, v.Communes[0].Region)
		}
	case t.Level == LevelRegion && len(t.Codes) == 1:
		v.Region = v.Rollup
	}
	in := make(map[string]bool, len(v.Communes))
	for i := range v.Communes {
		in[v.Communes[i].Code] = true
	}
	n := 0
	for j := range r.Sites {
		if in[r.Sites[j].Commune] {
			n++
		}
	}
	v.Sites = make([]int, 0, n)
	for j := range r.Sites {
		if in[r.Sites[j].Commune] {
			v.Sites = append(v.Sites, j)
		}
	}
	v.Levels = make([]Level, 0, 3)
	v.Levels = append(v.Levels, r.level(t, v.Rollup))
	if t.Level == LevelDepartement && !sameArea(&v.Region, &v.Rollup) {
		v.Levels = append(v.Levels, r.level(Regions(v.Region.Code), v.Region))
	}
	if t.Level != LevelFrance {
		v.Levels = append(v.Levels, r.level(France(), v.France))
	}
	return v, nil
}

// TerritoryRollup returns the roll-up of territory t, View(t).Rollup,
// without copying the communes when t is France or one département or
// région (the roll-up is then r's own). It fails as Territory does.
func (r *Result) TerritoryRollup(t Territory) (Rollup, error) {
	if t.Level != LevelFrance && len(t.Codes) != 1 {
		v, err := r.View(t)
		if err != nil {
			return Rollup{}, err
		}
		return v.Rollup, nil
	}
	if _, err := r.members(t); err != nil {
		return Rollup{}, err
	}
	_, ru := r.rollupOf(t, nil)
	return ru, nil
}

// rollupOf returns the name and roll-up of territory t: France's, the
// département's or the région's of r for one code, otherwise the sum
// over ranked, the communes of t sorted by rank (View.Communes; summed in
// that order so the figures do not depend on who asks).
func (r *Result) rollupOf(t Territory, ranked []CommuneResult) (string, Rollup) {
	switch {
	case t.Level == LevelFrance:
		return "France", r.France
	case t.Level == LevelDepartement && len(t.Codes) == 1:
		ru, _ := pickRollup(r.Deps, t.Codes[0])
		return ru.Name, ru
	case t.Level == LevelRegion && len(t.Codes) == 1:
		ru, _ := pickRollup(r.Regions, t.Codes[0])
		return ru.Name, ru
	}
	acc := &accumulator{r: Rollup{Level: t.Level, Code: strings.Join(t.Codes, ",")}}
	for i := range ranked {
		acc.add(&ranked[i])
	}
	return t.String(), acc.finish()
}

// sameArea reports whether the région roll-up reg covers exactly the
// territory's roll-up t (a région of one département, e.g. La Réunion):
// its level would repeat the territory's.
func sameArea(reg, t *Rollup) bool {
	return reg.Level != "" && reg.Communes == t.Communes && reg.Population == t.Population
}

// level returns the comparison level of area a with roll-up ru: full when
// r holds as many communes of a (with a geography) as ru counts.
func (r *Result) level(a Territory, ru Rollup) Level {
	l := Level{Area: a, Rollup: ru, MedianAccess10k: math.NaN()}
	n := 0
	for i := range r.Communes {
		if l.Contains(&r.Communes[i]) {
			n++
		}
	}
	if ru.Level == "" || n != ru.Communes {
		return l
	}
	l.Full = true
	if m, ok := MedianAccess10k(r.Communes, l.Contains); ok {
		l.MedianAccess10k = m
	}
	in := make(map[string]bool, n)
	for i := range r.Communes {
		if l.Contains(&r.Communes[i]) {
			in[r.Communes[i].Code] = true
		}
	}
	l.SiteCounts = make([]int, len(data.Kinds)+1)
	for j := range r.Sites {
		if !in[r.Sites[j].Commune] {
			continue
		}
		if k := slices.Index(data.Kinds, r.Sites[j].Kind); k >= 0 {
			l.SiteCounts[k]++
		}
		l.SiteCounts[len(data.Kinds)]++
	}
	return l
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
