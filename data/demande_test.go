package data

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"diagnum/geo"
	"diagnum/internal/fuzztest"
	"diagnum/internal/testmust"

	"github.com/paulmach/orb"
)

// loadDemandFile loads a fixture of testdata with LoadDemand.
func loadDemandFile(t *testing.T, path string) *DemandLayer {
	t.Helper()
	return testmust.Value(LoadDemand(path, openTestdata(t, path)))(t)
}

// sumDemand returns Σ Pop and Σ Pop65 of the units.
func sumDemand(us []DemandUnit) (pop, pop65 float64) {
	for _, u := range us {
		pop += u.Pop
		pop65 += u.Pop65
	}
	return pop, pop65
}

// TestLoadGridCellsCreuse reads the 50-cell extract of INSEE's 200 m grid
// (testdata/carreaux/PROVENANCE.md): 50 cells, Σ Ind = 2,845 and
// Σ (Ind_65_79 + Ind_80p) = 660.9 (counted from the file when cut); the
// most populated cell, N2596000 E3694000 (597.5 inhabitants), is in the
// centre of Guéret: its centre is within 1 km of the town hall
// (46.1714 N, 1.8717 E).
func TestLoadGridCellsCreuse(t *testing.T) {
	cells, err := LoadGridCells("carreaux-200m-extrait.csv", openTestdata(t, "carreaux/carreaux-200m-extrait.csv"))
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
		// The first error in file order: a cell given twice before a bad
		// count, a bad count before a cell given twice, the first of two
		// cells given twice (lines 4 and 5: N1E1 again at line 5).
		{"Idcar_200m,Ind\nCRS3035RES200mN1E1,3\nCRS3035RES200mN1E1,4\nCRS3035RES200mN3E3,x\n", "Idcar_200m", 3, ErrDuplicate, "déjà donné ligne 2"},
		{"Idcar_200m,Ind\nCRS3035RES200mN1E1,3\nCRS3035RES200mN3E3,x\nCRS3035RES200mN1E1,4\n", "Ind", 3, ErrBadNumber, "illisible"},
		{"Idcar_200m,Ind\nCRS3035RES200mN1E1,3\nCRS3035RES200mN2E2,3\nCRS3035RES200mN2E2,3\nCRS3035RES200mN1E1,4\n", "Idcar_200m", 4, ErrDuplicate, "N2E2 déjà donné ligne 3"},
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

// TestLoadGridCellsChunks: on 20,000 rows (several chunks read in
// parallel) the error is still the first in file order: a bad count at
// line 15,002 before a repeat at line 17,002; a repeat at line 3,002
// (of line 12) before a bad count in a later chunk; of two bad counts in
// different chunks, the earlier.
func TestLoadGridCellsChunks(t *testing.T) {
	rows := func(edit func(r []string)) string {
		r := make([]string, 20000)
		for k := range r {
			r[k] = fmt.Sprintf("CRS3035RES200mN%dE3694000,%d", 2000000+200*k, 1+k%50)
		}
		edit(r)
		return "Idcar_200m,Ind\n" + strings.Join(r, "\n") + "\n"
	}
	cells, err := LoadGridCells("g.csv", strings.NewReader(rows(func([]string) {})))
	if err != nil || len(cells) != 20000 || cells[19999].Line != 20001 || cells[19999].Pop != 50 {
		t.Fatalf("20,000 good rows: %d cells, %v", len(cells), err)
	}
	for _, c := range []struct {
		edit func(r []string)
		pc   parseErrorCase
	}{
		{func(r []string) { r[15000] = "CRS3035RES200mN1E1,x"; r[17000] = r[5] }, parseErrorCase{"", "Ind", 15002, ErrBadNumber, "illisible"}},
		{func(r []string) { r[3000] = r[10]; r[15000] = "CRS3035RES200mN1E1,x" }, parseErrorCase{"", "Idcar_200m", 3002, ErrDuplicate, "déjà donné ligne 12"}},
		{func(r []string) { r[19000] = "CRS3035RES200mN1E1,x"; r[9000] = "CRS3035RES200mN1E1,-1" }, parseErrorCase{"", "Ind", 9002, ErrBadValue, "invalide"}},
	} {
		_, err := LoadGridCells("g.csv", strings.NewReader(rows(c.edit)))
		c.pc.check(t, "g.csv", err)
	}
}

// TestFirstDuplicate: firstDuplicate is the first repeat a scan with a
// set of the ids finds (the repeat's position and its first one), on
// random ids from a small alphabet (many repeats) and a large one (few
// or none).
func TestFirstDuplicate(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for trial := range 400 {
		n, alphabet := rng.IntN(60), 2+rng.IntN(200)
		if trial%4 == 0 {
			alphabet = 1 << 30
		}
		ids := make([]string, n)
		for k := range ids {
			ids[k] = fmt.Sprint(rng.IntN(alphabet))
		}
		wi, wj, wok := 0, 0, false
		seen := map[string]int{}
		for k, id := range ids {
			if f, dup := seen[id]; dup {
				wi, wj, wok = f, k, true
				break
			}
			seen[id] = k
		}
		i, j, ok := firstDuplicate(n, func(k int) string { return ids[k] })
		if ok != wok || wok && (i != wi || j != wj) {
			t.Fatalf("%q: firstDuplicate = %d, %d, %v; scan %d, %d, %v", ids, i, j, ok, wi, wj, wok)
		}
	}
}

// FuzzLoadGridCells: any input is refused with a *ParseError or read into
// cells with a finite point and finite counts ≥ 0.
func FuzzLoadGridCells(f *testing.F) {
	f.Add([]byte("Idcar_200m,Ind,Ind_65_79,Ind_80p\nCRS3035RES200mN2596000E3694000,597.5,126,48\n"))
	f.Add([]byte("idcar_200m;ind\nCRS3035RES200mN1E1;1,5\n"))
	fuzztest.Seed(f, "../testdata", "carreaux/*.csv", "bad/*.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		cells, err := LoadGridCells("f.csv", bytes.NewReader(b))
		if fuzztest.Refused[*ParseError](t, err) {
			return
		}
		for _, c := range cells {
			if math.IsNaN(c.Point[0]) || math.IsNaN(c.Point[1]) || !(c.Pop >= 0) || !(c.Pop65 >= 0) || math.IsInf(c.Pop, 0) {
				t.Fatalf("cell %+v", c)
			}
		}
	})
}

// TestLoadDemandFormats reads one fixture of each format. Expected sums
// come from testdata/carreaux and testdata/demande PROVENANCE.md (counted
// when cut): the 50-cell grid extract Σ Ind = 2,845 and Σ 65+ = 660.9;
// the 8 IRIS of 93 Σ p16_pop = 17,600.66 + 4,744.07; the 6 IRIS of 23
// Σ p16_pop = 13,275 + 1,438.
func TestLoadDemandFormats(t *testing.T) {
	grid := loadDemandFile(t, "carreaux/carreaux-200m-extrait.csv")
	pop, pop65 := sumDemand(grid.Units)
	if grid.Format != DemandGrid || len(grid.Units) != 50 || math.Abs(pop-2845) > 1e-9 || math.Abs(pop65-660.9) > 1e-9 || !grid.Units[0].HasAges {
		t.Errorf("grid: %v, %d units, Σ %v, Σ 65+ %v", grid.Format, len(grid.Units), pop, pop65)
	}
	if grid.Units[0].Line != 2 || grid.Units[49].Line != 51 {
		t.Errorf("grid lines %d, %d", grid.Units[0].Line, grid.Units[49].Line)
	}
	iris := loadDemandFile(t, "demande/iris-93-extrait.geojson")
	pop, _ = sumDemand(iris.Units)
	if iris.Format != DemandIRIS || len(iris.Units) != 8 || math.Abs(pop-(17600.66+4744.07)) > 1e-6 {
		t.Errorf("IRIS 93: %v, %d units, Σ %v", iris.Format, len(iris.Units), pop)
	}
	// The representative point of a polygon lies inside it: Bobigny's
	// first IRIS (Robespierre… here 930080101) is within 2 km of Bobigny's
	// town hall (48.9086 N, 2.4397 E).
	if u := iris.Units[0]; u.ID != "930080101" || u.Line != 2 || !u.HasAges || geo.HaversineKm(u.Point, orb.Point{2.4397, 48.9086}) > 2 {
		t.Errorf("IRIS 93 first unit %+v", u)
	}
	pts := loadDemandFile(t, "demande/iris-23-extrait.csv")
	pop, _ = sumDemand(pts.Units)
	if pts.Format != DemandIRIS || len(pts.Units) != 6 || math.Abs(pop-(13275+1438)) > 1e-6 {
		t.Errorf("IRIS 23: %v, %d units, Σ %v", pts.Format, len(pts.Units), pop)
	}
	if u := pts.Units[0]; u.ID != "230960101" || u.Point != (orb.Point{1.88359033365, 46.1670028583}) || u.Pop != 2485.99 || u.Pop65 != 628.63 {
		t.Errorf("IRIS 23 first unit %+v", u)
	}
	gen, err := LoadDemand("p.csv", strings.NewReader("id;latitude;longitude;population\na;46,17;1,87;10\nb;46.2;1.9;0.5\n"))
	if err != nil || gen.Format != DemandPoints || len(gen.Units) != 2 || gen.Units[0].Point != (orb.Point{1.87, 46.17}) ||
		gen.Units[1].Pop != 0.5 || gen.Units[0].HasAges || gen.Units[1].Line != 3 {
		t.Errorf("generic points: %+v, %v", gen, err)
	}
}

// TestLoadDemandErrors: every bad unit stops the loading with a French
// reason naming the file, line and column.
func TestLoadDemandErrors(t *testing.T) {
	const feat = `{"type":"Feature","properties":{"code_iris":"930080101","p16_pop":"%s"},"geometry":%s}`
	for _, c := range []parseErrorCase{
		{"x,y\n1,2\n", "Idcar_200m", 1, ErrMissingColumn, "format de couche de demande non reconnu"},
		{"id,latitude,longitude\na,46,1,\n", "population", 1, ErrMissingColumn, "colonne population"},
		{"id,latitude,longitude,population\na,46,1,3\na,46,1,4\n", "id", 3, ErrDuplicate, "déjà donné ligne 2"},
		{"id,latitude,longitude,population\n,46,1,3\n", "id", 2, ErrBadCode, "identifiant vide"},
		{"id,latitude,longitude,population\na,460000,1,3\n", "latitude", 2, ErrBadCoordinate, "coordonnées inutilisables"},
		{"id,latitude,longitude,population\na,46,200,3\n", "longitude", 2, ErrBadCoordinate, "coordonnées inutilisables"},
		{"id,latitude,longitude,population\na,46,1,-1\n", "population", 2, ErrBadValue, "invalide"},
		{"code_iris,lat,lon,p16_pop,p16_pop65p\n230960101,46,1,3,x\n", "p16_pop65p", 2, ErrBadNumber, "illisible"},
		{"id,latitude,longitude,population\n", "", 0, ErrEmptyFile, "aucune unité"},
		{`{"type":"FeatureCollection","features":[` + "\n" + strings.Replace(strings.Replace(feat, "%s", "12", 1), "%s", `{"type":"LineString","coordinates":[[2,48],[2.1,48]]}`, 1) + "]}",
			"geometry", 2, ErrBadValue, "objet 1 : géométrie LineString"},
		{`{"type":"FeatureCollection","features":[` + "\n" + strings.Replace(strings.Replace(feat, "%s", "douze", 1), "%s", `{"type":"Point","coordinates":[2,48]}`, 1) + "]}",
			"p16_pop", 2, ErrBadNumber, "illisible"},
		{`{"type":"FeatureCollection","features":[` + "\n" + `{"type":"Feature","properties":{"code_iris":"1"},"geometry":{"type":"Point","coordinates":[2,48]}}]}`,
			"population", 2, ErrMissingColumn, "propriété population"},
		{`{"type":"FeatureCollection","features":[` + "\n" + strings.Replace(strings.Replace(feat, "%s", "1", 1), "%s", `null`, 1) + "]}",
			"geometry", 2, ErrBadValue, "géométrie absente"},
	} {
		_, err := LoadDemand("d.csv", strings.NewReader(c.text))
		c.check(t, "d.csv", err)
	}
}

// FuzzLoadDemand: any input is refused with a *ParseError of the file or
// read into units with a unique non-empty id, a finite WGS84 point and
// finite counts ≥ 0.
func FuzzLoadDemand(f *testing.F) {
	for _, p := range []string{"carreaux/carreaux-200m-extrait.csv", "demande/iris-23-extrait.csv", "demande/iris-93-extrait.geojson"} {
		if b, err := os.ReadFile("../testdata/" + p); err == nil {
			f.Add(string(b[:min(len(b), 3000)]))
		}
	}
	f.Add("id,latitude,longitude,population\na,46.1,1.8,3\n")
	f.Add(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code_iris":"1","population":2},"geometry":{"type":"Point","coordinates":[2,48]}}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		l, err := LoadDemand("f", strings.NewReader(s))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "f" {
				t.Fatalf("error %v (%T) is not a *ParseError of f", err, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, u := range l.Units {
			p := u.Point
			if u.ID == "" || seen[u.ID] || math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 ||
				!(u.Pop >= 0) || math.IsInf(u.Pop, 0) || !(u.Pop65 >= 0) || math.IsInf(u.Pop65, 0) {
				t.Fatalf("unit %+v", u)
			}
			seen[u.ID] = true
		}
	})
}
