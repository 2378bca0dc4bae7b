package source

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// LoadCNFSStructures reads the ANCT JSON array of structures hosting
// conseillers numériques France Services (cnfs.json, 2021 wave). Each
// object becomes a Structure with ID "cn21-<id>", Name from
// raison_sociale ("0" means unknown and gives ""), SIRET ("null" gives
// ""), Public from type ("publique"), Posts from nb_cnfs, INSEE from
// insee_com, Postcode from code_postal_bis (else the numeric code_postal
// with its leading zero restored), Date from
// date_de_validation_en_comité_de_sélection, and Point from
// latitude/longitude.
//
// A structure without usable coordinates is kept with HasPoint false and
// a Warning: AllocatePosts can still place its posts by SIRET. An object
// without id, with a duplicate id, or whose nb_cnfs is not a positive
// number is rejected. In the Checks, Line is the 1-based number of the
// object in the array, not a line of the file; the message says
// "JSON object N".
func LoadCNFSStructures(name string, r io.Reader) ([]Structure, data.Checks, error) {
	items, err := readJSONArray(name, r)
	if err != nil {
		return nil, nil, fmt.Errorf("chargement des structures conseiller numérique : %w", err)
	}
	var checks data.Checks
	out := jsonItems(name, "objet JSON", items, &checks, func(raw json.RawMessage, row siteRow) (Structure, string, bool, *data.ParseError) {
		obj, perr := decodeJSONObject(raw, row)
		if perr != nil {
			return Structure{}, "", false, perr
		}
		st, perr := cnfsStructure(obj, row, &checks)
		return st, st.ID, true, perr
	})
	if len(out) == 0 {
		return nil, checks, noneKept("des structures conseiller numérique", name, "aucune structure valide")
	}
	checks = append(checks, DefaultGeocodes(name, out)...)
	return out, checks, nil
}

// DefaultGeocodes finds the default geocodes among structures: a point
// shared exactly by structures that declare different communes (their
// INSEE code, else their postcode; none declared counts as a commune of
// its own) is where a geocoder put addresses it could not find, not an
// address. Such structures lose their point (HasPoint false: their posts
// are then placed by SIRET, or at their declared commune, or refused)
// and each gets a Warning of kind data.CheckDefaultGeocode naming the
// point and how many structures of how many communes share it. In the
// 2021 file, 7 structures without address (9 posts, from 01, 02, 51, 59,
// 65 and 972) share one point in Ardèche.
func DefaultGeocodes(file string, structures []Structure) data.Checks {
	at := map[orb.Point][]int{}
	for i, s := range structures {
		if s.HasPoint {
			at[s.Point] = append(at[s.Point], i)
		}
	}
	var (
		checks  data.Checks
		flagged []int
	)
	for i := range structures {
		s := &structures[i]
		group := at[s.Point]
		if !s.HasPoint || len(group) < 2 {
			continue
		}
		communes := map[string]bool{}
		for _, j := range group {
			communes[declaredCommune(structures[j])] = true
		}
		if len(communes) < 2 {
			continue
		}
		checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckDefaultGeocode, Site: s.ID, Commune: s.INSEE,
			Err: &data.ParseError{File: file, Line: s.Line, Column: "latitude", Err: fmt.Errorf(
				"%w : structure %s (%s) : le point (%.5f, %.5f) est partagé par %d structures de %d communes différentes, un géocodage par défaut : point non utilisé",
				data.ErrBadCoordinate, s.ID, s.Name, s.Point[1], s.Point[0], len(group), len(communes))}})
		flagged = append(flagged, i)
	}
	for _, i := range flagged {
		structures[i].HasPoint = false
	}
	return checks
}

// declaredCommune is the commune a structure declares: its INSEE code,
// else its postcode, else its id (nothing declared).
func declaredCommune(s Structure) string {
	switch {
	case s.INSEE != "":
		return s.INSEE
	case s.Postcode != "":
		return "cp" + s.Postcode
	}
	return "id" + s.ID
}

// cnfsStructure builds the structure of one object, or says why it is rejected.
func cnfsStructure(obj data.JSONObject, row siteRow, checks *data.Checks) (Structure, *data.ParseError) {
	id, err := obj.Text("id")
	if err == nil && id == "" {
		err = fmt.Errorf("%w : id vide", data.ErrBadValue)
	}
	if err != nil {
		return Structure{}, row.err("id", err)
	}
	posts, ok, err := obj.Number("nb_cnfs")
	if err == nil && (!ok || !(posts > 0) || math.IsInf(posts, 0)) {
		err = fmt.Errorf("%w : nb_cnfs doit être un nombre de postes positif", data.ErrBadValue)
	}
	if err != nil {
		return Structure{}, row.err("nb_cnfs", err)
	}
	s := Structure{ID: "cn21-" + id, Posts: posts, Line: row.line}
	s.Name = structureName(cnfsText(obj, "raison_sociale", row, checks))
	if s.Name == "0" {
		s.Name = ""
	}
	s.SIRET = row.siret(cnfsText(obj, "siret", row, checks), "siret", checks)
	s.Public = cnfsPublic(cnfsText(obj, "type", row, checks), row, checks)
	s.INSEE = row.insee(cnfsText(obj, "insee_com", row, checks), "insee_com", checks)
	s.Postcode = cnfsPostcode(obj, row, checks)
	s.Date = row.date(cnfsText(obj, "date_de_validation_en_comité_de_sélection", row, checks),
		"date_de_validation_en_comité_de_sélection", checks)
	pt, col, err := lieuPoint(obj, nil)
	if err != nil {
		checks.Warn(row.err(col, fmt.Errorf("%w (structure gardée sans point : ses postes ne sont placés que par SIRET)", err)))
	} else {
		s.Point, s.HasPoint = pt, true
	}
	return s, nil
}

// cnfsText returns field key as text, or "" with a Warning.
func cnfsText(obj data.JSONObject, key string, row siteRow, checks *data.Checks) string {
	v, err := obj.Text(key)
	if err != nil {
		checks.Warn(row.err(key, err))
	}
	return v
}

// cnfsPublic reads the type field: "publique" or "privée" (absent: private).
func cnfsPublic(v string, row siteRow, checks *data.Checks) bool {
	switch strings.ToLower(v) {
	case "publique":
		return true
	case "privée", "privee", "":
		return false
	}
	checks.Warn(row.err("type", fmt.Errorf("%w : le type %q n'est ni publique ni privée (lu comme privée)", data.ErrBadValue, v)))
	return false
}

// cnfsPostcode returns code_postal_bis, else code_postal (a number that
// lost its leading zero: 1100 for 01100).
func cnfsPostcode(obj data.JSONObject, row siteRow, checks *data.Checks) string {
	if v := cnfsText(obj, "code_postal_bis", row, checks); v != "" {
		return row.postcode(v, "code_postal_bis", checks)
	}
	return row.postcode(cnfsText(obj, "code_postal", row, checks), "code_postal", checks)
}

// Structure is a host structure with advisor posts (nb_cnfs), before its
// posts are split across the places where its advisors work.
type Structure struct {
	ID       string
	Name     string
	SIRET    string
	Public   bool
	Posts    float64
	Point    orb.Point
	HasPoint bool
	INSEE    string
	Date     string
	Postcode string // declared postcode, "" if none
	// Line is where the structure stands in its file (for the checks);
	// several rows of one SIRET keep the first.
	Line int
}
