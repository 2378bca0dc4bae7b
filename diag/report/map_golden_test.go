package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/internal/testlong"
)

// The golden maps of testdata/golden were drawn by the first renderer
// (gonum/plot's vgimg, paths filled then stroked, PNG at the default
// compression), before the map was made fast. A new rendering must look
// the same to a reader: it may differ from the golden by anti-aliasing
// at edges, not by a colour, a shape or a text. go test -update rewrites
// the goldens after a deliberate change of the picture.

// goldenBudget is how far a rendering may be from its golden. The
// difference of a pixel is the largest of its three channel differences
// (0–255).
type goldenBudget struct {
	mean    float64 // largest mean difference over all pixels
	bigDiff uint8   // a pixel differing by more than this is "different"
	bigFrac float64 // largest share of different pixels
	tile    float64 // largest mean difference over any 8×8 tile
}

// mapBudget allows anti-aliasing differences along the hairline borders
// and marker outlines, nothing a reader would see: a mean difference
// below 1.5 (of 255), at most 0.5 % of the pixels (9,600 of 1600×1200)
// off by more than 64, and no 8×8 pixel tile off by more than 24 on
// average (a missing marker, a letter or a commune of another colour
// makes its tile differ by 100 or more). TestMapGoldenBudgetFails checks
// that it sees such changes.
var mapBudget = goldenBudget{mean: 1.5, bigDiff: 64, bigFrac: 0.005, tile: 24}

// imageDiff is the difference between two images of the same size.
type imageDiff struct {
	mean, bigFrac, tile float64 // as in goldenBudget
	tileAt              image.Point
}

// within reports whether d is within budget.
func (d imageDiff) within(b goldenBudget) bool {
	return d.mean <= b.mean && d.bigFrac <= b.bigFrac && d.tile <= b.tile
}

func (d imageDiff) String() string {
	return fmt.Sprintf("mean difference %.3f, %.3f %% of pixels off by more than 64, worst 8×8 tile %.1f at %v", d.mean, 100*d.bigFrac, d.tile, d.tileAt)
}

// diffImages compares a and b (different sizes differ entirely) with the
// "different pixel" threshold big.
func diffImages(a, b image.Image, big uint8) imageDiff {
	if a.Bounds().Size() != b.Bounds().Size() {
		return imageDiff{mean: 255, bigFrac: 1, tile: 255}
	}
	ra, rb := toRGBA(a), toRGBA(b)
	w, h := ra.Rect.Dx(), ra.Rect.Dy()
	tiles := make([]float64, ((w+7)/8)*((h+7)/8))
	var sum, nbig float64
	for y := range h {
		for x := range w {
			i := y*ra.Stride + 4*x
			d := uint8(0)
			for c := range 3 {
				p, q := ra.Pix[i+c], rb.Pix[i+c]
				d = max(d, max(p, q)-min(p, q))
			}
			sum += float64(d)
			if d > big {
				nbig++
			}
			tiles[(y/8)*((w+7)/8)+x/8] += float64(d) / 64
		}
	}
	out := imageDiff{mean: sum / float64(w*h), bigFrac: nbig / float64(w*h)}
	for i, t := range tiles {
		if t > out.tile {
			out.tile, out.tileAt = t, image.Pt(8*(i%((w+7)/8)), 8*(i/((w+7)/8)))
		}
	}
	return out
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	r := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(r, r.Rect, img, img.Bounds().Min, draw.Src)
	return r
}

// goldenMaps are the inputs of the golden maps: real Creuse polygons
// (borders at 30–60 px per commune) with every kind of site, circles,
// planner picks and a commune without score; and gridFixture(90): 8,100
// small polygons sharing their borders over metropolitan France (6 px
// each, as on the national map), a few circles and 405 sites.
func goldenMaps(t *testing.T) map[string]MapInput {
	ds, cs := creuseDataset(t)
	cs[7].Gap = math.NaN()
	var sites []diag.SiteResult
	for i, k := range data.Kinds {
		for j := range 3 {
			p := orb.Point{1.5 + 0.25*float64(j) + 0.05*float64(i), 45.8 + 0.12*float64(i) + 0.03*float64(j)}
			sites = append(sites, diag.SiteResult{Site: data.Site{Kind: k, Point: p, Commune: cs[0].Code}, Counted: true})
		}
	}
	for i, p := range []orb.Point{{2.05, 46.25}, {1.65, 45.95}, {2.35, 45.85}} {
		code := fmt.Sprintf("239%02d", i)
		ds.Communes = append(ds.Communes, data.Commune{Code: code, Zone: "metro", Point: p, HasPoint: true})
		cs = append(cs, diag.CommuneResult{Code: code, Population: []int{15000, 3000, 200}[i], Gap: float64(100 * i)})
	}
	creuse := MapInput{Title: "Score d'écart — Creuse (23)", Source: "Sources : test — diagnum golden",
		Communes: cs, Dataset: ds, Sites: sites, Times: "temps estimés (vol d'oiseau × détour)",
		Picks: []data.Site{{Point: orb.Point{1.9, 46.0}}, {Point: orb.Point{2.2, 46.3}}, {Point: orb.Point{1.5, 46.2}}}}

	gds, gcs, gsites := gridFixture(90)
	grid := MapInput{Title: "Score d'écart — France (grille)", Communes: gcs, Dataset: gds, Sites: gsites}
	return map[string]MapInput{"creuse": creuse, "grid": grid}
}

// TestMapGolden compares the maps with their goldens; the short suite
// draws the Creuse one (every kind of shape), make test-long the grid
// too (about 10 s each under -race on a loaded machine).
func TestMapGolden(t *testing.T) {
	t.Parallel()
	for name, in := range goldenMaps(t) {
		t.Run(name, func(t *testing.T) {
			if name != "creuse" {
				testlong.Skip(t, "")
			}
			img := paintMap(t, in)
			b, path := golden(t, "map_"+name+".png", func() []byte {
				var small bytes.Buffer
				if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&small, img); err != nil {
					t.Fatal(err)
				}
				return small.Bytes()
			})
			want := decodePNG(t, b)
			d := diffImages(img, want, mapBudget.bigDiff)
			t.Logf("%s: %v", name, d)
			if !d.within(mapBudget) {
				t.Errorf("%s: the map differs from %s: %v; budget %+v (go test -update rewrites it after a deliberate change)", name, path, d, mapBudget)
			}
		})
	}
}

// mapPNG draws in with WriteMapPNG and returns the PNG.
func mapPNG(tb testing.TB, in MapInput) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := WriteMapPNG(&b, in); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// paintMap draws in with WriteMapPNG and decodes the picture.
func paintMap(t *testing.T, in MapInput) image.Image {
	t.Helper()
	return decodePNG(t, mapPNG(t, in))
}

// decodePNG decodes the PNG picture b.
func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode png: %v", err)
	}
	return img
}

// TestMapGoldenBudgetFails: the budget of TestMapGolden is tight enough
// to see what a reader would: the Creuse map without its sites, with one
// class in another colour, or shifted by one pixel is out of budget; the
// golden against itself is at zero.
func TestMapGoldenBudgetFails(t *testing.T) {
	testlong.Skip(t, "TestDiffImagesBudget is its fast twin")
	in := goldenMaps(t)["creuse"]
	b, _ := golden(t, "map_creuse.png", nil)
	want := decodePNG(t, b)
	if d := diffImages(want, want, 0); d.mean != 0 || d.bigFrac != 0 || d.tile != 0 {
		t.Fatalf("golden against itself: %v", d)
	}
	noSites := in
	noSites.Sites, noSites.Picks = nil, nil
	drawn := paintMap(t, in)
	recoloured := image.NewRGBA(drawn.Bounds())
	draw.Draw(recoloured, recoloured.Rect, drawn, drawn.Bounds().Min, draw.Src)
	shifted := image.NewRGBA(recoloured.Rect)
	for y := range recoloured.Rect.Dy() {
		for x := range recoloured.Rect.Dx() {
			if c := recoloured.RGBAAt(x, y); c == ylOrRd[5][2] {
				recoloured.SetRGBA(x, y, ylOrRd[5][3])
			}
		}
	}
	stdDraw(shifted, shifted.Rect.Add(image.Pt(1, 0)), drawn)
	for name, img := range map[string]image.Image{"no sites": paintMap(t, noSites), "class 3 recoloured": recoloured, "shifted 1 px": shifted} {
		if d := diffImages(img, want, mapBudget.bigDiff); d.within(mapBudget) {
			t.Errorf("%s: within budget (%v): the golden test cannot see it", name, d)
		}
	}
}

// stdDraw copies src onto dst at r (white elsewhere).
func stdDraw(dst *image.RGBA, r image.Rectangle, src image.Image) {
	draw.Draw(dst, dst.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(dst, r, src, src.Bounds().Min, draw.Src)
}

// gridFixture returns side² communes tiling 9° × 9° of metropolitan
// France: cells whose corners and edges (two inner points each) are
// jittered, shared by neighbours as real borders are; scores vary
// smoothly with some noise, as real ones do. Every 20th commune has a
// site (kinds in turn), every 150th is a point drawn as a circle.
func gridFixture(side int) (*data.Dataset, []diag.CommuneResult, []diag.SiteResult) {
	step := 9.0 / float64(side)
	hash := func(a, b, c int) float64 { // deterministic, in [-0.5, 0.5)
		h := uint32(a*73856093) ^ uint32(b*19349663) ^ uint32(c*83492791)
		h ^= h >> 13
		h *= 0x5bd1e995
		h ^= h >> 15
		return float64(h%1000)/1000 - 0.5
	}
	corner := func(i, j int) orb.Point {
		p := orb.Point{-3 + step*float64(i), 42.5 + step*float64(j)}
		if i > 0 && j > 0 && i < side && j < side {
			p[0] += 0.3 * step * hash(i, j, 1)
			p[1] += 0.3 * step * hash(i, j, 2)
		}
		return p
	}
	// edge returns the two inner points of the edge from corner a to
	// corner b, the same whichever way it is walked.
	edge := func(a, b [2]int) []orb.Point {
		rev := a[0] > b[0] || a[0] == b[0] && a[1] > b[1]
		if rev {
			a, b = b, a
		}
		pa, pb := corner(a[0], a[1]), corner(b[0], b[1])
		var pts []orb.Point
		for k := 1; k <= 2; k++ {
			f := float64(k) / 3
			q := orb.Point{pa[0] + f*(pb[0]-pa[0]), pa[1] + f*(pb[1]-pa[1])}
			if !(a[0] == b[0] && (a[0] == 0 || a[0] == side)) && !(a[1] == b[1] && (a[1] == 0 || a[1] == side)) {
				q[0] += 0.15 * step * hash(a[0]+b[0], a[1]+b[1], 3+k)
				q[1] += 0.15 * step * hash(a[0]+b[0], a[1]+b[1], 5+k)
			}
			pts = append(pts, q)
		}
		if rev {
			pts[0], pts[1] = pts[1], pts[0]
		}
		return pts
	}
	ds := &data.Dataset{}
	var cs []diag.CommuneResult
	var sites []diag.SiteResult
	for j := range side {
		for i := range side {
			n := j*side + i
			code := fmt.Sprintf("%05d", n)
			cx, cy := -3+step*(float64(i)+0.5), 42.5+step*(float64(j)+0.5)
			c := data.Commune{Code: code, Zone: "metro"}
			if n%150 == 75 {
				c.Point, c.HasPoint = orb.Point{cx, cy}, true
			} else {
				quad := [][2]int{{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}}
				var ring orb.Ring
				for k, a := range quad {
					ring = append(ring, corner(a[0], a[1]))
					ring = append(ring, edge(a, quad[(k+1)%4])...)
				}
				ring = append(ring, ring[0])
				c.Polygon = orb.MultiPolygon{{ring}}
			}
			ds.Communes = append(ds.Communes, c)
			gap := 50*math.Sin(float64(i)/11)*math.Cos(float64(j)/7) + 20*hash(i, j, 9)
			cs = append(cs, diag.CommuneResult{Code: code, Population: 200 + (n*7919)%40000, Gap: gap})
			if n%20 == 0 {
				sites = append(sites, diag.SiteResult{Site: data.Site{Kind: data.Kinds[(n/20)%len(data.Kinds)],
					Point: orb.Point{cx, cy}, Commune: code}, Counted: true})
			}
		}
	}
	return ds, cs, sites
}

// TestDiffImagesBudget is the fast twin of TestMapGoldenBudgetFails, on
// a small picture: coloured squares with grey 1 px borders. Softening
// every border pixel by 40 (as another anti-aliasing would) stays within
// mapBudget; a missing 10 px square (a marker), one square of another
// colour, or the picture shifted by 2 px does not.
func TestDiffImagesBudget(t *testing.T) {
	t.Parallel()
	const w, h = 400, 300
	base := func(skip int, recolour int) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(img, img.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
		for k := range 40 {
			if k == skip {
				continue
			}
			x, y := 20+(k%8)*45, 20+(k/8)*50
			col := ylOrRd[5][k%5]
			if k == recolour {
				col = ylOrRd[5][(k+2)%5]
			}
			draw.Draw(img, image.Rect(x-1, y-1, x+11, y+11), image.NewUniform(borderColor), image.Point{}, draw.Src)
			draw.Draw(img, image.Rect(x, y, x+10, y+10), image.NewUniform(col), image.Point{}, draw.Src)
		}
		return img
	}
	want := base(-1, -1)
	soft := base(-1, -1)
	for i := 0; i < len(soft.Pix); i += 4 {
		if c := (color.RGBA{soft.Pix[i], soft.Pix[i+1], soft.Pix[i+2], 255}); c == borderColor {
			for k := range 3 {
				soft.Pix[i+k] += 40
			}
		}
	}
	if d := diffImages(soft, want, mapBudget.bigDiff); !d.within(mapBudget) {
		t.Errorf("softened borders: out of budget (%v)", d)
	}
	shifted := image.NewRGBA(want.Rect)
	stdDraw(shifted, shifted.Rect.Add(image.Pt(2, 0)), want)
	for name, img := range map[string]image.Image{"missing square": base(13, -1), "recoloured square": base(-1, 13), "shifted 2 px": shifted} {
		if d := diffImages(img, want, mapBudget.bigDiff); d.within(mapBudget) {
			t.Errorf("%s: within budget (%v)", name, d)
		}
	}
	if d := diffImages(image.NewRGBA(image.Rect(0, 0, 10, 10)), want, 64); d.within(mapBudget) {
		t.Error("images of different sizes: within budget")
	}
}
