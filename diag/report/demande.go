package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"diagnum/data"
	"diagnum/diag"
)

// maxListedCommunes bounds the communes named in a Méthodologie row.
const maxListedCommunes = 100

// demandMethod returns the Méthodologie rows of the demand layer
// (Input.Demand): the layer, the formulas per unit and per commune, the
// communes of the territory measured on it and those left at commune
// level (how many and which), and the population conservation.
func (b *book) demandMethod() []methodRow {
	d := b.in.Demand
	if d == nil {
		return []methodRow{{"Couche de demande", "aucune (--demande non donné) : chaque commune est une unité de demande, mesurée à son point représentatif (chef-lieu) ; part_couverte vaut 1 ou 0 comme couvert"}}
	}
	l := d.Layer
	rows := []methodRow{
		{"Couche de demande (--demande)", fmt.Sprintf("fichier %s : %s unités (%s), %s hab. ; chaque unité est rattachée à la commune dont le contour contient son point (à moins de %s km d'un contour : la plus proche ; au-delà : hors de France, non comptée, voir Contrôles) et mesurée à son propre point (centre du carreau, point ou point intérieur du contour de l'IRIS)",
			l.File, frInt(len(l.Units)), l.Format, frPop(d.Pop), frNumber(diag.OffshoreKm))},
		{"Mesures par unité u", "la demande est faite des unités de la couche, dans les communes où elle a de la population, et des points des autres communes (population légale) : R_j = S_j / (Σ_k G_kj·P_k·W(t_kj) + Σ_u G_uj·P_u·W(t_uj)) ; A_u = Σ_j G_uj·R_j·W(t_uj), A_k de même au point de la commune (G = 1 sauf 3SFCA : G = W / Σ W de l'unité ou de la commune) ; divisés par Ā avec --normaliser ; l'offre est conservée : Σ_k P_k·A_k + Σ_u P_u·A_u = Σ_j S_j. t_u = temps au site compté le plus proche"},
		{"Agrégation par commune", "P = Σ_u P_u sur ses unités ; part_couverte = Σ P_u (t_u ≤ d0) / P ; temps_site_proche_min = Σ P_u·t_u / P ; accès = Σ P_u·A_u / P × 10 000 ; couvert = temps moyen ≤ d0 ; score d'écart avec manque = (déficit + (1 − part_couverte)) / 2, Amed = médiane des accès ainsi obtenus ; population couverte des agrégats = Σ population légale × part_couverte"},
	}
	var in, inPop, out int
	var names []string
	for i := range b.in.Communes {
		c := &b.in.Communes[i]
		switch {
		case c.NoGeography:
		case c.DemandUnits > 0:
			in++
			inPop += c.Population
		default:
			out++
			if len(names) < maxListedCommunes {
				names = append(names, c.Name+" ("+c.Code+")")
			}
		}
	}
	rows = append(rows, methodRow{"Communes mesurées sur la couche", fmt.Sprintf("%s communes du territoire sur %s (%s hab. légaux)", frInt(in), frInt(in+out), frInt(inPop))})
	rest := "aucune : la couche couvre toutes les communes du territoire"
	if out > 0 {
		rest = fmt.Sprintf("%s communes sans unité peuplée de la couche restent mesurées à leur point (part_couverte 1 ou 0) : %s", frInt(out), strings.Join(names, ", "))
		if out > len(names) {
			rest += fmt.Sprintf(" et %s autres (voir la colonne part_couverte et l'onglet Communes)", frInt(out-len(names)))
		}
	}
	rows = append(rows, methodRow{"Communes restées au niveau communal", rest})
	rows = append(rows, b.demandAges(d))
	if b.in.Plan != nil {
		rows = append(rows, methodRow{"Planificateur sur la couche", "le planificateur compte les unités de la couche là où elle a de la population, les autres communes à leur point : l'unité u de la commune k pèse P_k·P_u / Σ_u P_u de sa population légale P_k et est couverte quand un poste est à d0 ou moins de son propre point ; un poste au lieu c a R_c = S / (Σ_k P_k·W(t_kc) + Σ_u P_u·W(t_uc)) et relève A_u de R_c·W(t_uc). La couverture annoncée est donc Σ population légale × part_couverte, celle que le diagnostic mesure une fois les postes ajoutés ; le poids de fragilité d'une unité est celui de sa commune"})
	}
	return append(rows, b.demandConservation(d))
}

// demandAges tells whether the layer's share aged 65+ entered the
// fragility index (diag's demandFragility) and how.
func (b *book) demandAges(d *diag.DemandSummary) methodRow {
	const name = "Besoin selon l'âge (part_65_plus)"
	if d.Fragility == nil {
		return methodRow{name, "la couche ne donne pas d'âges : l'indice de fragilité reste celui des indicateurs communaux"}
	}
	text := "part_65_plus = Σ_u P65_u / Σ_u P_u sur les unités de la commune (carreaux : Ind_65_79 + Ind_80p), pour les communes dont toutes les unités peuplées ont des âges ; elle remplace là toute valeur des indicateurs, les autres communes gardent la leur (ou aucune). Poids par défaut 1 ; comme tout indicateur de poids par défaut, elle n'entre dans l'indice que si sa couverture est nationale (au moins " +
		frPercent(diag.NationalCoverage) + " des communes et des départements), ou si --weights lui donne un poids. "
	for _, u := range b.in.Result.Indicators {
		if !strings.EqualFold(u.Name, data.ColPart65Plus) {
			continue
		}
		if u.Status == diag.Used {
			return methodRow{name, text + "Ici elle est retenue (" + coverageText(u) + ") : chaque unité a sa propre fragilité, calculée avec sa part des 65 ans ou plus (P65_u / P_u, centrée et réduite par la moyenne et l'écart-type des communes) et les autres indicateurs de sa commune ; l'indice de la commune est la moyenne de celles de ses unités pondérée par P_u, et le score d'écart en découle."}
		}
		return methodRow{name, text + "Ici elle n'est pas retenue (" + useText(u) + " — " + coverageText(u) + ") : l'indice de fragilité est celui des indicateurs communaux ; --weights avec une ligne part_65_plus,1 la retient."}
	}
	return methodRow{name, text}
}

// demandConservation compares, over the communes of the territory
// measured on the layer, the layer's population with the legal one.
func (b *book) demandConservation(d *diag.DemandSummary) methodRow {
	code := map[string]bool{}
	var legal int
	for i := range b.in.Communes {
		if c := &b.in.Communes[i]; c.DemandUnits > 0 {
			code[c.Code] = true
			legal += c.Population
		}
	}
	var layer float64
	if ds := b.in.Dataset; ds != nil {
		for _, x := range d.Communes {
			if code[ds.Communes[x.Commune].Code] {
				layer += x.Pop
			}
		}
	}
	text := fmt.Sprintf("dans ces communes, la couche compte %s hab. pour %s hab. légaux (écart %s) ; les communes dont l'écart dépasse %s et %d hab. sont listées dans Contrôles avec la cause probable (couche partielle, unités à cheval sur une limite, millésime ou champ : Filosofi ne compte que les ménages fiscaux)",
		frPop(layer), frInt(legal), frPop(layer-float64(legal)), frPercent(diag.DemandTolerance), diag.DemandToleranceInhabitants)
	if d.Unplaced > 0 {
		text += fmt.Sprintf(" ; %s unités (%s hab.) hors de toute commune ne sont pas comptées", frInt(d.Unplaced), frPop(d.UnplacedPop))
	}
	return methodRow{"Conservation de la population", text}
}

// frPop writes a population that may hold halves (INSEE's grid), in
// French notation.
func frPop(p float64) string {
	r := math.Round(math.Abs(p) * 10)
	s := frInt(int(r / 10))
	if d := int(math.Mod(r, 10)); d != 0 {
		s += "," + strconv.Itoa(d)
	}
	if p < 0 && r != 0 {
		s = "−" + s
	}
	return s
}

// columnRows describe the columns of the Communes sheet and the CSV
// export for the parameters of the report (method and threshold named).
func (b *book) columnRows() []methodRow {
	rows := make([]methodRow, len(CommuneColumns))
	for i := range CommuneColumns {
		h, desc := CommuneColumns[i].Describe(b.in.Result.Params)
		rows[i] = methodRow{CommuneColumns[i].Name + " — " + h, desc}
	}
	return rows
}
