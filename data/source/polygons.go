package source

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"diagnum/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// ReadPolygons reads a GeoJSON FeatureCollection of Polygon or
// MultiPolygon features whose properties hold `code` (a string: INSEE code
// of a commune, or département or région code) and `nom`, as in the
// france-geojson files (gregoiredavid/france-geojson, IGN ADMIN EXPRESS COG
// 2018). It returns code → MultiPolygon, each oriented by OrientRFC7946.
//
// Every ring must be closed (first point = last point), hold at least 4
// points and not cross itself (two edges crossing or overlapping; a ring
// pinched at a vertex is accepted), every coordinate must be finite with
// |lon| ≤ 180 and |lat| ≤ 90, and codes must be unique. The first feature breaking a rule makes the
// whole file fail with a *ParseError naming the feature (index, code and
// line); a collection without features fails with ErrEmptyFile.
func ReadPolygons(name string, r io.Reader) (map[string]orb.MultiPolygon, error) {
	out := map[string]orb.MultiPolygon{}
	err := data.ReadFeatures(name, r, func(i, line int, msg json.RawMessage) error {
		var f struct {
			Properties geojson.Properties `json:"properties"`
			Geometry   json.RawMessage    `json:"geometry"`
		}
		if err := json.Unmarshal(msg, &f); err != nil {
			return &data.ParseError{File: name, Line: line, Err: fmt.Errorf("objet (feature) %d : %w : %w", i, data.ErrBadValue, data.JSONValueError(err))}
		}
		code := propString(f.Properties, "code")
		fail := func(err error) error {
			return &data.ParseError{File: name, Line: line, Err: fmt.Errorf("objet (feature) %d (code %q) : %w", i, code, err)}
		}
		mp, err := decodeMultiPolygon(f.Geometry)
		switch {
		case err != nil:
			return fail(err)
		case code == "":
			return fail(fmt.Errorf("%w : propriété \"code\" absente ou pas un texte", data.ErrBadCode))
		case out[code] != nil:
			return fail(fmt.Errorf("%w : code déjà vu", data.ErrDuplicate))
		}
		out[code] = OrientRFC7946(mp)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &data.ParseError{File: name, Err: fmt.Errorf("%w : aucun objet (feature)", data.ErrEmptyFile)}
	}
	return out, nil
}

// decodeMultiPolygon decodes and validates a Polygon or MultiPolygon
// geometry. Positions are decoded as lists, so that an empty or
// one-number position is an error rather than a zero coordinate; a third
// number (altitude) is dropped.
func decodeMultiPolygon(raw json.RawMessage) (orb.MultiPolygon, error) {
	if r := bytes.TrimSpace(raw); len(r) == 0 || string(r) == "null" {
		return nil, fmt.Errorf("%w : pas de géométrie", data.ErrBadValue)
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("%w : géométrie : %w", data.ErrBadValue, data.JSONValueError(err))
	}
	var c [][][][]float64
	var err error
	switch g.Type {
	case "Polygon":
		c = make([][][][]float64, 1)
		err = json.Unmarshal(g.Coordinates, &c[0])
	case "MultiPolygon":
		err = json.Unmarshal(g.Coordinates, &c)
	default:
		return nil, fmt.Errorf("%w : géométrie %s (attendu Polygon ou MultiPolygon)", data.ErrBadValue, g.Type[:min(len(g.Type), 30)])
	}
	if err != nil {
		return nil, fmt.Errorf("%w : coordonnées du %s : %w", data.ErrBadValue, g.Type, data.JSONValueError(err))
	}
	mp := make(orb.MultiPolygon, len(c))
	for pi, p := range c {
		mp[pi] = make(orb.Polygon, len(p))
		for ri, ring := range p {
			mp[pi][ri] = make(orb.Ring, len(ring))
			for k, pos := range ring {
				if len(pos) < 2 || len(pos) > 3 {
					return nil, fmt.Errorf("polygone %d anneau %d : %w : la position %d vaut %v, attendu [longitude, latitude]",
						pi, ri, data.ErrBadCoordinate, k, pos)
				}
				mp[pi][ri][k] = orb.Point{pos[0], pos[1]}
			}
		}
	}
	return multiPolygonOf(mp)
}

// multiPolygonOf validates mp and returns it.
func multiPolygonOf(mp orb.MultiPolygon) (orb.MultiPolygon, error) {
	if len(mp) == 0 {
		return nil, fmt.Errorf("%w : MultiPolygon vide", data.ErrBadValue)
	}
	for pi, p := range mp {
		if len(p) == 0 {
			return nil, fmt.Errorf("%w : le polygone %d n'a aucun anneau", data.ErrBadValue, pi)
		}
		for ri, ring := range p {
			if err := checkRing(ring); err != nil {
				return nil, fmt.Errorf("polygone %d anneau %d : %w", pi, ri, err)
			}
		}
	}
	return mp, nil
}

// checkRing tells why a ring is not a valid closed ring of finite lon/lat.
func checkRing(ring orb.Ring) error {
	if len(ring) < 4 {
		return fmt.Errorf("%w : %d points (un anneau en demande au moins 4)", data.ErrBadValue, len(ring))
	}
	for _, p := range ring {
		lon, lat := p[0], p[1]
		if math.IsNaN(lon) || math.IsNaN(lat) || math.Abs(lon) > 180 || math.Abs(lat) > 90 {
			return fmt.Errorf("%w : [%v, %v] n'est pas une position lon/lat", data.ErrBadCoordinate, lon, lat)
		}
	}
	if ring[0] != ring[len(ring)-1] {
		return fmt.Errorf("%w : anneau non fermé (premier point %v, dernier %v)", data.ErrBadValue, ring[0], ring[len(ring)-1])
	}
	if i, j, at, ok := ringCrossing(ring); ok {
		return fmt.Errorf("%w : l'anneau se recoupe : les côtés %d et %d se croisent en [%.6f, %.6f]", data.ErrBadValue, i, j, at[0], at[1])
	}
	return nil
}

// OrientRFC7946 applies the right-hand rule of RFC 7946 §3.1.6 to mp:
// the exterior ring of each polygon counter-clockwise, its holes
// clockwise, in lon/lat (planar signed area). Rings are reversed in place
// and mp is returned; rings of zero area are left as they are.
func OrientRFC7946(mp orb.MultiPolygon) orb.MultiPolygon {
	for _, p := range mp {
		for i, ring := range p {
			if len(ring) < 3 {
				continue
			}
			want := orb.CW
			if i == 0 {
				want = orb.CCW
			}
			if o := ring.Orientation(); o != 0 && o != want {
				ring.Reverse()
			}
		}
	}
	return mp
}

// FoldPolygons maps the codes of polys (commune polygons of an older COG,
// e.g. the 2018 france-geojson files) to the communes actuelles of res.
// The polygons of codes that no longer exist are appended to the
// MultiPolygon of the commune that absorbed them (the union is a
// MultiPolygon holding both; shared borders are not dissolved): the
// absorbing commune's own polygons come first, then the absorbed ones in
// code order. A code res does not know is dropped with a Warning naming
// file (foldByCommune). polys is not changed.
func FoldPolygons(file string, polys map[string]orb.MultiPolygon, res Resolver) (map[string]orb.MultiPolygon, data.Checks) {
	var checks data.Checks
	out := foldByCommune(file, "code", polys, res, func(a, b orb.MultiPolygon) orb.MultiPolygon {
		return append(slices.Clip(a), b...) // a new array: polys keeps its own
	}, &checks)
	return out, checks
}

// AttachPolygons sets Commune.Polygon from polys (keyed by commune code)
// and returns the number of communes that got one.
func AttachPolygons(communes []data.Commune, polys map[string]orb.MultiPolygon) int {
	n := 0
	for i := range communes {
		if mp, ok := polys[communes[i].Code]; ok {
			communes[i].Polygon = mp
			n++
		}
	}
	return n
}

// propString returns the trimmed string property key, or "" when it is
// absent or not a string.
func propString(p geojson.Properties, key string) string {
	s, _ := p[key].(string)
	return strings.TrimSpace(s)
}

// readFeatures streams the features of a GeoJSON FeatureCollection,
// calling fn with each feature's index, the line where it starts, and the
// decoded feature. An error from fn stops the reading and is returned.
func readFeatures(name string, r io.Reader, fn func(i, line int, f *geojson.Feature) error) error {
	return data.ReadFeatures(name, r, func(i, line int, msg json.RawMessage) error {
		f, err := geojson.UnmarshalFeature(msg)
		if err != nil {
			return &data.ParseError{File: name, Line: line, Err: fmt.Errorf("objet (feature) %d : %w : %w", i, data.ErrBadValue, data.JSONValueError(err))}
		}
		return fn(i, line, f)
	})
}
