package source

import (
	"cmp"
	"diagnum/geo"

	"fmt"
	"math"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// DefaultPostRadiusKm is the default PostOptions.RadiusKm. In the real
// files only 49 of the 891 geocoded structures that match no place by
// SIRET or SIREN have a 2022 place within 100 m, 309 within 1 km and 442
// within 2 km: the distance grows smoothly, so most proximity matches are a
// nearby place rather than the structure's own address. 1 km keeps the
// shift of the posts within a walk of the host structure (1.6 min with the
// default travel model, 1.3 detour at 50 km/h), below the resolution of the
// commune-level measures, while 2 km would move posts into neighbouring
// communes in rural areas.
const DefaultPostRadiusKm = 1.0

// PostOptions configures AllocatePosts. The zero value gives the defaults.
type PostOptions struct {
	// RadiusKm is the largest great-circle distance between a structure
	// and the place that receives its posts under the proximity rule.
	// 0 means DefaultPostRadiusKm; a negative value disables the rule.
	RadiusKm float64
	// File names the structures file in the Checks (default "cnfs.json").
	File string
}

func (o PostOptions) withDefaults() PostOptions {
	o.RadiusKm, o.File = cmp.Or(o.RadiusKm, DefaultPostRadiusKm), cmp.Or(o.File, "cnfs.json")
	return o
}

// MatchRule tells how the posts of a structure were placed.
type MatchRule uint8

// The rules, in the order they are tried.
const (
	MatchNone    MatchRule = iota // no place and no point: posts not placed
	MatchSIRET                    // places with the structure's SIRET
	MatchSIREN                    // places with the structure's SIREN
	MatchNearest                  // the nearest place within RadiusKm
	MatchSelf                     // the structure becomes a site at its address
)

// MatchRules lists the rules in the order they are tried, then MatchNone.
var MatchRules = []MatchRule{MatchSIRET, MatchSIREN, MatchNearest, MatchSelf, MatchNone}

// String returns the rule's short name: siret, siren, proximite, structure, aucun.
func (m MatchRule) String() string {
	switch m {
	case MatchSIRET:
		return "siret"
	case MatchSIREN:
		return "siren"
	case MatchNearest:
		return "proximite"
	case MatchSelf:
		return "structure"
	}
	return "aucun"
}

// PostMatch is where the posts of one structure go.
type PostMatch struct {
	Structure int       // index in the structures slice
	Rule      MatchRule // the rule that applied
	Places    []int     // indices in the places slice (MatchSIRET, MatchSIREN, MatchNearest)
}

// MatchPosts applies the rules of AllocatePosts to each structure and
// returns one PostMatch per structure, in order. Only places of kind
// KindCNFS are candidates; the SIRET and SIREN rules ignore places without
// a SIRET. Ties in the proximity rule go to the first place in order.
func MatchPosts(structures []Structure, places []data.Site, opt PostOptions) []PostMatch {
	opt = opt.withDefaults()
	bySIRET, bySIREN := map[string][]int{}, map[string][]int{}
	for j, p := range places {
		if p.Kind != data.KindCNFS || len(p.SIRET) != 14 {
			continue
		}
		bySIRET[p.SIRET] = append(bySIRET[p.SIRET], j)
		bySIREN[p.SIRET[:9]] = append(bySIREN[p.SIRET[:9]], j)
	}
	out := make([]PostMatch, len(structures))
	for i, s := range structures {
		m := PostMatch{Structure: i}
		switch {
		case len(s.SIRET) == 14 && len(bySIRET[s.SIRET]) > 0:
			m.Rule, m.Places = MatchSIRET, bySIRET[s.SIRET]
		case len(s.SIRET) == 14 && len(bySIREN[s.SIRET[:9]]) > 0:
			m.Rule, m.Places = MatchSIREN, bySIREN[s.SIRET[:9]]
		case s.HasPoint && postPointOK(s.Point):
			if j := nearestCNFSPlace(s.Point, places, opt.RadiusKm); j >= 0 {
				m.Rule, m.Places = MatchNearest, []int{j}
			} else {
				m.Rule = MatchSelf
			}
		}
		out[i] = m
	}
	return out
}

// nearestCNFSPlace returns the index of the CNFS place nearest to pt within
// radius km, or -1 (always -1 when radius < 0).
func nearestCNFSPlace(pt orb.Point, places []data.Site, radius float64) int {
	best, bestKm := -1, math.Inf(1)
	if radius < 0 {
		return best
	}
	for j, p := range places {
		if p.Kind != data.KindCNFS || !postPointOK(p.Point) {
			continue
		}
		if d := geo.HaversineKm(pt, p.Point); d <= radius && d < bestKm {
			best, bestKm = j, d
		}
	}
	return best
}

// AllocatePosts splits the advisor posts (nb_cnfs) of the host structures
// across the places where advisors work, and returns the places with their
// FTE followed by the structures that become sites themselves.
//
// The rule, for each structure, first that applies:
//  1. SIRET: its posts are split evenly across the CNFS places whose
//     SIRET equals the structure's SIRET;
//  2. SIREN: else evenly across the CNFS places whose SIRET has the same
//     SIREN (first 9 digits), e.g. other establishments of the same
//     commune, département or association;
//  3. proximity: else, if the structure has a point, all its posts go to
//     the single nearest CNFS place within PostOptions.RadiusKm (default
//     1 km, great-circle distance): a structure that declared no place
//     most likely works at, or next to, a place declared nearby;
//  4. structure: else, if it has a point, the structure itself becomes a
//     CNFS site at its address carrying all its posts (ID "cn21-<id>",
//     Source "cnfs-2021");
//  5. none: else (no point, no SIRET/SIREN match) its posts cannot be
//     placed: the structure is listed as a Rejected check with its posts.
//
// A place receives the sum of the shares of every structure matched to
// it (structures sharing a SIRET, flagged siret_doublon, each split over
// the same places); a place matched to no structure keeps FTE 0 (an access
// point without a counted advisor). Only places of kind KindCNFS take part;
// other places are returned unchanged. A structure whose Posts is negative
// or not finite is rejected. Posts are conserved: the FTE of the returned
// sites plus the posts of the rejected structures equal the total posts.
func AllocatePosts(structures []Structure, places []data.Site, opt PostOptions) ([]data.Site, data.Checks) {
	opt = opt.withDefaults()
	out := append([]data.Site(nil), places...)
	for j := range out {
		if out[j].Kind == data.KindCNFS {
			out[j].FTE = 0
		}
	}
	var checks data.Checks
	for _, m := range MatchPosts(structures, places, opt) {
		s := structures[m.Structure]
		switch {
		case !(s.Posts >= 0) || math.IsInf(s.Posts, 0):
			checks.Reject(&data.ParseError{File: opt.File, Line: s.Line, Column: "nb_cnfs",
				Err: fmt.Errorf("%w : structure %s (%s) : nombre de postes %g", data.ErrBadValue, s.ID, s.Name, s.Posts)})
		case m.Rule == MatchSelf:
			out = append(out, structureSite(s))
		case m.Rule == MatchNone:
			checks.Reject(&data.ParseError{File: opt.File, Line: s.Line, Column: "latitude", Err: fmt.Errorf(
				"%w : structure %s (%s) : %s non placé(s) : pas de coordonnées et aucun lieu de conseiller numérique de même SIRET ou SIREN",
				data.ErrBadCoordinate, s.ID, s.Name, postes(s.Posts))})
		default:
			share := s.Posts / float64(len(m.Places))
			for _, j := range m.Places {
				out[j].FTE += share
			}
		}
	}
	return out, checks
}

// structureSite is the CNFS site of a structure that matched no place.
func structureSite(s Structure) data.Site {
	return data.Site{
		ID: s.ID, Name: s.Name, Kind: data.KindCNFS, Point: s.Point, FTE: s.Posts,
		INSEE: s.INSEE, Postcode: s.Postcode, SIRET: s.SIRET, Source: SourceCNFS2021, Date: s.Date,
	}
}

// PostTally counts structures and their posts.
type PostTally struct {
	Structures int
	Posts      float64
}

// TallyMatches counts, for each rule, the structures it placed and their
// posts (for the methodology sheet).
func TallyMatches(structures []Structure, matches []PostMatch) map[MatchRule]PostTally {
	t := map[MatchRule]PostTally{}
	for _, m := range matches {
		if m.Structure < 0 || m.Structure >= len(structures) {
			continue
		}
		x := t[m.Rule]
		x.Structures++
		x.Posts += structures[m.Structure].Posts
		t[m.Rule] = x
	}
	return t
}

func postPointOK(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}
