package plan

import (
	"cmp"
	"context"
	"fmt"
	"math"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
)

// Removal is an existing conseiller numérique site that --retirer
// proposes to close, in order. Cumulative figures include the removals
// before it.
type Removal struct {
	Rank        int
	Site        data.Site
	CommuneName string
	FTE         float64 // its supply S_j
	LostPop     int     // population no longer within d0 of any site
	LostFragile float64 // fragile population no longer covered
	LostServed  float64 // fragile population no longer served per year
	LostAccess  float64 // increase of the access deficit, FTE
	CoveredPop  int     // population covered after it
	Coverage    float64 // coverage rate after it
	Saving      float64 // subsidy of its posts over 24 months, euros
}

// retire chooses Options.Remove existing conseiller numérique sites of
// the territory to close with the least loss: each round, the site whose
// removal uncovers the least fragile population, then serves the fewest
// fewer fragile people, then raises the deficit least (ties within
// Tolerance), then the lowest INSEE code, then id (plain greedy: every
// site is evaluated each round). With cnt_i the counted sites within d0
// of commune i, removing site j uncovers the communes of its catchment
// with cnt_i = 1 and lowers A_i by R_j·W(t_ij), R_j = S_j / Σ_k P_k·W(t_kj).
func (s *solver) retire(ctx context.Context, b *diag.Baseline, p *Plan, n int) error {
	res := b.Result
	var ids []int
	var pts []geo.Place
	for j := range res.Sites {
		st := &res.Sites[j]
		if !st.Counted || st.Kind != data.KindCNFS || st.SupplyFTE <= 0 {
			continue
		}
		if ci, ok := s.ds.CommuneIndex(st.Commune); ok && s.in[ci] {
			ids, pts = append(ids, j), append(pts, diag.SitePlace(&st.Site))
		}
	}
	cnt, err := s.siteCounts(ctx, b)
	if err != nil {
		return err
	}
	reach, err := b.PointCatchmentsOf(ctx, pts)
	if err != nil {
		return err
	}
	r := make([]float64, len(ids))
	for k, rs := range reach {
		r[k] = s.ratio(res.Sites[ids[k]].SupplyFTE, rs)
	}
	gone := make([]bool, len(ids))
	covered, coveredPop := s.covPop, p.CoveredPop
	for len(p.Removals) < n {
		if err := ctx.Err(); err != nil {
			return err
		}
		best, bestL := -1, [3]float64{}
		for k := range ids {
			if gone[k] {
				continue
			}
			l := s.loss(reach[k], r[k], cnt)
			if best < 0 || lessLoss(l, bestL, res.Sites[ids[k]].Site, res.Sites[ids[best]].Site) {
				best, bestL = k, l
			}
		}
		if best < 0 {
			p.Stop = fmt.Sprintf("plus aucun site de conseiller numérique à retirer dans le territoire après %d", len(p.Removals))
			break
		}
		gone[best] = true
		site := res.Sites[ids[best]]
		rm := Removal{Rank: len(p.Removals) + 1, Site: site.Site, FTE: site.SupplyFTE,
			LostFragile: bestL[0], LostServed: bestL[1], LostAccess: bestL[2]}
		for _, x := range reach[best] {
			i := x.Commune
			cnt[i]--
			if cnt[i] == 0 && s.in[i] {
				covered -= s.pop[i]
			}
			s.a[i] -= r[best] * x.W
		}
		if ci, ok := s.ds.CommuneIndex(site.Commune); ok {
			rm.CommuneName = s.ds.Communes[ci].Name
			rm.Saving = site.FTE * p.Costs.PerPost(ZoneOf(s.ds.Communes[ci].Dep), p.Employer)
		}
		rm.CoveredPop = int(math.Round(covered))
		rm.LostPop, coveredPop = coveredPop-rm.CoveredPop, rm.CoveredPop
		rm.Coverage = ratio(float64(rm.CoveredPop), float64(p.Population))
		p.Removals = append(p.Removals, rm)
	}
	return nil
}

// lessLoss reports whether loss a (at site sa) is smaller than loss b
// (at site sb): the first criterion not tied decides, then the INSEE
// code, then the id.
func lessLoss(a, b [3]float64, sa, sb data.Site) bool {
	if better(neg(a), neg(b)) {
		return true
	}
	if better(neg(b), neg(a)) {
		return false
	}
	return cmp.Or(cmp.Compare(sa.Commune, sb.Commune), cmp.Compare(sa.ID, sb.ID)) < 0
}

func neg(v [3]float64) [3]float64 { return [3]float64{-v[0], -v[1], -v[2]} }

// loss returns what removing a site of reach rs and ratio rj loses:
// fragile population uncovered, served, deficit added.
func (s *solver) loss(rs []diag.Reach, rj float64, cnt []int32) [3]float64 {
	var l [3]float64
	for _, x := range rs {
		i := x.Commune
		if !s.in[i] {
			continue
		}
		if cnt[i] == 1 {
			l[0] += s.wpop[i]
		}
		da := rj * x.W
		if d := s.wpop[i]; d > 0 {
			k := s.capacity * s.pop[i] * s.a[i]
			l[1] += Served(d, k) - Served(d, max(0, k-s.capacity*s.pop[i]*da))
		}
		after := s.a[i] - da
		l[2] += s.pop[i] * (max(0, s.target-after) - max(0, s.target-s.a[i]))
	}
	return l
}

// siteCounts returns, per commune, the counted sites within d0 of it.
func (s *solver) siteCounts(ctx context.Context, b *diag.Baseline) ([]int32, error) {
	var pts []geo.Place
	for _, st := range b.Result.Sites {
		if st.Counted {
			pts = append(pts, diag.SitePlace(&st.Site))
		}
	}
	reach, err := b.PointCatchmentsOf(ctx, pts)
	if err != nil {
		return nil, err
	}
	cnt := make([]int32, len(s.pop))
	for _, rs := range reach {
		for _, x := range rs {
			cnt[x.Commune]++
		}
	}
	return cnt, nil
}
