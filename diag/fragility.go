package diag

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"diagnum/data"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Fragility is the standardisation of the fragility indicators over all
// the communes of a data set.
//
// Which indicators take part (the rule; see IndicatorUse for what is
// reported about each column of ds.Indicators):
//   - an indicator given a weight by the user (Params.Weights, --weights)
//     takes part with that weight when it is > 0, whatever its coverage
//     (a partial coverage is then a Warning);
//   - otherwise an indicator with a default weight (DefaultWeights) takes
//     part only when its coverage is national (NationalCoverage), so that
//     the index is built the same way in every département;
//   - any other column (a user's own indicator) takes part with weight 1,
//     with a Warning saying so.
//
// Each indicator k used is standardised over every commune of the data
// set that has a finite value: z_ik = (x_ik − mean_k) / sd_k, with gonum
// stat.MeanStdDev (unweighted; sd is the sample standard deviation). An
// indicator whose sd is 0 (or that fewer than two communes have) is
// dropped. Then
//
//	Z_i = Σ_k w_k·z_ik / Σ_k w_k   over the indicators known for commune i
//	indice_fragilite_i = 100 × Φ(Z_i)   (Φ: standard normal CDF)
//
// Missing values are left out and the weights renormalised; the index is
// NaN when no indicator is known for the commune.
type Fragility struct {
	Names  []string  // indicators used, in the order of ds.Indicators.Columns
	Weight []float64 // w_k
	Mean   []float64 // mean_k over the communes with a value
	SD     []float64 // sd_k
	// Uses tells, for every column of ds.Indicators, its coverage and
	// whether and with which weight it took part.
	Uses []IndicatorUse
	// Checks are the warnings about the weights: a user's column without
	// a weight, an indicator of partial coverage given a weight.
	Checks data.Checks
	cols   []int
	ind    *data.Indicators
	rows   []int32 // the indicator row of each commune of the data set (Indicators.Rows)
}

// NationalCoverage is the coverage an indicator needs to enter the index
// by default: a value for at least 95 % of the communes outside the
// overseas collectivities (COM), and in at least 95 % of the
// départements that have such communes. FRR (11 départements of 101) is
// below it; the unemployment rate (all but Mayotte) is above.
const NationalCoverage = 0.95

// WeightOrigin tells where the weight of an indicator comes from.
type WeightOrigin uint8

// The origins of a weight.
const (
	WeightDefault  WeightOrigin = iota // DefaultWeights
	WeightExplicit                     // Params.Weights (--weights)
	WeightImplicit                     // none known: 1, with a Warning
)

// UseStatus tells whether an indicator took part in the index, or why not.
type UseStatus uint8

// The statuses of an indicator.
const (
	Used        UseStatus = iota // in the index
	OutWeight                    // weight 0
	OutCoverage                  // default indicator whose coverage is not national
	OutConstant                  // fewer than two values, or all equal (sd 0)
	OutSpread                    // values so far apart that the mean or sd overflow float64
)

// IndicatorUse describes one indicator column and its part in the index.
type IndicatorUse struct {
	Name     string
	Weight   float64 // the weight given (default, explicit or implicit)
	Origin   WeightOrigin
	Status   UseStatus
	Communes int      // communes outside the COM with a value
	Total    int      // communes outside the COM
	Deps     int      // départements (outside the COM) with a value
	DepTotal int      // départements with communes outside the COM
	Missing  []string // départements without any value, sorted
}

// Coverage returns the share of the communes outside the COM that have a
// value (0 when there is none).
func (u IndicatorUse) Coverage() float64 {
	if u.Total == 0 {
		return 0
	}
	return float64(u.Communes) / float64(u.Total)
}

// National reports whether the coverage is national (NationalCoverage).
func (u IndicatorUse) National() bool {
	return u.Total > 0 && u.Coverage() >= NationalCoverage &&
		float64(u.Deps) >= NationalCoverage*float64(u.DepTotal)
}

// NewFragility standardises, over all the communes of ds, the indicators
// of ds chosen by the rule of Fragility. weights are the user's weights
// (nil: none), which override DefaultWeights; names are compared without
// case.
func NewFragility(ds *data.Dataset, weights map[string]float64) *Fragility {
	f := &Fragility{ind: ds.Indicators}
	if ds.Indicators == nil {
		return f
	}
	defaults := DefaultWeights()
	codes := make([]string, len(ds.Communes))
	for i := range ds.Communes {
		codes[i] = ds.Communes[i].Code
	}
	f.rows = ds.Indicators.Rows(codes)
	deps := newCommuneDeps(ds)
	x := make([]float64, 0, len(ds.Communes))
	for col, name := range ds.Indicators.Columns {
		u := indicatorCoverage(ds, deps, f.rows, col)
		u.Name = name
		key := strings.ToLower(name)
		w, explicit := weights[key]
		switch {
		case explicit:
			u.Weight, u.Origin = w, WeightExplicit
		default:
			if w, ok := defaults[key]; ok {
				u.Weight, u.Origin = w, WeightDefault
			} else {
				u.Weight, u.Origin = 1, WeightImplicit
			}
		}
		x = x[:0]
		for _, r := range f.rows {
			if v, ok := ds.Indicators.At(r, col); ok && !math.IsInf(v, 0) {
				x = append(x, v)
			}
		}
		var mean, sd float64
		if len(x) >= 2 {
			mean, sd = stat.MeanStdDev(x, nil)
		}
		switch {
		case !(u.Weight > 0) || math.IsInf(u.Weight, 0):
			u.Status = OutWeight
		case u.Origin == WeightDefault && !u.National():
			u.Status = OutCoverage
		case len(x) >= 2 && (math.IsInf(mean, 0) || math.IsInf(sd, 0) || math.IsNaN(sd)):
			u.Status = OutSpread
			f.Checks.Warn(&data.ParseError{File: "indicateurs", Column: u.Name, Err: fmt.Errorf(
				"%w: indicateur %q écarté de l'indice : ses valeurs sont si éloignées que leur moyenne ou leur écart type dépasse les nombres représentables (valeurs de l'ordre de 1e308) ; vérifier l'unité ou les valeurs aberrantes",
				data.ErrBadValue, u.Name)})
		case !(sd > 0):
			u.Status = OutConstant
		}
		f.Uses = append(f.Uses, u)
		if u.Status != Used {
			continue
		}
		f.warn(u)
		f.Names = append(f.Names, name)
		f.Weight = append(f.Weight, u.Weight)
		f.Mean = append(f.Mean, mean)
		f.SD = append(f.SD, sd)
		f.cols = append(f.cols, col)
	}
	return f
}

// warn records the warnings about an indicator used in the index.
func (f *Fragility) warn(u IndicatorUse) {
	switch {
	case u.Origin == WeightImplicit:
		f.Checks.Warn(&data.ParseError{File: "indicateurs", Column: u.Name, Err: fmt.Errorf(
			"%w: indicateur %q sans poids (--weights) : poids 1 par défaut", data.ErrBadValue, u.Name)})
	case u.Origin == WeightExplicit && !u.National():
		f.Checks.Warn(&data.ParseError{File: "indicateurs", Column: u.Name, Err: fmt.Errorf(
			"%w: indicateur %q de couverture partielle (%d communes sur %d, %d départements sur %d) retenu par --weights : l'indice n'est pas construit de la même façon partout",
			data.ErrBadValue, u.Name, u.Communes, u.Total, u.Deps, u.DepTotal)})
	}
}

// indicatorCoverage counts the communes and départements outside the COM
// that have a value in column col; rows are the communes' indicator rows.
func indicatorCoverage(ds *data.Dataset, deps *communeDeps, rows []int32, col int) IndicatorUse {
	var u IndicatorUse
	has := make([]bool, len(deps.names))
	for i, c := range ds.Communes {
		if c.Zone == data.ZoneCOM {
			continue
		}
		u.Total++
		if v, ok := ds.Indicators.At(rows[i], col); ok && !math.IsInf(v, 0) {
			u.Communes++
			has[deps.of[i]] = true
		}
	}
	u.DepTotal = len(deps.names)
	for d, h := range has {
		if h {
			u.Deps++
		} else {
			u.Missing = append(u.Missing, deps.names[d])
		}
	}
	sort.Strings(u.Missing)
	return u
}

// communeDeps numbers the départements of the communes outside the COM:
// of[i] is the number of commune i's département in names.
type communeDeps struct {
	of    []int32
	names []string
}

func newCommuneDeps(ds *data.Dataset) *communeDeps {
	d := &communeDeps{of: make([]int32, len(ds.Communes))}
	num := map[string]int32{}
	for i, c := range ds.Communes {
		if c.Zone == data.ZoneCOM {
			continue
		}
		k, ok := num[c.Dep]
		if !ok {
			k = int32(len(d.names))
			num[c.Dep] = k
			d.names = append(d.names, c.Dep)
		}
		d.of[i] = k
	}
	return d
}

// Index returns indice_fragilite of the commune code (0–100), or NaN
// when none of the indicators is known for it.
func (f *Fragility) Index(code string) float64 {
	if f.ind == nil {
		return math.NaN()
	}
	return f.indexRow(f.ind.Row(code))
}

// indexAt is Index of commune i of the data set, without a map lookup.
func (f *Fragility) indexAt(i int) float64 {
	if f.rows == nil {
		return math.NaN()
	}
	return f.indexRow(f.rows[i])
}

// indexRow is Index of indicator row r.
func (f *Fragility) indexRow(r int32) float64 {
	return f.indexWith(r, -1, 0)
}

// indexWith is indexRow of row r with the value of the k-th indicator
// used (f.cols[k]) replaced by v (k < 0: none replaced).
func (f *Fragility) indexWith(r int32, k int, v float64) float64 {
	var num, den float64
	for x, col := range f.cols {
		y := v
		if x != k {
			var ok bool
			if y, ok = f.ind.At(r, col); !ok || math.IsInf(y, 0) {
				continue
			}
		}
		num += f.Weight[x] * ((y - f.Mean[x]) / f.SD[x])
		den += f.Weight[x]
	}
	if den == 0 {
		return math.NaN()
	}
	return 100 * distuv.UnitNormal.CDF(num/den)
}

// Gap returns score_ecart, the population-equivalent lacking access, for
// a commune of population p, fragility index frag (NaN = unknown), E2SFCA
// accessibility a (A_i, per inhabitant), coverage and national median
// accessibility amed:
//
//	F      = frag, or 50 when frag is NaN
//	need   = P × (0.5 + F/100)
//	deficit = max(0, (Amed − A) / Amed)   (0 when Amed = 0)
//	lack   = (deficit + (1 − couvert)) / 2
//	score_ecart = need × lack
func Gap(p int, frag, a float64, covered bool, amed float64) float64 {
	share := 0.0
	if covered {
		share = 1
	}
	return GapShare(p, frag, a, share, amed)
}

// GapShare is Gap with a covered share (part_couverte, 0–1) in place of
// couvert: lack = (deficit + (1 − share)) / 2. A commune measured on a
// demand layer (Baseline.ApplyDemand) uses it.
func GapShare(p int, frag, a, share, amed float64) float64 {
	f := frag
	if math.IsNaN(f) {
		f = 50
	}
	need := float64(max(p, 0)) * (0.5 + f/100)
	deficit := 0.0
	if amed > 0 {
		deficit = max(0, (amed-a)/amed)
	}
	lack := (deficit + (1 - share)) / 2
	return need * lack
}

// Kernel returns the Gaussian distance-decay weight of E2SFCA (Dai 2010)
// for a travel time t and a catchment d0:
//
//	W(t) = (exp(−½(t/d0)²) − exp(−½)) / (1 − exp(−½))   for t ≤ d0
//	W(t) = 0                                            beyond
//
// so W(0) = 1 and W(d0) = 0.
func Kernel(t, d0 float64) float64 {
	if !(t <= d0) {
		return 0
	}
	return gaussKernel(t / d0)
}

// gaussKernel is Kernel of r = t/d0 for t ≤ d0.
func gaussKernel(r float64) float64 {
	return max(0, (math.Exp(-0.5*r*r)-expHalf)/oneMinusExpHalf)
}

// expHalf is exp(−½); oneMinusExpHalf is 1 − exp(−½).
var (
	expHalf         = math.Exp(-0.5)
	oneMinusExpHalf = 1 - expHalf
)
