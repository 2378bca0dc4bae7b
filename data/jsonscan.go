package data

import (
	"bytes"
	"strconv"
	"strings"
)

// A scan of the members of one JSON object already checked by a decoder
// (json.Decoder gives a feature as valid JSON): the fast path of GeoJSON
// sites, which decodes a feature without reflection or a map. Anything
// unusual (an escaped key, a key differing only in case from a known one,
// a repeated key, a geometry other than a Point of plain numbers) makes it
// decline, and the general path decides.

// jsonMember is one member of an object: its key (without escapes) and
// its encoded value.
type jsonMember struct {
	key, val []byte
}

// jsonMembers appends the members of the object raw to dst; ok is false
// when raw is not an object or a key holds an escape.
func jsonMembers(dst []jsonMember, raw []byte) ([]jsonMember, bool) {
	i := jsonSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return dst, false
	}
	i = jsonSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return dst, true
	}
	for i < len(raw) && raw[i] == '"' {
		end := jsonValueEnd(raw, i)
		key := raw[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return dst, false
		}
		i = jsonSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return dst, false
		}
		start := jsonSpace(raw, i+1)
		end = jsonValueEnd(raw, start)
		dst = append(dst, jsonMember{key, raw[start:end]})
		i = jsonSpace(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = jsonSpace(raw, i+1)
			continue
		}
		return dst, i < len(raw) && raw[i] == '}'
	}
	return dst, false
}

// jsonSpace skips JSON white space from i.
func jsonSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonValueEnd returns the end of the valid JSON value starting at i.
func jsonValueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(b)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = jsonValueEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[j])) {
		j++
	}
	return j
}

// jsonFind returns the value of key among members (the last one, as
// decoding into a map keeps), and whether it is there.
func jsonFind(members []jsonMember, key string) ([]byte, bool) {
	for k := len(members) - 1; k >= 0; k-- {
		if string(members[k].key) == key {
			return members[k].val, true
		}
	}
	return nil, false
}

// sitesGeoFast returns the fields of a plain feature: "type":"Feature",
// properties an object with plain keys, and no geometry, null, or a Point
// of two or three numbers; ok is false for any other feature. scratch is
// reused between features.
func sitesGeoFast(msg []byte, scratch *[]jsonMember) (fields []string, ok bool, err error) {
	return sitesGeoFastInto(msg, scratch, make([]string, len(sitesColumns)))
}

// sitesGeoFastInto is sitesGeoFast writing the fields into buf
// (len(sitesColumns) long), which a loader reuses between features.
func sitesGeoFastInto(msg []byte, scratch *[]jsonMember, buf []string) (fields []string, ok bool, err error) {
	var topBuf [3]jsonMember
	top, ok := jsonMembers(topBuf[:0], msg)
	if !ok || len(top) > 3 {
		return nil, false, nil
	}
	var typ, geometry, props []byte
	for _, m := range top {
		switch string(m.key) {
		case "type":
			typ = m.val
		case "geometry":
			geometry = m.val
		case "properties":
			props = m.val
		default:
			return nil, false, nil // another member, or a known one in another case
		}
	}
	if string(typ) != `"Feature"` || props == nil {
		return nil, false, nil
	}
	var lon, lat string
	if geometry != nil && string(geometry) != "null" {
		if lon, lat, ok = jsonPoint(geometry); !ok {
			return nil, false, nil
		}
	}
	members, ok := jsonMembers((*scratch)[:0], props)
	*scratch = members[:0]
	if !ok {
		return nil, false, nil
	}
	fields = buf
	clear(fields)
	for i, names := range sitesColumnNames {
		for _, key := range names {
			v, found := jsonFind(members, key)
			if !found {
				continue
			}
			if fields[i], err = jsonText(v); err != nil {
				return nil, true, &columnError{names[0], err}
			}
			break
		}
	}
	if geometry != nil && string(geometry) != "null" {
		fields[sitesLat], fields[sitesLon] = lat, lon
	}
	return fields, true, nil
}

// columnError is an error about one column of a feature.
type columnError struct {
	column string
	err    error
}

func (e *columnError) Error() string { return e.err.Error() }

// jsonPoint returns the coordinates of a plain Point geometry as texts
// that parse back to the same float64 (as sitesGeoPoint gives them).
func jsonPoint(raw []byte) (lon, lat string, ok bool) {
	var buf [2]jsonMember
	m, ok := jsonMembers(buf[:0], raw)
	if !ok || len(m) != 2 {
		return "", "", false
	}
	typ, _ := jsonFind(m, "type")
	coords, _ := jsonFind(m, "coordinates")
	if string(typ) != `"Point"` || len(coords) < 2 || coords[0] != '[' {
		return "", "", false
	}
	var c [3]float64
	n := 0
	for i := jsonSpace(coords, 1); i < len(coords) && coords[i] != ']'; {
		end := jsonValueEnd(coords, i)
		v, err := strconv.ParseFloat(string(coords[i:end]), 64)
		if err != nil || n == 3 {
			return "", "", false
		}
		c[n], n = v, n+1
		if i = jsonSpace(coords, end); i < len(coords) && coords[i] == ',' {
			i = jsonSpace(coords, i+1)
		}
	}
	if n < 2 {
		return "", "", false
	}
	format := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	return format(c[0]), format(c[1]), true
}
