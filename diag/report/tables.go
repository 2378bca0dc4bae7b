package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag"
)

// sheetCommuneColumns are the columns of the Communes sheet:
// CommuneColumns, then the indicators that entered the fragility index
// (IndicatorColumns), computed once.
func (b *book) sheetCommuneColumns() []CommuneColumn {
	if b.communeCols == nil {
		var ind *data.Indicators
		if b.in.Dataset != nil {
			ind = b.in.Dataset.Indicators
		}
		b.communeCols = append(slices.Clip(CommuneColumns), IndicatorColumns(b.in.Result.Indicators, ind)...)
	}
	return b.communeCols
}

// communeColumns are the headers of the Communes sheet
// (sheetCommuneColumns).
func (b *book) communeColumns() []column {
	th, method := b.threshold(), MethodLabel(b.in.Result.Params)
	all := b.sheetCommuneColumns()
	cols := make([]column, len(all))
	for i := range all {
		cols[i] = all[i].sheetColumn(th, method)
	}
	return cols
}

// threshold returns the coverage threshold in minutes, in French notation.
func (b *book) threshold() string {
	return frNumber(b.in.Result.Params.WithDefaults().ThresholdMin)
}

// communeRow returns the cells of one commune, in sheetCommuneColumns
// order, with the values written by WriteCSV (measures rounded to 6
// decimals, empty when not finite, couvert 1 or 0 shown as oui/non).
func (b *book) communeRow(c *diag.CommuneResult) []any {
	all := b.sheetCommuneColumns()
	row := make([]any, len(all))
	for i := range all {
		row[i] = all[i].sheetCell(&b.st, c)
	}
	return row
}

// communes writes the Communes sheet: in.Communes in the given order.
func (b *book) communes() error {
	cs := b.in.Communes
	head, cols, st := b.communeColumns(), b.sheetCommuneColumns(), &b.st
	row := func(s *sheet, i int) error {
		s.addCells(func(x *rowXML, rs string) {
			for j := range cols {
				cols[j].appendCell(x, j, rs, st, &cs[i])
			}
		})
		return nil
	}
	return b.tableRows(SheetCommunes, head, len(cs), row, func(s *sheet) error {
		if len(cs) == 0 {
			return nil
		}
		// Accès E2SFCA: red (low) to green (high); score d'écart: green
		// (low) to red (high).
		last := itoa(len(cs) + 1)
		access, gap := colName(1+communeColumn("acces_e2sfca_pour_10k")), colName(1+communeColumn("score_ecart"))
		if err := b.f.SetConditionalFormat(s.name, access+"2:"+access+last, colorScale("F8696B", "63BE7B")); err != nil {
			return err
		}
		return b.f.SetConditionalFormat(s.name, gap+"2:"+gap+last, colorScale("63BE7B", "F8696B"))
	})
}

// colorScale is a 3-colour scale from low (minimum) through yellow
// (median) to high (maximum).
func colorScale(low, high string) []excelize.ConditionalFormatOptions {
	return []excelize.ConditionalFormatOptions{{
		Type: "3_color_scale", Criteria: "=",
		MinType: "min", MidType: "percentile", MidValue: "50", MaxType: "max",
		MinColor: low, MidColor: "FFEB84", MaxColor: high,
	}}
}

// territorySites returns the indices in Result.Sites of the view's sites
// (diag.View.Sites) sorted by commune code (stable: sites of a commune
// keep their data order).
func (b *book) territorySites() []int {
	r, v := b.in.Result, slices.Clone(b.in.Sites)
	slices.SortStableFunc(v, func(x, y int) int { return cmp.Compare(r.Sites[x].Commune, r.Sites[y].Commune) })
	return v
}

// communeName returns the name of the commune of INSEE code, "" if unknown.
func (b *book) communeName(code string) string {
	if i, ok := b.idx[code]; ok {
		return b.in.Result.Communes[i].Name
	}
	return ""
}

// communeLabel returns "Name (code)", or the code alone when the commune
// is not in Result.
func (b *book) communeLabel(code string) string {
	if name := b.communeName(code); name != "" {
		return name + " (" + code + ")"
	}
	return code
}

// communeDep returns the département code of the commune of INSEE code,
// "" if unknown.
func (b *book) communeDep(code string) string {
	if i, ok := b.idx[code]; ok {
		return b.in.Result.Communes[i].Dep
	}
	return ""
}

// sites writes the Sites sheet: the sites located in the territory, with
// the QPV and FRR flags of their commune.
func (b *book) sites() error {
	cols := []column{
		{"Identifiant", 16}, {"Nom", 36}, {"Type", 24}, {"ETP déclarés", 10},
		{"ETP retenus dans l'offre", 11}, {"Code commune", 10}, {"Commune", 24}, {"Département", 11},
		{"Commune avec QPV", 10}, {"Commune FRR", 12},
		{"Compté dans l'offre", 10}, {"Temps à l'autre site compté le plus proche (min)", 16},
		{"Source", 16}, {"Date", 11},
	}
	v, st := b.territorySites(), &b.st
	row := func(i int) []any {
		s := &b.in.Result.Sites[v[i]]
		return []any{
			cell(st.code, s.ID), s.Name, s.Kind.Label(), cell(st.dec2, measure(s.FTE)),
			cell(st.dec2, measure(s.SupplyFTE)), cell(st.code, s.Commune), b.communeName(s.Commune),
			cell(st.code, b.communeDep(s.Commune)),
			b.flagCell(b.zn.qpv, s.Commune), b.flagCell(b.zn.frr, s.Commune),
			cell(st.yesNo, yesNo(s.Counted)), cell(st.dec1, measure(s.NearestOtherMin)),
			s.Source, s.Date,
		}
	}
	return b.table(SheetSites, cols, len(v), row, nil)
}

// zonesBlanches writes the communes of the territory that are not
// covered (couvert = 0) or, measured on a demand layer (--demande), whose
// covered share part_couverte is below 1, in rank order, with their
// nearest counted site and the population beyond the threshold:
//
//	population non couverte = population × (1 − part_couverte)
func (b *book) zonesBlanches() error {
	th := b.threshold()
	timeCol := "Temps au site le plus proche (min, > " + th + ")"
	if b.in.Demand != nil {
		timeCol = "Temps au site le plus proche (min ; moyenne pondérée par la population pour une commune mesurée sur la couche de demande)"
	}
	cols := []column{
		{"Rang", 8}, {"Code INSEE", 11}, {"Commune", 28}, {"Département", 11}, {"Population", 12},
		{"Site compté le plus proche", 36}, {"Commune du site", 24},
		{timeCol, 16}, {"Part couverte (≤ " + th + " min)", 11}, {"Population non couverte", 12},
	}
	var v []*diag.CommuneResult
	for i := range b.in.Communes {
		if c := &b.in.Communes[i]; !c.Covered || c.CoveredShare() < 1 {
			v = append(v, c)
		}
	}
	st := &b.st
	row := func(i int) []any {
		c := v[i]
		site, where := "aucun site compté", ""
		if s := nearestSite(b.in.Result, c.NearestSite); s != nil {
			site, where = s.Name, b.communeLabel(s.Commune)
		}
		share := c.CoveredShare()
		return []any{
			cell(st.integer, c.Rank), cell(st.code, c.Code), c.Name, cell(st.code, c.Dep), cell(st.thousands, c.Population),
			site, where, cell(st.dec1, measure(c.NearestMin)), cell(st.dec2, share),
			cell(st.thousands, int(math.Round(float64(max(c.Population, 0))*(1-share)))),
		}
	}
	return b.table(SheetZonesBlanches, cols, len(v), row, nil)
}
