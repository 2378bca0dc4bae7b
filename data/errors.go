package data

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is.
var (
	ErrUnknownINSEE  = errors.New("data: unknown INSEE code")
	ErrBadCoordinate = errors.New("data: bad coordinate")
	ErrOutsideFrance = errors.New("data: coordinates outside the French territories")
	ErrSwappedLatLon = errors.New("data: latitude and longitude look swapped")
	ErrOutsideScope  = errors.New("data: outside the diagnostic's territories")
	ErrMissingColumn = errors.New("data: missing column")
	ErrBadNumber     = errors.New("data: not a number")
	ErrEmptyFile     = errors.New("data: no usable row")
	ErrBadCode       = errors.New("data: malformed code")
	ErrDuplicate     = errors.New("data: duplicate")
	ErrBadValue      = errors.New("data: invalid value")
	// ErrUnknownIndicator: a weight names an indicator that is not in the data.
	ErrUnknownIndicator = errors.New("data: unknown indicator")
	ErrTooLarge         = errors.New("data: input beyond limits")
	ErrBinary           = errors.New("data: not a text file")
	// ErrEncoding: the text mixes encodings or holds a byte order mark after its start.
	ErrEncoding = errors.New("data: bad text encoding")
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
	return fmt.Sprintf("%s:%d: column %q: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }
