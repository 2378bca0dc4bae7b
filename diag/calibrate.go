package diag

import (
	"context"
	"fmt"
	"math"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// MinClassPairs is the number of table pairs a density class needs for
// parameters of its own; a class with fewer keeps the overall fit.
const MinClassPairs = 100

// Fit is the fit of the model on a set of table pairs.
type Fit struct {
	Class             int // density class 1–7, 0 for every pair
	Pairs             int
	Model             geo.Model // fitted (the overall fit for a class with too few pairs)
	Own               bool      // the class has its own parameters (Pairs ≥ MinClassPairs)
	MedianErr, P90Err float64   // |fitted − real| (per-class model), minutes
	DefMedianErr      float64   // |default − real|, median
	DefP90Err         float64   // |default − real|, 90th percentile
}

// Calibration is the result of Calibrate.
type Calibration struct {
	Default geo.Model // the model compared with (Params' detour and speed)
	All     Fit       // every pair; MedianErr/P90Err with the per-class model
	Overall Fit       // every pair, with the single overall model
	Classes []Fit     // classes 1–7 with at least one pair
	Skipped int       // table pairs left out: unknown commune, no point, same point, site destination
	// Coverage at ThresholdMin of the table's communes, with the sites of
	// those communes: the share whose couvert differs from the one the
	// real times give, with the default and with the fitted model.
	ThresholdMin                 float64
	Communes                     int
	CoverageDefault, CoverageFit float64
	Timer                        geo.ClassModel // the fitted model, per class
}

// Calibrate fits the crow-fly model (FitModel: detour kept, speed
// fitted) on the commune-to-commune pairs of a real travel-time table,
// overall and per density class of the origin commune (the densite
// indicator of ds, INSEE grid 1–7), and measures the error of the default
// model (params' Detour and SpeedKmh) and of the fitted one:
//
//	pairs:    (i, j) in the table, i ≠ j, both communes of ds with a point
//	error:    |t_model(i, j) − t_table(i, j)|, median and 90th percentile
//	coverage: share of the table's communes whose couvert (nearest counted
//	          site within ThresholdMin) differs from the real times', the
//	          sites being those of ds located in those communes
//
// With maxMinutes > 0 the fit uses only the pairs whose real time is at
// most maxMinutes (the errors are still measured over every pair): the
// proportional model cannot match both short and long trips, and the
// short ones decide coverage.
func Calibrate(ctx context.Context, ds *data.Dataset, tab *data.TravelTable, params Params, maxMinutes float64) (*Calibration, error) {
	p := params.WithDefaults()
	c := &Calibration{Default: geo.Model{Detour: p.Detour, SpeedKmh: p.SpeedKmh}, ThresholdMin: p.ThresholdMin}
	pts, class := communePointsClasses(ds)
	var obs []geo.KmTime
	var cls []int
	tab.Each(func(o, d string, site bool, v float64) {
		a, okA := pts[o]
		b, okB := pts[d]
		km := geo.HaversineKm(a, b)
		if site || !okA || !okB || !(km > 0) {
			c.Skipped++
			return
		}
		obs, cls = append(obs, geo.KmTime{Km: km, Minutes: v}), append(cls, class(o))
	})
	fitOn := func(x []geo.KmTime) (geo.Model, bool) {
		if maxMinutes > 0 {
			var keep []geo.KmTime
			for _, o := range x {
				if o.Minutes <= maxMinutes {
					keep = append(keep, o)
				}
			}
			x = keep
		}
		return geo.FitModel(x, p.Detour)
	}
	overall, ok := fitOn(obs)
	if !ok {
		return nil, fmt.Errorf("%w : %s : aucune paire de communes avec des points sur laquelle caler le modèle (%d paires écartées)", data.ErrEmptyFile, tab.File, c.Skipped)
	}
	c.Timer = geo.ClassModel{All: overall, ByClass: map[int]geo.Model{}, Class: class}
	var byClass [8][]geo.KmTime
	for k, o := range obs {
		byClass[cls[k]] = append(byClass[cls[k]], o)
	}
	for k := 1; k <= 7; k++ {
		if len(byClass[k]) >= MinClassPairs {
			if m, ok := fitOn(byClass[k]); ok {
				c.Timer.ByClass[k] = m
			}
		}
	}
	c.All = errorsOf(0, obs, func(k int) float64 { return c.Timer.ForClass(cls[k]).MinMinutes(obs[k].Km) }, c.Default)
	c.All.Model = overall
	c.Overall = errorsOf(0, obs, func(k int) float64 { return overall.MinMinutes(obs[k].Km) }, c.Default)
	c.Overall.Model = overall
	for k := 1; k <= 7; k++ {
		if len(byClass[k]) == 0 {
			continue
		}
		m, x := c.Timer.ForClass(k), byClass[k]
		f := errorsOf(k, x, func(i int) float64 { return m.MinMinutes(x[i].Km) }, c.Default)
		_, f.Own = c.Timer.ByClass[k]
		f.Model = m
		c.Classes = append(c.Classes, f)
	}
	return c, c.coverage(ctx, ds, tab, p, pts)
}

// errorsOf returns the errors of time and of the default model on obs.
func errorsOf(class int, obs []geo.KmTime, time func(k int) float64, def geo.Model) Fit {
	f := Fit{Class: class, Pairs: len(obs)}
	f.MedianErr, f.P90Err = geo.AbsErrors(obs, time)
	f.DefMedianErr, f.DefP90Err = geo.AbsErrors(obs, func(k int) float64 { return def.MinMinutes(obs[k].Km) })
	return f
}

// communePointsClasses returns the point of every commune of ds that has
// one, and DensityClasses(ds).
func communePointsClasses(ds *data.Dataset) (map[string]orb.Point, func(code string) int) {
	pts := make(map[string]orb.Point, len(ds.Communes))
	for _, c := range ds.Communes {
		if c.HasPoint {
			pts[c.Code] = c.Point
		}
	}
	return pts, DensityClasses(ds)
}

// DensityClasses returns the density class of a commune of ds: its
// densite indicator (INSEE grid, 1–7), 0 when unknown.
func DensityClasses(ds *data.Dataset) func(code string) int {
	col := -1
	if ds.Indicators != nil {
		col = ds.Indicators.Column(data.ColDensite)
	}
	return func(code string) int {
		if col < 0 {
			return 0
		}
		v, ok := ds.Indicators.Get(code, col)
		if !ok || v < 1 || v > 7 || v != math.Trunc(v) {
			return 0
		}
		return int(v)
	}
}

// coverage compares couvert under the real, default and fitted times over
// the table's origin communes and the sites located in them.
func (c *Calibration) coverage(ctx context.Context, ds *data.Dataset, tab *data.TravelTable, p Params, pts map[string]orb.Point) error {
	in := make(map[string]bool, len(tab.Origins))
	for _, o := range tab.Origins {
		in[o] = true
	}
	sub := &data.Dataset{Indicators: ds.Indicators, Renamed: ds.Renamed}
	for _, cm := range ds.Communes {
		if in[cm.Code] {
			sub.Communes = append(sub.Communes, cm)
		}
	}
	sites, _ := Assign(ds)
	for i, s := range sites {
		if in[s.Commune] {
			sub.Sites = append(sub.Sites, ds.Sites[i])
		}
	}
	c.Communes = len(sub.Communes)
	if c.Communes == 0 {
		return nil
	}
	covered := func(t geo.TravelTimer) ([]bool, error) {
		q := p
		q.Timer = t
		res, err := Compute(ctx, sub, q)
		if err != nil {
			return nil, err
		}
		out := make([]bool, len(res.Communes))
		for i, r := range res.Communes {
			out[i] = r.Covered
		}
		return out, nil
	}
	real, err := covered(geo.NewTable(tab, geo.TableOptions{Name: tab.File, Communes: pts, Model: c.Default}))
	if err != nil {
		return err
	}
	for _, x := range []struct {
		t     geo.TravelTimer
		share *float64
	}{{c.Default, &c.CoverageDefault}, {c.Timer, &c.CoverageFit}} {
		cov, err := covered(x.t)
		if err != nil {
			return err
		}
		n := 0
		for i := range cov {
			if cov[i] != real[i] {
				n++
			}
		}
		*x.share = float64(n) / float64(len(cov))
	}
	return nil
}
