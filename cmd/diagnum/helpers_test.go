package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"diagnum/internal/testmust"
)

// The helpers of this package's tests: running diagnum in process, and
// writing and reading the files of a run. Each fails the test on an
// error it does not return.

// run runs diagnum in a fresh folder and returns stderr and the error.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	t.Chdir(t.TempDir())
	_, stderr, err := runHere(t, args...)
	return stderr, err
}

// runHere runs diagnum in the working folder and returns its standard
// output, its standard error and its error.
func runHere(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = Run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

// writeTemp writes content into a file name of a new temporary folder
// and returns its path.
func writeTemp[T string | []byte](t *testing.T, name string, content T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeFiles writes name → content files in dir and returns their paths.
func writeFiles(t *testing.T, dir string, files map[string]string) map[string]string {
	t.Helper()
	paths := map[string]string{}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		paths[name] = p
	}
	return paths
}

// readFile returns the content of the file at path.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	return testmust.Value(os.ReadFile(path))(t)
}

// listDir returns the names in dir, temporary files included.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// wantNoFiles fails the test when dir holds a file (temporary files
// included): what, a refused run, must have written nothing there.
func wantNoFiles(t *testing.T, dir, what string) {
	t.Helper()
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("%s: files left in %s: %v", what, dir, got)
	}
}

// parseCSV returns the records of a CSV written by diagnum (UTF-8, with a
// byte-order mark or without).
func parseCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	return testmust.Value(csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll())(t)
}

// readCSV returns the records of the CSV file at path (parseCSV).
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	return parseCSV(t, readFile(t, path))
}

// csvRows returns the rows after the header of records, as maps from
// the header's names to the cells.
func csvRows(recs [][]string) []map[string]string {
	var out []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		out = append(out, row)
	}
	return out
}

// communesByCode returns the rows of the records of a communes CSV by
// code_insee.
func communesByCode(recs [][]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, row := range csvRows(recs) {
		out[row["code_insee"]] = row
	}
	return out
}

// readCommunesCSV returns the rows of a communes CSV by code_insee.
func readCommunesCSV(t *testing.T, path string) map[string]map[string]string {
	t.Helper()
	return communesByCode(readCSV(t, path))
}

// absPath returns the absolute path of name in the working folder: an
// output of a run (run) that the next run, in a fresh folder, reads.
func absPath(t *testing.T, name string) string {
	t.Helper()
	return testmust.Value(filepath.Abs(name))(t)
}

// zipFiles returns the content of the files of the zip archive at path
// (a workbook) whose names start with prefix, by name.
func zipFiles(t *testing.T, path, prefix string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, prefix) {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[zf.Name] = b
	}
	return files
}
