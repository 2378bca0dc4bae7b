package htmlreport

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/report"
)

// mapUnits is the size of the map's longer side in map units: the
// projected extent is divided in mapUnits steps and every coordinate is
// rounded to a step (30 m for a département of 120 km, 250 m for
// mainland France), which is finer than a screen pixel at the default
// zoom and keeps a file of all France within its budget.
const mapUnits = 4000

// Map is the drawing of the communes: one entry of Shapes per row of
// Page.Communes, in the same order.
type Map struct {
	Width  int     `json:"largeur"` // extent in map units, y downward
	Height int     `json:"hauteur"`
	Unit   float64 `json:"unite"` // metres per map unit
	// Shapes are SVG path data ("M x y l dx dy … z", holes as further
	// rings, to fill with the even-odd rule) for the communes with a
	// polygon, "" for the others.
	Shapes []string `json:"formes"`
	// Points are the [x, y] of the communes drawn as circles (no
	// polygon), null for the communes with a shape or not drawn.
	Points []*[2]int `json:"points"`
	// Omitted counts the communes not drawn (no geometry, or overseas in
	// a map of mainland France).
	Omitted int `json:"omises"`
}

// projector projects lon/lat points to map units.
type projector struct {
	name string
	fwd  func(orb.Point) orb.Point
	keep func(code string) bool
	min  orb.Point // projected minimum, metres
	maxY float64
	unit float64 // metres per map unit
	w, h int
}

// newProjector returns the projector of the map of communes, or nil
// when none can be drawn.
func newProjector(communes []diag.CommuneResult, ds *data.Dataset) *projector {
	fwd, name, keep, ok := report.MapProjection(communes, ds)
	if !ok {
		return nil
	}
	var b orb.Bound
	first := true
	for i := range communes {
		c, ok := commune(ds, communes[i].Code)
		if !ok || !keep(c.Code) {
			continue
		}
		var cb orb.Bound
		switch {
		case len(c.Polygon) > 0:
			cb = projectedBound(c.Polygon, fwd)
		case c.HasPoint:
			p := fwd(c.Point)
			cb = orb.Bound{Min: p, Max: p}
		default:
			continue
		}
		if first {
			b, first = cb, false
		} else {
			b = b.Union(cb)
		}
	}
	if first {
		return nil
	}
	side := max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1], 1000)
	// Pad by 2 % so that circles and sites at the edge show whole.
	pad := side * 0.02
	b.Min[0], b.Min[1], b.Max[0], b.Max[1] = b.Min[0]-pad, b.Min[1]-pad, b.Max[0]+pad, b.Max[1]+pad
	unit := (side + 2*pad) / mapUnits
	return &projector{name: name, fwd: fwd, keep: keep, min: b.Min, maxY: b.Max[1], unit: unit,
		w: int(math.Ceil((b.Max[0] - b.Min[0]) / unit)), h: int(math.Ceil((b.Max[1] - b.Min[1]) / unit))}
}

func commune(ds *data.Dataset, code string) (*data.Commune, bool) {
	i, ok := ds.CommuneIndex(code)
	if !ok {
		return nil, false
	}
	return &ds.Communes[i], true
}

func projectedBound(mp orb.MultiPolygon, fwd func(orb.Point) orb.Point) orb.Bound {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, p := range mp {
		for _, pt := range p[0] {
			q := fwd(pt)
			if finitePoint(q) {
				b = b.Extend(q)
			}
		}
	}
	return b
}

func finitePoint(p orb.Point) bool {
	return !math.IsNaN(p[0]+p[1]) && !math.IsInf(p[0]+p[1], 0)
}

// xy returns the map coordinates (units, y downward) of a projected point.
func (pr *projector) xy(q orb.Point) [2]int {
	return [2]int{int(math.Round((q[0] - pr.min[0]) / pr.unit)), int(math.Round((pr.maxY - q[1]) / pr.unit))}
}

// point returns the map coordinates of a lon/lat point, nil when it does
// not project or falls outside the map.
func (pr *projector) point(p orb.Point) *[2]int {
	q := pr.fwd(p)
	if !finitePoint(q) {
		return nil
	}
	v := pr.xy(q)
	if v[0] < 0 || v[1] < 0 || v[0] > pr.w || v[1] > pr.h {
		return nil
	}
	return &v
}

// drawCommunes returns the map of communes.
func (pr *projector) drawCommunes(communes []diag.CommuneResult, ds *data.Dataset) *Map {
	m := &Map{Width: pr.w, Height: pr.h, Unit: pr.unit, Shapes: make([]string, len(communes)), Points: make([]*[2]int, len(communes))}
	dp := simplify.DouglasPeucker(pr.unit)
	var b strings.Builder
	for i := range communes {
		c, ok := commune(ds, communes[i].Code)
		if !ok || !pr.keep(c.Code) {
			m.Omitted++
			continue
		}
		b.Reset()
		if len(c.Polygon) > 0 {
			pr.path(&b, c.Polygon, dp)
		}
		if b.Len() > 0 {
			m.Shapes[i] = b.String()
		} else if c.HasPoint {
			m.Points[i] = pr.point(c.Point)
		}
		if m.Shapes[i] == "" && m.Points[i] == nil {
			m.Omitted++
		}
	}
	return m
}

// path writes the SVG path data of mp: each ring projected, simplified
// (Douglas-Peucker with a tolerance of one map unit), rounded to map
// units, repeated points dropped; rings left with fewer than 3 distinct
// points are dropped.
func (pr *projector) path(b *strings.Builder, mp orb.MultiPolygon, dp *simplify.DouglasPeuckerSimplifier) {
	for _, poly := range mp {
		for _, ring := range poly {
			r := make(orb.LineString, 0, len(ring))
			for _, pt := range ring {
				if q := pr.fwd(pt); finitePoint(q) {
					r = append(r, q)
				}
			}
			if len(r) < 4 {
				continue
			}
			r = dp.LineString(r)
			var pts [][2]int
			for _, q := range r {
				v := pr.xy(q)
				if len(pts) == 0 || v != pts[len(pts)-1] {
					pts = append(pts, v)
				}
			}
			if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
				pts = pts[:len(pts)-1]
			}
			if len(pts) < 3 {
				continue
			}
			writeRing(b, pts)
		}
	}
}

// writeRing writes "M x y l dx dy dx dy … z".
func writeRing(b *strings.Builder, pts [][2]int) {
	b.WriteByte('M')
	b.WriteString(strconv.Itoa(pts[0][0]))
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(pts[0][1]))
	b.WriteByte('l')
	for i := 1; i < len(pts); i++ {
		dx, dy := pts[i][0]-pts[i-1][0], pts[i][1]-pts[i-1][1]
		if i > 1 && dx >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(dx))
		if dy >= 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(dy))
	}
	b.WriteByte('z')
}
