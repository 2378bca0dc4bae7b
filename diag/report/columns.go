package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"diagnum/data"
	"diagnum/diag"
)

// Format is how a per-commune column is written: its value type and its
// cell style in the workbook.
type Format int

// Formats of the per-commune columns. In the CSV, a code or text is
// written as is (through data.FormulaSafe), an integer in decimal, a yes/no as 1 or 0 and a decimal
// with 6 decimals (formatMeasure; empty when not finite). In the GeoJSON,
// a code or text is a string, an integer or yes/no a number, a decimal a
// number rounded to 6 decimals (null when not finite). In the workbook,
// the cell style follows the format; decimals hold the CSV's rounded value
// and are shown with 1 or 2 decimals.
const (
	FormatCode      Format = iota // an identifier kept as text (leading zeros)
	FormatText                    // free text (a name)
	FormatInteger                 // an integer
	FormatThousands               // an integer shown with thousands separators
	FormatYesNo                   // a boolean, 1 or 0, shown oui / non
	FormatDec1                    // a decimal, shown with 1 decimal
	FormatDec2                    // a decimal, shown with 2 decimals
)

// CommuneColumn is one column of the per-commune outputs: the CSV export,
// the workbook's Communes sheet and the GeoJSON communes layer are all
// written from CommuneColumns, in its order.
type CommuneColumn struct {
	Name string // CSV header and GeoJSON property
	// Header is the French header of the Communes sheet; "{seuil}" stands
	// for the threshold in minutes, "{methode}" for the accessibility
	// method (MethodLabel). Description says the same way what the column
	// holds, "{methode}" naming the method and its decay (MethodDecayLabel);
	// Describe fills them in.
	Header      string
	Width       float64
	Format      Format
	Description string

	text func(*diag.CommuneResult) string  // FormatCode, FormatText
	int  func(*diag.CommuneResult) int     // FormatInteger, FormatThousands
	num  func(*diag.CommuneResult) float64 // FormatDec1, FormatDec2
	flag func(*diag.CommuneResult) bool    // FormatYesNo
}

// CommuneColumns are the per-commune columns, in output order. Adding a
// measure to every output is one row here (plus its computation in diag).
var CommuneColumns = []CommuneColumn{
	textColumn("code_insee", "Code INSEE", 11, FormatCode,
		"code officiel géographique de la commune (COG)", func(c *diag.CommuneResult) string { return c.Code }),
	textColumn("nom", "Commune", 28, FormatText,
		"nom de la commune", func(c *diag.CommuneResult) string { return c.Name }),
	textColumn("code_departement", "Département", 12, FormatCode,
		"code du département", func(c *diag.CommuneResult) string { return c.Dep }),
	textColumn("code_epci", "EPCI", 12, FormatCode,
		"SIREN de l'EPCI à fiscalité propre (vide hors EPCI)", func(c *diag.CommuneResult) string { return c.EPCI }),
	intColumn("population", "Population", 12, FormatThousands,
		"population municipale légale", func(c *diag.CommuneResult) int { return c.Population }),
	intColumn("nb_sites", "Sites", 8, FormatInteger,
		"sites comptés dans l'offre situés dans la commune", func(c *diag.CommuneResult) int { return c.NbSites }),
	numColumn("etp_conseillers", "ETP conseillers", 11, FormatDec2,
		"équivalents temps plein des sites comptés de la commune", func(c *diag.CommuneResult) float64 { return c.FTE }),
	numColumn("etp_cnfs", "ETP conseillers numériques seuls", 11, FormatDec2,
		"équivalents temps plein des seuls conseillers numériques (lieux de type cnfs) de la commune, comptés dans l'offre ou non",
		func(c *diag.CommuneResult) float64 { return c.FTECNFS }),
	numColumn("conseillers_pour_10k", "Conseillers pour 10 000 hab.", 14, FormatDec2,
		"ETP / population × 10 000", func(c *diag.CommuneResult) float64 { return c.Per10k }),
	numColumn("temps_site_proche_min", "Temps au site le plus proche (min)", 14, FormatDec1,
		"temps de trajet au site compté le plus proche, en minutes (vide sans site) ; avec --demande, moyenne des temps de ses unités pondérée par leur population",
		func(c *diag.CommuneResult) float64 { return c.NearestMin }),
	flagColumn("couvert", "Couvert (≤ {seuil} min)", 11,
		"1 quand le site compté le plus proche est à {seuil} minutes ou moins (avec --demande : quand le temps moyen pondéré est à {seuil} minutes ou moins)",
		func(c *diag.CommuneResult) bool { return c.Covered }),
	numColumn("acces_e2sfca_pour_10k", "Accès {methode} pour 10 000 hab.", 14, FormatDec2,
		"accessibilité {methode} × 10 000 (avec --demande : moyenne des accès des unités de la commune pondérée par leur population)",
		func(c *diag.CommuneResult) float64 { return c.Access10k }),
	numColumn("indice_fragilite", "Indice de fragilité (0–100)", 12, FormatDec1,
		"indice de fragilité numérique, 0 à 100 (vide sans indicateur)",
		func(c *diag.CommuneResult) float64 { return c.Fragility }),
	numColumn("score_ecart", "Score d'écart", 10, FormatDec2,
		"besoin (population × fragilité) × manque d'accès", func(c *diag.CommuneResult) float64 { return c.Gap }),
	intColumn("rang", "Rang", 8, FormatInteger,
		"rang dans le territoire, 1 = plus fort score d'écart", func(c *diag.CommuneResult) int { return c.Rank }),
	numColumn("part_couverte", "Part couverte (≤ {seuil} min)", 11, FormatDec2,
		"part de la population à {seuil} minutes ou moins du site compté le plus proche, 0 à 1 : 1 ou 0 comme couvert pour une commune mesurée à son point ; avec --demande, part de la population de ses unités (carreaux, IRIS, points) à {seuil} minutes ou moins",
		func(c *diag.CommuneResult) float64 { return c.CoveredShare() }),
}

func textColumn(name, header string, width float64, f Format, desc string, v func(*diag.CommuneResult) string) CommuneColumn {
	return CommuneColumn{Name: name, Header: header, Width: width, Format: f, Description: desc, text: v}
}

func intColumn(name, header string, width float64, f Format, desc string, v func(*diag.CommuneResult) int) CommuneColumn {
	return CommuneColumn{Name: name, Header: header, Width: width, Format: f, Description: desc, int: v}
}

func numColumn(name, header string, width float64, f Format, desc string, v func(*diag.CommuneResult) float64) CommuneColumn {
	return CommuneColumn{Name: name, Header: header, Width: width, Format: f, Description: desc, num: v}
}

func flagColumn(name, header string, width float64, desc string, v func(*diag.CommuneResult) bool) CommuneColumn {
	return CommuneColumn{Name: name, Header: header, Width: width, Format: FormatYesNo, Description: desc, flag: v}
}

// IndicatorColumns returns one column per indicator that entered the
// fragility index (uses of Status diag.Used, in their order, see
// diag.Result.Indicators), holding the commune's value as read from ind
// (NaN, so an empty cell, when the commune has none). Its name is the
// indicator's, its header "Indicateur : <name> (poids w)". The Communes
// sheet shows them after CommuneColumns, so that each index can be
// explained from the values that made it. Then, when ind holds
// part_65_plus (a demand layer with ages, an indicators file) and the
// index leaves it out (national-coverage rule, weight 0), one
// informational column part_65_plus, its header and description saying
// it is outside the index and why. nil when ind is nil.
func IndicatorColumns(uses []diag.IndicatorUse, ind *data.Indicators) []CommuneColumn {
	if ind == nil {
		return nil
	}
	var out []CommuneColumn
	aged := false
	for _, u := range uses {
		col := ind.Column(u.Name)
		if col < 0 {
			continue
		}
		desc := "indicateur lu dans vos fichiers (--indicators)"
		if l, ok := indicatorLabels[strings.ToLower(u.Name)]; ok {
			desc = l
		}
		switch {
		case u.Status == diag.Used:
			header := fmt.Sprintf("Indicateur : %s (poids %s)", u.Name, frNumber(u.Weight))
			out = append(out, indicatorColumn(u.Name, header, desc+", valeur entrée dans l'indice de fragilité", ind, col))
		case strings.EqualFold(u.Name, data.ColPart65Plus):
			out = append(out, indicatorColumn(data.ColPart65Plus, infoHeader,
				desc+", pour information : hors de l'indice de fragilité ("+useText(u)+" ; "+coverageText(u)+")", ind, col))
		default:
			continue
		}
		aged = aged || strings.EqualFold(u.Name, data.ColPart65Plus)
	}
	if col := ind.Column(data.ColPart65Plus); col >= 0 && !aged {
		out = append(out, indicatorColumn(data.ColPart65Plus, infoHeader,
			indicatorLabels[data.ColPart65Plus]+", pour information : hors de l'indice de fragilité", ind, col))
	}
	return out
}

// infoHeader is the header of the informational part_65_plus column.
const infoHeader = "part_65_plus (hors indice, pour information)"

// indicatorColumn is the column named name of indicator col of ind.
func indicatorColumn(name, header, desc string, ind *data.Indicators, col int) CommuneColumn {
	return numColumn(name, header, 14, FormatDec2, desc, func(c *diag.CommuneResult) float64 {
		if v, ok := ind.Get(c.Code, col); ok {
			return v
		}
		return math.NaN()
	})
}

// CSVColumns are the columns of the per-commune CSV of in:
// CommuneColumns, then part_65_plus whenever in's indicators hold it
// (the column of IndicatorColumns, in the index or for information), so
// that the header is CSVHeader alone when it is unknown.
func (in *Input) CSVColumns() []CommuneColumn {
	var ind *data.Indicators
	if in.Dataset != nil {
		ind = in.Dataset.Indicators
	}
	cols := slices.Clip(CommuneColumns)
	for _, c := range IndicatorColumns(in.Result.Indicators, ind) {
		if strings.EqualFold(c.Name, data.ColPart65Plus) {
			cols = append(cols, c)
		}
	}
	return cols
}

// CSVHeader is the header row of WriteCSV: the names of CommuneColumns.
var CSVHeader = communeColumnNames()

func communeColumnNames() []string {
	out := make([]string, len(CommuneColumns))
	for i, col := range CommuneColumns {
		out[i] = col.Name
	}
	return out
}

// communeColumn returns the position of the column named name in
// CommuneColumns; it panics when there is none (a programming error).
func communeColumn(name string) int {
	for i, col := range CommuneColumns {
		if col.Name == name {
			return i
		}
	}
	panic("report: no commune column " + name)
}

// csvField returns the CSV field of column col for commune c.
func (col *CommuneColumn) csvField(c *diag.CommuneResult) string {
	switch col.Format {
	case FormatCode, FormatText:
		return data.FormulaSafe(col.text(c))
	case FormatInteger, FormatThousands:
		return strconv.Itoa(col.int(c))
	case FormatYesNo:
		return strconv.Itoa(yesNo(col.flag(c)))
	}
	return formatMeasure(col.num(c))
}

// geoProperty writes the GeoJSON property of column col for commune c.
func (col *CommuneColumn) geoProperty(g *geoWriter, c *diag.CommuneResult) {
	switch col.Format {
	case FormatCode, FormatText:
		g.propStr(col.Name, col.text(c))
	case FormatInteger, FormatThousands:
		g.propInt(col.Name, col.int(c))
	case FormatYesNo:
		g.propInt(col.Name, yesNo(col.flag(c)))
	default:
		g.propNum(col.Name, col.num(c))
	}
}

// sheetColumn returns the column of the Communes sheet, its header with
// the threshold th (French notation) in place of {seuil} and the method
// label in place of {methode}.
func (col *CommuneColumn) sheetColumn(th, method string) column {
	return column{strings.NewReplacer("{seuil}", th, "{methode}", method).Replace(col.Header), col.Width}
}

// Describe returns the header and the description of the column for the
// parameters p, threshold and method filled in.
func (col *CommuneColumn) Describe(p diag.Params) (header, description string) {
	p = p.WithDefaults()
	th := frNumber(p.ThresholdMin)
	return strings.NewReplacer("{seuil}", th, "{methode}", MethodLabel(p)).Replace(col.Header),
		strings.NewReplacer("{seuil}", th, "{methode}", MethodDecayLabel(p)).Replace(col.Description)
}

// appendCell writes to x the cell sheetCell returns, as column i of row
// rs, without boxing it (the Communes sheet's 1.3 M cells):
// TestAppendCellAsSheetCell.
func (col *CommuneColumn) appendCell(x *rowXML, i int, rs string, st *styles, c *diag.CommuneResult) {
	switch col.Format {
	case FormatCode, FormatText:
		style := st.code
		if col.Format == FormatText {
			style = st.text
		}
		x.begin(i, rs, style)
		x.text(cutText(col.text(c)))
	case FormatInteger, FormatThousands:
		style := st.integer
		if col.Format == FormatThousands {
			style = st.thousands
		}
		x.begin(i, rs, style)
		x.intValue(col.int(c))
	case FormatYesNo:
		x.begin(i, rs, st.yesNo)
		x.intValue(yesNo(col.flag(c)))
	case FormatDec1:
		x.begin(i, rs, st.dec1)
		x.measureValue(col.num(c))
	default:
		x.begin(i, rs, st.dec2)
		x.measureValue(col.num(c))
	}
}

// sheetCell returns the workbook cell of column col for commune c, with
// the value WriteCSV writes (decimals rounded to 6 decimals, empty when
// not finite).
func (col *CommuneColumn) sheetCell(st *styles, c *diag.CommuneResult) any {
	switch col.Format {
	case FormatCode:
		return cell(st.code, col.text(c))
	case FormatText:
		return cell(st.text, col.text(c))
	case FormatInteger:
		return cell(st.integer, col.int(c))
	case FormatThousands:
		return cell(st.thousands, col.int(c))
	case FormatYesNo:
		return cell(st.yesNo, yesNo(col.flag(c)))
	case FormatDec1:
		return cell(st.dec1, measure(col.num(c)))
	}
	return cell(st.dec2, measure(col.num(c)))
}
