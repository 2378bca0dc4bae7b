// Package fuzztest holds what the loaders' fuzz tests share: seeds from
// the repository's fixture files (testdata/bad, testdata/sites, the real
// extracts…), so that every fuzz test starts from the same real and
// malformed inputs, and the check that a refused input is refused with
// the loader's typed error. Its only dependency is the standard library,
// so the tests of every package, data's own included, may use it.
package fuzztest

import (
	"bytes"
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
// skipped. A pattern that matches no file (or only larger ones), or a
// file that cannot be read, fails the test: a seed lost to a renamed
// fixture would go unnoticed.
func Seed(f *testing.F, testdata string, patterns ...string) {
	f.Helper()
	SeedLines(f, testdata, 0, patterns...)
}

// SeedCSV adds the CSV fixtures every CSV loader's fuzz test starts
// from: the malformed files of testdata/bad and the valid ones of
// testdata/sites.
func SeedCSV(f *testing.F, testdata string) {
	f.Helper()
	Seed(f, testdata, "bad/*.csv", "sites/*.csv")
}

// SeedLines is Seed with only the first n lines of each file (with their
// line ends) when n > 0: the head of a large real extract, its header
// and first rows, is a seed of a useful size.
func SeedLines(f *testing.F, testdata string, n int, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		paths, err := filepath.Glob(filepath.Join(testdata, pattern))
		if err != nil || len(paths) == 0 {
			f.Fatalf("fuzz seeds %s: no file (%v)", pattern, err)
		}
		added := 0
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			if b = Head(b, n); len(b) <= MaxSize {
				f.Add(b)
				added++
			}
		}
		if added == 0 {
			f.Fatalf("fuzz seeds %s: every file is larger than %d bytes", pattern, MaxSize)
		}
	}
}

// Head returns the first n lines of b, line ends included (all of b when
// n <= 0 or b has no more lines).
func Head(b []byte, n int) []byte {
	if n <= 0 {
		return b
	}
	end := 0
	for range n {
		i := bytes.IndexByte(b[end:], '\n')
		if i < 0 {
			return b
		}
		end += i + 1
	}
	return b[:end]
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
