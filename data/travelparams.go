package data

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ClassAll is the classe_densite of the row that holds the parameters of
// every commune (the fallback of a class without its own row).
const ClassAll = "toutes"

// ModelParams are the two parameters of the crow-fly model.
type ModelParams struct {
	Detour   float64 // road distance / great-circle distance
	SpeedKmh float64 // mean speed, km/h
}

// TravelParams are the model parameters of a parameters file (diagnum
// calibrer): All for every commune, ByClass for the communes of a
// density class of the INSEE grid (1–7) when the file has its row.
type TravelParams struct {
	All     ModelParams
	ByClass map[int]ModelParams
}

// travelParamsColumns are the columns of a parameters file; the columns
// after vitesse_kmh are informative (the fit) and not read.
var travelParamsColumns = []string{"classe_densite", "detour", "vitesse_kmh", "couples", "erreur_mediane_min", "erreur_p90_min"}

// LoadTravelParams reads a parameters file written by diagnum calibrer:
// CSV with the columns classe_densite (toutes, or 1–7), detour and
// vitesse_kmh, with the conventions of ReadTable. The row toutes is
// required; a class appears at most once. Detour and speed must be
// positive numbers (the diagnostic checks their bounds). Any bad row
// refuses the file with a *ParseError naming its line and column.
func LoadTravelParams(name string, r io.Reader) (*TravelParams, error) {
	t, err := ReadTable(name, r)
	if err != nil {
		return nil, err
	}
	idx, err := t.Require(travelParamsColumns[:3]...)
	if err != nil {
		return nil, err
	}
	p := &TravelParams{ByClass: map[int]ModelParams{}}
	all := false
	for _, rec := range t.Records {
		m, err := travelParamsRow(name, rec, idx)
		if err != nil {
			return nil, err
		}
		bad := func(e error) error { return &ParseError{File: name, Line: rec.Line, Column: "classe_densite", Err: e} }
		class := strings.ToLower(rec.Field(idx[0]))
		if class == ClassAll {
			if all {
				return nil, bad(fmt.Errorf("%w : ligne %s donnée deux fois", ErrDuplicate, ClassAll))
			}
			p.All, all = m, true
			continue
		}
		c, err := strconv.Atoi(class)
		if err != nil || c < 1 || c > 7 {
			return nil, bad(fmt.Errorf("%w : %q, attendu %s ou une classe de densité 1–7", ErrBadValue, class, ClassAll))
		}
		if _, dup := p.ByClass[c]; dup {
			return nil, bad(fmt.Errorf("%w : classe %d donnée deux fois", ErrDuplicate, c))
		}
		p.ByClass[c] = m
	}
	if !all {
		return nil, &ParseError{File: name, Line: 1, Column: "classe_densite", Err: fmt.Errorf("%w : pas de ligne %s", ErrMissingColumn, ClassAll)}
	}
	return p, nil
}

// travelParamsRow reads detour and vitesse_kmh.
func travelParamsRow(name string, rec Record, idx []int) (ModelParams, error) {
	var v [2]float64
	for k := range v {
		col := travelParamsColumns[k+1]
		x, err := ParseFloatFR(rec.Field(idx[k+1]))
		if err == nil && !(x > 0) {
			err = fmt.Errorf("%w : %s = %v, un nombre positif est attendu", ErrBadValue, col, x)
		}
		if err != nil {
			return ModelParams{}, &ParseError{File: name, Line: rec.Line, Column: col, Err: err}
		}
		v[k] = x
	}
	return ModelParams{Detour: v[0], SpeedKmh: v[1]}, nil
}

// TravelParamsRow is a row of a parameters file with its fit.
type TravelParamsRow struct {
	Class     string // ClassAll or "1"–"7"
	Params    ModelParams
	Pairs     int     // couples: table pairs of the fit
	MedianErr float64 // erreur_mediane_min: median |model − real|, minutes
	P90Err    float64 // erreur_p90_min: 90th percentile of |model − real|
}

// WriteTravelParams writes a parameters file (comma, dot decimals,
// UTF-8) that LoadTravelParams reads back.
func WriteTravelParams(w io.Writer, rows []TravelParamsRow) error {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	var b strings.Builder
	b.WriteString(strings.Join(travelParamsColumns, ",") + "\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%s,%s,%d,%s,%s\n", r.Class, f(r.Params.Detour), f(r.Params.SpeedKmh), r.Pairs, f(r.MedianErr), f(r.P90Err))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
