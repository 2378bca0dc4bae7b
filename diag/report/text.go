package report

import (
	"fmt"
	"strings"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
)

// recommandations writes the placement plan Input.Plan when there is
// one (planSheet), otherwise how to run the placement planner.
func (b *book) recommandations() error {
	if b.in.Plan != nil {
		return b.planSheet()
	}
	s, err := b.stream(SheetRecommandations, 110)
	if err != nil {
		return err
	}
	st, t := &b.st, b.in.Territory
	cmd := "diagnum plan --dept <code du département> --add 10"
	if t.Level == diag.LevelDepartement && len(t.Codes) > 0 {
		cmd = "diagnum plan --dept " + strings.Join(t.Codes, ",") + " --add 10"
	}
	lines := []any{
		cell(st.title, "Recommandations d'implantation"),
		cell(st.wrap, "Le planificateur de placement propose les communes où ajouter des sites de conseillers numériques pour réduire le plus la population non couverte et l'écart d'accès. Ses propositions ne figurent pas encore dans ce classeur."),
		cell(st.wrap, "Pour les obtenir, lancer la commande suivante (ici pour 10 nouveaux sites) :"),
		cell(st.code, cmd),
		cell(st.wrap, "En attendant, les onglets « "+SheetZonesBlanches+" » (communes sans site à "+b.threshold()+" min ou moins) et « "+SheetCommunes+" » (trié par rang, rang 1 = plus fort score d'écart) désignent les communes à examiner en premier."),
	}
	for _, l := range lines {
		if err := s.add(l); err != nil {
			return err
		}
	}
	return s.flush()
}

// methodRow is a row of the Méthodologie sheet: a name and its content.
type methodRow struct{ name, text string }

// methodFormulas are the formulas of the measures, d0 and the model's
// constants filled in.
func (b *book) methodFormulas(p diag.Params) []methodRow {
	th := frNumber(p.ThresholdMin)
	travel := "t_ij = " + TravelMethod(p).Text
	rows := []methodRow{
		{"Temps de trajet t_ij", travel},
		{"Offre S_j", "ETP retenus du site j : la valeur fixée pour son type quand il y en a une, sinon les ETP déclarés ; 0 pour un type non compté dans l'offre"},
		{"Temps au site le plus proche", "min_j t_ij sur les sites comptés dans l'offre ; vide quand aucun site n'est compté"},
		{"Couverture", "une commune est couverte quand le temps au site le plus proche est ≤ d0 = " + th + " min ; part_couverte = part de sa population à d0 ou moins (1 ou 0 pour une commune mesurée à son point, voir Demande) ; taux de couverture = population couverte / population, population couverte = Σ population × part_couverte"},
		{"Conseillers pour 10 000 hab.", "ETP des sites comptés situés dans la commune / population × 10 000 (0 pour une commune sans population)"},
	}
	rows = append(rows, accessFormulas(p)...)
	return append(rows, []methodRow{
		{"Indice de fragilité (0–100)", "z_ik = (x_ik − moyenne_k) / écart-type_k, sur toutes les communes de France qui ont une valeur ; Z_i = Σ_k w_k·z_ik / Σ_k w_k sur les indicateurs connus de la commune ; indice = 100 × Φ(Z_i), Φ fonction de répartition de la loi normale centrée réduite. Un indicateur manquant est ignoré (jamais lu comme 0) ; vide quand aucun indicateur n'est connu. Un indicateur nommé n'entre dans l'indice par défaut que si sa couverture est nationale (au moins " + frPercent(diag.NationalCoverage) + " des communes hors collectivités d'outre-mer et des départements), pour que l'indice soit construit de la même façon partout ; --weights fixe les poids (0 retire un indicateur) ; une colonne d'un fichier --indicators sans poids compte avec le poids 1"},
		{"Score d'écart", "F = indice de fragilité (50 s'il est inconnu) ; besoin = P × (0,5 + F/100) ; déficit = max(0, (Amed − A_i) / Amed), Amed = médiane des A_i des communes peuplées de France ; manque = (déficit + (1 − part_couverte)) / 2 ; score d'écart = besoin × manque, en équivalent population privée d'accès"},
		{"Rang", "rang 1 = plus fort score d'écart du territoire ; à égalité, ordre des codes INSEE"},
		{"Agrégats (EPCI, département, région, France)", "sommes des populations, sites et ETP ; conseillers pour 10 000 hab. = ETP / population × 10 000 ; taux de couverture = population couverte / population ; accès moyen pondéré par la population ; accès médian = médiane des communes peuplées"},
		{"Parts de sites en QPV et en FRR", "sites rattachés à une commune de la zone (la commune de leur point) ; part = sites dont la commune compte un quartier prioritaire (liste 2024) ÷ sites dont la commune a une valeur connue ; de même pour le classement France Ruralités Revitalisation (FRR, successeur des ZRR) ; « " + notInformed + " » quand aucune de ces communes n'a de valeur. Référence nationale (rapports publics) : environ 25 % des structures en QPV, 20 % en ZRR/FRR"},
		{"Classements des départements et des régions", "rang 1 = taux de couverture le plus faible, à égalité le moins de conseillers pour 10 000 hab. ; écart à la France = valeur − valeur nationale ; rapport = valeur ÷ valeur nationale ; écart de couverture en points = (taux − taux national) × 100 ; non classés : territoires dont aucune commune n'est localisée (mesures non calculées)"},
		{"Périmètre de calcul", "toutes les mesures sont calculées sur toutes les communes et tous les sites de France, puis restituées pour le territoire : pas d'effet de bord aux limites"},
	}...)
}

// TimesLabel names the travel times of p for the Synthèse and the map
// legend: « temps routiers » (table, OSRM, OSM graph) or « temps estimés
// (vol d'oiseau × détour) » (the model).
func TimesLabel(p diag.Params) string {
	if TravelMethod(p).Road {
		return "temps routiers"
	}
	return "temps estimés (vol d'oiseau × détour)"
}

// TravelMethod says how the travel times of p were obtained: the
// timer's own description (geo.Describer), else the model's.
func TravelMethod(p diag.Params) geo.Method {
	if p.Timer != nil {
		return geo.DescribeTimer(p.Timer)
	}
	return geo.Model{Detour: p.Detour, SpeedKmh: p.SpeedKmh}.Describe()
}

// methodParams lists every parameter value used.
func (b *book) methodParams(p diag.Params) []methodRow {
	supply := p.Supply
	if len(supply) == 0 {
		supply = []data.SiteKind{data.KindCNFS}
	}
	var kinds []string
	for _, k := range supply {
		kinds = append(kinds, k.Label())
	}
	rows := []methodRow{
		{"Seuil de couverture et portée d0 (min)", frNumber(p.ThresholdMin)},
		{"Facteur de détour", frNumber(p.Detour)},
		{"Vitesse moyenne (km/h)", frNumber(p.SpeedKmh)},
		{"Types de sites comptés dans l'offre", strings.Join(kinds, ", ")},
	}
	for _, k := range data.Kinds {
		if v, ok := p.FTEPerSite[k]; ok {
			rows = append(rows, methodRow{"ETP retenus par site : " + k.Label(), frNumber(v)})
		}
	}
	return rows
}

// indicatorLabels describes the named fragility indicators.
var indicatorLabels = map[string]string{
	"qpv":                "commune avec un quartier prioritaire de la politique de la ville (0/1)",
	"nb_qpv":             "nombre de quartiers prioritaires de la commune (qpv le représente déjà)",
	"frr":                "commune classée France Ruralités Revitalisation (0/1)",
	"densite":            "grille communale de densité de l'INSEE (1 à 7, 7 = la plus rurale)",
	"taux_chomage":       "taux de chômage des 15–64 ans (0–1)",
	"part_65_plus":       "part des habitants de 65 ans ou plus (0–1)",
	"ifn_score":          "indice de fragilité numérique 2020 de La MedNum (> 100 = plus fragile)",
	"ifn_sans_thd":       "IFN 2023 : absence de très haut débit (score 0–10, 10 = plus fragile)",
	"ifn_sans_4g":        "IFN 2023 : absence de 4G (score 0–10)",
	"ifn_pauvrete":       "IFN 2023 : taux de pauvreté (score 0–10)",
	"ifn_65_plus":        "IFN 2023 : part des 65 ans ou plus (score 0–10)",
	"ifn_non_scolarises": "IFN 2023 : part des 15 ans ou plus peu ou pas diplômés (score 0–10)",
	"ifn_total":          "IFN 2023 : moyenne des cinq composantes (les compterait deux fois)",
}

// useText tells in French how an indicator took part in the index.
func useText(u diag.IndicatorUse) string {
	origin := map[diag.WeightOrigin]string{
		diag.WeightDefault:  "poids par défaut",
		diag.WeightExplicit: "poids donné par --weights",
		diag.WeightImplicit: "sans poids dans --weights : poids 1 par défaut",
	}[u.Origin]
	switch u.Status {
	case diag.OutWeight:
		return "non retenu : poids 0 (" + origin + ")"
	case diag.OutCoverage:
		return "non retenu : couverture non nationale (il faut au moins " + frPercent(diag.NationalCoverage) +
			" des communes et des départements ; --weights peut le retenir quand même)"
	case diag.OutConstant:
		return "non retenu : valeur identique partout ou connue de moins de deux communes"
	case diag.OutSpread:
		return "non retenu : valeurs trop éloignées (leur moyenne ou leur écart type dépasse les nombres représentables, voir Contrôles)"
	}
	return "retenu, poids " + frNumber(u.Weight) + " (" + origin + ")"
}

// coverageText gives the coverage of an indicator in French.
func coverageText(u diag.IndicatorUse) string {
	s := fmt.Sprintf("couverture : %s communes sur %s (%s), %d départements sur %d",
		frInt(u.Communes), frInt(u.Total), frPercent(u.Coverage()), u.Deps, u.DepTotal)
	switch {
	case len(u.Missing) == 0:
	case len(u.Missing) <= 12:
		s += " ; sans valeur : " + strings.Join(u.Missing, ", ")
	default:
		s += fmt.Sprintf(" ; %d départements sans valeur", len(u.Missing))
	}
	return s + " (hors collectivités d'outre-mer)"
}

// methodIndicators lists every indicator column of the data with its
// description, coverage and part in the fragility index, then what is
// missing from the data.
func methodIndicators(uses []diag.IndicatorUse) []methodRow {
	var rows []methodRow
	has := map[string]bool{}
	for _, u := range uses {
		text := useText(u) + " — " + coverageText(u)
		if l, ok := indicatorLabels[strings.ToLower(u.Name)]; ok {
			text = l + " — " + text
		}
		rows = append(rows, methodRow{u.Name, text})
		has[strings.ToLower(u.Name)] = true
	}
	if !has["part_65_plus"] {
		rows = append(rows, methodRow{"Part des 65 ans ou plus", "absente des données : aucune source ouverte nationale par commune dont la licence est connue n'a été trouvée (le fichier de points des communes n'a pas d'âges ; l'IFN 2020 et l'IFN 2023 de La MedNum en donnent, sous une licence non précisée). Fournir une colonne part_65_plus (0–1) avec --indicators pour l'ajouter (poids 1)."})
	}
	if !has["ifn_score"] && !has["ifn_sans_thd"] {
		rows = append(rows, methodRow{"Indice de fragilité numérique (IFN)", "absent des données : sa licence n'est pas précisée par La MedNum, il n'est donc pas intégré. Le fichier communal de l'IFN 2023 (colonnes code, no_thd_coverage_rate, …) se lit tel quel avec --indicators : ses cinq composantes deviennent ifn_sans_thd, ifn_sans_4g, ifn_pauvrete, ifn_65_plus et ifn_non_scolarises, de poids 0,4 chacune (2 au total, comme ifn_score)."})
	}
	return rows
}

// methodPlacement states the placement rules of the embedded offer
// (applied by make data, data/source), with their distances.
func methodPlacement() []methodRow {
	return []methodRow{
		{"Conseillers numériques (liste 2023)", "les postes de chaque structure sont placés aux lieux d'activité déclarés par ses conseillers : un conseiller qui déclare k lieux compte 1/k ETP à chacun ; les postes au-delà des conseillers déclarés sont répartis également sur les lieux de la structure, ou placés au point de sa commune quand elle n'en a aucun (avec un avertissement) ; Σ ETP = postes de la structure"},
		{"Appariement SIRET/SIREN", "les lieux d'une structure sont ceux de ses employeurs (même SIRET, sinon même SIREN) ; un lieu situé dans un autre département et à plus de " + frNumber(data.AdvisorRadiusKm) + " km de la commune de la structure est refusé pour elle (erreur de la source, voir Contrôles : appariements trop lointains)"},
		{"Géocodage par défaut", "un point partagé exactement par des structures qui déclarent des communes différentes est celui d'un géocodeur qui n'a pas trouvé l'adresse : ces structures perdent leur point (voir Contrôles)"},
		{"Lieux sans coordonnées", "un lieu de médiation ou de conseiller numérique sans coordonnées est placé au chef-lieu de sa commune (code INSEE, sinon code postal et ville) ; sans commune trouvée, il est refusé (voir Contrôles)"},
		{"Doublons entre sources", "deux lieux de sources différentes, dans la même commune, à " + frNumber(data.CrossDuplicateKm*1000) + " m au plus l'un de l'autre, de même SIRET ou de noms semblables, sont un seul lieu : il est compté une fois, dans la source la plus fiable (France Services, conseillers numériques, data·inclusion, portrea, Hinaura) ; seul un lieu de médiation ou « autre » est retiré (voir Contrôles)"},
		{"Doublons dans une source", "deux sites de même nom normalisé à " + frNumber(data.DuplicateKm*1000) + " m au plus sont signalés comme doublon probable, sans être fusionnés"},
		{"Sites hors de France", "un site dont le point n'est dans aucune commune (contours des communes) est refusé"},
	}
}

// methodologie writes the formulas, the parameters, the fragility
// weights and the version.
func (b *book) methodologie() error {
	s, err := b.stream(SheetMethodologie, 42, 110)
	if err != nil {
		return err
	}
	st, p := &b.st, b.in.Result.Params.WithDefaults()
	sections := []struct {
		title string
		rows  []methodRow
	}{
		{"Formules", b.methodFormulas(p)},
		{"Demande", b.demandMethod()},
		{"Placement de l'offre embarquée", methodPlacement()},
		{"Paramètres", b.methodParams(p)},
		{"Colonnes de l'onglet Communes et de l'export CSV", b.columnRows()},
		{"Indicateurs de l'indice de fragilité", methodIndicators(b.in.Result.Indicators)},
		{"Planificateur (diagnum plan)", planMethod(b.in.Plan)},
		{"Version", []methodRow{{"diagnum", b.in.Version}, {"Date de génération", b.in.Date.Format("02/01/2006")}}},
	}
	if err := s.add(cell(st.title, "Méthodologie")); err != nil {
		return err
	}
	for _, sec := range sections {
		if len(sec.rows) == 0 {
			continue
		}
		s.skip(1)
		if err := s.add(cell(st.subtitle, sec.title)); err != nil {
			return err
		}
		for _, r := range sec.rows {
			if err := s.add(cell(st.wrap, r.name), cell(st.wrap, r.text)); err != nil {
				return err
			}
		}
	}
	return s.flush()
}

// sources writes every input data set.
func (b *book) sources() error {
	cols := []column{
		{"Source", 20}, {"Titre", 40}, {"Producteur", 28}, {"Date", 12},
		{"Licence", 24}, {"Mention d'attribution", 60}, {"Fichier", 30},
	}
	src, st := b.in.Sources, &b.st
	row := func(i int) []any {
		s := &src[i]
		return []any{cell(st.wrap, s.Name), cell(st.wrap, s.Title), cell(st.wrap, s.Producer), cell(st.code, s.Date),
			cell(st.wrap, s.Licence), cell(st.wrap, s.Attribution), cell(st.wrap, s.File)}
	}
	return b.table(SheetSources, cols, len(src), row, nil)
}
