package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"diagnum/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Short source names of the sites and structures (Site.Source).
const (
	SourceFranceServices = "france-services" // ANCT, liste des structures France services, 2024-08-01
	SourceCNFS2021       = "cnfs-2021"       // ANCT, conseillers numériques, structures retenues, 2021
	SourceCNFS2022       = "cnfs-2022"       // ANCT, lieux d'activité des conseillers numériques, 2022
	SourceHinaura        = "hinaura"         // cartographie nationale, source Hinaura (AuRA), 2021–2022
	SourcePortrea        = "portrea"         // lieux de médiation numérique 59/62 (portrea, 2023)
)

// lieuFormat describes one "lieux de médiation numérique" file.
type lieuFormat struct {
	what   string // noun for errors, e.g. "CNFS places"
	prefix string // ID prefix, e.g. "cn22-"
	source string
	kind   data.SiteKind
}

var (
	cnfsPlacesFormat = lieuFormat{"CNFS places", "cn22-", SourceCNFS2022, data.KindCNFS}
	hinauraFormat    = lieuFormat{"Hinaura places", "hin-", SourceHinaura, data.KindMediation}
	portreaFormat    = lieuFormat{"portrea places", "portrea-", SourcePortrea, data.KindMediation}
)

// LoadCNFSPlaces reads a JSON array of places where conseillers numériques
// work, in the "lieux de médiation numérique" schema of the 2022
// cartographie nationale (lieux_cnfs_france_2022.json,
// lieux_cnfs_idf_2022.json). Each object becomes a Site of kind KindCNFS
// with ID "cn22-<id>", FTE 0 (AllocatePosts sets it), SIRET from `pivot`
// ("00000000000000" or absent gives ""), Postcode from `code_postal`, Date
// from `date_maj`, INSEE from `code_insee` when the file declares one
// (these files do not). latitude/longitude may be numbers or
// strings. In the Checks, Line is the 1-based number of the object in the
// array, not a line of the file; the message says "JSON object N".
// Use MergeSites to combine the national and the Île-de-France files.
func LoadCNFSPlaces(name string, r io.Reader) ([]data.Site, data.Checks, error) {
	return loadLieux(name, r, cnfsPlacesFormat)
}

// LoadHinaura reads the Hinaura JSON array of lieux de médiation numérique
// (lieux_hinaura_2021.json), with the same schema and conventions as
// LoadCNFSPlaces, as sites of kind KindMediation with ID "hin-<id>".
func LoadHinaura(name string, r io.Reader) ([]data.Site, data.Checks, error) {
	return loadLieux(name, r, hinauraFormat)
}

func loadLieux(name string, r io.Reader, f lieuFormat) ([]data.Site, data.Checks, error) {
	items, err := readJSONArray(name, r)
	if err != nil {
		return nil, nil, fmt.Errorf("chargement %s : %w", f.what, err)
	}
	var checks data.Checks
	sites := jsonItems(name, "objet JSON", items, &checks, func(raw json.RawMessage, row siteRow) (data.Site, string, bool, *data.ParseError) {
		obj, perr := decodeJSONObject(raw, row)
		if perr != nil {
			return data.Site{}, "", false, perr
		}
		st, perr := lieuSite(obj, nil, row, f, &checks)
		return st, st.ID, true, perr
	})
	return lieuxResult(name, f, sites, checks)
}

func lieuxResult(name string, f lieuFormat, sites []data.Site, checks data.Checks) ([]data.Site, data.Checks, error) {
	if len(sites) == 0 {
		return nil, checks, noneKept(f.what, name, "aucun lieu valide")
	}
	return sites, checks, nil
}

// lieuSite builds the site of one object. geom, when not nil, is the point
// of a GeoJSON feature and takes precedence over latitude/longitude.
func lieuSite(obj data.JSONObject, geom *orb.Point, row siteRow, f lieuFormat, checks *data.Checks) (data.Site, *data.ParseError) {
	id, err := obj.Text("id")
	if err != nil {
		return data.Site{}, row.err("id", err)
	}
	if id == "" {
		return data.Site{}, row.err("id", fmt.Errorf("%w : id vide", data.ErrBadValue))
	}
	pt, col, err := lieuPoint(obj, geom)
	if err != nil {
		return data.Site{}, row.err(col, err)
	}
	s := data.Site{ID: f.prefix + id, Kind: f.kind, Point: pt, Source: f.source, Line: row.line}
	lieuFields(obj, row, &s, checks)
	return s, nil
}

// lieuFields sets the name, postcode, INSEE code, SIRET and date of s
// from an object, each unreadable field with a Warning.
func lieuFields(obj data.JSONObject, row siteRow, s *data.Site, checks *data.Checks) {
	fields := []struct {
		key string
		set func(string)
	}{
		{"nom", func(v string) { s.Name = structureName(v) }},
		{"code_postal", func(v string) { s.Postcode = row.postcode(v, "code_postal", checks) }},
		{"code_insee", func(v string) { s.INSEE = row.insee(v, "code_insee", checks) }},
		{"pivot", func(v string) { s.SIRET = row.siret(v, "pivot", checks) }},
		{"date_maj", func(v string) { s.Date = row.date(v, "date_maj", checks) }},
	}
	for _, fl := range fields {
		v, err := obj.Text(fl.key)
		if err != nil {
			checks.Warn(row.err(fl.key, err))
			continue
		}
		fl.set(v)
	}
}

// lieuPoint returns the checked point of an object and, on error, the
// column at fault.
func lieuPoint(obj data.JSONObject, geom *orb.Point) (orb.Point, string, error) {
	if geom != nil {
		pt, err := sitePoint(geom[1], geom[0])
		return pt, "geometry", err
	}
	lat, ok, err := obj.Number("latitude")
	if err == nil && !ok {
		err = fmt.Errorf("%w : latitude absente", data.ErrBadCoordinate)
	}
	if err != nil {
		return orb.Point{}, "latitude", err
	}
	lon, ok, err := obj.Number("longitude")
	if err == nil && !ok {
		err = fmt.Errorf("%w : longitude absente", data.ErrBadCoordinate)
	}
	if err != nil {
		return orb.Point{}, "longitude", err
	}
	pt, err := sitePoint(lat, lon)
	return pt, "latitude", err
}

// portreaSkipped are the portrea sources that duplicate the national files
// (France Services list, conseillers numériques places).
var portreaSkipped = []string{"conseiller-numerique", "france-services"}

// LoadPortrea reads the portrea GeoJSON FeatureCollection of lieux de
// médiation numérique (locations.geojson, 59 and 62) as sites of kind
// KindMediation with ID "portrea-<id>", INSEE from `code_insee` when
// declared. The point is the feature's Point geometry, else the
// latitude/longitude properties. Features whose `source` is
// conseiller-numerique or france-services duplicate the national files:
// they are skipped and counted in one Warning (ErrDuplicate). In the
// Checks, Line is the 1-based number of the feature in `features`.
func LoadPortrea(name string, r io.Reader) ([]data.Site, data.Checks, error) {
	items, err := readFeatureArray(name, r)
	if err != nil {
		return nil, nil, fmt.Errorf("chargement %s : %w", portreaFormat.what, err)
	}
	var checks data.Checks
	skipped := map[string]int{}
	sites := jsonItems(name, "objet GeoJSON", items, &checks, func(raw json.RawMessage, row siteRow) (data.Site, string, bool, *data.ParseError) {
		st, skip, perr := portreaSite(raw, row, &checks)
		if perr == nil && skip != "" {
			skipped[skip]++
			return st, "", false, nil
		}
		return st, st.ID, true, perr
	})
	warnSkipped(name, portreaSkipped, skipped, &checks)
	return lieuxResult(name, portreaFormat, sites, checks)
}

// warnSkipped adds one Warning (ErrDuplicate, column source) counting the
// places skipped per source of sources (skipped[source]), when any was.
func warnSkipped(name string, sources []string, skipped map[string]int, checks *data.Checks) {
	n := 0
	parts := make([]string, len(sources))
	for i, src := range sources {
		n += skipped[src]
		parts[i] = fmt.Sprintf("%s : %d", src, skipped[src])
	}
	if n > 0 {
		checks.Warn(&data.ParseError{File: name, Column: "source", Err: fmt.Errorf(
			"%w : %d lieux ignorés comme doublons d'un fichier national (source %s)", data.ErrDuplicate, n, strings.Join(parts, ", "))})
	}
}

// portreaSite decodes one feature. skip is its source when the feature is
// a duplicate of a national file.
func portreaSite(raw json.RawMessage, row siteRow, checks *data.Checks) (data.Site, string, *data.ParseError) {
	feat, perr := decodeJSONObject(raw, row)
	if perr != nil {
		return data.Site{}, "", perr
	}
	props, perr := decodeJSONObject(feat["properties"], row)
	if perr != nil {
		perr.Column = "properties"
		return data.Site{}, "", perr
	}
	src, _ := props.Text("source")
	for _, s := range portreaSkipped {
		if src == s {
			return data.Site{}, src, nil
		}
	}
	var geom *orb.Point
	if g := bytes.TrimSpace(feat["geometry"]); len(g) > 0 && string(g) != "null" {
		gm, err := geojson.UnmarshalGeometry(g)
		if err != nil {
			return data.Site{}, "", row.err("geometry", fmt.Errorf("%w : %w", data.ErrBadCoordinate, data.JSONValueError(err)))
		}
		if p, ok := gm.Geometry().(orb.Point); ok {
			geom = &p
		}
	}
	s, perr := lieuSite(props, geom, row, portreaFormat, checks)
	return s, "", perr
}

// MergeSites returns base followed by the sites of extra whose ID is not in
// base, so that a place listed in both files is counted once. When an ID is
// in both, the record with the later Date is kept, in base's position (on
// equal dates base's record is kept). dup is the number of extra sites
// whose ID was already in base.
func MergeSites(base, extra []data.Site) (merged []data.Site, dup int) {
	merged = append([]data.Site(nil), base...)
	at := make(map[string]int, len(base))
	for i, s := range base {
		if _, ok := at[s.ID]; !ok {
			at[s.ID] = i
		}
	}
	for _, s := range extra {
		i, ok := at[s.ID]
		if !ok {
			at[s.ID] = len(merged)
			merged = append(merged, s)
			continue
		}
		dup++
		if s.Date > merged[i].Date {
			merged[i] = s
		}
	}
	return merged, dup
}

// decodeJSONObject decodes raw as an object, or says why it is not one.
func decodeJSONObject(raw json.RawMessage, row siteRow) (data.JSONObject, *data.ParseError) {
	var obj data.JSONObject
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, row.err("", fmt.Errorf("%w : pas un objet JSON", data.ErrBadValue))
	}
	return obj, nil
}

// jsonItems builds a value from each item of a JSON file, item i being
// "<what> i+1" in the checks (what is "JSON object" or "GeoJSON
// feature"). build returns the value, its id and keep; an item whose
// build fails, or whose id repeats an earlier item's, is rejected with
// its check; one that build does not keep (and does not fail) is skipped.
func jsonItems[T any](name, what string, items []json.RawMessage, checks *data.Checks,
	build func(raw json.RawMessage, row siteRow) (v T, id string, keep bool, perr *data.ParseError)) []T {
	var out []T
	seen := map[string]int{}
	for i, raw := range items {
		row := siteRow{file: name, line: i + 1, what: what}
		v, id, keep, perr := build(raw, row)
		if perr == nil && !keep {
			continue
		}
		if perr == nil {
			perr = siteCheckDuplicate(seen, id, row, "id")
		}
		if perr != nil {
			checks.Reject(perr)
			continue
		}
		out = append(out, v)
	}
	return out
}

// readJSONArray reads a file holding one JSON array and returns its items.
func readJSONArray(name string, r io.Reader) ([]json.RawMessage, error) {
	return readItems(data.ReadJSONArray, name, r)
}

// readFeatureArray reads a GeoJSON FeatureCollection and returns its
// features, still encoded, so that one bad feature rejects only itself.
func readFeatureArray(name string, r io.Reader) ([]json.RawMessage, error) {
	items, err := readItems(data.ReadFeatures, name, r)
	if err == nil && len(items) == 0 {
		err = &data.ParseError{File: name, Err: fmt.Errorf("%w : aucun objet (feature)", data.ErrEmptyFile)}
	}
	return items, err
}

// readItems collects the items read gives, still encoded.
func readItems(read func(string, io.Reader, func(i, line int, msg json.RawMessage) error) error,
	name string, r io.Reader) ([]json.RawMessage, error) {
	var items []json.RawMessage
	err := read(name, r, func(_, _ int, msg json.RawMessage) error {
		items = append(items, msg)
		return nil
	})
	return items, err
}
