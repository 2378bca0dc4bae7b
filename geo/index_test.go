package geo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/paulmach/orb"
)

// territories are lon/lat boxes of metropolitan France, the DROM and a
// few COM (Wallis-et-Futuna, close to the antimeridian), weighted roughly
// by their number of communes.
var territories = []struct {
	lo, hi orb.Point
	weight int
}{
	{orb.Point{-4.8, 42.3}, orb.Point{8.2, 51.1}, 80}, // metropolitan France
	{orb.Point{8.5, 41.4}, orb.Point{9.6, 43.0}, 3},   // Corsica
	{orb.Point{-61.8, 15.8}, orb.Point{-61.0, 16.5}, 3},
	{orb.Point{-61.25, 14.4}, orb.Point{-60.8, 14.9}, 3},
	{orb.Point{-54.6, 2.1}, orb.Point{-51.6, 5.8}, 2},
	{orb.Point{55.2, -21.4}, orb.Point{55.85, -20.85}, 4},
	{orb.Point{45.0, -13.0}, orb.Point{45.3, -12.6}, 2},
	{orb.Point{-178.2, -14.4}, orb.Point{-176.1, -13.2}, 1},
	{orb.Point{163.5, -22.7}, orb.Point{168.2, -19.5}, 1},
	{orb.Point{-152, -17.9}, orb.Point{-149.1, -16.4}, 1},
}

// randomPoint draws a point in one of the territories.
func randomPoint(rng *rand.Rand) orb.Point {
	total := 0
	for _, tr := range territories {
		total += tr.weight
	}
	k := rng.IntN(total)
	for _, tr := range territories {
		if k -= tr.weight; k < 0 {
			return orb.Point{
				tr.lo[0] + rng.Float64()*(tr.hi[0]-tr.lo[0]),
				tr.lo[1] + rng.Float64()*(tr.hi[1]-tr.lo[1]),
			}
		}
	}
	panic("unreachable")
}

// randomPoints draws n points, about 5 % of them duplicates of earlier
// ones (exact distance ties) and a few mirrored in longitude around
// another point (ties between different coordinates).
func randomPoints(rng *rand.Rand, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		switch {
		case i > 0 && rng.IntN(20) == 0:
			pts[i] = pts[rng.IntN(i)]
		default:
			pts[i] = randomPoint(rng)
		}
	}
	return pts
}

// tiedPoints draws n points over metropolitan France (a box of 14° by
// 9°), one in dupOneIn of them a duplicate of an earlier one: an exact
// distance tie, which the lowest index must win.
func tiedPoints(rng *rand.Rand, n, dupOneIn int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		if i > 0 && rng.IntN(dupOneIn) == 0 {
			pts[i] = pts[rng.IntN(i)]
			continue
		}
		pts[i] = orb.Point{-5 + 14*rng.Float64(), 42 + 9*rng.Float64()}
	}
	return pts
}

// tiedIndex is the fixture of the nearest-point tests: a generator
// seeded (s1, s2), tiedPoints(n, dupOneIn) it draws, and their index; the
// generator goes on to draw the queries.
func tiedIndex(s1, s2 uint64, n, dupOneIn int) (*rand.Rand, []orb.Point, *PointIndex) {
	rng := rand.New(rand.NewPCG(s1, s2))
	pts := tiedPoints(rng, n, dupOneIn)
	return rng, pts, NewPointIndex(pts)
}

// queryPoint is a query over tiedPoints' box and beyond it: longitude
// −8 to 12, latitude 40 to 53.
func queryPoint(rng *rand.Rand) orb.Point {
	return orb.Point{-8 + 20*rng.Float64(), 40 + 13*rng.Float64()}
}

// queryOrPoint is queryPoint, or one time in oneIn a point of pts: a
// query at distance zero, where duplicated points tie.
func queryOrPoint(rng *rand.Rand, pts []orb.Point, oneIn int) orb.Point {
	q := queryPoint(rng)
	if rng.IntN(oneIn) == 0 {
		q = pts[rng.IntN(len(pts))]
	}
	return q
}

// checkNearest fails the test unless got, which the call described by
// call and args found (ok), is want,
// the brute-force nearest: the same index (the lowest of ties) and the
// same distance within 1e-9 km.
func checkNearest(t *testing.T, got Neighbor, ok bool, want Neighbor, call string, args ...any) {
	t.Helper()
	if !ok || got.Index != want.Index || math.Abs(got.Km-want.Km) > 1e-9 {
		t.Fatalf("%s = %+v, want %+v (brute force)", fmt.Sprintf(call, args...), got, want)
	}
}

// groupAround returns a group of nearby points: c, up to 5 points around
// it (normal spreads sx and sy degrees) and, one time in farOneIn, a
// point of pts (maybe far away); with the group's radius
// r = max_p HaversineKm(c, p).
func groupAround(rng *rand.Rand, c orb.Point, sx, sy float64, farOneIn int, pts []orb.Point) ([]orb.Point, float64) {
	group := []orb.Point{c}
	for range rng.IntN(6) {
		group = append(group, orb.Point{c[0] + sx*rng.NormFloat64(), c[1] + sy*rng.NormFloat64()})
	}
	if rng.IntN(farOneIn) == 0 {
		group = append(group, pts[rng.IntN(len(pts))])
	}
	var r float64
	for _, p := range group {
		r = max(r, HaversineKm(c, p))
	}
	return group, r
}

// bruteAscending is the reference: every point, sorted by (distance, index).
func bruteAscending(pts []orb.Point, p orb.Point) []Neighbor {
	all := make([]Neighbor, 0, len(pts))
	for i, q := range pts {
		if d := HaversineKm(p, q); !math.IsNaN(d) {
			all = append(all, Neighbor{i, d})
		}
	}
	slices.SortFunc(all, func(a, b Neighbor) int {
		if c := cmp.Compare(a.Km, b.Km); c != 0 {
			return c
		}
		return a.Index - b.Index
	})
	return all
}

// bruteWithin is the reference for Within, sorted by index.
func bruteWithin(pts []orb.Point, p orb.Point, km float64) []Neighbor {
	var out []Neighbor
	for i, q := range pts {
		if d := HaversineKm(p, q); d <= km {
			out = append(out, Neighbor{i, d})
		}
	}
	return out
}

func collectWithin(ix *PointIndex, p orb.Point, km float64) []Neighbor {
	var out []Neighbor
	ix.Within(p, km, func(n Neighbor) bool { out = append(out, n); return true })
	return byIndex(out)
}

// byIndex sorts ns by index, as the brute-force references are, and
// returns it.
func byIndex(ns []Neighbor) []Neighbor {
	slices.SortFunc(ns, func(a, b Neighbor) int { return a.Index - b.Index })
	return ns
}

func TestPointIndexAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 2026))
	pts := randomPoints(rng, 5000)
	ix := NewPointIndex(pts)
	var nWithin, nTies int
	queries := 500
	if testing.Short() {
		queries = 100 // make test-long runs all 500
	}
	for q := 0; q < queries; q++ {
		p := randomPoint(rng)
		if q%4 == 0 {
			p = pts[rng.IntN(len(pts))] // a query on an indexed point (distance 0, ties)
		}
		ref := bruteAscending(pts, p)
		k := 1 + rng.IntN(20)
		if got := ix.Nearest(p, k); !slices.Equal(got, ref[:k]) {
			t.Fatalf("Nearest(%v, %d) = %v, want %v", p, k, got, ref[:k])
		}
		km := rng.Float64() * 100
		want := bruteWithin(pts, p, km)
		if got := collectWithin(ix, p, km); !slices.Equal(got, want) {
			t.Fatalf("Within(%v, %v): %d points, want %d", p, km, len(got), len(want))
		}
		if got := byIndex(ix.AppendWithin(nil, p, km)); !slices.Equal(got, want) {
			t.Fatalf("AppendWithin(%v, %v): %d points, want %d", p, km, len(got), len(want))
		}
		// On the boundary: the radius is a point's exact distance.
		if len(want) > 0 {
			edge := want[rng.IntN(len(want))].Km
			if got, w := byIndex(ix.AppendWithin(nil, p, edge)), bruteWithin(pts, p, edge); !slices.Equal(got, w) {
				t.Fatalf("AppendWithin(%v, %v) on a point's distance: %d points, want %d", p, edge, len(got), len(w))
			}
		}
		nWithin += len(want)
		m := 0
		ix.Ascending(p, func(n Neighbor) bool {
			if n != ref[m] {
				t.Fatalf("Ascending(%v)[%d] = %v, want %v", p, m, n, ref[m])
			}
			m++
			return m < 200
		})
		for i := 1; i < 200; i++ {
			if ref[i].Km == ref[i-1].Km {
				nTies++
			}
		}
	}
	// The test must exercise radii with many points and exact ties.
	if nWithin < 20*queries || nTies < queries/5 {
		t.Fatalf("weak test data: %d within-radius results, %d ties", nWithin, nTies)
	}
}

func TestAscendingFullOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pts := randomPoints(rng, 3000)
	ix := NewPointIndex(pts)
	for q := 0; q < 20; q++ {
		p := randomPoint(rng)
		var got []Neighbor
		ix.Ascending(p, func(n Neighbor) bool { got = append(got, n); return true })
		if want := bruteAscending(pts, p); !slices.Equal(got, want) {
			t.Fatalf("Ascending(%v): %d results differ from brute force (%d)", p, len(got), len(want))
		}
	}
}

func TestPointIndexEdgeCases(t *testing.T) {
	nan := math.NaN()
	pts := []orb.Point{
		{2.0, 46.0},  // 0
		{2.1, 46.0},  // 1: 2R asin(cos 46° sin 0.05°) = 7.7243 km east of 0
		{1.9, 46.0},  // 2: mirror of 1 around 0, same distance from 0
		{nan, 46.0},  // 3: never returned
		{2.0, 46.0},  // 4: duplicate of 0
		{179.9, -14}, // 5: across the antimeridian from 6
		{-179.9, -14},
	}
	ix := NewPointIndex(pts)
	if ix.Len() != 7 {
		t.Fatalf("Len = %d", ix.Len())
	}
	// Ties by index: 0 and 4 at 0 km, then 1 and 2 at the same distance.
	got := ix.Nearest(orb.Point{2.0, 46.0}, 4)
	wantIdx := []int{0, 4, 1, 2}
	for i, n := range got {
		if n.Index != wantIdx[i] {
			t.Fatalf("Nearest order = %v, want indexes %v", got, wantIdx)
		}
	}
	if got[2].Km != got[3].Km || math.Abs(got[2].Km-7.7243) > 1e-4 {
		t.Errorf("mirrored points: %v != %v", got[2].Km, got[3].Km)
	}
	// 179.95 → −179.9 is 0.15° of longitude at 14° S:
	// 2R asin(cos 14° sin 0.075°) = 16.1838 km (python3).
	near := ix.Nearest(orb.Point{179.95, -14}, 2)
	if len(near) != 2 || near[0].Index != 5 || near[1].Index != 6 || math.Abs(near[1].Km-16.1838) > 1e-4 {
		t.Errorf("antimeridian Nearest = %v", near)
	}
	if w := collectWithin(ix, orb.Point{-179.95, -14}, 20); len(w) != 2 {
		t.Errorf("antimeridian Within = %v, want 5 and 6", w)
	}
}

func TestPointIndexDegenerate(t *testing.T) {
	nan := math.NaN()
	ix := NewPointIndex([]orb.Point{{2.0, 46.0}, {2.1, 46.0}, {nan, 46.0}, {2.0, 46.0}})
	for _, bad := range []orb.Point{{nan, 0}, {0, math.Inf(1)}} {
		if n := ix.Nearest(bad, 3); len(n) != 0 {
			t.Errorf("Nearest(%v) = %v", bad, n)
		}
	}
	if n := ix.Nearest(orb.Point{2, 46}, 0); n != nil {
		t.Errorf("Nearest(k=0) = %v", n)
	}
	if w := collectWithin(ix, orb.Point{2, 46}, 0); len(w) != 2 {
		t.Errorf("Within(0 km) = %v, want the two points at distance 0", w)
	}
	if w := collectWithin(ix, orb.Point{2, 46}, nan); len(w) != 0 {
		t.Errorf("Within(NaN km) = %v", w)
	}
	calls := 0
	ix.Within(orb.Point{2, 46}, 50, func(Neighbor) bool { calls++; return false })
	if calls != 1 {
		t.Errorf("Within did not stop: %d calls", calls)
	}
	if n := ix.Nearest(orb.Point{2, 46}, 100); len(n) != 3 {
		t.Errorf("Nearest(k > n) returned %d points, want the 3 finite ones", len(n))
	}
	if n := NewPointIndex(nil).Nearest(orb.Point{2, 46}, 3); len(n) != 0 {
		t.Errorf("empty index: %v", n)
	}
}

var benchSizes = []int{1000, 10000, 35000}

func sizeName(n int) string { return fmt.Sprintf("%dk", n/1000) }

// bruteNearest keeps the k nearest by insertion (the naive reference).
func bruteNearest(pts []orb.Point, p orb.Point, k int) []Neighbor {
	out := make([]Neighbor, 0, k+1)
	for i, q := range pts {
		n := Neighbor{i, HaversineKm(p, q)}
		if len(out) == k && n.Km >= out[k-1].Km {
			continue
		}
		j := sort.Search(len(out), func(j int) bool { return out[j].Km > n.Km })
		out = slices.Insert(out, j, n)
		if len(out) > k {
			out = out[:k]
		}
	}
	return out
}

// benchPoints returns n points and 1,000 queries, the same for a
// benchmark and its Naive baseline.
func benchPoints(n int) (pts, queries []orb.Point) {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	return randomPoints(rng, n), randomPoints(rng, 1000)
}

// benchSizesRun runs fn(pts, queries) as sub-benchmarks 1k, 10k, 35k.
func benchSizesRun(b *testing.B, fn func(b *testing.B, pts, queries []orb.Point)) {
	for _, n := range benchSizes {
		pts, queries := benchPoints(n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.ReportAllocs()
			fn(b, pts, queries)
		})
	}
}

func BenchmarkNearest(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, pts, queries []orb.Point) {
		ix := NewPointIndex(pts)
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			ix.Nearest(queries[i%len(queries)], 10)
		}
	})
}

func BenchmarkNearestNaive(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, pts, queries []orb.Point) {
		for i := 0; b.Loop(); i++ {
			bruteNearest(pts, queries[i%len(queries)], 10)
		}
	})
}

func BenchmarkWithin(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, pts, queries []orb.Point) {
		ix := NewPointIndex(pts)
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			ix.Within(queries[i%len(queries)], 30, func(Neighbor) bool { return true })
		}
	})
}

func BenchmarkWithinNaive(b *testing.B) {
	benchSizesRun(b, func(b *testing.B, pts, queries []orb.Point) {
		for i := 0; b.Loop(); i++ {
			bruteWithin(pts, queries[i%len(queries)], 30)
		}
	})
}

// TestNearestOneAgainstBruteForce: NearestOne is the nearest point of a
// brute-force scan with HaversineKm, ties broken by the lowest index
// (duplicated points make ties), for points clustered like communes and
// queries around and beyond them; it allocates nothing.
func TestNearestOneAgainstBruteForce(t *testing.T) {
	rng, pts, ix := tiedIndex(3, 9, 3000, 10)
	for range 2000 {
		q := queryOrPoint(rng, pts, 4)
		got, ok := ix.NearestOne(q)
		checkNearest(t, got, ok, bruteNearest(pts, q, 1)[0], "NearestOne(%v)", q)
	}
	if _, ok := ix.NearestOne(orb.Point{math.NaN(), 45}); ok {
		t.Error("NearestOne of a NaN point found one")
	}
	if _, ok := NewPointIndex(nil).NearestOne(orb.Point{2, 45}); ok {
		t.Error("NearestOne of an empty index found one")
	}
	if a := testing.AllocsPerRun(100, func() { ix.NearestOne(orb.Point{2.35, 48.85}) }); a != 0 {
		t.Errorf("NearestOne allocates %v times", a)
	}
	count := 0
	if a := testing.AllocsPerRun(100, func() {
		ix.Within(orb.Point{2.35, 48.85}, 80, func(Neighbor) bool { count++; return true })
	}); a != 0 || count == 0 {
		t.Errorf("Within allocates %v times (%d points found)", a, count)
	}
}

// TestAppendWithinOfAgainstBruteForce: the points of a group's candidate
// list (AppendWithin around the group's centre, radius km plus the
// group's radius) at most km from each member are AppendWithin's around
// the member, the same indexes and distances bit for bit, and the
// brute-force scan's; duplicated points make ties.
func TestAppendWithinOfAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 4))
	pts := randomPoints(rng, 4000)
	ix := NewPointIndex(pts)
	for range 150 {
		c := randomPoint(rng)
		if rng.IntN(3) == 0 {
			c = pts[rng.IntN(len(pts))]
		}
		km := []float64{0, 5, 40, 150}[rng.IntN(4)]
		group, r := groupAround(rng, c, 0.05, 0.05, 4, pts)
		cands := byIndex(ix.AppendWithin(nil, c, km+r+1e-6))
		for _, p := range group {
			got := ix.AppendWithinOf(nil, cands, p, km)
			want := byIndex(ix.AppendWithin(nil, p, km))
			if !slices.Equal(got, want) {
				t.Fatalf("AppendWithinOf(%v, %g km) = %v, want %v", p, km, got, want)
			}
			brute := bruteWithin(pts, p, km)
			if len(got) != len(brute) {
				t.Fatalf("AppendWithinOf(%v, %g km): %d points, brute force %d", p, km, len(got), len(brute))
			}
			for x := range got {
				if got[x].Index != brute[x].Index || math.Abs(got[x].Km-brute[x].Km) > 1e-9 {
					t.Fatalf("AppendWithinOf(%v, %g km)[%d] = %+v, brute force %+v", p, km, x, got[x], brute[x])
				}
			}
		}
	}
	if got := ix.AppendWithinOf(nil, []Neighbor{{0, 0}}, orb.Point{math.NaN(), 45}, 10); len(got) != 0 {
		t.Errorf("AppendWithinOf of a NaN point: %v", got)
	}
}

// TestNearestOneFromAgainstBruteForce: whatever the hint (the true
// nearest, a neighbour's nearest, a far point, a duplicate of the answer
// with a higher index, none, out of range), NearestOneFrom is the nearest
// point of a brute-force scan, ties broken by the lowest index.
func TestNearestOneFromAgainstBruteForce(t *testing.T) {
	rng, pts, ix := tiedIndex(5, 21, 3000, 8)
	for range 1500 {
		q := queryOrPoint(rng, pts, 3)
		want := bruteNearest(pts, q, 1)[0]
		hints := []int{-1, want.Index, rng.IntN(len(pts)), len(pts) + 3}
		if nb, ok := ix.NearestOne(orb.Point{q[0] + 0.02, q[1] - 0.01}); ok {
			hints = append(hints, nb.Index)
		}
		for i := len(pts) - 1; i > want.Index; i-- {
			if pts[i] == pts[want.Index] {
				hints = append(hints, i) // a tie with a higher index
				break
			}
		}
		for _, h := range hints {
			got, ok := ix.NearestOneFrom(q, h)
			checkNearest(t, got, ok, want, "NearestOneFrom(%v, %d)", q, h)
		}
	}
	if a := testing.AllocsPerRun(100, func() { ix.NearestOneFrom(orb.Point{2.35, 48.85}, 7) }); a != 0 {
		t.Errorf("NearestOneFrom allocates %v times", a)
	}
}

// TestNearestAmongAgainstBruteForce: for groups of nearby points, the
// nearest among the candidates around the group's centre c (radius d_c +
// 2r, r the group's radius) is the brute-force nearest of each member,
// ties by the lowest index, with NearestOne's distance bit for bit.
func TestNearestAmongAgainstBruteForce(t *testing.T) {
	rng, pts, ix := tiedIndex(8, 13, 2000, 8)
	for range 300 {
		c := queryPoint(rng)
		group, r := groupAround(rng, c, 0.03, 0.02, 3, pts)
		nc, _ := ix.NearestOne(c)
		cands := ix.AppendWithin(nil, c, (nc.Km+2*r)*(1+1e-9)+1e-6)
		for _, p := range group {
			got, ok := ix.NearestAmong(p, cands)
			checkNearest(t, got, ok, bruteNearest(pts, p, 1)[0], "NearestAmong(%v)", p)
			if one, _ := ix.NearestOne(p); got != one {
				t.Fatalf("NearestAmong(%v) = %+v, NearestOne %+v", p, got, one)
			}
		}
	}
	if _, ok := ix.NearestAmong(orb.Point{2, 45}, nil); ok {
		t.Error("NearestAmong of no candidate found one")
	}
}
