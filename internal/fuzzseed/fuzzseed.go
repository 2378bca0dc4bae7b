// Package fuzzseed seeds fuzz tests with the repository's fixture files
// (testdata/bad, testdata/sites, the real extracts…), so that every
// loader's fuzz test starts from the same real and malformed inputs. Its
// only dependency is the standard library, so the tests of every package
// may use it.
package fuzzseed

import (
	"os"
	"path/filepath"
	"testing"
)

// MaxSize is the size of the largest file Files adds: a larger seed
// would slow every fuzz iteration without exercising anything a small
// one does not (the largest fixture, testdata/bad/long-name.csv, is
// 35 KB).
const MaxSize = 64 << 10

// Files adds to f the content of every file of the testdata folder that
// matches one of patterns (filepath.Glob patterns relative to testdata,
// such as "bad/*.csv"); testdata is that folder's path from the test's
// package directory ("../testdata"). Files larger than MaxSize are
// skipped. A pattern that matches no file, or a file that cannot be read,
// fails the test: a seed lost to a renamed fixture would go unnoticed.
func Files(f *testing.F, testdata string, patterns ...string) {
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
