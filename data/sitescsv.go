package data

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// MaxCellChars is the most characters a workbook cell holds (Excel's
// limit); a longer text is cut, ending with CutMark.
const MaxCellChars = 32_767

// CutMark ends a text cut to MaxCellChars characters.
const CutMark = " […tronqué]"

// DefaultMaxFTE is the largest FTE LoadSitesCSV accepts on one row when
// SitesOptions.MaxFTE is 0: more than 100 advisors in one place is a typo.
const DefaultMaxFTE = 100

// SitesOptions are the options of LoadSitesCSV. The zero value is usable.
type SitesOptions struct {
	// Known reports whether a declared INSEE code is a commune (or maps to
	// one, e.g. Dataset.KnownCode). A code it refuses is reported as a
	// warning and cleared. nil: codes are only checked for shape.
	Known func(code string) bool
	// MaxFTE is the largest FTE accepted on one row (0: DefaultMaxFTE).
	MaxFTE float64
	// Checked marks a file written by make data from sites that
	// ValidateSites already checked, source by source (the embedded
	// sites, whose checks are in controles.csv.zst): the probable
	// duplicates are not searched again, so that Contrôles does not list
	// each of them twice.
	Checked bool
}

// sitesColumn is a column of the sites format, with accepted aliases.
type sitesColumn struct {
	name     string
	aliases  []string
	required bool
}

// The sites CSV format, in canonical order (the order WriteSitesCSV uses).
var sitesColumns = [...]sitesColumn{
	{"id", nil, true},
	{"nom", []string{"name"}, true},
	{"type", nil, true},
	{"latitude", []string{"lat"}, true},
	{"longitude", []string{"lon", "lng", "long"}, true},
	{"etp", []string{"fte"}, false},
	{"code_insee", []string{"insee", "insee_com"}, false},
	{"code_postal", []string{"cp"}, false},
	{"siret", nil, false},
	{"source", nil, false},
	{"date", nil, false},
}

const (
	sitesID = iota
	sitesName
	sitesType
	sitesLat
	sitesLon
	sitesFTE
	sitesINSEE
	sitesPostcode
	sitesSIRET
	sitesSource
	sitesDate
)

// LoadSitesCSV reads a sites file in the documented format: columns
// id,nom,type,latitude,longitude (required), etp (FTE, empty = 1),
// code_insee (may be empty), and code_postal,siret,source,date (optional;
// the embedded data set uses them). Column names are case-insensitive;
// lat, lon/lng, fte, insee, cp are accepted aliases. Numbers may use a
// decimal comma; coordinates are WGS84 degrees.
//
// A row that cannot be used is rejected and listed in the checks as a
// *ParseError naming file, line and column: wrong number of fields, empty
// id, duplicate id (ErrDuplicate), unknown type, empty or unparsable
// coordinate (ErrBadCoordinate, with a hint for Lambert-93 metres), FTE
// negative or above MaxFTE (ErrBadValue), malformed code_insee
// (ErrBadCode). A malformed code_postal, siret or date is only a warning
// and cleared. The kept sites then go through ValidateSites (territory
// boxes, swapped coordinates, duplicates unless opt.Checked, and unknown
// codes when opt.Known is set).
//
// The error is a *ParseError for whole-file problems: unreadable, binary
// or Excel file, missing required column, or no usable row (ErrEmptyFile,
// whose message quotes the first reason; the checks list them all).
func LoadSitesCSV(name string, r io.Reader, opt SitesOptions) ([]Site, Checks, error) {
	tr, err := OpenTable(name, r)
	if err != nil {
		return nil, nil, err
	}
	col, err := sitesHeader(&tr.Table)
	if err != nil {
		return nil, nil, err
	}
	headerChecks := HeaderChecks(&tr.Table, sitesColumnNames)
	maxFTE := opt.MaxFTE
	if maxFTE <= 0 {
		maxFTE = DefaultMaxFTE
	}
	sites, checks, rows, err := sitesRows(tr, col, maxFTE)
	if err != nil {
		return nil, nil, err
	}
	sites, more := validateSites(name, sites, opt.Known, !opt.Checked)
	checks = append(append(headerChecks, checks...), more...)
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].Err.Line < checks[j].Err.Line })
	if len(sites) == 0 {
		return nil, checks, sitesNoRow(name, rows, checks)
	}
	return sites, checks, nil
}

// sitesRows parses the rows as they are read (the file is never held
// whole): the sites (with their lines), the checks and the number of rows, or
// the error that stops the reading (more than MaxSites rows, a malformed
// file).
func sitesRows(tr *TableReader, col [len(sitesColumns)]int, maxFTE float64) ([]Site, Checks, int, error) {
	var checks Checks
	// Sized once (growing a slice of a million sites by appending would
	// allocate it about five times over).
	n := min(tr.RowsAtMost(), maxSites)
	sites := make([]Site, 0, n)
	seen := make(map[string]int, n)
	rows := 0
	for {
		rec, err := tr.Next()
		if err == io.EOF {
			return sites, checks, rows, nil
		}
		if err != nil {
			return nil, nil, 0, err
		}
		if rows++; rows > maxSites {
			return nil, nil, 0, tooManySites(tr.File, rec.Line)
		}
		s, warns, perr := sitesRow(&tr.Table, rec, col, maxFTE)
		if perr == nil {
			if first, dup := seen[s.ID]; dup {
				perr = &ParseError{File: tr.File, Line: rec.Line, Column: "id",
					Err: fmt.Errorf("%w : id %q déjà utilisé ligne %d", ErrDuplicate, s.ID, first)}
			}
		}
		if perr != nil {
			checks.Reject(perr)
			continue
		}
		for _, w := range warns {
			checks.Add(Check{Severity: Warning, Site: s.ID, Err: w})
		}
		seen[s.ID] = rec.Line
		s.Line = rec.Line
		sites = append(sites, s)
	}
}

// sitesColumnNames are the names of each column of the format: its name
// then its aliases (sitesNames).
var sitesColumnNames = sitesNames()

// sitesNames returns the names of each column of the format: its name
// then its aliases.
func sitesNames() [][]string {
	out := make([][]string, len(sitesColumns))
	for i, c := range sitesColumns {
		out[i] = append([]string{c.name}, c.aliases...)
	}
	return out
}

// HeaderChecks warns (ErrDuplicate, line 1) about a header that names a
// column twice (case-insensitive), or that gives one column of the format
// under two of its names (canonical and alias, e.g. nom and name): the
// first such column is used, the others are ignored. names lists, for
// each column of the format, its accepted names.
func HeaderChecks(t *Table, names [][]string) Checks {
	var checks Checks
	first := map[string]int{}
	for i, h := range t.Header {
		key := strings.ToLower(h)
		if h == "" {
			continue
		}
		if j, dup := first[key]; dup {
			checks.Warn(&ParseError{File: t.File, Line: 1, Column: h, Err: fmt.Errorf(
				"%w : la colonne %q apparaît deux fois (colonnes %d et %d) ; la première est utilisée", ErrDuplicate, h, j+1, i+1)})
			continue
		}
		first[key] = i
	}
	for _, alts := range names {
		var given []string
		for _, n := range alts {
			if _, ok := first[n]; ok {
				given = append(given, n)
			}
		}
		if len(given) > 1 {
			checks.Warn(&ParseError{File: t.File, Line: 1, Column: given[1], Err: fmt.Errorf(
				"%w : les colonnes %q et %q donnent la même information ; %q est utilisée, %q ignorée", ErrDuplicate, given[0], given[1], t.Header[t.Index(alts...)], given[1])})
		}
	}
	return checks
}

// sitesHeader locates the columns of the format (-1 for absent optional ones).
func sitesHeader(t *Table) ([len(sitesColumns)]int, error) {
	var col [len(sitesColumns)]int
	for i, c := range sitesColumns {
		col[i] = t.Index(append([]string{c.name}, c.aliases...)...)
		if col[i] < 0 && c.required {
			return col, &ParseError{File: t.File, Line: 1, Column: c.name, Err: fmt.Errorf(
				"%w %q : un fichier de lieux doit avoir les colonnes id,nom,type,latitude,longitude (en-tête : %s)",
				ErrMissingColumn, c.name, strings.Join(t.Header, string(t.Comma)))}
		}
	}
	return col, nil
}

// tooManySites is the error of a sites file with more than MaxSites rows
// or features; line is where the first one beyond starts.
func tooManySites(name string, line int) error {
	return &ParseError{File: name, Line: line, Err: fmt.Errorf("%w : plus de %d lieux dans un même fichier", ErrTooLarge, maxSites)}
}

func sitesNoRow(name string, rows int, checks Checks) error {
	if rows == 0 {
		return &ParseError{File: name, Err: fmt.Errorf("%w : aucune ligne de données après l'en-tête", ErrEmptyFile)}
	}
	first := ""
	for _, c := range checks {
		if c.Severity == Rejected {
			first = " ; la première : " + c.Err.Error()
			break
		}
	}
	if rows == 1 {
		return &ParseError{File: name, Err: fmt.Errorf("%w : la seule ligne est rejetée%s", ErrEmptyFile, first)}
	}
	return &ParseError{File: name, Err: fmt.Errorf("%w : les %d lignes sont toutes rejetées%s", ErrEmptyFile, rows, first)}
}

// sitesRow parses one record into a site, or the reason to reject it.
// Warnings are about optional columns that were cleared.
func sitesRow(t *Table, rec Record, col [len(sitesColumns)]int, maxFTE float64) (Site, []*ParseError, *ParseError) {
	return sitesRowAt(t, rec, col, maxFTE, nil)
}

// sitesRowAt is sitesRow with the point given as numbers when at is not
// nil (a GeoJSON geometry, parsed once), in place of the latitude and
// longitude fields, and checked by the same rules (sitesPointCheck).
func sitesRowAt(t *Table, rec Record, col [len(sitesColumns)]int, maxFTE float64, at *orb.Point) (Site, []*ParseError, *ParseError) {
	fail := func(column string, err error) (Site, []*ParseError, *ParseError) {
		return Site{}, nil, &ParseError{File: t.File, Line: rec.Line, Column: column, Err: err}
	}
	if err := t.CheckWidth(rec); err != nil {
		var pe *ParseError
		errors.As(err, &pe)
		return Site{}, nil, pe
	}
	field := func(c int) string { return rec.Field(col[c]) }
	s := Site{ID: FormulaRestore(field(sitesID)), Name: FormulaRestore(field(sitesName)), Source: FormulaRestore(field(sitesSource))}
	if s.ID == "" {
		return fail("id", fmt.Errorf("%w : id vide", ErrBadValue))
	}
	var ok bool
	if s.Kind, ok = ParseKind(field(sitesType)); !ok {
		return fail("type", fmt.Errorf("%w : type %q inconnu : attendu cnfs, france-services, mediation ou autre", ErrBadValue, field(sitesType)))
	}
	var column string
	var err error
	if at != nil {
		s.Point, column, err = sitesPointCheck(at[1], at[0])
	} else {
		s.Point, column, err = sitesPoint(field(sitesLat), field(sitesLon))
	}
	if err != nil {
		return fail(column, err)
	}
	if s.FTE, err = sitesParseFTE(field(sitesFTE), maxFTE); err != nil {
		return fail("etp", err)
	}
	if v := field(sitesINSEE); v != "" {
		if s.INSEE, err = NormINSEE(v); err != nil {
			return fail("code_insee", err)
		}
	}
	warns := sitesOptional(t.File, rec.Line, &s, field(sitesPostcode), field(sitesSIRET), field(sitesDate))
	if n := utf8.RuneCountInString(s.Name); n > MaxCellChars {
		warns = append(warns, &ParseError{File: t.File, Line: rec.Line, Column: "nom", Err: fmt.Errorf(
			"%w : nom de %d caractères ; le classeur en montre les %d premiers, suivis de %q", ErrBadValue, n, MaxCellChars-utf8.RuneCountInString(CutMark), CutMark)})
	}
	return s, warns, nil
}

// sitesPoint parses the coordinates, or says which column is wrong.
func sitesPoint(latText, lonText string) (orb.Point, string, error) {
	lat, err := sitesCoord(latText, "latitude")
	if err != nil {
		return orb.Point{}, "latitude", err
	}
	lon, err := sitesCoord(lonText, "longitude")
	if err != nil {
		return orb.Point{}, "longitude", err
	}
	return sitesPointCheck(lat, lon)
}

// sitesPointCheck refuses coordinates that are not WGS84 degrees, or
// says which column is wrong.
func sitesPointCheck(lat, lon float64) (orb.Point, string, error) {
	switch {
	case math.Abs(lat) > 1000 || math.Abs(lon) > 1000:
		return orb.Point{}, "latitude", fmt.Errorf("%w : latitude %g, longitude %g ressemble à des mètres Lambert-93 "+
			"(ou une autre projection), pas à des degrés WGS84", ErrBadCoordinate, lat, lon)
	case math.Abs(lat) > 90:
		return orb.Point{}, "latitude", fmt.Errorf("%w : latitude %g hors de [-90, 90]", ErrBadCoordinate, lat)
	case math.Abs(lon) > 180:
		return orb.Point{}, "longitude", fmt.Errorf("%w : longitude %g hors de [-180, 180]", ErrBadCoordinate, lon)
	}
	return orb.Point{lon, lat}, "", nil
}

func sitesCoord(s, what string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("%w : %s vide", ErrBadCoordinate, what)
	}
	v, err := ParseFloatFR(s)
	if err != nil {
		return 0, fmt.Errorf("%w : %s %s", ErrBadCoordinate, what, numReason(err))
	}
	return v, nil
}

func sitesParseFTE(s string, maxFTE float64) (float64, error) {
	if s == "" {
		return 1, nil
	}
	v, err := ParseFloatFR(s)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%w : ETP %s", ErrBadValue, numReason(err))
	case v < 0:
		return 0, fmt.Errorf("%w : ETP négatif %g", ErrBadValue, v)
	case v > maxFTE:
		return 0, fmt.Errorf("%w : ETP %g invraisemblable (plus de %g en un même lieu)", ErrBadValue, v, maxFTE)
	}
	return v, nil
}

// sitesOptional parses code_postal, siret and date; a malformed value is
// cleared with a warning, since the site is usable without it.
func sitesOptional(file string, line int, s *Site, postcode, siret, date string) []*ParseError {
	var warns []*ParseError
	warn := func(column string, err error) {
		warns = append(warns, &ParseError{File: file, Line: line, Column: column,
			Err: fmt.Errorf("%w ; valeur ignorée pour le lieu %q", err, s.ID)})
	}
	var err error
	if postcode != "" {
		if s.Postcode, err = NormPostcode(postcode); err != nil {
			warn("code_postal", err)
		}
	}
	if s.SIRET, err = ParseSIRET(siret); err != nil {
		warn("siret", err)
	}
	if date != "" {
		if s.Date, err = parseDateFR(date); err != nil {
			warn("date", err)
		}
	}
	return warns
}

// parseDateFR parses a date written YYYY-MM-DD (a time part after it is
// dropped) or DD/MM/YYYY, and returns it as YYYY-MM-DD. Errors wrap
// ErrBadValue.
func parseDateFR(s string) (string, error) {
	t := strings.TrimSpace(s)
	layout := "2006-01-02"
	if strings.Contains(t, "/") {
		layout = "02/01/2006"
	} else if len(t) > 10 && (t[10] == 'T' || t[10] == ' ') {
		t = t[:10]
	}
	d, err := time.Parse(layout, t)
	if err != nil {
		return "", fmt.Errorf("%w : date %q : attendu AAAA-MM-JJ ou JJ/MM/AAAA", ErrBadValue, s)
	}
	return d.Format("2006-01-02"), nil
}

// WriteSitesCSV writes sites in the format LoadSitesCSV reads, with all
// its columns, ',' as separator and UTF-8 without BOM; text fields go
// through FormulaSafe (and LoadSitesCSV restores them). Coordinates and
// FTE are written in the shortest form that reads back to the same
// float64, so that loading the output gives the same sites (Commune, set
// by the spatial join, is not written).
func WriteSitesCSV(w io.Writer, sites []Site) error {
	header := make([]string, len(sitesColumns))
	for i, c := range sitesColumns {
		header[i] = c.name
	}
	return WriteCSV(w, "des lieux", CSVPlain, header, len(sites), func(i int) []string {
		s := &sites[i]
		return []string{FormulaSafe(s.ID), FormulaSafe(s.Name), s.Kind.String(), sitesFloat(s.Point[1]), sitesFloat(s.Point[0]),
			sitesFloat(s.FTE), s.INSEE, s.Postcode, s.SIRET, FormulaSafe(s.Source), s.Date}
	})
}

func sitesFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
