package source

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// SourceCNFSLieux is the Site.Source of the places where conseillers
// numériques work (ANCT, lieux d'activité, 12/2022).
const SourceCNFSLieux = "cnfs-lieux-2022-12"

// LoadAdvisorPlaces reads the places where conseillers numériques work
// (cnfs-lieux-2022-12 lieux.csv: id, structureId, nom, pivot, adresse,
// code_postal, commune, latitude, longitude, labels_nationaux, …, date_maj).
// Each row becomes an AdvisorPlace whose Site has kind KindCNFS, ID
// "cn22-<id>", FTE 0 (data.AllocateAdvisors sets it), SIRET from `pivot`
// (all zeros gives ""), Postcode, Date from `date_maj` and Source
// SourceCNFSLieux, and whose Employer is `structureId`. A row without id,
// with a duplicate id or with unusable coordinates is rejected (its
// advisors' shares there are then not counted, see AllocateAdvisors).
func LoadAdvisorPlaces(name string, r io.Reader) ([]AdvisorPlace, data.Checks, error) {
	return LoadAdvisorPlacesAt(name, r, nil)
}

// LoadAdvisorPlacesAt is LoadAdvisorPlaces, except that a place with
// neither latitude nor longitude whose commune locate finds (the file has
// no INSEE code: its code_postal and commune) is kept at that commune's
// chef-lieu, its INSEE set to the commune, with the Warning of
// LoadStandardLieuxAt (data.CheckCommunePoint, « placé au chef-lieu de sa
// commune, pas de coordonnées »); its advisors' shares then count there.
// A place locate cannot find is rejected, naming its postcode and city.
// A nil locate places none.
func LoadAdvisorPlacesAt(name string, r io.Reader, locate CommuneLocator) ([]AdvisorPlace, data.Checks, error) {
	t, idx, err := readTable("des lieux des conseillers", name, r, "id", "structureId", "nom", "pivot", "code_postal", "latitude", "longitude", "date_maj")
	if err != nil {
		return nil, nil, err
	}
	var (
		out    []AdvisorPlace
		checks data.Checks
		seen   = map[string]bool{}
		city   = t.Index("commune")
	)
	for rec, rw := range wellFormed(t, name, &checks) {
		var rowChecks data.Checks
		p, perr := advisorPlace(rec, idx, city, rw, locate, &rowChecks)
		if perr == nil && seen[p.Site.ID] {
			perr = rw.err("id", fmt.Errorf("%w : id %s déjà vu", data.ErrDuplicate, rec.Field(idx[0])))
		}
		if perr != nil {
			checks.Reject(perr)
			continue
		}
		checks = append(checks, rowChecks...)
		seen[p.Site.ID] = true
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, checks, noneKept("des lieux des conseillers", name, "aucun lieu valide")
	}
	return out, checks, nil
}

// advisorPlace reads one row of lieux.csv (LoadAdvisorPlacesAt); its
// field checks and placement Warning go to checks only when it is kept.
func advisorPlace(rec data.Record, idx []int, city int, rw siteRow, locate CommuneLocator, checks *data.Checks) (AdvisorPlace, *data.ParseError) {
	id := strings.TrimSpace(rec.Field(idx[0]))
	if id == "" {
		return AdvisorPlace{}, rw.err("id", fmt.Errorf("%w : id vide", data.ErrBadValue))
	}
	var fields data.Checks
	s := data.Site{
		ID: "cn22-" + id, Name: rec.Field(idx[2]), Kind: data.KindCNFS,
		SIRET:    rw.siret(rec.Field(idx[3]), "pivot", &fields),
		Postcode: rw.postcode(rec.Field(idx[4]), "code_postal", &fields),
		Date:     isoDate(rec.Field(idx[7])),
		Source:   SourceCNFSLieux, Line: rw.line,
	}
	pt, perr := placePoint(rec.Field(idx[5]), rec.Field(idx[6]), rw)
	switch {
	case perr == nil:
		s.Point = pt
	case locate == nil || !noPlaceCoordinates(rec, idx):
		return AdvisorPlace{}, perr
	default:
		name := strings.TrimSpace(rec.Field(city))
		code, pt, ok := locate("", s.Postcode, name)
		if !ok {
			return AdvisorPlace{}, communeNotFound(rw, "", s.Postcode, name)
		}
		s.Point, s.INSEE = pt, code
		fields.Add(atChefLieu(rw, s))
	}
	*checks = append(*checks, fields...)
	return AdvisorPlace{Site: s, Employer: strings.TrimSpace(rec.Field(idx[1]))}, nil
}

// noPlaceCoordinates tells whether a row of lieux.csv gives neither
// latitude nor longitude.
func noPlaceCoordinates(rec data.Record, idx []int) bool {
	return strings.TrimSpace(rec.Field(idx[5])) == "" && strings.TrimSpace(rec.Field(idx[6])) == ""
}

// placePoint reads a place's latitude and longitude (sitePoint's checks).
func placePoint(lat, lon string, rw siteRow) (orb.Point, *data.ParseError) {
	if strings.TrimSpace(lat) == "" || strings.TrimSpace(lon) == "" {
		return orb.Point{}, rw.err("latitude", fmt.Errorf("%w : pas de coordonnées", data.ErrBadCoordinate))
	}
	la, err := data.ParseFloatFR(lat)
	if err != nil {
		return orb.Point{}, rw.err("latitude", err)
	}
	lo, err := data.ParseFloatFR(lon)
	if err != nil {
		return orb.Point{}, rw.err("longitude", err)
	}
	pt, err := sitePoint(la, lo)
	if err != nil {
		return orb.Point{}, rw.err("latitude", err)
	}
	return pt, nil
}

// isoDate keeps a YYYY-MM-DD date, else "".
func isoDate(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 10 && v[4] == '-' && v[7] == '-' {
		if _, err := strconv.Atoi(v[:4]); err == nil {
			return v[:10]
		}
	}
	return ""
}

// LoadAdvisorLinks reads the anonymised place ↔ advisor links
// (cnfs-lieux-2022-12 conseillers_lieux.csv: lieu_id, structureId,
// conseiller): one row per place an advisor declared. Place is the
// place's Site ID ("cn22-<lieu_id>"). A row with an empty field, or
// repeating a (place, advisor) pair, is rejected.
func LoadAdvisorLinks(name string, r io.Reader) ([]AdvisorLink, data.Checks, error) {
	t, idx, err := readTable("des liens lieu–conseiller", name, r, "lieu_id", "structureId", "conseiller")
	if err != nil {
		return nil, nil, err
	}
	var (
		out    []AdvisorLink
		checks data.Checks
		seen   = map[[2]string]bool{}
	)
	for rec, rw := range wellFormed(t, name, &checks) {
		l := AdvisorLink{Place: "cn22-" + rec.Field(idx[0]), Employer: rec.Field(idx[1]), Advisor: rec.Field(idx[2])}
		var perr *data.ParseError
		switch {
		case rec.Field(idx[0]) == "" || l.Employer == "" || l.Advisor == "":
			perr = rw.err("", fmt.Errorf("%w : lieu_id, structureId et conseiller sont tous requis", data.ErrBadValue))
		case seen[[2]string{l.Place, l.Advisor}]:
			perr = rw.err("conseiller", fmt.Errorf("%w : le conseiller %s est déjà lié au lieu %s", data.ErrDuplicate, l.Advisor, rec.Field(idx[0])))
		}
		if perr != nil {
			checks.Reject(perr)
			continue
		}
		seen[[2]string{l.Place, l.Advisor}] = true
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, checks, noneKept("des liens lieu–conseiller", name, "aucun lien valide")
	}
	return out, checks, nil
}
