package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"
)

// Offer is one reading of the offer (which kinds of site count) with the
// roll-ups of the territory and of France computed with it.
type Offer struct {
	Label     string // e.g. "Conseillers numériques seuls"
	Territory diag.Rollup
	France    diag.Rollup
}

// Input is everything the workbook shows: the view of the territory
// (diag.Result.View: its name, communes by rank, roll-ups, sites and
// comparison levels; its Deps and Regions are ranked in the Départements
// and Régions sheets of a région or France report) and what the caller
// adds. Plain data.
type Input struct {
	diag.View
	Sources []data.Source
	// Checks are the checks of the loading step; Result.Checks are shown
	// after them.
	Checks data.Checks
	// ChecksCSV is the name of the CSV of every check written beside the
	// workbook when Contrôles cannot hold them (ChecksOverflow); the
	// sheet's last row names it. "" when there is none.
	ChecksCSV string
	// MaxControlRows caps the checks Contrôles shows (0: Excel's limit,
	// 1,048,576 rows, less the header and the last row); a command's
	// tests lower it to reach the overflow with a few checks.
	MaxControlRows int
	Version        string    // diagnum version, e.g. "v0.3.0"
	Date           time.Time // generation date: the document properties and Synthèse show it

	// MapPNG is the map picture (RenderMap) embedded in Synthèse, scaled
	// to mapWidthPx pixels wide; nil: no picture, a line says how to get one.
	MapPNG []byte
	// Map, when MapPNG is nil, returns the picture; it is called once,
	// after every other sheet is written, so that the caller can draw the
	// map on another core while the workbook is built.
	Map func() []byte
	// Dataset gives the QPV and FRR flags of the communes (indicator
	// columns data.ColQPV and data.ColFRR) shown in Synthèse and Sites;
	// nil: the flags are "non renseigné".
	Dataset *data.Dataset
	// Demand is the demand layer the communes were measured on
	// (diag.Baseline.ApplyDemand); nil: each commune at its point.
	Demand *diag.DemandSummary
	// Offers are the readings of the offer shown side by side in
	// Synthèse: the conseillers numériques alone and the whole offer
	// (every kind of site); none: the table is left out.
	Offers []Offer
	// OffersFunc, when Offers is nil, returns them; it is called once,
	// when Synthèse is written (after every other sheet), so that the
	// caller can compute them on another core while the workbook is
	// built. An error stops the workbook.
	OffersFunc func() ([]Offer, error)
	// Plan is the placement plan written in the Recommandations sheet
	// (WriteRecommandations); nil: the sheet says how to run the planner.
	Plan *plan.Plan
	// PlanMap, for a plan over two départements or more, returns the
	// picture of PlanMapInput shown beside the per-département table
	// (called once, like Map); nil: the sheet draws it itself.
	PlanMap func() []byte
}

// NewInput returns what the outputs show for the view v (of the national
// result, preferably) over ds: the view, the sources, and the checks
// (ds.Checks, then ds.SiteChecks). Version and Date are the caller's;
// MapPNG, Map, Offers and Plan are left empty.
func NewInput(ds *data.Dataset, v *diag.View) Input {
	return Input{View: *v, Sources: ds.Sources, Checks: slices.Concat(ds.Checks, ds.SiteChecks), Dataset: ds}
}

// validate returns an error when the input cannot be reported.
func (in *Input) validate() error {
	if in.Result == nil {
		return fmt.Errorf("rapport : aucun résultat de diagnostic")
	}
	switch in.Territory.Level {
	case diag.LevelDepartement, diag.LevelRegion, diag.LevelFrance:
		return nil
	}
	return fmt.Errorf("rapport : niveau de territoire inconnu %q", in.Territory.Level)
}

// label returns the territory's name with its codes, e.g. "Creuse (23)".
func (in *Input) label() string {
	name := in.Name
	if name == "" {
		name = in.Territory.String()
	}
	if in.Territory.Level == diag.LevelFrance || len(in.Territory.Codes) == 0 {
		return name
	}
	return fmt.Sprintf("%s (%s)", name, strings.Join(in.Territory.Codes, ", "))
}

// nearestSite returns the site at index i of r.Sites, or nil when i is out of range.
func nearestSite(r *diag.Result, i int) *diag.SiteResult {
	if i < 0 || i >= len(r.Sites) {
		return nil
	}
	return &r.Sites[i]
}

// communeIndex maps an INSEE code to its index in r.Communes.
func communeIndex(r *diag.Result) map[string]int {
	m := make(map[string]int, len(r.Communes))
	for i := range r.Communes {
		m[r.Communes[i].Code] = i
	}
	return m
}
