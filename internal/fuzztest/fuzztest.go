// Package fuzztest holds what the loaders' fuzz tests share: seeds from
// the repository's fixture files (testdata/bad, testdata/sites, the real
// extracts…), so that every fuzz test starts from the same real and
// malformed inputs, and the check that a refused input is refused with
// the loader's typed error. Its only dependency is the standard library,
// so the tests of every package, data's own included, may use it.
package fuzztest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// MaxSize is the size of the largest file Seed adds: a larger seed
// would slow every fuzz iteration without exercising anything a small
// one does not (the largest fixture, testdata/bad/long-name.csv, is
// 35 KB).
const MaxSize = 64 << 10

// Seed adds to f the content of every file of the testdata folder that
// matches one of patterns (filepath.Glob patterns relative to testdata,
// such as "bad/*.csv"); testdata is that folder's path from the test's
// package directory ("../testdata"). Files larger than MaxSize are
// skipped. A pattern that matches no file, or a file that cannot be read,
// fails the test: a seed lost to a renamed fixture would go unnoticed.
func Seed(f *testing.F, testdata string, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		paths, err := filepath.Glob(filepath.Join(testdata, pattern))
		if err != nil || len(paths) == 0 {
			f.Fatalf("fuzz seeds %s: no file (%v)", pattern, err)
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			if len(b) <= MaxSize {
				f.Add(b)
			}
		}
	}
}

// Refused reports whether a loader refused its fuzzed input (err is not
// nil), failing t when err is not an E (for the loaders of data and their
// users, E is *data.ParseError): a loader says what is wrong, with the
// file and line, rather than fail any other way.
func Refused[E error](t *testing.T, err error) bool {
	t.Helper()
	if err == nil {
		return false
	}
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not a %T", err, err, e)
	}
	return true
}
