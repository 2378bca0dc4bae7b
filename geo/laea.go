package geo

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// ETRS89-LAEA (EPSG:3035): Lambert azimuthal equal-area projection on the
// GRS80 ellipsoid, centred on 52°N 10°E, false easting 4,321,000 m and
// false northing 3,210,000 m. INSEE's 200 m grid ("données carroyées")
// names its cells in it.
const (
	laeaA       = 6378137.0     // GRS80 semi-major axis, m
	laeaInvF    = 298.257222101 // GRS80 inverse flattening
	laeaLat0    = 52.0          // latitude of origin, degrees
	laeaLon0    = 10.0          // longitude of origin, degrees
	laeaFE      = 4321000.0     // false easting, m
	laeaFN      = 3210000.0     // false northing, m
	laeaEpsilon = 1e-12         // Newton step below which φ is final, radians
)

// laea holds the constants of the projection (EPSG Guidance Note 7-2,
// method 9820, oblique aspect):
//
//	e² = 2f − f²,  q(φ) = (1−e²)·[sinφ/(1−e²sin²φ) − 1/(2e)·ln((1−e·sinφ)/(1+e·sinφ))]
//	qP = q(90°), Rq = a·√(qP/2), β0 = asin(q(φ0)/qP)
//	D = a·cosφ0/√(1−e²sin²φ0) / (Rq·cosβ0)
var laea = func() (c struct{ e2, e, qP, rq, sb0, cb0, d float64 }) {
	f := 1 / laeaInvF
	c.e2 = 2*f - f*f
	c.e = math.Sqrt(c.e2)
	c.qP = laeaQ(c.e2, c.e, math.Pi/2)
	c.rq = laeaA * math.Sqrt(c.qP/2)
	phi0 := laeaLat0 * math.Pi / 180
	b0 := math.Asin(laeaQ(c.e2, c.e, phi0) / c.qP)
	c.sb0, c.cb0 = math.Sincos(b0)
	s0 := math.Sin(phi0)
	c.d = laeaA * math.Cos(phi0) / math.Sqrt(1-c.e2*s0*s0) / (c.rq * c.cb0)
	return c
}()

// laeaQ is q(φ) of the authalic latitude.
func laeaQ(e2, e, phi float64) float64 {
	s := math.Sin(phi)
	return (1 - e2) * (s/(1-e2*s*s) - 1/(2*e)*math.Log((1-e*s)/(1+e*s)))
}

// LAEAForward projects a WGS84 point (longitude, latitude in degrees;
// ETRS89 and WGS84 agree within a metre, below the grid's resolution) to
// EPSG:3035 easting and northing in metres:
//
//	β = asin(q(φ)/qP),  B = Rq·√(2 / (1 + sinβ0·sinβ + cosβ0·cosβ·cos(λ−λ0)))
//	E = FE + B·D·cosβ·sin(λ−λ0)
//	N = FN + (B/D)·(cosβ0·sinβ − sinβ0·cosβ·cos(λ−λ0))
func LAEAForward(p orb.Point) (e, n float64) {
	c := laea
	phi, dl := p[1]*math.Pi/180, (p[0]-laeaLon0)*math.Pi/180
	sb, cb := math.Sincos(math.Asin(laeaQ(c.e2, c.e, phi) / c.qP))
	b := c.rq * math.Sqrt(2/(1+c.sb0*sb+c.cb0*cb*math.Cos(dl)))
	return laeaFE + b*c.d*cb*math.Sin(dl), laeaFN + b/c.d*(c.cb0*sb-c.sb0*cb*math.Cos(dl))
}

// LAEAInverse returns the WGS84 point (longitude, latitude in degrees) of
// EPSG:3035 easting e and northing n in metres (EPSG GN 7-2):
//
//	ρ = √(((E−FE)/D)² + (D·(N−FN))²),  C = 2·asin(ρ/(2·Rq))
//	β' = asin(cosC·sinβ0 + D·(N−FN)·sinC·cosβ0/ρ)
//	λ = λ0 + atan2((E−FE)·sinC, D·ρ·cosβ0·cosC − D²·(N−FN)·sinβ0·sinC)
//
// and φ from the authalic latitude β' by Newton's iteration on q
// (Snyder 1987, eq. 3-16), q = qP·sinβ', started from φ = β':
//
//	φ ← φ + (1−e²sin²φ)²/(2cosφ)·[q/(1−e²) − sinφ/(1−e²sin²φ) + 1/(2e)·ln((1−e·sinφ)/(1+e·sinφ))]
//
// until the step is below 1e-12 rad (a few micrometres), at most 10 steps.
func LAEAInverse(e, n float64) orb.Point {
	c := laea
	x, y := e-laeaFE, n-laeaFN
	rho := math.Hypot(x/c.d, c.d*y)
	if rho == 0 {
		return orb.Point{laeaLon0, laeaLat0}
	}
	sc, cc := math.Sincos(2 * math.Asin(rho/(2*c.rq)))
	beta := math.Asin(cc*c.sb0 + c.d*y*sc*c.cb0/rho)
	lam := laeaLon0*math.Pi/180 + math.Atan2(x*sc, c.d*rho*c.cb0*cc-c.d*c.d*y*c.sb0*sc)
	q := c.qP * math.Sin(beta)
	phi := beta
	for range 10 {
		s := math.Sin(phi)
		w := 1 - c.e2*s*s
		step := w * w / (2 * math.Cos(phi)) * (q/(1-c.e2) - s/w + 1/(2*c.e)*math.Log((1-c.e*s)/(1+c.e*s)))
		phi += step
		if math.Abs(step) < laeaEpsilon {
			break
		}
	}
	return orb.Point{lam * 180 / math.Pi, phi * 180 / math.Pi}
}

// ErrBadIdcar reports a grid cell identifier that is not INSEE's
// CRS3035RES{r}mN{y}E{x}.
var ErrBadIdcar = errors.New("identifiant de carreau incorrect")

// Idcar is a cell of INSEE's grid: its south-west corner in EPSG:3035
// (metres) and its side.
type Idcar struct {
	North, East, Res float64
}

// ParseIdcar reads an identifier of INSEE's grid, such as
// CRS3035RES200mN2596200E3693800: the cell's side (200 m), then the
// northing and easting of its south-west corner in EPSG:3035. Errors wrap
// ErrBadIdcar with a French message.
func ParseIdcar(s string) (Idcar, error) {
	bad := func() (Idcar, error) {
		return Idcar{}, fmt.Errorf("%w: identifiant de carreau %q illisible (attendu CRS3035RES200mN…E…, par ex. CRS3035RES200mN2596200E3693800)", ErrBadIdcar, s)
	}
	rest, ok := strings.CutPrefix(strings.ToUpper(strings.TrimSpace(s)), "CRS3035RES")
	res, rest, ok2 := strings.Cut(rest, "MN")
	north, east, ok3 := strings.Cut(rest, "E")
	if !ok || !ok2 || !ok3 {
		return bad()
	}
	var v [3]float64
	for i, t := range []string{res, north, east} {
		x, err := strconv.ParseUint(t, 10, 32)
		if err != nil || t == "" {
			return bad()
		}
		v[i] = float64(x)
	}
	if v[0] == 0 {
		return bad()
	}
	return Idcar{Res: v[0], North: v[1], East: v[2]}, nil
}

// Center returns the WGS84 point of the centre of the cell.
func (c Idcar) Center() orb.Point {
	return LAEAInverse(c.East+c.Res/2, c.North+c.Res/2)
}
