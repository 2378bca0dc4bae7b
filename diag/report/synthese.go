package report

import (
	"fmt"

	"diagnum/data"
	"diagnum/diag"
)

// topCommunes is the number of communes listed in Synthèse.
const topCommunes = 10

// Indices of area.shares.
const (
	shareQPVCounted = iota
	shareFRRCounted
	shareQPVAll
	shareFRRAll
	nShares
)

// area is a column of the key figures of Synthèse: a comparison level of
// the view (diag.Level) with its label and its zone shares.
type area struct {
	label string
	*diag.Level
	median any // median Access10k, nil when unknown
	shares [nShares]zoneShare
}

// areas returns the columns of the key figures, one per level of the
// view (diag.View.Levels: the territory, its région, France). A zero
// roll-up leaves its column empty; site counts, medians and shares are
// left empty when Result does not hold every commune of the level.
func (b *book) areas() []area {
	in := b.in
	v := make([]area, len(in.Levels))
	for i := range in.Levels {
		l := &in.Levels[i]
		v[i] = area{label: "France", Level: l, median: measure(l.MedianAccess10k)}
		switch {
		case i == 0:
			v[i].label = in.label()
		case l.Area.Level == diag.LevelRegion && l.Rollup.Name != "":
			v[i].label = fmt.Sprintf("%s (%s)", l.Rollup.Name, l.Rollup.Code)
		case l.Area.Level == diag.LevelRegion:
			v[i].label = "Région"
		}
		if l.Full {
			v[i].shares = [nShares]zoneShare{
				b.zoneShares(l.Contains, true, b.zn.qpv), b.zoneShares(l.Contains, true, b.zn.frr),
				b.zoneShares(l.Contains, false, b.zn.qpv), b.zoneShares(l.Contains, false, b.zn.frr),
			}
		}
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
	gen := fmt.Sprintf("Généré le %s par diagnum %s. Les mesures sont calculées sur toute la France, puis restituées pour le territoire. Temps d'accès : %s (voir Méthodologie).",
		in.Date.Format("02/01/2006"), in.Version, TimesLabel(in.Result.Params))
	for _, step := range []func() error{
		func() error { return s.add(cell(st.title, "Diagnostic de l'inclusion numérique — "+in.label())) },
		func() error { return s.add(gen) },
		func() error { s.skip(1); return b.keyFigures(s) },
		func() error { return b.offers(s) },
		func() error { return b.comNote(s) },
		func() error { return b.zonageNotes(s) },
		func() error { return b.mapPicture(s) },
		func() error { s.skip(1); return b.topCommunes(s) },
		func() error { s.skip(1); return b.checkCounts(s) },
		func() error { s.skip(1); return b.sourceDates(s) },
		func() error { s.skip(1); return b.contents(s) },
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
	labelQPVCounted = "Part des sites comptés situés dans une commune avec QPV"
	labelFRRCounted = "Part des sites comptés situés dans une commune FRR"
	labelQPVAll     = "Part des sites (tous types) situés dans une commune avec QPV"
	labelFRRAll     = "Part des sites (tous types) situés dans une commune FRR"
	labelFRRKnown   = "Sites (tous types) dont la commune a un classement FRR renseigné"
	labelReference  = "Référence nationale (rapports publics) : environ 25 % des structures en QPV, 20 % en ZRR/FRR."
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
	head := []any{cell(st.header, "Indicateur")}
	for i := range as {
		head = append(head, cell(st.headerC, as[i].label))
	}
	if err := s.add(head...); err != nil {
		return err
	}
	for _, f := range b.figures() {
		row := []any{f.label}
		for i := range as {
			var v any
			if as[i].Rollup.Level != "" {
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
	if a.SiteCounts == nil {
		return nil
	}
	return a.SiteCounts[k]
}

// share returns the share of area.shares[k], nil when unknown.
func (a *area) share(k int) any {
	if !a.Full {
		return nil
	}
	return a.shares[k].value()
}

// figures lists the key figures of Synthèse.
func (b *book) figures() []figure {
	st, th := &b.st, b.threshold()
	f := []figure{
		{labelCommunes, st.thousands, func(a *area) any { return a.Rollup.Communes }},
		{labelPopulation, st.thousands, func(a *area) any { return a.Rollup.Population }},
	}
	for k, kind := range data.Kinds {
		f = append(f, figure{"Sites : " + kind.Label(), st.thousands, func(a *area) any { return a.siteCount(k) }})
	}
	return append(f,
		figure{labelAllSites, st.thousands, func(a *area) any { return a.siteCount(len(data.Kinds)) }},
		figure{labelCounted, st.thousands, func(a *area) any { return a.Rollup.NbSites }},
		figure{labelFTE, st.dec2, func(a *area) any { return measure(a.Rollup.FTE) }},
		figure{labelPer10k, st.dec2, func(a *area) any { return measure(a.Rollup.Per10k) }},
		figure{"Population couverte (site à " + th + " min ou moins)", st.thousands, func(a *area) any { return a.Rollup.CoveredPop }},
		figure{"Taux de couverture (site à " + th + " min ou moins)", st.percent, func(a *area) any { return measure(a.Rollup.Coverage) }},
		figure{"Population non couverte (aucun site à " + th + " min ou moins)", st.thousands, func(a *area) any { return a.Rollup.Uncovered }},
		figure{labelAccessMean, st.dec2, func(a *area) any { return measure(a.Rollup.MeanAccess10k) }},
		figure{labelAccessMed, st.dec2, func(a *area) any { return a.median }},
		figure{labelQPVCounted, st.percent, func(a *area) any { return a.share(shareQPVCounted) }},
		figure{labelFRRCounted, st.percent, func(a *area) any { return a.share(shareFRRCounted) }},
		figure{labelQPVAll, st.percent, func(a *area) any { return a.share(shareQPVAll) }},
		figure{labelFRRAll, st.percent, func(a *area) any { return a.share(shareFRRAll) }},
		figure{labelFRRKnown, st.thousands, func(a *area) any {
			if !a.Full {
				return nil
			}
			return a.shares[shareFRRAll].known
		}},
	)
}

// offers writes the key figures of each reading of the offer (Input.Offers)
// side by side, for the territory and for France.
func (b *book) offers(s *sheet) error {
	os, st := b.in.Offers, &b.st
	if len(os) == 0 {
		return nil
	}
	s.skip(1)
	if err := s.add(cell(st.subtitle, "Conseillers numériques seuls et offre complète")); err != nil {
		return err
	}
	head := []any{cell(st.header, "Indicateur")}
	for _, where := range []string{b.in.label(), "France"} {
		for _, o := range os {
			head = append(head, cell(st.headerC, o.Label+" — "+where))
		}
	}
	if err := s.add(head...); err != nil {
		return err
	}
	rows := []struct {
		label string
		style int
		v     func(r diag.Rollup) any
	}{
		{labelFTE, st.dec2, func(r diag.Rollup) any { return r.FTE }},
		{labelPer10k, st.dec2, func(r diag.Rollup) any { return r.Per10k }},
		{"Taux de couverture", st.percent, func(r diag.Rollup) any { return r.Coverage }},
		{"Population sans site à portée", st.thousands, func(r diag.Rollup) any { return r.Uncovered }},
		{labelAccessMean, st.dec2, func(r diag.Rollup) any { return r.MeanAccess10k }},
	}
	for _, r := range rows {
		line := []any{r.label}
		for _, pick := range []func(o Offer) diag.Rollup{
			func(o Offer) diag.Rollup { return o.Territory }, func(o Offer) diag.Rollup { return o.France }} {
			for _, o := range os {
				line = append(line, cell(r.style, r.v(pick(o))))
			}
		}
		if err := s.add(line...); err != nil {
			return err
		}
	}
	return s.add(cell(st.note, "Offre complète : tous les types de lieux (conseillers numériques, France Services, lieux de médiation, autres), avec les ETP par type de la Méthodologie. Les autres chiffres de cet onglet suivent l'offre choisie (--supply)."))
}

// comNote says that the overseas collectivities are outside the France
// figures, with their population.
func (b *book) comNote(s *sheet) error {
	com := b.in.Result.COM
	if com.Communes == 0 {
		return nil
	}
	return s.add(cell(b.st.note, fmt.Sprintf(
		"France hors collectivités d'outre-mer (COM) : leurs %s communes (%s habitants) n'ont pas de géographie (ni point ni contour) ; elles ne sont pas calculées, et restent hors des classements et des taux nationaux.",
		frInt(com.Communes), frInt(com.Population))))
}

// zonageNotes writes the national reference of the QPV and FRR shares
// and how they are counted.
func (b *book) zonageNotes(s *sheet) error {
	notes := []string{
		labelReference,
		"Parts calculées sur les sites dont la commune (celle du point du site) a un classement connu.",
		"FRR : France Ruralités Revitalisation, qui a remplacé les ZRR en 2024. Son classement n'est renseigné que pour",
		"une partie des départements dans les données utilisées ; ailleurs : « " + notInformed + " ».",
	}
	for _, n := range notes {
		if err := s.add(cell(b.st.note, n)); err != nil {
			return err
		}
	}
	return nil
}

// topCommunes writes the most under-covered communes of the territory.
func (b *book) topCommunes(s *sheet) error {
	st := &b.st
	if err := s.add(cell(st.subtitle, fmt.Sprintf("Les %d communes les moins bien desservies (rang 1 = plus fort score d'écart)", topCommunes))); err != nil {
		return err
	}
	cols := b.communeColumns()
	var pick []int
	for _, name := range []string{"nom", "code_insee", "rang", "population", "temps_site_proche_min", "couvert",
		"acces_e2sfca_pour_10k", "indice_fragilite", "score_ecart"} {
		pick = append(pick, communeColumn(name))
	}
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

// sourceDates writes the date of each source.
func (b *book) sourceDates(s *sheet) error {
	st := &b.st
	if err := s.add(cell(st.subtitle, "Sources des données (détail : onglet "+SheetSources+")")); err != nil {
		return err
	}
	if len(b.in.Sources) == 0 {
		return s.add("Aucune source déclarée.")
	}
	for _, w := range staleAdvisorSources(b.in.Sources, b.in.Date) {
		if err := s.add(cell(st.warn, w)); err != nil {
			return err
		}
	}
	if err := s.add(st.headers("Donnée", "Date", "Âge (mois)")...); err != nil {
		return err
	}
	for _, src := range b.in.Sources {
		title := src.Title
		if title == "" {
			title = src.Name
		}
		age := any("")
		if m, ok := AgeMonths(src.Date, b.in.Date); ok {
			age = m
		}
		if err := s.add(title, cell(st.code, src.Date), age); err != nil {
			return err
		}
	}
	return nil
}

// sheetDescriptions describes each sheet in the contents of Synthèse.
var sheetDescriptions = map[string]string{
	SheetSynthese:        "chiffres clés, carte, communes prioritaires, contrôles et dates des sources",
	SheetRegions:         "les régions classées par taux de couverture, comparées à la valeur nationale",
	SheetDepartements:    "les départements classés par taux de couverture, comparés à la valeur nationale",
	SheetCommunes:        "toutes les mesures par commune, triées par score d'écart (rang 1 = la plus mal desservie)",
	SheetEPCI:            "les intercommunalités du territoire, de la moins couverte à la mieux couverte",
	SheetSites:           "l'inventaire des lieux : type, ETP, commune, QPV et FRR, temps à l'autre site le plus proche",
	SheetZonesBlanches:   "les communes sans site compté à portée, ou dont une part de la population n'en a pas (--demande), avec leur population non couverte et le site le plus proche",
	SheetRecommandations: "les implantations proposées par le planificateur, ou comment l'exécuter",
	SheetControles:       "les lignes rejetées et les avertissements, regroupés par catégorie",
	SheetMethodologie:    "formules, valeurs de tous les paramètres, pondérations, version",
	SheetSources:         "provenance, licence et mention d'attribution de chaque donnée",
	SheetValidation:      "les données comparées aux chiffres publiés par leurs sources (postes par département, totaux nationaux)",
	SheetGraphiques:      "graphiques : plus forts scores d'écart, couverture par intercommunalité (et par département)",
}

// contents lists the sheets of the workbook with what each holds.
func (b *book) contents(s *sheet) error {
	if err := s.add(cell(b.st.subtitle, "Contenu du classeur")); err != nil {
		return err
	}
	for _, name := range SheetNames(b.in.Territory.Level)[1:] {
		if err := s.add(name, sheetDescriptions[name]); err != nil {
			return err
		}
	}
	return nil
}
