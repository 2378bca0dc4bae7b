package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"gonum.org/v1/plot/vg"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
)

// rendered is a map drawn by RenderMap, decoded, with the model and
// layout it was drawn from (to place test points).
type rendered struct {
	in  MapInput
	img image.Image
	png []byte
	svg []byte
	m   *mapModel
	l   mapLayout
}

func render(t *testing.T, in MapInput) rendered {
	t.Helper()
	p, s, err := RenderMap(in)
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, p)
	in, m, err := prepareMap(in)
	if err != nil {
		t.Fatal(err)
	}
	W, H := canvasSize(&in)
	return rendered{in: in, img: img, png: p, svg: s, m: m, l: layoutMap(W, H, &in, m)}
}

// pixel returns the pixel of a canvas point: 96/72 px per point, rows
// counted from the top.
func (r rendered) pixel(pt vg.Point) image.Point {
	k := float64(mapDPI) / 72
	return image.Pt(int(math.Floor(float64(pt.X)*k)), int(math.Floor(float64(r.in.Height)-float64(pt.Y)*k)))
}

// at returns the colour at the pixel of projected point p.
func (r rendered) at(p orb.Point) color.RGBA {
	return color.RGBAModel.Convert(r.img.At(r.pixel(r.l.view.pt(p)).X, r.pixel(r.l.view.pt(p)).Y)).(color.RGBA)
}

// atLonLat returns the colour at the pixel of a lon/lat point.
func (r rendered) atLonLat(t *testing.T, lon, lat float64) color.RGBA {
	p, ok := r.m.fwd(r.m.proj, orb.Point{lon, lat})
	if !ok {
		t.Fatalf("(%v, %v) does not project", lon, lat)
	}
	return r.at(p)
}

// clearPoint returns a point well inside shape s (interiorPoint), and
// whether its pixel can be checked: at least 6 px from the shape's
// border, away from the north arrow and the scale bar.
func (r rendered) clearPoint(s mapShape) (orb.Point, bool) {
	f, u := r.l.frame, r.l.u
	p, d := interiorPoint(s.poly)
	pt := r.l.view.pt(p)
	nearArrow := pt.X > f.Max.X-50*u && pt.Y > f.Max.Y-70*u
	nearScale := pt.X < f.Min.X+260*u && pt.Y < f.Min.Y+40*u
	return p, d*r.l.view.s*mapDPI/72 >= 6 && !nearArrow && !nearScale
}

// interiorPoint returns the point of a 15×15 grid over mp's bound that is
// inside mp and farthest from its rings, with that distance.
func interiorPoint(mp orb.MultiPolygon) (orb.Point, float64) {
	b := mp.Bound()
	var best orb.Point
	bestD := -1.0
	for i := range 15 {
		for j := range 15 {
			p := orb.Point{b.Min[0] + (float64(i)+0.5)/15*(b.Max[0]-b.Min[0]),
				b.Min[1] + (float64(j)+0.5)/15*(b.Max[1]-b.Min[1])}
			if !planar.MultiPolygonContains(mp, p) {
				continue
			}
			d := math.Inf(1)
			for _, poly := range mp {
				for _, ring := range poly {
					d = math.Min(d, planar.DistanceFrom(orb.LineString(ring), p))
				}
			}
			if d > bestD {
				best, bestD = p, d
			}
		}
	}
	return best, bestD
}

// TestRenderMapCreuse draws the 258 real Creuse polygons with
// score_ecart = i for the i-th commune in code order, so the classes are
// those of TestQuantileClasses: 0–51, 52–103, 104–154, 155–206, 207–257.
// At a point well inside each commune (≥ 6 px from its border, away from
// the north arrow and the scale bar) the PNG has the YlOrRd colour of the
// commune's class.
func TestRenderMapCreuse(t *testing.T) {
	ds, cs := creuseDataset(t)
	r := render(t, MapInput{Title: "Score d'écart — Creuse (23)", Communes: cs, Dataset: ds})
	if b := r.img.Bounds(); b.Dx() != DefaultMapWidth || b.Dy() != DefaultMapHeight {
		t.Fatalf("png %v, want %d×%d", b, DefaultMapWidth, DefaultMapHeight)
	}
	if len(r.m.shapes) != 258 || r.m.proj.Name != "Lambert-93 (EPSG:2154)" || r.m.omitted != 0 {
		t.Fatalf("%d shapes in %s, %d omitted", len(r.m.shapes), r.m.proj.Name, r.m.omitted)
	}
	class := func(i int) int { // the hand-computed breaks 51, 103, 154, 206
		switch {
		case i <= 51:
			return 0
		case i <= 103:
			return 1
		case i <= 154:
			return 2
		case i <= 206:
			return 3
		}
		return 4
	}
	checked := 0
	for i, s := range r.m.shapes {
		p, ok := r.clearPoint(s)
		if !ok {
			continue
		}
		if got, want := r.at(p), ylOrRd[5][class(i)]; got != want {
			t.Errorf("commune %s (score %d, class %d): colour %v, want %v", cs[i].Code, i, class(i), got, want)
		}
		checked++
	}
	if checked < 200 {
		t.Errorf("only %d communes checked", checked)
	}
	legend := colorsIn(r.img, r.pixel(r.l.legendAt).X, 0, r.in.Width, r.in.Height)
	for k, c := range ylOrRd[5] {
		if legend[c] == 0 {
			t.Errorf("legend lacks class %d colour %v", k, c)
		}
	}
	again := render(t, r.in)
	if !bytes.Equal(r.png, again.png) || !bytes.Equal(r.svg, again.svg) {
		t.Error("two renderings differ")
	}
}

// colorsIn counts the colours of the pixels in [x0, x1) × [y0, y1).
func colorsIn(img image.Image, x0, y0, x1, y1 int) map[color.RGBA]int {
	n := map[color.RGBA]int{}
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			n[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	return n
}

// TestRenderMapSVG parses the SVG: its size, the title and legend texts.
func TestRenderMapSVG(t *testing.T) {
	ds, cs := creuseDataset(t)
	title := "Score d'écart — Creuse (23)"
	r := render(t, MapInput{Title: title, Communes: cs, Dataset: ds, Source: "Sources : INSEE — diagnum"})
	dec := xml.NewDecoder(bytes.NewReader(r.svg))
	var texts []string
	var root xml.StartElement
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("svg is not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root.Name.Local == "" {
				root = tok.Copy()
			}
			inText = tok.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(tok))
			}
		case xml.EndElement:
			inText = false
		}
	}
	attr := func(name string) string {
		for _, a := range root.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	if root.Name.Local != "svg" || attr("width") != "1200pt" || attr("height") != "900pt" {
		t.Errorf("root %s %q×%q, want svg 1200pt×900pt", root.Name.Local, attr("width"), attr("height"))
	}
	for _, want := range []string{title, "Score d'écart", "0 – 51 (52)", "206 – 257 (51)", "N",
		"Sources : INSEE — diagnum", "Projection : Lambert-93 (EPSG:2154)"} {
		if !slices.Contains(texts, want) {
			t.Errorf("svg has no text %q (texts %q)", want, texts)
		}
	}
}

// TestRenderMapHoleDotsSites draws a hand-made territory near Guéret:
// commune 23001 is a square (1.8–2.0° E, 46.0–46.15° N) with a hole
// (1.87–1.93° E, 46.05–46.10° N); 23002 and 23003 have points only
// (populations 1,000 and 10). Scores 0, 10, 5: n = 3, the quantile
// indices ⌈3k/5⌉ − 1 are 0, 1, 1, 2, 2, so the breaks are 0, 5, 10 and
// the colours those of the 3-class YlOrRd: 23001 #ffeda0, 23003
// #feb24c, 23002 #f03b20. On this map of polygons both circles have the
// one size of communes without a contour, 3 u.
func TestRenderMapHoleDotsSites(t *testing.T) {
	ds, cs, sites := holeFixture()
	r := render(t, MapInput{Communes: cs, Dataset: ds, Sites: sites})
	white := color.RGBA{255, 255, 255, 255}
	pxPerPt := r.l.view.s * mapDPI / 72
	east := func(px float64) float64 { return 2.3 + px/pxPerPt/77000 } // 77 km per degree of longitude at 46.1° N
	rpx := float64(3*r.l.u) * mapDPI / 72
	for _, tt := range []struct {
		what     string
		lon, lat float64
		want     color.RGBA
	}{
		{"23001 ring", 1.96, 46.03, rgb(0xffeda0)},
		{"23001 hole", 1.90, 46.075, white},
		{"23002 circle centre", 2.3, 46.1, rgb(0xf03b20)},
		{"23002 circle, 1.5 px inside its edge", east(rpx - 1.5), 46.1, rgb(0xf03b20)},
		{"23002 circle, 2 px beyond its edge", east(rpx + 2), 46.1, white},
		{"counted CNFS site", 1.82, 46.12, siteColors[data.KindCNFS]},
		{"uncounted site not drawn", 1.85, 46.02, rgb(0xffeda0)},
		{"outside", 2.15, 46.12, white},
	} {
		if got := r.atLonLat(t, tt.lon, tt.lat); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.what, got, tt.want)
		}
	}
	if got := r.atLonLat(t, 2.5, 46.05); got != rgb(0xfeb24c) {
		t.Errorf("23003 circle centre: %v", got)
	}
	if len(r.m.sites) != 1 || r.m.kindSeen[data.KindCNFS] != 1 || len(r.m.dots) != 2 || r.m.dots[0].pop != 1000 {
		t.Errorf("sites %v, dots %v", r.m.sites, r.m.dots)
	}
	if !bytes.Contains(r.svg, []byte("Commune sans contour (2)")) || bytes.Contains(r.svg, []byte("hab.")) {
		t.Error("svg lacks the one-size circle legend, or sizes circles by population")
	}
}

// TestRenderMapDotsOnly: without any polygon the circles' areas follow
// the population: 16 u for 23002 (1,000 inhabitants, the largest), and
// max(1.5, 16·√(10/1000)) = 1.6 u for 23003, with the legend of sizes.
func TestRenderMapDotsOnly(t *testing.T) {
	ds, cs, _ := holeFixture()
	ds.Communes, cs = ds.Communes[1:], cs[1:]
	r := render(t, MapInput{Communes: cs, Dataset: ds})
	pxPerPt := r.l.view.s * mapDPI / 72
	for _, tt := range []struct {
		what    string
		lon     float64
		lat     float64
		radiusU float64
		want    color.RGBA
	}{
		{"23002", 2.3, 46.1, 16, rgb(0xf03b20)},
		{"23003", 2.5, 46.05, 1.6, rgb(0xffeda0)},
	} {
		rpx := tt.radiusU * float64(r.l.u) * mapDPI / 72
		if got := r.atLonLat(t, tt.lon+(rpx-1.5)/pxPerPt/77000, tt.lat); got != tt.want {
			t.Errorf("%s, 1.5 px inside its edge: %v, want %v", tt.what, got, tt.want)
		}
		if got := r.atLonLat(t, tt.lon+(rpx+2)/pxPerPt/77000, tt.lat); got != (color.RGBA{255, 255, 255, 255}) {
			t.Errorf("%s, 2 px beyond its edge: %v, want white", tt.what, got)
		}
	}
	if !bytes.Contains(r.svg, []byte("Communes sans contour : cercle")) || !bytes.Contains(r.svg, []byte("1\u00a0000 hab.")) {
		t.Error("svg lacks the circle-size legend")
	}
}

// holeFixture is the territory of TestRenderMapHoleDotsSites.
func holeFixture() (*data.Dataset, []diag.CommuneResult, []diag.SiteResult) {
	outer := orb.Ring{{1.8, 46.0}, {2.0, 46.0}, {2.0, 46.15}, {1.8, 46.15}, {1.8, 46.0}}
	// The hole winds like the exterior (counter-clockwise), against RFC
	// 7946: the map must still leave it empty.
	hole := orb.Ring{{1.87, 46.05}, {1.93, 46.05}, {1.93, 46.10}, {1.87, 46.10}, {1.87, 46.05}}
	ds := &data.Dataset{Communes: []data.Commune{
		{Code: "23001", Zone: "metro", Polygon: orb.MultiPolygon{{outer, hole}}},
		{Code: "23002", Zone: "metro", Point: orb.Point{2.3, 46.1}, HasPoint: true},
		{Code: "23003", Zone: "metro", Point: orb.Point{2.5, 46.05}, HasPoint: true},
	}}
	cs := []diag.CommuneResult{
		{Code: "23001", Population: 500, Gap: 0},
		{Code: "23002", Population: 1000, Gap: 10},
		{Code: "23003", Population: 10, Gap: 5},
	}
	sites := []diag.SiteResult{
		{Site: data.Site{Kind: data.KindCNFS, Point: orb.Point{1.82, 46.12}, Commune: "23001"}, Counted: true},
		{Site: data.Site{Kind: data.KindFranceServices, Point: orb.Point{1.85, 46.02}, Commune: "23001"}},
		{Site: data.Site{Kind: data.KindCNFS, Point: orb.Point{9, 50}, Commune: "23001"}, Counted: true}, // off the map
	}
	return ds, cs, sites
}

// TestMapProjectionChoice: Lambert-93 when a commune is metropolitan
// (overseas ones are then left out), else the UTM zone of the centre.
func TestMapProjectionChoice(t *testing.T) {
	pts := map[string]orb.Point{ // chefs-lieux, lon/lat
		"23096": {1.8717, 46.1714}, "97411": {55.4481, -20.8823}, "97120": {-61.5331, 16.2411},
		"97302": {-52.3261, 4.9372}, "97611": {45.2279, -12.7806}, "97209": {-61.0588, 14.6161},
	}
	tests := []struct {
		codes   []string
		proj    string
		omitted int
	}{
		{[]string{"23096", "97411"}, "Lambert-93 (EPSG:2154)", 1},
		{[]string{"97411"}, "UTM 40S", 0},
		{[]string{"97120", "97209"}, "UTM 20N", 0},
		{[]string{"97302"}, "UTM 22N", 0},
		{[]string{"97611"}, "UTM 38S", 0},
	}
	for _, tt := range tests {
		ds := &data.Dataset{}
		var cs []diag.CommuneResult
		for _, c := range tt.codes {
			zone := "drom"
			if c == "23096" {
				zone = ""
			}
			ds.Communes = append(ds.Communes, data.Commune{Code: c, Zone: zone, Point: pts[c], HasPoint: true})
			cs = append(cs, diag.CommuneResult{Code: c, Population: 1000, Gap: 1})
		}
		in, err := MapInput{Communes: cs, Dataset: ds}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		m, err := newMapModel(&in)
		if err != nil || m.proj.Name != tt.proj || m.omitted != tt.omitted {
			t.Errorf("%v: %v, %d omitted, %v; want %s, %d", tt.codes, m.proj.Name, m.omitted, err, tt.proj, tt.omitted)
		}
	}
}

// TestNorthAngle: in Lambert-93 the meridians converge on the cone's
// apex, turned from grid north by γ = n·(λ − 3°).
func TestNorthAngle(t *testing.T) {
	for _, tt := range []struct {
		p    geo.Projection
		at   orb.Point
		want float64
	}{
		{geo.Lambert93, orb.Point{-4, 48}, 0.7256077650532670 * -7 * math.Pi / 180}, // −0.08865 rad, −5.08°
		{geo.Lambert93, orb.Point{3, 46}, 0},
		{geo.Lambert93, orb.Point{8, 43}, 0.7256077650532670 * 5 * math.Pi / 180},
		{geo.UTM(31, false), orb.Point{3, 45}, 0},
	} {
		if got := northAngle(&mapModel{proj: tt.p, centre: tt.at}); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s at %v: %v, want %v", tt.p.Name, tt.at, got, tt.want)
		}
	}
}

func TestRenderMapErrors(t *testing.T) {
	ds, cs, _ := holeFixture()
	tests := []struct {
		name string
		in   MapInput
		is   error
	}{
		{"no dataset", MapInput{Communes: cs}, nil},
		{"no commune", MapInput{Dataset: ds}, ErrNothingToMap},
		{"unknown commune", MapInput{Dataset: ds, Communes: []diag.CommuneResult{{Code: "99999"}}}, ErrNothingToMap},
		{"no geometry", MapInput{Dataset: &data.Dataset{Communes: []data.Commune{{Code: "23001"}}}, Communes: cs[:1]}, ErrNothingToMap},
		{"NaN point", MapInput{Dataset: &data.Dataset{Communes: []data.Commune{{Code: "23001", Point: orb.Point{math.NaN(), 46},
			HasPoint: true}}}, Communes: cs[:1]}, ErrNothingToMap},
		{"too small", MapInput{Dataset: ds, Communes: cs, Width: 100, Height: 100}, nil},
		{"too large", MapInput{Dataset: ds, Communes: cs, Width: 30000, Height: 1000}, nil},
	}
	for _, tt := range tests {
		_, _, err := RenderMap(tt.in)
		if err == nil || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("%s: %v", tt.name, err)
		}
		if err2 := WriteMapPNG(io.Discard, tt.in); err2 == nil {
			t.Errorf("%s: WriteMapPNG accepted it", tt.name)
		}
	}
	if err := WriteMapPNG(failWriter{}, MapInput{Dataset: ds, Communes: cs}); !errors.Is(err, errDiskFull) {
		t.Errorf("png write error: %v", err)
	}
	if err := WriteMapSVG(failWriter{}, MapInput{Dataset: ds, Communes: cs}); !errors.Is(err, errDiskFull) {
		t.Errorf("svg write error: %v", err)
	}
}

// TestWriteMapSize: a configured size gives that many pixels, and an SVG
// of 0.75 pt per pixel.
func TestWriteMapSize(t *testing.T) {
	ds, cs, _ := holeFixture()
	in := MapInput{Dataset: ds, Communes: cs, Width: 800, Height: 600}
	var p, s bytes.Buffer
	if err := WriteMapPNG(&p, in); err != nil {
		t.Fatal(err)
	}
	if err := WriteMapSVG(&s, in); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&p)
	if err != nil || cfg.Width != 800 || cfg.Height != 600 {
		t.Errorf("png %d×%d, %v", cfg.Width, cfg.Height, err)
	}
	if !strings.Contains(s.String(), `width="600pt" height="450pt"`) {
		t.Errorf("svg header %.200s", s.String())
	}
}

func TestNewMapInput(t *testing.T) {
	ds, cs, sites := holeFixture()
	sites = append(sites, diag.SiteResult{Site: data.Site{ID: "elsewhere", Commune: "01001"}, Counted: true})
	for i := range cs {
		cs[i].Dep = "23"
	}
	v, err := (&diag.Result{Communes: cs, Sites: sites}).View(diag.Departements("23"))
	if err != nil {
		t.Fatal(err)
	}
	v.Name = "Creuse"
	in := Input{
		View: *v,
		Sources: []data.Source{{Attribution: "INSEE, Code officiel géographique 2025", Producer: "INSEE"},
			{Producer: "ANCT"}, {Attribution: "INSEE, Code officiel géographique 2025"}, {}},
		Version: "v0.1.0",
	}
	m := NewMapInput(&in, ds)
	if m.Title != "Score d'écart — Creuse (23)" {
		t.Errorf("title %q", m.Title)
	}
	if want := "Sources : INSEE, Code officiel géographique 2025 ; ANCT — diagnum v0.1.0"; m.Source != want {
		t.Errorf("source %q, want %q", m.Source, want)
	}
	if len(m.Sites) != 3 || m.Dataset != ds || len(m.Communes) != 3 {
		t.Errorf("sites %d, communes %d", len(m.Sites), len(m.Communes))
	}
	if got := mapSourceLine(nil, ""); got != "diagnum" {
		t.Errorf("empty source line %q", got)
	}
}

// TestFinite: finite agrees with math.IsNaN and math.IsInf on x+y for
// ordinary, zero, infinite and NaN coordinates, and overflowing sums.
func TestFinite(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range [][2]float64{{1, 2}, {0, 0}, {-652000, 6862000}, {inf, 0}, {0, -inf}, {inf, -inf}, {nan, 1}, {1, nan}, {math.MaxFloat64, math.MaxFloat64}, {math.MaxFloat64, -math.MaxFloat64}} {
		s := c[0] + c[1]
		if want := !math.IsNaN(s) && !math.IsInf(s, 0); finite(c[0], c[1]) != want {
			t.Errorf("finite(%g, %g) = %v, want %v", c[0], c[1], !want, want)
		}
	}
}
