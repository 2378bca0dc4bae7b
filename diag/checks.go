package diag

import (
	"fmt"

	"diagnum/data"
)

// The checks the diagnostic adds to Result.Checks, each with its kind
// (data.CheckKind) and the site or commune it concerns; the report groups
// and explains them by kind. The messages are in French: they reach the
// console and the Contrôles sheet.

// File names used in the checks about sites and communes.
const (
	siteFile    = "sites"
	communeFile = "communes"
)

// checkNoLocation: commune code has neither point nor polygon.
func checkNoLocation(code string) data.Check {
	return data.Check{Severity: data.Warning, Kind: data.CheckNoLocation, Commune: code,
		Err: &data.ParseError{File: communeFile, Column: "code_insee", Err: fmt.Errorf(
			"%w : la commune %s n'a ni point ni contour : pas de temps de trajet, non couverte, accès 0",
			data.ErrBadCoordinate, code)}}
}

// checkCOM: the n communes of the overseas collectivities (pop
// inhabitants) are not computed.
func checkCOM(n, pop int) data.Check {
	return data.Check{Severity: data.Warning, Kind: data.CheckNoLocation,
		Err: &data.ParseError{File: communeFile, Column: "code_insee", Err: fmt.Errorf(
			"%w : %d communes des collectivités d'outre-mer (COM, %d habitants) n'ont ni point ni contour : non calculées, hors de tout classement et de tout taux national, montrées à part",
			data.ErrBadCoordinate, n, pop)}}
}

// checkDisagree: site s declares a code whose commune actuelle (declared,
// "" if none) is not found, the commune its point lies in.
func checkDisagree(s *data.Site, declared, found string) data.Check {
	return siteCheck(data.Warning, data.CheckPlacement, s, fmt.Errorf(
		"%w : le lieu %s déclare le code INSEE %s (%s) mais se trouve dans la commune %s",
		data.ErrBadValue, s.ID, s.INSEE, orNone(declared), found))
}

// checkNearest: site s declares a code that names no commune and lies in
// no polygon; it goes to found, the commune of the nearest point.
func checkNearest(s *data.Site, found string) data.Check {
	return siteCheck(data.Warning, data.CheckPlacement, s, fmt.Errorf(
		"%w : le lieu %s déclare le code INSEE %s, qui ne désigne aucune commune ; rattaché à la commune la plus proche, %s",
		data.ErrUnknownINSEE, s.ID, s.INSEE, found))
}

// checkOffshore: site s lies in no commune polygon, km from that of found.
func checkOffshore(s *data.Site, found string, km float64) data.Check {
	return siteCheck(data.Warning, data.CheckPlacement, s, fmt.Errorf(
		"%w : le lieu %s n'est dans aucun contour communal (côte ou interstice de frontière) : placé dans la commune la plus proche, %s, à %.2f km",
		data.ErrBadCoordinate, s.ID, found, km))
}

// checkOutside: site s lies more than OffshoreKm from every commune
// polygon, outside France (rejected).
func checkOutside(s *data.Site) data.Check {
	return siteCheck(data.Rejected, data.CheckCoordinate, s, fmt.Errorf(
		"%w : le lieu %s (%.5f, %.5f) n'est dans aucune commune française et à plus de %g km de toutes : hors de France, non compté",
		data.ErrOutsideFrance, s.ID, s.Point[1], s.Point[0], OffshoreKm))
}

// checkUnplaced: site s cannot be placed in any commune (rejected).
func checkUnplaced(s *data.Site) data.Check {
	return siteCheck(data.Rejected, data.CheckPlacement, s, fmt.Errorf(
		"%w : le lieu %s (code déclaré %q) ne peut être placé dans aucune commune",
		data.ErrUnknownINSEE, s.ID, s.INSEE))
}

// checkUnusable: site s has a point or FTE that cannot be counted.
func checkUnusable(s *data.Site) data.Check {
	return siteCheck(data.Warning, data.CheckUnusableSite, s, fmt.Errorf(
		"%w : le lieu %s a un point ou un ETP inutilisable (%v) : non compté", data.ErrBadValue, s.ID, s.FTE))
}

// checkNoReach: counted site s reaches no population within d0 minutes.
func checkNoReach(s *data.Site, d0 float64) data.Check {
	return siteCheck(data.Warning, data.CheckNoReach, s, fmt.Errorf(
		"%w : le lieu %s n'atteint aucune population en %g minutes : R_j = 0", data.ErrBadValue, s.ID, d0))
}

// siteCheck is the check of severity sev and kind about site s, in the
// file "sites (<source>)".
func siteCheck(sev data.Severity, kind data.CheckKind, s *data.Site, err error) data.Check {
	file := siteFile
	if s.Source != "" {
		file = siteFile + " (" + s.Source + ")"
	}
	return data.Check{Severity: sev, Kind: kind, Site: s.ID,
		Err: &data.ParseError{File: file, Column: "code_insee", Err: err}}
}

func orNone(code string) string {
	if code == "" {
		return "aucune commune actuelle"
	}
	return "code actuel " + code
}
