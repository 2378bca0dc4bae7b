package source

import (
	"fmt"
	"io"
	"math"
	"sort"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// PointRow is one row of the communes-points file (datas.fun compilation
// of INSEE COG 2024, comparateur de territoires and La Poste points), or
// after FoldPoints the sum of the rows that make one commune actuelle.
// Numbers are NaN when the file leaves them empty.
type PointRow struct {
	Code       string    // INSEE code (COG 2024 as read; commune actuelle after FoldPoints)
	Line       int       // line in the file (first row of the group after FoldPoints)
	Type       string    // commune_type: "COM", or "ARM" for an arrondissement municipal
	Point      orb.Point // lat/lng as lon/lat, WGS84
	HasPoint   bool      // false when lat and lng are empty
	AreaKm2    float64   // superficie_km2, km²
	Population float64   // population_2021 (INSEE recensement), inhabitants
	Active     float64   // pop_15_64_active_2021: labour force aged 15–64
	Unemployed float64   // pop_15_64_chomage_2021: unemployed aged 15–64
}

// UnemploymentRate returns Unemployed / Active (0–1), or NaN when Active is
// 0 or unknown (e.g. the 17 communes of Mayotte, given 0 by the file).
func (p PointRow) UnemploymentRate() float64 {
	if !(p.Active > 0) || math.IsNaN(p.Unemployed) {
		return math.NaN()
	}
	return p.Unemployed / p.Active
}

// The columns of the communes-points file. Only insee_com, lat and lng are
// required; a missing numeric column leaves its value NaN.
const (
	ptCode       = "insee_com"
	ptType       = "commune_type"
	ptLat        = "lat"
	ptLng        = "lng"
	ptArea       = "superficie_km2"
	ptPopulation = "population_2021"
	ptActive     = "pop_15_64_active_2021"
	ptUnemployed = "pop_15_64_chomage_2021"
)

// ReadCommunePoints reads the communes-points CSV (communes_points.csv of
// communes-points-2024: one row per INSEE code, COM or ARM) with
// ReadTable. A row with a malformed or repeated code, or an unreadable or
// out-of-range lat/lng, is Rejected. A row with empty lat and lng is kept
// without point and gets a Warning (60694, 85165, 85212 in the 2024 file).
// A bad number in another column, or more unemployed than active people,
// leaves that value NaN with a Warning.
func ReadCommunePoints(name string, r io.Reader) ([]PointRow, data.Checks, error) {
	t, req, err := readTableCols(name, r, ptCode, ptLat, ptLng)
	if err != nil {
		return nil, nil, err
	}
	opt := []int{t.Index(ptType), t.Index(ptArea), t.Index(ptPopulation), t.Index(ptActive), t.Index(ptUnemployed)}
	var rows []PointRow
	var checks data.Checks
	seen := map[string]int{}
	for _, rec := range t.Records {
		p, perr := pointRowOf(name, rec, req, opt, &checks)
		if perr == nil {
			perr = repeatedCode(name, rec.Line, p.Code, seen)
		}
		if perr != nil {
			checks.Reject(perr)
			continue
		}
		seen[p.Code] = rec.Line
		rows = append(rows, p)
	}
	if len(rows) == 0 {
		return nil, checks, noValidRow(name)
	}
	return rows, checks, nil
}

// pointRowOf decodes one record; req = code, lat, lng; opt = type, area,
// population, active, unemployed (-1 when absent).
func pointRowOf(name string, rec data.Record, req, opt []int, checks *data.Checks) (PointRow, *data.ParseError) {
	code, err := data.NormINSEE(rec.Field(req[0]))
	if err != nil {
		return PointRow{}, &data.ParseError{File: name, Line: rec.Line, Column: ptCode, Err: err}
	}
	p := PointRow{Code: code, Line: rec.Line, Type: rec.Field(opt[0])}
	lat, lng := rec.Field(req[1]), rec.Field(req[2])
	switch {
	case lat == "" && lng == "":
		checks.Add(data.Check{Severity: data.Warning, Commune: code, Err: &data.ParseError{File: name, Line: rec.Line,
			Column: ptLat, Err: fmt.Errorf("%w : la commune %s n'a ni lat ni lng : gardée sans point de ce fichier (le fichier des chefs-lieux ou la règle des communes rétablies peut lui en donner un)", data.ErrBadCoordinate, code)}})
	default:
		pt, perr := parseLonLat(name, rec.Line, lat, lng)
		if perr != nil {
			return p, perr
		}
		p.Point, p.HasPoint = pt, true
	}
	cols := []string{ptArea, ptPopulation, ptActive, ptUnemployed}
	dst := []*float64{&p.AreaKm2, &p.Population, &p.Active, &p.Unemployed}
	for i, d := range dst {
		*d = optNumber(name, rec, opt[i+1], cols[i], checks)
	}
	if p.Unemployed > p.Active {
		checks.Warn(&data.ParseError{File: name, Line: rec.Line, Column: ptUnemployed,
			Err: fmt.Errorf("%w : %v chômeurs > %v actifs ; ignoré", data.ErrBadValue, p.Unemployed, p.Active)})
		p.Unemployed = math.NaN()
	}
	return p, nil
}

// parseLonLat parses a latitude and a longitude into a lon/lat point.
func parseLonLat(name string, line int, lat, lng string) (orb.Point, *data.ParseError) {
	y, err := data.ParseFloatFR(lat)
	if err != nil {
		return orb.Point{}, &data.ParseError{File: name, Line: line, Column: ptLat, Err: err}
	}
	x, err := data.ParseFloatFR(lng)
	if err != nil {
		return orb.Point{}, &data.ParseError{File: name, Line: line, Column: ptLng, Err: err}
	}
	if math.Abs(y) > 90 || math.Abs(x) > 180 {
		return orb.Point{}, &data.ParseError{File: name, Line: line, Column: ptLat,
			Err: fmt.Errorf("%w : lat %v, lng %v hors des bornes", data.ErrBadCoordinate, y, x)}
	}
	return orb.Point{x, y}, nil
}

// optNumber parses the non-negative number in column i of rec; empty,
// absent or bad gives NaN (bad and negative with a Warning).
func optNumber(name string, rec data.Record, i int, col string, checks *data.Checks) float64 {
	s := rec.Field(i)
	if s == "" {
		return math.NaN()
	}
	v, err := data.ParseFloatFR(s)
	if err == nil && v < 0 {
		err = fmt.Errorf("%w : valeur négative %v", data.ErrBadValue, v)
	}
	if err != nil {
		checks.Warn(&data.ParseError{File: name, Line: rec.Line, Column: col, Err: err})
		return math.NaN()
	}
	return v
}

// FoldPoints groups the rows by the commune actuelle res gives for their
// code: arrondissements municipaux into Paris, Lyon and Marseille, and
// communes merged after 2024 into the commune nouvelle. For each group:
//
//   - Point: the point of the row whose code is the commune itself when it
//     has one; else the population-weighted mean of the rows' points,
//     P = Σ w_i·P_i / Σ w_i with w_i = population_2021 (plain mean when
//     all weights are 0 or unknown). Paris gets (2.3456, 48.8598), near
//     Châtelet, rather than the 1st arrondissement's point.
//   - AreaKm2, Population, Active, Unemployed: sums, NaN when one row's
//     value is unknown (so UnemploymentRate = Σ unemployed / Σ active).
//
// A row whose code res does not know is dropped with a Warning.
func FoldPoints(file string, rows []PointRow, res Resolver) (map[string]PointRow, data.Checks) {
	var checks data.Checks
	groups := groupByCommune(file, ptCode, rows, res, func(p PointRow) (string, int) { return p.Code, p.Line }, &checks)
	out := make(map[string]PointRow, len(groups))
	for cur, g := range groups {
		out[cur] = foldGroup(cur, g)
	}
	return out, checks
}

// foldGroup combines the rows of one commune actuelle (see FoldPoints).
func foldGroup(code string, g []PointRow) PointRow {
	if len(g) == 1 && g[0].Code == code {
		return g[0]
	}
	sort.Slice(g, func(i, j int) bool { return g[i].Line < g[j].Line })
	out := PointRow{Code: code, Line: g[0].Line, Type: "COM"}
	for _, p := range g {
		out.AreaKm2 += p.AreaKm2
		out.Population += p.Population
		out.Active += p.Active
		out.Unemployed += p.Unemployed
		if p.Code == code && p.HasPoint {
			out.Point, out.HasPoint = p.Point, true
		}
	}
	if !out.HasPoint {
		out.Point, out.HasPoint = weightedPoint(g)
	}
	return out
}

// weightedPoint is the population-weighted mean of the rows' points.
func weightedPoint(g []PointRow) (orb.Point, bool) {
	var sx, sy, sw float64
	n := 0
	for _, p := range g {
		if p.HasPoint && p.Population > 0 {
			sx += p.Population * p.Point[0]
			sy += p.Population * p.Point[1]
			sw += p.Population
		}
	}
	if sw > 0 {
		return orb.Point{sx / sw, sy / sw}, true
	}
	for _, p := range g {
		if p.HasPoint {
			sx += p.Point[0]
			sy += p.Point[1]
			n++
		}
	}
	if n == 0 {
		return orb.Point{}, false
	}
	return orb.Point{sx / float64(n), sy / float64(n)}, true
}

// MergePoints sets Point and HasPoint of each commune from pts (the result
// of FoldPoints) and reports, as Warnings naming file, the communes of
// metropolitan France and the DROM that have no row (in COG 2025: 15031,
// 15035, 15047, 15171, 27676, created on 2025-01-01 from communes that
// did not merge into them). They keep HasPoint false: spatial code falls
// back to the polygon centroid or skips them. Communes of the COM (zone
// "com"), which the points file does not cover, get one summary Warning.
// A commune whose row has no point was already warned by
// ReadCommunePoints and is not reported again.
func MergePoints(file string, communes []data.Commune, pts map[string]PointRow) data.Checks {
	var checks data.Checks
	com := 0
	for i := range communes {
		c := &communes[i]
		p, ok := pts[c.Code]
		c.Point, c.HasPoint = p.Point, ok && p.HasPoint
		switch {
		case ok:
		case c.Zone == "com":
			com++
		default:
			checks.Add(data.Check{Severity: data.Warning, Commune: c.Code, Err: &data.ParseError{File: file, Column: ptCode,
				Err: fmt.Errorf("%w : la commune %s %s n'est pas dans ce fichier, qui ne lui donne pas de point (le fichier des chefs-lieux ou la règle des communes rétablies peut lui en donner un)", data.ErrUnknownINSEE, c.Code, c.Name)}})
		}
	}
	if com > 0 {
		checks.Warn(&data.ParseError{File: file, Err: fmt.Errorf(
			"%w : %d communes des collectivités d'outre-mer ne sont pas dans ce fichier ; elles n'ont pas de point",
			data.ErrUnknownINSEE, com)})
	}
	return checks
}
