package data

import (
	"fmt"
	"io"
	"io/fs"
)

// The limits the readers apply: MaxFileBytes, MaxRows and MaxSites, kept in
// variables so that tests can lower them instead of generating gigabytes.
var (
	maxFileBytes int64 = MaxFileBytes
	maxRows            = MaxRows
	maxSites           = MaxSites
)

// statReader is a reader that knows its size, as *os.File and fs.File do.
type statReader interface {
	Stat() (fs.FileInfo, error)
}

// checkSize refuses, before reading it, an input whose size is known and
// larger than maxFileBytes.
func checkSize(name string, r io.Reader) error {
	if s, ok := r.(statReader); ok {
		if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > maxFileBytes {
			return tooLarge(name, fi.Size())
		}
	}
	return nil
}

// readAllLimited reads r whole, within maxFileBytes: a file known to be
// larger is refused before any read, and a stream is refused as soon as
// it goes past the limit, so at most maxFileBytes+1 bytes are held.
func readAllLimited(name string, r io.Reader) ([]byte, error) {
	if err := checkSize(name, r); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("read: %w", err)}
	}
	if int64(len(raw)) > maxFileBytes {
		return nil, tooLarge(name, -1)
	}
	return raw, nil
}

// tooLarge is the error of a file beyond maxFileBytes (size -1: unknown).
func tooLarge(name string, size int64) error {
	limit := fmt.Sprintf("%d bytes", maxFileBytes)
	if maxFileBytes%(1<<30) == 0 {
		limit = fmt.Sprintf("%d GiB", maxFileBytes>>30)
	}
	if size < 0 {
		return &ParseError{File: name, Err: fmt.Errorf("%w: file larger than %s", ErrTooLarge, limit)}
	}
	return &ParseError{File: name, Err: fmt.Errorf("%w: file of %d bytes, larger than %s", ErrTooLarge, size, limit)}
}
