package geo

import (
	"fmt"
	"math"
)

// GRS80 ellipsoid (RGF93, the datum of Lambert-93; WGS84 differs from it
// by 0.1 mm in the semi-minor axis, far below a map's resolution).
const (
	grs80A = 6378137.0
	grs80F = 1 / 298.257222101
)

// Projection maps WGS84 longitude and latitude (degrees) to planar
// coordinates in metres, x eastward and y northward (the maps of the
// workbook and of the HTML report).
type Projection struct {
	Name    string                                // e.g. "Lambert-93 (EPSG:2154)"
	Forward func(lon, lat float64) (x, y float64) // the projection
}

// Lambert93 is the Lambert-93 projection of metropolitan France
// (EPSG:2154): Lambert conformal conic with two standard parallels on
// GRS80, φ1 = 49°, φ2 = 44°, latitude of origin φ0 = 46.5°, central
// meridian λ0 = 3° E, false easting x0 = 700,000 m and false northing
// y0 = 6,600,000 m. With e the eccentricity (Snyder 1987, formulas 15-1
// to 15-10, also IGN NTG_71):
//
//	m(φ) = cos φ / √(1 − e² sin² φ)
//	t(φ) = tan(π/4 − φ/2) / ((1 − e sin φ)/(1 + e sin φ))^(e/2)
//	n    = (ln m(φ1) − ln m(φ2)) / (ln t(φ1) − ln t(φ2))
//	ρ(φ) = a · m(φ1)/(n t(φ1)^n) · t(φ)^n
//	x    = x0 + ρ(φ) sin(n(λ − λ0))
//	y    = y0 + ρ(φ0) − ρ(φ) cos(n(λ − λ0))
var Lambert93 = newLambert93()

// lccConstants holds the derived constants of the Lambert-93 projection:
// the cone constant n, c = a·F (IGN's C) and ys = y0 + ρ(φ0) (IGN's Ys).
type lccConstants struct {
	e, n, c, ys float64
}

// lambert93Constants computes n, C and Ys from the defining parameters.
func lambert93Constants() lccConstants {
	e := math.Sqrt(grs80F * (2 - grs80F))
	rad := math.Pi / 180
	m := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Cos(phi) / math.Sqrt(1-e*e*s*s)
	}
	t := func(phi float64) float64 {
		s := math.Sin(phi)
		return math.Tan(math.Pi/4-phi/2) / math.Pow((1-e*s)/(1+e*s), e/2)
	}
	phi1, phi2, phi0 := 49*rad, 44*rad, 46.5*rad
	n := (math.Log(m(phi1)) - math.Log(m(phi2))) / (math.Log(t(phi1)) - math.Log(t(phi2)))
	c := grs80A * m(phi1) / (n * math.Pow(t(phi1), n))
	return lccConstants{e: e, n: n, c: c, ys: 6600000 + c*math.Pow(t(phi0), n)}
}

// newLambert93 returns the Lambert-93 projection.
func newLambert93() Projection {
	k := lambert93Constants()
	rad := math.Pi / 180
	fwd := func(lon, lat float64) (float64, float64) {
		phi := lat * rad
		s := math.Sin(phi)
		t := math.Tan(math.Pi/4-phi/2) / math.Pow((1-k.e*s)/(1+k.e*s), k.e/2)
		rho := k.c * math.Pow(t, k.n)
		g := k.n * (lon - 3) * rad
		return 700000 + rho*math.Sin(g), k.ys - rho*math.Cos(g)
	}
	return Projection{Name: "Lambert-93 (EPSG:2154)", Forward: fwd}
}

// UTMZone returns the UTM zone (1–60) of a longitude: ⌊(λ + 180)/6⌋ + 1.
// At the centres of the overseas départements it gives the zones of
// their official projections: Guadeloupe and Martinique 20 (EPSG:5490,
// RGAF09 / UTM 20N), Guyane 22 (EPSG:2972), La Réunion 40 south
// (EPSG:2975), Mayotte 38 south (EPSG:4471), Saint-Pierre-et-Miquelon 21
// (EPSG:4467).
func UTMZone(lon float64) int {
	z := int(math.Floor((lon+180)/6)) + 1
	return min(max(z, 1), 60)
}

// UTM returns the transverse Mercator projection of UTM zone (1–60),
// southern hemisphere when south (false northing 10,000 km), on GRS80
// (the ellipsoid of RGAF09, RGFG95, RGR92 and RGM04; WGS84's differs by
// 0.1 mm). It uses Krüger's series in the third flattening n to order n⁴
// (Karney 2011, "Transverse Mercator with an accuracy of a few
// nanometers", eqs. 7, 9 and 35), accurate to well under a millimetre
// within a zone:
//
//	A  = a/(1+n) · (1 + n²/4 + n⁴/64)
//	t  = sinh(atanh(sin φ) − e' atanh(e' sin φ)),  e' = 2√n/(1+n)
//	ξ' = atan(t / cos Δλ),  η' = atanh(sin Δλ / √(1+t²))
//	ξ  = ξ' + Σ αj sin(2jξ') cosh(2jη'),  η = η' + Σ αj cos(2jξ') sinh(2jη')
//	x  = 500,000 + k0·A·η,  y = N0 + k0·A·ξ,  k0 = 0.9996
func UTM(zone int, south bool) Projection {
	n := grs80F / (2 - grs80F)
	n2, n3, n4 := n*n, n*n*n, n*n*n*n
	A := grs80A / (1 + n) * (1 + n2/4 + n4/64)
	alpha := [4]float64{
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180,
		13*n2/48 - 3*n3/5 + 557*n4/1440,
		61*n3/240 - 103*n4/140,
		49561 * n4 / 161280,
	}
	ep := 2 * math.Sqrt(n) / (1 + n)
	lon0 := float64(6*zone - 183)
	n0, hemi := 0.0, "N"
	if south {
		n0, hemi = 10000000, "S"
	}
	rad := math.Pi / 180
	fwd := func(lon, lat float64) (float64, float64) {
		phi, dl := lat*rad, (lon-lon0)*rad
		t := math.Sinh(math.Atanh(math.Sin(phi)) - ep*math.Atanh(ep*math.Sin(phi)))
		xi := math.Atan2(t, math.Cos(dl))
		eta := math.Atanh(math.Sin(dl) / math.Sqrt(1+t*t))
		x, y := eta, xi
		for j, a := range alpha {
			k := float64(2 * (j + 1))
			x += a * math.Cos(k*xi) * math.Sinh(k*eta)
			y += a * math.Sin(k*xi) * math.Cosh(k*eta)
		}
		return 500000 + 0.9996*A*x, n0 + 0.9996*A*y
	}
	return Projection{Name: fmt.Sprintf("UTM %d%s", zone, hemi), Forward: fwd}
}

// InMetropole reports whether a lon/lat point lies in the box of
// metropolitan France and Corsica (−5.5° to 10° E, 41° to 51.5° N).
func InMetropole(lon, lat float64) bool {
	return lon >= -5.5 && lon <= 10 && lat >= 41 && lat <= 51.5
}

// Gridded returns p interpolated bilinearly between its values at the
// nodes of a grid of step degrees covering the longitudes lon0…lon1 and
// latitudes lat0…lat1, and exact elsewhere: it projects the n vertices
// of a map's polygons for the price of the grid's nodes plus n
// interpolations (the national map: 1.7 million vertices). Bilinear
// interpolation errs by at most step²/8 times the second derivatives of
// p (Lambert-93: |∂²y/∂λ²| = ρ·n²·cos γ ≈ 3·10⁶ m/rad²): at step = 0.1°,
// about a metre over metropolitan France (TestGridded), a thousandth of
// a pixel on the national map. The name is p's.
func (p Projection) Gridded(lon0, lat0, lon1, lat1, step float64) Projection {
	nx := int(math.Ceil((lon1-lon0)/step)) + 1
	ny := int(math.Ceil((lat1-lat0)/step)) + 1
	if !(step > 0) || nx < 2 || ny < 2 || nx*ny > 1<<22 {
		return p
	}
	xy := make([][2]float64, nx*ny)
	for j := range ny {
		for i := range nx {
			x, y := p.Forward(lon0+float64(i)*step, lat0+float64(j)*step)
			xy[j*nx+i] = [2]float64{x, y}
		}
	}
	exact := p.Forward
	inv := 1 / step
	fwd := func(lon, lat float64) (float64, float64) {
		u, v := (lon-lon0)*inv, (lat-lat0)*inv
		if !(u >= 0 && v >= 0 && u <= float64(nx-1) && v <= float64(ny-1)) {
			return exact(lon, lat)
		}
		i, j := min(int(u), nx-2), min(int(v), ny-2)
		fu, fv := u-float64(i), v-float64(j)
		a, b := xy[j*nx+i], xy[j*nx+i+1]
		c, d := xy[(j+1)*nx+i], xy[(j+1)*nx+i+1]
		x := (a[0]*(1-fu)+b[0]*fu)*(1-fv) + (c[0]*(1-fu)+d[0]*fu)*fv
		y := (a[1]*(1-fu)+b[1]*fu)*(1-fv) + (c[1]*(1-fu)+d[1]*fu)*fv
		return x, y
	}
	return Projection{Name: p.Name, Forward: fwd}
}
