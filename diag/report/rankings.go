package report

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"diagnum/diag"
	"diagnum/geo"
)

// ranked is a roll-up of the Départements or Régions sheet with its ranks.
type ranked struct {
	diag.Rollup
	parent   string // région of a département, "" otherwise
	assessed bool   // at least one of its communes has a travel time
	rank     int    // by coverage, 1 = least covered; 0 when not assessed
	rankPer  int    // by advisors per 10,000, 1 = fewest; 0 when not assessed
}

// rankRollups returns rs ranked from the least covered: by Coverage
// ascending, then Per10k ascending, then code. Roll-ups with no commune
// located (no finite travel time, e.g. collectivités d'outre-mer without
// points) are not assessed: they come last, unranked.
func (b *book) rankRollups(rs []diag.Rollup) []ranked {
	located := map[string]bool{}
	for i := range b.in.Result.Communes {
		c := &b.in.Result.Communes[i]
		if !math.IsInf(c.NearestMin, 0) && !math.IsNaN(c.NearestMin) {
			located[rankKey(diag.LevelDepartement, c.Dep)] = true
			located[rankKey(diag.LevelRegion, c.Region)] = true
		}
	}
	v := make([]ranked, len(rs))
	for i, r := range rs {
		v[i] = ranked{Rollup: r, assessed: located[rankKey(r.Level, r.Code)]}
	}
	slices.SortFunc(v, func(x, y ranked) int {
		return cmp.Or(compareAssessed(x, y), cmp.Compare(x.Per10k, y.Per10k), strings.Compare(x.Code, y.Code))
	})
	for i := range v {
		if v[i].assessed {
			v[i].rankPer = i + 1
		}
	}
	slices.SortFunc(v, func(x, y ranked) int {
		return cmp.Or(compareAssessed(x, y), cmp.Compare(x.Coverage, y.Coverage),
			cmp.Compare(x.Per10k, y.Per10k), strings.Compare(x.Code, y.Code))
	})
	for i := range v {
		if v[i].assessed {
			v[i].rank = i + 1
		}
	}
	return v
}

// compareAssessed orders the assessed roll-ups first.
func compareAssessed(x, y ranked) int {
	switch {
	case x.assessed == y.assessed:
		return 0
	case x.assessed:
		return -1
	}
	return 1
}

// rankKey keys a roll-up by level and code.
func rankKey(level, code string) string { return level + ":" + code }

// regions writes the Régions sheet (France reports).
func (b *book) regions() error {
	return b.ranking(SheetRegions, "Région", b.in.Regions, false)
}

// departements writes the Départements sheet (région and France reports).
func (b *book) departements() error {
	return b.ranking(SheetDepartements, "Département", b.in.Deps, b.in.Territory.Level == diag.LevelFrance)
}

// rankColumns are the columns of a ranking sheet; withParent adds the région.
func (b *book) rankColumns(noun string, withParent bool) []column {
	th := b.threshold()
	cols := []column{{"Rang (couverture, 1 = la plus faible)", 12}, {"Code", 8}, {noun, 28}}
	if withParent {
		cols = append(cols, column{"Région", 26})
	}
	return append(cols,
		column{"Communes", 11}, column{"Population", 13}, column{"Sites comptés", 9},
		column{"ETP conseillers", 11}, column{"Conseillers pour 10 000 hab.", 13},
		column{"Écart à la France (conseillers pour 10 000 hab.)", 14},
		column{"Rapport à la France (conseillers pour 10 000 hab.)", 13},
		column{"Rang conseillers pour 10 000 hab. (1 = le plus faible)", 13},
		column{"Population couverte (≤ " + th + " min)", 13}, column{"Taux de couverture (≤ " + th + " min)", 12},
		column{"Écart à la couverture nationale (points)", 13}, column{"Population non couverte", 13},
		column{"Accès E2SFCA moyen pour 10 000 hab.", 13}, column{"Remarque", 40},
	)
}

// rankRow returns the cells of a ranked roll-up.
func (b *book) rankRow(r *ranked, withParent bool) []any {
	st, fr := &b.st, &b.in.France
	rank := func(n int) any {
		if n == 0 {
			return nil
		}
		return cell(st.integer, n)
	}
	var diff, ratio, points any
	if fr.Population > 0 {
		diff = cell(st.signed2, measure(r.Per10k-fr.Per10k))
		points = cell(st.points, measure(100*(r.Coverage-fr.Coverage)))
		if fr.Per10k > 0 {
			ratio = cell(st.dec2, measure(r.Per10k/fr.Per10k))
		}
	}
	v := []any{rank(r.rank), cell(st.code, r.Code), r.Name}
	if withParent {
		v = append(v, r.parent)
	}
	v = append(v, cell(st.integer, r.Communes), cell(st.thousands, r.Population), cell(st.integer, r.NbSites),
		cell(st.dec2, measure(r.FTE)))
	if !r.assessed {
		// Measures without meaning: leave them empty, say why.
		return append(v, nil, nil, nil, nil, nil, nil, nil, nil, nil,
			"non classé : aucune commune localisée (pas de temps de trajet), mesures non calculées")
	}
	return append(v, cell(st.dec2, measure(r.Per10k)), diff, ratio, rank(r.rankPer),
		cell(st.thousands, r.CoveredPop), cell(st.percent, measure(r.Coverage)), points,
		cell(st.thousands, r.Uncovered), cell(st.dec2, measure(r.MeanAccess10k)), nil,
	)
}

// ranking writes a ranking sheet of rs (rankRollups), with colour scales
// on advisors per 10,000 and coverage, and the national values under it.
func (b *book) ranking(name, noun string, rs []diag.Rollup, withParent bool) error {
	v := b.rankRollups(rs)
	if withParent {
		b.setParents(v)
	}
	cols := b.rankColumns(noun, withParent)
	off := 0
	if withParent {
		off = 1
	}
	row := func(i int) []any { return b.rankRow(&v[i], withParent) }
	return b.table(name, cols, len(v), row, func(s *sheet) error {
		if len(v) > 0 {
			last := itoa(len(v) + 1)
			per, cov := colName(8+off), colName(13+off)
			if err := b.f.SetConditionalFormat(s.name, per+"2:"+per+last, colorScale("F8696B", "63BE7B")); err != nil {
				return err
			}
			if err := b.f.SetConditionalFormat(s.name, cov+"2:"+cov+last, colorScale("F8696B", "63BE7B")); err != nil {
				return err
			}
		}
		return b.rankNotes(s, noun)
	})
}

// rankNotes writes, under a ranking, the national values it compares with
// and how it is sorted.
func (b *book) rankNotes(s *sheet, noun string) error {
	fr, st := &b.in.France, &b.st
	s.skip(1)
	lines := []any{
		cell(st.note, "Classement : du taux de couverture le plus faible au plus élevé (à égalité, du plus faible nombre de conseillers pour 10 000 hab.)."),
		cell(st.note, "Rapport à la France : conseillers pour 10 000 hab. ÷ valeur nationale (1 = comme la France)."),
	}
	if fr.Population > 0 {
		lines = append([]any{cell(st.note, "France : "+geo.FrDecimal(fr.Per10k, 2)+" conseillers pour 10 000 hab., taux de couverture "+
			geo.FrDecimal(100*fr.Coverage, 1)+" %, "+geo.FrDecimal(float64(fr.Uncovered), 0)+" habitants non couverts.")}, lines...)
	}
	for _, l := range lines {
		if err := s.add(l); err != nil {
			return err
		}
	}
	return nil
}

// setParents names the région of each département of v, from the
// communes of Result and the région roll-ups of Input and Result.
func (b *book) setParents(v []ranked) {
	names := map[string]string{}
	for _, rs := range [][]diag.Rollup{b.in.Result.Regions, b.in.Regions} {
		for _, r := range rs {
			names[r.Code] = r.Name
		}
	}
	region := map[string]string{}
	for i := range b.in.Result.Communes {
		c := &b.in.Result.Communes[i]
		if _, ok := region[c.Dep]; !ok {
			region[c.Dep] = c.Region
		}
	}
	for i := range v {
		code := region[v[i].Code]
		v[i].parent = code
		if n := names[code]; n != "" {
			v[i].parent = n + " (" + code + ")"
		}
	}
}

// colName returns the letters of column n (1-based): 1 → A, 27 → AA.
func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}
