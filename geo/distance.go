package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// EarthRadiusKm is the mean Earth radius (IUGG), used by HaversineKm.
const EarthRadiusKm = 6371.0088

const rad = math.Pi / 180

// HaversineKm returns the great-circle distance in km between two WGS84
// lon/lat points on a sphere of radius EarthRadiusKm:
//
//	h = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2)
//	d = 2 R asin(√h)
func HaversineKm(a, b orb.Point) float64 {
	return haversineCos(a, b, math.Cos(a[1]*rad), math.Cos(b[1]*rad))
}

// haversineCos is HaversineKm given cos φ1 and cos φ2, so that an index
// computes each point's cosine once: the same operations, hence the same
// result bit for bit.
func haversineCos(a, b orb.Point, cos1, cos2 float64) float64 {
	return havKm(haversineH(a, b, cos1, cos2))
}

// haversineH is the h of HaversineKm given cos φ1 and cos φ2.
func haversineH(a, b orb.Point, cos1, cos2 float64) float64 {
	dla := b[1]*rad - a[1]*rad
	dlo := (b[0] - a[0]) * rad
	s1, s2 := math.Sin(dla/2), math.Sin(dlo/2)
	return s1*s1 + cos1*cos2*s2*s2
}

// havKm is the d of HaversineKm for its h: 2 R asin(√h), increasing in h
// (h ≥ 0: boxMinKm clamps the h that rounding may leave below 0).
func havKm(h float64) float64 {
	return 2 * EarthRadiusKm * math.Asin(min(1, math.Sqrt(h)))
}

// hav is the haversine function sin²(x/2).
func hav(x float64) float64 {
	s := math.Sin(x / 2)
	return s * s
}

// lowerBoundSafety shrinks the exact box distance so that floating-point
// rounding (a few ulps, i.e. ~1e-15 relative) can never make the bound
// exceed the distance HaversineKm computes for a point of the box.
const lowerBoundSafety = 1 - 1e-9

// boxMinKm returns a lower bound of HaversineKm(p, q) over every point q
// of the lon/lat box [lo, hi] (degrees). The bound is exact up to
// lowerBoundSafety; Nearby relies on it never exceeding a true distance.
//
// Derivation. With Δλ the longitude difference,
//
//	hav(d) = hav(φ − φp) + cos φp · cos φ · hav(Δλ).
//
// When λp lies within the box's longitudes, Δλ = 0 is possible, so the
// nearest point is (λp, φp clamped to the box) and the distance is the
// latitude gap (0 inside the box).
//
// Otherwise, for a fixed φ, hav(d) grows with hav(Δλ) (cos φ ≥ 0), so the
// nearest point lies on the box edge of smallest hav(Δλ); hav is even and
// 2π-periodic, so this also holds across the antimeridian. Along that
// meridian, cos d = sin φp sin φ + cos φp cos Δλ cos φ = C cos(φ − φ*)
// with tan φ* = tan φp / cos Δλ: d is smallest at φ* when cos Δλ > 0 and
// φ* is within the box, and otherwise at one of the two corners. The
// minimum over those candidates is the exact box distance.
func boxMinKm(p orb.Point, lo, hi [2]float64) float64 {
	lon, lat := p[0], p[1]
	if lon >= lo[0] && lon <= hi[0] {
		switch {
		case lat < lo[1]:
			return havKm(hav((lo[1]-lat)*rad)) * lowerBoundSafety
		case lat > hi[1]:
			return havKm(hav((lat-hi[1])*rad)) * lowerBoundSafety
		}
		return 0
	}
	hdl := math.Min(hav((lo[0]-lon)*rad), hav((hi[0]-lon)*rad))
	phi := lat * rad
	cp := math.Cos(phi)
	at := func(phiQ float64) float64 { return hav(phiQ-phi) + cp*math.Cos(phiQ)*hdl }
	lo1, hi1 := lo[1]*rad, hi[1]*rad
	h := math.Min(at(lo1), at(hi1))
	if cdl := 1 - 2*hdl; cdl > 0 {
		if star := math.Atan(math.Tan(phi) / cdl); star > lo1 && star < hi1 {
			h = math.Min(h, at(star))
		}
	}
	return havKm(max(0, h)) * lowerBoundSafety // cos φ_Q may round below 0 at a pole
}

// capBoxes returns one or two lon/lat boxes (degrees; the first n of bs,
// so that a query allocates nothing) that together
// contain every point q with HaversineKm(p, q) <= km.
//
// Derivation. If d(p, q) <= r (radians, r = km/R) then |φq − φp| <= r
// (first term of hav(d)), so φq ∈ [φp − r, φp + r]. Let φm be the largest
// |latitude| of that band; cos φp and cos φq are both >= cos φm, hence
//
//	hav(r) >= hav(d) >= cos φp cos φq hav(Δλ) >= cos²φm hav(Δλ)
//
// and |Δλ| <= 2 asin(sin(r/2) / cos φm). When the band reaches a pole or
// the ratio reaches 1 every longitude is possible. A box that runs past
// ±180° is split in two, so queries near the antimeridian are exact (no
// French territory crosses it: Wallis-et-Futuna is at −176°, New
// Caledonia at +166°, French Polynesia around −150°).
func capBoxes(p orb.Point, km float64) (bs [2][2][2]float64, n int) {
	r := km / EarthRadiusKm * (1 + 1e-9)
	dlat := r/rad + 1e-9
	lat0, lat1 := p[1]-dlat, p[1]+dlat
	if r >= math.Pi || lat0 <= -90 || lat1 >= 90 {
		return [2][2][2]float64{{{math.Inf(-1), lat0}, {math.Inf(1), lat1}}}, 1
	}
	s := math.Sin(r/2) / math.Cos(math.Max(math.Abs(lat0), math.Abs(lat1))*rad)
	if s >= 1 {
		return [2][2][2]float64{{{math.Inf(-1), lat0}, {math.Inf(1), lat1}}}, 1
	}
	dlon := 2*math.Asin(s)/rad + 1e-9
	w, e := p[0]-dlon, p[0]+dlon
	switch {
	case w < -180:
		return [2][2][2]float64{{{-180, lat0}, {e, lat1}}, {{w + 360, lat0}, {180, lat1}}}, 2
	case e > 180:
		return [2][2][2]float64{{{w, lat0}, {180, lat1}}, {{-180, lat0}, {e - 360, lat1}}}, 2
	}
	return [2][2][2]float64{{{w, lat0}, {e, lat1}}}, 1
}

// finite reports whether both coordinates of p are finite numbers.
func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}
