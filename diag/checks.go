package diag

import (
	"fmt"

	"diagnum/data"
)

// The checks the diagnostic adds to Result.Checks, each with its kind
// (data.CheckKind) and the site or commune it concerns; the report groups
// and explains them by kind. The messages stay in English, as the
// loaders' are.

// File names used in the checks about sites and communes.
const (
	siteFile    = "sites"
	communeFile = "communes"
)

// checkNoLocation: commune code has neither point nor polygon.
func checkNoLocation(code string) data.Check {
	return data.Check{Severity: data.Warning, Kind: data.CheckNoLocation, Commune: code,
		Err: &data.ParseError{File: communeFile, Column: "code_insee", Err: fmt.Errorf(
			"%w: commune %s has neither point nor polygon: no travel time, not covered, access 0",
			data.ErrBadCoordinate, code)}}
}

// checkCOM: the n communes of the overseas collectivities (pop
// inhabitants) are not computed.
func checkCOM(n, pop int) data.Check {
	return data.Check{Severity: data.Warning, Kind: data.CheckNoLocation,
		Err: &data.ParseError{File: communeFile, Column: "code_insee", Err: fmt.Errorf(
			"%w: %d communes of the overseas collectivities (COM, %d inhabitants) have neither point nor polygon: not computed, out of every ranking and national rate, shown apart",
			data.ErrBadCoordinate, n, pop)}}
}

// checkDisagree: site s declares a code whose commune actuelle (declared,
// "" if none) is not found, the commune its point lies in.
func checkDisagree(s *data.Site, declared, found string) data.Check {
	return siteCheck(data.Warning, data.CheckPlacement, s, fmt.Errorf(
		"%w: site %s declares INSEE code %s (%s) but lies in commune %s",
		data.ErrBadValue, s.ID, s.INSEE, orNone(declared), found))
}

// checkNearest: site s declares a code that names no commune and lies in
// no polygon; it goes to found, the commune of the nearest point.
func checkNearest(s *data.Site, found string) data.Check {
	return siteCheck(data.Warning, data.CheckPlacement, s, fmt.Errorf(
		"%w: site %s declares INSEE code %s, which names no commune; assigned to the nearest commune %s",
		data.ErrUnknownINSEE, s.ID, s.INSEE, found))
}

// checkOffshore: site s lies in no commune polygon, km from that of found.
func checkOffshore(s *data.Site, found string, km float64) data.Check {
	return siteCheck(data.Warning, data.CheckPlacement, s, fmt.Errorf(
		"%w: site %s lies in no commune polygon (coast or border sliver): placed in the nearest commune %s, %.2f km away",
		data.ErrBadCoordinate, s.ID, found, km))
}

// checkOutside: site s lies more than OffshoreKm from every commune
// polygon, outside France (rejected).
func checkOutside(s *data.Site) data.Check {
	return siteCheck(data.Rejected, data.CheckCoordinate, s, fmt.Errorf(
		"%w: site %s (%.5f, %.5f) lies in no French commune and more than %g km from any: outside France, not counted",
		data.ErrOutsideFrance, s.ID, s.Point[1], s.Point[0], OffshoreKm))
}

// checkUnplaced: site s cannot be placed in any commune (rejected).
func checkUnplaced(s *data.Site) data.Check {
	return siteCheck(data.Rejected, data.CheckPlacement, s, fmt.Errorf(
		"%w: site %s (declared code %q) cannot be placed in any commune",
		data.ErrUnknownINSEE, s.ID, s.INSEE))
}

// checkUnusable: site s has a point or FTE that cannot be counted.
func checkUnusable(s *data.Site) data.Check {
	return siteCheck(data.Warning, data.CheckUnusableSite, s, fmt.Errorf(
		"%w: site %s has an unusable point or FTE (%v): not counted", data.ErrBadValue, s.ID, s.FTE))
}

// checkNoReach: counted site s reaches no population within d0 minutes.
func checkNoReach(s *data.Site, d0 float64) data.Check {
	return siteCheck(data.Warning, data.CheckNoReach, s, fmt.Errorf(
		"%w: site %s reaches no population within %g minutes: R_j = 0", data.ErrBadValue, s.ID, d0))
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
		return "no current commune"
	}
	return "current code " + code
}
