package data

import (
	"errors"
	"fmt"
)

// Severity tells whether a check is a rejected row or a warning.
type Severity uint8

const (
	// Rejected: the row was not used.
	Rejected Severity = iota + 1
	// Warning: the row was used, but something looks wrong.
	Warning
)

// CheckKind is what a check is about. The report groups the checks and
// explains them in French by their kind (with their Severity: a rejected
// row is shown as such whatever its kind), never by their message text.
// Loaders get it from the sentinel error a check wraps (kindOf); the
// diagnostic sets its own kinds.
type CheckKind uint8

// The kinds of checks. The zero value is CheckOther.
const (
	// CheckOther: none of the kinds below (a bad value or number, a
	// missing or repeated column, …).
	CheckOther CheckKind = iota
	// CheckNoReach: a counted site reaches no populated commune within
	// the catchment, so it adds nothing to E2SFCA access (diag).
	CheckNoReach
	// CheckPlacement: the INSEE code a site declares disagrees with its
	// position, or names no commune; the position wins (diag).
	CheckPlacement
	// CheckUnusableSite: a site's point or FTE cannot be used; the site
	// is not counted in the supply (diag).
	CheckUnusableSite
	// CheckNoLocation: a commune has neither point nor polygon: no travel
	// time, not covered, access 0 (diag).
	CheckNoLocation
	// CheckDuplicate: the same thing twice (ErrDuplicate).
	CheckDuplicate
	// CheckCoordinate: coordinates missing, invalid, swapped, outside
	// France or outside the diagnostic's territories (ErrBadCoordinate,
	// ErrSwappedLatLon, ErrOutsideFrance, ErrOutsideScope: a site in a
	// collectivité d'outre-mer).
	CheckCoordinate
	// CheckCode: a malformed code: SIRET, postcode, INSEE (ErrBadCode).
	CheckCode
	// CheckUnknownCode: an INSEE code that names no commune
	// (ErrUnknownINSEE).
	CheckUnknownCode
	// CheckFarMatch: places matched to a structure by SIRET or SIREN lie
	// too far from its declared commune; they are not counted for it
	// (source.AllocateAdvisors).
	CheckFarMatch
	// CheckCommunePoint: a structure declared no place of work; its posts
	// are placed at the representative point of its declared commune.
	CheckCommunePoint
	// CheckNoStructure: places whose employer is in no listed structure:
	// access points without counted advisors (FTE 0).
	CheckNoStructure
	// CheckDefaultGeocode: one point shared by sites declared in
	// different communes, a default geocode; the point is not trusted.
	CheckDefaultGeocode
	// CheckDemandPlacement: a unit of the demand layer (--demande) lies in
	// no commune; it is not counted (diag).
	CheckDemandPlacement
	// CheckDemandConservation: the population a demand layer gives a
	// commune differs from its legal population, or the layer's totals
	// (diag).
	CheckDemandConservation
	nCheckKinds
)

// CheckKinds lists every kind, in the order of the report's categories.
var CheckKinds = []CheckKind{CheckNoReach, CheckPlacement, CheckUnusableSite, CheckNoLocation,
	CheckDefaultGeocode, CheckFarMatch, CheckCommunePoint, CheckNoStructure,
	CheckDemandPlacement, CheckDemandConservation,
	CheckDuplicate, CheckCoordinate, CheckCode, CheckUnknownCode, CheckOther}

// checkKindCodes are the codes of String, stored in the embedded
// controles.csv.zst (column type).
var checkKindCodes = [nCheckKinds]string{
	CheckOther: "autre", CheckNoReach: "sans-population", CheckPlacement: "rattachement",
	CheckUnusableSite: "site-inutilisable", CheckNoLocation: "sans-localisation",
	CheckDuplicate: "doublon", CheckCoordinate: "coordonnees", CheckCode: "code",
	CheckUnknownCode: "code-inconnu", CheckFarMatch: "appariement-lointain", CheckCommunePoint: "point-de-commune",
	CheckNoStructure: "lieu-sans-structure", CheckDefaultGeocode: "geocodage-par-defaut",
	CheckDemandPlacement: "demande-hors-commune", CheckDemandConservation: "demande-conservation",
}

// String returns the code of k ("doublon", "coordonnees", …).
func (k CheckKind) String() string {
	if k < nCheckKinds {
		return checkKindCodes[k]
	}
	return fmt.Sprintf("CheckKind(%d)", uint8(k))
}

// parseCheckKind returns the kind whose String is s.
func parseCheckKind(s string) (CheckKind, bool) {
	for k, code := range checkKindCodes {
		if code == s {
			return CheckKind(k), true
		}
	}
	return CheckOther, false
}

// kindSentinels maps sentinel errors to kinds, first match first.
var kindSentinels = []struct {
	err  error
	kind CheckKind
}{
	{ErrDuplicate, CheckDuplicate},
	{ErrBadCoordinate, CheckCoordinate}, {ErrSwappedLatLon, CheckCoordinate}, {ErrOutsideFrance, CheckCoordinate},
	{ErrOutsideScope, CheckCoordinate},
	{ErrBadCode, CheckCode},
	{ErrUnknownINSEE, CheckUnknownCode},
}

// kindOf returns the kind of a loader's check from the sentinel err wraps:
// ErrDuplicate, then the coordinate and scope errors, ErrBadCode, ErrUnknownINSEE;
// CheckOther for anything else.
func kindOf(err error) CheckKind {
	for _, s := range kindSentinels {
		if errors.Is(err, s.err) {
			return s.kind
		}
	}
	return CheckOther
}

// Check is one entry of the data-quality list shown in the report: what
// is wrong (Err, naming the file, line and column), how bad (Severity),
// which kind of problem (Kind), and the site or commune it concerns.
type Check struct {
	Severity Severity
	Kind     CheckKind
	Site     string // ID of the site concerned, "" if none
	Commune  string // INSEE code of the commune concerned, "" if none
	Err      *ParseError
}

// Checks collects every rejected row and warning, in file order.
type Checks []Check

// Reject records a row that was not used, of kind kindOf(e).
func (c *Checks) Reject(e *ParseError) { c.Add(Check{Severity: Rejected, Err: e}) }

// Warn records a row that was used with a warning, of kind kindOf(e).
func (c *Checks) Warn(e *ParseError) { c.Add(Check{Severity: Warning, Err: e}) }

// Add records x; a zero Kind is set to kindOf(x.Err).
func (c *Checks) Add(x Check) {
	if x.Kind == CheckOther && x.Err != nil {
		x.Kind = kindOf(x.Err)
	}
	*c = append(*c, x)
}

// Count returns the number of checks of severity s.
func (c Checks) Count(s Severity) int {
	n := 0
	for _, x := range c {
		if x.Severity == s {
			n++
		}
	}
	return n
}
