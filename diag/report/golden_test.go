package report

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// golden returns the content and the path of the golden file name of
// the module's testdata/golden. Under go test -update it first writes
// there what write returns (write nil: the file is only read).
func golden(t *testing.T, name string, write func() []byte) ([]byte, string) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "golden", name)
	if *update && write != nil {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, write(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	return b, path
}

// firstDiff returns the first differing line of a and b.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n got  " + x + "\n want " + y
		}
	}
	return ""
}
