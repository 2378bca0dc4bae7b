package report

import (
	"fmt"

	"github.com/paulmach/orb"

	"diagnum/data"
	"diagnum/diag"
)

// MethodRow is one line of the methodology: a name and its text.
type MethodRow struct{ Name, Text string }

// MethodSection is a titled group of methodology lines.
type MethodSection struct {
	Title string
	Rows  []MethodRow
}

// Methodology returns the sections of the Méthodologie sheet of in
// (formulas, parameters, fragility indicators and their coverage, version), for other
// renderings of the report such as the HTML one.
func Methodology(in *Input) []MethodSection {
	b := &book{in: in}
	p := in.Result.Params.WithDefaults()
	conv := func(rs []methodRow) []MethodRow {
		out := make([]MethodRow, len(rs))
		for i, r := range rs {
			out[i] = MethodRow{r.name, r.text}
		}
		return out
	}
	return []MethodSection{
		{"Formules", conv(b.methodFormulas(p))},
		{"Paramètres", conv(b.methodParams(p))},
		{"Indicateurs de l'indice de fragilité", conv(methodIndicators(in.Result.Indicators))},
		{"Version", []MethodRow{{"diagnum", in.Version}, {"Date de génération", in.Date.Format("02/01/2006")}}},
	}
}

// MapProjection returns the projection the map of communes uses (see
// WriteMapPNG): Lambert-93 when one of them is in metropolitan France
// (the overseas ones are then left out: keep reports whether a commune
// is drawn), else the UTM zone of their centre. fwd maps WGS84
// longitude, latitude to metres, x eastward and y northward; name is
// e.g. "Lambert-93 (EPSG:2154)". ok is false when no commune of
// communes has a finite polygon or point in ds.
func MapProjection(communes []diag.CommuneResult, ds *data.Dataset) (fwd func(orb.Point) orb.Point, name string, keep func(code string) bool, ok bool) {
	var all []mapCommune
	for i := range communes {
		if j, found := ds.CommuneIndex(communes[i].Code); found {
			if mc := newMapCommune(&communes[i], &ds.Communes[j]); mc.drawable() {
				all = append(all, mc)
			}
		}
	}
	kept, proj := chooseProjection(all)
	in := make(map[string]bool, len(kept))
	for _, mc := range kept {
		in[mc.r.Code] = true
	}
	fwd = func(p orb.Point) orb.Point {
		x, y := proj.Forward(p[0], p[1])
		return orb.Point{x, y}
	}
	return fwd, proj.Name, func(code string) bool { return in[code] }, len(kept) > 0
}

// MapClassColors returns the fill colours of the choropleth classes
// (ColorBrewer YlOrRd, n = 1 to 5 classes) as "#rrggbb", and the colour
// of a commune without a value.
func MapClassColors(n int) (fills []string, noData string) {
	for _, c := range classColors(n) {
		fills = append(fills, hexColor(c.R, c.G, c.B))
	}
	return fills, hexColor(noDataColor.R, noDataColor.G, noDataColor.B)
}

// SiteColor returns the colour of the map markers of sites of kind k.
func SiteColor(k data.SiteKind) string {
	c := siteColors[k]
	return hexColor(c.R, c.G, c.B)
}

func hexColor(r, g, b uint8) string { return fmt.Sprintf("#%02x%02x%02x", r, g, b) }

// CommuneRecord returns the values of commune c in the columns of
// CSVHeader, formatted as WriteCSV writes them.
func CommuneRecord(c *diag.CommuneResult) []string { return csvRecord(c) }

// EPCIRow is an EPCI intersecting a report's territory, whole.
type EPCIRow struct {
	diag.Rollup
	InTerritory int // number of its communes in the territory
}

// TerritoryEPCIs returns the EPCIs of the EPCI sheet of in, ranked as
// there (least covered first).
func TerritoryEPCIs(in *Input) []EPCIRow {
	v := (&book{in: in}).territoryEPCIs()
	out := make([]EPCIRow, len(v))
	for i, r := range v {
		out[i] = EPCIRow(r)
	}
	return out
}

// Formats of the values of KeyFigures.
const (
	FigureInteger = "entier"
	FigureDecimal = "decimal"
	FigurePercent = "pourcentage" // a rate in [0, 1]
)

// FigureRow is a row of key figures: its label, its format and one value
// per area (nil when unknown).
type FigureRow struct {
	Label  string
	Format string // FigureInteger, FigureDecimal or FigurePercent
	Values []any  // int, float64, a text such as « non renseigné », or nil
}

// KeyFigures returns the key figures of Synthèse: the labels of the
// areas (the territory, its région, France) and the rows.
func KeyFigures(in *Input) (areas []string, rows []FigureRow) {
	b := &book{in: in, idx: communeIndex(in.Result), zn: newZonage(in.Dataset)}
	b.st = styles{thousands: 1, dec2: 2, percent: 3}
	formats := map[int]string{1: FigureInteger, 2: FigureDecimal, 3: FigurePercent}
	as := b.areas()
	for i := range as {
		areas = append(areas, as[i].label)
	}
	for _, f := range b.figures() {
		r := FigureRow{Label: f.label, Format: formats[f.style]}
		for i := range as {
			var v any
			if as[i].Rollup.Level != "" {
				v = f.v(&as[i])
			}
			r.Values = append(r.Values, v)
		}
		rows = append(rows, r)
	}
	return areas, rows
}

// Label returns the territory's name with its codes, e.g. "Creuse (23)",
// as the workbook titles it.
func Label(in *Input) string { return in.label() }
