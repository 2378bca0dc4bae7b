package plan

import (
	"context"
	"fmt"
	"math"

	"diagnum/diag"
	"diagnum/geo"
)

// MaxEquityPairs caps communes × candidates of the equity objective,
// whose travel times are all computed (8 bytes each): a département or a
// région, or chefs-lieux candidates for larger territories.
const MaxEquityPairs = 25_000_000

// equity runs the equity stage (ObjectiveEquity), then the capacity
// stage. With T_i the travel time from commune i to its nearest site
// (existing or planned) over the communes of the territory with a
// fragile population (P_i·w_i > 0), each pick minimises
//
//	T_max = max_i T_i
//
// ties (Tolerance) going to the larger gains of the coverage stage's
// criteria, then to the canonical order. The stage ends when no
// candidate lowers T_max by more than Tolerance; the capacity stage
// then places the remaining posts. T_max is the minimax (p-centre)
// objective, which is not submodular: the greedy carries no guarantee
// here, and no bound is given.
func (s *solver) equity(ctx context.Context, b *diag.Baseline, p *Plan) error {
	var ids []int
	var pts []geo.Place
	for i := range s.in {
		if !s.in[i] || s.wpop[i] <= 0 {
			continue
		}
		if s.pts.Located[i] {
			ids, pts = append(ids, i), append(pts, s.pts.Place[i])
		}
	}
	if len(ids)*len(s.cands) > MaxEquityPairs {
		return fmt.Errorf("%w : objectif d'équité sur %d communes × %d candidats, plus de %d paires : choisir un territoire plus petit ou les chefs-lieux comme candidats",
			ErrBadOptions, len(ids), len(s.cands), MaxEquityPairs)
	}
	cpts := make([]geo.Place, len(s.cands))
	for c := range s.cands {
		cpts[c] = geo.Place{Point: s.cands[c].Point, Commune: s.cands[c].Commune, ID: s.cands[c].ID}
	}
	prm := b.Result.Params.WithDefaults()
	var timer geo.TravelTimer = geo.Model{Detour: prm.Detour, SpeedKmh: prm.SpeedKmh}
	if prm.Timer != nil {
		timer = prm.Timer
	}
	tt, err := timer.Times(ctx, pts, cpts)
	if err != nil {
		return fmt.Errorf("plan : temps de trajet de l'objectif d'équité : %w", err)
	}
	cur := make([]float64, len(ids))
	for k, i := range ids {
		cur[k] = s.pts.Nearest[i]
	}
	p.WorstMin = maxOf(cur)
	p.Stages = append(p.Stages, StageEquity)
	for len(p.Picks) < p.Requested {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, ok := s.equityBest(cur, tt)
		if !ok {
			break
		}
		if err := s.pick(ctx, b, p, c, StageEquity); err != nil {
			return err
		}
		for k := range cur {
			cur[k] = min(cur[k], tt[k][c])
		}
		p.Picks[len(p.Picks)-1].WorstMin = maxOf(cur)
	}
	return nil
}

// equityBest returns the candidate that lowers the worst time most, or
// false when none lowers it.
func (s *solver) equityBest(cur []float64, tt [][]float64) (int, bool) {
	worst, at := math.Inf(-1), -1
	for k, t := range cur {
		if t > worst {
			worst, at = t, k
		}
	}
	if at < 0 {
		return -1, false
	}
	newWorst := make([]float64, len(s.cands))
	m := worst
	for c := range s.cands {
		newWorst[c] = worst
		if !s.room(c, 0) || !(tt[at][c] < worst) {
			continue
		}
		w := 0.0
		for k := range cur {
			w = max(w, min(cur[k], tt[k][c]))
		}
		newWorst[c], m = w, min(m, w)
	}
	if !(m < worst-Tolerance*math.Abs(worst)) && !math.IsInf(worst, 1) || math.IsInf(m, 1) {
		return -1, false
	}
	best, bestG := -1, [3]float64{}
	for c := range s.cands {
		if newWorst[c] > m+Tolerance*math.Abs(m) || !s.room(c, 0) {
			continue
		}
		g := StageCoverage.criteria(s.gains(c))
		if best < 0 || better(g, bestG) {
			best, bestG = c, g
		}
	}
	return best, best >= 0
}

func maxOf(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = max(m, x)
	}
	return m
}
