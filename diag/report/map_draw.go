package report

import (
	"image/color"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/paulmach/orb"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
)

// mapFonts holds the Liberation fonts the map's texts use.
var mapFonts = font.NewCache(liberation.Collection())

// mapFace returns Liberation Sans of the given size, bold or regular.
func mapFace(size vg.Length, bold bool) font.Face {
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return mapFonts.Lookup(f, size)
}

var (
	borderColor = rgb(0x737373)
	textColor   = rgb(0x222222)
)

// minMapExtent is the smallest width and height of a map, in metres, so
// a single commune drawn as a point still has a scale.
const minMapExtent = 10000

// fwd projects p with proj (m.proj or m.grid), false when the result is
// not finite.
func (m *mapModel) fwd(proj geo.Projection, p orb.Point) (orb.Point, bool) {
	x, y := proj.Forward(p[0], p[1])
	return orb.Point{x, y}, finite(x, y)
}

// finite reports whether s = x+y is finite (then x and y are), as
// !math.IsNaN(s) && !math.IsInf(s, 0) does: s-s is 0 for a finite s and
// NaN for NaN or ±Inf. Cheaper in the loop over the 1.7 million vertices
// of the national map.
func finite(x, y float64) bool { return (x+y)-(x+y) == 0 }

// project sets the items of all (the communes resolved, in g.item's
// order), kept (those chooseProjection keeps, in the same order), their
// shapes projected through g.grid, and the projected bound.
func (g *MapGeometry) project(all, kept []mapCommune) {
	g.items = make([]geomItem, len(all))
	// kept is all, or the part of it in metropolitan France.
	k := 0
	for x, mc := range all {
		if k < len(kept) && kept[k].c == mc.c {
			g.items[x].kept = true
			k++
		}
	}
	g.bound = orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	extend := func(b orb.Bound) {
		g.bound.Min = orb.Point{min(g.bound.Min[0], b.Min[0]), min(g.bound.Min[1], b.Min[1])}
		g.bound.Max = orb.Point{max(g.bound.Max[0], b.Max[0]), max(g.bound.Max[1], b.Max[1])}
	}
	// One array holds every projected vertex: the national map has 1.7
	// million, in 35,000 communes, projected on every core at once, each
	// goroutine a run of communes and its part of the array.
	starts := make([]int, len(all)+1)
	for i, mc := range all {
		starts[i+1] = starts[i]
		if !g.items[i].kept {
			continue
		}
		for _, p := range mc.c.Polygon {
			for _, r := range p {
				starts[i+1] += len(r)
			}
		}
	}
	buf := make([]orb.Point, starts[len(all)])
	m := &mapModel{proj: g.proj, grid: g.grid}
	inRuns(len(all), func(lo, hi int) {
		b := buf[starts[lo]:starts[lo]:starts[hi]]
		for i := lo; i < hi; i++ {
			if it := &g.items[i]; it.kept {
				it.poly, it.b = m.projectPoly(all[i].c.Polygon, &b)
			}
		}
	})
	drawn := false
	for i, mc := range all {
		it := &g.items[i]
		if !it.kept {
			continue
		}
		if len(it.poly) > 0 {
			extend(it.b)
		} else if p, ok := m.fwd(g.grid, mc.c.Point); ok && mc.c.HasPoint {
			it.dot, it.dotOK = p, true
			extend(orb.Bound{Min: p, Max: p})
		} else {
			continue
		}
		drawn = true
	}
	if !drawn {
		g.bound = orb.Bound{}
	}
	for k := range 2 {
		if d := minMapExtent - (g.bound.Max[k] - g.bound.Min[k]); d > 0 {
			g.bound.Min[k] -= d / 2
			g.bound.Max[k] += d / 2
		}
	}
}

// colour fills shapes and dots from the communes and their items in g
// (items[i]: communes[i]'s, −1 when not drawn), in the communes' order,
// each with the colour of its class, and counts the communes omitted and
// those without data.
func (m *mapModel) colour(communes []diag.CommuneResult, g *MapGeometry, items []int32) {
	for i := range communes {
		r := &communes[i]
		k := items[i]
		if k < 0 {
			m.omitted++
			continue
		}
		it := &g.items[k]
		fill := m.classes.color(r.Gap)
		if len(it.poly) > 0 {
			m.shapes = append(m.shapes, mapShape{poly: it.poly, fill: fill, bound: it.b})
		} else if it.dotOK {
			m.dots = append(m.dots, mapDot{p: it.dot, pop: r.Population, fill: fill})
		} else {
			m.omitted++
			continue
		}
		if m.classes.class(r.Gap) < 0 {
			m.noData++
		}
	}
	sort.SliceStable(m.dots, func(i, j int) bool { return m.dots[i].pop > m.dots[j].pop })
}

// inRuns calls fn on consecutive runs lo…hi of 0…n on every core at
// once (one run per core, none shorter than 256 but the only one), and
// returns once all are done.
func inRuns(n int, fn func(lo, hi int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n/256))
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() { fn(k*n/workers, (k+1)*n/workers) })
	}
	wg.Wait()
}

// projectPoly projects mp, dropping rings with a point that does not
// project and polygons whose exterior ring is dropped, and returns the
// bound of what it kept. Exterior rings come out counter-clockwise and
// holes clockwise, whatever the input's winding, so the nonzero fill
// rule of PNG and SVG leaves holes empty. The rings are appended to buf.
func (m *mapModel) projectPoly(mp orb.MultiPolygon, buf *[]orb.Point) (orb.MultiPolygon, orb.Bound) {
	var out orb.MultiPolygon
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	f := m.grid.Forward // m.fwd(m.grid, ·), whose call the loop would not inline
	for _, p := range mp {
		var q orb.Polygon
		for j, r := range p {
			start := len(*buf)
			rb := b
			for _, pt := range r {
				if x, y := f(pt[0], pt[1]); finite(x, y) {
					xy := orb.Point{x, y}
					*buf = append(*buf, xy)
					rb.Min = orb.Point{min(rb.Min[0], xy[0]), min(rb.Min[1], xy[1])}
					rb.Max = orb.Point{max(rb.Max[0], xy[0]), max(rb.Max[1], xy[1])}
				}
			}
			rr := orb.Ring((*buf)[start:len(*buf):len(*buf)])
			if len(rr) < len(r) || len(rr) < 3 {
				*buf = (*buf)[:start]
				if j == 0 {
					break
				}
				continue
			}
			last := len(rr) - 1
			if a := shoelace(rr) + rr[last][0]*rr[0][1] - rr[0][0]*rr[last][1]; (j == 0 && a < 0) || (j > 0 && a > 0) {
				rr.Reverse() // nonzero fill: holes must wind against the exterior
			}
			q = append(q, rr)
			b = rb
		}
		if len(q) > 0 {
			out = append(out, q)
		}
	}
	return out, b
}

// addSites keeps the counted sites whose point projects inside the
// communes' extent (padded by 2 %).
func (m *mapModel) addSites(sites []diag.SiteResult) {
	b := m.bound.Pad(0.02 * math.Max(m.bound.Max[0]-m.bound.Min[0], m.bound.Max[1]-m.bound.Min[1]))
	for i := range sites {
		s := &sites[i]
		if !s.Counted {
			continue
		}
		if p, ok := m.fwd(m.proj, s.Point); ok && b.Contains(p) {
			m.sites = append(m.sites, mapSite{p: p, kind: s.Kind})
			m.kindSeen[s.Kind]++
		}
	}
}

// addPicks keeps the planner's picks whose point projects inside the
// communes' extent.
func (m *mapModel) addPicks(picks []data.Site) {
	b := m.bound.Pad(0.02 * math.Max(m.bound.Max[0]-m.bound.Min[0], m.bound.Max[1]-m.bound.Min[1]))
	for _, s := range picks {
		if p, ok := m.fwd(m.proj, s.Point); ok && b.Contains(p) {
			m.picks = append(m.picks, p)
		}
	}
}

// mapView maps projected metres to canvas points.
type mapView struct {
	s              float64 // points per metre
	ox, oy, x0, y0 float64
}

// newView fits bound b, centred, into frame with a 3 % margin.
func newView(b orb.Bound, frame vg.Rectangle) mapView {
	fw, fh := float64(frame.Size().X)*0.94, float64(frame.Size().Y)*0.94
	bw, bh := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	s := math.Min(fw/bw, fh/bh)
	return mapView{
		s:  s,
		ox: float64(frame.Min.X) + (float64(frame.Size().X)-bw*s)/2,
		oy: float64(frame.Min.Y) + (float64(frame.Size().Y)-bh*s)/2,
		x0: b.Min[0], y0: b.Min[1],
	}
}

// pt returns the canvas point of projected point p.
func (v mapView) pt(p orb.Point) vg.Point {
	return vg.Point{X: vg.Length(v.ox + (p[0]-v.x0)*v.s), Y: vg.Length(v.oy + (p[1]-v.y0)*v.s)}
}

// polyPath returns the path of mp: one closed subpath per ring, holes
// wound the other way (nonzero fill rule), dropping the vertices closer
// than 0.3 pt to the previous one kept.
func (v mapView) polyPath(mp orb.MultiPolygon) vg.Path {
	var path vg.Path
	for _, p := range mp {
		for _, r := range p {
			var last vg.Point
			for i, q := range r {
				pt := v.pt(q)
				if i == 0 {
					path.Move(pt)
				} else if i == len(r)-1 || math.Hypot(float64(pt.X-last.X), float64(pt.Y-last.Y)) >= 0.3 {
					path.Line(pt)
				} else {
					continue
				}
				last = pt
			}
			path.Close()
		}
	}
	return path
}

// circlePath returns a circle of radius r around p.
func circlePath(p vg.Point, r vg.Length) vg.Path {
	var path vg.Path
	path.Move(vg.Point{X: p.X + r, Y: p.Y})
	path.Arc(p, r, 0, 2*math.Pi)
	path.Close()
	return path
}

// mapLayout places the parts of the picture, in points.
type mapLayout struct {
	u, pad    vg.Length // unit (1 pt at 1600×1200 px) and outer margin
	titleFace font.Face
	titleAt   vg.Point
	footer    []string // source and projection lines, top to bottom
	footFace  font.Face
	frame     vg.Rectangle // the map
	legendAt  vg.Point     // top left of the legend
	view      mapView
}

// footerLineHeight is the line height of the footer, in units.
const footerLineHeight = 13

// layoutMap lays out a W×H point picture: the title on top, the footer
// at the bottom, the legend (300 u wide) on the right, the map in the
// rest.
func layoutMap(W, H vg.Length, in *MapInput, m *mapModel) mapLayout {
	u := min(W/1200, H/900)
	l := mapLayout{u: u, pad: 16 * u, footFace: mapFace(10*u, false)}
	titleSize := 22 * u
	l.titleFace = mapFace(titleSize, true)
	if w := l.titleFace.Width(in.Title); w > W-2*l.pad {
		l.titleFace = mapFace(titleSize*(W-2*l.pad)/w, true)
	}
	l.titleAt = vg.Point{X: l.pad, Y: H - l.pad - titleSize}
	note := "Projection : " + m.proj.Name
	if m.omitted > 0 {
		note += " — " + itoa(m.omitted) + " commune(s) non représentée(s) : sans géométrie, ou outre-mer sur une carte de métropole"
	}
	l.footer = append(wrapText(l.footFace, in.Source, W-2*l.pad), wrapText(l.footFace, note, W-2*l.pad)...)
	bottom := l.pad + vg.Length(len(l.footer))*footerLineHeight*u + 8*u
	legendW := 300 * u
	l.frame = vg.Rectangle{
		Min: vg.Point{X: l.pad, Y: bottom},
		Max: vg.Point{X: W - 2*l.pad - legendW, Y: H - 2*l.pad - titleSize},
	}
	l.legendAt = vg.Point{X: W - l.pad - legendW, Y: l.frame.Max.Y}
	l.view = newView(m.bound, l.frame)
	return l
}

// drawMap draws the whole picture on c, of size W×H points. With a
// raster (the PNG), the communes and sites are drawn by it, first, the
// rest by c over them.
func drawMap(c vg.Canvas, W, H vg.Length, in *MapInput, m *mapModel, raster *mapRaster) {
	l := layoutMap(W, H, in, m)
	if raster != nil {
		raster.communes(l.view, l.u, m)
		raster.sites(l.view, l.u, m)
	}
	c.SetColor(textColor)
	c.FillString(l.titleFace, l.titleAt, in.Title)
	for i, s := range l.footer {
		c.FillString(l.footFace, vg.Point{X: l.pad, Y: l.pad + vg.Length(len(l.footer)-1-i)*footerLineHeight*l.u}, s)
	}
	if raster == nil {
		drawCommunes(c, l.view, l.u, m)
		drawSites(c, l.view, l.u, m)
	}
	drawScaleBar(c, l.view, l.frame, l.u)
	drawNorthArrow(c, l.frame, l.u, m)
	legend := drawLegend
	if in.legend != nil {
		legend = in.legend
	}
	legend(c, l.legendAt, l.u, m)
}

// wrapText splits s into lines no wider than width (a word longer than
// width gets a line of its own).
func wrapText(f font.Face, s string, width vg.Length) []string {
	var lines []string
	line := ""
	for _, w := range splitWords(s) {
		switch {
		case line == "":
			line = w
		case f.Width(line+" "+w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// splitWords splits s at spaces, dropping empty words.
func splitWords(s string) []string {
	var out []string
	start := -1
	for i, r := range s + " " {
		if r == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	return out
}

// drawCommunes fills the polygons, then the circles, with thin borders.
func drawCommunes(c vg.Canvas, v mapView, u vg.Length, m *mapModel) {
	c.SetLineWidth(0.3 * u)
	for _, s := range m.shapes {
		path := v.polyPath(s.poly)
		c.SetColor(s.fill)
		c.Fill(path)
		c.SetColor(borderColor)
		c.Stroke(path)
	}
	c.SetLineWidth(0.6 * u)
	for _, d := range m.dots {
		path := circlePath(v.pt(d.p), m.dotRadius(d.pop, u))
		c.SetColor(d.fill)
		c.Fill(path)
		c.SetColor(rgb(0x404040))
		c.Stroke(path)
	}
}

// dotRadius returns the radius of commune circle d. On a map of circles
// alone its area is proportional to the population, 16 u for the largest
// commune, at least 1.5 u. On a map of polygons the few communes without
// one are drawn at one small size, 3 u: scaled against each other, the
// largest of two or three such communes would cover a département.
func (m *mapModel) dotRadius(pop int, u vg.Length) vg.Length {
	if len(m.shapes) > 0 {
		return 3 * u
	}
	maxPop := 0
	if len(m.dots) > 0 {
		maxPop = m.dots[0].pop // sorted, largest first
	}
	if maxPop <= 0 || pop <= 0 {
		return 1.5 * u
	}
	return max(1.5*u, 16*u*vg.Length(math.Sqrt(float64(pop)/float64(maxPop))))
}

// drawSites draws the counted sites.
func drawSites(c vg.Canvas, v mapView, u vg.Length, m *mapModel) {
	for _, s := range m.sites {
		drawMarker(c, v.pt(s.p), s.kind, 4*u, u)
	}
	for _, p := range m.picks {
		drawPick(c, v.pt(p), 7*u, u)
	}
}

// Marker shapes: unit vertices (y up), scaled by the marker's size.
var (
	squareUnit   = [][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}
	triangleUnit = [][2]float64{{-1, -0.8}, {1, -0.8}, {0, 1}}
	diamondUnit  = [][2]float64{{0, -1}, {1, 0}, {0, 1}, {-1, 0}}
	starUnit     = func() [][2]float64 { // five points, inner radius 0.45
		star := make([][2]float64, 10)
		for i := range star {
			a := math.Pi/2 + float64(i)*math.Pi/5
			k := 1.0
			if i%2 == 1 {
				k = 0.45
			}
			star[i] = [2]float64{k * math.Cos(a), k * math.Sin(a)}
		}
		return star
	}()
)

// drawPick draws a planner pick: a black five-pointed star, white outline.
func drawPick(c vg.Canvas, p vg.Point, r, u vg.Length) {
	path := polygonPath(p, r, starUnit)
	c.SetColor(color.Black)
	c.Fill(path)
	c.SetLineWidth(0.8 * u)
	c.SetColor(color.White)
	c.Stroke(path)
}

// drawMarker draws the marker of a site kind (size r, white outline):
// conseiller numérique a circle, France Services a square, médiation a
// triangle, other kinds a diamond.
func drawMarker(c vg.Canvas, p vg.Point, k data.SiteKind, r, u vg.Length) {
	var path vg.Path
	switch k {
	case data.KindCNFS:
		path = circlePath(p, r)
	case data.KindFranceServices:
		path = polygonPath(p, r*0.9, squareUnit)
	case data.KindMediation:
		path = polygonPath(p, r*1.2, triangleUnit)
	default:
		path = polygonPath(p, r*1.2, diamondUnit)
	}
	c.SetColor(siteColors[k])
	c.Fill(path)
	c.SetLineWidth(0.8 * u)
	c.SetColor(color.White)
	c.Stroke(path)
}

// polygonPath returns the closed polygon of unit vertices scaled by r around p.
func polygonPath(p vg.Point, r vg.Length, unit [][2]float64) vg.Path {
	var path vg.Path
	for i, q := range unit {
		pt := vg.Point{X: p.X + r*vg.Length(q[0]), Y: p.Y + r*vg.Length(q[1])}
		if i == 0 {
			path.Move(pt)
		} else {
			path.Line(pt)
		}
	}
	path.Close()
	return path
}
