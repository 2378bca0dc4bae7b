package data

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// The binary tables of the embedded data set: the communes
// (communes.bin.zst), the indicators (indicateurs.bin.zst) and the sites
// (sites.bin.zst), written by `make data` (WriteCommunesBin,
// WriteIndicatorsBin, WriteSitesBin) and read back
// without parsing text and without an allocation per row: every string
// of a file is a slice of one copy of its bytes, every number a varint or
// the 8 bytes of a float64 (exact, NaN included). Reading them was two
// thirds of the embedded set's loading time when they were CSV.
//
// Each starts with an 8-byte magic, then holds:
//
//	"DGNCOMM1"
//	uvarint  number of communes, then for each, in code order:
//	  strings code, nom, code_departement, code_region, code_epci, zone
//	  varint   population
//	  byte     1 when the commune has a point, then float64 longitude
//	           and latitude; 0 when it has none
//
//	"DGNINDI1"
//	uvarint  number of columns, then their names (strings)
//	uvarint  number of rows, then their commune codes (strings), by row
//	then, column by column, one float64 per row (NaN: missing)
//
//	"DGNSITE1"
//	uvarint  number of sites, then for each, in the order of the file:
//	  strings id, nom; byte type (SiteKind); float64 longitude,
//	  latitude, etp; strings code_insee, code_postal, siret, source,
//	  date; uvarint line (Site.Line: the site's line in the sites CSV
//	  that make data writes and reads back with LoadSitesCSV before
//	  storing what it read)
//
// where a string is a uvarint length and its bytes, and a float64 the 8
// bytes of its IEEE 754 bits, little-endian. A malformed file gives a
// *ParseError naming it (ErrBadValue: bad magic, truncated data, codes out
// of order or repeated; ErrTooLarge: a count beyond the data).
const (
	communesMagic   = "DGNCOMM1"
	indicatorsMagic = "DGNINDI1"
	sitesMagic      = "DGNSITE1"
)

// binWriter writes the fields of a binary table.
type binWriter struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

func newBinWriter(w io.Writer, magic string) *binWriter {
	b := &binWriter{w: bufio.NewWriter(w)}
	b.w.WriteString(magic)
	return b
}

func (b *binWriter) uvarint(v uint64) { b.w.Write(b.buf[:binary.PutUvarint(b.buf[:], v)]) }
func (b *binWriter) varint(v int64)   { b.w.Write(b.buf[:binary.PutVarint(b.buf[:], v)]) }
func (b *binWriter) float(v float64) {
	binary.LittleEndian.PutUint64(b.buf[:8], math.Float64bits(v))
	b.w.Write(b.buf[:8])
}
func (b *binWriter) str(s string) {
	b.uvarint(uint64(len(s)))
	b.w.WriteString(s)
}

// binReader reads the fields of a binary table. Its first error sticks:
// later reads return zero values, and err holds the error.
type binReader struct {
	name string
	s    string // the file's bytes: strings are cut from it
	off  int
	err  error
}

// newBinReader checks the magic of b and returns a reader after it.
func newBinReader(name string, b []byte, magic string) *binReader {
	r := &binReader{name: name, s: string(b)}
	if len(r.s) < len(magic) || r.s[:len(magic)] != magic {
		r.fail(fmt.Errorf("%w : pas une table binaire diagnum (%s attendu)", ErrBadValue, magic))
	}
	r.off = len(magic)
	return r
}

func (r *binReader) fail(err error) {
	if r.err == nil {
		r.err = &ParseError{File: r.name, Err: err}
	}
	r.off = len(r.s)
}

func (r *binReader) truncated(what string) {
	r.fail(fmt.Errorf("%w : %s : fichier tronqué", ErrBadValue, what))
}

// uvarintAt decodes the uvarint at s[off:] and returns it with the
// offset after it; ok is false when s ends first.
func uvarintAt(s string, off int) (v uint64, next int, ok bool) {
	for shift, i := 0, off; i < len(s) && shift < 64; shift, i = shift+7, i+1 {
		c := s[i]
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, i + 1, true
		}
	}
	return 0, off, false
}

func (r *binReader) uvarint(what string) uint64 {
	v, next, ok := uvarintAt(r.s, r.off)
	if !ok {
		r.truncated(what)
		return 0
	}
	r.off = next
	return v
}

func (r *binReader) varint(what string) int64 {
	u := r.uvarint(what)
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

// count reads a count of items that take at least min bytes each: one
// beyond the rest of the file is refused (ErrTooLarge) before anything is
// allocated for it.
func (r *binReader) count(what string, min int) int {
	v := r.uvarint(what)
	if rest := uint64(len(r.s) - r.off); v > rest/uint64(min) {
		r.fail(fmt.Errorf("%w : %d %s pour %d octets", ErrTooLarge, v, what, rest))
		return 0
	}
	return int(v)
}

func (r *binReader) str(what string) string {
	n := r.uvarint(what)
	if n > uint64(len(r.s)-r.off) {
		r.truncated(what)
		return ""
	}
	s := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}

func (r *binReader) byte(what string) byte {
	if r.off >= len(r.s) {
		r.truncated(what)
		return 0
	}
	r.off++
	return r.s[r.off-1]
}

func (r *binReader) float(what string) float64 {
	if len(r.s)-r.off < 8 {
		r.truncated(what)
		return 0
	}
	s := r.s[r.off : r.off+8]
	r.off += 8
	return math.Float64frombits(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
}

// end returns the reader's error, or one when bytes are left over.
func (r *binReader) end() error {
	if r.err == nil && r.off != len(r.s) {
		r.fail(fmt.Errorf("%w : %d octets en trop", ErrBadValue, len(r.s)-r.off))
	}
	return r.err
}

// WriteCommunesBin writes cs (sorted by code) in the binary format of
// the embedded communes; their polygons are not written
// (WritePolygonsBin).
func WriteCommunesBin(w io.Writer, cs []Commune) error {
	if !slices.IsSortedFunc(cs, func(a, b Commune) int { return strings.Compare(a.Code, b.Code) }) {
		return fmt.Errorf("WriteCommunesBin : communes non triées par code")
	}
	b := newBinWriter(w, communesMagic)
	b.uvarint(uint64(len(cs)))
	for i := range cs {
		c := &cs[i]
		for _, s := range [...]string{c.Code, c.Name, c.Dep, c.Region, c.EPCI, c.Zone} {
			b.str(s)
		}
		b.varint(int64(c.Population))
		if !c.HasPoint {
			b.w.WriteByte(0)
			continue
		}
		b.w.WriteByte(1)
		b.float(c.Point[0])
		b.float(c.Point[1])
	}
	return b.w.Flush()
}

// decodeRecords decodes a table of records written as their count
// followed by the records (WriteCommunesBin, WriteSitesBin): read decodes
// record i into xs[i], failing r on a bad value. A record takes at least
// minBytes bytes (count refuses a larger count); decoding stops at the
// first error.
func decodeRecords[T any](name string, b []byte, magic, what string, minBytes int, read func(r *binReader, xs []T, i int)) ([]T, error) {
	r := newBinReader(name, b, magic)
	xs := make([]T, r.count(what, minBytes))
	for i := range xs {
		read(r, xs, i)
		if r.err != nil {
			break
		}
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	return xs, nil
}

// decodeCommunesBin decodes the communes written by WriteCommunesBin.
// A commune takes at least 8 bytes: 6 lengths, population, point flag.
func decodeCommunesBin(name string, b []byte) ([]Commune, error) {
	return decodeRecords(name, b, communesMagic, "communes", 8, func(r *binReader, cs []Commune, i int) {
		c := &cs[i]
		c.Code, c.Name, c.Dep = r.str("code_insee"), r.str("nom"), r.str("code_departement")
		c.Region, c.EPCI, c.Zone = r.str("code_region"), r.str("code_epci"), r.str("zone")
		c.Population = int(r.varint("population"))
		switch r.byte("point") {
		case 0:
		case 1:
			c.Point[0], c.Point[1], c.HasPoint = r.float("longitude"), r.float("latitude"), true
		default:
			r.fail(fmt.Errorf("%w : commune %s : indicateur de point invalide", ErrBadValue, c.Code))
		}
		if r.err == nil && i > 0 && cs[i-1].Code >= c.Code {
			r.fail(fmt.Errorf("%w : commune %s après %s (ordre croissant attendu)", ErrBadValue, c.Code, cs[i-1].Code))
		}
	})
}

// WriteIndicatorsBin writes t in the binary format of the embedded
// indicators: its columns, its rows' codes in row order and its values,
// so that the table read back is t.
func WriteIndicatorsBin(w io.Writer, t *Indicators) error {
	if len(t.vals) != len(t.Columns) {
		return fmt.Errorf("WriteIndicatorsBin : %d colonnes de valeurs pour %d noms", len(t.vals), len(t.Columns))
	}
	codes := make([]string, len(t.row))
	for code, r := range t.row {
		codes[r] = code
	}
	b := newBinWriter(w, indicatorsMagic)
	b.uvarint(uint64(len(t.Columns)))
	for _, c := range t.Columns {
		b.str(c)
	}
	b.uvarint(uint64(len(codes)))
	for _, c := range codes {
		b.str(c)
	}
	for _, col := range t.vals {
		if len(col) != len(codes) {
			return fmt.Errorf("WriteIndicatorsBin : %d valeurs pour %d lignes", len(col), len(codes))
		}
		for _, v := range col {
			b.float(v)
		}
	}
	return b.w.Flush()
}

// decodeIndicatorsBin decodes the table written by WriteIndicatorsBin.
func decodeIndicatorsBin(name string, b []byte) (*Indicators, error) {
	r := newBinReader(name, b, indicatorsMagic)
	t := &Indicators{Columns: make([]string, r.count("colonnes", 1))}
	for i := range t.Columns {
		t.Columns[i] = r.str("colonne")
	}
	rows := r.count("lignes", 1)
	// The codes are cut from a copy of their part of the file, so that
	// the table does not keep the values' bytes alive (2 MB).
	from, ends := r.off, make([]int, rows)
	for i := range ends {
		r.str("code")
		ends[i] = r.off
	}
	part := strings.Clone(r.s[from:r.off])
	t.row = make(map[string]int32, rows)
	for i := 0; i < rows && r.err == nil; i++ {
		start := 0 // code i's length, then its bytes, read once already
		if i > 0 {
			start = ends[i-1] - from
		}
		n, at, _ := uvarintAt(part, start)
		code := part[at : at+int(n)]
		if _, dup := t.row[code]; dup {
			r.fail(fmt.Errorf("%w : code %s en double", ErrBadValue, code))
		}
		t.row[code] = int32(i)
	}
	if r.err == nil && len(t.Columns) > 0 && rows > (len(r.s)-r.off)/8/len(t.Columns) {
		r.truncated("valeurs")
	}
	if r.err == nil {
		t.vals = make([][]float64, len(t.Columns))
		all := make([]float64, rows*len(t.Columns))
		for c := range t.vals {
			t.vals[c] = all[c*rows : (c+1)*rows : (c+1)*rows]
			for i := range t.vals[c] {
				t.vals[c][i] = r.float("valeur")
			}
		}
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	return t, nil
}

// WriteSitesBin writes sites in the binary format of the embedded sites:
// every field but Placed and Commune (the placement make data stores
// apart, sites_communes.csv.gz).
func WriteSitesBin(w io.Writer, sites []Site) error {
	b := newBinWriter(w, sitesMagic)
	b.uvarint(uint64(len(sites)))
	for i := range sites {
		s := &sites[i]
		if s.Line < 0 {
			return fmt.Errorf("WriteSitesBin : lieu %s à la ligne %d", s.ID, s.Line)
		}
		b.str(s.ID)
		b.str(s.Name)
		b.w.WriteByte(byte(s.Kind))
		b.float(s.Point[0])
		b.float(s.Point[1])
		b.float(s.FTE)
		for _, f := range [...]string{s.INSEE, s.Postcode, s.SIRET, s.Source, s.Date} {
			b.str(f)
		}
		b.uvarint(uint64(s.Line))
	}
	return b.w.Flush()
}

// decodeSitesBin decodes the sites written by WriteSitesBin. A site
// takes at least 33 bytes: 7 lengths, its kind, 3 float64s, its line.
func decodeSitesBin(name string, b []byte) ([]Site, error) {
	return decodeRecords(name, b, sitesMagic, "lieux", 33, func(r *binReader, sites []Site, i int) {
		s := &sites[i]
		s.ID, s.Name = r.str("id"), r.str("nom")
		if s.Kind = SiteKind(r.byte("type")); s.Kind == KindUnknown || s.Kind > KindOther {
			r.fail(fmt.Errorf("%w : lieu %s : type %d inconnu", ErrBadValue, s.ID, s.Kind))
		}
		s.Point[0], s.Point[1], s.FTE = r.float("longitude"), r.float("latitude"), r.float("etp")
		s.INSEE, s.Postcode, s.SIRET = r.str("code_insee"), r.str("code_postal"), r.str("siret")
		s.Source, s.Date = r.str("source"), r.str("date")
		s.Line = int(min(r.uvarint("ligne"), math.MaxInt32))
	})
}
