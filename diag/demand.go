package diag

import (
	"context"
	"fmt"
	"math"

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
//	Part65     = Pop65 / Pop when every unit of population > 0 has ages
//	             and Pop > 0 (part_65_plus), NaN otherwise
type CommuneDemand struct {
	Commune         int // index in the data set's communes
	Units           int
	Pop, CoveredPop float64
	Pop65, Part65   float64
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
	// Access is A per commune (data order) with the layer as demand:
	// the population-weighted access of its units for a commune of the
	// layer, A_k at its point otherwise (hybridAccess).
	Access []float64
	// R and ReachPop are R_j and its denominator per site (Result.Sites
	// order; 0 for a site not counted) with the layer as demand.
	R, ReachPop []float64
	// Fragility is indice_fragilite per commune (data order) with the
	// layer's part_65_plus (demandFragility), and Indicators the use of
	// every indicator in that index, Table the data set's indicators
	// with the layer's part_65_plus; all nil when no unit has ages.
	Fragility  []float64
	Indicators []IndicatorUse
	Table      *data.Indicators
	comm       []int     // commune of each unit, -1 when unplaced
	au, tu     []float64 // A_u and t_u of each unit (0 for an unplaced unit)
	// uf is each unit's own fragility index where part_65_plus enters
	// the index at the units' level (demandFragility), NaN for the units
	// that take no part; nil when it does not.
	uf []float64
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

// unitBuf holds the scratch slices of one worker of unitAccess: the
// sites within reach of a unit and their times (siteBuf, ns indexed by
// counted position), and its pairs.
type unitBuf struct {
	siteBuf
	ss sortScratch
	pq []int32
	pw []float64
}

func (e *engine) unitAccess(ctx context.Context, p geo.Place, b *unitBuf) (a, tmin float64, err error) {
	qs, ws, tmin, err := e.unitPairs(ctx, p, b)
	if err != nil {
		return 0, tmin, err
	}
	g := unitSelection(e.p.Method, ws)
	for x, q := range qs {
		a += g(ws[x]) * e.sites[e.counted[q]].R * ws[x]
	}
	return a / e.norm, tmin, nil
}

// unitPairs returns the counted sites q within d0 of p by increasing
// index, with their weights W(t) (ws[x] for qs[x]), and t_u, the travel
// time to the nearest counted site (+Inf when there is none). The pairs
// live in b until its next use.
func (e *engine) unitPairs(ctx context.Context, p geo.Place, b *unitBuf) (qs []int32, ws []float64, tmin float64, err error) {
	if !finitePoint(p.Point) || len(e.counted) == 0 {
		return nil, nil, math.Inf(1), nil
	}
	b.ns = e.sidx().AppendWithin(b.ns[:0], p.Point, e.tm.reachKm(e.d0))
	sortNeighbors(b.ns, &b.ss)
	return e.pairsOfNeighbors(ctx, p, b)
}

// unitPairsOf is unitPairs with the sites within reach of p taken from
// cands, counted sites by increasing index holding every one within
// reach of p (a cell's candidates, passWorker.cell): the same pairs and
// time bit for bit, without a search of the tree.
func (e *engine) unitPairsOf(ctx context.Context, p geo.Place, cands []geo.Neighbor, b *unitBuf) (qs []int32, ws []float64, tmin float64, err error) {
	if !finitePoint(p.Point) || len(e.counted) == 0 {
		return nil, nil, math.Inf(1), nil
	}
	b.ns = e.sidx().AppendWithinOf(b.ns[:0], cands, p.Point, e.tm.reachKm(e.d0))
	return e.pairsOfNeighbors(ctx, p, b)
}

// pairsOfNeighbors is the rest of unitPairs once b.ns holds the sites
// within reach of p by increasing index.
func (e *engine) pairsOfNeighbors(ctx context.Context, p geo.Place, b *unitBuf) (qs []int32, ws []float64, tmin float64, err error) {
	tmin = math.Inf(1)
	if err := e.neighborTimes(ctx, p, e.countedPlace, false, &b.siteBuf); err != nil {
		return nil, nil, tmin, err
	}
	b.pq, b.pw = b.pq[:0], b.pw[:0]
	kern := e.p.kernel()
	for x, n := range b.ns {
		if t := b.t[x]; t <= e.d0 {
			b.pq, b.pw = append(b.pq, int32(n.Index)), append(b.pw, kern.Weight(t, e.d0))
			tmin = min(tmin, t)
		}
	}
	if math.IsInf(tmin, 1) {
		if _, tmin, err = e.tm.nearest(ctx, e.sidx(), e.splaces, p, -1, 2*e.tm.reachKm(e.d0)); err != nil {
			return nil, nil, math.Inf(1), err
		}
	}
	return b.pq, b.pw, tmin, nil
}

// unitSelection returns G(W_uj) for the weights ws of the pairs of a
// unit: W_uj / Σ_k W_uk for Method3SFCA (0 when the sum is 0), 1
// otherwise.
func unitSelection(m Method, ws []float64) func(w float64) float64 {
	if m != Method3SFCA {
		return func(float64) float64 { return 1 }
	}
	var sum float64
	for _, w := range ws {
		sum += w
	}
	return func(w float64) float64 {
		if sum > 0 {
			return w / sum
		}
		return 0
	}
}

// Demand measures the units of layer (see CommuneDemand) on all cores,
// the layer taking the place of the commune points as demand where it
// has population (hybridAccess). A unit that no commune takes is
// rejected with a check naming its file, line and id (never dropped
// silently); the other checks are those of demandChecks.
func (b *Baseline) Demand(ctx context.Context, layer *data.DemandLayer) (*DemandSummary, error) {
	e := b.e
	us := layer.Units
	ps, err := e.placeUnits(ctx, us)
	if err != nil {
		return nil, fmt.Errorf("couche de demande %s : %w", layer.File, err)
	}
	blocks, err := e.siteSumsOf(ctx, us, ps)
	if err != nil {
		return nil, fmt.Errorf("couche de demande %s : %w", layer.File, err)
	}
	comm, tu := ps.comm, ps.tu
	sum := &DemandSummary{Layer: layer}
	acc := make([]CommuneDemand, len(e.ds.Communes)) // Units > 0: the commune holds units
	noAges := make([]bool, len(e.ds.Communes))
	for i := range us {
		u := &us[i]
		sum.Pop += u.Pop
		if comm[i] < 0 {
			sum.Unplaced++
			sum.UnplacedPop += u.Pop
			sum.Checks.Add(checkDemandUnplaced(layer.File, u))
			continue
		}
		if ps.offshore[i] {
			sum.Offshore++
		}
		d := &acc[comm[i]]
		d.Units++
		d.Pop += u.Pop
		d.Pop65 += u.Pop65
		if u.Pop > 0 && !u.HasAges {
			noAges[comm[i]] = true
		}
		if tu[i] <= e.d0 {
			d.CoveredPop += u.Pop
		}
		if u.Pop > 0 {
			d.MeanMin += u.Pop * tu[i]
		}
	}
	inLayer := make([]bool, len(e.ds.Communes))
	for k := range acc {
		inLayer[k] = acc[k].Units > 0 && acc[k].Pop > 0
	}
	au, err := e.hybridAccess(ctx, sum, us, ps, blocks, inLayer)
	if err != nil {
		return nil, fmt.Errorf("couche de demande %s : %w", layer.File, err)
	}
	for i := range us {
		if comm[i] >= 0 && us[i].Pop > 0 {
			acc[comm[i]].Access += us[i].Pop * au[i]
		}
	}
	for k := range acc {
		if d := &acc[k]; d.Units > 0 {
			d.Commune = k
			d.Part65 = math.NaN()
			if d.Pop > 0 {
				d.Share, d.MeanMin, d.Access = d.CoveredPop/d.Pop, d.MeanMin/d.Pop, d.Access/d.Pop
				sum.Access[k] = d.Access
				if !noAges[k] {
					d.Part65 = d.Pop65 / d.Pop
				}
			} else {
				d.MeanMin, d.Access = math.NaN(), math.NaN()
			}
			sum.Communes = append(sum.Communes, *d)
		}
	}
	sum.Checks = append(sum.Checks, demandChecks(e.ds, sum)...)
	sum.comm, sum.au, sum.tu = comm, au, tu
	e.demandFragility(sum)
	return sum, nil
}

// hybridAccess runs the two steps of the method (see Method) over a
// demand made of the layer's units, in the communes where the layer has
// population (inLayer), and of the other communes' points:
//
//	R_j = S_j / (Σ_k∉layer G_kj·P_k·W_kj + Σ_u G_uj·P_u·W_uj)
//	A_u = Σ_j G_uj·R_j·W_uj,   A_k = Σ_j G_kj·R_j·W_kj (k ∉ layer)
//
// (divided by Ā = Σ P·A / Σ P over both with Params.Normalize), so that
// the supply is conserved: Σ_k∉layer P_k·A_k + Σ_u P_u·A_u = Σ_j S_j over
// the sites with a non-empty catchment. A site that reaches no unit
// keeps the sums, in the same order, and so the R_j, of Compute. It sets
// s.Access (A_k for the communes outside the layer; the caller sets the
// others), s.R and s.ReachPop, and returns A_u.
func (e *engine) hybridAccess(ctx context.Context, s *DemandSummary, us []data.DemandUnit, ps *unitPass, blocks [][]siteSum, inLayer []bool) ([]float64, error) {
	n := len(e.ds.Communes)
	gk := e.selection()
	reach, err := e.reachSums(gk, inLayer)
	if err != nil {
		return nil, err
	}
	for _, b := range blocks { // a unit of population > 0 is in a commune of the layer
		for _, x := range b {
			reach[x.q] += x.v
		}
	}
	s.R, s.ReachPop = make([]float64, len(e.sites)), make([]float64, len(e.sites))
	r := make([]float64, len(e.counted))
	for q, j := range e.counted {
		if reach[q] > 0 {
			r[q] = e.sites[j].SupplyFTE / reach[q]
		}
		s.R[j], s.ReachPop[j] = r[q], reach[q]
	}
	s.Access = make([]float64, n)
	var num, den float64
	for k := range n {
		if inLayer[k] {
			continue
		}
		s.Access[k] = e.access(k, gk, r)
		if e.has[k] {
			num, den = num+e.pop[k]*s.Access[k], den+e.pop[k]
		}
	}
	comm := ps.comm
	au := make([]float64, len(us))
	err = parallel(ctx, len(us), e.workers, func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			if comm[i] < 0 {
				continue
			}
			qs, ws := ps.pairs(i)
			g := unitSelection(e.p.Method, ws)
			for x, q := range qs {
				au[i] += g(ws[x]) * r[q] * ws[x]
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range us {
		if comm[i] >= 0 && us[i].Pop > 0 {
			num, den = num+us[i].Pop*au[i], den+us[i].Pop
		}
	}
	if e.p.Normalize && num > 0 && den > 0 {
		m := num / den
		for k := range s.Access {
			s.Access[k] /= m
		}
		for i := range au {
			au[i] /= m
		}
	}
	return au, nil
}

// demandBlock is the number of units per block of Demand's sums of R_j's
// denominators (siteSumsOf) and per chunk of its first pass (placeUnits).
const demandBlock = 4096

// unitPlace is the place of unit u of commune code for the timer.
func unitPlace(u *data.DemandUnit, code string) geo.Place {
	return geo.Place{Point: u.Point, Commune: code, ID: u.ID}
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
