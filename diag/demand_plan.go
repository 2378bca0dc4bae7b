package diag

import (
	"context"
	"fmt"
	"math"
	"slices"

	"diagnum/geo"
)

// DemandPoints is the demand a baseline measures, point by point, for the
// placement planner (diag/plan): the communes measured at their point
// and, once a demand layer is applied (ApplyDemand), the units of the
// layer in place of the communes they populate. Points 0 … n−1 are the
// communes of the data set, in data order; the units follow. For a
// commune k measured on the layer (layer population Pop_k > 0), the
// commune's point keeps Pop = RPop = 0 and each of its units u of
// population P_u > 0 is a point with
//
//	Pop  = P_k·P_u / Pop_k   (P_k its legal population)
//	RPop = P_u               (its weight in R_j, as in Demand)
//	Part = P_u / Pop_k       (its share of the commune's access)
//
// so that Σ_u Pop over the covered units of k is P_k·part_couverte_k, the
// commune's covered population in the roll-ups, and the commune's access
// is Σ_u Part·A_u. Without a layer every point is its commune, with Pop =
// RPop = max(P_k, 0) and Part = 1.
type DemandPoints struct {
	Communes int     // n, the number of communes (the first points)
	Commune  []int32 // commune (data order) of each point
	Place    []geo.Place
	Located  []bool    // the point takes part in travel times
	Pop      []float64 // population counted (coverage, deficit, served)
	RPop     []float64 // population in the denominator of R_j
	Part     []float64 // share of its commune's access
	Access   []float64 // A per point (for a commune point of the layer: the commune's access)
	Covered  []bool    // within the threshold of a counted site
	Nearest  []float64 // minutes to the nearest counted site (+Inf: none)
	// Fragility is indice_fragilite at each point: its commune's, or a
	// unit's own index where the layer's part_65_plus enters the index at
	// the units' level (demandFragility: Z_u with the unit's share P65_u /
	// P_u), whose population-weighted mean over a commune's units is the
	// commune's index.
	Fragility []float64
}

// demandState is what ApplyDemand keeps for DemandPoints and
// PointCatchmentsOf: the layer's points and the set of its units, whose
// spatial index is built on the first PointCatchmentsOf (a run that
// plans nothing builds none).
type demandState struct {
	pts     *DemandPoints
	inLayer []bool   // per commune: measured on the layer (its point has no population)
	units   placeSet // the points n … of pts
}

// DemandPoints returns the demand of the baseline point by point (see
// DemandPoints). The slices are the baseline's: read-only.
func (b *Baseline) DemandPoints() *DemandPoints {
	if b.demand != nil {
		return b.demand.pts
	}
	return b.communePoints(nil)
}

// communePoints returns the communes as points, those of the layer
// (inLayer, may be nil) with no population of their own.
func (b *Baseline) communePoints(inLayer []bool) *DemandPoints {
	e, res := b.e, b.Result
	n := len(e.ds.Communes)
	p := &DemandPoints{Communes: n, Commune: make([]int32, n), Place: make([]geo.Place, n), Located: slices.Clone(e.has),
		Pop: make([]float64, n), RPop: make([]float64, n), Part: make([]float64, n), Access: make([]float64, n),
		Covered: make([]bool, n), Nearest: make([]float64, n), Fragility: make([]float64, n)}
	for k := range n {
		c := &res.Communes[k]
		p.Commune[k], p.Place[k], p.Part[k] = int32(k), e.communePlace(k), 1
		p.Access[k], p.Covered[k], p.Nearest[k] = c.Access10k/10000, c.Covered, c.NearestMin
		p.Fragility[k] = c.Fragility
		if inLayer == nil || !inLayer[k] {
			p.Pop[k], p.RPop[k] = e.pop[k], e.pop[k]
		}
	}
	if inLayer == nil {
		copy(p.Access, e.a) // bit for bit the engine's A_i
	}
	return p
}

// keepDemand records the points of the demand s applied to b: the
// commune points, then every placed unit of population > 0 of a commune
// measured on the layer, in layer order.
func (b *Baseline) keepDemand(s *DemandSummary) {
	e := b.e
	inLayer := make([]bool, len(e.ds.Communes))
	layerPop := make([]float64, len(e.ds.Communes))
	for _, d := range s.Communes {
		if d.Pop > 0 && !b.Result.Communes[d.Commune].NoGeography {
			inLayer[d.Commune], layerPop[d.Commune] = true, d.Pop
		}
	}
	p := b.communePoints(inLayer)
	st := &demandState{pts: p, inLayer: inLayer}
	for i := range s.Layer.Units {
		u := &s.Layer.Units[i]
		k := s.comm[i]
		if k < 0 || !inLayer[k] || !(u.Pop > 0) {
			continue
		}
		pl := unitPlace(u, e.ds.Communes[k].Code)
		p.Commune = append(p.Commune, int32(k))
		p.Place = append(p.Place, pl)
		p.Located = append(p.Located, finitePoint(u.Point))
		p.Pop = append(p.Pop, e.pop[k]*u.Pop/layerPop[k])
		p.RPop = append(p.RPop, u.Pop)
		p.Part = append(p.Part, u.Pop/layerPop[k])
		p.Access = append(p.Access, s.au[i])
		p.Covered = append(p.Covered, s.tu[i] <= e.d0)
		p.Nearest = append(p.Nearest, s.tu[i])
		f := b.Result.Communes[k].Fragility
		if s.uf != nil && !math.IsNaN(s.uf[i]) {
			f = s.uf[i]
		}
		p.Fragility = append(p.Fragility, f)
	}
	n := p.Communes
	st.units = newPlaceSet(len(p.Place)-n, nil, n, func(i int) geo.Place { return p.Place[i] })
	b.demand = st
}

// PointCatchmentsOf is CatchmentsOf over the demand points (DemandPoints):
// for each place, the points within ThresholdMin of it by increasing
// point index, Reach.Commune holding the point's index. Without a demand
// layer it is CatchmentsOf. With one, a unit's time is taken from the
// unit to the place, as Demand takes it to a site, so that a site placed
// there reaches the same units with the same weights.
func (b *Baseline) PointCatchmentsOf(ctx context.Context, places []geo.Place) ([][]Reach, error) {
	out, err := b.CatchmentsOf(ctx, places)
	if err != nil || b.demand == nil {
		return out, err
	}
	e, st := b.e, b.demand
	reach := e.tm.reachKm(e.d0)
	err = parallel(ctx, len(places), e.workers, func(lo, hi int) error {
		var buf siteBuf
		for q := lo; q < hi; q++ {
			rs := slices.DeleteFunc(out[q], func(x Reach) bool { return st.inLayer[x.Commune] })
			var err error
			if out[q], err = e.appendCatchment(ctx, rs, &st.units, places[q], reach, &buf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calcul des bassins sur la couche de demande : %w", err)
	}
	return out, nil
}
