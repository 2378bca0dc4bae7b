package report

import (
	"fmt"

	"diagnum/data"
	"diagnum/diag"
)

// topCommunes is the number of communes listed in Synthèse.
const topCommunes = 10

// area is a column of the key figures of Synthèse.
type area struct {
	label  string
	r      *diag.Rollup
	counts []int // siteCounts, nil when unknown
	median any   // median Access10k, nil when unknown
}

// areas returns the territory, its région and France. A zero roll-up
// leaves its column empty; site counts and medians are left empty when
// Result does not hold every commune of the roll-up.
func (b *book) areas() []area {
	in := b.in
	regionLabel := "Région"
	if in.Region.Name != "" {
		regionLabel = fmt.Sprintf("%s (%s)", in.Region.Name, in.Region.Code)
	}
	v := []area{{label: in.label(), r: &in.Rollup}, {label: regionLabel, r: &in.Region}, {label: "France", r: &in.France}}
	preds := []func(*diag.CommuneResult) bool{
		func(c *diag.CommuneResult) bool { return contains(in.Territory, c) },
		func(c *diag.CommuneResult) bool { return rollupContains(&in.Region, c) },
		func(c *diag.CommuneResult) bool { return rollupContains(&in.France, c) },
	}
	for i := range v {
		if v[i].r.Level == "" || countIn(in.Result.Communes, preds[i]) != v[i].r.Communes {
			continue
		}
		v[i].counts = siteCounts(in.Result, b.idx, preds[i])
		v[i].median = measure(medianAccess(in.Result.Communes, preds[i]))
	}
	return v
}

// synthese writes the summary sheet.
func (b *book) synthese() error {
	s, err := b.stream(SheetSynthese, 62, 22, 22, 22, 14, 14, 14, 14, 12)
	if err != nil {
		return err
	}
	in, st := b.in, &b.st
	gen := fmt.Sprintf("Généré le %s par diagnum %s. Les mesures sont calculées sur toute la France, puis restituées pour le territoire.",
		in.Date.Format("02/01/2006"), in.Version)
	for _, step := range []func() error{
		func() error { return s.add(cell(st.title, "Diagnostic de l'inclusion numérique — "+in.label())) },
		func() error { return s.add(gen) },
		func() error { s.skip(1); return b.keyFigures(s) },
		func() error { s.skip(1); return b.topCommunes(s) },
		func() error { s.skip(1); return b.checkCounts(s) },
		func() error { s.skip(1); return b.sourceDates(s) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return s.flush()
}

// Labels of the key figures of Synthèse (tests find rows by them).
const (
	labelCommunes   = "Communes"
	labelPopulation = "Population"
	labelAllSites   = "Sites, tous types"
	labelCounted    = "Sites comptés dans l'offre de conseillers"
	labelFTE        = "ETP conseillers"
	labelPer10k     = "Conseillers pour 10 000 habitants"
	labelAccessMean = "Accès E2SFCA moyen pour 10 000 hab. (pondéré par la population)"
	labelAccessMed  = "Accès E2SFCA médian pour 10 000 hab. (médiane des communes peuplées)"
)

// figure is a row of key figures: a label, a style and the value of an area.
type figure struct {
	label string
	style int
	v     func(a *area) any
}

// keyFigures writes the territory, its région and France side by side.
func (b *book) keyFigures(s *sheet) error {
	st, as := &b.st, b.areas()
	if err := s.add(cell(st.header, "Indicateur"), cell(st.header, as[0].label),
		cell(st.header, as[1].label), cell(st.header, as[2].label)); err != nil {
		return err
	}
	for _, f := range b.figures() {
		row := []any{f.label}
		for i := range as {
			var v any
			if as[i].r.Level != "" {
				v = f.v(&as[i])
			}
			row = append(row, cell(f.style, v))
		}
		if err := s.add(row...); err != nil {
			return err
		}
	}
	return nil
}

// siteCount returns the count of kind index k, nil when unknown.
func (a *area) siteCount(k int) any {
	if a.counts == nil {
		return nil
	}
	return a.counts[k]
}

// figures lists the key figures of Synthèse.
func (b *book) figures() []figure {
	st, th := &b.st, b.threshold()
	f := []figure{
		{labelCommunes, st.thousands, func(a *area) any { return a.r.Communes }},
		{labelPopulation, st.thousands, func(a *area) any { return a.r.Population }},
	}
	for k, kind := range data.Kinds {
		f = append(f, figure{"Sites : " + kind.Label(), st.thousands, func(a *area) any { return a.siteCount(k) }})
	}
	return append(f,
		figure{labelAllSites, st.thousands, func(a *area) any { return a.siteCount(len(data.Kinds)) }},
		figure{labelCounted, st.thousands, func(a *area) any { return a.r.NbSites }},
		figure{labelFTE, st.dec2, func(a *area) any { return measure(a.r.FTE) }},
		figure{labelPer10k, st.dec2, func(a *area) any { return measure(a.r.Per10k) }},
		figure{"Population couverte (site à " + th + " min ou moins)", st.thousands, func(a *area) any { return a.r.CoveredPop }},
		figure{"Taux de couverture (site à " + th + " min ou moins)", st.percent, func(a *area) any { return measure(a.r.Coverage) }},
		figure{"Population non couverte (aucun site à " + th + " min ou moins)", st.thousands, func(a *area) any { return a.r.Uncovered }},
		figure{labelAccessMean, st.dec2, func(a *area) any { return measure(a.r.MeanAccess10k) }},
		figure{labelAccessMed, st.dec2, func(a *area) any { return a.median }},
	)
}

// topCommunes writes the most under-covered communes of the territory.
func (b *book) topCommunes(s *sheet) error {
	st := &b.st
	if err := s.add(cell(st.subtitle, fmt.Sprintf("Les %d communes les moins bien desservies (rang 1 = plus fort score d'écart)", topCommunes))); err != nil {
		return err
	}
	cols := b.communeColumns()
	pick := []int{13, 0, 1, 4, 8, 9, 10, 11, 12} // rang, code, nom, population, temps, couvert, accès, fragilité, écart
	head := make([]column, len(pick))
	for i, k := range pick {
		head[i] = cols[k]
	}
	if err := s.header(head); err != nil {
		return err
	}
	for i := range min(topCommunes, len(b.in.Communes)) {
		r := b.communeRow(&b.in.Communes[i])
		row := make([]any, len(pick))
		for j, k := range pick {
			row[j] = r[k]
		}
		if err := s.add(row...); err != nil {
			return err
		}
	}
	return nil
}

// checkCounts writes the number of rejected rows and warnings.
func (b *book) checkCounts(s *sheet) error {
	st, checks := &b.st, b.allChecks()
	if err := s.add(cell(st.subtitle, "Contrôles des données (détail : onglet "+SheetControles+")")); err != nil {
		return err
	}
	if err := s.add("Lignes rejetées", cell(st.thousands, checks.Count(data.Rejected))); err != nil {
		return err
	}
	return s.add("Avertissements", cell(st.thousands, checks.Count(data.Warning)))
}

// sourceDates writes the date of each source.
func (b *book) sourceDates(s *sheet) error {
	st := &b.st
	if err := s.add(cell(st.subtitle, "Sources des données (détail : onglet "+SheetSources+")")); err != nil {
		return err
	}
	if len(b.in.Sources) == 0 {
		return s.add("Aucune source déclarée.")
	}
	if err := s.add(cell(st.header, "Source"), cell(st.header, "Titre"), cell(st.header, "Date")); err != nil {
		return err
	}
	for _, src := range b.in.Sources {
		if err := s.add(src.Name, src.Title, cell(st.code, src.Date)); err != nil {
			return err
		}
	}
	return nil
}
