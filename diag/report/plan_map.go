package report

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/xuri/excelize/v2"
	"gonum.org/v1/plot/vg"

	"diagnum/diag"
	"diagnum/diag/plan"
	"diagnum/geo"
)

// planDep is a row of the per-département table of a plan: the
// département's need and posts, their shares of the plan's totals and
// their ranks (1 = largest; tied values share the smallest rank).
type planDep struct {
	plan.DepShare
	Name                 string
	NeedShare, PostShare float64 // Need / Σ Need, Posts / Σ Posts (0 when the total is 0)
	Per10k               float64 // Posts / Need × 10,000 (NaN when Need is 0)
	NeedRank, PostRank   int
}

// planDeps returns the départements of p (plan.Plan.Departements) with
// their shares, posts per 10,000 people in need and ranks, largest need
// first (then by code); names come from names (code → name).
func planDeps(p *plan.Plan, names map[string]string) []planDep {
	ds := p.Departements()
	var need, posts float64
	for _, d := range ds {
		need += d.Need
		posts += float64(d.Posts)
	}
	out := make([]planDep, len(ds))
	for i, d := range ds {
		r := planDep{DepShare: d, Name: names[d.Dep], Per10k: math.NaN()}
		if need > 0 {
			r.NeedShare = d.Need / need
		}
		if posts > 0 {
			r.PostShare = float64(d.Posts) / posts
		}
		if d.Need > 0 {
			r.Per10k = float64(d.Posts) / d.Need * 1e4
		}
		out[i] = r
	}
	needs, counts := make([]float64, len(out)), make([]float64, len(out))
	for i, d := range out {
		needs[i], counts[i] = d.Need, float64(d.Posts)
	}
	nr, pr := competitionRanks(needs), competitionRanks(counts)
	for i := range out {
		out[i].NeedRank, out[i].PostRank = nr[i], pr[i]
	}
	slices.SortStableFunc(out, func(a, b planDep) int {
		if c := cmp.Compare(b.Need, a.Need); c != 0 {
			return c
		}
		return cmp.Compare(a.Dep, b.Dep)
	})
	return out
}

// competitionRanks returns the rank of each value, largest first,
// equal values sharing the smallest rank ("1, 2, 2, 4").
func competitionRanks(v []float64) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(v[b], v[a]) })
	r := make([]int, len(v))
	for k, i := range idx {
		if k > 0 && v[idx[k-1]] == v[i] {
			r[i] = r[idx[k-1]]
		} else {
			r[i] = k + 1
		}
	}
	return r
}

// PlanMapInput returns the map of the posts in.Plan adds per département
// of a plan over two départements or more: each commune of in.Communes
// is filled with the class of its département's posts per 10,000
// fragile people in need of service (plan.DepShare: Posts / Need ×
// 10,000), quantile classes over the départements (quantileClasses; a
// département without need is grey), with its own legend. False when
// there is no such plan, or no dataset to draw the communes from.
func PlanMapInput(in *Input) (MapInput, bool) {
	if in.Plan == nil || in.Dataset == nil {
		return MapInput{}, false
	}
	deps := planDeps(in.Plan, nil)
	if len(deps) < 2 {
		return MapInput{}, false
	}
	value := make(map[string]float64, len(deps))
	vs := make([]float64, 0, len(deps))
	noNeed := 0
	for _, d := range deps {
		value[d.Dep] = d.Per10k
		vs = append(vs, d.Per10k)
		if math.IsNaN(d.Per10k) {
			noNeed++
		}
	}
	classes := quantileClasses(vs)
	communes := make([]diag.CommuneResult, 0, len(in.Communes))
	for _, c := range in.Communes {
		v, ok := value[c.Dep]
		if !ok {
			v = math.NaN()
		}
		communes = append(communes, diag.CommuneResult{Code: c.Code, Dep: c.Dep, Population: c.Population, Gap: v})
	}
	rho, posts := in.Plan.NeedCorrelation(), len(in.Plan.Picks)
	return MapInput{
		Title:    "Postes ajoutés par département — " + in.label(),
		Source:   mapSourceLine(in.Sources, in.Version),
		Communes: communes,
		Dataset:  in.Dataset,
		classes:  &classes,
		legend: func(c vg.Canvas, at vg.Point, u vg.Length, m *mapModel) {
			planLegend(c, at, u, m, noNeed, posts, rho)
		},
	}, true
}

// planLegend draws the legend of the per-département map: the classes
// with their numbers of départements, those without need, the posts and
// the rank correlation.
func planLegend(c vg.Canvas, at vg.Point, u vg.Length, m *mapModel, noNeed, posts int, rho float64) {
	l := &legendWriter{c: c, x: at.X, y: at.Y, u: u, bold: mapFace(14*u, true), text: mapFace(12*u, false)}
	l.heading("Postes ajoutés")
	l.note("pour 10 000 personnes fragiles ayant")
	l.note("besoin d'un service (avant le plan)")
	l.note("quantiles (nombre de départements)")
	for i, lab := range m.classes.labels() {
		l.entry(lab+" ("+itoa(m.classes.counts[i])+")", l.swatch(m.classes.colors[i]))
	}
	if noNeed > 0 {
		l.entry("sans besoin ("+itoa(noNeed)+")", l.swatch(noDataColor))
	}
	if len(m.dots) > 0 {
		legendCircles(l, m)
	}
	l.y -= 12 * u
	l.heading("Plan")
	l.note(geo.FrDecimal(float64(posts), 0) + " postes ajoutés")
	if !math.IsNaN(rho) {
		l.note("corrélation des rangs postes / besoin : " + geo.FrDecimal(rho, 3))
	}
}

// planExtras is what the plan sheet shows beyond the plan: the
// départements' names and the per-département map (PNG, nil: none).
type planExtras struct {
	depNames map[string]string
	depMap   []byte
}

// planSheetExtras returns the extras of in's plan sheet: the names of
// in.Dataset's départements, and the per-département map (in.PlanMap, or
// drawn here from PlanMapInput; none when it cannot be drawn).
func planSheetExtras(in *Input) planExtras {
	var x planExtras
	if in.Dataset != nil {
		x.depNames = make(map[string]string, len(in.Dataset.Departements))
		for _, d := range in.Dataset.Departements {
			x.depNames[d.Code] = d.Name
		}
	}
	switch mi, ok := PlanMapInput(in); {
	case !ok:
	case in.PlanMap != nil:
		x.depMap = in.PlanMap()
	default:
		var b bytes.Buffer
		if WriteMapPNG(&b, mi) == nil {
			x.depMap = b.Bytes()
		}
	}
	return x
}

// planMapWidthPx is the width of the per-département map in the sheet.
const planMapWidthPx = 760

// departements writes, for a territory of several départements, the
// posts added per département beside its fragile population in need of
// service (planDeps: shares, posts per 10,000 people in need, ranks),
// their rank correlation and a total row; the map of the posts per
// département (planExtras.depMap) is anchored beside the table, in
// column K.
func (w *planWriter) departements() error {
	ds := planDeps(w.p, w.x.depNames)
	if len(ds) < 2 {
		return nil
	}
	st := &w.st
	w.skip()
	rows := [][]any{
		{cell(st.subtitle, "Postes ajoutés par département et besoin")},
		{fmt.Sprintf("Corrélation des rangs (Spearman) entre les postes ajoutés et la population fragile ayant besoin d'un service : %s. Départements du plus fort besoin au plus faible ; rang 1 = le plus grand.",
			frNumber(math.Round(w.p.NeedCorrelation()*1000)/1000))},
	}
	if err := w.lines(rows); err != nil {
		return err
	}
	top := w.row
	if err := w.headerLine(48, []string{"Département", "Nom", "Population fragile ayant besoin d'un service",
		"Part du besoin", "Postes ajoutés", "Part des postes",
		"Postes pour 10 000 personnes dans le besoin", "Rang du besoin", "Rang des postes"}); err != nil {
		return err
	}
	var need float64
	var posts int
	for _, d := range ds {
		need += d.Need
		posts += d.Posts
		if err := w.line(cell(st.code, d.Dep), d.Name, cell(st.thousands, measure(d.Need)), cell(st.percent, d.NeedShare),
			cell(st.integer, d.Posts), cell(st.percent, d.PostShare), cell(st.dec2, measure(d.Per10k)),
			cell(st.integer, d.NeedRank), cell(st.integer, d.PostRank)); err != nil {
			return err
		}
	}
	per10k := math.NaN()
	if need > 0 {
		per10k = float64(posts) / need * 1e4
	}
	if err := w.line(cell(st.subtitle, "Total"), nil, cell(st.thousands, measure(need)), nil,
		cell(st.integer, posts), nil, cell(st.dec2, measure(per10k))); err != nil {
		return err
	}
	return w.depMap(top)
}

// depMap anchors the per-département map at column K of row top, and
// moves the next row below it.
func (w *planWriter) depMap(top int) error {
	png := w.x.depMap
	if len(png) == 0 {
		return nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(png))
	if err != nil || cfg.Width <= 0 {
		return fmt.Errorf("carte des postes par département : ce n'est pas une image PNG (%v)", err)
	}
	scale := float64(planMapWidthPx) / float64(cfg.Width)
	err = w.f.AddPictureFromBytes(w.sh, "K"+itoa(top), &excelize.Picture{
		Extension: ".png",
		File:      png,
		Format: &excelize.GraphicOptions{
			AltText: "Carte des postes ajoutés par département, pour 10 000 personnes fragiles ayant besoin d'un service",
			ScaleX:  scale, ScaleY: scale, Positioning: "oneCell",
		},
	})
	if err != nil {
		return err
	}
	h := int(float64(cfg.Height)*scale + 0.5)
	w.row = max(w.row, top+2+(h+rowHeightPx-1)/rowHeightPx) // the header row is 48 pt high
	return nil
}
