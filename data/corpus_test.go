package data_test

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/data/source"
)

// corpusSentinels are the sentinel errors every corpus error and check
// must wrap (encoding/csv's quote errors are accepted for the CSV syntax).
var corpusSentinels = []error{data.ErrUnknownINSEE, data.ErrBadCoordinate, data.ErrOutsideFrance, data.ErrSwappedLatLon, data.ErrOutsideScope,
	data.ErrMissingColumn, data.ErrBadNumber, data.ErrEmptyFile, data.ErrBadCode, data.ErrDuplicate, data.ErrBadValue, data.ErrTooLarge,
	data.ErrBinary, data.ErrEncoding}

// loadCorpusFile loads one file of testdata/bad with the loader its name
// calls for: indicators-opts-*.csv LoadIndicators with testResolve and
// three reserved columns, indicators-*.csv LoadIndicatorsCSV, cog-*.json
// ReadCOGCommunes, polygons-*.geojson ReadPolygons, any other file
// LoadSites (sites CSV, or GeoJSON by extension or content).
func loadCorpusFile(name string, input []byte) (data.Checks, error) {
	r := bytes.NewReader(input)
	switch {
	case strings.HasPrefix(name, "indicators-opts-"):
		return data.LoadIndicators(name, r, data.NewIndicators(), data.IndicatorsOptions{Resolve: testResolve,
			Reserved: []string{"population", "rang", "score_ecart"}})
	case strings.HasPrefix(name, "indicators-"):
		return data.LoadIndicatorsCSV(name, r, data.NewIndicators())
	case strings.HasPrefix(name, "cog-"):
		c, err := source.ReadCOGCommunes(name, r)
		if err != nil {
			return nil, err
		}
		return c.Checks, nil
	case strings.HasPrefix(name, "polygons-"):
		_, err := source.ReadPolygons(name, r)
		return nil, err
	}
	_, checks, err := data.LoadSites(name, r, data.SitesOptions{Known: data.KnownForTest})
	return checks, err
}

// testResolve resolves the codes of KnownForTest to themselves and the
// Paris arrondissements (75101–75120) to Paris, as Dataset.Resolve does.
func testResolve(code string) (string, bool) {
	if data.KnownForTest(code) {
		return code, true
	}
	if code >= "75101" && code <= "75120" {
		return "75056", true
	}
	return "", false
}

// readCorpusInput returns the name and bytes of a corpus file; a .gz file
// (the 10 MB line, kept small in the repository) is decompressed and
// named without the .gz.
func readCorpusInput(t *testing.T, path string) (string, []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(path)
	if !strings.HasSuffix(name, ".gz") {
		return name, b
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if b, err = io.ReadAll(zr); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(name, ".gz"), b
}

// TestBadCorpus walks testdata/bad: every <case>.<ext> (csv, geojson,
// json, csv.gz) is loaded by loadCorpusFile and compared with <case>.err,
// whose lines are "error: <text>" (the load fails with exactly this
// message), "check: <text>" (one of the checks has exactly this message;
// the file lists every check) or "ok: <why>" (the load succeeds without
// any check). Errors and checks must be *ParseError values naming the
// file, wrapping a sentinel of errors.go.
func TestBadCorpus(t *testing.T) {
	dir := filepath.Join("..", "testdata", "bad")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if ext == ".err" || ext == ".md" {
			continue
		}
		n++
		path := filepath.Join(dir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			name, input := readCorpusInput(t, path)
			want, err := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(name, filepath.Ext(name))+".err"))
			if err != nil {
				t.Fatal(err)
			}
			checks, err := loadCorpusFile(name, input)
			checkCorpusCase(t, name, string(want), checks, err)
		})
	}
	if n < 120 {
		t.Errorf("the corpus has %d cases, want at least 120", n)
	}
}

// checkCorpusCase compares the outcome of loading a corpus file with the
// lines of its .err file.
func checkCorpusCase(t *testing.T, name, want string, checks data.Checks, err error) {
	t.Helper()
	var wantErr string
	var wantChecks []string
	for _, line := range strings.Split(strings.TrimSpace(want), "\n") {
		kind, text, ok := strings.Cut(line, ": ")
		switch {
		case ok && kind == "error":
			wantErr = text
		case ok && kind == "check":
			wantChecks = append(wantChecks, text)
		case ok && kind == "ok":
		default:
			t.Fatalf("bad .err line %q", line)
		}
	}
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("unexpected error %v", err)
	case wantErr != "" && (err == nil || err.Error() != wantErr):
		t.Errorf("error = %v\nwant    %s", err, wantErr)
	}
	got := data.CheckTextsForTest(checks)
	for _, w := range wantChecks {
		if !slices.Contains(got, w) {
			t.Errorf("no check %q; checks:\n%s", w, strings.Join(got, "\n"))
		}
	}
	if wantErr == "" && len(got) != len(wantChecks) {
		t.Errorf("%d checks, want %d:\n%s", len(got), len(wantChecks), strings.Join(got, "\n"))
	}
	if err != nil {
		checkCorpusError(t, name, err)
	}
	for _, c := range checks {
		if c.Err == nil || c.Err.Line < 1 {
			t.Errorf("check %v does not name a line", c.Err)
			continue
		}
		checkCorpusError(t, name, c.Err)
	}
}

// checkCorpusError requires a *ParseError of file name wrapping a sentinel.
func checkCorpusError(t *testing.T, name string, err error) {
	t.Helper()
	var pe *data.ParseError
	if !errors.As(err, &pe) || pe.File != name {
		t.Errorf("error %v is not a *ParseError of %s", err, name)
	}
	for _, s := range corpusSentinels {
		if errors.Is(err, s) {
			return
		}
	}
	if !errors.Is(err, csv.ErrQuote) && !errors.Is(err, csv.ErrBareQuote) {
		t.Errorf("error %v wraps no sentinel of errors.go", err)
	}
}
