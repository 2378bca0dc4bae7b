package diag

import (
	"context"
	"fmt"
	"math"
	"slices"

	"diagnum/data"
	"diagnum/geo"
)

// CommuneDemand is the coverage of one commune measured on a demand layer
// finer than the commune (data.DemandLayer: INSEE's 200 m cells, IRIS,
// points): each unit u is placed in its commune as a site is (Assign:
// polygon, else the nearest commune point) and measured from its own
// point, with t_u the travel time to the nearest counted site and A_u its
// access (UnitAccess). The commune aggregates its units:
//
//	Pop        = Σ P_u over the commune's units
//	CoveredPop = Σ P_u over its units with t_u ≤ threshold
//	Share      = CoveredPop / Pop (part_couverte, 0–1; 0 when Pop = 0)
//	MeanMin    = Σ P_u·t_u / Pop (+Inf when a populated unit has no site,
//	             NaN when Pop = 0)
//	Access     = Σ P_u·A_u / Pop (NaN when Pop = 0)
//	Pop65      = Σ P65_u (when the layer has ages)
type CommuneDemand struct {
	Commune         int // index in the data set's communes
	Units           int
	Pop, CoveredPop float64
	Pop65           float64
	Share, MeanMin  float64
	Access          float64
}

// DemandSummary is what a demand layer gave: its communes and what
// could not be used.
type DemandSummary struct {
	Layer    *data.DemandLayer
	Communes []CommuneDemand // communes holding at least one unit, by increasing index
	Pop      float64         // Σ P_u of the layer
	// Unplaced units lie in no commune (outside France, or no located
	// commune): rejected, each listed in Checks.
	Unplaced    int
	UnplacedPop float64
	// Offshore units lie in no commune polygon but within OffshoreKm of
	// one (a coast, a border sliver): placed in that commune.
	Offshore int
	Checks   data.Checks
}

// UnitAccess returns the access of a demand unit at p, step 2 of the
// method evaluated at the unit's own point with the ratios R_j of the
// baseline (computed on the communes' demand):
//
//	A_u = Σ_j G_uj·R_j·W(t_uj) / Ā   over the counted sites with t_uj ≤ d0
//
// with G_uj = W_uj / Σ_k W_uk for Method3SFCA (1 otherwise), and Ā the
// divisor of Params.Normalize (1 without it). It also returns t_u, the
// travel time to the nearest counted site (+Inf when there is none).
func (b *Baseline) UnitAccess(ctx context.Context, p geo.Place) (a, t float64, err error) {
	var buf unitBuf
	return b.e.unitAccess(ctx, p, &buf)
}

// unitBuf holds the scratch slices of one worker of unitAccess.
type unitBuf struct {
	ns  []geo.Neighbor
	pts []geo.Place
	t   []float64
}

func (e *engine) unitAccess(ctx context.Context, p geo.Place, b *unitBuf) (a, tmin float64, err error) {
	tmin = math.Inf(1)
	if !finitePoint(p.Point) || len(e.counted) == 0 {
		return 0, tmin, nil
	}
	b.ns = b.ns[:0]
	e.sidx.Within(p.Point, e.tm.reachKm(e.d0), func(n geo.Neighbor) bool {
		b.ns = append(b.ns, n)
		return true
	})
	slices.SortFunc(b.ns, func(x, y geo.Neighbor) int { return x.Index - y.Index })
	b.t = growFloats(b.t, len(b.ns))
	if e.tm.fast {
		for x, n := range b.ns {
			b.t[x] = e.tm.kmMinutes(p, n.Km)
		}
	} else {
		b.pts = b.pts[:0]
		for _, n := range b.ns {
			b.pts = append(b.pts, e.splaces[n.Index])
		}
		if err := e.tm.fromPoint(ctx, p, b.pts, b.t); err != nil {
			return 0, tmin, err
		}
	}
	var sumW, rw, rw2 float64 // Σ W_uj, Σ R_j·W_uj, Σ R_j·W_uj²
	for x, n := range b.ns {
		t := b.t[x]
		if !(t <= e.d0) {
			continue
		}
		w, r := e.p.weight(t), e.sites[e.counted[n.Index]].R
		sumW, rw, rw2 = sumW+w, rw+r*w, rw2+r*w*w
		tmin = min(tmin, t)
	}
	a = rw
	if e.p.Method == Method3SFCA { // G_uj = W_uj / Σ_k W_uk
		a = 0
		if sumW > 0 {
			a = rw2 / sumW
		}
	}
	if math.IsInf(tmin, 1) {
		if _, tmin, err = e.tm.nearest(ctx, e.sidx, e.splaces, p, -1, 2*e.tm.reachKm(e.d0)); err != nil {
			return 0, math.Inf(1), err
		}
	}
	return a / e.norm, tmin, nil
}

// Demand measures the units of layer (see CommuneDemand) on all cores.
// A unit that no commune takes is rejected with a check naming its file,
// line and id (never dropped silently); the other checks are those of
// DemandChecks.
func (b *Baseline) Demand(ctx context.Context, layer *data.DemandLayer) (*DemandSummary, error) {
	e := b.e
	us := layer.Units
	comm := make([]int, len(us))
	tu, au := make([]float64, len(us)), make([]float64, len(us))
	offshore := make([]bool, len(us))
	a := newAssigner(e.ds)
	err := parallel(ctx, len(us), e.workers, func(lo, hi int) error {
		var buf unitBuf
		for i := lo; i < hi; i++ {
			var cs data.Checks
			s := data.Site{ID: us[i].ID, Point: us[i].Point}
			code := a.assign(&s, &cs)
			k, ok := e.byComm[code]
			if !ok {
				comm[i] = -1
				continue
			}
			comm[i], offshore[i] = k, len(cs) > 0
			var err error
			if au[i], tu[i], err = e.unitAccess(ctx, geo.Place{Point: us[i].Point, Commune: code, ID: us[i].ID}, &buf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("diag: demand layer %s: %w", layer.File, err)
	}
	sum := &DemandSummary{Layer: layer}
	acc := map[int]*CommuneDemand{}
	for i, u := range us {
		sum.Pop += u.Pop
		if comm[i] < 0 {
			sum.Unplaced++
			sum.UnplacedPop += u.Pop
			sum.Checks.Add(checkDemandUnplaced(layer.File, &u))
			continue
		}
		if offshore[i] {
			sum.Offshore++
		}
		d := acc[comm[i]]
		if d == nil {
			d = &CommuneDemand{Commune: comm[i]}
			acc[comm[i]] = d
		}
		d.Units++
		d.Pop += u.Pop
		d.Pop65 += u.Pop65
		if tu[i] <= e.d0 {
			d.CoveredPop += u.Pop
		}
		if u.Pop > 0 {
			d.MeanMin += u.Pop * tu[i]
			d.Access += u.Pop * au[i]
		}
	}
	for k := range len(e.ds.Communes) {
		if d, ok := acc[k]; ok {
			if d.Pop > 0 {
				d.Share, d.MeanMin, d.Access = d.CoveredPop/d.Pop, d.MeanMin/d.Pop, d.Access/d.Pop
			} else {
				d.MeanMin, d.Access = math.NaN(), math.NaN()
			}
			sum.Communes = append(sum.Communes, *d)
		}
	}
	sum.Checks = append(sum.Checks, demandChecks(e.ds, sum)...)
	return sum, nil
}

// DemandCoverage is Demand on INSEE grid cells: the per-commune figures
// and the checks.
func (b *Baseline) DemandCoverage(ctx context.Context, cells []data.GridCell) ([]CommuneDemand, data.Checks, error) {
	l := &data.DemandLayer{File: "carreaux", Format: data.DemandGrid, Units: make([]data.DemandUnit, len(cells))}
	for i, c := range cells {
		l.Units[i] = data.DemandUnit{ID: c.ID, Line: c.Line, Point: c.Point, Pop: c.Pop, Pop65: c.Pop65, HasAges: c.HasAges}
	}
	s, err := b.Demand(ctx, l)
	if err != nil {
		return nil, nil, err
	}
	return s.Communes, s.Checks, nil
}
