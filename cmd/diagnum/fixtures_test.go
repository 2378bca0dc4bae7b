package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"diagnum/internal/testmust"
)

// The fixtures shared by the tests of this package: the command built
// once (buildDiagnum) and the runs that several tests read (sharedRun),
// each made once per test process in a folder that TestMain removes.
// Every run of diagnum computes the national baseline (and a workbook a
// second one, for the offers of Synthèse): under -race each takes
// seconds, so tests that only read the same outputs share one run.

// built is the command, built once per test process by buildDiagnum.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// TestMain runs the tests, then removes the command built for them and
// the folders of the shared runs.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range append([]string{built.dir}, sharedDirs()...) {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// buildDiagnum returns the path of the command, built on the first call
// of the test process; later calls reuse it.
func buildDiagnum(t *testing.T) string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build diagnum:", err)
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "diagnum-test-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "diagnum")
		if out, err := exec.Command(gocmd, "build", "-o", built.bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// child is a run of the built command (startCmd): the process, its
// standard error, and the result of its Wait, sent once it exits.
type child struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   <-chan error
}

// startCmd starts bin with args in dir.
func startCmd(t *testing.T, dir, bin string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	stderr := &bytes.Buffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return &child{cmd, stderr, done}
}

// wait waits at most d for the command to exit and returns cmd.Wait's
// result; past d it kills the command and fails the test with its
// standard error, rather than hang the suite.
func (c *child) wait(t *testing.T, d time.Duration) error {
	t.Helper()
	select {
	case err := <-c.done:
		return err
	case <-time.After(d):
		c.cmd.Process.Kill()
		<-c.done // the copy into stderr has ended
		t.Fatalf("%s did not end within %v; stderr:\n%s", c.cmd, d, c.stderr)
	}
	return nil
}

// testdata is the absolute path of the repository's testdata folder,
// taken when the test process starts in the package's folder (the tests
// change the working folder).
var testdata = func() string {
	p, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if err != nil {
		panic(err)
	}
	return p
}()

// fixture returns the absolute path of a file of testdata, whatever the
// working folder.
func fixture(t *testing.T, rel string) string {
	t.Helper()
	return filepath.Join(testdata, filepath.FromSlash(rel))
}

// sharedRun is a run of diagnum (Run, in process) made once per test
// process in its own folder, whose outputs several tests read (and never
// change). args name the outputs relative to that folder, the working
// folder of the run; inputs are given by absolute paths.
type sharedRun struct {
	args  func(t *testing.T) []string
	files map[string]string // input files written in the folder first (name → content)

	once           sync.Once
	dir            string
	stdout, stderr string
	maps           int64 // maps drawn by the run (mapsDrawn)
	err            error
}

// Shared runs of the default territory (Creuse, whole offer).
var (
	// creuseDash: --out -, the communes CSV on standard output and in
	// c.csv, the GeoJSON layers g.geojson and g-sites.geojson; no
	// workbook, no map.
	creuseDash = &sharedRun{args: func(*testing.T) []string {
		return []string{"--out", "-", "--csv", "c.csv", "--geojson", "g.geojson", "--quiet"}
	}}
	// creuseBook: as `make run` (the workbook diagnostic-23.xlsx, the
	// default name), with the CSV creuse.csv and the map m.png, m.svg;
	// not quiet.
	creuseBook = &sharedRun{args: func(*testing.T) []string {
		return []string{"--csv", "creuse.csv", "--map", "m"}
	}}
	// creuseBadSites: --sites testdata/bad/bad-coordinate.csv (rows 3, 4
	// and 5 rejected, see bad-coordinate.err) with the default workbook
	// diagnostic-23.xlsx; not quiet.
	creuseBadSites = &sharedRun{args: func(t *testing.T) []string {
		return []string{"--sites", fixture(t, "bad/bad-coordinate.csv")}
	}}
	// creuseGridAges: the 50-cell extract of the Creuse 200 m grid as
	// demand layer, weighting part_65_plus (w.csv), with c.csv and the
	// workbook c.xlsx; not quiet.
	creuseGridAges = &sharedRun{args: func(t *testing.T) []string {
		return []string{"--dept", "23", "--demande", fixture(t, "carreaux/carreaux-200m-extrait.csv"), "--weights", "w.csv", "--csv", "c.csv", "--out", "c.xlsx"}
	}, files: map[string]string{"w.csv": "indicateur,poids\npart_65_plus,1\n"}}
)

// sharedDirs returns the folders of the shared runs made.
func sharedDirs() []string {
	var dirs []string
	for _, s := range []*sharedRun{creuseDash, creuseBook, creuseBadSites, creuseGridAges} {
		if s.dir != "" {
			dirs = append(dirs, s.dir)
		}
	}
	return dirs
}

// get makes the run on its first call (the tests of this package do not
// run in parallel, so the working folder may change for its duration)
// and fails the test if it failed.
func (s *sharedRun) get(t *testing.T) *sharedRun {
	t.Helper()
	s.once.Do(func() {
		args := s.args(t)
		if s.dir, s.err = os.MkdirTemp("", "diagnum-shared-"); s.err != nil {
			return
		}
		wd, err := os.Getwd()
		if err != nil {
			s.err = err
			return
		}
		if s.err = os.Chdir(s.dir); s.err != nil {
			return
		}
		defer os.Chdir(wd)
		for name, content := range s.files {
			if s.err = os.WriteFile(name, []byte(content), 0o644); s.err != nil {
				return
			}
		}
		var stdout, stderr bytes.Buffer
		n := mapsDrawn.Load()
		if err := Run(context.Background(), args, &stdout, &stderr); err != nil {
			s.err = fmt.Errorf("diagnum %q: %w\n%s", args, err, stderr.String())
		}
		s.maps = mapsDrawn.Load() - n
		s.stdout, s.stderr = stdout.String(), stderr.String()
	})
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s
}

// path returns the path of an output of the run.
func (s *sharedRun) path(name string) string { return filepath.Join(s.dir, name) }

// openBook opens the workbook at path; it is closed when the test ends.
func openBook(t *testing.T, path string, opts ...excelize.Options) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sheetRows returns the rows of a sheet of f.
func sheetRows(t *testing.T, f *excelize.File, sheet string, opts ...excelize.Options) [][]string {
	t.Helper()
	return testmust.Value(f.GetRows(sheet, opts...))(t)
}
