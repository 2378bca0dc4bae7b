package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/report"
	"diagnum/internal/testlong"
)

func TestHelpReadsWell(t *testing.T) {
	out, err := run(t, "--help")
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"--dept CODE", "--region", "--france", "--sites", "--indicators", "--threshold", "diagnostic-23.xlsx"} {
		if !strings.Contains(out, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
}

// TestBadInputsWriteNothing: each malformed user file stops the run with
// an error naming the file, and no workbook is written.
func TestBadInputsWriteNothing(t *testing.T) {
	bad := fixture(t, "bad")
	for _, tc := range []struct {
		flag, file, want string
	}{
		{"--sites", "empty.csv", "aucune ligne utilisable"},
		{"--sites", "missing-column.csv", "colonne absente"},
		{"--sites", "binary.csv", "pas un fichier texte"},
		{"--sites", "header-only.csv", "aucune ligne utilisable"},
		{"--indicators", "indicators-no-code.csv", "code_insee"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(bad, tc.file)
			_, err := run(t, tc.flag, path, "--out", "x.xlsx")
			if err == nil {
				t.Fatalf("%s %s: no error", tc.flag, tc.file)
			}
			if !strings.Contains(err.Error(), tc.file) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name the file and %q", err, tc.want)
			}
			wantNoFiles(t, ".", tc.flag+" "+tc.file)
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--dept", "23", "--france"},
		{"--dept", "ZZ"},
		{"--supply", "boulangerie"},
		{"--etp", "france-services"},
		{"--sites-only"},
		{"extra"},
	} {
		if _, err := run(t, args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
	if _, err := run(t, "--dept", "99"); err == nil || !strings.Contains(err.Error(), "99") {
		t.Errorf("--dept 99: err = %v, want an unknown-territory error", err)
	}
}

// TestBadCorpusStrict walks testdata/bad: with --strict, every malformed
// sites or indicators file stops the run with the expected error (the
// lines of its .err file) and leaves no output file.
func TestBadCorpusStrict(t *testing.T) {
	bad := fixture(t, "bad")
	files, err := filepath.Glob(filepath.Join(bad, "*.csv"))
	if err != nil || len(files) < 20 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		want := readFile(t, strings.TrimSuffix(path, ".csv")+".err")
		if strings.HasPrefix(string(want), "ok: ") {
			continue // a valid file (odd encodings, separators): no error to expect
		}
		flagName := "--sites"
		if strings.HasPrefix(name, "indicators-") {
			flagName = "--indicators"
		}
		t.Run(name, func(t *testing.T) {
			_, err := run(t, flagName, path, "--strict", "--out", "x.xlsx", "--csv", "x.csv")
			if err == nil {
				t.Fatal("no error")
			}
			// A fatal error ("error:" lines) is the whole message; the
			// checks of its rows are not repeated in it.
			fatal := strings.Contains(string(want), "error: ")
			for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
				kind, text, _ := strings.Cut(line, ": ")
				if fatal && kind != "error" {
					continue
				}
				if msg := strings.ReplaceAll(err.Error(), bad+string(filepath.Separator), ""); !strings.Contains(msg, text) {
					t.Errorf("error does not contain %q:\n%v", text, err)
				}
			}
			wantNoFiles(t, ".", "--strict")
		})
	}
}

// TestRejectedRowsReported: without --strict a file with some bad rows
// runs, and the Contrôles sheet lists each rejected row (the shared run
// creuseBadSites).
func TestRejectedRowsReported(t *testing.T) {
	f := openBook(t, creuseBadSites.get(t).path("diagnostic-23.xlsx"))
	rows := sheetRows(t, f, report.SheetControles)
	lines := map[string]bool{}
	for _, r := range rows {
		if len(r) > 2 && strings.Contains(strings.Join(r, " "), "bad-coordinate.csv") {
			lines[r[2]] = true
		}
	}
	// bad-coordinate.err: rows 3, 4 and 5 are rejected.
	for _, l := range []string{"3", "4", "5"} {
		if !lines[l] {
			t.Errorf("Contrôles does not list bad-coordinate.csv line %s (rows: %v)", l, lines)
		}
	}
}

// ownSitesCases are the runs of TestOwnSitesDropEmbeddedSiteChecks:
// with --sites-only, Contrôles lists the user's rows, not the checks of
// the embedded site sources they replace; with --sites, only the checks
// of the sites replaced go.
func ownSitesCases(t *testing.T) []struct {
	args     []string
	embedded bool
} {
	path := fixture(t, "bad/bad-coordinate.csv")
	return []struct {
		args     []string
		embedded bool
	}{
		{[]string{"--quiet"}, true},
		// --sites replaces the embedded sites inside the Creuse only: the
		// checks of France Services elsewhere stay.
		{[]string{"--quiet", "--sites", path}, true},
		{[]string{"--quiet", "--sites", path, "--sites-only"}, false},
	}
}

// embeddedFSList is the embedded France Services list, a source of
// embedded site checks (cnfs.json is another).
const embeddedFSList = "anct-france-services/liste-fs-20240801.csv"

// TestOwnSitesDropEmbeddedSiteChecks: the checks a run reports
// (reportInput: the data set's Checks, then its SiteChecks) keep or drop
// those of the embedded France Services as ownSitesCases says. Loading
// only; TestOwnSitesDropEmbeddedSiteChecksWorkbook reads them in the
// Contrôles sheet.
func TestOwnSitesDropEmbeddedSiteChecks(t *testing.T) {
	for _, tc := range ownSitesCases(t) {
		o, err := parseFlags(tc.args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := loadData(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		found := slices.ContainsFunc(slices.Concat(ds.Checks, ds.SiteChecks), func(c data.Check) bool {
			return c.Err != nil && strings.Contains(c.Err.File, embeddedFSList)
		})
		if found != tc.embedded {
			t.Errorf("%v: checks of the embedded France Services kept = %v, want %v", tc.args, found, tc.embedded)
		}
	}
}

// TestOwnSitesDropEmbeddedSiteChecksWorkbook: the Contrôles sheet of
// each run of ownSitesCases lists the checks of the embedded France
// Services, or not.
func TestOwnSitesDropEmbeddedSiteChecksWorkbook(t *testing.T) {
	testlong.Skip(t, "")
	for _, tc := range ownSitesCases(t) {
		if _, err := run(t, tc.args...); err != nil {
			t.Fatal(err)
		}
		rows := sheetRows(t, openBook(t, "diagnostic-23.xlsx"), report.SheetControles)
		found := false
		for _, r := range rows {
			if strings.Contains(strings.Join(r, " "), embeddedFSList) {
				found = true
			}
		}
		if found != tc.embedded {
			t.Errorf("%v: checks of the embedded France Services listed = %v, want %v", tc.args, found, tc.embedded)
		}
	}
}

// TestCOMDepartement: a diagnostic or a plan of an overseas collectivity
// (988, Nouvelle-Calédonie) is refused, once the data are loaded and
// before any measure (diag.CheckDatasetTerritory): it has no geography.
// Nothing is written.
func TestCOMDepartement(t *testing.T) {
	for _, args := range [][]string{
		{"--dept", "988", "--csv", "x.csv", "--out", "-"},
		{"--dept", "988", "--out", "x.xlsx"},
		{"plan", "--dept", "988", "--add", "3", "--out", "p.xlsx"},
	} {
		_, err := run(t, args...)
		if !errors.Is(err, diag.ErrNoGeography) || strings.Count(err.Error(), "collectivité d'outre-mer (COM), sans géographie") != 1 {
			t.Fatalf("%v: err = %v", args, err)
		}
		wantNoFiles(t, ".", strings.Join(args, " "))
	}
}
