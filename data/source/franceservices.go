package source

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// FranceServicesFTE is the number of digital-advisor full-time equivalents
// counted at each France Services site. The scheme funds at least two
// agents per site, but they are generalist agents, not digital advisors:
// as a place of digital help a site counts for one FTE by default.
const FranceServicesFTE = 1.0

// FranceServicesDate is the date of the France Services list (ANCT,
// liste-fs-20240801.csv), given to every site it yields.
const FranceServicesDate = "2024-08-01"

// LoadFranceServices reads the ANCT list of France Services sites
// (liste-fs-20240801.csv: id_fs, lib_fs, insee_com, code_postal, latitude,
// longitude, …). Each row becomes a Site of kind KindFranceServices with ID
// "fs-<id_fs>", FTE FranceServicesFTE, Source SourceFranceServices and Date
// FranceServicesDate. INSEE and Postcode are normalised (leading zeros
// restored); a malformed code is dropped with a Warning. Rows without an
// id, with a duplicate id or with unusable coordinates are rejected.
// Bus and itinerant sites (format_fs) are kept at their home base.
func LoadFranceServices(name string, r io.Reader) ([]data.Site, data.Checks, error) {
	t, idx, err := readTable("des France Services", name, r, "id_fs", "lib_fs", "insee_com", "code_postal", "latitude", "longitude")
	if err != nil {
		return nil, nil, err
	}
	var (
		sites  []data.Site
		checks data.Checks
		seen   = map[string]int{}
	)
	for _, rec := range t.Records {
		row := siteRow{file: name, line: rec.Line}
		s, perr := franceServicesSite(rec, idx, row, &checks)
		if perr == nil {
			perr = siteCheckDuplicate(seen, s.ID, row, "id_fs")
		}
		if perr != nil {
			checks.Reject(perr)
			continue
		}
		sites = append(sites, s)
	}
	if len(sites) == 0 {
		return nil, checks, noneKept("des France Services", name, "aucun lieu valide")
	}
	return sites, checks, nil
}

// franceServicesSite builds the site of one row, or returns why it is rejected.
func franceServicesSite(rec data.Record, idx []int, row siteRow, checks *data.Checks) (data.Site, *data.ParseError) {
	id := rec.Field(idx[0])
	if id == "" {
		return data.Site{}, row.err("id_fs", fmt.Errorf("%w : id_fs vide", data.ErrBadValue))
	}
	lat, err := data.ParseFloatFR(rec.Field(idx[4]))
	if err != nil {
		return data.Site{}, row.err("latitude", err)
	}
	lon, err := data.ParseFloatFR(rec.Field(idx[5]))
	if err != nil {
		return data.Site{}, row.err("longitude", err)
	}
	pt, err := sitePoint(lat, lon)
	if err != nil {
		return data.Site{}, row.err("latitude", err)
	}
	return data.Site{
		ID:       "fs-" + id,
		Name:     rec.Field(idx[1]),
		Kind:     data.KindFranceServices,
		Point:    pt,
		FTE:      FranceServicesFTE,
		INSEE:    row.insee(rec.Field(idx[2]), "insee_com", checks),
		Postcode: row.postcode(rec.Field(idx[3]), "code_postal", checks),
		Source:   SourceFranceServices,
		Date:     FranceServicesDate,
		Line:     row.line,
	}, nil
}

// siteRow locates one record of an input file in the errors it produces.
// For CSV files line is the physical line of the record. For JSON files
// line is the 1-based number of the object in the top-level array (or of
// the feature in a GeoJSON FeatureCollection), and what names the unit
// ("JSON object", "GeoJSON feature") so the message says so.
type siteRow struct {
	file string
	line int
	what string // "" for CSV
}

// err returns the *ParseError for column col of the row.
func (r siteRow) err(col string, err error) *data.ParseError {
	if r.what != "" {
		err = fmt.Errorf("%s %d : %w", r.what, r.line, err)
	}
	return &data.ParseError{File: r.file, Line: r.line, Column: col, Err: err}
}

// optCode returns the code s normalised by norm: "" when s is blank, ""
// with a Warning when norm refuses it.
func (r siteRow) optCode(s, col string, norm func(string) (string, error), checks *data.Checks) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	code, err := norm(s)
	if err != nil {
		checks.Warn(r.err(col, err))
	}
	return code
}

// insee returns the normalised INSEE code, or "" with a Warning.
func (r siteRow) insee(s, col string, checks *data.Checks) string {
	return r.optCode(s, col, data.NormINSEE, checks)
}

// postcode returns the normalised postcode, or "" with a Warning.
func (r siteRow) postcode(s, col string, checks *data.Checks) string {
	return r.optCode(s, col, data.NormPostcode, checks)
}

// siret returns the SIRET, or "" (absent or with a Warning when malformed).
func (r siteRow) siret(s, col string, checks *data.Checks) string {
	code, err := data.ParseSIRET(s)
	if err != nil {
		checks.Warn(r.err(col, err))
	}
	return code
}

// date returns the date as YYYY-MM-DD, or "" with a Warning.
func (r siteRow) date(s, col string, checks *data.Checks) string {
	d, err := normSiteDate(s)
	if err != nil {
		checks.Warn(r.err(col, err))
	}
	return d
}

// siteCheckDuplicate records id and returns an error if it was seen before.
func siteCheckDuplicate(seen map[string]int, id string, row siteRow, col string) *data.ParseError {
	if first, ok := seen[id]; ok {
		return row.err(col, fmt.Errorf("%w : id %q déjà vu en %d", data.ErrDuplicate, id, first))
	}
	seen[id] = row.line
	return nil
}

// normSiteDate returns the YYYY-MM-DD date at the start of s (a time part
// after 'T' or ' ' is dropped). An empty input gives "" and no error.
func normSiteDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if len(s) >= 10 && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
		if _, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return s[:10], nil
		}
	}
	return "", fmt.Errorf("%w : date %q qui n'est pas au format AAAA-MM-JJ", data.ErrBadValue, s)
}

// sitePoint checks a WGS84 latitude/longitude pair and returns it as an
// orb.Point{lon, lat}. The point must lie in the box of a French territory
// (data.TerritoryOf, the boxes data.ValidateSites uses); a pair that would
// lie in one once swapped is reported as ErrSwappedLatLon.
func sitePoint(lat, lon float64) (orb.Point, error) {
	if math.IsNaN(lat) || math.IsNaN(lon) || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
		return orb.Point{}, fmt.Errorf("%w : latitude %g, longitude %g", data.ErrBadCoordinate, lat, lon)
	}
	if _, ok := data.TerritoryOf(orb.Point{lon, lat}); ok {
		return orb.Point{lon, lat}, nil
	}
	if _, ok := data.TerritoryOf(orb.Point{lat, lon}); ok {
		return orb.Point{}, fmt.Errorf("%w : latitude %g, longitude %g", data.ErrSwappedLatLon, lat, lon)
	}
	return orb.Point{}, fmt.Errorf("%w : latitude %g, longitude %g", data.ErrOutsideFrance, lat, lon)
}
