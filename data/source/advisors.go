package source

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"diagnum/data"
	"diagnum/geo"
)

// AdvisorPlace is a place where conseillers numériques work, with the
// employer that declared it on the programme's platform (an opaque
// structure id; one employer has one or more places).
type AdvisorPlace struct {
	Site     data.Site
	Employer string
}

// AdvisorLink says that an (anonymised) advisor declared a place.
type AdvisorLink struct {
	Place    string // the place's data.Site.ID
	Employer string // the employer id of the link
	Advisor  string // anonymous advisor id, known to no other source
}

// AdvisorOptions configures AllocateAdvisors. The zero value gives the defaults.
type AdvisorOptions struct {
	// RadiusKm is the largest great-circle distance between a structure's
	// commune point and a matched place of another département (0 means
	// data.AdvisorRadiusKm).
	RadiusKm float64
	// File and PlacesFile name the structures and places files in the
	// data.Checks (defaults "structures" and "lieux").
	File, PlacesFile string
	// Source is the data.Site.Source of a structure placed at its commune
	// (default "cnfs-2023").
	Source string
}

func (o AdvisorOptions) withDefaults() AdvisorOptions {
	o.RadiusKm, o.File = cmp.Or(o.RadiusKm, data.AdvisorRadiusKm), cmp.Or(o.File, "structures")
	o.PlacesFile, o.Source = cmp.Or(o.PlacesFile, "lieux"), cmp.Or(o.Source, "cnfs-2023")
	return o
}

// AdvisorMatch is where the posts of one structure go.
type AdvisorMatch struct {
	Structure int       // index in the structures slice
	Rule      MatchRule // MatchSIRET, MatchSIREN, MatchSelf (its commune point) or MatchNone
	Places    []int     // the structure's places (indices in the places slice), ascending
	Far       []int     // matched places refused as too far (see AllocateAdvisors)
	// Matched is the rule that found the structure's employers
	// (MatchSIRET, MatchSIREN, or MatchNone), even when all their places
	// were refused as far.
	Matched MatchRule
}

// MatchAdvisors finds the places of each structure (the first step of
// AllocateAdvisors): the employers having a place whose SIRET (`pivot`)
// equals the structure's SIRET, else whose SIRET has the structure's SIREN;
// then every place of those employers, except the far ones: a place is far
// when it lies more than RadiusKm from the structure's point (its commune)
// and its commune (data.Site.Commune, when set) is in another département than
// the structure's INSEE code. A structure without a kept place gets
// MatchSelf when it has a point, else MatchNone.
func MatchAdvisors(structures []Structure, places []AdvisorPlace, opt AdvisorOptions) []AdvisorMatch {
	opt = opt.withDefaults()
	byEmployer := map[string][]int{}
	bySIRET, bySIREN := map[string][]string{}, map[string][]string{}
	for j, p := range places {
		e := p.Employer
		byEmployer[e] = append(byEmployer[e], j)
		if s := p.Site.SIRET; len(s) == 14 {
			bySIRET[s] = appendNew(bySIRET[s], e)
			bySIREN[s[:9]] = appendNew(bySIREN[s[:9]], e)
		}
	}
	out := make([]AdvisorMatch, len(structures))
	for i, s := range structures {
		m := AdvisorMatch{Structure: i, Rule: MatchNone}
		var employers []string
		switch {
		case len(s.SIRET) == 14 && len(bySIRET[s.SIRET]) > 0:
			m.Rule, employers = MatchSIRET, bySIRET[s.SIRET]
		case len(s.SIRET) == 14 && len(bySIREN[s.SIRET[:9]]) > 0:
			m.Rule, employers = MatchSIREN, bySIREN[s.SIRET[:9]]
		}
		m.Matched = m.Rule
		for _, e := range employers {
			for _, j := range byEmployer[e] {
				if advisorPlaceFar(s, places[j].Site, opt.RadiusKm) {
					m.Far = append(m.Far, j)
				} else {
					m.Places = append(m.Places, j)
				}
			}
		}
		sort.Ints(m.Places)
		sort.Ints(m.Far)
		if len(m.Places) == 0 {
			m.Rule = MatchNone
			if s.HasPoint && postPointOK(s.Point) {
				m.Rule = MatchSelf
			}
		}
		out[i] = m
	}
	return out
}

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// advisorPlaceFar tells whether place p is too far to be structure s's.
func advisorPlaceFar(s Structure, p data.Site, radius float64) bool {
	if !s.HasPoint || !postPointOK(s.Point) {
		return false
	}
	if geo.HaversineKm(s.Point, p.Point) <= radius {
		return false
	}
	return p.Commune == "" || s.INSEE == "" || data.DepOfINSEE(p.Commune) != data.DepOfINSEE(s.INSEE)
}

// AllocateAdvisors places the advisor posts of the host structures at the
// places where their advisors work, and returns every place as a data.KindCNFS
// site with its FTE, followed by the structures placed at their commune.
//
// For a structure s with P_s posts, its places L_s (MatchAdvisors) and the
// advisors A_s who declared places of its employers, an advisor a who
// declared k_a places in all counts 1/k_a FTE at each of them, so place p
// collects w_p = Σ_{a∈A_s, p∈L_a} 1/k_a and n_s = Σ_{p∈L_s} w_p. Then
//
//	FTE_p += min(1, P_s/n_s)·w_p + max(0, P_s − n_s)/|L_s|
//
// (the posts beyond the declared advisors are spread evenly over its
// places; with more declared advisors than posts each counts P_s/n_s;
// with n_s = 0 every place gets P_s/|L_s|), so Σ_{p∈L_s} FTE_p = P_s: the
// posts are conserved per structure. A structure with no place becomes a
// site at its point (its commune's representative point) carrying its P_s
// posts, with a Warning; one without a point either is a Rejected check
// with its posts. A place shared by several structures receives the sum of
// their shares; a place no structure claims keeps FTE 0 (an access point
// without a counted advisor; one Warning per such employer). Each far place
// refused for a structure is a Warning naming the distance.
func AllocateAdvisors(structures []Structure, places []AdvisorPlace, links []AdvisorLink, opt AdvisorOptions) ([]data.Site, data.Checks) {
	opt = opt.withDefaults()
	out := make([]data.Site, len(places))
	byID := make(map[string]int, len(places))
	for j, p := range places {
		out[j] = p.Site
		out[j].Kind, out[j].FTE = data.KindCNFS, 0
		byID[p.Site.ID] = j
	}
	declared := map[string]int{}             // advisor -> k_a, over all its links
	byEmployer := map[string][]AdvisorLink{} // employer -> its links
	for _, l := range links {
		declared[l.Advisor]++
		byEmployer[l.Employer] = append(byEmployer[l.Employer], l)
	}
	var checks data.Checks
	claimed := make([]bool, len(places))
	for _, m := range MatchAdvisors(structures, places, opt) {
		s := structures[m.Structure]
		if len(m.Far) > 0 {
			checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckFarMatch, Site: s.ID, Commune: s.INSEE, Err: farCheck(s, m, places, opt)})
		}
		switch m.Rule {
		case MatchSelf:
			out = append(out, data.Site{ID: s.ID, Name: s.Name, Kind: data.KindCNFS, Point: s.Point, FTE: s.Posts,
				INSEE: s.INSEE, Postcode: s.Postcode, SIRET: s.SIRET, Source: opt.Source, Date: s.Date})
			checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckCommunePoint, Site: s.ID, Commune: s.INSEE, Err: &data.ParseError{File: opt.File, Line: s.Line, Column: "SIRET", Err: fmt.Errorf(
				"%w : structure %s (%s) : %s sans lieu d'activité déclaré : placé(s) au point de sa commune %s",
				data.ErrBadCoordinate, s.ID, s.Name, postes(s.Posts), s.INSEE)}})
		case MatchNone:
			checks.Add(data.Check{Severity: data.Rejected, Kind: data.CheckCoordinate, Site: s.ID, Commune: s.INSEE, Err: &data.ParseError{
				File: opt.File, Line: s.Line, Column: "Code commune INSEE", Err: fmt.Errorf(
					"%w : structure %s (%s) : %s non placé(s) : aucun lieu déclaré et pas de point pour sa commune",
					data.ErrBadCoordinate, s.ID, s.Name, postes(s.Posts))}})
		default:
			for j, fte := range structureShares(s.Posts, m.Places, places, byEmployer, declared, byID) {
				out[j].FTE += fte
				claimed[j] = true
			}
		}
	}
	checks = append(checks, unclaimedEmployers(places, claimed, byEmployer, opt.PlacesFile)...)
	return out, checks
}

// farCheck is the Warning of the far places refused for a structure.
func farCheck(s Structure, m AdvisorMatch, places []AdvisorPlace, opt AdvisorOptions) *data.ParseError {
	far, farKm := "", -1.0
	for _, j := range m.Far {
		if d := geo.HaversineKm(s.Point, places[j].Site.Point); d > farKm {
			far, farKm = places[j].Site.ID, d
		}
	}
	return &data.ParseError{File: opt.File, Line: s.Line, Column: "SIRET", Err: fmt.Errorf(
		"%w : structure %s (%s, commune %s) : %d lieu(x) rapproché(s) par %s sont dans un autre département, à plus de %g km (le plus loin : %s, à %.0f km) : non comptés pour cette structure",
		data.ErrBadCoordinate, s.ID, s.Name, s.INSEE, len(m.Far), strings.ToUpper(m.Matched.String()), opt.RadiusKm, far, farKm)}
}

// structureShares returns FTE_p for each place p of a structure (the
// formula of AllocateAdvisors), keyed by place index.
func structureShares(posts float64, own []int, places []AdvisorPlace, byEmployer map[string][]AdvisorLink, declared map[string]int, byID map[string]int) map[int]float64 {
	w := make(map[int]float64, len(own))
	employers := map[string]bool{}
	for _, j := range own {
		w[j] = 0
		employers[places[j].Employer] = true
	}
	n := 0.0
	for _, e := range slices.Sorted(maps.Keys(employers)) {
		for _, l := range byEmployer[e] {
			j, ok := byID[l.Place]
			if _, mine := w[j]; !ok || !mine {
				continue // a place of another structure, or a rejected place
			}
			share := 1 / float64(declared[l.Advisor])
			w[j] += share
			n += share
		}
	}
	scale, extra := 1.0, 0.0
	if n > posts {
		scale = posts / n
	} else {
		extra = (posts - n) / float64(len(own))
	}
	for j := range w {
		w[j] = scale*w[j] + extra
	}
	return w
}

// unclaimedEmployers is one Warning per employer none of whose places a
// structure claimed.
func unclaimedEmployers(places []AdvisorPlace, claimed []bool, byEmployer map[string][]AdvisorLink, file string) data.Checks {
	anyClaimed := map[string]bool{}
	var order []string
	count := map[string]int{}
	firstPlace := map[string]string{}
	firstLine := map[string]int{}
	for j, p := range places {
		if _, seen := count[p.Employer]; !seen {
			order = append(order, p.Employer)
			firstPlace[p.Employer] = p.Site.ID
			firstLine[p.Employer] = p.Site.Line
		}
		count[p.Employer]++
		anyClaimed[p.Employer] = anyClaimed[p.Employer] || claimed[j]
	}
	var checks data.Checks
	for _, e := range order {
		if anyClaimed[e] {
			continue
		}
		adv := map[string]bool{}
		for _, l := range byEmployer[e] {
			adv[l.Advisor] = true
		}
		checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckNoStructure, Site: firstPlace[e], Err: &data.ParseError{
			File: file, Line: firstLine[e], Column: "structureId", Err: fmt.Errorf(
				"%w : employeur %s (premier lieu %s) : %d lieu(x), %d conseiller(s), dans aucune structure de la liste par SIRET ni SIREN : ses lieux comptent comme points d'accès sans ETP",
				data.ErrBadValue, e, firstPlace[e], count[e], len(adv))}})
	}
	return checks
}

// MergeSamePlaces merges the sites that are the same place declared
// several times (same name, case aside, and the very same point) into the
// first of them, which receives the sum of their FTE; each merge is a
// Warning naming both ids. The order of the kept sites is unchanged.
func MergeSamePlaces(file string, sites []data.Site) ([]data.Site, data.Checks) {
	type key struct {
		name string
		pt   [2]float64
	}
	first := map[key]int{}
	var (
		out    []data.Site
		checks data.Checks
	)
	for _, s := range sites {
		k := key{strings.ToLower(strings.TrimSpace(s.Name)), [2]float64{s.Point[0], s.Point[1]}}
		if i, ok := first[k]; ok && s.Kind == out[i].Kind {
			out[i].FTE += s.FTE
			checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckDuplicate, Site: out[i].ID, Err: &data.ParseError{
				File: file, Line: s.Line, Column: "nom", Err: fmt.Errorf(
					"%w : le lieu %s est le lieu %s déclaré à nouveau (même nom, même point) : fusionnés, %s ETP ajouté(s)",
					data.ErrDuplicate, s.ID, out[i].ID, etp(s.FTE))}})
			continue
		}
		first[k] = len(out)
		out = append(out, s)
	}
	return out, checks
}

// etp writes an FTE for a message, in the French way: at most two
// decimals, a decimal comma ("0,1", "2,18").
func etp(v float64) string {
	return strings.Replace(strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64), ".", ",", 1)
}

// postes writes a number of posts for a message ("1 poste", "3 postes",
// "0,5 poste").
func postes(n float64) string {
	if n >= 2 {
		return etp(n) + " postes"
	}
	return etp(n) + " poste"
}
