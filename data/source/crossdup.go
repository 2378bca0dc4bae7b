package source

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"diagnum/data"
	"diagnum/geo"
)

// sourceRank orders the sources from the most reliable: the official
// list of France Services (2024), the programme's places of the
// conseillers numériques (2022-12) and its structures (2023), then the
// lieux de médiation: data·inclusion's national file (2023-02), portrea
// (59/62, 2017–2023), Hinaura (AuRA, 2021). A source absent from it
// ranks last.
var sourceRank = map[string]int{
	SourceFranceServices: 0, SourceCNFSLieux: 1, SourceCNFS2023: 1,
	SourceStandard: 2, SourcePortrea: 3, SourceHinaura: 4,
}

// CrossSourceDuplicates removes the probable duplicates across sources
// that would count one place twice. Two sites of different sources are
// the same place when they lie in the same commune (commune[i], the
// commune site i is placed in; "" matches nothing) within
// data.CrossDuplicateKm of each other and either have the same SIRET, or
// similar names: the significant words of one name (data.NormName, words
// of 3 letters or more) are all in the other, with at least 2 such words
// ("France services Hondschoote" and "France Services - Hondschoote";
// "Familles Rurales" and "FAMILLES RURALES EINVILLE ET ENVIRONS"; not
// "La Poste La Ferté Macé" and "COMMUNE DE LA FERTE MACE").
//
// Only a lieu de médiation or another place (kinds mediation and autre,
// whose FTE is a convention, diag.DefaultFTEMediation) is removed: it is
// counted once, as the site of the more reliable source (sourceRank). A
// conseiller numérique's place and a France Services at the same address
// are both kept: their FTE are different people. Each removal is a
// Rejected check of kind data.CheckDuplicate naming both sites, their
// sources and distance, in the file of the removed site's source
// (files[Source]). The order of the kept sites is unchanged.
func CrossSourceDuplicates(files map[string]string, sites []data.Site, commune []string) ([]data.Site, data.Checks) {
	type cell struct{ lat, lon int }
	// Cells of 0.001° of latitude (111 m) by 0.002° of longitude (≥ 100 m
	// up to 63° N): two sites within data.CrossDuplicateKm are in neighbouring
	// cells.
	cellOf := func(s data.Site) cell {
		return cell{int(math.Floor(s.Point[1] / 0.001)), int(math.Floor(s.Point[0] / 0.002))}
	}
	grid := map[cell][]int{}
	for i, s := range sites {
		grid[cellOf(s)] = append(grid[cellOf(s)], i)
	}
	words := make([][]string, len(sites))
	for i, s := range sites {
		words[i] = significantWords(s.Name)
	}
	drop := make([]int, len(sites)) // 1 + index of the site kept instead, 0 when kept
	for i, s := range sites {
		if !conventionalFTE(s.Kind) {
			continue
		}
		best := -1
		c := cellOf(s)
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				for _, j := range grid[cell{c.lat + dy, c.lon + dx}] {
					o := sites[j]
					if j == i || o.Source == s.Source || commune[i] == "" || commune[i] != commune[j] ||
						!moreReliable(o, j, s, i) || geo.HaversineKm(s.Point, o.Point) > data.CrossDuplicateKm {
						continue
					}
					if (s.SIRET != "" && s.SIRET == o.SIRET) || similarNames(words[i], words[j]) {
						if best < 0 || moreReliable(o, j, sites[best], best) {
							best = j
						}
					}
				}
			}
		}
		drop[i] = best + 1
	}
	var (
		out    []data.Site
		checks data.Checks
	)
	for i, s := range sites {
		if drop[i] == 0 {
			out = append(out, s)
			continue
		}
		k := sites[drop[i]-1]
		checks.Add(data.Check{Severity: data.Rejected, Kind: data.CheckDuplicate, Site: s.ID, Commune: commune[i], Err: &data.ParseError{
			File: files[s.Source], Line: s.Line, Column: "nom", Err: fmt.Errorf(
				"%w : le lieu %s « %s » (%s) est sans doute le lieu %s « %s » (%s), à %.0f m dans la même commune : compté une fois, au titre de la source la plus sûre (%s)",
				data.ErrDuplicate, s.ID, s.Name, s.Source, k.ID, k.Name, k.Source, 1000*geo.HaversineKm(s.Point, k.Point), k.Source)}})
	}
	return out, checks
}

// conventionalFTE tells whether a kind's FTE is a convention (mediation,
// autre) rather than counted people (cnfs, france-services).
func conventionalFTE(k data.SiteKind) bool {
	return k == data.KindMediation || k == data.KindOther
}

// moreReliable tells whether site a (index i) is to be kept rather than
// site b (index j): a kind with counted people first, then the better
// source (sourceRank), then the first in order.
func moreReliable(a data.Site, i int, b data.Site, j int) bool {
	if ca, cb := conventionalFTE(a.Kind), conventionalFTE(b.Kind); ca != cb {
		return cb
	}
	ra, okA := sourceRank[a.Source]
	rb, okB := sourceRank[b.Source]
	if !okA {
		ra = len(sourceRank)
	}
	if !okB {
		rb = len(sourceRank)
	}
	if ra != rb {
		return ra < rb
	}
	return i < j
}

// significantWords returns the sorted distinct words of 3 letters or more
// of a normalised name.
func significantWords(name string) []string {
	var out []string
	for _, w := range strings.Fields(data.NormName(name)) {
		if len(w) >= 3 {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// similarNames tells whether all the significant words of the shorter of
// two names are in the other, with at least 2 of them.
func similarNames(a, b []string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 2 {
		return false
	}
	for _, w := range a {
		if i := sort.SearchStrings(b, w); i == len(b) || b[i] != w {
			return false
		}
	}
	return true
}
