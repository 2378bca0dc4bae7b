package report

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
)

// Default size of the map picture, in pixels.
const (
	DefaultMapWidth  = 1600
	DefaultMapHeight = 1200
)

// mapDPI is the resolution of the PNG: a pixel is 0.75 pt, and the SVG,
// sized in points, shows at the same size on a 96 dpi screen.
const mapDPI = 96

// ErrNothingToMap reports a map with no commune to draw: none given, or
// none with a polygon or a point in the dataset.
var ErrNothingToMap = errors.New("aucune commune à cartographier")

// MapInput is what RenderMap draws. Zero fields take the defaults of
// NewMapInput's documentation.
type MapInput struct {
	// Title is drawn at the top, e.g. "Score d'écart — Creuse (23)"
	// (default "Score d'écart").
	Title string
	// Source is the source line drawn at the bottom (wrapped to the
	// width), e.g. "Sources : INSEE, COG 2025 ; ANCT — diagnum v0.3.0"
	// (default "Sources : INSEE, ANCT — diagnum").
	Source string
	// Communes are coloured by score_ecart (Gap).
	Communes []diag.CommuneResult
	// Sites: the counted ones (Counted) are drawn as dots, a colour and
	// a marker shape per kind; the others are ignored.
	Sites []diag.SiteResult
	// Picks are the places the planner proposes, in order; they are drawn
	// as black stars above the existing sites.
	Picks []data.Site
	// Dataset gives each commune's polygon or point (by INSEE code).
	Dataset *data.Dataset
	// Width and Height of the PNG in pixels (default 1600×1200, at most
	// 20000 each, at least 400×300). The SVG is Width×0.75 by
	// Height×0.75 points, the same size at 96 dpi.
	Width, Height int
	// Times names the travel times behind the access measures in the
	// legend: "temps routiers" or "temps estimés (vol d'oiseau × détour)"
	// (TimesLabel); "" leaves it out.
	Times string

	// Geometry, when it holds the communes of Communes and Dataset (in
	// any order), is their projection and projected shapes, shared with
	// other maps of the same communes (NewMapGeometry); otherwise they
	// are computed for this map.
	Geometry *MapGeometry

	// classes, when set, replaces the quantile classes of the communes'
	// Gap, and legend the score_ecart legend (PlanMapInput).
	classes *mapClasses
	legend  func(c vg.Canvas, at vg.Point, u vg.Length, m *mapModel)
}

// NewMapInput returns the map input of the report input in: the title
// "Score d'écart — <territory> (<codes>)", a source line naming the
// attribution of each source of in.Sources (its producer when it has
// none) and the diagnum version, the territory's communes, the counted
// sites assigned to them (in.SiteResults), the
// dataset ds and the default size.
func NewMapInput(in *Input, ds *data.Dataset) MapInput {
	m := MapInput{
		Title:    "Score d'écart — " + in.label(),
		Source:   mapSourceLine(in.Sources, in.Version),
		Communes: in.Communes,
		Dataset:  ds,
	}
	if in.Result != nil {
		m.Sites = in.SiteResults()
		m.Times = TimesLabel(in.Result.Params)
	}
	return m
}

// mapSourceLine returns "Sources : a ; b — diagnum v".
func mapSourceLine(sources []data.Source, version string) string {
	var names []string
	for _, s := range sources {
		n := s.Attribution
		if n == "" {
			n = s.Producer
		}
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	line := "diagnum"
	if version != "" {
		line += " " + version
	}
	if len(names) > 0 {
		line = "Sources : " + strings.Join(names, " ; ") + " — " + line
	}
	return line
}

// withDefaults returns in with its zero fields set, or an error when it
// cannot be drawn.
func (in MapInput) withDefaults() (MapInput, error) {
	if in.Dataset == nil {
		return in, errors.New("rapport : carte : aucun jeu de données")
	}
	if in.Title == "" {
		in.Title = "Score d'écart"
	}
	if in.Source == "" {
		in.Source = "Sources : INSEE, ANCT — diagnum"
	}
	if in.Width == 0 && in.Height == 0 {
		in.Width, in.Height = DefaultMapWidth, DefaultMapHeight
	}
	if in.Width < 400 || in.Height < 300 || in.Width > 20000 || in.Height > 20000 {
		return in, fmt.Errorf("rapport : carte : taille %d×%d px hors de 400×300 à 20000×20000", in.Width, in.Height)
	}
	return in, nil
}

// RenderMap draws the choropleth map of score_ecart over in.Communes and
// returns it as PNG and SVG. See WriteMapPNG for what the map shows.
func RenderMap(in MapInput) (pngData, svgData []byte, err error) {
	in, m, err := prepareMap(in)
	if err != nil {
		return nil, nil, err
	}
	var p, s bytes.Buffer
	if err := writePNG(&p, in, m); err != nil {
		return nil, nil, err
	}
	if err := writeSVG(&s, in, m); err != nil {
		return nil, nil, err
	}
	return p.Bytes(), s.Bytes(), nil
}

// WriteMapPNG writes the map as a PNG image of in.Width × in.Height
// pixels (for the workbook: the Synthèse sheet embeds these bytes).
//
// The map is a choropleth of score_ecart: each commune is filled with the
// colour of its quantile class (5 classes, quantileClasses; ColorBrewer
// YlOrRd) — its polygon where the dataset has one, else a circle at its
// point whose area is proportional to its population (largest below).
// Counted sites are dots, one colour and shape per kind. The picture has
// the title, a legend (classes with their commune counts, circle sizes
// when circles are drawn, site kinds with their counts), a scale bar in
// km measured in projected metres, a north arrow turned by the meridian
// convergence at the map's centre, the source line and the projection.
//
// Projection: Lambert-93 (EPSG:2154) when any commune is metropolitan
// (Commune.Zone "metro", or no zone and a point in the box of metropolitan
// France); overseas communes of the same map are then left out (their
// number is written under the map). Otherwise UTM in the zone of the
// centre of the communes' extent (Guadeloupe and Martinique 20N, Guyane
// 22N, La Réunion 40S, Mayotte 38S: their official projections).
// Communes with neither polygon nor point, and sites outside the
// communes' extent, are left out too.
func WriteMapPNG(w io.Writer, in MapInput) error {
	in, m, err := prepareMap(in)
	if err != nil {
		return err
	}
	return writePNG(w, in, m)
}

// WriteMapSVG writes the map of WriteMapPNG as SVG. Its texts use the
// Liberation Sans font, not embedded (a viewer without it substitutes
// a sans-serif font).
func WriteMapSVG(w io.Writer, in MapInput) error {
	in, m, err := prepareMap(in)
	if err != nil {
		return err
	}
	return writeSVG(w, in, m)
}

func prepareMap(in MapInput) (MapInput, *mapModel, error) {
	in, err := in.withDefaults()
	if err != nil {
		return in, nil, err
	}
	m, err := newMapModel(&in)
	return in, m, err
}

// canvasSize returns the size of the drawing in points.
func canvasSize(in *MapInput) (w, h vg.Length) {
	return vg.Length(in.Width) * 72 / mapDPI, vg.Length(in.Height) * 72 / mapDPI
}

func writePNG(w io.Writer, in MapInput, m *mapModel) error {
	img := image.NewRGBA(image.Rect(0, 0, in.Width, in.Height))
	c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(mapDPI)) // white background
	W, H := canvasSize(&in)
	drawMap(c, W, H, &in, m, newMapRaster(c.Image().(*image.RGBA)))
	if err := encodePNG(w, c.Image().(*image.RGBA)); err != nil {
		return fmt.Errorf("écriture de la carte PNG : %w", err)
	}
	return nil
}

func writeSVG(w io.Writer, in MapInput, m *mapModel) error {
	W, H := canvasSize(&in)
	c := vgsvg.NewWith(vgsvg.UseWH(W, H))
	drawMap(c, W, H, &in, m, nil)
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("écriture de la carte SVG : %w", err)
	}
	return nil
}

// mapModel is the projected content of a map.
type mapModel struct {
	proj     geo.Projection
	grid     geo.Projection // proj interpolated over the communes' extent (project)
	classes  mapClasses
	shapes   []mapShape // communes with a polygon, in input order
	dots     []mapDot   // communes drawn as circles, largest population first
	sites    []mapSite
	picks    []orb.Point // projected planner picks
	bound    orb.Bound   // projected extent of the communes, metres
	centre   orb.Point   // lon/lat centre of the communes' extent
	omitted  int         // communes not drawn
	noData   int         // drawn communes whose score_ecart is not finite
	kindSeen map[data.SiteKind]int
	times    string // MapInput.Times
}

type mapShape struct {
	poly  orb.MultiPolygon // projected
	fill  color.RGBA
	bound orb.Bound // projected bound of poly
}

type mapDot struct {
	p    orb.Point // projected
	pop  int
	fill color.RGBA
}

type mapSite struct {
	p    orb.Point // projected
	kind data.SiteKind
}

// mapCommune is a commune resolved in the dataset.
type mapCommune struct {
	r *diag.CommuneResult
	c *data.Commune
	b orb.Bound // lon/lat bound of its polygon, or its point
}

func newMapCommune(r *diag.CommuneResult, c *data.Commune) mapCommune {
	mc := mapCommune{r: r, c: c, b: orb.Bound{Min: c.Point, Max: c.Point}}
	if len(c.Polygon) > 0 {
		mc.b = polygonBound(c.Polygon)
	}
	return mc
}

// polygonBound returns mp.Bound(), in one plain loop (orb's, through
// Bound.Extend, was a tenth of the national map's time).
func polygonBound(mp orb.MultiPolygon) orb.Bound {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	n := 0
	for _, p := range mp {
		for _, r := range p {
			for _, q := range r {
				b.Min[0], b.Min[1] = min(b.Min[0], q[0]), min(b.Min[1], q[1])
				b.Max[0], b.Max[1] = max(b.Max[0], q[0]), max(b.Max[1], q[1])
			}
			n += len(r)
		}
	}
	if n == 0 {
		return orb.Bound{}
	}
	return b
}

// centre returns the lon/lat centre of the commune's geometry.
func (mc mapCommune) centre() orb.Point {
	if len(mc.c.Polygon) > 0 {
		return mc.b.Center()
	}
	return mc.c.Point
}

// drawable reports whether the commune has a finite polygon or point.
func (mc mapCommune) drawable() bool {
	if len(mc.c.Polygon) == 0 && !mc.c.HasPoint {
		return false
	}
	p := mc.centre()
	return !math.IsNaN(p[0]+p[1]) && !math.IsInf(p[0]+p[1], 0)
}

// newMapModel resolves, classes and projects the communes and sites:
// the communes' projection and projected shapes are in.Geometry's when
// it holds the same communes of the same dataset, else computed here.
func newMapModel(in *MapInput) (*mapModel, error) {
	g := in.Geometry
	if !g.holds(in) {
		g = newMapGeometry(in.Dataset, in.Communes)
	}
	<-g.done
	if g.kept == 0 {
		return nil, ErrNothingToMap
	}
	m := &mapModel{proj: g.proj, grid: g.grid, centre: g.centre, bound: g.bound, kindSeen: map[data.SiteKind]int{}, times: in.Times}
	items := make([]int32, len(in.Communes))
	gaps := make([]float64, 0, g.kept)
	for i := range in.Communes {
		items[i] = -1
		if j, ok := in.Dataset.CommuneIndex(in.Communes[i].Code); ok {
			if k := g.item[j]; k >= 0 && g.items[k].kept {
				items[i] = k
				gaps = append(gaps, in.Communes[i].Gap)
			}
		}
	}
	if in.classes != nil {
		m.classes = *in.classes
	} else {
		m.classes = quantileClasses(gaps)
	}
	m.colour(in.Communes, g, items)
	if len(m.shapes) == 0 && len(m.dots) == 0 {
		return nil, ErrNothingToMap
	}
	m.addSites(in.Sites)
	m.addPicks(in.Picks)
	return m, nil
}

// MapGeometry is the part of a map that depends on its communes' codes
// and the dataset alone: the projection and each commune's projected
// polygon, or point. The maps of the same communes share it
// (MapInput.Geometry), and it may be computed before their colours are
// known (NewMapGeometry).
type MapGeometry struct {
	ds    *data.Dataset
	codes []string      // the communes' codes, sorted
	done  chan struct{} // closed when the fields below are set
	proj  geo.Projection
	grid  geo.Projection // proj interpolated over the communes' extent
	// centre is the lon/lat centre of the kept communes' extent, bound
	// their projected extent (at least minMapExtent wide and high).
	centre orb.Point
	bound  orb.Bound
	kept   int     // communes kept (chooseProjection)
	item   []int32 // by dataset commune: its entry in items, −1 none
	items  []geomItem
}

// geomItem is a commune of a MapGeometry.
type geomItem struct {
	kept  bool             // drawable and kept by chooseProjection
	poly  orb.MultiPolygon // projected (empty: drawn as a dot, or not at all)
	b     orb.Bound        // projected bound of poly
	dot   orb.Point        // projected point, when dotOK
	dotOK bool
}

// NewMapGeometry starts computing, on other goroutines, the geometry of
// the map of communes drawn from ds (MapInput.Geometry), and returns at
// once.
func NewMapGeometry(ds *data.Dataset, communes []diag.CommuneResult) *MapGeometry {
	g := &MapGeometry{ds: ds, codes: sortedCodes(communes), done: make(chan struct{})}
	go g.compute(communes)
	return g
}

// newMapGeometry computes the geometry of the map of communes drawn
// from ds, on every core, and returns it done.
func newMapGeometry(ds *data.Dataset, communes []diag.CommuneResult) *MapGeometry {
	g := &MapGeometry{ds: ds, done: make(chan struct{})}
	g.compute(communes)
	return g
}

// sortedCodes returns the codes of communes, sorted.
func sortedCodes(communes []diag.CommuneResult) []string {
	codes := make([]string, len(communes))
	for i := range communes {
		codes[i] = communes[i].Code
	}
	slices.Sort(codes)
	return codes
}

// holds reports whether g is the geometry of in's communes and dataset
// (false for a nil g).
func (g *MapGeometry) holds(in *MapInput) bool {
	return g != nil && g.ds == in.Dataset && g.codes != nil && slices.Equal(g.codes, sortedCodes(in.Communes))
}

// compute resolves and bounds the communes (on every core: the national
// map's 1.7 million vertices), chooses the projection and projects them,
// then closes done.
func (g *MapGeometry) compute(communes []diag.CommuneResult) {
	defer close(g.done)
	ds := g.ds
	g.item = make([]int32, len(ds.Communes))
	for j := range g.item {
		g.item[j] = -1
	}
	found := make([]mapCommune, len(communes))
	at := make([]int32, len(communes))
	inRuns(len(communes), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if j, ok := ds.CommuneIndex(communes[i].Code); ok {
				if mc := newMapCommune(nil, &ds.Communes[j]); mc.drawable() {
					found[i], at[i] = mc, int32(j)
				}
			}
		}
	})
	// Each commune once (a code given twice is drawn twice, from the
	// same item), in the order given.
	var all []mapCommune
	for i, mc := range found {
		if mc.c != nil && g.item[at[i]] < 0 {
			g.item[at[i]] = int32(len(all))
			all = append(all, mc)
		}
	}
	kept, proj := chooseProjection(all)
	g.kept, g.proj = len(kept), proj
	if len(kept) == 0 {
		return
	}
	ll := geomBound(kept[0])
	for _, mc := range kept {
		ll = ll.Union(geomBound(mc))
	}
	g.centre = ll.Center()
	g.grid = proj.Gridded(ll.Min[0], ll.Min[1], ll.Max[0], ll.Max[1], gridStep(ll))
	g.project(all, kept)
}

// geomBound returns the lon/lat bound of the commune's geometry.
func geomBound(mc mapCommune) orb.Bound { return mc.b }

// gridStep returns the step of the grid the communes are projected
// through (geo.Projection.Gridded): at most 150 steps across the
// extent b, at least 0.02°; 0 (exact projection) beyond 0.25°, where
// interpolation would err by more than a few metres.
func gridStep(b orb.Bound) float64 {
	s := max(0.02, max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])/150)
	if s > 0.25 {
		return 0
	}
	return s
}

// chooseProjection returns the communes to draw and their geo.Projection
// (see WriteMapPNG).
func chooseProjection(all []mapCommune) ([]mapCommune, geo.Projection) {
	var metro []mapCommune
	for _, mc := range all {
		p := mc.centre()
		if mc.c.Zone == "metro" || (mc.c.Zone == "" && geo.InMetropole(p[0], p[1])) {
			metro = append(metro, mc)
		}
	}
	if len(metro) > 0 {
		return metro, geo.Lambert93
	}
	if len(all) == 0 {
		return nil, geo.Lambert93
	}
	b := geomBound(all[0])
	for _, mc := range all[1:] {
		b = b.Union(geomBound(mc))
	}
	c := b.Center()
	return all, geo.UTM(geo.UTMZone(c[0]), c[1] < 0)
}
