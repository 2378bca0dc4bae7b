package data

import (
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"diagnum/geo"

	"github.com/paulmach/orb"
)

// GridCell is one populated cell of INSEE's 200 m grid ("données
// carroyées", Filosofi): a demand unit finer than the commune.
type GridCell struct {
	ID      string    // Idcar_200m, e.g. CRS3035RES200mN2596200E3693800
	Cell    geo.Idcar // its south-west corner and side in EPSG:3035
	Point   orb.Point // WGS84 centre of the cell (geo.Idcar.Center)
	Pop     float64   // Ind: individuals (halves occur)
	Pop65   float64   // Ind_65_79 + Ind_80p, when HasAges
	HasAges bool      // the file has both age columns
	Line    int       // line of the file
}

// LoadGridCells reads INSEE's 200 m grid file as downloaded (any
// separator and encoding ReadTable accepts): the columns Idcar_200m and
// Ind, and when both are present Ind_65_79 and Ind_80p (names in any
// case: INSEE's 2019+ files are lower-case). Other columns are ignored.
//
// Errors are *ParseError values naming the file, line and column, with a
// French reason wrapping a sentinel: an unreadable identifier (ErrBadCode),
// or outside the projection's domain, a count that is not a finite number ≥ 0 (ErrBadNumber, ErrBadValue), a
// cell given twice (ErrDuplicate), no cell at all (ErrEmptyFile), a
// missing column (ErrMissingColumn).
func LoadGridCells(name string, r io.Reader) ([]GridCell, error) {
	t, err := ReadTable(name, r)
	if err != nil {
		return nil, err
	}
	return gridCells(t)
}

// gridCells reads the cells of a grid table (LoadGridCells), in chunks
// of gridChunk rows on all cores (projecting 2.3 M cells to WGS84 is
// most of the work); the error is that of the first bad row in file
// order, or of the first cell given twice before it (duplicateCell).
func gridCells(t *Table) ([]GridCell, error) {
	name := t.File
	idx, err := t.Require("Idcar_200m", "Ind")
	if err != nil {
		return nil, err
	}
	g := gridColumns{t: t, id: idx[0], ind: idx[1], i65: t.Index("Ind_65_79"), i80: t.Index("Ind_80p")}
	g.ages = g.i65 >= 0 && g.i80 >= 0
	n := len(t.Records)
	out := make([]GridCell, n)
	nc := (n + gridChunk - 1) / gridChunk
	errs, bad := make([]error, nc), make([]int, nc) // per chunk: its first error and its row
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), nc) {
		wg.Go(func() {
			for c := int(next.Add(1)) - 1; c < nc; c = int(next.Add(1)) - 1 {
				for r := c * gridChunk; r < min(n, (c+1)*gridChunk); r++ {
					if out[r], errs[c] = g.cell(t.Records[r]); errs[c] != nil {
						bad[c] = r
						break
					}
				}
			}
		})
	}
	wg.Wait()
	for c := range nc {
		if errs[c] != nil {
			return nil, duplicateCell(name, out[:bad[c]], errs[c])
		}
	}
	if err := duplicateCell(name, out, nil); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ParseError{File: name, Column: "Ind", Err: fmt.Errorf("%w : aucun carreau dans le fichier", ErrEmptyFile)}
	}
	return out, nil
}

// gridChunk is the number of rows per chunk of gridCells.
const gridChunk = 8192

// gridColumns are the columns of a grid table: Idcar_200m, Ind, and
// Ind_65_79 and Ind_80p when ages (both present).
type gridColumns struct {
	t                 *Table
	id, ind, i65, i80 int
	ages              bool
}

// cell reads the cell of row rec, or the *ParseError of its first bad
// field.
func (g *gridColumns) cell(rec Record) (GridCell, error) {
	name := g.t.File
	if err := g.t.CheckWidth(rec); err != nil {
		return GridCell{}, err
	}
	bad := func(col string, sentinel error, format string, a ...any) error {
		return &ParseError{File: name, Line: rec.Line, Column: col, Err: fmt.Errorf("%w : %s", sentinel, fmt.Sprintf(format, a...))}
	}
	id := rec.Field(g.id)
	cell, err := geo.ParseIdcar(id)
	if err != nil {
		return GridCell{}, bad("Idcar_200m", ErrBadCode, "identifiant de carreau %q illisible (attendu CRS3035RES200mN…E…, par ex. CRS3035RES200mN2596200E3693800)", id)
	}
	c := GridCell{ID: id, Cell: cell, Point: cell.Center(), HasAges: g.ages, Line: rec.Line}
	if math.IsNaN(c.Point[0]) || math.IsNaN(c.Point[1]) {
		return GridCell{}, bad("Idcar_200m", ErrBadCode, "carreau %s hors du domaine de la projection EPSG:3035", id)
	}
	count := func(col int, colName string) (float64, error) {
		text := rec.Field(col)
		v, err := ParseFloatFR(text)
		switch {
		case err != nil:
			return 0, bad(colName, ErrBadNumber, "effectif %q illisible : un nombre ≥ 0 est attendu", text)
		case !(v >= 0) || math.IsInf(v, 0):
			return 0, bad(colName, ErrBadValue, "effectif %q invalide : un nombre fini ≥ 0 est attendu", text)
		}
		return v, nil
	}
	if c.Pop, err = count(g.ind, "Ind"); err != nil {
		return GridCell{}, err
	}
	if g.ages {
		a, err := count(g.i65, "Ind_65_79")
		if err != nil {
			return GridCell{}, err
		}
		b, err := count(g.i80, "Ind_80p")
		if err != nil {
			return GridCell{}, err
		}
		c.Pop65 = a + b
	}
	return c, nil
}

// duplicateCell returns the error of the first cell of cells (the cells
// read before err, in file order) given twice, naming its line and its
// first one, as a scan with a set of the identifiers would stop there;
// err when no cell is given twice (nil: none). The identifiers are
// compared as strings, without a map of millions of them
// (firstDuplicate).
func duplicateCell(name string, cells []GridCell, err error) error {
	if i, j, ok := firstDuplicate(len(cells), func(k int) string { return cells[k].ID }); ok {
		return &ParseError{File: name, Line: cells[j].Line, Column: "Idcar_200m",
			Err: fmt.Errorf("%w : carreau %s déjà donné ligne %d", ErrDuplicate, cells[j].ID, cells[i].Line)}
	}
	return err
}

// firstDuplicate returns the smallest j such that id(j) equals an earlier
// id(i), with the smallest such i (what a scan keeping a set of the ids
// would report first), and ok false when the n ids differ. It sorts the
// ids' hashes with their positions (8 bytes an id) and compares the
// strings of equal hashes only.
func firstDuplicate(n int, id func(int) string) (i, j int, ok bool) {
	seed := maphash.MakeSeed()
	keys := make([]uint64, n)
	for k := range n {
		keys[k] = maphash.String(seed, id(k))&^0xffffffff | uint64(k)
	}
	slices.Sort(keys)
	j = n
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && keys[hi]>>32 == keys[lo]>>32 {
			hi++
		}
		for y := lo + 1; y < hi; y++ { // positions increase within a run
			yk := int(uint32(keys[y]))
			if yk >= j {
				break
			}
			for x := lo; x < y; x++ {
				if xk := int(uint32(keys[x])); id(xk) == id(yk) {
					i, j = xk, yk
					break
				}
			}
		}
		lo = hi
	}
	return i, j, j < n
}
