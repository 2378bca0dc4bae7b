package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"

	"diagnum/diag/plan"
)

// planSheet writes the placement plan in.Plan in the named sheet of f
// (streamPlan).
func planSheet(f *excelize.File, sheet string, in *Input) error {
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	return streamPlan(f, sheet, namedPlan(in), planSheetExtras(in), st)
}

// namedPlan returns in.Plan, titled with the report's territory name
// when it has none.
func namedPlan(in *Input) *plan.Plan {
	p := in.Plan
	if p.Name == "" && in.Name != "" {
		cp := *p
		cp.Name = in.Name
		p = &cp
	}
	return p
}

// planSheet writes the placement plan of the workbook's input in the
// Recommandations sheet, its rows written by rowXML as the other large
// sheets' (a national plan is 8,000 rows).
func (b *book) planSheet() error {
	s, err := b.stream(SheetRecommandations, planWidths()...)
	if err != nil {
		return err
	}
	emit := func(r int, values []any, height float64) error {
		s.row = r
		return s.setRow(values, height)
	}
	if err := writeRecommandations(b.f, SheetRecommandations, namedPlan(b.in), planSheetExtras(b.in), b.st, emit); err != nil {
		return err
	}
	return s.flush()
}

// planWidths returns the column widths of the plan sheet: A 38, N 32,
// B to S 15.
func planWidths() []float64 {
	w := make([]float64, 19)
	for i := range w {
		w[i] = 15
	}
	w[0], w[13] = 38, 32
	return w
}

// maxScenarioRows caps the communes listed for a scenario; the totals
// cover them all.
const maxScenarioRows = 5000

// WriteRecommandations fills the existing sheet of f with the placement
// plan p, through excelize's stream writer: the parameters,
// the territory before and after the new posts, the State subsidy per
// zone and employer, the scenario applied before planning (totals, then
// the communes whose figures change), the posts in the planner's order
// (commune, coordinates, population and fragile population newly
// covered, cumulative coverage, deficit reduced, Δ accès médian, nearest
// existing site and its travel time, subsidy), and a native line chart
// of the coverage rate against the number of advisors added (the
// marginal-return curve).
func WriteRecommandations(f *excelize.File, sheet string, p *plan.Plan) error {
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	return streamPlan(f, sheet, p, planExtras{}, st)
}

// streamPlan writes the plan sheet through excelize's stream writer on
// the named sheet of f.
func streamPlan(f *excelize.File, sheet string, p *plan.Plan, x planExtras, st styles) error {
	if p == nil {
		return fmt.Errorf("rapport : aucun plan")
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range planWidths() {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	emit := func(r int, values []any, height float64) error {
		return sw.SetRow("A"+itoa(r), values, excelize.RowOpts{Height: height})
	}
	if err := writeRecommandations(f, sheet, p, x, st, emit); err != nil {
		return err
	}
	return sw.Flush()
}

// writeRecommandations writes the plan sheet row by row through emit
// (row r, its values from column A, its height when above 0), rows in
// increasing order; f takes the chart and the map.
func writeRecommandations(f *excelize.File, sheet string, p *plan.Plan, x planExtras, st styles, emit func(r int, values []any, height float64) error) error {
	if p == nil {
		return fmt.Errorf("rapport : aucun plan")
	}
	w := &planWriter{f: f, sh: sheet, st: st, p: p, row: 1, x: x, emit: emit}
	steps := []func() error{w.intro, w.summary, w.costs, w.scenarioTotals, w.picks, w.removals, w.departements, w.scenarioCommunes}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("feuille %s : %w", sheet, err)
		}
	}
	return nil
}

// planWriter writes the plan sheet from top to bottom; row is the next
// free row.
type planWriter struct {
	f       *excelize.File
	sh      string
	st      styles
	p       *plan.Plan
	row     int
	chartAt int // row where the chart is anchored, in column F
	x       planExtras
	emit    func(r int, values []any, height float64) error
}

// line writes cells from column A on the next row; an excelize.Cell
// carries its style.
func (w *planWriter) line(cells ...any) error {
	return w.lineHigh(0, cells...)
}

// headerLine writes names as a line of column headers, height high.
func (w *planWriter) headerLine(height float64, names []string) error {
	return w.lineHigh(height, w.st.headers(names...)...)
}

// lines writes rows one line each (line).
func (w *planWriter) lines(rows [][]any) error {
	for _, r := range rows {
		if err := w.line(r...); err != nil {
			return err
		}
	}
	return nil
}

// lineHigh is line with the row's height (0: the default).
func (w *planWriter) lineHigh(height float64, cells ...any) error {
	r := w.row
	w.row++
	for _, c := range cells {
		if c != nil {
			return w.emit(r, cells, height)
		}
	}
	return nil
}

func (w *planWriter) skip() { w.row++ }

// block writes rows (lines) and leaves the row under them empty.
func (w *planWriter) block(rows [][]any) error {
	if err := w.lines(rows); err != nil {
		return err
	}
	w.skip()
	return nil
}

// objectiveText describes the objective in French.
func objectiveText(o plan.Objective) string {
	switch o {
	case plan.ObjectiveAccess:
		return "réduire le déficit d'accès (E2SFCA), puis servir la population fragile (capacité)"
	case plan.ObjectiveEquity:
		return "réduire le temps le plus long de la population fragile (équité), puis servir la population fragile (capacité)"
	}
	return "couvrir la population fragile (MCLP), puis servir la population fragile (capacité)"
}

// removals writes the existing sites to close (--retirer), in order.
func (w *planWriter) removals() error {
	p, st := w.p, &w.st
	if len(p.Removals) == 0 {
		return nil
	}
	w.skip()
	rows := [][]any{
		{cell(st.subtitle, "Sites existants à retirer en perdant le moins, dans l'ordre")},
		st.headers("Commune", "Rang", "Identifiant du site", "Nom", "ETP", "Population qui n'est plus couverte",
			"Population fragile qui n'est plus couverte", "Population fragile servie en moins (par an)",
			"Déficit d'accès ajouté (ETP)", "Taux de couverture après", "Économie sur 24 mois (€)"),
	}
	for _, r := range p.Removals {
		rows = append(rows, []any{r.CommuneName, cell(st.integer, r.Rank), cell(st.code, r.Site.ID), r.Site.Name,
			cell(st.dec2, measure(r.FTE)), cell(st.thousands, r.LostPop), cell(st.thousands, measure(r.LostFragile)),
			cell(st.thousands, measure(r.LostServed)), cell(st.dec2, measure(r.LostAccess)),
			cell(st.percent, measure(r.Coverage)), cell(st.thousands, measure(r.Saving))})
	}
	return w.lines(rows)
}

// boundWhat names the criterion of a bound.
func boundWhat(st plan.Stage) string {
	switch st {
	case plan.StageCapacity:
		return "population fragile servie en plus par an"
	case plan.StageAccess:
		return "déficit d'accès réduit (ETP)"
	}
	return "population fragile nouvellement couverte"
}

func maxPerPlace(k int) any {
	if k <= 0 {
		return "sans limite"
	}
	return k
}

func stagesText(ss []plan.Stage) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, " puis ")
}

// planMethod returns the Méthodologie rows of the planner (none without
// a plan): the stages, the capacity formula, ties, nesting and bounds.
func planMethod(p *plan.Plan) []methodRow {
	if p == nil {
		return nil
	}
	c := frNumber(p.Capacity)
	return []methodRow{
		{"Étapes", "Chaque poste est choisi par un glouton (évaluation paresseuse CELF). Étape « couverture » : maximiser la population fragile nouvellement couverte Σ P_i·w_i (w_i = fragilité / 100, 0,5 si inconnue). Quand plus aucun lieu ne couvre personne de nouveau, l'étape « capacité » commence (objectif access : étape « accès » d'abord ; equite : étape « équité », minimiser max T_i, le temps jusqu'au site le plus proche de la population fragile)."},
		{"Capacité", "C = " + c + " personnes accompagnées par ETP et par an (défaut 544 = 2 135 298 usagers des comptes rendus d'activité 2023 des conseillers numériques, ANCT, / 3 925 postes validés par le COSELEC du 05/04/2023 ; option --capacite). Capacité qui atteint la commune i : K_i = C·P_i·A_i (A_i : accessibilité E2SFCA). Demande : D_i = P_i·w_i. Population fragile servie : servie_i = D_i·(1 − exp(−K_i / D_i)), au plus min(D_i, K_i) : rendements décroissants là où la demande est déjà servie, rien au-delà de la demande à portée."},
		{"Ex aequo", "Deux gains sont égaux à une tolérance relative de 1e-9 près (|a − b| ≤ 1e-9·max(|a|, |b|)). Ex aequo départagés par la population servie, puis le déficit d'accès réduit (ou la couverture), puis le code INSEE du lieu, puis son identifiant. Le plan de N postes est le début du plan de N + k postes ; il ne dépend ni de l'ordre des candidats ni du nombre de cœurs."},
		{"Borne certifiée", "Pour chaque critère, l'optimum de N postes est au plus f(S_t) + la plus grande somme des gains marginaux de N postes à l'étape t (sous-modularité ; Nemhauser, Wolsey et Fisher 1978), au minimum sur plusieurs étapes t ; ce gain de N postes est aussi borné par une relaxation lagrangienne (majorants linéaires des termes concaves de chaque commune, pas de sous-gradient), qui ne compte qu'une fois une commune atteinte par plusieurs candidats ; pour la population servie et le déficit, cette relaxation est aussi résolue depuis la situation avant le plan, en partant des pentes des termes là où le plan les laisse, et bornée par le total atteignable (tout le déficit, toute la demande non servie) ; sur les petits territoires, en fixant un premier poste : max sur c de [gain de c + borne des N − 1 autres postes, c placé] (exacte pour 2 postes). « Au moins X % de l'optimum » = gain du plan / la plus petite de ces bornes."},
		{"Besoin par département", "Population fragile ayant besoin d'un service : Σ (D_i − servie_i) avant le plan ; corrélation des rangs de Spearman entre ce besoin et les postes ajoutés par département. Parts : besoin du département / besoin total, postes du département / postes du plan ; rang 1 = le plus grand (ex aequo au même rang). Carte (plan sur plusieurs départements) : chaque commune prend la couleur de son département, postes ajoutés / besoin × 10 000, en 5 classes aux quantiles des départements (gris : sans besoin)."},
	}
}

// intro writes the title, the notes and the parameters.
func (w *planWriter) intro() error {
	p, st := w.p, &w.st
	name := p.Name
	if name == "" {
		name = p.Territory.String()
	}
	th := frNumber(p.Params.WithDefaults().ThresholdMin)
	rows := [][]any{
		{cell(st.title, "Recommandations d'implantation — "+name)},
		{"Où ajouter des postes de conseiller numérique (1 ETP chacun), les sites existants restant en place : chaque ligne du tableau des postes est le meilleur ajout compte tenu des précédents."},
		{"Objectif : " + objectiveText(p.Objective) + ". Ex aequo (à 1e-9 près) départagés par les autres critères puis le code INSEE. Algorithme glouton à évaluation paresseuse (CELF), garanti à au moins 63 % (1 − 1/e) de l'optimum ; la garantie propre à ce plan est calculée ci-dessous."},
	}
	if len(p.Picks) < p.Requested {
		rows = append(rows, []any{fmt.Sprintf("Remarque : %d poste(s) proposé(s) sur %d demandés : %s (seuil %s min).",
			len(p.Picks), p.Requested, p.Stop, th)})
	}
	if p.Budget > 0 {
		rows = append(rows, []any{fmt.Sprintf("Budget : %s € de subvention sur 24 mois ; %d poste(s) pour %s €, meilleur gain par euro d'abord.",
			frNumber(p.Budget), len(p.Picks), frNumber(p.TotalCost()))})
	}
	if note := p.SwapNote(); note != "" {
		rows = append(rows, []any{"Après le glouton (--echanges) : " + note + "."})
	}
	if c := p.Cover; c != nil {
		proof := "le minimum n'est pas prouvé"
		if c.Optimal {
			proof = "c'est le minimum (prouvé)"
		}
		rows = append(rows, []any{fmt.Sprintf("Le moins de postes pour couvrir %s %% de la population : %d poste(s) ; %s ; aucun plan de moins de %d poste(s) n'y parvient (borne inférieure).",
			frNumber(math.Round(1000*c.Rate)/10), c.Posts, proof, c.LowerBound)})
	}
	if p.CapacityFrom >= 0 && p.CapacityFrom < len(p.Picks) {
		rows = append(rows, []any{fmt.Sprintf("Étape « capacité » à partir du poste %d : l'étape précédente est saturée, les postes suivants vont là où ils servent le plus de population fragile non encore servie (%s personnes par ETP et par an).",
			p.CapacityFrom+1, frNumber(p.Capacity))})
	}
	for _, bd := range p.Bounds {
		rows = append(rows, []any{fmt.Sprintf("Garantie (%s) : %s ; %s : %s, borne supérieure de l'optimum : %s.",
			bd.Stage, bd.Certificate(), boundWhat(bd.Stage), frNumber(math.Round(bd.Value*10)/10), frNumber(math.Round(bd.Upper*10)/10))})
	}
	rows = append(rows, []any{})
	if err := w.lines(rows); err != nil {
		return err
	}
	w.chartAt = w.row
	rows = [][]any{
		{cell(st.subtitle, "Paramètres")},
		{"Objectif", objectiveText(p.Objective)},
		{"Postes demandés", cell(st.integer, p.Requested)},
		{"Postes proposés", cell(st.integer, len(p.Picks))},
		{"Lieux candidats", cell(st.integer, p.Candidates)},
		{"Lieux candidats exclus (--exclure)", cell(st.integer, p.Excluded)},
		{"Seuil de couverture (min)", cell(st.dec1, measure(p.Params.WithDefaults().ThresholdMin))},
		{"Poids d'un habitant", "fragilité / 100"},
		{"Accès de référence A* (pour 10 000 hab.)", cell(st.dec2, measure(p.TargetAccess*1e4))},
		{"Capacité (personnes accompagnées par ETP et par an)", cell(st.integer, measure(p.Capacity))},
		{"Postes au plus par lieu", maxPerPlace(p.MaxPerPlace)},
		{"Étapes", stagesText(p.Stages)},
		{"Employeur des nouveaux postes", p.Employer.Label()},
	}
	return w.block(rows)
}

// summary writes the territory before and after the posts, and the chart.
func (w *planWriter) summary() error {
	p, st := w.p, &w.st
	after := plan.Pick{CoveredPop: p.CoveredPop, Coverage: p.Coverage(), MedianAccess10k: p.MedianAccess10k}
	fragile, deficit, served := p.CoveredFragile, p.Deficit, 0.0
	for _, k := range p.Picks {
		after = k
		fragile += k.NewFragile
		deficit -= k.DeficitGain
		served += k.NewServed
	}
	rows := [][]any{
		{cell(st.subtitle, "Effet des postes proposés sur le territoire")},
		st.headers(beforeAfterHeader...),
		{"Population couverte", cell(st.thousands, p.CoveredPop), cell(st.thousands, after.CoveredPop), cell(st.thousands, after.CoveredPop-p.CoveredPop)},
		{"Taux de couverture", cell(st.percent, measure(p.Coverage())), cell(st.percent, measure(after.Coverage)), cell(st.percent, measure(after.Coverage-p.Coverage()))},
		{"Population fragile couverte", cell(st.thousands, measure(p.CoveredFragile)), cell(st.thousands, measure(fragile)), cell(st.thousands, measure(fragile-p.CoveredFragile))},
		{"Déficit d'accès (ETP)", cell(st.dec2, measure(p.Deficit)), cell(st.dec2, measure(deficit)), cell(st.dec2, measure(deficit-p.Deficit))},
		{"Population fragile servie par an", cell(st.thousands, measure(p.Served)), cell(st.thousands, measure(p.Served+served)), cell(st.thousands, measure(served))},
		{"Accès médian (pour 10 000 hab.)", cell(st.dec2, measure(p.MedianAccess10k)), cell(st.dec2, measure(after.MedianAccess10k)), cell(st.dec2, measure(after.MedianAccess10k-p.MedianAccess10k))},
		{"Subvention de l'État sur 24 mois (€)", nil, cell(st.thousands, measure(p.TotalCost()))},
	}
	return w.block(rows)
}

// costs writes the subsidy of the posts by zone and employer.
func (w *planWriter) costs() error {
	st := &w.st
	if err := w.line(cell(st.subtitle, "Coût estimé : subvention de l'État par poste sur 24 mois")); err != nil {
		return err
	}
	if err := w.costTable("Postes proposés", w.p.CostLines()); err != nil {
		return err
	}
	w.skip()
	return nil
}

// costTable writes cost lines under a header, with their total.
func (w *planWriter) costTable(what string, lines []plan.CostLine) error {
	st := &w.st
	if err := w.headerLine(0, []string{what, "Employeur", "Postes (ETP)", "Par poste (€)", "Total (€)"}); err != nil {
		return err
	}
	posts, total := 0.0, 0.0
	for _, l := range lines {
		posts, total = posts+l.Posts, total+l.Total
		if err := w.line(l.Zone.Label(), l.Employer.Label(), cell(st.dec1, l.Posts),
			cell(st.thousands, l.PerPost), cell(st.thousands, l.Total)); err != nil {
			return err
		}
	}
	return w.line(cell(st.subtitle, "Total"), nil, cell(st.dec1, posts), nil, cell(st.thousands, total))
}

// beforeAfterHeader is the header of the tables of the territory before
// and after (the posts proposed, the scenario).
var beforeAfterHeader = []string{"Indicateur", "Avant", "Après", "Écart"}

// pickHeader is the header of the posts table.
var pickHeader = []string{
	"Commune", "Rang", "Identifiant du site", "Code INSEE", "Latitude", "Longitude",
	"Population nouvellement couverte", "Population fragile nouvellement couverte",
	"Population couverte (cumul)", "Taux de couverture cumulé", "Déficit d'accès réduit (ETP)",
	"Accès médian après (pour 10 000 hab.)", "Δ accès médian (pour 10 000 hab.)",
	"Site existant le plus proche", "Temps jusqu'à ce site (min)", "Subvention 24 mois (€)", "Subvention cumulée (€)",
	"Étape", "Population fragile nouvellement servie (par an)",
}

// picks writes the posts, after a first row for the current situation
// (0 advisors added), and the chart over that table.
func (w *planWriter) picks() error {
	st := &w.st
	if err := w.line(cell(st.subtitle, "Postes proposés, dans l'ordre du planificateur")); err != nil {
		return err
	}
	if err := w.headerLine(48, pickHeader); err != nil {
		return err
	}
	first := w.row
	p := w.p
	if err := w.line("Situation actuelle", cell(st.integer, 0), nil, nil, nil, nil, nil, nil,
		cell(st.thousands, p.CoveredPop), cell(st.percent, measure(p.Coverage())), nil,
		cell(st.dec2, measure(p.MedianAccess10k))); err != nil {
		return err
	}
	cum := 0.0
	for i := range p.Picks {
		k := &p.Picks[i]
		cum += k.Cost
		if err := w.line(cell(st.text, k.CommuneName), cell(st.integer, k.Rank), cell(st.code, k.Site.ID), cell(st.code, k.Site.INSEE),
			k.Site.Point[1], k.Site.Point[0], cell(st.thousands, k.NewPop), cell(st.thousands, measure(k.NewFragile)),
			cell(st.thousands, k.CoveredPop), cell(st.percent, measure(k.Coverage)), cell(st.dec2, measure(k.DeficitGain)),
			cell(st.dec2, measure(k.MedianAccess10k)), cell(st.dec2, measure(k.DeltaMedian10k)), cell(st.text, k.NearestName),
			cell(st.dec1, measure(k.NearestMin)), cell(st.thousands, k.Cost), cell(st.thousands, cum),
			cell(st.text, string(k.Stage)), cell(st.thousands, measure(k.NewServed))); err != nil {
			return err
		}
	}
	if len(p.Picks) > 0 {
		if err := w.chart(first, w.row-1); err != nil {
			return err
		}
	}
	w.skip()
	return nil
}

// chart adds the marginal-return curve over rows r0..r1 of the posts
// table (B: advisors added, J: coverage rate), beside the parameters.
func (w *planWriter) chart(r0, r1 int) error {
	ref := quoteSheet(w.sh)
	vary, zero, one := false, 0.0, 1.0
	c := &excelize.Chart{
		Type:       excelize.Line,
		VaryColors: &vary,
		Series: []excelize.ChartSeries{{
			Name:       ref + "!$J$" + itoa(r0-1),
			Categories: fmt.Sprintf("%s!$B$%d:$B$%d", ref, r0, r1),
			Values:     fmt.Sprintf("%s!$J$%d:$J$%d", ref, r0, r1),
			Marker:     excelize.ChartMarker{Symbol: "none"},
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Taux de couverture selon le nombre de conseillers ajoutés"}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		XAxis: excelize.ChartAxis{
			Title:         excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Conseillers ajoutés"}}},
			TickLabelSkip: max(1, (r1-r0)/10),
		},
		YAxis: excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"},
			Minimum: &zero, Maximum: &one},
	}
	return w.f.AddChart(w.sh, "F"+itoa(max(1, w.chartAt)), c)
}

// quoteSheet returns a sheet name as written in a reference.
func quoteSheet(name string) string {
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return "'" + strings.ReplaceAll(name, "'", "''") + "'"
		}
	}
	return name
}

// scenarioTotals writes the territory before and after the scenario,
// and its costs.
func (w *planWriter) scenarioTotals() error {
	r := w.p.Scenario
	if r == nil {
		return nil
	}
	st := &w.st
	b, a := &r.Before, &r.After
	rows := [][]any{
		{cell(st.subtitle, "Scénario appliqué avant la planification")},
		{fmt.Sprintf("%d site(s) ajouté(s), %d supprimé(s). Les postes proposés ci-dessous s'ajoutent à la situation après scénario.", len(r.Added), len(r.Removed))},
		st.headers(beforeAfterHeader...),
		deltaRow(st.integer, "Sites comptés dans l'offre", float64(b.NbSites), float64(a.NbSites)),
		deltaRow(st.dec1, "ETP de conseillers", b.FTE, a.FTE),
		deltaRow(st.thousands, "Population couverte", float64(b.CoveredPop), float64(a.CoveredPop)),
		deltaRow(st.percent, "Taux de couverture", b.Coverage, a.Coverage),
		deltaRow(st.dec2, "Accès moyen (pour 10 000 hab.)", b.MeanAccess10k, a.MeanAccess10k),
		deltaRow(st.dec2, "Accès médian (pour 10 000 hab.)", b.MedianAccess10k, a.MedianAccess10k),
		deltaRow(st.thousands, "Score d'écart total", b.Gap, a.Gap),
	}
	if err := w.block(rows); err != nil {
		return err
	}
	for _, t := range []struct {
		what  string
		lines []plan.CostLine
	}{{"Postes ajoutés", r.AddedLines}, {"Postes supprimés", r.RemovedLines}} {
		if err := w.costTable(t.what, t.lines); err != nil {
			return err
		}
	}
	if err := w.line(cell(st.subtitle, "Solde (ajoutés − supprimés)"), nil, nil, nil,
		cell(st.thousands, r.AddedCost-r.RemovedCost)); err != nil {
		return err
	}
	w.skip()
	return nil
}

func deltaRow(style int, name string, before, after float64) []any {
	return []any{name, cell(style, measure(before)), cell(style, measure(after)), cell(style, measure(after-before))}
}

// scenarioCommunes lists the communes whose figures the scenario changes.
func (w *planWriter) scenarioCommunes() error {
	r := w.p.Scenario
	if r == nil {
		return nil
	}
	st := &w.st
	note := fmt.Sprintf("%d commune(s) changent, %d restent identiques ; les plus fortes baisses du score d'écart d'abord.",
		len(r.Communes), r.Unchanged)
	if len(r.Communes) > maxScenarioRows {
		note += fmt.Sprintf(" Seules les %d premières sont listées.", maxScenarioRows)
	}
	hdr := []string{"Commune", "Code INSEE", "Population", "Couverte avant", "Couverte après",
		"Accès avant (pour 10 000 hab.)", "Accès après", "Δ accès", "Score d'écart avant", "Score d'écart après", "Δ score d'écart"}
	if err := w.line(cell(st.subtitle, "Scénario : communes dont les mesures changent")); err != nil {
		return err
	}
	if err := w.line(note); err != nil {
		return err
	}
	if err := w.headerLine(32, hdr); err != nil {
		return err
	}
	for _, c := range r.Communes[:min(len(r.Communes), maxScenarioRows)] {
		if err := w.line(cell(st.text, c.Name), cell(st.code, c.Code), cell(st.thousands, c.Population),
			cell(st.yesNo, yesNo(c.CoveredBefore)), cell(st.yesNo, yesNo(c.CoveredAfter)),
			cell(st.dec2, measure(c.Access10kBefore)), cell(st.dec2, measure(c.Access10kAfter)),
			cell(st.dec2, measure(c.Access10kAfter-c.Access10kBefore)), cell(st.dec2, measure(c.GapBefore)),
			cell(st.dec2, measure(c.GapAfter)), cell(st.dec2, measure(diffOrNaN(c.GapAfter, c.GapBefore)))); err != nil {
			return err
		}
	}
	return nil
}

func diffOrNaN(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return a - b
}
