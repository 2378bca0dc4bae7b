package data

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"unsafe"

	"github.com/paulmach/orb"
)

// The compact polygon format of the embedded data set. Decoding GeoJSON
// takes most of the loading time, so `make data` stores the commune
// polygons as varint-encoded coordinate deltas on a 1e-5 degree grid (the
// grid of the france-geojson source, about 1 m). The embedded file,
// polygones.bin, is not compressed: its varints barely shrink (gzip made
// 6.7 MB of them 5.5 MB) and inflating them was a third of their
// decoding, which now reads the bytes in place:
//
//	"DGNPOLY1"
//	uvarint  number of MultiPolygons
//	for each, in code order:
//	  uvarint len(code), code bytes
//	  uvarint number of polygons; for each: uvarint number of rings;
//	  for each ring: uvarint number of points, then per point the
//	  varint deltas of round(lon·1e5) and round(lat·1e5) from the
//	  previous point of the file (the first from 0, 0)
//
// The codes are in strictly increasing order (the reader refuses others).
const polyMagic = "DGNPOLY1"

// polyScale is the number of grid steps per degree.
const polyScale = 1e5

// errPolyGrid is returned by WritePolygonsBin for a coordinate that is
// not on the 1e-5 degree grid (it could not be restored exactly).
var errPolyGrid = errors.New("coordonnée hors de la grille de 1e-5 degré")

// WritePolygonsBin writes polys in the compact polygon format, in code
// order. Every coordinate must lie on the 1e-5 degree grid.
func WritePolygonsBin(w io.Writer, polys map[string]orb.MultiPolygon) error {
	codes := slices.Sorted(maps.Keys(polys))
	bw := bufio.NewWriter(w)
	bw.WriteString(polyMagic)
	var buf [binary.MaxVarintLen64]byte
	uv := func(v uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	sv := func(v int64) { bw.Write(buf[:binary.PutVarint(buf[:], v)]) }
	uv(uint64(len(codes)))
	var px, py int64
	for _, code := range codes {
		uv(uint64(len(code)))
		bw.WriteString(code)
		mp := polys[code]
		uv(uint64(len(mp)))
		for _, poly := range mp {
			uv(uint64(len(poly)))
			for _, ring := range poly {
				uv(uint64(len(ring)))
				for _, p := range ring {
					x, y := math.Round(p[0]*polyScale), math.Round(p[1]*polyScale)
					if x/polyScale != p[0] || y/polyScale != p[1] {
						return fmt.Errorf("%w : %s (%v, %v)", errPolyGrid, code, p[0], p[1])
					}
					sv(int64(x) - px)
					sv(int64(y) - py)
					px, py = int64(x), int64(y)
				}
			}
		}
	}
	return bw.Flush()
}

// polyReader decodes the compact format from a byte slice, with bounds
// on every count.
type polyReader struct {
	name   string
	b      []byte
	off    int
	px, py int64
	// Arenas the rings, polygons and points are carved from (carve), so
	// that reading allocates per chunk, not per ring.
	pts   []orb.Point
	rings []orb.Ring
	polys []orb.Polygon
}

// carve returns n zeroed elements taken from *arena, with their capacity
// capped at n (an append to them never reaches a neighbour), starting a
// new chunk when *arena has too little room: twice the last one, from 256
// up to 1<<14 elements (or n if larger).
func carve[T any](arena *[]T, n int) []T {
	a := *arena
	if cap(a)-len(a) < n {
		a = make([]T, 0, max(n, min(max(2*cap(a), 256), 1<<14)))
	}
	out := a[len(a) : len(a)+n : len(a)+n]
	*arena = a[:len(a)+n]
	return out
}

// errPolyTruncated and errPolyVarint are the reasons of a varint that
// cannot be read.
var (
	errPolyTruncated = fmt.Errorf("%w : fichier tronqué", ErrBadValue)
	errPolyVarint    = fmt.Errorf("%w : entier trop long", ErrBadValue)
)

// uvarint reads an unsigned varint.
func (p *polyReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(p.b[p.off:])
	switch {
	case n == 0:
		return 0, errPolyTruncated
	case n < 0:
		return 0, errPolyVarint
	}
	p.off += n
	return v, nil
}

func (p *polyReader) count(what string, max uint64) (int, error) {
	v, err := p.uvarint()
	if err != nil {
		return 0, p.fail(fmt.Errorf("%s : %w", what, err))
	}
	if v > max {
		return 0, p.fail(fmt.Errorf("%w : %d %s", ErrTooLarge, v, what))
	}
	return int(v), nil
}

func (p *polyReader) fail(err error) error {
	return &ParseError{File: p.name, Err: err}
}

// zigzag reads a signed varint (binary.Varint) at b[off:] and returns it
// with the offset after it; a one-byte varint (most of the deltas) is
// read inline.
func zigzag(b []byte, off int) (v int64, next int, ok error) {
	var u uint64
	if off < len(b) && b[off] < 0x80 {
		u, off = uint64(b[off]), off+1
	} else {
		var n int
		u, n = binary.Uvarint(b[off:])
		switch {
		case n == 0:
			return 0, off, errPolyTruncated
		case n < 0:
			return 0, off, errPolyVarint
		}
		off += n
	}
	v = int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v, off, nil
}

// ReadPolygonsBin reads polygons in the compact format written by
// WritePolygonsBin. Rings must be closed and hold at least 4 points.
func ReadPolygonsBin(name string, r io.Reader) (map[string]orb.MultiPolygon, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, &ParseError{File: name, Err: err}
	}
	polys, err := decodePolygonsBin(name, b)
	if err != nil {
		return nil, err
	}
	out := make(map[string]orb.MultiPolygon, len(polys))
	for _, cp := range polys {
		out[cp.code] = cp.polygon
	}
	return out, nil
}

// codePolygon is the MultiPolygon of one commune code.
type codePolygon struct {
	code    string
	polygon orb.MultiPolygon
}

// decodePolygonsBin decodes b, in the compact format written by
// WritePolygonsBin, into its MultiPolygons in code order: the codes must
// be in strictly increasing order, as WritePolygonsBin writes them. The
// codes are cut from b, which must not change after.
func decodePolygonsBin(name string, b []byte) ([]codePolygon, error) {
	p := &polyReader{name: name, b: b}
	if len(b) < len(polyMagic) || string(b[:len(polyMagic)]) != polyMagic {
		return nil, p.fail(fmt.Errorf("%w : pas un fichier de polygones diagnum", ErrBadValue))
	}
	p.off = len(polyMagic)
	n, err := p.count("multipolygones", 1<<20)
	if err != nil {
		return nil, err
	}
	// Each MultiPolygon takes at least 3 bytes: no larger slice than b.
	out := make([]codePolygon, 0, min(n, len(b)/3))
	for range n {
		code, mp, err := p.multiPolygon()
		if err != nil {
			return nil, err
		}
		if k := len(out); k > 0 && out[k-1].code >= code {
			return nil, p.fail(fmt.Errorf("%w : code %s après %s (ordre croissant attendu)", ErrBadValue, code, out[k-1].code))
		}
		out = append(out, codePolygon{code, mp})
	}
	return out, nil
}

func (p *polyReader) multiPolygon() (string, orb.MultiPolygon, error) {
	l, err := p.count("octets de code", 16)
	if err != nil {
		return "", nil, err
	}
	if len(p.b)-p.off < l {
		return "", nil, p.fail(errPolyTruncated)
	}
	// The code is the bytes themselves, not a copy (35,000 allocations
	// fewer): the decoder's input is never changed after (the binary's
	// read-only bytes, or a buffer of its own).
	name := unsafe.String(unsafe.SliceData(p.b[p.off:]), l)
	p.off += l
	np, err := p.count("polygones", 1<<16)
	if err != nil {
		return "", nil, err
	}
	mp := orb.MultiPolygon(carve(&p.polys, np))
	for i := range mp {
		nr, err := p.count("anneaux", 1<<16)
		if err != nil {
			return "", nil, err
		}
		mp[i] = carve(&p.rings, nr)
		for j := range mp[i] {
			if mp[i][j], err = p.ring(name); err != nil {
				return "", nil, err
			}
		}
	}
	return name, mp, nil
}

func (p *polyReader) ring(code string) (orb.Ring, error) {
	n, err := p.count("points", 1<<22)
	if err != nil {
		return nil, err
	}
	if n < 4 {
		return nil, p.fail(fmt.Errorf("%w : %s : anneau de %d points", ErrBadValue, code, n))
	}
	// Each point takes at least 2 bytes: a count beyond the data is
	// refused before its points are allocated.
	if n > (len(p.b)-p.off)/2 {
		return nil, p.fail(errPolyTruncated)
	}
	ring := orb.Ring(carve(&p.pts, n))
	b, off, px, py := p.b, p.off, p.px, p.py
	for k := range ring {
		var dx, dy int64
		if dx, off, err = zigzag(b, off); err == nil {
			dy, off, err = zigzag(b, off)
		}
		if err != nil {
			return nil, p.fail(err)
		}
		px, py = px+dx, py+dy
		ring[k] = orb.Point{float64(px) / polyScale, float64(py) / polyScale}
		// |px|/1e5 > 180 exactly when |px| > 180e5 (the division is
		// correctly rounded, hence monotonic, and 180e5/1e5 is 180):
		// compared on the integers, the test does not wait for the
		// divisions.
		if px > 180*polyScale || px < -180*polyScale || py > 90*polyScale || py < -90*polyScale {
			return nil, p.fail(fmt.Errorf("%w : %s : point %v", ErrBadCoordinate, code, ring[k]))
		}
	}
	p.off, p.px, p.py = off, px, py
	if ring[0] != ring[n-1] {
		return nil, p.fail(fmt.Errorf("%w : %s : anneau non fermé", ErrBadValue, code))
	}
	return ring, nil
}
