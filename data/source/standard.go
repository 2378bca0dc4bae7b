package source

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// SourceStandard is the short source name (Site.Source) of the sites read
// from a file of the "standard des lieux de médiation numérique".
const SourceStandard = "standard-lieux"

var standardFormat = lieuFormat{"lieux (standard des lieux de médiation numérique)", "std-", SourceStandard, data.KindMediation}

// Sources of a data·inclusion / cartographie nationale export that
// duplicate files the embedded data already read: the places of the
// conseillers numériques (cnfs-lieux-2022-12) and Hinaura's lieux
// (cartographie-nationale-hinaura). make data skips them
// (LoadStandardLieux's skip).
var StandardDuplicateSources = []string{"conseiller-numerique", "Hinaura"}

// LoadStandardLieux reads a JSON array of lieux in the "standard des lieux
// de médiation numérique" (schema v0 of the cartographie nationale's
// national export; data·inclusion's lieux-20230206.json): id, nom,
// pivot, code_insee, code_postal, latitude, longitude, labels_nationaux,
// source, date_maj… Each object becomes a Site with ID "std-<source>-<id>" (standardID),
// Source SourceStandard, FTE 0 (the FTE of its kind applies,
// diag.Params.FTEPerSite), SIRET from `pivot`, INSEE from `code_insee`,
// and a kind from `labels_nationaux` (';'-separated): cnfs when it holds
// "CNFS", else france-services when it holds "France Services", else
// mediation. Objects whose `source` is in skip (case-insensitive) are
// skipped and counted in one Warning (ErrDuplicate). An object without
// coordinates is rejected (ErrBadCoordinate), as in the other lieux
// files. In the Checks, Line is the 1-based number of the object in the
// array; contact fields (courriel, telephone) are never read.
func LoadStandardLieux(name string, r io.Reader, skip []string) ([]data.Site, data.Checks, error) {
	return LoadStandardLieuxAt(name, r, skip, nil)
}

// CommuneLocator finds the commune of a lieu that gives no coordinates,
// from its declared INSEE code, else from its postcode and city name; it
// returns the commune's code (COG 2025) and its representative point
// (the chef-lieu, its town hall), or ok false.
type CommuneLocator func(insee, postcode, city string) (code string, pt orb.Point, ok bool)

// LoadStandardLieuxAt is LoadStandardLieux, except that a lieu with
// neither latitude nor longitude whose commune locate finds (code_insee,
// else code_postal and commune) is kept at that commune's representative
// point, its INSEE set to the commune, with a Warning of kind
// data.CheckCommunePoint naming it (« placé au chef-lieu de sa commune,
// pas de coordonnées »): its travel times are those of the town hall, off
// by the distance from it. A lieu locate cannot place is rejected as
// before. A nil locate places none.
func LoadStandardLieuxAt(name string, r io.Reader, skip []string, locate CommuneLocator) ([]data.Site, data.Checks, error) {
	items, err := readJSONArray(name, r)
	if err != nil {
		return nil, nil, fmt.Errorf("chargement %s : %w", standardFormat.what, err)
	}
	var checks, placed data.Checks
	skipped := map[string]int{}
	located := locatedIDs(items)
	sites := jsonItems(name, "objet JSON", items, &checks, func(raw json.RawMessage, row siteRow) (data.Site, string, bool, *data.ParseError) {
		obj, perr := decodeJSONObject(raw, row)
		if perr != nil {
			return data.Site{}, "", false, perr
		}
		src, _ := obj.Text("source")
		for _, s := range skip {
			if strings.EqualFold(src, s) {
				skipped[s]++
				return data.Site{}, "", false, nil
			}
		}
		st, perr := lieuSite(obj, nil, row, standardFormat, &checks)
		if perr != nil && locate != nil && noCoordinates(obj) && !located[standardID(obj)] {
			st, perr = lieuAtCommune(obj, row, locate, &placed)
		}
		if perr == nil {
			st.ID = standardID(obj)
		}
		labels, _ := obj.Text("labels_nationaux")
		st.Kind = standardKind(labels)
		return st, st.ID, true, perr
	})
	warnSkipped(name, skip, skipped, &checks)
	// The placement Warnings of the lieux kept (not of those rejected
	// afterwards as a repeated id).
	kept := make(map[int]bool, len(sites))
	for _, s := range sites {
		kept[s.Line] = true
	}
	for _, c := range placed {
		if kept[c.Err.Line] {
			checks = append(checks, c)
		}
	}
	return lieuxResult(name, standardFormat, sites, checks)
}

// standardKind returns the kind of a lieu from its national labels.
func standardKind(labels string) data.SiteKind {
	kind := data.KindMediation
	for _, l := range strings.Split(labels, ";") {
		switch strings.ToLower(strings.TrimSpace(l)) {
		case "cnfs", "conseiller numérique", "conseillers numériques":
			return data.KindCNFS
		case "france services", "france service":
			kind = data.KindFranceServices
		}
	}
	return kind
}

// locatedIDs returns the ids of the objects that give coordinates: a
// lieu repeated under its id, once without coordinates and once with, is
// not placed at its commune: the copy with coordinates is kept.
func locatedIDs(items []json.RawMessage) map[string]bool {
	ids := map[string]bool{}
	for _, raw := range items {
		var obj data.JSONObject
		if json.Unmarshal(raw, &obj) != nil || obj == nil || noCoordinates(obj) {
			continue
		}
		ids[standardID(obj)] = true
	}
	return ids
}

// standardID is the site ID of a lieu: "std-<source>-<id>", the source
// folded to lower case, letters and digits ("std-dora-0a1b…",
// "std-cd72-100"), or "std-<id>" without source. The ids of an export are
// unique within a source only: in data·inclusion's file, 38 ids repeat
// across sources (siao's "100" is not cd72's).
func standardID(obj data.JSONObject) string {
	id, _ := obj.Text("id")
	src, _ := obj.Text("source")
	if src = strings.Join(strings.FieldsFunc(strings.ToLower(src), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}), "-"); src != "" {
		return standardFormat.prefix + src + "-" + id
	}
	return standardFormat.prefix + id
}

// noCoordinates tells whether an object gives neither latitude nor
// longitude (absent, null or empty).
func noCoordinates(obj data.JSONObject) bool {
	_, okLat, errLat := obj.Number("latitude")
	_, okLon, errLon := obj.Number("longitude")
	return !okLat && !okLon && errLat == nil && errLon == nil
}

// lieuAtCommune builds the site of a lieu without coordinates at the
// representative point of the commune locate finds for it, with its
// Warning; or the rejection of a lieu it cannot place.
func lieuAtCommune(obj data.JSONObject, row siteRow, locate CommuneLocator, checks *data.Checks) (data.Site, *data.ParseError) {
	id, err := obj.Text("id")
	if err != nil || id == "" {
		return lieuSite(obj, nil, row, standardFormat, checks) // its rejection
	}
	s := data.Site{ID: standardID(obj), Kind: standardFormat.kind, Source: standardFormat.source, Line: row.line}
	var fields data.Checks
	lieuFields(obj, row, &s, &fields)
	city, _ := obj.Text("commune")
	code, pt, ok := locate(s.INSEE, s.Postcode, city)
	if !ok {
		return data.Site{}, communeNotFound(row, s.INSEE, s.Postcode, city)
	}
	*checks = append(*checks, fields...)
	s.Point, s.INSEE = pt, code
	checks.Add(atChefLieu(row, s))
	return s, nil
}

// atChefLieu is the Warning of a site without coordinates placed at the
// chef-lieu of its commune s.INSEE (a CommuneLocator's answer).
func atChefLieu(row siteRow, s data.Site) data.Check {
	return data.Check{Severity: data.Warning, Kind: data.CheckCommunePoint, Site: s.ID, Commune: s.INSEE, Err: row.err("latitude", fmt.Errorf(
		"%w : lieu %s (%s) placé au chef-lieu de sa commune %s, pas de coordonnées", data.ErrBadCoordinate, s.ID, s.Name, s.INSEE))}
}

// communeNotFound is the rejection of a site without coordinates whose
// commune a CommuneLocator could not find.
func communeNotFound(row siteRow, insee, postcode, city string) *data.ParseError {
	return row.err("latitude", fmt.Errorf(
		"%w : pas de coordonnées, et la commune du lieu (code INSEE %q, code postal %q, commune %q) n'a pas pu être retrouvée : lieu non placé",
		data.ErrBadCoordinate, insee, postcode, city))
}
