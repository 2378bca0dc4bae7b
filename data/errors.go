package data

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is.
var (
	ErrUnknownINSEE  = errors.New("code INSEE inconnu")
	ErrBadCoordinate = errors.New("coordonnée invalide")
	ErrOutsideFrance = errors.New("coordonnées hors des territoires français")
	ErrSwappedLatLon = errors.New("latitude et longitude semblent inversées")
	ErrOutsideScope  = errors.New("hors des territoires du diagnostic")
	ErrMissingColumn = errors.New("colonne absente")
	ErrBadNumber     = errors.New("nombre illisible")
	ErrEmptyFile     = errors.New("aucune ligne utilisable")
	ErrBadCode       = errors.New("code mal formé")
	ErrDuplicate     = errors.New("doublon")
	ErrBadValue      = errors.New("valeur invalide")
	// ErrUnknownIndicator: a weight names an indicator that is not in the data.
	ErrUnknownIndicator = errors.New("indicateur inconnu")
	ErrTooLarge         = errors.New("entrée au-delà des limites")
	ErrBinary           = errors.New("pas un fichier texte")
	// ErrEncoding: the text mixes encodings or holds a byte order mark after its start.
	ErrEncoding = errors.New("encodage du texte invalide")
)

// ParseError is the error for one field of one row of an input file.
// Line is 1-based, counted in physical lines of the file (a quoted field
// with newlines spans several lines; Line is where the record starts).
type ParseError struct {
	File   string // file name as given by the user
	Line   int    // 0 when the error is about the whole file
	Column string // column name ("" when not about one column)
	Err    error  // the reason, usually wrapping a sentinel error
}

func (e *ParseError) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	case e.Column == "":
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: colonne %q : %v", e.File, e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// textError gives a French text to an error of the standard library
// (encoding/csv, encoding/json) while keeping it for errors.Is.
type textError struct {
	text string
	err  error
}

func (e *textError) Error() string { return e.text }
func (e *textError) Unwrap() error { return e.err }
