package report

import (
	"image/color"
	"math"

	"github.com/paulmach/orb"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"

	"diagnum/data"
	"diagnum/geo"
)

// niceLength returns the largest 1, 2 or 5 × 10^k not above t (t > 0).
func niceLength(t float64) float64 {
	e := math.Pow(10, math.Floor(math.Log10(t)))
	for _, f := range []float64{5, 2, 1} {
		if f*e <= t*(1+1e-12) {
			return f * e
		}
	}
	return e
}

// scaleLabel returns the label of a scale bar of L metres.
func scaleLabel(L float64) string {
	if L >= 1000 {
		return geo.FrDecimal(L/1000, 0) + " km"
	}
	return geo.FrDecimal(L, 0) + " m"
}

// scaleBarLength returns the length in metres of the scale bar of a frame
// of the given width (points) at s points per metre: about a quarter of
// the frame, rounded down to 1, 2 or 5 × 10^k m.
func scaleBarLength(frameWidth vg.Length, s float64) float64 {
	return niceLength(float64(frameWidth) / s / 4)
}

// drawScaleBar draws a four-segment scale bar at the bottom left of frame.
// Its length is measured in projected metres (Lambert-93 and UTM alter
// lengths by less than 0.3 % over metropolitan France and within a UTM
// zone).
func drawScaleBar(c vg.Canvas, v mapView, frame vg.Rectangle, u vg.Length) {
	L := scaleBarLength(frame.Size().X, v.s)
	w := vg.Length(L * v.s)
	x0, y0, h := frame.Min.X+10*u, frame.Min.Y+10*u, 5*u
	c.SetLineWidth(0.6 * u)
	for i := range 4 {
		seg := vg.Rectangle{
			Min: vg.Point{X: x0 + w*vg.Length(i)/4, Y: y0},
			Max: vg.Point{X: x0 + w*vg.Length(i+1)/4, Y: y0 + h},
		}
		c.SetColor(color.White)
		if i%2 == 0 {
			c.SetColor(textColor)
		}
		c.Fill(seg.Path())
		c.SetColor(textColor)
		c.Stroke(seg.Path())
	}
	f := mapFace(10*u, false)
	textCentred(c, f, vg.Point{X: x0, Y: y0 + h + 4*u}, "0")
	textCentred(c, f, vg.Point{X: x0 + w, Y: y0 + h + 4*u}, scaleLabel(L))
}

// textCentred writes s centred on p (baseline at p.Y).
func textCentred(c vg.Canvas, f font.Face, p vg.Point, s string) {
	c.SetColor(textColor)
	c.FillString(f, vg.Point{X: p.X - f.Width(s)/2, Y: p.Y}, s)
}

// northAngle returns the angle (radians, counter-clockwise) from the
// map's up direction to true north at the centre of the map: the
// meridian convergence of the projection there (n·(λ − 3°) for
// Lambert-93, 0 on a central meridian).
func northAngle(m *mapModel) float64 {
	p0, ok0 := m.fwd(m.proj, m.centre)
	p1, ok1 := m.fwd(m.proj, orb.Point{m.centre[0], m.centre[1] + 0.01})
	if !ok0 || !ok1 {
		return 0
	}
	return math.Atan2(p1[1]-p0[1], p1[0]-p0[0]) - math.Pi/2
}

// drawNorthArrow draws an arrow pointing to true north, top right of frame.
func drawNorthArrow(c vg.Canvas, frame vg.Rectangle, u vg.Length, m *mapModel) {
	c.Push()
	defer c.Pop()
	c.Translate(vg.Point{X: frame.Max.X - 20*u, Y: frame.Max.Y - 34*u})
	c.Rotate(northAngle(m))
	left := polygonPath(vg.Point{}, u, [][2]float64{{0, 14}, {-7, -10}, {0, -5}})
	right := polygonPath(vg.Point{}, u, [][2]float64{{0, 14}, {0, -5}, {7, -10}})
	c.SetLineWidth(0.8 * u)
	c.SetColor(textColor)
	c.Fill(left)
	c.SetColor(color.White)
	c.Fill(right)
	c.SetColor(textColor)
	c.Stroke(left)
	c.Stroke(right)
	textCentred(c, mapFace(13*u, true), vg.Point{Y: 18 * u}, "N")
}

// legendWriter writes the lines of the legend from the top down.
type legendWriter struct {
	c       vg.Canvas
	x, y, u vg.Length
	bold    font.Face
	text    font.Face
}

// heading writes a bold line.
func (l *legendWriter) heading(s string) {
	l.y -= 16 * l.u
	l.c.SetColor(textColor)
	l.c.FillString(l.bold, vg.Point{X: l.x, Y: l.y}, s)
	l.y -= 8 * l.u
}

// note writes a line in a smaller font.
func (l *legendWriter) note(s string) {
	l.c.SetColor(textColor)
	l.c.FillString(mapFace(11*l.u, false), vg.Point{X: l.x, Y: l.y - 6*l.u}, s)
	l.y -= 10 * l.u
}

// entry writes a line with a symbol drawn by sym, centred at 12 u from
// the left (symbols up to 24 u wide).
func (l *legendWriter) entry(s string, sym func(centre vg.Point)) {
	l.entryAt(s, sym, 12*l.u)
}

// entryAt writes a line with a symbol centred at dx from the left and
// the text 20 u to its right.
func (l *legendWriter) entryAt(s string, sym func(centre vg.Point), dx vg.Length) {
	l.y -= 18 * l.u
	sym(vg.Point{X: l.x + dx, Y: l.y + 4*l.u})
	l.c.SetColor(textColor)
	l.c.FillString(l.text, vg.Point{X: l.x + dx + 20*l.u, Y: l.y}, s)
}

// swatch returns a symbol: a rectangle filled with col.
func (l *legendWriter) swatch(col color.Color) func(vg.Point) {
	return func(p vg.Point) {
		r := vg.Rectangle{Min: vg.Point{X: p.X - 12*l.u, Y: p.Y - 7*l.u}, Max: vg.Point{X: p.X + 12*l.u, Y: p.Y + 7*l.u}}
		l.c.SetColor(col)
		l.c.Fill(r.Path())
		l.c.SetLineWidth(0.5 * l.u)
		l.c.SetColor(borderColor)
		l.c.Stroke(r.Path())
	}
}

// drawLegend draws the legend in the panel whose top left is at.
func drawLegend(c vg.Canvas, at vg.Point, u vg.Length, m *mapModel) {
	l := &legendWriter{c: c, x: at.X, y: at.Y, u: u, bold: mapFace(14*u, true), text: mapFace(12*u, false)}
	l.heading("Score d'écart")
	l.note("quantiles (nombre de communes)")
	if m.times != "" {
		l.note("accès en " + m.times)
	}
	for i, lab := range m.classes.labels() {
		l.entry(lab+" ("+itoa(m.classes.counts[i])+")", l.swatch(m.classes.colors[i]))
	}
	if m.noData > 0 {
		l.entry("non calculé ("+itoa(m.noData)+")", l.swatch(noDataColor))
	}
	if len(m.dots) > 0 {
		legendCircles(l, m)
	}
	if len(m.sites) > 0 {
		l.y -= 12 * u
		l.heading("Lieux comptés dans l'offre")
		for _, k := range data.Kinds {
			if n := m.kindSeen[k]; n > 0 {
				l.entry(k.Label()+" ("+itoa(n)+")", func(p vg.Point) { drawMarker(c, p, k, 5*u, u) })
			}
		}
	}
	if len(m.picks) > 0 {
		l.y -= 12 * u
		l.heading("Propositions du planificateur")
		l.entry("Nouveau poste proposé ("+itoa(len(m.picks))+")", func(p vg.Point) { drawPick(c, p, 7*u, u) })
	}
}

// legendCircles explains the commune circles: on a map of polygons, one
// circle for the communes without a contour and their count; on a map of
// circles alone, the largest population and a round value near a quarter
// of it.
func legendCircles(l *legendWriter, m *mapModel) {
	l.y -= 12 * l.u
	circle := func(r vg.Length) func(vg.Point) {
		return func(c vg.Point) {
			path := circlePath(c, r)
			l.c.SetColor(color.White)
			l.c.Fill(path)
			l.c.SetLineWidth(0.6 * l.u)
			l.c.SetColor(rgb(0x404040))
			l.c.Stroke(path)
		}
	}
	if len(m.shapes) > 0 {
		l.entry("Commune sans contour ("+itoa(len(m.dots))+")", circle(m.dotRadius(0, l.u)))
		return
	}
	l.heading("Communes sans contour : cercle")
	l.note("de surface proportionnelle à la population")
	maxPop := m.dots[0].pop // sorted, largest first
	pops := []int{maxPop}
	if q := int(niceLength(float64(maxPop) / 4)); q > 0 && q < maxPop {
		pops = append(pops, q)
	}
	rmax := m.dotRadius(maxPop, l.u)
	for _, p := range pops {
		r := m.dotRadius(p, l.u)
		l.y -= max(0, r-7*l.u)
		l.entryAt(geo.FrDecimal(float64(p), 0)+" hab.", circle(r), rmax)
		l.y -= max(0, r-7*l.u)
	}
}
