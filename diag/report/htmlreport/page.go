package htmlreport

import (
	"math"
	"strconv"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"
	"diagnum/diag/report"
	"diagnum/geo"
)

// Page is what the page shows, marshalled to JSON inside the HTML file
// (or sent by `diagnum serve`). Field names are the keys the script reads.
type Page struct {
	Title      string  `json:"titre"`
	Territory  string  `json:"territoire"`
	Date       string  `json:"date"`
	Version    string  `json:"version"`
	Threshold  float64 `json:"seuil"`
	Projection string  `json:"projection"`

	Areas   []string `json:"zones"`    // columns of the key figures
	Figures []figure `json:"chiffres"` // rows of the key figures

	// Columns are the per-commune columns (report.CSVHeader); Communes
	// holds one row per commune of the territory, ranked, values as in
	// the CSV (numbers, or null when empty).
	Columns  []string `json:"colonnes"`
	Communes [][]any  `json:"communes"`
	// Map is the map of the communes; nil when none can be drawn.
	Map *Map `json:"carte"`
	// Palettes[n-1] are the colours of n classes (ColorBrewer YlOrRd),
	// NoData the colour of a commune without a value.
	Palettes [][]string `json:"palettes"`
	NoData   string     `json:"sans_valeur"`
	Sites    []site     `json:"sites"`
	Kinds    []kind     `json:"types"`
	EPCI     []epci     `json:"epci"`
	Picks    []pick     `json:"propositions"`
	Plan     string     `json:"plan"` // a sentence on the plan, "" when the run is not a plan

	// Settings are the choices of the app's form (diagnum serve), nil
	// in the report file.
	Settings any `json:"reglages,omitempty"`

	Method  []report.MethodSection `json:"methode"`
	Sources []source               `json:"sources"`
	Checks  checks                 `json:"controles"`
}

type figure struct {
	Label  string `json:"libelle"`
	Format string `json:"format"`
	Values []any  `json:"valeurs"`
}

type site struct {
	ID      string  `json:"id"`
	Name    string  `json:"nom"`
	Kind    int     `json:"type"` // index in Page.Kinds
	Counted bool    `json:"compte"`
	FTE     float64 `json:"etp"`
	Commune string  `json:"commune"`
	XY      *[2]int `json:"xy"` // map coordinates, null when off the map
}

type kind struct {
	Code  string `json:"code"`
	Label string `json:"libelle"`
	Color string `json:"couleur"`
}

type epci struct {
	Code        string  `json:"code"`
	Name        string  `json:"nom"`
	InTerritory int     `json:"communes_territoire"`
	Communes    int     `json:"communes"`
	Population  int     `json:"population"`
	Sites       int     `json:"sites"`
	FTE         float64 `json:"etp"`
	Per10k      float64 `json:"pour_10k"`
	Coverage    float64 `json:"couverture"`
	Uncovered   int     `json:"non_couverts"`
	Access      float64 `json:"acces"`
}

type pick struct {
	Rank       int     `json:"rang"`
	Name       string  `json:"nom"`
	Commune    string  `json:"commune"`
	NewPop     int     `json:"nouveaux_couverts"`
	NewFragile float64 `json:"nouveaux_fragiles"`
	Coverage   float64 `json:"couverture"`
	Cost       float64 `json:"cout"`
	XY         *[2]int `json:"xy"`
}

type source struct {
	Name        string `json:"nom"`
	Title       string `json:"titre"`
	Producer    string `json:"producteur"`
	Date        string `json:"date"`
	Licence     string `json:"licence"`
	Attribution string `json:"attribution"`
}

// checks summarises the Contrôles sheet: counts and the first messages.
type checks struct {
	Rejected int      `json:"rejetees"`
	Warnings int      `json:"signalees"`
	First    []string `json:"premieres"`
}

// maxCheckLines is the number of check messages the page lists (the
// workbook's Contrôles sheet has them all).
const maxCheckLines = 200

// NewPage returns the page of report input in, with the planner's
// proposals when in.Plan is set. in.Dataset gives the polygons and
// points of the map.
func NewPage(in *report.Input) *Page {
	pg := &Page{
		Territory: report.Label(in),
		Date:      in.Date.Format("02/01/2006"),
		Version:   in.Version,
		Threshold: in.Result.Params.WithDefaults().ThresholdMin,
		Columns:   report.CSVHeader,
		Method:    report.Methodology(in),
	}
	pg.Title = "Diagnostic de l'inclusion numérique — " + pg.Territory
	areas, rows := report.KeyFigures(in)
	pg.Areas = areas
	for _, r := range rows {
		pg.Figures = append(pg.Figures, figure{r.Label, r.Format, r.Values})
	}
	for i := range in.Communes {
		pg.Communes = append(pg.Communes, communeRow(&in.Communes[i]))
	}
	var proj *projector
	if in.Dataset != nil {
		proj = newProjector(in.Communes, in.Dataset)
	}
	if proj != nil {
		pg.Projection = proj.name
		pg.Map = proj.drawCommunes(in.Communes, in.Dataset)
	}
	for n := 1; n <= 5; n++ {
		fills, none := report.MapClassColors(n)
		pg.Palettes, pg.NoData = append(pg.Palettes, fills), none
	}
	for _, k := range data.Kinds {
		pg.Kinds = append(pg.Kinds, kind{k.String(), k.Label(), report.SiteColor(k)})
	}
	for _, s := range in.SiteResults() {
		pg.Sites = append(pg.Sites, newSite(&s, proj))
	}
	for _, r := range report.TerritoryEPCIs(in) {
		pg.EPCI = append(pg.EPCI, epci{r.Code, r.Name, r.InTerritory, r.Communes, r.Population, r.NbSites,
			finite(r.FTE), finite(r.Per10k), finite(r.Coverage), r.Uncovered, finite(r.MeanAccess10k)})
	}
	if in.Plan != nil {
		pg.addPlan(in.Plan, proj)
	}
	for _, s := range in.Sources {
		pg.Sources = append(pg.Sources, source{s.Name, s.Title, s.Producer, s.Date, s.Licence, s.Attribution})
	}
	all := append(append(data.Checks(nil), in.Checks...), in.Result.Checks...)
	pg.Checks = checks{Rejected: all.Count(data.Rejected), Warnings: all.Count(data.Warning)}
	for _, c := range all {
		if len(pg.Checks.First) == maxCheckLines {
			break
		}
		if c.Err != nil {
			pg.Checks.First = append(pg.Checks.First, c.Err.Error())
		}
	}
	return pg
}

// communeRow returns the values of a commune in the order of
// report.CommuneColumns: codes and names as text, measures as numbers
// with the CSV's digits (trailing zeros dropped), null when the CSV field
// is empty.
func communeRow(c *diag.CommuneResult) []any {
	rec := report.CommuneRecord(c)
	row := make([]any, len(rec))
	for i, v := range rec {
		switch report.CommuneColumns[i].Format {
		case report.FormatCode, report.FormatText:
			// The page shows text, never evaluated: no apostrophe
			// against spreadsheet formulas.
			row[i] = data.FormulaRestore(v)
			continue
		}
		if v == "" {
			continue
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			row[i] = f
		} else {
			row[i] = v
		}
	}
	return row
}

// finite returns v, or 0 when v is NaN or infinite (JSON has no such numbers).
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func newSite(s *diag.SiteResult, proj *projector) site {
	k := 0
	for i, kk := range data.Kinds {
		if kk == s.Kind {
			k = i
		}
	}
	out := site{ID: s.ID, Name: s.Name, Kind: k, Counted: s.Counted, FTE: finite(s.SupplyFTE), Commune: s.Commune}
	if !s.Counted {
		out.FTE = finite(s.FTE)
	}
	if proj != nil {
		out.XY = proj.point(s.Point)
	}
	return out
}

// addPlan adds the planner's proposals.
func (pg *Page) addPlan(p *plan.Plan, proj *projector) {
	after := p.Coverage()
	for _, k := range p.Picks {
		pk := pick{Rank: k.Rank, Name: k.Site.Name, Commune: k.CommuneName, NewPop: k.NewPop,
			NewFragile: finite(k.NewFragile), Coverage: finite(k.Coverage), Cost: finite(k.Cost)}
		if proj != nil {
			pk.XY = proj.point(k.Site.Point)
		}
		pg.Picks = append(pg.Picks, pk)
		after = k.Coverage
	}
	pg.Plan = strconv.Itoa(len(p.Picks)) + " poste(s) proposé(s) : couverture " + percent(p.Coverage()) + " → " + percent(after) +
		" à " + geo.FrNumber(pg.Threshold) + " min."
}

// percent formats a rate as "12,3 %".
func percent(r float64) string {
	return geo.FrDecimal(100*r, 1) + " %"
}
