package diag

import (
	"math"
	"sort"

	"diagnum/data"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Fragility is the standardisation of the fragility indicators over all
// the communes of a data set.
//
// Each indicator k used (a column of ds.Indicators with a finite weight
// w_k > 0) is standardised over every commune of the data set that has a
// finite value: z_ik = (x_ik − mean_k) / sd_k, with gonum stat.MeanStdDev
// (unweighted; sd is the sample standard deviation). An indicator whose
// sd is 0 (or that fewer than two communes have) is dropped. Then
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
	cols   []int
	ind    *data.Indicators
}

// NewFragility standardises, over all the communes of ds, the indicators
// of ds that have a weight > 0 in weights merged over the defaults
// (MergeWeights: nil = DefaultWeights).
func NewFragility(ds *data.Dataset, weights map[string]float64) *Fragility {
	weights = MergeWeights(weights)
	f := &Fragility{ind: ds.Indicators}
	if ds.Indicators == nil {
		return f
	}
	x := make([]float64, 0, len(ds.Communes))
	for col, name := range ds.Indicators.Columns {
		w, ok := weights[name]
		if !ok || !(w > 0) || math.IsInf(w, 0) {
			continue
		}
		x = x[:0]
		for _, c := range ds.Communes {
			if v, ok := ds.Indicators.Get(c.Code, col); ok && !math.IsInf(v, 0) {
				x = append(x, v)
			}
		}
		if len(x) < 2 {
			continue
		}
		mean, sd := stat.MeanStdDev(x, nil)
		if !(sd > 0) || math.IsInf(sd, 0) {
			continue
		}
		f.Names = append(f.Names, name)
		f.Weight = append(f.Weight, w)
		f.Mean = append(f.Mean, mean)
		f.SD = append(f.SD, sd)
		f.cols = append(f.cols, col)
	}
	return f
}

// Index returns indice_fragilite of the commune code (0–100), or NaN
// when none of the indicators is known for it.
func (f *Fragility) Index(code string) float64 {
	var num, den float64
	for k, col := range f.cols {
		v, ok := f.ind.Get(code, col)
		if !ok || math.IsInf(v, 0) {
			continue
		}
		num += f.Weight[k] * ((v - f.Mean[k]) / f.SD[k])
		den += f.Weight[k]
	}
	if den == 0 {
		return math.NaN()
	}
	return 100 * distuv.UnitNormal.CDF(num/den)
}

// MedianAccess returns Amed, the median of A_i over the communes with
// P_i > 0: stat.Quantile(0.5, stat.Empirical, sorted A, nil), i.e. the
// lowest value at or above half of them. It is 0 when no commune is
// populated.
func MedianAccess(a []float64, pop []int) float64 {
	var x []float64
	for i, v := range a {
		if pop[i] > 0 {
			x = append(x, v)
		}
	}
	if len(x) == 0 {
		return 0
	}
	sort.Float64s(x)
	return stat.Quantile(0.5, stat.Empirical, x, nil)
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
	f := frag
	if math.IsNaN(f) {
		f = 50
	}
	need := float64(max(p, 0)) * (0.5 + f/100)
	deficit := 0.0
	if amed > 0 {
		deficit = max(0, (amed-a)/amed)
	}
	uncovered := 1.0
	if covered {
		uncovered = 0
	}
	lack := (deficit + uncovered) / 2
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
	r := t / d0
	return max(0, (math.Exp(-0.5*r*r)-expHalf)/(1-expHalf))
}

// expHalf is exp(−½).
var expHalf = math.Exp(-0.5)
