package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// existingOutputs returns a temporary folder holding b.csv ("old", mode
// 0600), the path of b.csv, and a new output set whose standard output is
// the buffer returned.
func existingOutputs(t *testing.T) (dir, old string, stdout *bytes.Buffer, set *outputs) {
	t.Helper()
	dir = t.TempDir()
	old = filepath.Join(dir, "b.csv")
	if err := os.WriteFile(old, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout = &bytes.Buffer{}
	return dir, old, stdout, newOutputs(context.Background(), stdout)
}

// TestOutputsAllOrNothing: when the third file fails, the first two are
// not created, the existing file is unchanged, nothing reaches standard
// output and no temporary file is left.
func TestOutputsAllOrNothing(t *testing.T) {
	dir, old, stdout, set := existingOutputs(t)
	boom := errors.New("disk on fire")
	err := errors.Join(
		set.write(filepath.Join(dir, "a.geojson"), writeString("{}")),
		set.write(old, writeString("new")),
		set.write("-", writeString("to stdout")),
		set.write(filepath.Join(dir, "c.xlsx"), func(w io.Writer) error { io.WriteString(w, "half"); return boom }),
	)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the write error", err)
	}
	if err := set.abort(); err != nil {
		t.Fatal(err)
	}
	if got := listDir(t, dir); len(got) != 1 || got[0] != "b.csv" {
		t.Errorf("folder holds %v, want only the old b.csv", got)
	}
	if b, _ := os.ReadFile(old); string(b) != "old" || stdout.Len() != 0 {
		t.Errorf("b.csv = %q, stdout %q: changed by a failed run", b, stdout.String())
	}
}

// TestOutputsCommit: a successful run replaces the existing file, keeps
// its permissions, and prints standard output only at commit.
func TestOutputsCommit(t *testing.T) {
	dir, old, stdout, set := existingOutputs(t)
	defer set.abort()
	for _, err := range []error{set.write(old, writeString("new")), set.write("-", writeString("csv")),
		set.write(filepath.Join(dir, "a.xlsx"), writeString("book"))} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if stdout.Len() != 0 || len(listDir(t, dir)) != 3 { // b.csv and two temporary files
		t.Fatalf("before commit: stdout %q, folder %v", stdout.String(), listDir(t, dir))
	}
	if err := set.commit(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(listDir(t, dir), " "); got != "a.xlsx b.csv" || stdout.String() != "csv" {
		t.Errorf("after commit: folder %q, stdout %q", got, stdout.String())
	}
	fi, err := os.Stat(old)
	if b, _ := os.ReadFile(old); err != nil || string(b) != "new" || fi.Mode().Perm() != 0o600 {
		t.Errorf("b.csv = %q, mode %v; want new, 0600", b, fi.Mode())
	}
}

// TestOutputsCancel: a write after cancellation fails with
// context.Canceled and commit refuses; nothing is left.
func TestOutputsCancel(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	set := newOutputs(ctx, io.Discard)
	defer set.abort()
	err := set.write(filepath.Join(dir, "a.xlsx"), func(w io.Writer) error {
		if _, err := io.WriteString(w, "first part"); err != nil {
			return err
		}
		cancel() // Ctrl-C in the middle of the file
		_, err := io.WriteString(w, "second part")
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("write: %v, want context.Canceled", err)
	}
	if err := set.commit(); !errors.Is(err, context.Canceled) {
		t.Errorf("commit: %v, want context.Canceled", err)
	}
	set.abort()
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("left behind: %v", got)
	}
}

// TestCommitRestores: when a rename fails in the middle of commit (here
// the third target became a folder after the checks), the targets
// already replaced get their old version back and a new one is removed:
// nothing has changed.
func TestCommitRestores(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.geojson"), filepath.Join(dir, "c.xlsx")
	if err := os.WriteFile(a, []byte("old a"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	set := newOutputs(context.Background(), &stdout)
	defer set.abort()
	for _, p := range []string{a, b, "-", c} {
		if err := set.write(p, writeString("new")); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(c, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c, "inside"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := set.commit()
	if err == nil {
		t.Fatal("commit over a non-empty folder succeeded")
	}
	set.abort()
	got := snapshot(t, dir)
	if fmt.Sprint(got) != fmt.Sprint(map[string]string{"a.csv": "old a", "c.xlsx": "(not a file)"}) || stdout.Len() != 0 {
		t.Errorf("after a failed commit: %v, stdout %q", got, stdout.String())
	}
	if fi, err := os.Stat(a); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("a.csv lost its mode: %v %v", fi, err)
	}
}

// TestOutDash: --out - prints the communes CSV on standard output, the
// same bytes as --csv FILE, and writes no workbook: the shared run
// creuseDash leaves only its CSV and its two GeoJSON layers.
func TestOutDash(t *testing.T) {
	r := creuseDash.get(t)
	file := readFile(t, r.path("c.csv"))
	// Creuse: header + 255 communes (COG 2025, see TestDefaultRun).
	if r.stdout != string(file) || bytes.Count(file, []byte("\n")) != 256 {
		t.Errorf("stdout (%d bytes) differs from c.csv (%d bytes, %d lines)", len(r.stdout), len(file), bytes.Count(file, []byte("\n")))
	}
	if got := strings.Join(listDir(t, r.dir), " "); got != "c.csv g-sites.geojson g.geojson" {
		t.Errorf("folder holds %v, want only c.csv and the two layers", got)
	}
}

// TestMapOnlyWhenNeeded: --out - draws no map (no output embeds it:
// creuseDash); a workbook with --map draws it once (creuseBook), and the
// PNG file is the picture embedded in the workbook.
func TestMapOnlyWhenNeeded(t *testing.T) {
	if d := creuseDash.get(t).maps; d != 0 {
		t.Errorf("--out -: %d map(s) drawn, want none", d)
	}
	book := creuseBook.get(t)
	if book.maps != 1 {
		t.Errorf("--map m, workbook diagnostic-23.xlsx: %d map(s) drawn, want 1", book.maps)
	}
	file := readFile(t, book.path("m.png"))
	embedded := zipFiles(t, book.path("diagnostic-23.xlsx"), "xl/media/image1.png")["xl/media/image1.png"]
	if !bytes.Equal(file, embedded) || len(file) < 1000 {
		t.Errorf("m.png (%d bytes) is not the workbook's picture (%d bytes)", len(file), len(embedded))
	}
	if svg, err := os.ReadFile(book.path("m.svg")); err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("m.svg: %v", err)
	}
}

// TestOSCause: the system errors users meet (disk full, permission,
// missing file, read-only disk) get a French cause, even wrapped; others
// none.
func TestOSCause(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "write", Path: "x.xlsx", Err: syscall.ENOSPC}, "disque plein"},
		{fmt.Errorf("écriture de x.xlsx : %w", &fs.PathError{Op: "open", Path: "x.xlsx", Err: syscall.EACCES}), "permission refusée"},
		{fmt.Errorf("lieux l.csv : %w", &fs.PathError{Op: "open", Path: "l.csv", Err: syscall.ENOENT}), "fichier ou dossier introuvable"},
		{&fs.PathError{Op: "open", Path: "x", Err: syscall.EROFS}, "système de fichiers en lecture seule"},
		{errors.New("autre"), ""},
	} {
		if got := osCause(tc.err); !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("osCause(%v) = %q, want %q…", tc.err, got, tc.want)
		}
	}
}
