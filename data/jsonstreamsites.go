package data

import (
	"context"
	"io"
	"strconv"

	"github.com/paulmach/orb"
)

// The single pass over a GeoJSON sites file: the collection is read by a
// jsonLexer, and each plain feature (as sitesGeoFast defines it) decoded
// as it is read, its properties' values taken where they stand in the
// buffer and its coordinates parsed once, into float64. Any other feature
// is checked and skipped, then given whole to sitesGeo.feature, as
// json.Decoder would have given it. Whatever else the pass meets (bad
// JSON, an unusual top level) stops it with errJSONLex, and the caller
// reads the file again with json.Decoder, which words the error.

// stream reads the FeatureCollection of lx, keeping its sites in g, and
// returns how many features it had. It stops with ctx's error once ctx is
// done (checked between features, as readFeatures does), with
// tooManySites past maxSites, or with errJSONLex.
func (g *sitesGeo) stream(ctx context.Context, lx *jsonLexer) (int, error) {
	lx.mark = -1
	if lx.punct('{') != nil {
		return 0, errJSONLex
	}
	features := false
	for c := lx.peek(); c != '}'; {
		key, err := lx.plainString()
		if err != nil {
			return 0, err
		}
		if err := lx.punct(':'); err != nil {
			return 0, err
		}
		switch key {
		case "type":
			if t, err := lx.plainString(); err != nil || t != "FeatureCollection" {
				return 0, errJSONLex
			}
		case "features":
			if features || lx.punct('[') != nil {
				return 0, errJSONLex
			}
			features = true
			if err := g.streamFeatures(ctx, lx); err != nil {
				return 0, err
			}
		default:
			if err := lx.value(0); err != nil {
				return 0, err
			}
		}
		if c = lx.peek(); c == ',' {
			lx.i++
			c = lx.peek()
			if c == '}' {
				return 0, errJSONLex
			}
		} else if c != '}' {
			return 0, errJSONLex
		}
	}
	lx.i++
	if lx.space() || lx.err != io.EOF {
		return 0, lx.stop() // data after the collection, or a failed read
	}
	return g.n, nil
}

// plainString reads a string without escape, which must come next, out
// of a feature (the buffer keeps it while it is read).
func (lx *jsonLexer) plainString() (string, error) {
	if lx.peek() != '"' {
		return "", errJSONLex
	}
	lx.mark = lx.off()
	defer func() { lx.mark = -1 }()
	start, end, escaped, err := lx.str()
	if err != nil || escaped {
		return "", errJSONLex
	}
	return string(lx.bytesAt(start, end)), nil
}

// streamFeatures reads the elements of the features array whose '[' has
// just been read, up to and including its ']'.
func (g *sitesGeo) streamFeatures(ctx context.Context, lx *jsonLexer) error {
	if lx.peek() == ']' {
		lx.i++
		return nil
	}
	for k := 1; ; k++ {
		if (k-1)%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := g.streamFeature(lx, k); err != nil {
			return err
		}
		more, ok := lx.next(']')
		if !ok {
			return lx.stop()
		}
		if !more {
			lx.mark = -1
			return nil
		}
	}
}

// geoPlain is what the single pass reads of a plain feature: the input
// offsets of the value of each column's property (rank: of the name
// used among the column's names, -1 when absent), and its point.
type geoPlain struct {
	vals [len(sitesColumns)]struct {
		start, end int64
		rank       int
	}
	point    orb.Point
	hasPoint bool
}

// streamFeature reads feature number k, which starts next, and keeps its
// site or records why it was rejected.
func (g *sitesGeo) streamFeature(lx *jsonLexer, k int) error {
	lx.space()
	start, line := lx.off(), lx.line
	lx.mark = start
	var p geoPlain
	for c := range p.vals {
		p.vals[c].rank = -1
	}
	plain, err := p.feature(lx)
	if err != nil {
		return err
	}
	if !plain {
		lx.i, lx.line = int(start-lx.base), line // back to its start, which mark kept
		if err := lx.value(0); err != nil {
			return err
		}
	}
	if g.n == maxSites {
		return tooManySites(g.t.File, line)
	}
	g.n++
	if !plain {
		g.feature(k, line, lx.bytesAt(start, lx.off()))
		return nil
	}
	fields := g.fields
	clear(fields)
	for c, v := range p.vals {
		if v.rank < 0 {
			continue
		}
		text, err := jsonText(lx.bytesAt(v.start, v.end))
		if err != nil {
			g.row(k, line, nil, nil, &ParseError{File: g.t.File, Line: line, Column: sitesColumnNames[c][0], Err: err})
			return nil
		}
		fields[c] = text
	}
	var at *orb.Point
	if p.hasPoint {
		at = &p.point
	}
	g.row(k, line, fields, at, nil)
	return nil
}

// sitesGeoKeys gives, for each property name of the sites format, its
// column and its rank among the column's names (0: the canonical one).
var sitesGeoKeys = func() map[string][2]int {
	m := map[string][2]int{}
	for c, names := range sitesColumnNames {
		for rank, name := range names {
			m[name] = [2]int{c, rank}
		}
	}
	return m
}()

// feature decodes the feature that starts next when it is plain: an
// object of "type":"Feature", properties an object, and no geometry,
// null, or a Point of two or three numbers, each member once and no key
// escaped. ok is false, the lexer somewhere inside the feature, for any
// other feature; err is the lexer's stop.
func (p *geoPlain) feature(lx *jsonLexer) (ok bool, err error) {
	if lx.peek() != '{' {
		return false, nil
	}
	lx.i++
	var seen [3]bool // type, geometry, properties
	for {
		key, ok, err := lx.plainKey()
		if !ok || err != nil {
			return false, err
		}
		m := 0
		switch {
		case string(key) == "type":
			var t []byte
			if t, ok, err = lx.plainValue(); !ok || string(t) != "Feature" {
				return false, err
			}
		case string(key) == "geometry":
			m = 1
			ok, err = p.geometry(lx)
		case string(key) == "properties":
			m = 2
			ok, err = p.properties(lx)
		default:
			return false, nil
		}
		if !ok || err != nil || seen[m] {
			return false, err
		}
		seen[m] = true
		if more, ok := lx.next('}'); !ok || !more {
			return ok && seen[0] && seen[2], nil
		}
	}
}

// plainKey reads a key without escape and its ':', and returns the key
// as plainValue does; ok is false for anything else.
func (lx *jsonLexer) plainKey() (key []byte, ok bool, err error) {
	if lx.peek() != '"' {
		return nil, false, nil
	}
	start, end, escaped, err := lx.str()
	if err != nil || escaped || lx.peek() != ':' {
		return nil, false, err
	}
	lx.i++
	return lx.bytesAt(start, end), true, nil // after the peek, which may move the buffer
}

// plainValue reads a string without escape and returns its text, the
// buffer's bytes (valid until the next read); ok is false for anything
// else.
func (lx *jsonLexer) plainValue() (text []byte, ok bool, err error) {
	if lx.peek() != '"' {
		return nil, false, nil
	}
	start, end, escaped, err := lx.str()
	if err != nil || escaped {
		return nil, false, err
	}
	return lx.bytesAt(start, end), true, nil
}

// geometry reads null or a plain Point.
func (p *geoPlain) geometry(lx *jsonLexer) (bool, error) {
	switch lx.peek() {
	case 'n':
		err := lx.literal("null")
		return err == nil, err
	case '{':
		lx.i++
	default:
		return false, nil
	}
	var typ, coords bool
	for {
		key, ok, err := lx.plainKey()
		if !ok || err != nil {
			return false, err
		}
		switch {
		case string(key) == "type" && !typ:
			var t []byte
			if t, ok, err = lx.plainValue(); !ok || string(t) != "Point" {
				return false, err
			}
			typ = true
		case string(key) == "coordinates" && !coords:
			if ok, err := p.coordinates(lx); !ok || err != nil {
				return false, err
			}
			coords = true
		default:
			return false, nil
		}
		if more, ok := lx.next('}'); !ok || !more {
			return ok && typ && coords, nil
		}
	}
}

// coordinates reads an array of two or three numbers, the longitude and
// latitude first, each parsed once.
func (p *geoPlain) coordinates(lx *jsonLexer) (bool, error) {
	if lx.peek() != '[' {
		return false, nil
	}
	lx.i++
	var c [3]float64
	for n := 0; ; n++ {
		if b := lx.peek(); n == 3 || b != '-' && (b < '0' || b > '9') {
			return false, nil
		}
		start := lx.off()
		if err := lx.number(); err != nil {
			return false, err
		}
		v, err := strconv.ParseFloat(string(lx.bytesAt(start, lx.off())), 64)
		if err != nil { // out of range: the general path says so
			return false, nil
		}
		c[n] = v
		if more, ok := lx.next(']'); !ok || !more {
			p.point, p.hasPoint = orb.Point{c[0], c[1]}, true
			return ok && n >= 1, nil
		}
	}
}

// properties reads an object of properties, keeping where the value of
// each column's property stands: the first of the column's names present,
// its last occurrence (as jsonFind and a map decoding keep).
func (p *geoPlain) properties(lx *jsonLexer) (bool, error) {
	if lx.peek() != '{' {
		return false, nil
	}
	lx.i++
	if lx.peek() == '}' {
		lx.i++
		return true, nil
	}
	for {
		key, ok, err := lx.plainKey()
		if !ok || err != nil {
			return false, err
		}
		col, known := sitesGeoKeys[string(key)]
		lx.space()
		start := lx.off()
		if err := lx.value(1); err != nil {
			return false, err
		}
		if v := &p.vals[col[0]]; known && (v.rank < 0 || col[1] <= v.rank) {
			v.start, v.end, v.rank = start, lx.off(), col[1]
		}
		if more, ok := lx.next('}'); !ok || !more {
			return ok, nil
		}
	}
}
