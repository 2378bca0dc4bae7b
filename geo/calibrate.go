package geo

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// KmTime is a travel time observed over a great-circle distance.
type KmTime struct {
	Km      float64 // great-circle distance, km (> 0)
	Minutes float64 // real travel time, minutes
}

// FitModel returns the model that best fits obs in the least-absolute-
// deviations sense. Times alone determine only the ratio r = Detour /
// SpeedKmh × 60 (minutes per crow-fly km), so Detour is kept as given
// and the speed is fitted:
//
//	r* = argmin_r Σ_k |t_k − r·km_k| = the km-weighted median of t_k / km_k
//	SpeedKmh = Detour × 60 / r*
//
// (stat.Quantile(0.5, stat.Empirical) with weights km_k). Pairs with
// km ≤ 0 are ignored. ok is false when no pair is usable or r* ≤ 0.
func FitModel(obs []KmTime, detour float64) (m Model, ok bool) {
	type wr struct{ r, w float64 }
	v := make([]wr, 0, len(obs))
	for _, o := range obs {
		if o.Km > 0 && o.Minutes >= 0 && !math.IsInf(o.Minutes, 0) {
			v = append(v, wr{o.Minutes / o.Km, o.Km})
		}
	}
	if len(v) == 0 {
		return Model{}, false
	}
	slices.SortFunc(v, func(a, b wr) int {
		switch {
		case a.r < b.r:
			return -1
		case a.r > b.r:
			return 1
		}
		return 0
	})
	x, w := make([]float64, len(v)), make([]float64, len(v))
	for k := range v {
		x[k], w[k] = v[k].r, v[k].w
	}
	r := stat.Quantile(0.5, stat.Empirical, x, w)
	if !(r > 0) {
		return Model{}, false
	}
	return Model{Detour: detour, SpeedKmh: detour * 60 / r}, true
}

// AbsErrors returns the median and the 90th percentile of
// |time(k) − t_k| over obs (stat.Quantile, stat.Empirical), where time
// gives the modelled time of pair k; NaN when obs is empty.
func AbsErrors(obs []KmTime, time func(k int) float64) (median, p90 float64) {
	if len(obs) == 0 {
		return math.NaN(), math.NaN()
	}
	e := make([]float64, len(obs))
	for k, o := range obs {
		e[k] = math.Abs(time(k) - o.Minutes)
	}
	slices.Sort(e)
	return stat.Quantile(0.5, stat.Empirical, e, nil), stat.Quantile(0.9, stat.Empirical, e, nil)
}
