package data

import (
	"fmt"
	"hash/maphash"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"diagnum/geo"

	"github.com/paulmach/orb"
)

// Territory is a French territory and the bounding box (WGS84 degrees)
// used to check that coordinates fall in France.
type Territory struct {
	Code                           string // "metro" or the overseas code ("971" …)
	Name                           string
	MinLon, MinLat, MaxLon, MaxLat float64
}

// valTerritories is the table of TerritoryOf. The boxes hold every
// commune point of communes-points-2024 and every France Services site of
// 2024 with a margin of about 0.1–0.3°; the COM boxes cover their islands.
// TAAF (984) and Clipperton (989), without inhabitants, have none.
var valTerritories = [...]Territory{
	{"metro", "France métropolitaine", -5.5, 41.2, 9.9, 51.3}, // incl. Corsica and Ouessant
	{"971", "Guadeloupe", -62.0, 15.75, -60.8, 16.6},
	{"972", "Martinique", -61.3, 14.35, -60.75, 14.95},
	{"973", "Guyane", -54.7, 2.0, -51.5, 5.9},
	{"974", "La Réunion", 55.15, -21.45, 55.9, -20.8},
	{"976", "Mayotte", 44.9, -13.05, 45.35, -12.6},
	{"975", "Saint-Pierre-et-Miquelon", -56.5, 46.7, -56.05, 47.2},
	{"977", "Saint-Barthélemy", -62.95, 17.85, -62.75, 17.98},
	{"978", "Saint-Martin", -63.2, 18.0, -62.95, 18.15},
	{"986", "Wallis-et-Futuna", -178.25, -14.4, -176.1, -13.15},
	{"987", "Polynésie française", -155.0, -28.0, -134.0, -7.5},
	{"988", "Nouvelle-Calédonie", 163.5, -23.0, 168.3, -18.0},
}

// TerritoryOf returns the first territory whose box holds p (lon, lat).
func TerritoryOf(p orb.Point) (Territory, bool) {
	for _, t := range valTerritories {
		if p[0] >= t.MinLon && p[0] <= t.MaxLon && p[1] >= t.MinLat && p[1] <= t.MaxLat {
			return t, true
		}
	}
	return Territory{}, false
}

// DuplicateKm is the distance within which two sites of the same
// normalised name are reported as a probable duplicate (50 m).
const DuplicateKm = 0.050

// ValidateSites checks sites and returns those kept, with the checks sorted
// by line: each check names the site's Site.Line (0 when unknown) and
// its id. The kept sites are compacted in the array of sites, which must
// not be used afterwards.
//
// Rejected (the site is dropped): non-finite coordinates or FTE, a negative
// FTE (ErrBadCoordinate, ErrBadValue); a point in no box of Territories
// (ErrOutsideFrance), or ErrSwappedLatLon when the point with latitude and
// longitude exchanged falls in one; a point in a collectivité d'outre-mer
// (IsCOM: Saint-Barthélemy, Polynésie…), whose communes the diagnostic
// leaves out (ErrOutsideScope).
//
// Warnings (the site is kept): a site with the same kind and normalised
// name (case, accents and punctuation ignored) as an earlier kept site
// less than DuplicateKm away (ErrDuplicate; a conseiller numérique place
// inside a France Services site is two kinds, not a duplicate); a declared
// code of a collectivité d'outre-mer (ErrOutsideScope, cleared); a declared INSEE code for which known
// returns false (ErrUnknownINSEE): the code is cleared so that the
// spatial join assigns the commune. known == nil skips that check.
func ValidateSites(file string, sites []Site, known func(code string) bool) ([]Site, Checks) {
	return validateSites(file, sites, known, true)
}

// validateSites is ValidateSites, searching the probable duplicates only
// when dups is set.
func validateSites(file string, sites []Site, known func(code string) bool, dups bool) ([]Site, Checks) {
	var checks Checks
	kept := sites[:0] // in place: a large file's sites are not copied
	for _, s := range sites {
		if err := valSite(s); err != nil {
			checks.Add(Check{Severity: Rejected, Site: s.ID,
				Err: &ParseError{File: file, Line: s.Line, Column: err.column, Err: err.err}})
			continue
		}
		if IsCOM(s.INSEE) {
			checks.Add(Check{Severity: Warning, Site: s.ID, Err: &ParseError{File: file, Line: s.Line, Column: "code_insee", Err: fmt.Errorf(
				"%w : le lieu %q déclare %s, une commune d'une collectivité d'outre-mer, hors des 101 départements ; code ignoré, la commune sera déduite des coordonnées",
				ErrOutsideScope, s.ID, s.INSEE)}})
			s.INSEE = ""
		}
		if s.INSEE != "" && known != nil && !known(s.INSEE) {
			checks.Add(Check{Severity: Warning, Site: s.ID, Err: &ParseError{File: file, Line: s.Line, Column: "code_insee", Err: fmt.Errorf(
				"%w : le lieu %q déclare %s, qui n'est pas une commune ; code ignoré, la commune sera déduite des coordonnées",
				ErrUnknownINSEE, s.ID, s.INSEE)}})
			s.INSEE = ""
		}
		kept = append(kept, s)
	}
	if dups {
		checks = append(checks, valDuplicates(file, kept)...)
	}
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].Err.Line < checks[j].Err.Line })
	return kept, checks
}

type valError struct {
	column string
	err    error
}

// valSite returns why s must be rejected, or nil.
func valSite(s Site) *valError {
	lon, lat := s.Point[0], s.Point[1]
	switch {
	case !valFinite(lon) || !valFinite(lat):
		return &valError{"latitude", fmt.Errorf("%w : le lieu %q a des coordonnées non finies", ErrBadCoordinate, s.ID)}
	case !valFinite(s.FTE) || s.FTE < 0:
		return &valError{"etp", fmt.Errorf("%w : lieu %q : l'ETP %g doit être un nombre fini ≥ 0", ErrBadValue, s.ID, s.FTE)}
	}
	if t, ok := TerritoryOf(s.Point); ok {
		if IsCOM(t.Code) {
			return &valError{"latitude", fmt.Errorf("%w : lieu %q : latitude %g, longitude %g relève de %s, une collectivité d'outre-mer : "+
				"le diagnostic couvre les 101 départements, dont seules les communes ont ici une géographie", ErrOutsideScope, s.ID, lat, lon, t.Name)}
		}
		return nil
	}
	if t, ok := TerritoryOf(orb.Point{lat, lon}); ok {
		return &valError{"latitude", fmt.Errorf("%w : lieu %q : latitude %g, longitude %g n'est dans aucun territoire français, mais relèverait de %s une fois inversées",
			ErrSwappedLatLon, s.ID, lat, lon, t.Name)}
	}
	hint := ""
	if lat == 0 && lon == 0 {
		hint = " ; (0, 0) signifie en général des coordonnées manquantes"
	}
	return &valError{"latitude", fmt.Errorf("%w : lieu %q : latitude %g, longitude %g%s", ErrOutsideFrance, s.ID, lat, lon, hint)}
}

// IsCOM reports whether a département or INSEE code belongs to a
// collectivité d'outre-mer of the COG (975, 977, 978, 984, 986–989),
// outside the 101 départements of the diagnostic.
func IsCOM(code string) bool {
	if len(code) < 3 {
		return false
	}
	switch code[:3] {
	case "975", "977", "978", "984", "986", "987", "988", "989":
		return true
	}
	return false
}

func valFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// valDuplicates warns about each site with the same kind and normalised
// name as an earlier site less than DuplicateKm away (the earliest such
// site is named). Sites are indexed by name and by cell of a grid whose
// cells are at least DuplicateKm wide (valCell), so each site is compared
// only with the sites of the same name in its cell and the 8 around it:
// O(n) expected time, even when thousands of sites share one name. The
// grid holds a hash of each name, not the name, so that its memory does
// not grow with the names' length; a candidate's name is compared in full.
func valDuplicates(file string, sites []Site) Checks {
	var checks Checks
	seed := maphash.MakeSeed()
	// First the names given more than once: only their sites go to the grid.
	type kindName struct {
		kind SiteKind
		name uint64
	}
	hashes := make([]uint64, len(sites))
	count := map[kindName]int32{}
	for i, s := range sites {
		if name := NormName(s.Name); name != "" {
			hashes[i] = maphash.String(seed, name)
			count[kindName{s.Kind, hashes[i]}]++
		}
	}
	grid := map[valCellKey][]int{}
	for i, s := range sites {
		if count[kindName{s.Kind, hashes[i]}] < 2 {
			continue
		}
		key := valCellKey{kind: s.Kind, name: hashes[i]}
		name := NormName(s.Name)
		lat, lon, polar := valCell(s.Point)
		first := -1
		for dlat := -1; dlat <= 1; dlat++ {
			for dlon := -1; dlon <= 1; dlon++ {
				key.lat, key.lon, key.polar = lat+dlat, lon+dlon, polar
				if polar && (dlat != 0 || dlon != 0) {
					continue // one cell holds every polar site
				}
				for _, j := range grid[key] {
					if (first < 0 || j < first) && geo.HaversineKm(sites[j].Point, s.Point) <= DuplicateKm && NormName(sites[j].Name) == name {
						first = j
					}
				}
			}
		}
		if first >= 0 {
			d := geo.HaversineKm(sites[first].Point, s.Point)
			checks.Add(Check{Severity: Warning, Site: s.ID, Err: &ParseError{File: file, Line: s.Line, Column: "nom", Err: fmt.Errorf(
				"%w : le lieu %q a le même nom que le lieu %q (ligne %d), à %.0f m : le même lieu deux fois ?",
				ErrDuplicate, s.ID, sites[first].ID, sites[first].Line, d*1000)}})
		}
		key.lat, key.lon, key.polar = lat, lon, polar
		grid[key] = append(grid[key], i)
	}
	return checks
}

// valCellKey is a cell of the duplicate grid for one kind and name.
type valCellKey struct {
	kind     SiteKind
	name     uint64 // maphash of the normalised name
	lat, lon int
	polar    bool
}

// valCellDeg is the height of a grid cell in degrees of latitude: a
// little more than DuplicateKm (1° of latitude is 111.2 km on the sphere
// of geo.HaversineKm). Cells are twice as wide in longitude, which covers
// DuplicateKm up to 60° of latitude (cos 60° = ½); beyond, every site
// falls in one polar cell per name, compared with all.
const valCellDeg = DuplicateKm / 110

// valCell returns the grid cell of p.
func valCell(p orb.Point) (lat, lon int, polar bool) {
	if math.Abs(p[1]) > 60 || !valFinite(p[0]) || !valFinite(p[1]) {
		return 0, 0, true
	}
	return int(math.Floor(p[1] / valCellDeg)), int(math.Floor(p[0] / (2 * valCellDeg))), false
}

// NormName folds case and accents and reduces punctuation to single
// spaces: "Mairie d'Ahun " and "MAIRIE D AHUN" give "mairie d ahun".
func NormName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range frFold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	return b.String()
}

// frFold lower-cases s and removes the accents of French letters.
func frFold(s string) string {
	s = strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return frAccents.Replace(s)
		}
	}
	return s // ASCII: no accent to remove (Replace would allocate anyway)
}

var frAccents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "á", "a", "ã", "a", "ç", "c",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "î", "i", "ï", "i", "í", "i",
	"ô", "o", "ö", "o", "ó", "o", "ù", "u", "û", "u", "ü", "u", "ú", "u",
	"ÿ", "y", "ñ", "n", "œ", "oe", "æ", "ae",
)
