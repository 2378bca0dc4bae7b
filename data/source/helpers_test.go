package source

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/testmust"

	"github.com/paulmach/orb"
)

// extractPath is the path of a small extract of testdata/<dir> (each
// folder says where its files come from in its PROVENANCE.md).
func extractPath(dir, name string) string {
	return filepath.Join("..", "..", "testdata", dir, name)
}

// openExtract opens testdata/<dir>/<name>, closed at the end of the test.
func openExtract(t testing.TB, dir, name string) *os.File {
	t.Helper()
	f, err := os.Open(extractPath(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// realExtract opens a file of testdata/real.
func realExtract(t testing.TB, name string) *os.File { return openExtract(t, "real", name) }

// sitesRealOpen opens a file of testdata/sites-real.
func sitesRealOpen(t testing.TB, name string) *os.File { return openExtract(t, "sites-real", name) }

// realExtractBytes returns the content of a file of testdata/real.
func realExtractBytes(t testing.TB, name string) []byte {
	t.Helper()
	return testmust.Value(os.ReadFile(extractPath("real", name)))(t)
}

// loader is the signature every adapter of this package shares: it reads
// a named file and returns its values with the checks of the rows.
type loader[T any] func(name string, r io.Reader) (T, data.Checks, error)

// readExtract reads testdata/<dir>/<name> with load, failing the test on
// an error.
func readExtract[T any](t testing.TB, load loader[T], dir, name string) (T, data.Checks) {
	t.Helper()
	return mustLoad(t, load, name, openExtract(t, dir, name))
}

// readInline reads the text in as a file called name with load, failing
// the test on an error.
func readInline[T any](t testing.TB, load loader[T], name, in string) (T, data.Checks) {
	t.Helper()
	return mustLoad(t, load, name, strings.NewReader(in))
}

// mustLoad reads r as a file called name with load, failing the test on
// an error.
func mustLoad[T any](t testing.TB, load loader[T], name string, r io.Reader) (T, data.Checks) {
	t.Helper()
	v, checks, err := load(name, r)
	if err != nil {
		t.Fatal(err)
	}
	return v, checks
}

// loadCase is one row of a loader's table test: the input text, how many
// values are kept (0: the load fails with ErrEmptyFile), the single
// rejected row (nil: none) at line and column, the single warning (nil:
// none) and a check of the first value (nil: none).
type loadCase[T any] struct {
	name     string
	in       string
	n        int
	rejected error
	line     int
	column   string
	warned   error
	check    func(T) bool
}

// run loads c.in as file with load and asserts the case; it returns the
// checks for further assertions.
func (c loadCase[T]) run(t *testing.T, load loader[[]T], file string) data.Checks {
	t.Helper()
	got, checks, err := load(file, strings.NewReader(c.in))
	assertLoadCase(t, len(got), err, c.n, checks, c.rejected, c.line, c.column)
	sitesAssertCheck(t, checks, data.Warning, c.warned, -1, "")
	if c.check != nil && !c.check(got[0]) {
		t.Errorf("first value = %+v", got[0])
	}
	return checks
}

// fuzzLoad fuzzes an adapter from the seeds f holds: any input is
// refused with no value, or read into values that pass valid, with checks
// that each carry their error.
func fuzzLoad[T any](f *testing.F, file string, load loader[[]T], valid func(t *testing.T, vs []T)) {
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, checks, err := load(file, bytes.NewReader(b))
		if err != nil {
			if len(vs) != 0 {
				t.Fatalf("error %v with %d values", err, len(vs))
			}
			return
		}
		valid(t, vs)
		for _, c := range checks {
			if c.Err == nil || c.Err.Err == nil {
				t.Fatal("check without error")
			}
		}
	})
}

// fuzzSites fuzzes a sites adapter (fuzzLoad) whose sites must pass
// sitesAssertValid.
func fuzzSites(f *testing.F, file string, load loader[[]data.Site]) {
	fuzzLoad(f, file, load, sitesAssertValid)
}

// sitesAssertValid checks what every loaded site must satisfy: a unique
// non-empty ID, a known kind, finite coordinates inside a French
// territory box, and normalised codes.
func sitesAssertValid(t *testing.T, sites []data.Site) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range sites {
		if s.ID == "" || seen[s.ID] {
			t.Fatalf("empty or duplicate ID %q", s.ID)
		}
		seen[s.ID] = true
		lon, lat := s.Point[0], s.Point[1]
		if math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0) || !siteInFrance(lon, lat) {
			t.Fatalf("site %s: bad point %v", s.ID, s.Point)
		}
		if _, ok := data.ParseKind(s.Kind.String()); !ok {
			t.Fatalf("site %s: kind %v", s.ID, s.Kind)
		}
		if s.Postcode != "" && len(s.Postcode) != 5 || s.SIRET != "" && len(s.SIRET) != 14 || s.INSEE != "" && len(s.INSEE) != 5 {
			t.Fatalf("site %s: codes %q %q %q", s.ID, s.Postcode, s.SIRET, s.INSEE)
		}
		if math.IsNaN(s.FTE) || s.FTE < 0 {
			t.Fatalf("site %s: FTE %g", s.ID, s.FTE)
		}
	}
}

// siteInFrance reports whether lon, lat lies in a French territory box.
func siteInFrance(lon, lat float64) bool {
	_, ok := data.TerritoryOf(orb.Point{lon, lat})
	return ok
}

// assertParseError fails t unless err is a *data.ParseError of file
// wrapping want, at line (unless line < 0) and column (unless column is
// "").
func assertParseError(t *testing.T, err error, file string, want error, line int, column string) {
	t.Helper()
	var pe *data.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, want) || pe.File != file || line >= 0 && pe.Line != line || column != "" && pe.Column != column {
		t.Errorf("err = %v, want a *ParseError of %s at line %d column %q wrapping %v", err, file, line, column, want)
	}
}

// refusal is an input an adapter must refuse: with a *data.ParseError
// wrapping err at line (unless line < 0) and column (unless column is
// ""), whose message contains text.
type refusal struct {
	name, in     string
	err          error
	line         int
	column, text string
}

// check asserts that err is the refusal c of a file called file.
func (c refusal) check(t *testing.T, file string, err error) {
	t.Helper()
	assertParseError(t, err, file, c.err, c.line, c.column)
	if err != nil && !strings.Contains(err.Error(), c.text) {
		t.Errorf("%s: error %q does not say %q", c.name, err, c.text)
	}
}

// assertRefused loads c.in as a file called file with load and checks
// its refusal.
func assertRefused[T any](t *testing.T, load loader[T], file string, c refusal) {
	t.Helper()
	_, _, err := load(file, strings.NewReader(c.in))
	c.check(t, file, err)
}

// sitesAssertCheck asserts that checks hold exactly one check of severity
// sev wrapping want (none when want is nil), at line (unless line < 0) and
// column (unless column is "").
func sitesAssertCheck(t *testing.T, checks data.Checks, sev data.Severity, want error, line int, column string) {
	t.Helper()
	n := 0
	if want != nil {
		n = 1
	}
	if got := checks.Count(sev); got != n {
		t.Fatalf("%d checks of severity %d, want %d: %v", got, sev, n, sitesChecksText(checks))
	}
	for _, c := range checks {
		if c.Severity != sev {
			continue
		}
		if !errors.Is(c.Err, want) || line >= 0 && c.Err.Line != line || column != "" && c.Err.Column != column {
			t.Errorf("check %v, want %v at line %d column %q", c.Err, want, line, column)
		}
	}
}

// assertLoadCase checks one case of a loader's table test: got values
// and err against n (0: the load fails with ErrEmptyFile), then the one
// rejected check (nil: none) at line and column.
func assertLoadCase(t *testing.T, got int, err error, n int, checks data.Checks, rejected error, line int, column string) {
	t.Helper()
	if n == 0 {
		if !errors.Is(err, data.ErrEmptyFile) {
			t.Fatalf("err = %v, want ErrEmptyFile", err)
		}
	} else if err != nil || got != n {
		t.Fatalf("got %d, err %v; want %d", got, err, n)
	}
	sitesAssertCheck(t, checks, data.Rejected, rejected, line, column)
}

// sitesChecksText lists the checks' messages, one a line.
func sitesChecksText(checks data.Checks) string {
	var b strings.Builder
	for _, c := range checks {
		b.WriteString("\n  " + c.Err.Error())
	}
	return b.String()
}
