package diag

import (
	"os"
	"path/filepath"
	"testing"
)

// openFixture opens rel (a slash-separated path) in the repository's
// testdata folder, failing t when it cannot; the file is closed when t
// ends.
func openFixture(t testing.TB, rel string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
