package diag

import (
	"math"
	"slices"
	"strings"

	"diagnum/data"
)

// demandFragility enters the share aged 65 and over of an age-carrying
// layer (INSEE's Ind_65_79 + Ind_80p, an IRIS layer's p16_pop65p…) into
// the fragility index, at the level of the units. For each commune k of
// the layer whose populated units all have ages (CommuneDemand.Part65),
// the indicator part_65_plus (data.ColPart65Plus) takes the layer's
// share, replacing any value of the data set there:
//
//	part_65_plus_k = Σ_u P65_u / Σ_u P_u   over the units of k
//
// The index is then built again by the rule of Fragility (NewFragility
// on the data set's columns plus this one): part_65_plus has its default
// weight (DefaultWeights: 1) and so takes part only when its coverage is
// national (a layer of all France), or whatever its coverage when
// Params.Weights names it (a Warning then says the coverage is partial).
// When it takes part, a unit's fragility uses its own share, the other
// indicators being its commune's, and the commune's index is the
// population-weighted mean of its units':
//
//	Z_u = (Σ_k≠65 w_k·z_ik + w_65·(P65_u/P_u − mean_65)/sd_65) / Σ w
//	indice_fragilite_i = Σ_u P_u·100·Φ(Z_u) / Σ_u P_u
//
// (mean_65 and sd_65 over the communes' values, as for any indicator;
// a unit without ages or of population 0 takes no part, and a commune
// without all its units aged keeps its commune-level index). It sets
// s.Fragility (per commune of the data set), s.Indicators and s.Table,
// and the units' own indices (DemandPoints.Fragility), and adds
// to s.Checks the warnings about part_65_plus; it does nothing when no
// unit has ages.
func (e *engine) demandFragility(s *DemandSummary) {
	us := s.Layer.Units
	if !slices.ContainsFunc(us, func(u data.DemandUnit) bool { return u.HasAges && u.Pop > 0 }) {
		return
	}
	ds := *e.ds
	if ds.Indicators != nil {
		ds.Indicators = ds.Indicators.Clone()
	} else {
		ds.Indicators = data.NewIndicators()
	}
	col := -1
	for c, n := range ds.Indicators.Columns {
		if strings.EqualFold(n, data.ColPart65Plus) {
			col = c
		}
	}
	if col < 0 {
		col = ds.Indicators.AddColumn(data.ColPart65Plus)
	}
	aged := make([]bool, len(ds.Communes))
	for _, d := range s.Communes {
		if !math.IsNaN(d.Part65) {
			ds.Indicators.Set(ds.Communes[d.Commune].Code, col, d.Part65)
			aged[d.Commune] = true
		}
	}
	f := NewFragility(&ds, e.p.Weights)
	s.Indicators, s.Table = f.Uses, ds.Indicators
	for _, c := range f.Checks {
		if c.Err != nil && strings.EqualFold(c.Err.Column, data.ColPart65Plus) {
			s.Checks.Add(c)
		}
	}
	s.Fragility = make([]float64, len(ds.Communes))
	for k := range s.Fragility {
		s.Fragility[k] = f.indexAt(k)
	}
	k65 := slices.Index(f.cols, col)
	if k65 < 0 {
		return // part_65_plus out of the index: the communes' indices
	}
	num, den := make([]float64, len(ds.Communes)), make([]float64, len(ds.Communes))
	s.uf = make([]float64, len(us))
	for i, u := range us {
		s.uf[i] = math.NaN()
		k := s.comm[i]
		if k < 0 || !aged[k] || !(u.Pop > 0) {
			continue
		}
		s.uf[i] = f.indexWith(f.rows[k], k65, u.Pop65/u.Pop)
		num[k] += u.Pop * s.uf[i]
		den[k] += u.Pop
	}
	for k := range num {
		if den[k] > 0 {
			s.Fragility[k] = num[k] / den[k]
		}
	}
}
