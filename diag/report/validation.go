package report

import (
	"fmt"
	"math"

	"diagnum/data"
	"diagnum/diag"
)

// SheetValidation compares the data with the figures their sources publish.
const SheetValidation = "Validation des données"

// validationTolerance is the agreement band of a département's advisor
// FTE with the posts of the 2023 list (±20 %).
const validationTolerance = 0.20

// validationRows compares the published figures of the data set
// (Dataset.References) with the conseiller-numérique FTE of the sites of
// the run (diag.ValidateSupply).
func (b *book) validationRows() []diag.ValidationRow {
	if b.in.Dataset == nil || b.in.Result == nil {
		return nil
	}
	sites := make([]data.Site, len(b.in.Result.Sites))
	for i := range b.in.Result.Sites {
		sites[i] = b.in.Result.Sites[i].Site
	}
	return diag.ValidateSupply(b.in.Dataset, sites)
}

// validation writes every published figure beside the embedded one, with
// its source, date and the reading of the difference, then the number of
// départements within ±20 % of the 2023 list.
func (b *book) validation() error {
	rows, st := b.validationRows(), &b.st
	cols := []column{
		{"Territoire", 12}, {"Indicateur", 24}, {"Chiffre publié", 14}, {"Source", 50}, {"Date", 12},
		{"Données du calcul (ETP conseillers numériques)", 20}, {"Écart (%)", 10}, {"Lecture", 60},
	}
	row := func(i int) []any {
		r := &rows[i]
		embedded, gap := any(""), any("")
		if r.Known {
			embedded = cell(st.dec1, r.Embedded)
			if g := r.Gap(); !math.IsInf(g, 0) {
				gap = cell(st.dec1, 100*g)
			}
		}
		return []any{cell(st.code, r.Territory), cell(st.wrap, r.Measure), cell(st.dec1, r.Value), cell(st.wrap, r.Source),
			cell(st.code, r.Date), embedded, gap, cell(st.wrap, validationReading(r))}
	}
	var within, deps int
	if b.in.Dataset != nil {
		within, deps = diag.DepartementsWithin(b.in.Dataset, rows, validationTolerance)
	}
	return b.table(SheetValidation, cols, len(rows), row, func(s *sheet) error {
		if len(rows) == 0 {
			return s.add(cell(st.note, "Aucun chiffre publié de référence dans ces données (references.csv absent)."))
		}
		return s.add(cell(st.note, fmt.Sprintf(
			"%d départements sur %d à ±20 %% des postes de la liste 2023. Les ETP du calcul sont ceux des sites de type « cnfs » rattachés aux communes du territoire.",
			within, deps)))
	})
}

// validationReading explains the difference between r's figures.
func validationReading(r *diag.ValidationRow) string {
	switch {
	case !r.Known:
		return r.Note
	case r.Measure == "postes_cnfs" && r.Territory == "France":
		return r.Note + ". Écart : postes dont la structure n'a ni lieu déclaré ni point de commune (Saint-Martin), listés dans Contrôles."
	case r.Measure == "postes_cnfs":
		if math.Abs(r.Gap()) <= validationTolerance {
			return r.Note + ". Accord à ±20 %."
		}
		return r.Note + ". Écart au-delà de ±20 % : des conseillers travaillent dans des lieux d'un département voisin (structures départementales ou associations), voir Contrôles."
	}
	return r.Note + ". Autre date ou autre périmètre que l'offre calculée : l'écart mesure l'évolution, pas une erreur."
}
