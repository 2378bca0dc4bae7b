package source

import (
	"fmt"
	"io"
	"strings"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// SourceAidantsConnect is the short source name (Site.Source) of the
// Aidants Connect structures.
const SourceAidantsConnect = "aidants-connect"

// Columns of the Aidants Connect structures export.
const (
	colACName   = "Name"
	colACID     = "ID"
	colACActive = "Is Active"
	colACINSEE  = "City Insee Code"
	colACPostal = "Zip Code"
	colACSIRET  = "Siret"
	colACFS     = "France Services Label"
	colACAidant = "Nombre d'aidants"
)

// IsAidantsConnect tells from a file's header line whether it is an
// Aidants Connect structures export (columns City Insee Code and Nombre
// d'aidants).
func IsAidantsConnect(header string) bool {
	return strings.Contains(header, colACINSEE) && strings.Contains(header, colACAidant)
}

// LoadAidantsConnect reads the Aidants Connect export of the structures
// authorised to act for users (structures-20240222.csv: comma-separated,
// quoted fields may hold commas and line breaks). Each active structure
// becomes a Site of kind autre (KindOther) with ID "ac-<ID>", Source
// SourceAidantsConnect, INSEE from `City Insee Code`, Postcode, SIRET
// (written as a float, "13002603200016.0", in the export) and FTE 0:
// the FTE of the kind applies (diag.Params.FTEPerSite). The file has no
// coordinates: the site has none until PlaceAtCommunes gives it its
// commune's point. Skipped and counted in one Warning each: inactive
// structures (`Is Active` false) and those labelled France Services,
// which the France Services list already counts (ErrDuplicate). A row
// without an INSEE code cannot be placed and is rejected.
func LoadAidantsConnect(name string, r io.Reader) ([]data.Site, data.Checks, error) {
	t, idx, err := readTable("Aidants Connect", name, r, colACName, colACID, colACActive, colACINSEE, colACPostal, colACSIRET, colACFS)
	if err != nil {
		return nil, nil, err
	}
	var (
		out              []data.Site
		checks           data.Checks
		inactive, labels int
		seen             = map[string]int{}
	)
	for rec, rw := range wellFormed(t, name, &checks) {
		if strings.EqualFold(strings.TrimSpace(rec.Field(idx[2])), "false") {
			inactive++
			continue
		}
		if strings.EqualFold(strings.TrimSpace(rec.Field(idx[6])), "true") {
			labels++
			continue
		}
		id := strings.TrimSpace(rec.Field(idx[1]))
		if id == "" {
			checks.Reject(rw.err(colACID, fmt.Errorf("%w : ID vide", data.ErrBadValue)))
			continue
		}
		if perr := siteCheckDuplicate(seen, id, rw, colACID); perr != nil {
			checks.Reject(perr)
			continue
		}
		s := data.Site{ID: "ac-" + id, Kind: data.KindOther, Name: structureName(rec.Field(idx[0])),
			Source: SourceAidantsConnect, Line: rec.Line}
		s.INSEE = rw.insee(rec.Field(idx[3]), colACINSEE, &checks)
		if s.INSEE == "" {
			checks.Reject(rw.err(colACINSEE, fmt.Errorf("%w : la structure %s n'a ni code INSEE ni coordonnées : elle ne peut pas être placée", data.ErrBadCoordinate, s.ID)))
			continue
		}
		s.Postcode = rw.postcode(rec.Field(idx[4]), colACPostal, &checks)
		s.SIRET = rw.siret(strings.TrimSuffix(strings.TrimSpace(rec.Field(idx[5])), ".0"), colACSIRET, &checks)
		out = append(out, s)
	}
	if inactive > 0 {
		checks.Warn(&data.ParseError{File: name, Column: colACActive, Err: fmt.Errorf(
			"%w : %d structures inactives ignorées", data.ErrBadValue, inactive)})
	}
	if labels > 0 {
		checks.Warn(&data.ParseError{File: name, Column: colACFS, Err: fmt.Errorf(
			"%w : %d structures labellisées France Services ignorées : la liste des France Services les compte déjà", data.ErrDuplicate, labels)})
	}
	if len(out) == 0 {
		return nil, checks, noneKept("Aidants Connect", name, "aucune structure utilisable")
	}
	return out, checks, nil
}

// PlaceAtCommunes gives each site the point of its declared commune
// (Site.INSEE) as point returns it (the commune's representative point,
// its town hall), for files without coordinates, and says so in one
// Warning (CheckCommunePoint) counting them. A site whose commune has no
// point is rejected (ErrBadCoordinate). The sites kept are returned.
func PlaceAtCommunes(file string, sites []data.Site, point func(code string) (orb.Point, bool)) ([]data.Site, data.Checks) {
	var checks data.Checks
	kept := sites[:0:0]
	for _, s := range sites {
		p, ok := point(s.INSEE)
		if !ok {
			checks.Add(data.Check{Severity: data.Rejected, Site: s.ID, Err: &data.ParseError{File: file, Line: s.Line, Column: colACINSEE,
				Err: fmt.Errorf("%w : lieu %s : la commune %q n'a pas de point : le lieu ne peut pas être placé", data.ErrBadCoordinate, s.ID, s.INSEE)}})
			continue
		}
		s.Point = p
		kept = append(kept, s)
	}
	if len(kept) > 0 {
		checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckCommunePoint, Err: &data.ParseError{File: file, Err: fmt.Errorf(
			"%w : %d lieux sans coordonnées placés au point de leur commune (mairie)", data.ErrBadCoordinate, len(kept))}})
	}
	return kept, checks
}
