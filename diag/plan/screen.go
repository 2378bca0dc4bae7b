package plan

import (
	"errors"
	"fmt"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// Reasons a candidate of a file is refused (ScreenCandidates), for
// errors.Is.
var (
	ErrCandidateOutside = errors.New("candidat hors du territoire")
	ErrCandidateAtSea   = errors.New("candidat hors de toute commune (en mer ?)")
	ErrCandidateEmpty   = errors.New("candidat dans une commune sans habitants")
)

// Screening distances: a candidate more than CoastKm from the polygon of
// every commune, or, where its commune has no polygon, more than
// NoPolygonKm from the commune's representative point, is at sea.
const (
	CoastKm     = 2.0
	NoPolygonKm = 25.0
)

// ScreenCandidates returns the candidates of a file (sites read by
// data.LoadSitesCSV, file its name) that may receive a post for territory
// t, and a Rejected check, naming the file and line, for each other one:
// a candidate that no commune can hold or that lies at sea (CoastKm,
// NoPolygonKm), one whose commune is outside t, and one whose commune
// has no inhabitants. Nothing is dropped silently: the caller lists the
// checks in Contrôles, or stops under --strict.
func ScreenCandidates(b *diag.Baseline, t diag.Territory, file string, sites []data.Site) ([]Candidate, data.Checks) {
	ds := b.Dataset()
	cands := assignCandidates(b, SiteCandidates(sites))
	var polys *geo.PolygonIndex
	mps := make([]orb.MultiPolygon, len(ds.Communes))
	anyPoly := false
	for i, c := range ds.Communes {
		if len(c.Polygon) > 0 {
			mps[i], anyPoly = c.Polygon, true
		}
	}
	if anyPoly {
		polys = geo.NewPolygonIndex(mps)
	}
	var out []Candidate
	var checks data.Checks
	for k, c := range cands {
		err := screen(b, t, polys, c)
		if err == nil {
			out = append(out, c)
			continue
		}
		checks.Reject(&data.ParseError{File: file, Line: sites[k].Line, Column: "latitude", Err: err})
	}
	return out, checks
}

// screen returns why candidate c cannot receive a post, or nil.
func screen(b *diag.Baseline, t diag.Territory, polys *geo.PolygonIndex, c Candidate) error {
	ds := b.Dataset()
	i, ok := ds.CommuneIndex(c.Commune)
	if !ok {
		return fmt.Errorf("%w : %s (%.5f, %.5f) n'est dans aucune commune", ErrCandidateAtSea, c.ID, c.Point[1], c.Point[0])
	}
	com := &ds.Communes[i]
	switch {
	case len(com.Polygon) > 0 && polys != nil:
		if _, _, in := polys.LocateNearest(c.Point, CoastKm); !in {
			return fmt.Errorf("%w : %s (%.5f, %.5f) est à plus de %g km de tout contour communal", ErrCandidateAtSea, c.ID, c.Point[1], c.Point[0], CoastKm)
		}
	default:
		if p, ok := b.Location(i); ok && geo.HaversineKm(p, c.Point) > NoPolygonKm {
			return fmt.Errorf("%w : %s est à %.0f km du point de sa commune %s", ErrCandidateAtSea, c.ID, geo.HaversineKm(p, c.Point), com.Code)
		}
	}
	if !t.Contains(com.Dep, com.Region) {
		return fmt.Errorf("%w : %s est à %s %s (département %s)", ErrCandidateOutside, c.ID, com.Code, com.Name, com.Dep)
	}
	if com.Population <= 0 {
		return fmt.Errorf("%w : %s est à %s %s", ErrCandidateEmpty, c.ID, com.Code, com.Name)
	}
	return nil
}
