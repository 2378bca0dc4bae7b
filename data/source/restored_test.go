package source

import (
	"errors"
	"strings"
	"testing"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// TestPlaceRestored: a parent P with the square [0,2]² as polygon and
// its town hall at (1,1); child A has neither point nor polygon (it gets
// P's point: 2 warnings), child B a point inside the square and no
// polygon (1 warning), child C a point outside it (2 warnings), child D
// point and polygon (untouched), E a child whose parent is unknown.
func TestPlaceRestored(t *testing.T) {
	sq := orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}}}
	cs := []data.Commune{
		{Code: "P", Name: "Parent", Point: orb.Point{1, 1}, HasPoint: true, Polygon: sq},
		{Code: "A", Name: "Sans rien"},
		{Code: "B", Name: "Dedans", Point: orb.Point{0.5, 0.5}, HasPoint: true},
		{Code: "C", Name: "Dehors", Point: orb.Point{3, 3}, HasPoint: true},
		{Code: "D", Name: "Complet", Point: orb.Point{5, 5}, HasPoint: true, Polygon: sq},
		{Code: "E", Name: "Orphelin"},
	}
	checks := PlaceRestored("communes", cs, map[string]string{"A": "P", "B": "P", "C": "P", "D": "P", "E": "X"})
	if !cs[1].HasPoint || cs[1].Point != (orb.Point{1, 1}) {
		t.Errorf("A: point %v %v, want P's (1,1)", cs[1].HasPoint, cs[1].Point)
	}
	if cs[2].Point != (orb.Point{0.5, 0.5}) || cs[5].HasPoint {
		t.Errorf("B moved or E placed: %v, %v", cs[2].Point, cs[5].HasPoint)
	}
	per := map[string]int{}
	for _, c := range checks {
		per[c.Commune]++
		if c.Severity != data.Warning || c.Kind != data.CheckCoordinate || !errors.Is(c.Err, data.ErrBadCoordinate) {
			t.Errorf("check %+v: want a coordinate warning", c)
		}
	}
	if per["A"] != 2 || per["B"] != 1 || per["C"] != 2 || per["D"] != 0 || per["E"] != 0 || len(checks) != 5 {
		t.Errorf("checks per commune %v, want A 2, B 1, C 2", per)
	}
	if !strings.Contains(checks[0].Err.Error(), "point de la mairie de P Parent") {
		t.Errorf("first check %q does not name the parent", checks[0].Err)
	}
}
