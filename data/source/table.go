package source

import (
	"fmt"
	"io"

	"diagnum/data"
)

// readTable reads the table of name (data.ReadTable) and requires the
// columns cols, returning their indexes in that order. Both errors are
// wrapped as "chargement <what> : …", the words every adapter's errors
// start with.
func readTable(what, name string, r io.Reader, cols ...string) (*data.Table, []int, error) {
	t, err := data.ReadTable(name, r)
	if err != nil {
		return nil, nil, fmt.Errorf("chargement %s : %w", what, err)
	}
	idx, err := t.Require(cols...)
	if err != nil {
		return nil, nil, fmt.Errorf("chargement %s : %w", what, err)
	}
	return t, idx, nil
}

// noneKept is the error of a file of which no row was kept: an
// ErrEmptyFile of name saying why, wrapped as readTable's.
func noneKept(what, name, why string) error {
	return fmt.Errorf("chargement %s : %w", what, &data.ParseError{File: name, Err: fmt.Errorf("%w : %s", data.ErrEmptyFile, why)})
}
