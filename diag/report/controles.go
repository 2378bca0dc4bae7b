package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag"
)

// checkCategory groups the checks in Contrôles, in display order.
type checkCategory int

// The categories of checks.
const (
	catRejected checkCategory = iota
	catNoReach
	catDisagree
	catUnusable
	catNoLocation
	catDefaultGeocode
	catFarMatch
	catCommunePoint
	catNoStructure
	catDemandPlacement
	catDemandConservation
	catDuplicate
	catCoordinate
	catCode
	catUnknownCode
	catOther
	nCategories
)

// categoryText gives the French label and explanation of each category.
var categoryText = [nCategories]struct{ label, explain string }{
	catRejected: {"Lignes rejetées", "La ligne n'a pas été utilisée dans le calcul."},
	catNoReach: {"Sites sans population à portée (R_j = 0)",
		"Aucune commune peuplée à portée (d0) : le site n'apporte rien à l'accès E2SFCA. Vérifier sa position."},
	catDisagree: {"Désaccords entre code INSEE déclaré et position",
		"Le point du site tombe dans une autre commune que celle de son code INSEE déclaré (ou ce code n'existe pas) : le site est rattaché à la commune de son point."},
	catUnusable: {"Sites non comptés (position ou ETP inutilisable)",
		"Position ou nombre d'ETP inutilisable : le site n'est pas compté dans l'offre."},
	catNoLocation: {"Communes sans point ni contour",
		"Ni point ni contour pour la commune : pas de temps de trajet, commune non couverte, accès 0."},
	catDefaultGeocode: {"Géocodages par défaut",
		"Un même point porte des lieux déclarés dans des communes différentes : c'est un point par défaut du géocodeur, pas l'adresse. Le lieu est replacé au point de sa commune déclarée."},
	catFarMatch: {"Appariements SIRET/SIREN trop lointains",
		"Des lieux trouvés par le SIRET ou le SIREN de la structure sont dans un autre département à plus de 50 km de sa commune : ils ne lui sont pas comptés."},
	catCommunePoint: {"Postes placés au point de la commune",
		"La structure n'a déclaré aucun lieu d'activité : ses postes sont comptés au point représentatif de sa commune."},
	catNoStructure: {"Lieux sans structure retenue",
		"L'employeur de ces lieux n'est dans aucune structure de la liste 2023 (ni par SIRET ni par SIREN) : lieux d'accès sans ETP compté."},
	catDemandPlacement: {"Unités de demande hors de toute commune",
		"Le point de l'unité (carreau, IRIS ou point de la couche --demande) ne tombe dans aucune commune française : sa population n'est comptée nulle part."},
	catDemandConservation: {"Conservation de la population de la couche de demande",
		"La population que la couche de demande donne à la commune diffère de sa population légale ; la cause probable est donnée. Les mesures de la commune restent celles de ses unités."},
	catDuplicate: {"Doublons probables",
		"Deux lieux de même nom à quelques mètres : sans doute le même lieu saisi deux fois. Les deux sont gardés."},
	catCoordinate: {"Coordonnées manquantes ou invalides",
		"Coordonnées absentes, inversées ou hors de France : l'élément est gardé sans point, ou placé par son code."},
	catCode: {"Codes mal formés (SIRET, code postal…)",
		"Un code n'a pas la forme attendue : la valeur est ignorée, la ligne est gardée."},
	catUnknownCode: {"Codes INSEE inconnus",
		"Code commune absent du Code officiel géographique ou du fichier lu."},
	catOther: {"Autres avertissements", "Voir le message d'origine."},
}

// kindCategory is the category of each kind of warning.
var kindCategory = map[data.CheckKind]checkCategory{
	data.CheckNoReach:            catNoReach,
	data.CheckPlacement:          catDisagree,
	data.CheckUnusableSite:       catUnusable,
	data.CheckNoLocation:         catNoLocation,
	data.CheckDefaultGeocode:     catDefaultGeocode,
	data.CheckFarMatch:           catFarMatch,
	data.CheckCommunePoint:       catCommunePoint,
	data.CheckNoStructure:        catNoStructure,
	data.CheckDemandPlacement:    catDemandPlacement,
	data.CheckDemandConservation: catDemandConservation,
	data.CheckDuplicate:          catDuplicate,
	data.CheckCoordinate:         catCoordinate,
	data.CheckCode:               catCode,
	data.CheckUnknownCode:        catUnknownCode,
	data.CheckOther:              catOther,
}

// classify returns the category of a check: rejected rows first, then
// the category of its kind (data.CheckKind, set by the loader or by diag;
// the embedded checks store it).
func classify(c data.Check) checkCategory {
	if c.Severity == data.Rejected {
		return catRejected
	}
	if cat, ok := kindCategory[c.Kind]; ok {
		return cat
	}
	return catOther
}

// Whether a check concerns the territory.
const (
	whereIn      = iota // its site or commune is in the territory
	whereUnknown        // it names none (a whole file, a malformed code…)
	whereOut            // its site or commune is elsewhere
)

// checkRow is a check with what the report derives from it.
type checkRow struct {
	data.Check
	cat   checkCategory
	where int
	what  string // the site or commune it names, "" if none
}

// allChecks returns the loading checks followed by the diagnostic's.
func (b *book) allChecks() data.Checks {
	return slices.Concat(b.in.Checks, b.in.Result.Checks)
}

// checkRows returns every check, classified, sorted by category, then
// those about the territory first, those naming nothing next, those about
// elsewhere last, each group in the order of allChecks.
func (b *book) checkRows() []checkRow {
	checks := b.allChecks()
	sites := make(map[string]int, len(b.in.Result.Sites))
	for i := range b.in.Result.Sites {
		if _, dup := sites[b.in.Result.Sites[i].ID]; !dup {
			sites[b.in.Result.Sites[i].ID] = i
		}
	}
	rows := make([]checkRow, len(checks))
	for i, c := range checks {
		rows[i] = checkRow{Check: c, cat: classify(c)}
		rows[i].what, rows[i].where = b.checkSubject(c, sites)
	}
	slices.SortStableFunc(rows, func(x, y checkRow) int {
		return cmp.Or(cmp.Compare(x.cat, y.cat), cmp.Compare(x.where, y.where))
	})
	return rows
}

// checkSubject returns the site or commune a check concerns (its Site,
// else its Commune), and whether it is in the territory.
func (b *book) checkSubject(c data.Check, sites map[string]int) (string, int) {
	switch {
	case c.Site != "":
		j, ok := sites[c.Site]
		if !ok {
			return "site " + c.Site, whereUnknown
		}
		s := &b.in.Result.Sites[j]
		return "site " + c.Site + " — " + s.Name, b.where(s.Commune)
	case c.Commune != "":
		return "commune " + b.communeLabel(c.Commune), b.where(c.Commune)
	}
	return "", whereUnknown
}

// where tells whether the commune of INSEE code is in the territory.
func (b *book) where(code string) int {
	i, ok := b.idx[code]
	switch {
	case !ok:
		return whereUnknown
	case b.in.Territory.Contains(b.in.Result.Communes[i].Dep, b.in.Result.Communes[i].Region):
		return whereIn
	}
	return whereOut
}

// severityLabel returns the French label of a check's severity.
func severityLabel(s data.Severity) string {
	switch s {
	case data.Rejected:
		return "Rejeté"
	case data.Warning:
		return "Avertissement"
	}
	return "Inconnu"
}

// whereLabel returns the French answer to "does it concern the territory?".
func whereLabel(w int) string {
	switch w {
	case whereIn:
		return "oui"
	case whereOut:
		return "non"
	}
	return "—"
}

// controles writes every check, grouped by category (checkRows):
// severity, file, line, column, category, territory, subject,
// explanation and the original message.
func (b *book) controles() error {
	cols := []column{
		{"Gravité", 15}, {"Fichier", 30}, {"Ligne", 8}, {"Colonne", 14}, {"Catégorie", 34},
		{"Concerne le territoire", 12}, {"Élément concerné", 40}, {"Explication", 60},
		{"Message d'origine (technique)", 90},
	}
	rows, st := b.checkRows(), &b.st
	row := func(i int) []any {
		c := rows[i]
		v := []any{severityLabel(c.Severity), nil, nil, nil, categoryText[c.cat].label,
			whereLabel(c.where), c.what, categoryText[c.cat].explain, nil}
		if e := c.Err; e != nil {
			v[1], v[3] = e.File, e.Column
			if e.Line > 0 {
				v[2] = cell(st.integer, e.Line)
			}
			if e.Err != nil {
				v[8] = e.Err.Error()
			}
		}
		return v
	}
	n := len(rows)
	var extra func(s *sheet) error
	if limit := b.in.controlRows(); n > limit {
		n = limit
		extra = func(s *sheet) error {
			where := "ils sont comptés dans Synthèse, et --strict les refuse"
			if b.in.ChecksCSV != "" {
				where = "tous les contrôles sont dans le fichier " + b.in.ChecksCSV + ", à côté du classeur"
			}
			return s.add(nil, nil, nil, nil, fmt.Sprintf(
				"… et %d contrôle(s) de plus, non affichés : un onglet Excel a au plus %d lignes ; %s",
				len(rows)-n, excelize.TotalRows, where))
		}
	}
	return b.table(SheetControles, cols, n, row, extra)
}

// maxControlRows caps the rows of Contrôles below Excel's limit
// (excelize.TotalRows, 1,048,576): the header and a last row saying how
// many checks are not shown. Input.MaxControlRows lowers it.
const maxControlRows = excelize.TotalRows - 2

// checkCounts writes, in Synthèse, the number of checks of each category.
func (b *book) checkCounts(s *sheet) error {
	st := &b.st
	var n, in [nCategories]int
	warnings, warningsIn := 0, 0
	for _, c := range b.checkRows() {
		n[c.cat]++
		if c.where == whereIn {
			in[c.cat]++
		}
		if c.Severity == data.Warning {
			warnings++
			if c.where == whereIn {
				warningsIn++
			}
		}
	}
	terr := "dont concernant " + b.in.label()
	if b.in.Territory.Level == diag.LevelFrance {
		terr = "dont rattachés à une commune ou un site"
	}
	if err := s.add(cell(st.subtitle, "Contrôles des données (détail : onglet "+SheetControles+")")); err != nil {
		return err
	}
	if err := s.header([]column{{"Catégorie", 62}, {"Nombre", 22}, {terr, 22}}); err != nil {
		return err
	}
	rows := [][]any{
		{categoryText[catRejected].label, cell(st.thousands, n[catRejected]), cell(st.thousands, in[catRejected])},
		{"Avertissements", cell(st.thousands, warnings), cell(st.thousands, warningsIn)},
	}
	for c := catRejected + 1; c < nCategories; c++ {
		if n[c] > 0 {
			rows = append(rows, []any{"   dont " + categoryText[c].label, cell(st.thousands, n[c]), cell(st.thousands, in[c])})
		}
	}
	for _, r := range rows {
		if err := s.add(r...); err != nil {
			return err
		}
	}
	return nil
}
