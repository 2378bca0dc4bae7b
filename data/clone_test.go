package data

import (
	"math"
	"testing"
)

// TestCloneIndependent: changing a clone (sites, checks, indicators,
// renamed codes) leaves the original as it was.
func TestCloneIndependent(t *testing.T) {
	ind := NewIndicators("a")
	ind.Set("23001", 0, 1.5)
	ds := &Dataset{
		Communes:   []Commune{{Code: "23001", Population: 10}},
		Sites:      make([]Site, 1, 4),
		Checks:     make(Checks, 1, 4),
		Indicators: ind,
		Renamed:    map[string]string{"23999": "23001"},
	}
	cp := ds.Clone()
	cp.Communes[0].Population = 20
	cp.Sites[0].ID = "x"
	_ = append(cp.Sites[:1], Site{ID: "y"})
	_ = append(cp.Checks[:1], Check{Err: &ParseError{File: "x"}})
	cp.Indicators.Set("23001", 0, 2.5)
	cp.Indicators.AddColumn("b")
	cp.Renamed["23998"] = "23001"
	if ds.Communes[0].Population != 10 || ds.Sites[0].ID != "" || ds.Sites[:2][1].ID != "" || len(ds.Renamed) != 1 {
		t.Errorf("original changed: %+v %+v %v", ds.Communes, ds.Sites, ds.Renamed)
	}
	if ds.Checks[:2][1] != (Check{}) {
		t.Error("original checks' spare capacity written")
	}
	if v, _ := ind.Get("23001", 0); v != 1.5 || len(ind.Columns) != 1 {
		t.Errorf("original indicators changed: %v, columns %v", v, ind.Columns)
	}
	if v, _ := cp.Indicators.Get("23001", 1); !math.IsNaN(v) {
		t.Errorf("clone's new column: %v, want missing", v)
	}
}
