package data

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// LoadSites reads a sites file in either format users bring: GeoJSON
// (loadSitesGeoJSON) when the name ends in .geojson or .json or the
// content starts with '{' or '[' (after a BOM and blanks), CSV
// (LoadSitesCSV) otherwise.
func LoadSites(name string, r io.Reader, opt SitesOptions) ([]Site, Checks, error) {
	if err := checkSize(name, r); err != nil {
		return nil, nil, err
	}
	head, r := PeekHead(r, 4096)
	if sitesIsJSON(name, head) {
		return loadSitesGeoJSON(name, r, opt)
	}
	return LoadSitesCSV(name, r, opt)
}

// PeekHead returns the first n bytes of r (fewer at its end) and a reader
// of r from its start, for a caller that tells a format from the head. A
// reader that can read at an offset (a file) is read there and returned
// as it is, so that LoadSitesCSV can still read it twice instead of
// holding it whole; another (a pipe, a FIFO) is buffered, its head kept.
func PeekHead(r io.Reader, n int) ([]byte, io.Reader) {
	if sr, ok := sectionOf(r); ok {
		head := make([]byte, n)
		k, _ := sr.ReadAt(head, 0)
		return head[:k], r
	}
	br := bufio.NewReaderSize(r, n)
	head, _ := br.Peek(n)
	return head, keepContext(r, br)
}

// sitesIsJSON tells from the extension or the first bytes whether a
// sites file is JSON.
func sitesIsJSON(name string, head []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".geojson", ".json":
		return true
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	return len(head) > 0 && (head[0] == '{' || head[0] == '[')
}

// loadSitesGeoJSON reads sites from a GeoJSON FeatureCollection of Point
// features (WGS84 lon/lat, as RFC 7946 requires) whose properties are the
// columns of the sites CSV format: id, nom, type (required), etp (FTE,
// absent or null = 1), code_insee, and optionally code_postal, siret,
// source, date, with the same aliases (name, fte, insee, cp). A property
// may be a string or a number (0.5 or "0,5"). A feature without geometry
// may give latitude and longitude properties instead.
//
// Every feature goes through the rules of LoadSitesCSV, with the same
// messages: a feature that cannot be used is rejected and listed in the
// checks, whose Line is the line where the feature starts and whose
// message begins with "feature N" (1-based), so that a file written on one
// line still points to the feature. A geometry other than a Point, or
// coordinates that are not two numbers, rejects the feature (column
// "geometry"). The error is a *ParseError for whole-file problems: an
// Excel or zip file, invalid JSON (e.g. NaN, which JSON does not allow),
// not a FeatureCollection, no feature, or no usable feature.
//
// A file that can be read again (sectionOf) is read in one pass
// (sitesGeo.stream), each feature decoded once; the few inputs that pass
// does not take to the end (bad JSON, a top level other than a plain
// FeatureCollection, a failed read) are read again from the start by
// json.Decoder (loadSitesGeoJSONDecoder), which words the error, so that
// both give the same outcome (FuzzSitesGeoStream). A stream (a pipe) is
// read by json.Decoder alone.
func loadSitesGeoJSON(name string, r io.Reader, opt SitesOptions) ([]Site, Checks, error) {
	if err := checkSize(name, r); err != nil {
		return nil, nil, err
	}
	if sr, ok := sectionOf(r); ok {
		var head [4]byte
		if k, _ := sr.ReadAt(head[:], 0); bytes.HasPrefix(head[:k], []byte("PK\x03\x04")) {
			return nil, nil, sitesGeoZip(name)
		}
		g := newSitesGeo(name, opt, featuresAtMost(r))
		text, err := openJSONText(name, keepContext(r, sr))
		if err != nil {
			return nil, nil, err
		}
		n, err := g.stream(ContextOf(r), newJSONLexer(text))
		if err != errJSONLex {
			return g.finish(n, err)
		}
		// sr reads at offsets: r is still at its start.
	}
	return loadSitesGeoJSONDecoder(name, r, opt)
}

// loadSitesGeoJSONDecoder is loadSitesGeoJSON through json.Decoder, for
// a stream and for what the single pass leaves (see loadSitesGeoJSON).
func loadSitesGeoJSONDecoder(name string, r io.Reader, opt SitesOptions) ([]Site, Checks, error) {
	bound := featuresAtMost(r)
	br := bufio.NewReader(r)
	if head, _ := br.Peek(4); bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return nil, nil, sitesGeoZip(name)
	}
	g := newSitesGeo(name, opt, bound)
	err := readFeatures(name, keepContext(r, br), true, func(i, line int, msg json.RawMessage) error {
		if g.n == maxSites {
			return tooManySites(name, line)
		}
		g.n++
		g.feature(i+1, line, msg)
		return nil
	})
	return g.finish(g.n, err)
}

// sitesGeoZip is the error of a zip or Excel file given as GeoJSON.
func sitesGeoZip(name string) error {
	return &ParseError{File: name, Err: fmt.Errorf("%w : c'est un fichier zip ou Excel (.xlsx), pas du GeoJSON", ErrBinary)}
}

// newSitesGeo starts reading the sites of file name, of about bound
// features.
func newSitesGeo(name string, opt SitesOptions, bound int) *sitesGeo {
	maxFTE := opt.MaxFTE
	if maxFTE <= 0 {
		maxFTE = DefaultMaxFTE
	}
	// Sized once, as LoadSitesCSV does (appending a million sites one by
	// one would allocate the slice about five times over).
	return &sitesGeo{t: sitesGeoTable(name), maxFTE: maxFTE, known: opt.Known, seen: make(map[string][2]int, bound),
		sites: make([]Site, 0, bound), fields: make([]string, len(sitesColumns))}
}

// finish returns the sites of n features read up to err.
func (g *sitesGeo) finish(n int, err error) ([]Site, Checks, error) {
	name := g.t.File
	if err != nil {
		return nil, nil, err
	}
	if n == 0 {
		return nil, nil, &ParseError{File: name, Err: fmt.Errorf("%w : la FeatureCollection n'a aucun objet (feature)", ErrEmptyFile)}
	}
	sites, more := ValidateSites(name, g.sites, g.known)
	checks := append(g.checks, more...)
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].Err.Line < checks[j].Err.Line })
	if len(sites) == 0 {
		return nil, checks, sitesNoRow(name, n, checks)
	}
	return sites, checks, nil
}

// featuresAtMost returns a bound of the features of r when r is a file
// that can be read twice (sectionOf), 0 otherwise: the times "Feature"
// (quotes included) occurs, which every plain feature's type holds, at
// most MaxSites. A feature whose type is escaped escapes the count: the
// bound only sizes slices, which grow past it if they must.
func featuresAtMost(r io.Reader) int {
	sr, ok := sectionOf(r)
	if !ok {
		return 0
	}
	const word = `"Feature"`
	buf := make([]byte, max(min(sr.Size(), 1<<20), 2*int64(len(word))))
	n, keep := 0, 0 // keep: bytes carried over, a word cut by the chunk end
	for off := int64(0); n < maxSites; {
		k, err := sr.ReadAt(buf[keep:], off)
		off += int64(k)
		chunk := buf[:keep+k]
		n += bytes.Count(chunk, []byte(word))
		if err != nil {
			break
		}
		keep = copy(buf, chunk[max(0, len(chunk)-len(word)+1):])
	}
	return min(n, maxSites)
}

// sitesGeoTable is the table whose rows the features become: the columns
// of the CSV format in canonical order.
func sitesGeoTable(name string) *Table {
	t := &Table{File: name, Comma: ',', Encoding: "UTF-8"}
	for _, c := range sitesColumns {
		t.Header = append(t.Header, c.name)
	}
	return t
}

// sitesGeo accumulates the sites of a GeoJSON file.
type sitesGeo struct {
	t       *Table
	maxFTE  float64
	known   func(string) bool
	n       int               // features read
	seen    map[string][2]int // id → feature number, line
	scratch []jsonMember      // reused by sitesGeoFast
	fields  []string          // the row of one feature, reused
	sites   []Site
	checks  Checks
}

// feature parses feature number k (1-based), starting at line, and keeps
// its site or records why it was rejected.
func (g *sitesGeo) feature(k, line int, msg json.RawMessage) {
	fields, perr := sitesGeoFields(g.t.File, line, msg, &g.scratch, g.fields)
	g.row(k, line, fields, nil, perr)
}

// sitesGeoColumns are the indexes of a feature's fields, in the order of
// sitesColumns.
var sitesGeoColumns = func() (idx [len(sitesColumns)]int) {
	for i := range idx {
		idx[i] = i
	}
	return idx
}()

// row keeps the site of feature number k, starting at line, from its
// fields and its point (nil: the latitude and longitude fields), or
// records why it was rejected: perr, or what sitesRowAt finds.
func (g *sitesGeo) row(k, line int, fields []string, at *orb.Point, perr *ParseError) {
	prefix := func(pe *ParseError) *ParseError {
		pe.Err = fmt.Errorf("objet %d : %w", k, pe.Err)
		return pe
	}
	var s Site
	var warns []*ParseError
	if perr == nil {
		s, warns, perr = sitesRowAt(g.t, Record{Line: line, Fields: fields}, sitesGeoColumns, g.maxFTE, at)
	}
	if first, dup := g.seen[s.ID]; perr == nil && dup {
		perr = &ParseError{File: g.t.File, Line: line, Column: "id", Err: fmt.Errorf(
			"%w : id %q déjà utilisé par l'objet %d (ligne %d)", ErrDuplicate, s.ID, first[0], first[1])}
	}
	if perr != nil {
		g.checks.Reject(prefix(perr))
		return
	}
	for _, w := range warns {
		g.checks.Add(Check{Severity: Warning, Site: s.ID, Err: prefix(w)})
	}
	g.seen[s.ID] = [2]int{k, line}
	s.Line = line
	g.sites = append(g.sites, s)
}

// sitesGeoFields turns one feature into the fields of a CSV row, in the
// order of sitesColumns, the coordinates taken from the geometry. The
// fast path writes them into buf (len(sitesColumns) long), reused.
func sitesGeoFields(file string, line int, msg json.RawMessage, scratch *[]jsonMember, buf []string) ([]string, *ParseError) {
	fail := func(col string, err error) ([]string, *ParseError) {
		return nil, &ParseError{File: file, Line: line, Column: col, Err: err}
	}
	if fields, ok, err := sitesGeoFastInto(msg, scratch, buf); ok {
		if ce, bad := err.(*columnError); bad {
			return fail(ce.column, ce.err)
		}
		return fields, nil
	}
	return sitesGeoSlow(file, line, msg)
}

// sitesGeoSlow is sitesGeoFields for a feature sitesGeoFast declines.
func sitesGeoSlow(file string, line int, msg json.RawMessage) ([]string, *ParseError) {
	fail := func(col string, err error) ([]string, *ParseError) {
		return nil, &ParseError{File: file, Line: line, Column: col, Err: err}
	}
	// One decoding for a well-formed feature (properties an object, a
	// Point or no geometry); the member-by-member path below names what
	// is wrong otherwise.
	var fast struct {
		Type     string `json:"type"`
		Geometry *struct {
			Type        string    `json:"type"`
			Coordinates []float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties JSONObject `json:"properties"`
	}
	var props JSONObject
	var geometry json.RawMessage
	point := false
	if err := json.Unmarshal(msg, &fast); err == nil && fast.Type == "Feature" && fast.Properties != nil &&
		(fast.Geometry == nil || fast.Geometry.Type == "Point" && len(fast.Geometry.Coordinates) >= 2 && len(fast.Geometry.Coordinates) <= 3) {
		props, point = fast.Properties, fast.Geometry != nil
	} else {
		var f struct {
			Type       string          `json:"type"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(msg, &f); err != nil || f.Type != "Feature" {
			return fail("", fmt.Errorf("%w : pas un objet GeoJSON Feature", ErrBadValue))
		}
		if err := json.Unmarshal(f.Properties, &props); err != nil || props == nil {
			return fail("properties", fmt.Errorf("%w : properties absent ou qui n'est pas un objet", ErrBadValue))
		}
		geometry = f.Geometry
	}
	fields := make([]string, len(sitesColumns))
	for i, names := range sitesColumnNames {
		for _, key := range names {
			if _, ok := props[key]; !ok {
				continue
			}
			v, err := props.Text(key)
			if err != nil {
				return fail(names[0], err)
			}
			fields[i] = v
			break
		}
	}
	if point {
		c := fast.Geometry.Coordinates
		fields[sitesLat], fields[sitesLon] = strconv.FormatFloat(c[1], 'g', -1, 64), strconv.FormatFloat(c[0], 'g', -1, 64)
	} else if g := bytes.TrimSpace(geometry); len(g) > 0 && string(g) != "null" {
		lat, lon, err := sitesGeoPoint(g)
		if err != nil {
			return fail("geometry", err)
		}
		fields[sitesLat], fields[sitesLon] = lat, lon
	}
	return fields, nil
}

// sitesGeoPoint returns the latitude and longitude of a Point geometry as
// texts that parse back to the same float64.
func sitesGeoPoint(raw json.RawMessage) (lat, lon string, err error) {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return "", "", fmt.Errorf("%w : geometry n'est pas un objet GeoJSON", ErrBadCoordinate)
	}
	if g.Type != "Point" {
		return "", "", fmt.Errorf("%w : geometry %.30q : un lieu doit être un Point", ErrBadCoordinate, g.Type)
	}
	var c []float64
	if err := json.Unmarshal(g.Coordinates, &c); err != nil || len(c) < 2 || len(c) > 3 {
		return "", "", fmt.Errorf("%w : coordonnées du Point %.40s : [longitude, latitude] attendu", ErrBadCoordinate, g.Coordinates)
	}
	format := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return format(c[1]), format(c[0]), nil
}
