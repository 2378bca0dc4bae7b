package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"diagnum/data"
	"diagnum/diag"
)

// GeoJSONCommuneProperties are the properties of a commune feature of
// WriteGeoJSON, in the order written: the columns of CommuneColumns (as
// CSVHeader), then layer ("communes").
var GeoJSONCommuneProperties = append(append([]string(nil), CSVHeader...), "layer")

// GeoJSONSiteProperties are the properties of a site feature, in the
// order written: id, nom, type (data.SiteKind code), etp (the FTE of the
// site's row), etp_retenu (the FTE counted as supply, 0 when not counted),
// code_insee (commune assigned by the spatial join), compte (1 when the
// site's kind counts as supply, else 0) and layer ("sites").
var GeoJSONSiteProperties = []string{"id", "nom", "type", "etp", "etp_retenu", "code_insee", "compte", "layer"}

// geojsonDecimals is the number of decimals of coordinates and measures:
// 6 decimals of a degree are 0.11 m at the equator.
const geojsonDecimals = 6

// coordScale is 10^geojsonDecimals.
const coordScale = 1e6

// WriteGeoJSON writes one RFC 7946 FeatureCollection holding a feature per
// commune of communes (in the order given), then a feature per site of
// sites (pass nil for none; diag.View.SiteResults gives those of a territory).
//
// A commune's geometry is its polygon in ds (always written as a
// MultiPolygon) when one is loaded, else its representative point, else
// null. Its feature has the INSEE code as id and the properties
// GeoJSONCommuneProperties, valued as in WriteCSV: codes as strings,
// population, nb_sites and rang as integers, couvert as 1 or 0, the other
// measures as numbers rounded to 6 decimals (trailing zeros dropped), and
// null for a measure that is not a finite number (temps_site_proche_min
// with no counted site, indice_fragilite when unknown); layer is
// "communes". A site is a Point feature with the properties
// GeoJSONSiteProperties, layer "sites" (null geometry if its point is not
// finite).
//
// Coordinates are WGS84 longitude, latitude rounded to 6 decimals. Rings
// are closed, hold at least 4 positions (shorter rings are dropped) and
// follow the right-hand rule, checked after rounding: exterior rings
// counter-clockwise, holes clockwise. ds is not modified. Properties are
// written in a fixed order, so the same input gives the same bytes.
//
// QGIS and most GIS read one geometry type per layer best: the CLI also
// writes the sites alone with WriteSitesGeoJSON, to <name>-sites.geojson
// beside <name>.geojson.
func WriteGeoJSON(w io.Writer, communes []diag.CommuneResult, ds *data.Dataset, sites []diag.SiteResult) error {
	if ds == nil {
		return errors.New("écriture du GeoJSON : rapport sans jeu de données")
	}
	g := newGeoWriter(w)
	for i := range communes {
		g.commune(&communes[i], ds)
	}
	for i := range sites {
		g.site(&sites[i])
	}
	if err := g.close(); err != nil {
		return fmt.Errorf("écriture du GeoJSON : %w", err)
	}
	return nil
}

// WriteSitesGeoJSON writes the sites alone as an RFC 7946
// FeatureCollection of Point features, as WriteGeoJSON writes them.
func WriteSitesGeoJSON(w io.Writer, sites []diag.SiteResult) error {
	g := newGeoWriter(w)
	for i := range sites {
		g.site(&sites[i])
	}
	if err := g.close(); err != nil {
		return fmt.Errorf("écriture du GeoJSON des lieux : %w", err)
	}
	return nil
}

// geoWriter writes a FeatureCollection, one feature a line. Write errors
// are kept by the bufio.Writer and returned by close.
type geoWriter struct {
	b     *bufio.Writer
	n     int    // features written
	num   []byte // scratch for numbers
	props int    // properties written in the current feature
}

func newGeoWriter(w io.Writer) *geoWriter {
	g := &geoWriter{b: bufio.NewWriterSize(w, 64<<10)}
	g.b.WriteString(`{"type":"FeatureCollection","features":[`)
	return g
}

// close ends the collection and flushes it.
func (g *geoWriter) close() error {
	if g.n > 0 {
		g.b.WriteByte('\n')
	}
	g.b.WriteString("]}\n")
	return g.b.Flush()
}

// begin starts a feature with an optional id.
func (g *geoWriter) begin(id string) {
	if g.n > 0 {
		g.b.WriteByte(',')
	}
	g.b.WriteString("\n{\"type\":\"Feature\"")
	if id != "" {
		g.b.WriteString(`,"id":`)
		g.str(id)
	}
	g.n++
	g.props = 0
}

// commune writes the feature of commune c.
func (g *geoWriter) commune(c *diag.CommuneResult, ds *data.Dataset) {
	g.begin(c.Code)
	g.b.WriteString(`,"geometry":`)
	var dc *data.Commune
	if i, ok := ds.CommuneIndex(c.Code); ok {
		dc = &ds.Communes[i]
	}
	if dc == nil || !g.multiPolygon(dc.Polygon) {
		g.point(dc != nil && dc.HasPoint, func() orb.Point { return dc.Point })
	}
	g.b.WriteString(`,"properties":{`)
	for i := range CommuneColumns {
		CommuneColumns[i].geoProperty(g, c)
	}
	g.propStr("layer", "communes")
	g.b.WriteString("}}")
}

// site writes the feature of site s.
func (g *geoWriter) site(s *diag.SiteResult) {
	g.begin("")
	g.b.WriteString(`,"geometry":`)
	g.point(true, func() orb.Point { return s.Point })
	g.b.WriteString(`,"properties":{`)
	g.propStr("id", s.ID)
	g.propStr("nom", s.Name)
	g.propStr("type", s.Kind.String())
	g.propExact("etp", s.FTE)
	g.propExact("etp_retenu", s.SupplyFTE)
	g.propStr("code_insee", s.Commune)
	g.propInt("compte", b2i(s.Counted))
	g.propStr("layer", "sites")
	g.b.WriteString("}}")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// point writes a Point geometry, or null when !ok or the point is not finite.
func (g *geoWriter) point(ok bool, p func() orb.Point) {
	if ok {
		if q, fin := roundPoint(p()); fin {
			g.b.WriteString(`{"type":"Point","coordinates":`)
			g.position(q)
			g.b.WriteByte('}')
			return
		}
	}
	g.b.WriteString("null")
}

// multiPolygon writes mp as a MultiPolygon and reports whether it had a
// valid polygon; nothing is written when it had none.
func (g *geoWriter) multiPolygon(mp orb.MultiPolygon) bool {
	polys := roundMultiPolygon(mp)
	if len(polys) == 0 {
		return false
	}
	g.b.WriteString(`{"type":"MultiPolygon","coordinates":[`)
	for i, p := range polys {
		if i > 0 {
			g.b.WriteByte(',')
		}
		g.b.WriteByte('[')
		for j, r := range p {
			if j > 0 {
				g.b.WriteByte(',')
			}
			g.b.WriteByte('[')
			for k, q := range r {
				if k > 0 {
					g.b.WriteByte(',')
				}
				g.position(q)
			}
			g.b.WriteByte(']')
		}
		g.b.WriteByte(']')
	}
	g.b.WriteString("]}")
	return true
}

// roundMultiPolygon returns a copy of mp with coordinates rounded to
// geojsonDecimals, rings closed and oriented by the right-hand rule.
// Rings with a non-finite coordinate or fewer than 4 positions are
// dropped, and so is a polygon whose exterior ring is.
func roundMultiPolygon(mp orb.MultiPolygon) []orb.Polygon {
	var out []orb.Polygon
	for _, p := range mp {
		var q orb.Polygon
		for j, r := range p {
			rr, ok := roundRing(r, j == 0)
			if !ok {
				if j == 0 {
					break
				}
				continue
			}
			q = append(q, rr)
		}
		if len(q) > 0 {
			out = append(out, q)
		}
	}
	return out
}

// roundRing rounds, closes and orients one ring: counter-clockwise when
// exterior, clockwise for a hole (planar signed area in lon/lat, computed
// on the rounded coordinates; a ring of zero area is left as it is).
func roundRing(r orb.Ring, exterior bool) (orb.Ring, bool) {
	out := make(orb.Ring, 0, len(r)+1)
	for _, p := range r {
		q, ok := roundPoint(p)
		if !ok {
			return nil, false
		}
		out = append(out, q)
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	if len(out) < 4 {
		return nil, false
	}
	if a := shoelace(out); (exterior && a < 0) || (!exterior && a > 0) {
		out.Reverse()
	}
	return out, true
}

// shoelace returns twice the signed area of a closed ring:
// Σ (x_i y_{i+1} − x_{i+1} y_i), positive when counter-clockwise.
func shoelace(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s
}

// roundPoint rounds p to geojsonDecimals (half away from zero, in binary:
// round(v·coordScale)/coordScale, whose shortest decimal form has at most 6 decimals);
// false when a coordinate is not finite.
func roundPoint(p orb.Point) (orb.Point, bool) {
	x, y := p[0], p[1]
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		return orb.Point{}, false
	}
	return orb.Point{math.Round(x*coordScale)/coordScale + 0, math.Round(y*coordScale)/coordScale + 0}, true
}

// roundDecimal rounds v to geojsonDecimals decimals, correctly (through
// the decimal form, as strconv's 'f' format rounds); false when v is NaN
// or infinite. -0 becomes 0.
func roundDecimal(v float64) (float64, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', geojsonDecimals, 64), 64)
	if err != nil {
		return 0, false
	}
	return r + 0, true // + 0 turns -0 into 0
}

// position writes [x,y].
func (g *geoWriter) position(p orb.Point) {
	g.b.WriteByte('[')
	g.number(p[0])
	g.b.WriteByte(',')
	g.number(p[1])
	g.b.WriteByte(']')
}

// number writes an already-rounded finite number in its shortest form.
func (g *geoWriter) number(v float64) {
	g.num = strconv.AppendFloat(g.num[:0], v, 'f', -1, 64)
	g.b.Write(g.num)
}

// key writes the separator and the key of the next property.
func (g *geoWriter) key(k string) {
	if g.props > 0 {
		g.b.WriteByte(',')
	}
	g.props++
	g.str(k)
	g.b.WriteByte(':')
}

// propStr writes a text property, through data.FormulaSafe since layers
// are opened in spreadsheets too (LoadSites restores the names).
func (g *geoWriter) propStr(k, v string) { g.key(k); g.str(data.FormulaSafe(v)) }

func (g *geoWriter) propInt(k string, v int) {
	g.key(k)
	g.num = strconv.AppendInt(g.num[:0], int64(v), 10)
	g.b.Write(g.num)
}

// propNum writes a measure rounded to geojsonDecimals, null when not finite.
func (g *geoWriter) propNum(k string, v float64) {
	g.key(k)
	if r, ok := roundDecimal(v); ok {
		g.number(r)
		return
	}
	g.b.WriteString("null")
}

// propExact writes the property k as the shortest number that reads back
// to v (null when not finite): a site's FTE, so that the sites layer read
// back with --sites (or as a scenario) gives the same supply.
func (g *geoWriter) propExact(k string, v float64) {
	g.key(k)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		g.b.WriteString("null")
		return
	}
	g.number(v + 0)
}

// str writes s as a JSON string (encoding/json escaping; invalid UTF-8
// becomes U+FFFD).
func (g *geoWriter) str(s string) {
	b, _ := json.Marshal(s) // a string always marshals
	g.b.Write(b)
}
