package geo

// API CONTRACT (written first so data/diag can compile; the geo helper
// replaces the brute-force bodies with the R-tree versions, keeping names).

import (
	"context"
	"math"

	"github.com/paulmach/orb"
)

// EarthRadiusKm is the mean Earth radius (IUGG), used by HaversineKm.
const EarthRadiusKm = 6371.0088

// HaversineKm returns the great-circle distance in km between two WGS84
// lon/lat points on a sphere of radius EarthRadiusKm.
func HaversineKm(a, b orb.Point) float64 {
	const rad = math.Pi / 180
	la1, la2 := a[1]*rad, b[1]*rad
	dla := la2 - la1
	dlo := (b[0] - a[0]) * rad
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(h)))
}

// TravelTimer gives travel times in minutes. Model is the default; OSRM
// asks a road-network server.
type TravelTimer interface {
	// Times returns t[i][j], the travel time in minutes from src[i] to dst[j].
	Times(ctx context.Context, src, dst []orb.Point) ([][]float64, error)
	// MinMinutes is a lower bound of the travel time between two points
	// km apart (great circle). It is increasing in km.
	MinMinutes(km float64) float64
	// ReachKm is the largest great-circle distance at which the travel
	// time can still be at most minutes (the inverse of MinMinutes).
	ReachKm(minutes float64) float64
}

// Model is the straight-line travel-time model:
//
//	t_ij (minutes) = haversine(i, j) km × Detour / SpeedKmh × 60
type Model struct {
	Detour   float64 // road distance / great-circle distance, default 1.3
	SpeedKmh float64 // mean speed, default 50
}

// DefaultModel returns the model with the documented defaults (1.3, 50 km/h).
func DefaultModel() Model { return Model{Detour: 1.3, SpeedKmh: 50} }

// Minutes returns the modelled travel time between a and b.
func (m Model) Minutes(a, b orb.Point) float64 { return m.MinMinutes(HaversineKm(a, b)) }

// MinMinutes returns km × Detour / SpeedKmh × 60 (exact for the model).
func (m Model) MinMinutes(km float64) float64 { return km * m.Detour / m.SpeedKmh * 60 }

// ReachKm returns minutes / 60 × SpeedKmh / Detour.
func (m Model) ReachKm(minutes float64) float64 { return minutes / 60 * m.SpeedKmh / m.Detour }

// Times implements TravelTimer.
func (m Model) Times(ctx context.Context, src, dst []orb.Point) ([][]float64, error) {
	t := make([][]float64, len(src))
	for i, a := range src {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t[i] = make([]float64, len(dst))
		for j, b := range dst {
			t[i][j] = m.Minutes(a, b)
		}
	}
	return t, nil
}

// Neighbor is a result of a nearest or within-radius query.
type Neighbor struct {
	Index int     // index of the point in the slice given to NewPointIndex
	Km    float64 // great-circle distance from the query point
}

// PointIndex is an R-tree over points (sites or commune points).
type PointIndex struct {
	pts []orb.Point
}

// NewPointIndex indexes pts; indexes in results refer to this slice.
func NewPointIndex(pts []orb.Point) *PointIndex {
	return &PointIndex{pts: append([]orb.Point(nil), pts...)}
}

// Len returns the number of indexed points.
func (ix *PointIndex) Len() int { return len(ix.pts) }

// Within calls fn for every point at most km from p (great circle), in
// no particular order, until fn returns false.
func (ix *PointIndex) Within(p orb.Point, km float64, fn func(Neighbor) bool) {
	for i, q := range ix.pts {
		if d := HaversineKm(p, q); d <= km {
			if !fn(Neighbor{i, d}) {
				return
			}
		}
	}
}

// Nearest returns the k points nearest to p, by increasing distance, ties
// broken by index.
func (ix *PointIndex) Nearest(p orb.Point, k int) []Neighbor {
	var out []Neighbor
	ix.Ascending(p, func(n Neighbor) bool {
		out = append(out, n)
		return len(out) < k
	})
	return out
}

// Ascending calls fn for points by increasing distance from p (ties by
// index) until fn returns false.
func (ix *PointIndex) Ascending(p orb.Point, fn func(Neighbor) bool) {
	all := make([]Neighbor, len(ix.pts))
	for i, q := range ix.pts {
		all[i] = Neighbor{i, HaversineKm(p, q)}
	}
	sortNeighbors(all)
	for _, n := range all {
		if !fn(n) {
			return
		}
	}
}

func sortNeighbors(ns []Neighbor) {
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && (ns[j].Km < ns[j-1].Km || ns[j].Km == ns[j-1].Km && ns[j].Index < ns[j-1].Index); j-- {
			ns[j], ns[j-1] = ns[j-1], ns[j]
		}
	}
}

// PolygonIndex is an R-tree over polygon bounds with precomputed rings,
// for point-in-polygon assignment.
type PolygonIndex struct {
	polys []orb.MultiPolygon
}

// NewPolygonIndex indexes polys (nil entries are skipped); indexes in
// results refer to this slice.
func NewPolygonIndex(polys []orb.MultiPolygon) *PolygonIndex {
	return &PolygonIndex{polys: polys}
}

// Locate returns the lowest index of a polygon containing p, and false
// when none does.
func (ix *PolygonIndex) Locate(p orb.Point) (int, bool) {
	for i, mp := range ix.polys {
		if mp != nil && multiPolygonContains(mp, p) {
			return i, true
		}
	}
	return -1, false
}

func multiPolygonContains(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if len(poly) == 0 || !ringContains(poly[0], p) {
			continue
		}
		in := true
		for _, hole := range poly[1:] {
			if ringContains(hole, p) {
				in = false
				break
			}
		}
		if in {
			return true
		}
	}
	return false
}

func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// RepresentativePoint returns the area centroid of mp, or a point on its
// surface when the centroid falls outside.
func RepresentativePoint(mp orb.MultiPolygon) orb.Point {
	var sx, sy, sa float64
	for _, poly := range mp {
		for k, r := range poly {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				c := r[j][0]*r[i][1] - r[i][0]*r[j][1]
				if k > 0 {
					c = -math.Abs(c) * sign(c)
				}
				sa += c
				sx += (r[j][0] + r[i][0]) * c
				sy += (r[j][1] + r[i][1]) * c
			}
		}
	}
	if sa == 0 {
		return orb.Point{}
	}
	c := orb.Point{sx / (3 * sa), sy / (3 * sa)}
	return c
}

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}
