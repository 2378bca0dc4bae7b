// Package testnum parses the numbers that tests read back from files
// (CSV and workbook cells), failing the test on one that is not a
// number. Its only dependency is the standard library, so the tests of
// every package, diag's own included, may use it.
package testnum

import (
	"strconv"
	"testing"
)

// Int returns s as an int, or fails tb.
func Int(tb testing.TB, s string) int {
	tb.Helper()
	v, err := strconv.Atoi(s)
	if err != nil {
		tb.Fatalf("cell %q: %v", s, err)
	}
	return v
}

// Float returns s as a float64, or fails tb.
func Float(tb testing.TB, s string) float64 {
	tb.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		tb.Fatalf("cell %q: %v", s, err)
	}
	return v
}
