package plan

import (
	"io"
	"math"
	"strconv"

	"diagnum/data"
)

// CSVHeader is the header of WriteCSV: the columns of the sites format
// (data.WriteSitesCSV), those of a scenario file (action, employeur),
// then the planner's figures, which LoadScenario ignores.
var CSVHeader = []string{
	"id", "nom", "type", "latitude", "longitude", "etp", "code_insee", "code_postal", "siret", "source", "date",
	"action", "employeur",
	"rang", "commune", "code_departement",
	"population_nouvellement_couverte", "population_fragile_nouvellement_couverte",
	"population_couverte_cumulee", "taux_couverture_cumule", "gain_deficit_etp",
	"acces_median_pour_10k", "delta_acces_median_pour_10k",
	"site_existant_proche_id", "site_existant_proche_nom", "temps_site_existant_proche_min",
	"zone", "subvention_24_mois_eur",
}

// WriteCSV writes the picks of p in pick order as a scenario file
// (LoadScenario reads it back: every row adds its post), so that a plan
// can be edited by hand and evaluated again with --scenario. Separator
// ',', UTF-8 without BOM; coordinates are written in the shortest form
// that reads back to the same float64. An unknown travel time is empty.
func WriteCSV(w io.Writer, p *Plan) error {
	return data.WriteCSV(w, "du plan", data.CSVPlain, CSVHeader, len(p.Picks), func(i int) []string {
		return csvRow(p, &p.Picks[i])
	})
}

func csvRow(p *Plan, k *Pick) []string {
	return append(scenarioFields(&k.Site, ActionAdd, p.Employer),
		strconv.Itoa(k.Rank), data.FormulaSafe(k.CommuneName), k.Dep,
		strconv.Itoa(k.NewPop), fixed(k.NewFragile, 1),
		strconv.Itoa(k.CoveredPop), fixed(k.Coverage, 6), fixed(k.DeficitGain, 6),
		fixed(k.MedianAccess10k, 6), fixed(k.DeltaMedian10k, 6),
		data.FormulaSafe(k.NearestID), data.FormulaSafe(k.NearestName), fixed(k.NearestMin, 2),
		string(k.Zone), fixed(k.Cost, 0),
	)
}

// exact formats v in the shortest form that reads back to v.
func exact(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// fixed formats v rounded to d decimals, trailing zeros removed; "" for
// NaN or an infinity.
func fixed(v float64, d int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	r, _ := strconv.ParseFloat(s, 64)
	if r == 0 {
		return "0" // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// PicksAsSites returns the sites of the picks, as WriteCSV writes them
// and LoadScenario reads them back (Commune, set by assignment, cleared).
func PicksAsSites(p *Plan) []data.Site {
	out := p.Sites()
	for i := range out {
		out[i].Commune = ""
	}
	return out
}
