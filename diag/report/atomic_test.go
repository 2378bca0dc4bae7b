package report

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// tempFiles returns the names in dir other than keep.
func tempFiles(t *testing.T, dir, keep string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var v []string
	for _, e := range es {
		if e.Name() != keep {
			v = append(v, e.Name())
		}
	}
	return v
}

func TestWriteFileAtomicFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "diag.xlsx")
	if err := os.WriteFile(path, []byte("old content"), 0o640); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := WriteFileAtomic(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, "new half"); err != nil {
			return err
		}
		return boom // fails mid-write
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap %v", err, boom)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old content" {
		t.Errorf("target = %q, want the old content", got)
	}
	if v := tempFiles(t, dir, "diag.xlsx"); len(v) != 0 {
		t.Errorf("temporary files left behind: %q", v)
	}
}

func TestWriteFileAtomicReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "communes.csv")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(got) != "new" || fi.Mode().Perm() != 0o640 {
		t.Errorf("target = %q mode %v, want \"new\" mode 0640 (kept from the old file)", got, fi.Mode().Perm())
	}
	if v := tempFiles(t, dir, "communes.csv"); len(v) != 0 {
		t.Errorf("temporary files left behind: %q", v)
	}
}

func TestWriteFileAtomicNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.csv")
	if err := WriteFileAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "x")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o644 || fi.Size() != 1 {
		t.Errorf("stat = %v, %v; want a 1-byte file of mode 0644", fi, err)
	}
}

func TestWriteFileAtomicMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "a.csv")
	called := false
	err := WriteFileAtomic(path, func(io.Writer) error { called = true; return nil })
	if !errors.Is(err, os.ErrNotExist) || called {
		t.Errorf("err = %v, called = %v; want ErrNotExist before writing", err, called)
	}
}

func TestWriteFileAtomicStdout(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	err = WriteFileAtomic("-", func(out io.Writer) error {
		_, err := io.WriteString(out, "to stdout")
		return err
	})
	os.Stdout = old
	w.Close()
	got, _ := io.ReadAll(r)
	if err != nil || string(got) != "to stdout" {
		t.Errorf("stdout = %q, %v", got, err)
	}
}
