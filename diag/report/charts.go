package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/xuri/excelize/v2"

	"diagnum/diag"
)

// Sizes of the charts of the Graphiques sheet.
const (
	chartGapN  = 20 // communes with the largest gap
	chartEPCIN = 40 // at most this many EPCIs, the least covered
)

// largestGaps returns the at most n communes of cs with the largest Gap
// (NaN gaps left out), largest first, ties by Rank.
func largestGaps(cs []diag.CommuneResult, n int) []*diag.CommuneResult {
	var v []*diag.CommuneResult
	for i := range cs {
		if !math.IsNaN(cs[i].Gap) {
			v = append(v, &cs[i])
		}
	}
	slices.SortStableFunc(v, func(x, y *diag.CommuneResult) int {
		return cmp.Or(cmp.Compare(y.Gap, x.Gap), cmp.Compare(x.Rank, y.Rank))
	})
	return v[:min(n, len(v))]
}

// placed is a value to put in a cell of a normal (not streamed) sheet.
type placed struct {
	ref   string
	style int
	v     any
}

// chartTable is a data table of the Graphiques sheet and its bar chart:
// a title in row top, a header below it, then one row per bar, labels in
// column col and values in the next one.
type chartTable struct {
	col     string // label column; values are in the next column
	top     int    // row of the title
	title   string
	header  string // header of the values
	style   int    // style of the values
	numFmt  string // number format of the chart's axis
	labels  []string
	values  []any
	valCol  string
	heading string // header of the labels
}

// cells returns the cells of the table.
func (t *chartTable) cells(st *styles) []placed {
	h := itoa(t.top + 1)
	c := []placed{
		{t.col + itoa(t.top), st.subtitle, t.title},
		{t.col + h, st.header, t.heading}, {t.valCol + h, st.header, t.header},
	}
	for i := range t.labels {
		r := itoa(t.top + 2 + i)
		c = append(c, placed{t.col + r, st.text, t.labels[i]}, placed{t.valCol + r, t.style, t.values[i]})
	}
	return c
}

// chart returns the bar chart over the table.
func (t *chartTable) chart() *excelize.Chart {
	first, last := itoa(t.top+2), itoa(t.top+1+len(t.labels))
	ref := func(col, a, b string) string { return SheetGraphiques + "!$" + col + "$" + a + ":$" + col + "$" + b }
	return barChart(t.title, SheetGraphiques+"!$"+t.valCol+"$"+itoa(t.top+1),
		ref(t.col, first, last), ref(t.valCol, first, last), len(t.labels), t.numFmt)
}

// chartTables returns the data tables of the Graphiques sheet: the
// communes with the largest gap, the coverage rate of the EPCIs
// intersecting the territory (the chartEPCIN least covered, in the order
// of the EPCI sheet) and, when the report ranks départements, their
// coverage rate (the chartEPCIN least covered).
func (b *book) chartTables() []chartTable {
	st, th := &b.st, b.threshold()
	gaps := largestGaps(b.in.Communes, chartGapN)
	t := []chartTable{
		{col: "A", valCol: "B", top: 1, title: fmt.Sprintf("Les %d communes au plus fort score d'écart", chartGapN),
			heading: "Commune", header: "Score d'écart", style: st.dec2, numFmt: "0.00"},
		{col: "D", valCol: "E", top: 1, title: "Taux de couverture par EPCI (≤ " + th + " min)",
			heading: "EPCI", header: "Taux de couverture", style: st.percent, numFmt: "0%"},
	}
	for _, c := range gaps {
		t[0].labels = append(t[0].labels, fmt.Sprintf("%s (%s)", c.Name, c.Code))
		t[0].values = append(t[0].values, measure(c.Gap))
	}
	epcis := b.territoryEPCIs()
	for _, e := range epcis[:min(chartEPCIN, len(epcis))] {
		t[1].labels = append(t[1].labels, e.Name)
		t[1].values = append(t[1].values, measure(e.Coverage))
	}
	if len(b.in.Deps) > 1 {
		d := chartTable{col: "A", valCol: "B", top: chartGapN + 5, title: "Taux de couverture par département (≤ " + th + " min)",
			heading: "Département", header: "Taux de couverture", style: st.percent, numFmt: "0%"}
		for _, r := range b.rankRollups(b.in.Deps) {
			if r.assessed && len(d.labels) < chartEPCIN {
				d.labels = append(d.labels, r.Name+" ("+r.Code+")")
				d.values = append(d.values, measure(r.Coverage))
			}
		}
		t = append(t, d)
	}
	return t
}

// graphiques writes the charts' data tables (chartTables) and a native
// horizontal bar chart over each non-empty one, the charts one under the
// other from G2.
func (b *book) graphiques() error {
	f, sh := b.f, SheetGraphiques
	if err := b.pageSetup(sh); err != nil {
		return err
	}
	tables := b.chartTables()
	row := 2
	for i := range tables {
		for _, c := range tables[i].cells(&b.st) {
			if err := f.SetCellValue(sh, c.ref, c.v); err != nil {
				return err
			}
			if err := f.SetCellStyle(sh, c.ref, c.ref, c.style); err != nil {
				return err
			}
		}
		if n := len(tables[i].labels); n > 0 {
			if err := f.AddChart(sh, "G"+itoa(row), tables[i].chart()); err != nil {
				return err
			}
			row += (chartHeight(n)+rowHeightPx-1)/rowHeightPx + 2
		}
	}
	for _, w := range []struct {
		col   string
		width float64
	}{{"A", 40}, {"B", 20}, {"D", 40}, {"E", 20}} {
		if err := f.SetColWidth(sh, w.col, w.col, w.width); err != nil {
			return err
		}
	}
	return nil
}

// chartHeight is the height in pixels of a bar chart of n bars.
func chartHeight(n int) int { return 120 + 18*n }

// barChart returns a horizontal bar chart of one series, its first
// category at the top, high enough for n bars.
func barChart(title, name, categories, values string, n int, numFmt string) *excelize.Chart {
	vary := false
	return &excelize.Chart{
		Type:       excelize.Bar,
		VaryColors: &vary,
		Series:     []excelize.ChartSeries{{Name: name, Categories: categories, Values: values}},
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:     excelize.ChartLegend{Position: "none"},
		Dimension:  excelize.ChartDimension{Width: 640, Height: uint(chartHeight(n))},
		XAxis:      excelize.ChartAxis{ReverseOrder: true},
		YAxis:      excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmt}},
		PlotArea:   excelize.ChartPlotArea{ShowVal: false},
	}
}
