package data

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"diagnum/geo"

	"github.com/paulmach/orb"
)

// TestLoadGridCellsCreuse reads the 50-cell extract of INSEE's 200 m grid
// (testdata/carreaux/PROVENANCE.md): 50 cells, Σ Ind = 2,845 and
// Σ (Ind_65_79 + Ind_80p) = 660.9 (counted from the file when cut); the
// most populated cell, N2596000 E3694000 (597.5 inhabitants), is in the
// centre of Guéret: its centre is within 1 km of the town hall
// (46.1714 N, 1.8717 E).
func TestLoadGridCellsCreuse(t *testing.T) {
	f, err := os.Open("../testdata/carreaux/carreaux-200m-extrait.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cells, err := LoadGridCells("carreaux-200m-extrait.csv", f)
	if err != nil {
		t.Fatal(err)
	}
	var pop, pop65 float64
	var top GridCell
	for _, c := range cells {
		pop += c.Pop
		pop65 += c.Pop65
		if c.Pop > top.Pop {
			top = c
		}
		if !c.HasAges {
			t.Errorf("%s: no ages", c.ID)
		}
	}
	if len(cells) != 50 || math.Abs(pop-2845) > 1e-9 || math.Abs(pop65-660.9) > 1e-9 {
		t.Errorf("%d cells, Σ Ind %v, Σ 65+ %v; want 50, 2845, 660.9", len(cells), pop, pop65)
	}
	if top.ID != "CRS3035RES200mN2596000E3694000" || top.Pop != 597.5 || top.Pop65 != 174 {
		t.Errorf("top cell %+v", top)
	}
	if d := geo.HaversineKm(top.Point, orb.Point{1.8717, 46.1714}); d > 1 {
		t.Errorf("top cell centre %v is %.2f km from Guéret", top.Point, d)
	}
}

// TestLoadGridCellsErrors: lower-case names (INSEE 2019+) are read and
// ages are optional; every bad row names file, line and column in French.
func TestLoadGridCellsErrors(t *testing.T) {
	cells, err := LoadGridCells("g.csv", strings.NewReader("idcar_200m;ind\nCRS3035RES200mN2596000E3694000;12,5\n"))
	if err != nil || len(cells) != 1 || cells[0].Pop != 12.5 || cells[0].HasAges {
		t.Fatalf("lower case: %+v, %v", cells, err)
	}
	for _, c := range []parseErrorCase{
		{"Idcar_200m,Ind\nN2596000E3694000,3\n", "Idcar_200m", 2, ErrBadCode, "identifiant de carreau"},
		{"Idcar_200m,Ind\nCRS3035RES200mN1E1,3\nCRS3035RES200mN1E1,4\n", "Idcar_200m", 3, ErrDuplicate, "déjà donné ligne 2"},
		{"Idcar_200m,Ind\nCRS3035RES200mN4294967295E4294967295,1\n", "Idcar_200m", 2, ErrBadCode, "hors du domaine"},
		{"Idcar_200m,Ind\nCRS3035RES200mN1E1,trois\n", "Ind", 2, ErrBadNumber, "illisible"},
		{"Idcar_200m,Ind\nCRS3035RES200mN1E1,-3\n", "Ind", 2, ErrBadValue, "invalide"},
		{"Idcar_200m,Ind,Ind_65_79,Ind_80p\nCRS3035RES200mN1E1,3,1,x\n", "Ind_80p", 2, ErrBadNumber, "illisible"},
	} {
		_, err := LoadGridCells("g.csv", strings.NewReader(c.text))
		c.check(t, "g.csv", err)
	}
	if _, err := LoadGridCells("g.csv", strings.NewReader("Idcar_200m,Ind\n")); err == nil {
		t.Error("empty file accepted")
	}
	if _, err := LoadGridCells("g.csv", strings.NewReader("Idcar,Ind\nx,1\n")); !errors.Is(err, ErrMissingColumn) {
		t.Errorf("missing column: %v", err)
	}
}

// FuzzLoadGridCells: any input is refused with a *ParseError or read into
// cells with a finite point and finite counts ≥ 0.
func FuzzLoadGridCells(f *testing.F) {
	f.Add("Idcar_200m,Ind,Ind_65_79,Ind_80p\nCRS3035RES200mN2596000E3694000,597.5,126,48\n")
	f.Add("idcar_200m;ind\nCRS3035RES200mN1E1;1,5\n")
	f.Fuzz(func(t *testing.T, s string) {
		cells, err := LoadGridCells("f.csv", strings.NewReader(s))
		if err != nil {
			return
		}
		for _, c := range cells {
			if math.IsNaN(c.Point[0]) || math.IsNaN(c.Point[1]) || !(c.Pop >= 0) || !(c.Pop65 >= 0) || math.IsInf(c.Pop, 0) {
				t.Fatalf("cell %+v", c)
			}
		}
	})
}
