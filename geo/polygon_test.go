package geo

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/paulmach/orb"

	"diagnum/internal/testnum"
)

// square returns the closed ring of the box [x0, x1] × [y0, y1] (CCW).
func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// parityUp is the test oracle for one ring: the parity of crossings of a
// vertical ray going north from p (Locate casts rays east; both give the
// same even-odd answer for points off the boundary).
func parityUp(r orb.Ring, p orb.Point) bool {
	in := false
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		if (a[0] > p[0]) != (b[0] > p[0]) && a[1]+(p[0]-a[0])*(b[1]-a[1])/(b[0]-a[0]) > p[1] {
			in = !in
		}
	}
	return in
}

// bruteLocate is the reference Locate: the first polygon containing p.
func bruteLocate(polys []orb.MultiPolygon, p orb.Point) int {
	for i, mp := range polys {
		for _, poly := range mp {
			if len(poly) == 0 || !parityUp(poly[0], p) {
				continue
			}
			inHole := false
			for _, h := range poly[1:] {
				inHole = inHole || parityUp(h, p)
			}
			if !inHole {
				return i
			}
		}
	}
	return -1
}

// tessellation returns nx × ny jittered cells of size cell (degrees)
// from lo, sharing their borders (each border has 5 jittered inner
// points); about one cell in 10 has a hole.
func tessellation(rng *rand.Rand, nx, ny int, lo orb.Point, cell float64) []orb.MultiPolygon {
	g := newGrid(rng, nx, ny, lo, cell)
	var polys []orb.MultiPolygon
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			poly := orb.Polygon{g.cellRing(i, j)}
			if rng.IntN(10) == 0 {
				c := orb.Point{lo[0] + (float64(i)+0.5)*cell, lo[1] + (float64(j)+0.5)*cell}
				poly = append(poly, square(c[0]-0.08*cell, c[1]-0.08*cell, c[0]+0.08*cell, c[1]+0.08*cell))
			}
			polys = append(polys, orb.MultiPolygon{poly})
		}
	}
	return polys
}

// grid holds the jittered vertices and shared borders of a tessellation:
// h[i][j] runs from v[i][j] to v[i+1][j], w[i][j] from v[i][j] to v[i][j+1].
type grid struct {
	v    [][]orb.Point
	h, w [][][]orb.Point
}

func newGrid(rng *rand.Rand, nx, ny int, lo orb.Point, cell float64) *grid {
	jit := func(a float64) float64 { return (rng.Float64()*2 - 1) * a * cell }
	border := func(a, b orb.Point, axis int) []orb.Point {
		pts := make([]orb.Point, 5)
		for k := range pts {
			t := float64(k+1) / 6
			pts[k] = orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
			pts[k][axis] += jit(0.15)
		}
		return pts
	}
	g := &grid{v: make([][]orb.Point, nx+1), h: make([][][]orb.Point, nx+1), w: make([][][]orb.Point, nx+1)}
	for i := range g.v {
		g.v[i] = make([]orb.Point, ny+1)
		for j := range g.v[i] {
			g.v[i][j] = orb.Point{lo[0] + float64(i)*cell + jit(0.2), lo[1] + float64(j)*cell + jit(0.2)}
		}
	}
	for i := 0; i <= nx; i++ {
		g.h[i], g.w[i] = make([][]orb.Point, ny+1), make([][]orb.Point, ny+1)
		for j := 0; j <= ny; j++ {
			if i < nx {
				g.h[i][j] = border(g.v[i][j], g.v[i+1][j], 1)
			}
			if j < ny {
				g.w[i][j] = border(g.v[i][j], g.v[i][j+1], 0)
			}
		}
	}
	return g
}

// cellRing returns the closed ring of cell (i, j), counter-clockwise.
func (g *grid) cellRing(i, j int) orb.Ring {
	r := orb.Ring{g.v[i][j]}
	r = append(r, g.h[i][j]...)
	r = append(r, g.v[i+1][j])
	r = append(r, g.w[i+1][j]...)
	r = append(r, g.v[i+1][j+1])
	r = append(r, reversed(g.h[i][j+1])...)
	r = append(r, g.v[i][j+1])
	r = append(r, reversed(g.w[i][j])...)
	return append(r, g.v[i][j])
}

func reversed(pts []orb.Point) []orb.Point {
	out := make([]orb.Point, len(pts))
	for i, p := range pts {
		out[len(pts)-1-i] = p
	}
	return out
}

// star returns a random star-shaped polygon around c of radius up to r.
func star(rng *rand.Rand, c orb.Point, r float64) orb.Polygon {
	n := 5 + rng.IntN(20)
	ring := make(orb.Ring, 0, n+1)
	for k := range n {
		a := 2 * math.Pi * float64(k) / float64(n)
		d := r * (0.3 + 0.7*rng.Float64())
		ring = append(ring, orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)})
	}
	return orb.Polygon{append(ring, ring[0])}
}

// mixedPolygons is a tessellation with overlapping extras: stars, nil
// entries and multipolygons made of two distant cells.
func mixedPolygons(rng *rand.Rand, nx, ny int) ([]orb.MultiPolygon, orb.Bound) {
	lo := orb.Point{1.5, 45.6}
	const cell = 0.02
	polys := tessellation(rng, nx, ny, lo, cell)
	b := orb.Bound{Min: lo, Max: orb.Point{lo[0] + float64(nx)*cell, lo[1] + float64(ny)*cell}}.Pad(0.05)
	for k := 0; k < len(polys)/20; k++ {
		c := pointIn(rng, b)
		mp := orb.MultiPolygon{star(rng, c, 0.05)}
		if k%3 == 0 {
			mp = append(mp, polys[rng.IntN(len(polys))][0])
		}
		if at := rng.IntN(len(polys)); k%2 == 0 {
			polys[at] = mp // overlaps others, at any index
		} else {
			polys = append(polys, mp)
		}
	}
	polys = append(polys, nil, orb.MultiPolygon{}, orb.MultiPolygon{{}})
	return polys, b
}

// pointIn draws a point uniformly in b (longitude first).
func pointIn(rng *rand.Rand, b orb.Bound) orb.Point {
	return orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
}

func TestLocateAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	polys, b := mixedPolygons(rng, 40, 30)
	ix := NewPolygonIndex(polys)
	found, queries := 0, 20000
	if testing.Short() {
		queries = 4000 // make test-long runs all 20,000
	}
	for q := 0; q < queries; q++ {
		p := pointIn(rng, b)
		want := bruteLocate(polys, p)
		got, ok := ix.Locate(p)
		if got != want || ok != (want >= 0) {
			t.Fatalf("Locate(%v) = %d, %v; want %d", p, got, ok, want)
		}
		if ok {
			found++
		}
	}
	// Most points are in a cell; the padding and the holes leave some out.
	if found < queries*3/4 || found == queries {
		t.Fatalf("weak test: %d of %d points located", found, queries)
	}
	// Placing a demand unit (2.3 M for France) allocates nothing.
	mid := orb.Point{(b.Min[0] + b.Max[0]) / 2, (b.Min[1] + b.Max[1]) / 2}
	if a := testing.AllocsPerRun(100, func() { ix.Locate(mid); ix.LocateNearest(mid, 50) }); a != 0 {
		t.Errorf("Locate and LocateNearest allocate %v times", a)
	}
}

func TestLocateHandCases(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{square(x0, y0, x1, y1)}}
	}
	withHole := orb.MultiPolygon{{square(10, 0, 14, 4), square(11, 1, 12, 2)}}
	twoParts := orb.MultiPolygon{{square(20, 0, 21, 1)}, {square(22, 0, 23, 1)}}
	polys := []orb.MultiPolygon{
		nil,                  // 0: skipped
		sq(1, 0, 2, 1),       // 1: east of 2, shares the border x = 1
		sq(0, 0, 1, 1),       // 2
		withHole,             // 3
		twoParts,             // 4
		sq(0.5, 0.5, 3, 3),   // 5: overlaps 1 and 2
		{{{{5, 5}, {6, 5}}}}, // 6: degenerate ring, skipped
	}
	ix := NewPolygonIndex(polys)
	tests := []struct {
		p    orb.Point
		want int
	}{
		{orb.Point{0.25, 0.25}, 2},
		{orb.Point{1.5, 0.25}, 1},
		{orb.Point{1, 0.25}, 1},    // shared border: lowest index
		{orb.Point{1, 1}, 1},       // shared corner of 1, 2 and 5
		{orb.Point{0, 0}, 2},       // corner of 2 only
		{orb.Point{0.75, 0.75}, 2}, // in 2 and 5
		{orb.Point{2.5, 2.5}, 5},
		{orb.Point{13, 3}, 3},
		{orb.Point{11.5, 1.5}, -1}, // in the hole
		{orb.Point{11, 1.5}, 3},    // on the hole's border: in the closed polygon
		{orb.Point{22.5, 0.5}, 4},  // second part
		{orb.Point{21.5, 0.5}, -1}, // between the parts
		{orb.Point{5.5, 5}, -1},
		{orb.Point{math.NaN(), 0.5}, -1},
	}
	for _, tt := range tests {
		got, ok := ix.Locate(tt.p)
		if got != tt.want || ok != (tt.want >= 0) {
			t.Errorf("Locate(%v) = %d, %v; want %d", tt.p, got, ok, tt.want)
		}
	}
	if ix.Len() != len(polys) {
		t.Errorf("Len = %d", ix.Len())
	}
}

func TestLocateNearest(t *testing.T) {
	polys := []orb.MultiPolygon{
		{{square(0, 0, 1, 1)}},
		{{square(1.5, 0, 2.5, 1)}},
	}
	ix := NewPolygonIndex(polys)
	tests := []struct {
		p     orb.Point
		maxKm float64
		want  int
		km    float64
	}{
		{orb.Point{0.5, 0.5}, 0, 0, 0},
		// 0.01° of longitude at 0.5° N: 2R asin(cos 0.5° sin 0.005°) = 1.1119 km.
		{orb.Point{1.01, 0.5}, 5, 0, 1.1119},
		{orb.Point{1.01, 0.5}, 1, -1, 0},
		// 0.25° to both squares (an exact tie): lowest index,
		// 2R asin(cos 0.5° sin 0.125°) = 27.7977 km.
		{orb.Point{1.25, 0.5}, 28, 0, 27.7977},
		{orb.Point{1.25, 0.5}, 27, -1, 0},
		// 0.01° from square 1.
		{orb.Point{1.49, 0.5}, 50, 1, 1.1119},
	}
	for _, tt := range tests {
		got, km, ok := ix.LocateNearest(tt.p, tt.maxKm)
		if got != tt.want || ok != (tt.want >= 0) || math.Abs(km-tt.km) > 1e-4 {
			t.Errorf("LocateNearest(%v, %v) = %d, %.4f, %v; want %d, %.4f", tt.p, tt.maxKm, got, km, ok, tt.want, tt.km)
		}
	}
}

// bruteNearestPolygon is the reference for LocateNearest off polygons.
func bruteNearestPolygon(polys []orb.MultiPolygon, p orb.Point, maxKm float64) (int, float64) {
	best, bestKm := -1, math.Inf(1)
	cosLat := math.Cos(p[1] * rad)
	for i, mp := range polys {
		for _, poly := range mp {
			for _, r := range poly {
				for k := 0; len(r) >= 3 && k < len(r); k++ {
					d := segmentKm(p, r[(k+len(r)-1)%len(r)], r[k], cosLat)
					if d <= maxKm && (d < bestKm || d == bestKm && i < best) {
						best, bestKm = i, d
					}
				}
			}
		}
	}
	return best, bestKm
}

func TestLocateNearestAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	polys, b := mixedPolygons(rng, 20, 15)
	ix := NewPolygonIndex(polys)
	b = b.Pad(0.1)
	outside, queries := 0, 1200
	if testing.Short() {
		queries = 300 // make test-long runs all 1,200
	}
	for q := 0; q < queries; q++ {
		p := pointIn(rng, b)
		if bruteLocate(polys, p) >= 0 {
			continue
		}
		outside++
		maxKm := rng.Float64() * 15
		want, wantKm := bruteNearestPolygon(polys, p, maxKm)
		got, km, ok := ix.LocateNearest(p, maxKm)
		if got != want || ok != (want >= 0) || ok && km != wantKm {
			t.Fatalf("LocateNearest(%v, %v) = %d, %v; want %d, %v", p, maxKm, got, km, want, wantKm)
		}
	}
	if outside < queries*5/12 {
		t.Fatalf("weak test: %d points outside the polygons", outside)
	}
}

// loadCommunes reads a france-geojson FeatureCollection (Polygon and
// MultiPolygon features with a "code" property).
func loadCommunes(t testing.TB, path string) ([]string, []orb.MultiPolygon) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties struct{ Code string }
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	codes := make([]string, len(fc.Features))
	polys := make([]orb.MultiPolygon, len(fc.Features))
	for i, f := range fc.Features {
		codes[i] = f.Properties.Code
		var err error
		switch f.Geometry.Type {
		case "Polygon":
			var p orb.Polygon
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			polys[i] = orb.MultiPolygon{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polys[i])
		}
		if err != nil {
			t.Fatalf("feature %d: %v", i, err)
		}
	}
	return codes, polys
}

// creusePoints reads the Creuse rows (insee_dep 23) of the communes
// points extract: INSEE code → lon/lat.
func creusePoints(t testing.TB) map[string]orb.Point {
	f, err := os.Open("../testdata/real/communes-points.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	pts := map[string]orb.Point{}
	for _, r := range rows[1:] {
		if r[2] != "23" {
			continue
		}
		pts[r[0]] = orb.Point{testnum.Float(t, r[7]), testnum.Float(t, r[6])}
	}
	return pts
}

func TestLocateCreuse(t *testing.T) {
	codes, polys := loadCommunes(t, "../testdata/real/communes-23-creuse.geojson")
	if len(polys) != 258 { // features in the file (france-geojson, COG 2018)
		t.Fatalf("%d communes, want 258", len(polys))
	}
	ix := NewPolygonIndex(polys)
	// Guéret's point from the task (1.8717, 46.1700) is in Guéret, 23096.
	if i, ok := ix.Locate(gueret); !ok || codes[i] != "23096" {
		t.Errorf("Guéret located in %v, %v", i, ok)
	}
	// The 256 Creuse points (COG 2024, La Poste points): counted with
	// python3 (even-odd ray casting over all features), 252 fall in the
	// polygon of their own code, 4 in a neighbour's and none outside.
	wantOther := map[string]string{"23052": "23248", "23059": "23028", "23078": "23030", "23157": "23202"}
	pts := creusePoints(t)
	same, other := 0, 0
	for code, p := range pts {
		i, ok := ix.Locate(p)
		switch {
		case !ok:
			t.Errorf("point of %s %v located nowhere", code, p)
		case codes[i] == code:
			same++
		case wantOther[code] == codes[i]:
			other++
		default:
			t.Errorf("point of %s located in %s", code, codes[i])
		}
	}
	if len(pts) != 256 || same != 252 || other != 4 {
		t.Errorf("%d points: %d in their commune, %d in a neighbour; want 256, 252, 4", len(pts), same, other)
	}
}

// TestLocateCreuseRandom compares Locate with brute force on random
// points over the bounds of the 258 Creuse communes.
func TestLocateCreuseRandom(t *testing.T) {
	_, polys := loadCommunes(t, "../testdata/real/communes-23-creuse.geojson")
	ix := NewPolygonIndex(polys)
	rng := rand.New(rand.NewPCG(23, 23))
	var b orb.Bound = polys[0].Bound()
	for _, mp := range polys {
		b = b.Union(mp.Bound())
	}
	located := 0
	for q := 0; q < 5000; q++ {
		p := pointIn(rng, b)
		want := bruteLocate(polys, p)
		if got, _ := ix.Locate(p); got != want {
			t.Fatalf("Locate(%v) = %d, want %d", p, got, want)
		}
		if want >= 0 {
			located++
		}
	}
	if located < 2500 {
		t.Errorf("only %d of 5000 random points in Creuse", located)
	}
}

// benchPolygons returns a tessellation of about n cells of 0.05° and
// 1,000 query points over it.
func benchPolygons(n int) (polys []orb.MultiPolygon, queries []orb.Point) {
	rng := rand.New(rand.NewPCG(3, uint64(n)))
	nx := int(math.Sqrt(float64(n)))
	ny := n / nx
	lo := orb.Point{-1, 43}
	polys = tessellation(rng, nx, ny, lo, 0.05)
	queries = make([]orb.Point, 1000)
	for i := range queries {
		queries[i] = orb.Point{lo[0] + rng.Float64()*float64(nx)*0.05, lo[1] + rng.Float64()*float64(ny)*0.05}
	}
	return polys, queries
}

func BenchmarkLocate(b *testing.B) {
	for _, n := range benchSizes {
		polys, queries := benchPolygons(n)
		ix := NewPolygonIndex(polys)
		b.Run(sizeName(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				ix.Locate(queries[i%len(queries)])
			}
		})
	}
}

func BenchmarkLocateNaive(b *testing.B) {
	for _, n := range benchSizes {
		polys, queries := benchPolygons(n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				bruteLocate(polys, queries[i%len(queries)])
			}
		})
	}
}

// locateRef is the reference of ring.locate: every edge tested for p on
// it, then the even-odd crossing rule.
func locateRef(r orb.Ring, p orb.Point) (in, on bool) {
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		if onSegment(r[j], r[i], p) {
			return false, true
		}
	}
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[j], r[i]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in, false
}

// TestLocateInAgainstLocate: for groups of nearby points, LocateIn among
// the parts AppendParts finds for the group's box is Locate, and every
// ring's locate is locateRef's, on random points and on points taken on
// the polygons' vertices and on their edges (borders: on the ring).
func TestLocateInAgainstLocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 7))
	polys, b := mixedPolygons(rng, 30, 20)
	ix := NewPolygonIndex(polys)
	var verts []orb.Point
	for _, mp := range polys {
		for _, poly := range mp {
			for _, r := range poly {
				for i := range r {
					verts = append(verts, r[i])
					if i > 0 && (r[i][0] == r[i-1][0] || r[i][1] == r[i-1][1]) {
						verts = append(verts, orb.Point{(r[i][0] + r[i-1][0]) / 2, (r[i][1] + r[i-1][1]) / 2})
					}
				}
			}
		}
	}
	on := 0
	for range 1000 {
		c := pointIn(rng, b)
		group := []orb.Point{c}
		for range rng.IntN(5) {
			group = append(group, orb.Point{c[0] + 0.3*rng.NormFloat64(), c[1] + 0.3*rng.NormFloat64()})
		}
		if len(verts) > 0 {
			group = append(group, verts[rng.IntN(len(verts))])
		}
		lo, hi := group[0], group[0]
		for _, p := range group {
			lo = orb.Point{min(lo[0], p[0]), min(lo[1], p[1])}
			hi = orb.Point{max(hi[0], p[0]), max(hi[1], p[1])}
		}
		parts := ix.AppendParts(nil, lo, hi)
		for _, p := range group {
			gi, gok := ix.LocateIn(p, parts)
			wi, wok := ix.Locate(p)
			if gi != wi || gok != wok {
				t.Fatalf("LocateIn(%v) = %d, %v; Locate %d, %v", p, gi, gok, wi, wok)
			}
			for _, k := range parts {
				for _, rg := range ix.parts[k].rings {
					gin, gon := rg.locate(p)
					win, won := locateRef(rg.pts, p)
					if p[0] < rg.lo[0] || p[0] > rg.hi[0] || p[1] < rg.lo[1] || p[1] > rg.hi[1] {
						win, won = false, false
					}
					if gin != win || gon != won {
						t.Fatalf("part %d: locate(%v) = %v, %v; reference %v, %v", k, p, gin, gon, win, won)
					}
					if gon {
						on++
					}
				}
			}
		}
	}
	if on < 500 {
		t.Errorf("weak test: only %d points on a ring", on)
	}
}
