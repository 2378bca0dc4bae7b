package source

import (
	"errors"
	"fmt"
	"io"
	"iter"

	"diagnum/data"
)

// readTable reads the table of name (data.ReadTable) and requires the
// columns cols, returning their indexes in that order. Both errors are
// wrapped as "chargement <what> : …", the words every adapter's errors
// start with.
func readTable(what, name string, r io.Reader, cols ...string) (*data.Table, []int, error) {
	t, idx, err := readTableCols(name, r, cols...)
	if err != nil {
		return nil, nil, fmt.Errorf("chargement %s : %w", what, err)
	}
	return t, idx, nil
}

// readTableCols is readTable with its errors as data.ReadTable and
// Require return them.
func readTableCols(name string, r io.Reader, cols ...string) (*data.Table, []int, error) {
	t, err := data.ReadTable(name, r)
	if err != nil {
		return nil, nil, err
	}
	idx, err := t.Require(cols...)
	if err != nil {
		return nil, nil, err
	}
	return t, idx, nil
}

// wellFormed yields the records of t, the table of file name, in their
// order, each with its siteRow; a record whose width differs from the
// header's (widthErr) is rejected into checks instead.
func wellFormed(t *data.Table, name string, checks *data.Checks) iter.Seq2[data.Record, siteRow] {
	return func(yield func(data.Record, siteRow) bool) {
		for _, rec := range t.Records {
			if werr := widthErr(t, rec); werr != nil {
				checks.Reject(werr)
				continue
			}
			if !yield(rec, siteRow{file: name, line: rec.Line}) {
				return
			}
		}
	}
}

// widthErr is t.CheckWidth(rec) as a *data.ParseError (nil for a well-formed row).
func widthErr(t *data.Table, rec data.Record) *data.ParseError {
	var pe *data.ParseError
	if errors.As(t.CheckWidth(rec), &pe) {
		return pe
	}
	return nil
}

// codedRows yields the records of t, the per-commune table of file name,
// in their order, each with its commune code (field i, column
// insee_com); a record whose code is malformed (data.NormINSEE) or given
// by an earlier row (repeatedCode: seen maps a code to the line of its
// row, which the caller records once it keeps the row) is rejected into
// checks instead.
func codedRows(t *data.Table, name string, i int, seen map[string]int, checks *data.Checks) iter.Seq2[data.Record, string] {
	return func(yield func(data.Record, string) bool) {
		for _, rec := range t.Records {
			code, err := data.NormINSEE(rec.Field(i))
			if err != nil {
				checks.Reject(&data.ParseError{File: name, Line: rec.Line, Column: "insee_com", Err: err})
				continue
			}
			if perr := repeatedCode(name, rec.Line, code, seen); perr != nil {
				checks.Reject(perr)
				continue
			}
			if !yield(rec, code) {
				return
			}
		}
	}
}

// repeatedCode is the error (ErrDuplicate, column insee_com) of the row
// at line of file name whose commune code an earlier row gave (seen maps
// a code to the line of its row), or nil when no row gave it.
func repeatedCode(name string, line int, code string, seen map[string]int) *data.ParseError {
	first := seen[code]
	if first == 0 {
		return nil
	}
	return &data.ParseError{File: name, Line: line, Column: "insee_com",
		Err: fmt.Errorf("%w : le code %s figure déjà ligne %d", data.ErrDuplicate, code, first)}
}

// noValidRow is the error of a per-commune table of name without a valid
// row (ErrEmptyFile).
func noValidRow(name string) error {
	return &data.ParseError{File: name, Err: fmt.Errorf("%w : aucune ligne valide", data.ErrEmptyFile)}
}

// noneKept is the error of a file of which no row was kept: an
// ErrEmptyFile of name saying why, wrapped as readTable's.
func noneKept(what, name, why string) error {
	return fmt.Errorf("chargement %s : %w", what, &data.ParseError{File: name, Err: fmt.Errorf("%w : %s", data.ErrEmptyFile, why)})
}
