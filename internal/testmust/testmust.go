// Package testmust fails a test on an error, written once. The tests of
// every package call functions that return a value and an error and want
// the value; instead of each writing its wrapper (err := …; if err != nil
// { t.Fatal(err) }; return v), they write
//
//	b := testmust.Value(os.ReadFile(path))(t)
//
// Its only dependency is the standard library, so the tests of every
// package may use it.
package testmust

import (
	"bytes"
	"io"
	"testing"
)

// Value returns a function that returns v, or fails tb with err when err
// is not nil. Its argument list takes a call's two results whole:
// Value(f(x))(t).
func Value[T any](v T, err error) func(tb testing.TB) T {
	return func(tb testing.TB) T {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
}

// Written returns the bytes write writes, failing tb on its error.
func Written(tb testing.TB, write func(io.Writer) error) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
