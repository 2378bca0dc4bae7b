package diag

import (
	"context"
	"math"
	"slices"
	"sync"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// Assign places every site of ds in one existing commune and returns a
// copy of ds.Sites with Site.Commune set (ds is not modified):
//
//  1. the commune whose polygon contains the site's point, where polygons
//     are loaded (the lowest commune index when polygons overlap);
//  2. otherwise the declared INSEE code, mapped through ds.Renamed when it
//     is an old code or a municipal arrondissement, if that commune exists;
//  3. failing that, the commune whose point is nearest (great circle);
//     where the polygons tile France, only within polygonAreaKm of it.
//
// When the polygons tile France (Dataset.PolygonsTileFrance, the embedded
// national set) and cover the area (the commune with the nearest point
// has a polygon: everywhere but the COM), a point inside no polygon is either just off a coast or in a
// sliver between simplified polygons, and goes to the commune whose
// boundary is nearest if it is at most OffshoreKm away (a Warning naming
// the distance), or lies outside France (Geneva, Lausanne, Tournai are 5
// to 10 km beyond the border): the site is then refused (a Rejected
// check), whatever code it declares. No bounding box is used.
//
// Every disagreement between a declared code (after Renamed) and the
// polygon commune is a Warning naming the site id and both codes; so is a
// declared code that names no commune. A site that none of the three
// rules can place (no usable point and no known code, or no located
// commune at all) keeps Commune == "" and is a Rejected check.
//
// A site marked Placed keeps its Commune, without a check, when the data
// set's PlacedSites is set: the embedded sites, which make data placed by
// these rules against the same communes (data.Dataset.PlacedSites).
//
// Sites are placed on all cores; the checks come out in site order.
func Assign(ds *data.Dataset) ([]data.Site, data.Checks) {
	sites, per := newAssigner(ds).assignAll(ds.Sites)
	return sites, slices.Concat(per...)
}

// assignAll places a copy of sites (Assign) and returns the checks of
// each site apart.
func (a *assigner) assignAll(sites []data.Site) ([]data.Site, []data.Checks) {
	sites = slices.Clone(sites)
	per := make([]data.Checks, len(sites))
	_ = parallel(context.Background(), len(sites), defaultWorkers(), func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			sites[i].Commune = a.assign(&sites[i], &per[i])
		}
		return nil
	})
	return sites, per
}

// assigner holds the indexes used to place sites. They are built on the
// first site that needs them (index): a run whose sites all keep their
// stored commune (data.Site.Placed) builds none.
type assigner struct {
	ds      *data.Dataset
	placed  bool // Dataset.PlacedSites: keep Site.Commune of Placed sites
	once    sync.Once
	byCode  map[string]int
	renamed map[string]string
	polys   *geo.PolygonIndex // nil when no commune has a polygon
	hasPoly []bool            // by commune index: whether it has a polygon
	tiled   bool              // Dataset.PolygonsTileFrance
	points  *geo.PointIndex   // over the communes with HasPoint
	pts     []orb.Point       // their points
	ptOwner []int             // points index -> commune index
	codes   []string
}

func newAssigner(ds *data.Dataset) *assigner {
	return &assigner{ds: ds, placed: ds.PlacedSites}
}

// index builds the indexes, once.
func (a *assigner) index() {
	a.once.Do(func() {
		ds := a.ds
		a.byCode, a.renamed, a.codes, a.tiled = communeIndex(ds), ds.Renamed, make([]string, len(ds.Communes)), ds.PolygonsTileFrance
		polys := make([]orb.MultiPolygon, len(ds.Communes))
		anyPoly := false
		for i, c := range ds.Communes {
			a.codes[i] = c.Code
			if len(c.Polygon) > 0 {
				polys[i], anyPoly = c.Polygon, true
			}
			if c.HasPoint && finitePoint(c.Point) {
				a.pts = append(a.pts, c.Point)
				a.ptOwner = append(a.ptOwner, i)
			}
		}
		if anyPoly {
			a.polys = geo.NewPolygonIndex(polys)
			a.hasPoly = make([]bool, len(polys))
			for i, mp := range polys {
				a.hasPoly[i] = len(mp) > 0
			}
		}
		if len(a.pts) > 0 {
			a.points = geo.NewPointIndex(a.pts)
		}
	})
}

// communeIndex maps INSEE codes to their index in ds.Communes.
func communeIndex(ds *data.Dataset) map[string]int {
	m := make(map[string]int, len(ds.Communes))
	for i, c := range ds.Communes {
		m[c.Code] = i
	}
	return m
}

// current maps a declared code to an existing commune code by
// data.ResolveINSEE, or returns "" when it names none.
func (a *assigner) current(code string) string {
	cur, _ := data.ResolveINSEE(code, a.isCommune, a.renamed)
	return cur
}

func (a *assigner) isCommune(code string) bool {
	_, ok := a.byCode[code]
	return ok
}

func (a *assigner) assign(s *data.Site, checks *data.Checks) string {
	p := a.place(s)
	if c, ok := placeCheck(s, p); ok {
		checks.Add(c)
	}
	return p.Commune
}

// Placements places every site of ds as Assign does and returns where,
// with the check each placement gives (make data stores them).
func Placements(ds *data.Dataset) []data.Placement {
	a := newAssigner(ds)
	out := make([]data.Placement, len(ds.Sites))
	_ = parallel(context.Background(), len(out), defaultWorkers(), func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			out[i] = a.place(&ds.Sites[i])
		}
		return nil
	})
	return out
}

// place places s by the rules of Assign.
func (a *assigner) place(s *data.Site) data.Placement {
	if a.placed && s.Placed {
		if p, ok := a.ds.Placements[s.ID]; ok {
			return p
		}
		return data.Placement{Commune: s.Commune}
	}
	a.index()
	declared := ""
	if s.INSEE != "" {
		declared = a.current(s.INSEE)
	}
	usable := finitePoint(s.Point)
	if usable && a.polys != nil {
		if i, ok := a.polys.Locate(s.Point); ok {
			found := a.codes[i]
			if s.INSEE != "" && declared != found {
				return data.Placement{Commune: found, Check: data.PlaceDisagree, Declared: declared}
			}
			return data.Placement{Commune: found}
		}
		if k, km, ok := a.offPolygon(s.Point, nil); ok {
			if k < 0 {
				return data.Placement{Check: data.PlaceOutside}
			}
			return data.Placement{Commune: a.codes[k], Check: data.PlaceOffshore, Km: km}
		}
	}
	if declared != "" {
		return data.Placement{Commune: declared}
	}
	if usable && len(a.pts) > 0 {
		k := a.nearestCommune(s.Point, nil)
		if k < 0 {
			return data.Placement{Check: data.PlaceOutside}
		}
		if s.INSEE != "" {
			return data.Placement{Commune: a.codes[k], Check: data.PlaceNearest}
		}
		return data.Placement{Commune: a.codes[k]}
	}
	return data.Placement{Check: data.PlaceUnplaced}
}

// placePoint places point p of a unit that declares no commune (a demand
// unit) by the rules of Assign, as place places a site without INSEE
// code: it returns the commune's index, -1 when the point is refused, and
// the check (PlaceOK, PlaceOffshore, PlaceOutside or PlaceUnplaced).
// parts holds the polygon parts whose bounds meet a box around p
// (geo.PolygonIndex.AppendParts; nil: searched here), and near (may be
// nil) what a group of nearby units knows of the commune points
// (pointNear): a group searches the polygon tree once and the points'
// tree once or from a neighbour's answer, with the results of place.
func (a *assigner) placePoint(p orb.Point, parts []int32, near *pointNear) (int, data.PlaceCheck) {
	a.index()
	if !finitePoint(p) {
		return -1, data.PlaceUnplaced
	}
	if a.polys != nil {
		i, ok := 0, false
		if parts != nil {
			i, ok = a.polys.LocateIn(p, parts)
		} else {
			i, ok = a.polys.Locate(p)
		}
		if ok {
			return i, data.PlaceOK
		}
		if k, _, ok := a.offPolygon(p, near); ok {
			if k < 0 {
				return -1, data.PlaceOutside
			}
			return k, data.PlaceOffshore
		}
	}
	if len(a.pts) == 0 {
		return -1, data.PlaceUnplaced
	}
	if k := a.nearestCommune(p, near); k >= 0 {
		return k, data.PlaceOK
	}
	return -1, data.PlaceOutside
}

// offPolygon judges a point in no polygon where polygons cover the area
// (polygonArea): ok is true, with the commune whose boundary is at most
// OffshoreKm away and that distance, or k = −1 when none is (the point
// is outside France). ok is false where polygons do not cover the area.
// near is as for placePoint.
func (a *assigner) offPolygon(p orb.Point, near *pointNear) (k int, km float64, ok bool) {
	if !a.polygonArea(p, near) {
		return -1, 0, false
	}
	if i, km, ok := a.polys.LocateNearest(p, OffshoreKm); ok {
		return i, km, true
	}
	return -1, 0, true
}

// nearestCommune returns the commune whose point is nearest to p, or −1
// where polygons tile France and it lies farther than polygonAreaKm: a
// point in no polygon and that far from every commune is not in France
// (the open Atlantic, a COM), refused, never given to the nearest
// commune. near is as for placePoint.
func (a *assigner) nearestCommune(p orb.Point, near *pointNear) int {
	n, ok := a.nearestPoint(p, near)
	if !ok || a.tiled && n.Km > polygonAreaKm {
		return -1
	}
	return a.ptOwner[n.Index]
}

// pointNear is what a group of nearby units knows of the commune points
// (indexes of assigner.points) for their nearest-point searches.
type pointNear struct {
	// cands, when not nil, holds every commune point that can be the
	// nearest to a unit of the group (geo.PointIndex.NearestAmong);
	cands []geo.Neighbor
	// otherwise hint is the point nearest to the last unit placed, −1 for
	// none, where the next search starts (geo.PointIndex.NearestOneFrom).
	hint int
}

// nearestPoint is the commune point nearest to p: NearestOne, found
// among near's candidates or from its hint, which it updates (near may
// be nil).
func (a *assigner) nearestPoint(p orb.Point, near *pointNear) (geo.Neighbor, bool) {
	switch {
	case near == nil:
		return a.points.NearestOne(p)
	case near.cands != nil:
		return a.points.NearestAmong(p, near.cands)
	}
	n, ok := a.points.NearestOneFrom(p, near.hint)
	if ok {
		near.hint = n.Index
	}
	return n, ok
}

// placeCheck is the check that placement p of site s gives, if any.
func placeCheck(s *data.Site, p data.Placement) (data.Check, bool) {
	switch p.Check {
	case data.PlaceDisagree:
		return checkDisagree(s, p.Declared, p.Commune), true
	case data.PlaceNearest:
		return checkNearest(s, p.Commune), true
	case data.PlaceOffshore:
		return checkOffshore(s, p.Commune, p.Km), true
	case data.PlaceOutside:
		return checkOutside(s), true
	case data.PlaceUnplaced:
		return checkUnplaced(s), true
	}
	return data.Check{}, false
}

// OffshoreKm is the largest distance from a commune polygon at which a
// point in no polygon is still taken as in France (Assign): a place on a
// quay or a beach, or in a sliver between simplified polygons (about 50 m,
// see data/gen), while the nearest foreign towns (Geneva, Tournai) lie 5 km
// or more beyond the border.
const OffshoreKm = 2.0

// polygonAreaKm bounds the distance to the nearest commune point within
// which polygons are taken to cover the area (polygonArea): far beyond
// every commune of the data set (Saint-Martin is 230 km from Guadeloupe)
// a point is not judged by the polygons.
const polygonAreaKm = 50.0

// polygonArea tells whether the commune with the point nearest to p has a
// polygon and lies within polygonAreaKm, i.e. whether polygons cover the
// area around p. near is as for placePoint.
func (a *assigner) polygonArea(p orb.Point, near *pointNear) bool {
	if !a.tiled || a.points == nil || a.hasPoly == nil {
		return false
	}
	n, ok := a.nearestPoint(p, near)
	return ok && n.Km <= polygonAreaKm && a.hasPoly[a.ptOwner[n.Index]]
}

// finitePoint reports whether p is a usable lon/lat point.
func finitePoint(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0) &&
		p[1] >= -90 && p[1] <= 90 && p[0] >= -180 && p[0] <= 180
}

// ReplaceSites returns the sites of ds with user's sites in place of the
// sites of ds of the kinds user contains, inside territory t only: a site
// of ds is dropped when its kind is one of the user's kinds and Assign
// places it in a commune of t. Every other site of ds stays (other kinds,
// and every site outside t: the neighbours' sites, so the measures of the
// rest of France and the national median access do not change). The
// user's sites follow, in their order. dropped holds the IDs of the sites
// of ds that were dropped.
func ReplaceSites(ds *data.Dataset, user []data.Site, t Territory) (sites []data.Site, dropped map[string]bool) {
	kinds := map[data.SiteKind]bool{}
	for _, s := range user {
		kinds[s.Kind] = true
	}
	placed, _ := Assign(ds)
	dropped = map[string]bool{}
	for i, s := range placed {
		if kinds[s.Kind] {
			if j, ok := ds.CommuneIndex(s.Commune); ok && t.Contains(ds.Communes[j].Dep, ds.Communes[j].Region) {
				dropped[s.ID] = true
				continue
			}
		}
		sites = append(sites, ds.Sites[i])
	}
	return append(sites, user...), dropped
}
