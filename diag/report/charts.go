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

// graphiques writes the charts' data tables and two native bar charts:
// the communes with the largest gap, and the coverage rate of the EPCIs
// intersecting the territory (the chartEPCIN least covered, in the order
// of the EPCI sheet).
func (b *book) graphiques() error {
	f, sh, st := b.f, SheetGraphiques, &b.st
	gaps := largestGaps(b.in.Communes, chartGapN)
	epcis := b.territoryEPCIs()
	epcis = epcis[:min(chartEPCIN, len(epcis))]
	cells := []placed{
		{"A1", st.subtitle, fmt.Sprintf("Les %d communes au plus fort score d'écart", chartGapN)},
		{"A2", st.header, "Commune"}, {"B2", st.header, "Score d'écart"},
		{"D1", st.subtitle, "Taux de couverture par EPCI (≤ " + b.threshold() + " min)"},
		{"D2", st.header, "EPCI"}, {"E2", st.header, "Taux de couverture"},
	}
	for i, c := range gaps {
		r := itoa(i + 3)
		cells = append(cells, placed{"A" + r, st.text, fmt.Sprintf("%s (%s)", c.Name, c.Code)},
			placed{"B" + r, st.dec2, measure(c.Gap)})
	}
	for i, e := range epcis {
		r := itoa(i + 3)
		cells = append(cells, placed{"D" + r, st.text, e.Name}, placed{"E" + r, st.percent, measure(e.Coverage)})
	}
	for _, c := range cells {
		if err := f.SetCellValue(sh, c.ref, c.v); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, c.ref, c.ref, c.style); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sh, "A", "A", 32); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "D", "D", 40); err != nil {
		return err
	}
	return b.charts(len(gaps), len(epcis))
}

// charts adds the two bar charts over the data tables of graphiques, which
// have nGaps and nEPCI rows from row 3; an empty table gets no chart.
func (b *book) charts(nGaps, nEPCI int) error {
	if nGaps > 0 {
		last := itoa(nGaps + 2)
		c := barChart(fmt.Sprintf("Les %d communes au plus fort score d'écart", nGaps),
			"Graphiques!$B$2", "Graphiques!$A$3:$A$"+last, "Graphiques!$B$3:$B$"+last, nGaps, "0.00")
		if err := b.f.AddChart(SheetGraphiques, "G2", c); err != nil {
			return err
		}
	}
	if nEPCI > 0 {
		last := itoa(nEPCI + 2)
		c := barChart("Taux de couverture par EPCI (≤ "+b.threshold()+" min)",
			"Graphiques!$E$2", "Graphiques!$D$3:$D$"+last, "Graphiques!$E$3:$E$"+last, nEPCI, "0%")
		if err := b.f.AddChart(SheetGraphiques, "G"+itoa(max(nGaps, 20)+8), c); err != nil {
			return err
		}
	}
	return nil
}

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
		Dimension:  excelize.ChartDimension{Width: 640, Height: uint(120 + 18*n)},
		XAxis:      excelize.ChartAxis{ReverseOrder: true},
		YAxis:      excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmt}},
		PlotArea:   excelize.ChartPlotArea{ShowVal: false},
	}
}
