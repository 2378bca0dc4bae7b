package report

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"runtime"
	"sync"

	"golang.org/x/image/vector"
	"gonum.org/v1/plot/vg"

	"diagnum/data"
)

// mapRaster draws the bulk of the PNG map — the communes and the site
// markers — straight into its RGBA image with golang.org/x/image/vector's
// anti-aliasing rasteriser, each shape in a rasteriser the size of its
// own bounding box, instead of through vg.Canvas (gonum/plot's vgimg,
// whose general stroker spent most of the national map's time). The
// titles, legend, scale bar and north arrow are still drawn by vgimg,
// over this layer, and the SVG draws everything through vg.Canvas: the
// two pictures show the same shapes (TestMapGolden compares the PNG with
// the first renderer's).
//
// Borders are stroked as one quadrilateral per segment, marker outlines
// the same with round joins; repeated markers and commune circles are
// stamped from masks rendered once per shape, size and quarter-pixel
// position.
type mapRaster struct {
	img     *image.RGBA
	k       float64 // pixels per point (mapDPI / 72)
	h       float64 // image height in pixels (the y axis points down)
	z       vector.Rasterizer
	stamps  map[stampKey]*stamp
	pts     []vecPoint // scratch
	off     []vecPoint // scratch of outline
	scratch []uint8    // pixels of polygon's scratch image
}

func newMapRaster(img *image.RGBA) *mapRaster {
	return &mapRaster{img: img, k: float64(mapDPI) / 72, h: float64(img.Rect.Dy()), stamps: map[stampKey]*stamp{}}
}

// vecPoint is a point in pixels, y down.
type vecPoint struct{ x, y float64 }

// px returns the pixel position of canvas point p.
func (r *mapRaster) px(p vg.Point) vecPoint {
	return vecPoint{float64(p.X) * r.k, r.h - float64(p.Y)*r.k}
}

// paint composites col over dst (the image or a scratch copy of a part
// of it) through the paths added to the rasteriser, whose origin is the
// pixel b.Min.
func (r *mapRaster) paint(dst *image.RGBA, b image.Rectangle, col color.RGBA) {
	r.z.DrawOp = draw.Over
	r.z.Draw(dst, b, image.NewUniform(col), image.Point{})
}

// ring adds the closed ring pts to the rasteriser of origin o.
func (r *mapRaster) ring(o image.Point, pts []vecPoint) {
	ox, oy := float64(o.X), float64(o.Y)
	r.z.MoveTo(float32(pts[0].x-ox), float32(pts[0].y-oy))
	for _, p := range pts[1:] {
		r.z.LineTo(float32(p.x-ox), float32(p.y-oy))
	}
	r.z.ClosePath()
}

// strokeRing adds the outline of the closed ring pts, width w pixels:
// a quadrilateral per segment, and with round a disc at each vertex
// (round joins).
func (r *mapRaster) strokeRing(o image.Point, pts []vecPoint, w float64, round bool) {
	hw := w / 2
	n := len(pts)
	for i := range n {
		a, b := pts[i], pts[(i+1)%n]
		dx, dy := b.x-a.x, b.y-a.y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		nx, ny := -dy/l*hw, dx/l*hw
		r.ring(o, []vecPoint{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}})
		if round {
			r.ring(o, circlePoints(a, hw, 8))
		}
	}
}

// circlePoints returns n points of the circle of centre c and radius
// rad, in the orientation of strokeRing's quadrilaterals.
func circlePoints(c vecPoint, rad float64, n int) []vecPoint {
	pts := make([]vecPoint, n)
	for i := range pts {
		a := -2 * math.Pi * float64(i) / float64(n)
		pts[i] = vecPoint{c.x + rad*math.Cos(a), c.y + rad*math.Sin(a)}
	}
	return pts
}

// circleSegments is the number of segments of a circle of rad pixels:
// none longer than about half a pixel.
func circleSegments(rad float64) int {
	return max(16, int(math.Ceil(2*math.Pi*rad/0.5)))
}

// polygon fills the rings (pixels; holes wound against their exterior),
// then strokes them w pixels wide in line (hairlines: see outline),
// changing only the pixels of rows inside clip (the image's, or a band
// of it). A shape reaching out of clip is drawn as a whole into a
// scratch copy of its box, whose rows inside clip are copied back: each
// pixel is composited from its own value and the shape's coverage
// alone, so the pixels are those of a drawing without clip.
func (r *mapRaster) polygon(rings [][]vecPoint, fill, line color.RGBA, w float64, clip image.Rectangle) {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, rg := range rings {
		for _, p := range rg {
			x0, y0 = min(x0, p.x), min(y0, p.y)
			x1, y1 = max(x1, p.x), max(y1, p.y)
		}
	}
	pad := w + 1
	b := image.Rect(int(math.Floor(x0-pad)), int(math.Floor(y0-pad)), int(math.Ceil(x1+pad)), int(math.Ceil(y1+pad))).Intersect(r.img.Rect)
	in := b.Intersect(clip)
	if in.Empty() {
		return
	}
	dst := r.img
	if in != b {
		dst = r.scratchOf(b, in)
	}
	r.z.Reset(b.Dx(), b.Dy())
	for _, rg := range rings {
		r.ring(b.Min, rg)
	}
	r.paint(dst, b, fill)
	r.z.Reset(b.Dx(), b.Dy())
	for _, rg := range rings {
		r.outline(b.Min, rg, w/2)
	}
	r.paint(dst, b, line)
	if dst != r.img {
		copyRows(r.img, dst, in)
	}
}

// scratchOf returns the scratch image of bounds b holding the pixels of
// r.img inside in (a part of b; the other pixels are left undefined).
func (r *mapRaster) scratchOf(b, in image.Rectangle) *image.RGBA {
	n := 4 * b.Dx() * b.Dy()
	if cap(r.scratch) < n {
		r.scratch = make([]uint8, n)
	}
	dst := &image.RGBA{Pix: r.scratch[:n], Stride: 4 * b.Dx(), Rect: b}
	copyRows(dst, r.img, in)
	return dst
}

// copyRows copies the pixels of src inside b to dst.
func copyRows(dst, src *image.RGBA, b image.Rectangle) {
	for y := b.Min.Y; y < b.Max.Y; y++ {
		copy(dst.Pix[dst.PixOffset(b.Min.X, y):][:4*b.Dx()], src.Pix[src.PixOffset(b.Min.X, y):][:4*b.Dx()])
	}
}

// outline adds the band of half-width hw around the closed ring pts (its
// last point may repeat the first): the ring offset outwards by hw and,
// wound the other way, inwards, with miter joins capped at 2·hw. Two
// lines per vertex, where a quadrilateral per segment takes five: the
// borders are most of the national map's lines.
func (r *mapRaster) outline(o image.Point, pts []vecPoint, hw float64) {
	n := len(pts)
	if n > 1 && pts[n-1] == pts[0] {
		n--
	}
	if n < 2 {
		return
	}
	off := r.off[:0]
	for i := range n {
		a, p, b := pts[(i+n-1)%n], pts[i], pts[(i+1)%n]
		n1x, n1y := unitNormal(p.x-a.x, p.y-a.y)
		n2x, n2y := unitNormal(b.x-p.x, b.y-p.y)
		sx, sy := n1x+n2x, n1y+n2y
		l := math.Sqrt(sx*sx + sy*sy) // |n1+n2| ≤ 2: no overflow for math.Hypot to avoid
		if l < 1e-9 {
			sx, sy, l = n1x, n1y, 1
		}
		sx, sy = sx/l, sy/l
		k := hw / max(sx*n1x+sy*n1y, 0.5) // miter, at most 2·hw
		off = append(off, vecPoint{sx * k, sy * k})
	}
	r.off = off
	ox, oy := float64(o.X), float64(o.Y)
	r.z.MoveTo(float32(pts[0].x+off[0].x-ox), float32(pts[0].y+off[0].y-oy))
	for i := 1; i < n; i++ {
		r.z.LineTo(float32(pts[i].x+off[i].x-ox), float32(pts[i].y+off[i].y-oy))
	}
	r.z.ClosePath()
	r.z.MoveTo(float32(pts[n-1].x-off[n-1].x-ox), float32(pts[n-1].y-off[n-1].y-oy))
	for i := n - 2; i >= 0; i-- {
		r.z.LineTo(float32(pts[i].x-off[i].x-ox), float32(pts[i].y-off[i].y-oy))
	}
	r.z.ClosePath()
}

// unitNormal returns the unit normal of (dx, dy), zero for a zero vector.
func unitNormal(dx, dy float64) (float64, float64) {
	l := math.Sqrt(dx*dx + dy*dy) // pixels: no overflow for math.Hypot to avoid
	if l == 0 {
		return 0, 0
	}
	return -dy / l, dx / l
}

// stampKey identifies a pre-rendered marker: its shape, radius and line
// width in 1/64 pixel, and the quarter-pixel offset of its centre.
type stampKey struct {
	shape      int // a data.SiteKind's marker, or shapeDisc, shapeStar
	rad, width int
	dx, dy     int
}

const (
	shapeDisc = -1 - iota // commune circle
	shapeStar             // planner pick
)

// stamp is a pre-rendered marker: fill and outline coverage masks whose
// pixel (0, 0) lies at (-off, -off) from the pixel holding the centre.
type stamp struct {
	fill, line *image.Alpha
	off        int
}

// marker draws the shape of key centred at canvas point at: filled in
// fill, outlined in line.
func (r *mapRaster) marker(at vg.Point, shape int, rad, width vg.Length, fill, line color.Color) {
	p := r.px(at)
	fx, fy := math.Floor(p.x), math.Floor(p.y)
	q := func(v vg.Length) int { return int(math.Round(float64(v) * r.k * 64)) }
	key := stampKey{shape: shape, rad: q(rad), width: q(width),
		dx: int(math.Round((p.x - fx) * 4)), dy: int(math.Round((p.y - fy) * 4))}
	s := r.stamps[key]
	if s == nil {
		s = renderStamp(key)
		r.stamps[key] = s
	}
	o := image.Pt(int(fx)-s.off, int(fy)-s.off)
	b := s.fill.Rect.Add(o)
	draw.DrawMask(r.img, b, image.NewUniform(fill), image.Point{}, s.fill, image.Point{}, draw.Over)
	draw.DrawMask(r.img, b, image.NewUniform(line), image.Point{}, s.line, image.Point{}, draw.Over)
}

// renderStamp rasterises the marker of key.
func renderStamp(key stampKey) *stamp {
	rad, w := float64(key.rad)/64, float64(key.width)/64
	off := int(math.Ceil(1.3*rad+w)) + 2
	size := 2*off + 1
	c := vecPoint{float64(off) + float64(key.dx)/4, float64(off) + float64(key.dy)/4}
	var pts []vecPoint
	switch key.shape {
	case shapeDisc, int(data.KindCNFS):
		pts = circlePoints(c, rad, circleSegments(rad))
	case shapeStar:
		pts = unitPoints(c, rad, starUnit)
	case int(data.KindFranceServices):
		pts = unitPoints(c, rad*0.9, squareUnit)
	case int(data.KindMediation):
		pts = unitPoints(c, rad*1.2, triangleUnit)
	default:
		pts = unitPoints(c, rad*1.2, diamondUnit)
	}
	s := &stamp{fill: image.NewAlpha(image.Rect(0, 0, size, size)), line: image.NewAlpha(image.Rect(0, 0, size, size)), off: off}
	var z mapRaster
	z.z.Reset(size, size)
	z.ring(image.Point{}, pts)
	z.z.Draw(s.fill, s.fill.Rect, image.Opaque, image.Point{})
	z.z.Reset(size, size)
	if key.shape == shapeDisc || key.shape == int(data.KindCNFS) {
		// A circle's outline is the ring between two circles.
		z.ring(image.Point{}, circlePoints(c, rad+w/2, circleSegments(rad+w/2)))
		in := circlePoints(c, max(rad-w/2, 0), circleSegments(rad))
		for i, j := 0, len(in)-1; i < j; i, j = i+1, j-1 {
			in[i], in[j] = in[j], in[i]
		}
		z.ring(image.Point{}, in)
	} else {
		z.strokeRing(image.Point{}, pts, w, true)
	}
	z.z.Draw(s.line, s.line.Rect, image.Opaque, image.Point{})
	return s
}

// unitPoints returns the unit vertices scaled by rad around c, y down.
func unitPoints(c vecPoint, rad float64, unit [][2]float64) []vecPoint {
	pts := make([]vecPoint, len(unit))
	for i, q := range unit {
		pts[i] = vecPoint{c.x + rad*q[0], c.y - rad*q[1]}
	}
	return pts
}

// communes draws the communes as drawCommunes does: the shapes in
// horizontal bands of the image drawn on every core at once (each band
// by one goroutine, every shape crossing it in order: the pixels are
// those of one pass, see polygon), then the circles.
func (r *mapRaster) communes(v mapView, u vg.Length, m *mapModel) {
	r.communeShapes(v, u, m, runtime.GOMAXPROCS(0))
	for _, d := range m.dots {
		r.marker(v.pt(d.p), shapeDisc, m.dotRadius(d.pop, u), 0.6*u, d.fill, rgb(0x404040))
	}
}

// communeShapes draws the shapes on up to workers goroutines (3 bands
// each, so that the dense and empty parts of the map even out).
func (r *mapRaster) communeShapes(v mapView, u vg.Length, m *mapModel, workers int) {
	img := r.img.Rect
	nb := 1
	if workers > 1 {
		nb = min(3*workers, max(img.Dy()/16, 1))
	}
	next := make(chan image.Rectangle)
	var wg sync.WaitGroup
	for range min(workers, nb) {
		z := &mapRaster{img: r.img, k: r.k, h: r.h}
		wg.Go(func() {
			for band := range next {
				z.shapesIn(v, u, m, band)
			}
		})
	}
	for i := range nb {
		next <- image.Rect(img.Min.X, img.Min.Y+i*img.Dy()/nb, img.Max.X, img.Min.Y+(i+1)*img.Dy()/nb)
	}
	close(next)
	wg.Wait()
}

// shapesIn draws the pixels of the shapes inside band (rows of the
// image), in order.
func (r *mapRaster) shapesIn(v mapView, u vg.Length, m *mapModel, band image.Rectangle) {
	w := float64(0.3*u) * r.k
	minStep := 0.3 * r.k // polyPath's 0.3 pt
	pad := w + 2
	var rings [][]vecPoint
	for _, s := range m.shapes {
		// The shape's rows, from its projected bound (y down).
		a, b := r.px(v.pt(s.bound.Min)), r.px(v.pt(s.bound.Max))
		if min(a.y, b.y)-pad >= float64(band.Max.Y) || max(a.y, b.y)+pad < float64(band.Min.Y) {
			continue
		}
		rings = rings[:0]
		pts := r.pts[:0]
		for _, p := range s.poly {
			for _, rg := range p {
				start := len(pts)
				var last vecPoint
				for i, q := range rg {
					pt := r.px(v.pt(q))
					if dx, dy := pt.x-last.x, pt.y-last.y; i == 0 || i == len(rg)-1 || math.Sqrt(dx*dx+dy*dy) >= minStep {
						pts = append(pts, pt)
						last = pt
					}
				}
				rings = append(rings, pts[start:])
			}
		}
		r.pts = pts
		r.polygon(rings, s.fill, borderColor, w, band)
	}
}

// sites draws the sites and the picks as drawSites does.
func (r *mapRaster) sites(v mapView, u vg.Length, m *mapModel) {
	for _, s := range m.sites {
		r.marker(v.pt(s.p), int(s.kind), 4*u, 0.8*u, siteColors[s.kind], color.White)
	}
	for _, p := range m.picks {
		r.marker(v.pt(p), shapeStar, 7*u, 0.8*u, color.Black, color.White)
	}
}
