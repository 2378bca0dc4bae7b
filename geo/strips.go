package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// StripIndex answers the within-radius queries of PointIndex.AppendWithin,
// with the same results, from points held in latitude strips of equal
// height, each strip sorted by longitude: a query reads, in every strip
// its cap box crosses, the run of points within the box's longitudes
// (found by a binary search), with no tree node to visit. Many queries
// of one radius (the pairs of the travel-time model, all within the same
// reach) read fewer candidates this way than through the R-tree when the
// strips are about half the radius high. Queries may run concurrently;
// the index is immutable.
type StripIndex struct {
	lat0, height float64 // strip s covers latitudes [lat0 + s·height, lat0 + (s+1)·height)
	start        []int32 // strip s holds entries start[s]:start[s+1]
	lon, lat     []float64
	cos          []float64 // cos φ of each entry (haversineCos)
	// xyz holds the unit vector of each entry (3 numbers an entry): the
	// squared chord to a query, a quarter of which is h up to chordSlack,
	// sorts out the candidates before their sines (unitVector).
	xyz []float64
	id  []int32 // index of each entry in the slice given to NewStripIndex
	n   int     // len of that slice
}

// maxStripsPerPoint bounds the number of strips: the height grows when
// the points' latitudes span more than this many strips per point.
const maxStripsPerPoint = 4

// NewStripIndex indexes pts in strips about height degrees of latitude
// high (a positive number; the height grows so that there are at most
// 4·len(pts) + 64 strips); indexes in results refer to pts. Points with
// a NaN or infinite coordinate are not indexed and never returned.
func NewStripIndex(pts []orb.Point, height float64) *StripIndex {
	ix := &StripIndex{n: len(pts), height: height}
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for _, p := range pts {
		if finite(p) {
			lo, hi = math.Min(lo, p[1]), math.Max(hi, p[1])
			n++
		}
	}
	if n == 0 {
		ix.start = []int32{0, 0}
		return ix
	}
	if !(ix.height > 0) || math.IsInf(ix.height, 0) {
		ix.height = 1
	}
	limit := float64(maxStripsPerPoint*n + 64)
	ix.height = math.Max(ix.height, (hi-lo)/limit)
	ix.lat0 = lo
	strips := int(math.Floor((hi-lo)/ix.height)) + 1
	ix.start = make([]int32, strips+1) // strip() reads its length
	for _, p := range pts {
		if finite(p) {
			ix.start[ix.strip(p[1])+1]++
		}
	}
	for s := range strips {
		ix.start[s+1] += ix.start[s]
	}
	ix.id = make([]int32, n)
	fill := slices.Clone(ix.start[:strips])
	for i, p := range pts {
		if finite(p) {
			s := ix.strip(p[1])
			ix.id[fill[s]] = int32(i)
			fill[s]++
		}
	}
	for s := range strips {
		part := ix.id[ix.start[s]:ix.start[s+1]]
		slices.SortFunc(part, func(a, b int32) int {
			if c := cmpFloat(pts[a][0], pts[b][0]); c != 0 {
				return c
			}
			return int(a - b)
		})
	}
	ix.lon, ix.lat, ix.cos = make([]float64, n), make([]float64, n), make([]float64, n)
	ix.xyz = make([]float64, 3*n)
	for x, i := range ix.id {
		p := pts[i]
		ix.lon[x], ix.lat[x], ix.cos[x] = p[0], p[1], math.Cos(p[1]*rad)
		u := unitVector(p)
		copy(ix.xyz[3*x:], u[:])
	}
	return ix
}

// firstAtLeast returns the first x in [lo, hi) with v[x] ≥ w, hi when
// none (v[lo:hi] sorted; slices.BinarySearch without its NaN-aware
// comparison, which the strips, holding finite numbers only, do not
// need).
func firstAtLeast(v []float64, lo, hi int, w float64) int {
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v[m] < w {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// cmpFloat compares finite numbers.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// strip returns the strip of latitude lat, clamped to the strips (a
// non-decreasing function of lat).
func (ix *StripIndex) strip(lat float64) int {
	last := len(ix.start) - 2
	s := math.Floor((lat - ix.lat0) / ix.height)
	switch {
	case !(s >= 0):
		return 0
	case s >= float64(last):
		return last
	}
	return int(s)
}

// Len returns the number of points given to NewStripIndex (the range of
// Neighbor.Index).
func (ix *StripIndex) Len() int { return ix.n }

// AppendWithin appends to dst every point at most km from p (great
// circle) with its distance, and returns the extended slice: the points
// and distances of PointIndex.AppendWithin over the same points, bit for
// bit, in another order (by strip, then longitude).
func (ix *StripIndex) AppendWithin(dst []Neighbor, p orb.Point, km float64) []Neighbor {
	return ix.appendWithin(dst, p, km, -1, false)
}

// nearTie is the relative margin of h within which AppendNearest keeps
// the points beside the nearest one: points whose distances round to
// the same value (or to values a time rounds to the same minutes) have
// h within a few ulps of each other, far below it.
const nearTie = 1e-9

// chordSlack bounds |c²/4 − h| for the squared chord c² between two
// unitVector results and the h of haversineH between the same points,
// with a wide margin: each coordinate is within 4e-16 of the true one,
// so c² is within 2·c·√3·1e-15 + 1e-29 of the true 4h (c ≤ 2), and h
// within 1e-15 of the true h; the sum is below 1e-14.
const chordSlack = 1e-13

// unitVector returns the point of the unit sphere at p:
// (cos φ cos λ, cos φ sin λ, sin φ).
func unitVector(p orb.Point) [3]float64 {
	sl, cl := math.Sincos(p[0] * rad)
	sp, cp := math.Sincos(p[1] * rad)
	return [3]float64{cp * cl, cp * sl, sp}
}

// AppendNearest appends to dst those points at most km from p, other
// than the point of index skip (-1: none), that can be the nearest of
// them: the one with the smallest h (sin² of half the angle) and every
// one within a relative 1e-9 of that h, so every point at the smallest
// distance and any whose distance, or a time increasing with it, may
// round to the same value. Distances are AppendWithin's, bit for bit;
// the sines are taken of the points whose squared chord is within
// chordSlack of the smallest, the arcsine of the nearest only.
func (ix *StripIndex) AppendNearest(dst []Neighbor, p orb.Point, km float64, skip int) []Neighbor {
	return ix.appendWithin(dst, p, km, skip, true)
}

// appendWithin is AppendWithin, or AppendNearest when nearest is true.
// Three loops, the costly ones without the branches of the scan (the
// processor overlaps their iterations): the candidates within the boxes
// whose chord can be within reach (nearest: near the smallest), with c²/4
// for now; then their h, exact; then the arcsines.
func (ix *StripIndex) appendWithin(dst []Neighbor, p orb.Point, km float64, skip int, nearest bool) []Neighbor {
	if !finite(p) || !(km >= 0) || len(ix.id) == 0 {
		return dst
	}
	start := len(dst)
	hmax := withinHmax(km)
	// A candidate is dropped when its c²/4 exceeds amax: beyond reach
	// (h > hmax for sure), or (nearest) farther than the nearest so far
	// for sure, ties and near-ties kept: with a the smallest c²/4 and
	// |c²/4 − h| ≤ chordSlack, the nearest point and any whose h is within
	// nearTie of its h have c²/4 ≤ a·(1 + nearTie) + 2.1·chordSlack.
	amax := hmax + chordSlack
	u := unitVector(p)
	bs, nb := capBoxes(p, km)
	for _, b := range bs[:nb] {
		w, e, s, n := b[0][0], b[1][0], b[0][1], b[1][1]
		// Strips are clamped: the first and last hold every point below
		// and above them (none, since they span the points' latitudes).
		for k, last := ix.strip(s), ix.strip(n); k <= last; k++ {
			lo, hi := int(ix.start[k]), int(ix.start[k+1])
			x := firstAtLeast(ix.lon, lo, hi, w)
			for ; x < hi && ix.lon[x] <= e; x++ {
				if lat := ix.lat[x]; lat < s || lat > n {
					continue
				}
				v := ix.xyz[3*x : 3*x+3 : 3*x+3]
				d0, d1, d2 := v[0]-u[0], v[1]-u[1], v[2]-u[2]
				a := (d0*d0 + d1*d1 + d2*d2) / 4
				if a > amax || nearest && int(ix.id[x]) == skip {
					continue
				}
				dst = append(dst, Neighbor{x, a})
				if nearest {
					amax = min(amax, a*(1+nearTie)+2.1*chordSlack)
				}
			}
		}
	}
	// haversineH and havKm written out (the same operations in the same
	// order, hence the same bits: the tests compare with HaversineKm):
	// their calls, which the compiler does not inline, cost a third of
	// the query.
	cp := math.Cos(p[1] * rad)
	hbest := math.Inf(1)
	kept := dst[start:start]
	for _, c := range dst[start:] {
		if c.Km > amax {
			continue
		}
		x := c.Index
		dla := ix.lat[x]*rad - p[1]*rad
		dlo := (ix.lon[x] - p[0]) * rad
		s1, s2 := math.Sin(dla/2), math.Sin(dlo/2)
		if h := s1*s1 + cp*ix.cos[x]*s2*s2; h <= hmax {
			kept, hbest = append(kept, Neighbor{x, h}), min(hbest, h)
		}
	}
	if !nearest {
		hbest = math.Inf(1) // every one
	}
	out := dst[:start]
	for _, c := range kept {
		if c.Km <= hbest*(1+nearTie) {
			if d := 2 * EarthRadiusKm * math.Asin(min(1, math.Sqrt(c.Km))); d <= km {
				out = append(out, Neighbor{int(ix.id[c.Index]), d})
			}
		}
	}
	return out
}
