package diag

import (
	"context"
	"fmt"
	"math"
	"slices"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// Baseline is a national diagnostic kept together with its travel-time
// machinery and spatial indexes, so that the placement planner
// (diag/plan) can evaluate new sites incrementally with the very
// formulas, times and kernel of Compute. It is read-only after
// NewBaseline and safe for concurrent use.
type Baseline struct {
	// Result is the diagnostic, identical to Compute(ctx, ds, params).
	Result *Result
	e      *engine
	demand *demandState // the demand layer applied (ApplyDemand), nil without
}

// NewBaseline computes the diagnostic of ds exactly as Compute does and
// keeps the engine's state for Catchments, Access and NearestSite.
func NewBaseline(ctx context.Context, ds *data.Dataset, params Params) (*Baseline, error) {
	e, err := nationalEngine(ctx, ds, params)
	if err != nil {
		return nil, err
	}
	return e.baseline()
}

// baseline computes the measures of every commune from the engine's
// national passes and keeps the engine.
func (e *engine) baseline() (*Baseline, error) {
	res, err := e.nationalResult()
	if err != nil {
		return nil, err
	}
	return &Baseline{Result: res, e: e}, nil
}

// Dataset returns the data set the baseline was computed from.
func (b *Baseline) Dataset() *data.Dataset { return b.e.ds }

// Access returns a copy of A_i, the E2SFCA accessibility of every commune
// per inhabitant (Access10k = A_i × 10,000), in data order.
func (b *Baseline) Access() []float64 { return slices.Clone(b.e.a) }

// MedianAccess returns Amed, the median of A_i over the populated
// communes of the data set (MedianAccess), as score_ecart uses it.
func (b *Baseline) MedianAccess() float64 { return b.e.medianAccess(b.e.a) }

// Location returns the representative point of commune i (its point,
// else the representative point of its polygon), and false when it has
// neither and takes no part in travel times.
func (b *Baseline) Location(i int) (orb.Point, bool) {
	if i < 0 || i >= len(b.e.loc) {
		return orb.Point{}, false
	}
	return b.e.loc[i], b.e.has[i]
}

// Reach is a commune within the catchment of a point.
type Reach struct {
	Commune int32   // index in Dataset.Communes (and Result.Communes)
	Minutes float64 // travel time t from the commune to the point, ≤ ThresholdMin
	W       float64 // W(Minutes), the weight of the method and kernel in use (Params.Method, Params.Decay)
}

// Catchments returns, for each point of pts, the communes within
// ThresholdMin of it by increasing commune index: exactly the pairs
// Compute finds for a counted site placed at that point (same travel
// times bit for bit), so that such a site would cover those communes and
// have R = S / Σ P_k·W in that order, W being the weight of the
// baseline's method and kernel (Kernel for the default E2SFCA). A
// non-finite point reaches nothing.
func (b *Baseline) Catchments(ctx context.Context, pts []orb.Point) ([][]Reach, error) {
	places := make([]geo.Place, len(pts))
	for i, p := range pts {
		places[i] = geo.At(p)
	}
	return b.CatchmentsOf(ctx, places)
}

// CatchmentsOf is Catchments for places that carry their commune (and
// id), so that a travel-time table keyed by codes can answer.
func (b *Baseline) CatchmentsOf(ctx context.Context, pts []geo.Place) ([][]Reach, error) {
	e := b.e
	out := make([][]Reach, len(pts))
	reach := e.tm.reachKm(e.d0)
	err := parallel(ctx, len(pts), e.workers, func(lo, hi int) error {
		var buf siteBuf
		for q := lo; q < hi; q++ {
			rs, err := e.appendCatchment(ctx, nil, &e.communes, pts[q], reach, &buf)
			if err != nil {
				return err
			}
			out[q] = rs
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calcul des bassins : %w", err)
	}
	return out, nil
}

// NearestSite returns the index in Result.Sites of the counted site with
// the smallest travel time from p (ties to the lowest index) and that
// time, or (-1, +Inf) when no site is counted or p is not finite.
func (b *Baseline) NearestSite(ctx context.Context, p orb.Point) (int, float64, error) {
	return b.NearestSiteOf(ctx, geo.At(p))
}

// NearestSiteOf is NearestSite for a place that carries its commune.
func (b *Baseline) NearestSiteOf(ctx context.Context, p geo.Place) (int, float64, error) {
	e := b.e
	if !finitePoint(p.Point) || len(e.counted) == 0 {
		return -1, math.Inf(1), nil
	}
	q, t, err := e.nearestCounted(ctx, p, -1, e.tm.reachKm(e.d0)/2)
	if err != nil || q < 0 {
		return -1, math.Inf(1), err
	}
	return e.counted[q], t, nil
}

// Assign places sites in the communes of the baseline's data set, as
// Assign does for ds.Sites (the data set is not modified).
func (b *Baseline) Assign(sites []data.Site) ([]data.Site, data.Checks) {
	ds := b.e.ds
	return Assign(&data.Dataset{Communes: ds.Communes, Renamed: ds.Renamed, Sites: sites})
}

// SupplyFor returns S_j, the supply Compute gives a site of kind k whose
// file declares fte advisors: FTEPerSite[k] when set, else fte; and
// false when sites of kind k do not count as supply. p is taken with its
// defaults (WithDefaults).
func (p Params) SupplyFor(k data.SiteKind, fte float64) (float64, bool) {
	return p.WithDefaults().supply(k, fte)
}
