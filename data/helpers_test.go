package data

import (
	"os"
	"path/filepath"
	"testing"
)

// openTestdata opens the fixture testdata/<path> (each folder of
// testdata says where its files come from in its PROVENANCE.md), closed
// at the end of the test.
func openTestdata(tb testing.TB, path string) *os.File {
	tb.Helper()
	return openFile(tb, filepath.Join("..", "testdata", path))
}

// openFile opens the file at path, closed at the end of the test.
func openFile(tb testing.TB, path string) *os.File {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}
