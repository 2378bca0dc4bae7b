package data

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"diagnum/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// DemandFormat is the format of a demand layer file (LoadDemand).
type DemandFormat uint8

// The demand layer formats LoadDemand recognises.
const (
	// DemandGrid: INSEE's 200 m grid (Idcar_200m, Ind, …), LoadGridCells.
	DemandGrid DemandFormat = iota + 1
	// DemandIRIS: IRIS with code_iris, a population and a point (CSV
	// latitude/longitude) or a polygon (GeoJSON).
	DemandIRIS
	// DemandPoints: generic points id, latitude, longitude, population.
	DemandPoints
)

// String returns the French name of the format, as Méthodologie shows it.
func (f DemandFormat) String() string {
	switch f {
	case DemandGrid:
		return "carreaux INSEE de 200 m"
	case DemandIRIS:
		return "IRIS"
	case DemandPoints:
		return "points de population"
	}
	return fmt.Sprintf("DemandFormat(%d)", uint8(f))
}

// DemandUnit is one unit of a demand layer: a 200 m cell, an IRIS or a
// point, with the population living there.
type DemandUnit struct {
	ID      string    // Idcar_200m, code_iris or id
	Line    int       // line of the file where the unit is given
	Point   orb.Point // WGS84 point where it is measured (cell centre, IRIS point or representative point of its polygon)
	Pop     float64   // inhabitants (halves occur in INSEE's grid)
	Pop65   float64   // aged 65 and over, when HasAges
	HasAges bool
}

// DemandLayer is a demand layer finer than the commune, read by LoadDemand.
type DemandLayer struct {
	File   string
	Format DemandFormat
	Units  []DemandUnit
}

// Column names of the demand formats (any case).
var (
	demandPopNames   = []string{"population", "pop", "p16_pop", "p17_pop", "p18_pop", "p19_pop", "p20_pop", "p21_pop"}
	demandPop65Names = []string{"population_65_plus", "pop65", "p16_pop65p", "p17_pop65p", "p18_pop65p", "p19_pop65p", "p20_pop65p", "p21_pop65p"}
	demandLatNames   = []string{"latitude", "lat"}
	demandLonNames   = []string{"longitude", "lon"}
)

// LoadDemand reads a demand layer and detects its format:
//
//   - a GeoJSON FeatureCollection (content starting with '{'): IRIS whose
//     properties hold code_iris and a population (population, or INSEE's
//     p16_pop…), optionally p16_pop65p, with a Polygon, MultiPolygon or
//     Point geometry; a polygon is measured at its representative point
//     (geo.RepresentativePoint, inside the polygon);
//   - a CSV with Idcar_200m: INSEE's 200 m grid (LoadGridCells);
//   - a CSV with code_iris: IRIS with a population and latitude/longitude
//     (or lat/lon);
//   - a CSV with id, latitude, longitude, population: generic points.
//
// A unit that cannot be read stops the loading with a *ParseError naming
// the file, the line and the column, with a French reason: nothing is
// dropped silently. Populations are finite numbers ≥ 0; ids are unique.
func LoadDemand(name string, r io.Reader) (*DemandLayer, error) {
	if err := checkSize(name, r); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(br.Size())
	head = []byte(strings.TrimLeft(strings.TrimPrefix(string(head), "\xEF\xBB\xBF"), " \t\r\n"))
	if len(head) > 0 && head[0] == '{' {
		units, err := loadDemandGeoJSON(name, keepContext(r, br))
		if err != nil {
			return nil, err
		}
		return &DemandLayer{File: name, Format: DemandIRIS, Units: units}, nil
	}
	t, err := ReadTable(name, keepContext(r, br))
	if err != nil {
		return nil, err
	}
	l := &DemandLayer{File: name}
	switch {
	case t.Index("Idcar_200m") >= 0:
		l.Format = DemandGrid
		cells, err := gridCells(t)
		if err != nil {
			return nil, err
		}
		l.Units = make([]DemandUnit, len(cells))
		for i, c := range cells {
			l.Units[i] = DemandUnit{ID: c.ID, Line: c.Line, Point: c.Point, Pop: c.Pop, Pop65: c.Pop65, HasAges: c.HasAges}
		}
		return l, nil
	case t.Index("code_iris") >= 0:
		l.Format = DemandIRIS
		l.Units, err = demandPoints(t, []string{"code_iris"})
	case t.Index("id") >= 0:
		l.Format = DemandPoints
		l.Units, err = demandPoints(t, []string{"id"})
	default:
		return nil, &ParseError{File: name, Line: 1, Column: "Idcar_200m", Err: fmt.Errorf("%w : format de couche de demande non reconnu (en-tête : %s) ; "+
			"attendu : carreaux INSEE (Idcar_200m, Ind…), IRIS (code_iris, population, latitude, longitude, ou GeoJSON de polygones) "+
			"ou points (id, latitude, longitude, population)", ErrMissingColumn, strings.Join(t.Header, string(t.Comma)))}
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// demandColumn returns the position of the first column named by names,
// or a *ParseError naming names[0].
func demandColumn(t *Table, names []string) (int, error) {
	if i := t.Index(names...); i >= 0 {
		return i, nil
	}
	return -1, &ParseError{File: t.File, Line: 1, Column: names[0], Err: fmt.Errorf("%w : colonne %s absente (en-tête : %s)",
		ErrMissingColumn, strings.Join(names[:min(2, len(names))], " ou "), strings.Join(t.Header, string(t.Comma)))}
}

// demandPoints reads the IRIS or generic points of t, whose id column is
// named by idNames.
func demandPoints(t *Table, idNames []string) ([]DemandUnit, error) {
	var col [4]int
	for k, names := range [][]string{idNames, demandLatNames, demandLonNames, demandPopNames} {
		i, err := demandColumn(t, names)
		if err != nil {
			return nil, err
		}
		col[k] = i
	}
	i65 := t.Index(demandPop65Names...)
	d := newDemandReader(t.File, t.Header[col[0]])
	for _, rec := range t.Records {
		if err := t.CheckWidth(rec); err != nil {
			return nil, err
		}
		u := DemandUnit{ID: rec.Field(col[0]), Line: rec.Line, HasAges: i65 >= 0}
		p, c, err := sitesPoint(rec.Field(col[1]), rec.Field(col[2]))
		if err != nil {
			name := t.Header[col[1]]
			if c == "longitude" {
				name = t.Header[col[2]]
			}
			return nil, &ParseError{File: t.File, Line: rec.Line, Column: name, Err: fmt.Errorf("coordonnées inutilisables (WGS84 en degrés attendues) : %w", err)}
		}
		u.Point = p
		if u.Pop, err = d.count(rec.Line, t.Header[col[3]], rec.Field(col[3])); err != nil {
			return nil, err
		}
		if i65 >= 0 {
			if u.Pop65, err = d.count(rec.Line, t.Header[i65], rec.Field(i65)); err != nil {
				return nil, err
			}
		}
		if err := d.add(&u); err != nil {
			return nil, err
		}
	}
	return d.done()
}

// demandReader checks the units of one file: counts, unique ids.
type demandReader struct {
	file, idCol string
	seen        map[string]int
	units       []DemandUnit
}

func newDemandReader(file, idCol string) *demandReader {
	return &demandReader{file: file, idCol: idCol, seen: map[string]int{}}
}

// count parses a population: a finite number ≥ 0.
func (d *demandReader) count(line int, col, text string) (float64, error) {
	v, err := ParseFloatFR(text)
	switch {
	case err != nil:
		return 0, &ParseError{File: d.file, Line: line, Column: col, Err: fmt.Errorf("%w : effectif %q illisible : un nombre ≥ 0 est attendu", ErrBadNumber, text)}
	case !(v >= 0) || math.IsInf(v, 0):
		return 0, &ParseError{File: d.file, Line: line, Column: col, Err: fmt.Errorf("%w : effectif %q invalide : un nombre fini ≥ 0 est attendu", ErrBadValue, text)}
	}
	return v, nil
}

// add keeps u after checking its id.
func (d *demandReader) add(u *DemandUnit) error {
	if u.ID == "" {
		return &ParseError{File: d.file, Line: u.Line, Column: d.idCol, Err: fmt.Errorf("%w : identifiant vide", ErrBadCode)}
	}
	if l, dup := d.seen[u.ID]; dup {
		return &ParseError{File: d.file, Line: u.Line, Column: d.idCol, Err: fmt.Errorf("%w : %s déjà donné ligne %d", ErrDuplicate, u.ID, l)}
	}
	if len(d.units) >= MaxRows {
		return &ParseError{File: d.file, Line: u.Line, Err: fmt.Errorf("%w : plus de %d unités de demande", ErrTooLarge, MaxRows)}
	}
	d.seen[u.ID] = u.Line
	d.units = append(d.units, *u)
	return nil
}

// done returns the units, or ErrEmptyFile when there is none.
func (d *demandReader) done() ([]DemandUnit, error) {
	if len(d.units) == 0 {
		return nil, &ParseError{File: d.file, Err: fmt.Errorf("%w : aucune unité de demande dans le fichier", ErrEmptyFile)}
	}
	return d.units, nil
}

// loadDemandGeoJSON reads IRIS features: properties code_iris and a
// population, a Polygon, MultiPolygon or Point geometry.
func loadDemandGeoJSON(name string, r io.Reader) ([]DemandUnit, error) {
	d := newDemandReader(name, "code_iris")
	err := ReadFeatures(name, r, func(i, line int, msg json.RawMessage) error {
		u, err := demandFeature(d, i, line, msg)
		if err != nil {
			return err
		}
		return d.add(&u)
	})
	if err != nil {
		return nil, err
	}
	return d.done()
}

// demandFeature reads feature i (starting at line) of an IRIS layer.
func demandFeature(d *demandReader, i, line int, msg json.RawMessage) (DemandUnit, error) {
	fail := func(col string, format string, a ...any) (DemandUnit, error) {
		return DemandUnit{}, &ParseError{File: d.file, Line: line, Column: col,
			Err: fmt.Errorf("%w : objet %d : %s", ErrBadValue, i+1, fmt.Sprintf(format, a...))}
	}
	var f struct {
		Type       string          `json:"type"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties JSONObject      `json:"properties"`
	}
	if err := json.Unmarshal(msg, &f); err != nil || f.Type != "Feature" {
		return fail("", "pas un objet GeoJSON Feature")
	}
	u := DemandUnit{Line: line}
	var err error
	if u.ID, err = f.Properties.Text("code_iris"); err != nil {
		return fail("code_iris", "code_iris illisible")
	}
	pop, popCol := "", ""
	for _, k := range demandPopNames {
		if _, ok := f.Properties[k]; ok {
			if pop, err = f.Properties.Text(k); err != nil {
				return fail(k, "population illisible")
			}
			popCol = k
			break
		}
	}
	if popCol == "" {
		return DemandUnit{}, &ParseError{File: d.file, Line: line, Column: "population",
			Err: fmt.Errorf("%w : objet %d : propriété population (ou p16_pop) absente", ErrMissingColumn, i+1)}
	}
	if u.Pop, err = d.count(line, popCol, pop); err != nil {
		return DemandUnit{}, err
	}
	for _, k := range demandPop65Names {
		if _, ok := f.Properties[k]; ok {
			s, err := f.Properties.Text(k)
			if err != nil {
				return fail(k, "effectif illisible")
			}
			if u.Pop65, err = d.count(line, k, s); err != nil {
				return DemandUnit{}, err
			}
			u.HasAges = true
			break
		}
	}
	g, err := geojson.UnmarshalGeometry(f.Geometry)
	if err != nil || g == nil || g.Geometry() == nil {
		return fail("geometry", "géométrie absente ou illisible (Polygon, MultiPolygon ou Point attendu)")
	}
	switch v := g.Geometry().(type) {
	case orb.Point:
		u.Point = v
	case orb.Polygon:
		u.Point = geo.RepresentativePoint(orb.MultiPolygon{v})
	case orb.MultiPolygon:
		u.Point = geo.RepresentativePoint(v)
	default:
		return fail("geometry", "géométrie %s : Polygon, MultiPolygon ou Point attendu", g.Geometry().GeoJSONType())
	}
	if p := u.Point; math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) ||
		math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 || (p == orb.Point{}) {
		return fail("geometry", "géométrie sans point utilisable (coordonnées WGS84 en degrés attendues)")
	}
	return u, nil
}
