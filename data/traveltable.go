package data

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// ErrMissingTime reports travel times absent from a --temps table (the
// model then gives them).
var ErrMissingTime = errors.New("temps de trajet absent de la table")

// Limits of a travel-time table.
const (
	// MaxTravelMinutes is the largest travel time accepted in a table
	// (24 h): a longer one is a unit or extract error.
	MaxTravelMinutes = 24 * 60.0
	// MaxTableCells bounds origins × destinations (25 million cells,
	// 200 MB in memory): more than a région's communes squared.
	MaxTableCells = 25_000_000
)

// Units of a travel-time table.
const (
	UnitMinutes = "minutes"
	UnitSeconds = "secondes"
)

// TravelTable is a travel-time table read by LoadTravelTable: minutes
// from origin communes (INSEE codes) to destinations, which are communes
// (INSEE codes) or sites (their ids). The direction is origin →
// destination; an asymmetric table is kept as it is.
type TravelTable struct {
	File   string // name used in messages
	Format string // "long" (origine,destination,minutes) or "large" (matrix)
	Unit   string // UnitMinutes or UnitSeconds, as read
	// Origins are the origin INSEE codes, in file order.
	Origins []string
	// Dests are the destination keys, in file order; IsCommune[k] tells
	// whether Dests[k] is an INSEE code (else a site id).
	Dests     []string
	IsCommune []bool
	minutes   []float64 // len(Origins) × len(Dests), NaN = absent
	oIdx      map[string]int
	cIdx      map[string]int // commune destinations
	sIdx      map[string]int // site destinations
	known     int
}

// TravelTableOptions configure LoadTravelTable.
type TravelTableOptions struct {
	// Unit of a matrix whose first header cell does not name it
	// ("minutes" or "secondes"); "" refuses such a matrix.
	Unit string
	// Known reports whether an INSEE code names a commune; nil accepts
	// every well-formed code. A destination that is not a known code is
	// a site id.
	Known func(code string) bool
}

// Pairs returns the number of pairs with a time.
func (t *TravelTable) Pairs() int { return t.known }

// CommuneMinutes returns the time from commune origin to commune dest.
func (t *TravelTable) CommuneMinutes(origin, dest string) (float64, bool) {
	return t.at(origin, t.cIdx, dest)
}

// SiteMinutes returns the time from commune origin to the site with id.
func (t *TravelTable) SiteMinutes(origin, id string) (float64, bool) {
	return t.at(origin, t.sIdx, id)
}

func (t *TravelTable) at(origin string, idx map[string]int, key string) (float64, bool) {
	i, ok := t.oIdx[origin]
	if !ok {
		return 0, false
	}
	j, ok := idx[key]
	if !ok {
		return 0, false
	}
	v := t.minutes[i*len(t.Dests)+j]
	return v, !math.IsNaN(v)
}

// Each calls fn for every pair with a time, origins then destinations in
// file order.
func (t *TravelTable) Each(fn func(origin, dest string, site bool, minutes float64)) {
	for i, o := range t.Origins {
		for j, d := range t.Dests {
			if v := t.minutes[i*len(t.Dests)+j]; !math.IsNaN(v) {
				fn(o, d, !t.IsCommune[j], v)
			}
		}
	}
}

// LoadTravelTable reads a travel-time table, in either of two shapes,
// with the French CSV conventions of ReadTable (separator, decimal
// comma, encodings, codes that lost their leading zero):
//
//   - long: columns origine, destination and minutes (or secondes), one
//     pair per row, as r5r, metric.osrm or PySAL cost tables write it;
//   - large (matrix): the first column holds the origin codes, the other
//     header cells the destinations; the first header cell may name the
//     unit (minutes or secondes), else opt.Unit gives it.
//
// Origins are INSEE codes; destinations are INSEE codes or site ids. An
// empty cell, NA or n.d. is an absent pair. A row or cell that cannot be
// used (bad or unknown origin code, bad number, negative or more than
// MaxTravelMinutes, pair listed twice) is a Rejected check with its line
// and column; the pair is then absent. Errors are *ParseError values.
func LoadTravelTable(name string, r io.Reader, opt TravelTableOptions) (*TravelTable, Checks, error) {
	tab, err := ReadTable(name, r)
	if err != nil {
		return nil, nil, err
	}
	b := &ttBuilder{t: &TravelTable{File: name, oIdx: map[string]int{}, cIdx: map[string]int{}, sIdx: map[string]int{}}, opt: opt}
	if tab.Index("origine") >= 0 || tab.Index("destination") >= 0 {
		err = b.long(tab)
	} else {
		err = b.wide(tab)
	}
	if err != nil {
		return nil, b.checks, err
	}
	if b.t.known == 0 {
		return nil, b.checks, &ParseError{File: name, Err: fmt.Errorf("%w : aucun temps de trajet utilisable (%d lignes rejetées)", ErrEmptyFile, len(b.checks))}
	}
	return b.t, b.checks, nil
}

// ttBuilder accumulates a table while reading.
type ttBuilder struct {
	t      *TravelTable
	opt    TravelTableOptions
	checks Checks
	scale  float64  // to minutes
	cells  []ttCell // long format, before the matrix is built
}

type ttCell struct {
	o, d int
	v    float64
	line int
}

// unit sets the scale from a unit name.
func (b *ttBuilder) unit(u string) bool {
	switch strings.ToLower(u) {
	case UnitMinutes:
		b.t.Unit, b.scale = UnitMinutes, 1
	case UnitSeconds:
		b.t.Unit, b.scale = UnitSeconds, 1.0/60
	default:
		return false
	}
	return true
}

// long reads origine,destination,minutes|secondes rows.
func (b *ttBuilder) long(tab *Table) error {
	b.t.Format = "long"
	idx, err := tab.Require("origine", "destination")
	if err != nil {
		return err
	}
	vcol, vname := tab.Index(UnitMinutes), UnitMinutes
	if s := tab.Index(UnitSeconds); s >= 0 {
		if vcol >= 0 {
			return &ParseError{File: tab.File, Line: 1, Column: UnitSeconds,
				Err: fmt.Errorf("%w : colonnes minutes et secondes à la fois : gardez-en une", ErrDuplicate)}
		}
		vcol, vname = s, UnitSeconds
	}
	if vcol < 0 {
		return &ParseError{File: tab.File, Line: 1, Column: UnitMinutes,
			Err: fmt.Errorf("%w \"minutes\" ou \"secondes\" (en-tête : %s)", ErrMissingColumn, strings.Join(tab.Header, string(tab.Comma)))}
	}
	b.unit(vname)
	seen := map[[2]int]bool{}
	for _, rec := range tab.Records {
		if err := tab.CheckWidth(rec); err != nil {
			b.checks.Reject(err.(*ParseError))
			continue
		}
		o, ok := b.origin(tab.File, rec.Line, "origine", rec.Field(idx[0]))
		if !ok {
			continue
		}
		dest := strings.TrimSpace(rec.Field(idx[1]))
		if dest == "" {
			b.checks.Reject(&ParseError{File: tab.File, Line: rec.Line, Column: "destination", Err: fmt.Errorf("%w : destination vide", ErrBadValue)})
			continue
		}
		d := b.dest(dest)
		v, ok := b.value(tab.File, rec.Line, vname, rec.Field(vcol))
		if !ok || math.IsNaN(v) {
			continue
		}
		if seen[[2]int{o, d}] {
			b.checks.Reject(&ParseError{File: tab.File, Line: rec.Line, Column: "destination", Err: fmt.Errorf(
				"%w : paire %s → %s donnée deux fois (la première ligne est gardée)", ErrDuplicate, b.t.Origins[o], b.t.Dests[d])})
			continue
		}
		seen[[2]int{o, d}] = true
		b.cells = append(b.cells, ttCell{o, d, v, rec.Line})
	}
	if err := b.alloc(tab.File); err != nil {
		return err
	}
	for _, c := range b.cells {
		b.t.minutes[c.o*len(b.t.Dests)+c.d] = c.v
		b.t.known++
	}
	return nil
}

// wide reads a matrix: header of destinations, one row per origin.
func (b *ttBuilder) wide(tab *Table) error {
	b.t.Format = "large"
	if len(tab.Header) < 2 {
		return &ParseError{File: tab.File, Line: 1, Err: fmt.Errorf(
			"%w : une table de temps de trajet doit avoir les colonnes origine,destination,minutes ou être une matrice (codes d'origine, puis une colonne par destination)", ErrMissingColumn)}
	}
	if !b.unit(tab.Header[0]) && !b.unit(b.opt.Unit) {
		return &ParseError{File: tab.File, Line: 1, Column: tab.Header[0], Err: fmt.Errorf(
			"%w : unité de la matrice inconnue : nommez la première case de l'en-tête \"minutes\" ou \"secondes\" (ou donnez --temps-unite)", ErrMissingColumn)}
	}
	cols := make([]int, len(tab.Header))
	for k, h := range tab.Header[1:] {
		if strings.TrimSpace(h) == "" {
			return &ParseError{File: tab.File, Line: 1, Err: fmt.Errorf("%w : destination vide dans l'en-tête (colonne %d)", ErrBadValue, k+2)}
		}
		n := len(b.t.Dests)
		if cols[k+1] = b.dest(h); cols[k+1] < n {
			return &ParseError{File: tab.File, Line: 1, Column: h, Err: fmt.Errorf("%w : destination %s donnée deux fois dans l'en-tête", ErrDuplicate, h)}
		}
	}
	rows := map[int]bool{}
	type row struct {
		o   int
		rec Record
	}
	var keep []row
	for _, rec := range tab.Records {
		if err := tab.CheckWidth(rec); err != nil {
			b.checks.Reject(err.(*ParseError))
			continue
		}
		o, ok := b.origin(tab.File, rec.Line, tab.Header[0], rec.Field(0))
		if !ok {
			continue
		}
		if rows[o] {
			b.checks.Reject(&ParseError{File: tab.File, Line: rec.Line, Column: tab.Header[0], Err: fmt.Errorf(
				"%w : origine %s donnée deux fois (la première ligne est gardée)", ErrDuplicate, b.t.Origins[o])})
			continue
		}
		rows[o] = true
		keep = append(keep, row{o, rec})
	}
	if err := b.alloc(tab.File); err != nil {
		return err
	}
	for _, r := range keep {
		for k := 1; k < len(tab.Header); k++ {
			v, ok := b.value(tab.File, r.rec.Line, tab.Header[k], r.rec.Field(k))
			if ok && !math.IsNaN(v) {
				b.t.minutes[r.o*len(b.t.Dests)+cols[k]] = v
				b.t.known++
			}
		}
	}
	return nil
}

// alloc makes the matrix, every cell absent.
func (b *ttBuilder) alloc(file string) error {
	n := len(b.t.Origins) * len(b.t.Dests)
	if len(b.t.Dests) > 0 && (n/len(b.t.Dests) != len(b.t.Origins) || n > MaxTableCells) {
		return &ParseError{File: file, Err: fmt.Errorf("%w : %d origines × %d destinations, plus de %d cases",
			ErrTooLarge, len(b.t.Origins), len(b.t.Dests), MaxTableCells)}
	}
	b.t.minutes = make([]float64, n)
	for i := range b.t.minutes {
		b.t.minutes[i] = math.NaN()
	}
	return nil
}

// origin returns the index of an origin code, adding it; a bad or
// unknown code is a Rejected check.
func (b *ttBuilder) origin(file string, line int, col, s string) (int, bool) {
	code, err := NormINSEE(s)
	if err == nil && b.opt.Known != nil && !b.opt.Known(code) {
		err = fmt.Errorf("%w : %s ne désigne aucune commune", ErrUnknownINSEE, code)
	}
	if err != nil {
		b.checks.Reject(&ParseError{File: file, Line: line, Column: col, Err: err})
		return 0, false
	}
	i, ok := b.t.oIdx[code]
	if !ok {
		i = len(b.t.Origins)
		b.t.oIdx[code] = i
		b.t.Origins = append(b.t.Origins, code)
	}
	return i, true
}

// dest returns the index of a destination: a known INSEE code is a
// commune, anything else a site id.
func (b *ttBuilder) dest(s string) int {
	s = strings.TrimSpace(s)
	key, idx, commune := s, b.t.sIdx, false
	if code, err := NormINSEE(s); err == nil && (b.opt.Known == nil || b.opt.Known(code)) {
		key, idx, commune = code, b.t.cIdx, true
	}
	j, ok := idx[key]
	if !ok {
		j = len(b.t.Dests)
		idx[key] = j
		b.t.Dests, b.t.IsCommune = append(b.t.Dests, key), append(b.t.IsCommune, commune)
	}
	return j
}

// value parses a time and converts it to minutes: NaN for an absent
// pair, false (with a Rejected check) for a bad one.
func (b *ttBuilder) value(file string, line int, col, s string) (float64, bool) {
	if indMissing[strings.ToLower(strings.TrimSpace(s))] {
		return math.NaN(), true
	}
	v, err := ParseFloatFR(s)
	if err == nil {
		v *= b.scale
		switch {
		case v < 0:
			err = fmt.Errorf("%w : temps de trajet négatif %s", ErrBadValue, s)
		case v > MaxTravelMinutes:
			err = fmt.Errorf("%w : temps de trajet %s %s de plus de 24 h (mauvaise unité ?)", ErrBadValue, s, b.t.Unit)
		}
	}
	if err != nil {
		b.checks.Reject(&ParseError{File: file, Line: line, Column: col, Err: err})
		return 0, false
	}
	return v, true
}
