package data

import (
	"maps"
	"slices"
)

// Clone returns a copy of ds that a run may change without changing ds:
// the slices and maps a run replaces or extends (communes, sites,
// checks, indicators, renamed codes, sources) are copied. Geometries
// (commune points and polygons) are shared: nothing changes them.
func (ds *Dataset) Clone() *Dataset {
	cp := *ds
	cp.Communes = slices.Clone(ds.Communes)
	cp.Departements = slices.Clone(ds.Departements)
	cp.Regions = slices.Clone(ds.Regions)
	cp.EPCIs = slices.Clone(ds.EPCIs)
	cp.Sites = slices.Clone(ds.Sites)
	cp.Renamed = maps.Clone(ds.Renamed)
	cp.Sources = slices.Clone(ds.Sources)
	cp.Checks = slices.Clone(ds.Checks)
	cp.SiteChecks = slices.Clone(ds.SiteChecks)
	if ds.Indicators != nil {
		cp.Indicators = ds.Indicators.Clone()
	}
	return &cp
}

// Clone returns a copy of t whose columns and values can be changed
// without changing t.
func (t *Indicators) Clone() *Indicators {
	cp := &Indicators{Columns: slices.Clone(t.Columns), row: maps.Clone(t.row), vals: make([][]float64, len(t.vals))}
	for c, v := range t.vals {
		cp.vals[c] = slices.Clone(v)
	}
	return cp
}
