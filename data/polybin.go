package data

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// The compact polygon format of the embedded data set. Decoding GeoJSON
// takes most of the loading time, so `make data` stores the commune
// polygons as varint-encoded coordinate deltas on a 1e-5 degree grid (the
// grid of the france-geojson source, about 1 m):
//
//	"DGNPOLY1"
//	uvarint  number of MultiPolygons
//	for each, in code order:
//	  uvarint len(code), code bytes
//	  uvarint number of polygons; for each: uvarint number of rings;
//	  for each ring: uvarint number of points, then per point the
//	  varint deltas of round(lon·1e5) and round(lat·1e5) from the
//	  previous point of the file (the first from 0, 0)
const polyMagic = "DGNPOLY1"

// polyScale is the number of grid steps per degree.
const polyScale = 1e5

// errPolyGrid is returned by WritePolygonsBin for a coordinate that is
// not on the 1e-5 degree grid (it could not be restored exactly).
var errPolyGrid = errors.New("coordonnée hors de la grille de 1e-5 degré")

// WritePolygonsBin writes polys in the compact polygon format, in code
// order. Every coordinate must lie on the 1e-5 degree grid.
func WritePolygonsBin(w io.Writer, polys map[string]orb.MultiPolygon) error {
	codes := make([]string, 0, len(polys))
	for c := range polys {
		codes = append(codes, c)
	}
	sort.Strings(codes)
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

// polyReader decodes the compact format with bounds on every count.
type polyReader struct {
	name   string
	r      *bufio.Reader
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

func (p *polyReader) count(what string, max uint64) (int, error) {
	v, err := binary.ReadUvarint(p.r)
	if err != nil {
		return 0, p.fail(fmt.Errorf("%s : %w", what, err))
	}
	if v > max {
		return 0, p.fail(fmt.Errorf("%w : %d %s", ErrTooLarge, v, what))
	}
	return int(v), nil
}

func (p *polyReader) fail(err error) error {
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w : fichier tronqué", ErrBadValue)
	}
	return &ParseError{File: p.name, Err: err}
}

// delta reads the two varints of a point's offset: decoded from the
// reader's buffer in place (the embedded polygons are 1.7 M points, and
// a varint read byte by byte through the io.ByteReader was a fifth of
// their decoding), or by binary.ReadVarint near the end of the data or
// on a bad varint, with its errors.
func (p *polyReader) delta() (dx, dy int64, err error) {
	if buf, _ := p.r.Peek(2 * binary.MaxVarintLen64); len(buf) > 0 {
		x, n1 := binary.Varint(buf)
		if n1 > 0 {
			y, n2 := binary.Varint(buf[n1:])
			if n2 > 0 {
				_, _ = p.r.Discard(n1 + n2) // buffered: no error
				return x, y, nil
			}
		}
	}
	dx, err1 := binary.ReadVarint(p.r)
	dy, err2 := binary.ReadVarint(p.r)
	return dx, dy, errors.Join(err1, err2)
}

// ReadPolygonsBin reads polygons in the compact format written by
// WritePolygonsBin. Rings must be closed and hold at least 4 points.
func ReadPolygonsBin(name string, r io.Reader) (map[string]orb.MultiPolygon, error) {
	p := &polyReader{name: name, r: bufio.NewReader(r)}
	magic := make([]byte, len(polyMagic))
	if _, err := io.ReadFull(p.r, magic); err != nil || string(magic) != polyMagic {
		return nil, p.fail(fmt.Errorf("%w : pas un fichier de polygones diagnum", ErrBadValue))
	}
	n, err := p.count("multipolygones", 1<<20)
	if err != nil {
		return nil, err
	}
	out := make(map[string]orb.MultiPolygon, n)
	for range n {
		code, mp, err := p.multiPolygon()
		if err != nil {
			return nil, err
		}
		out[code] = mp
	}
	return out, nil
}

func (p *polyReader) multiPolygon() (string, orb.MultiPolygon, error) {
	l, err := p.count("octets de code", 16)
	if err != nil {
		return "", nil, err
	}
	code := make([]byte, l)
	if _, err := io.ReadFull(p.r, code); err != nil {
		return "", nil, p.fail(err)
	}
	np, err := p.count("polygones", 1<<16)
	if err != nil {
		return "", nil, err
	}
	name := string(code)
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
	ring := orb.Ring(carve(&p.pts, n))
	for k := range ring {
		dx, dy, err := p.delta()
		if err != nil {
			return nil, p.fail(err)
		}
		p.px, p.py = p.px+dx, p.py+dy
		ring[k] = orb.Point{float64(p.px) / polyScale, float64(p.py) / polyScale}
		if math.Abs(ring[k][0]) > 180 || math.Abs(ring[k][1]) > 90 {
			return nil, p.fail(fmt.Errorf("%w : %s : point %v", ErrBadCoordinate, code, ring[k]))
		}
	}
	if ring[0] != ring[n-1] {
		return nil, p.fail(fmt.Errorf("%w : %s : anneau non fermé", ErrBadValue, code))
	}
	return ring, nil
}
