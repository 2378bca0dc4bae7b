package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/diag/report"
	"diagnum/internal/testlong"
)

// writeBadSites writes a sites CSV at path whose first row is a valid
// site in Guéret and whose next bad rows have latitude 91 (each one
// rejected), ids prefixed by prefix.
func writeBadSites(t *testing.T, path, prefix string, bad int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id,nom,type,latitude,longitude,etp,code_insee")
	fmt.Fprintf(w, "%s0,Mairie,cnfs,46.1713,1.8717,1,23096\n", prefix)
	for i := 1; i <= bad; i++ {
		fmt.Fprintf(w, "%s%d,Lieu %d,cnfs,91,1.87,1,\n", prefix, i, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// checkControlesOverflow checks the outputs of a run whose Contrôles
// overflowed at cap rows: the sheet holds the header, cap checks and a
// last row naming d-controles.csv and the number left out; that CSV holds
// every check (header + cap + left out), the rejected rows of the user's
// files among them (want: file name → rejected rows). The workbook is
// read row by row (a capped sheet has a million rows).
func checkControlesOverflow(t *testing.T, capRows int, want map[string]int) {
	t.Helper()
	f := openBook(t, "d.xlsx")
	rows, err := f.Rows(report.SheetControles)
	if err != nil {
		t.Fatal(err)
	}
	n, last := 0, ""
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		n, last = n+1, strings.Join(cols, " ")
	}
	rows.Close()
	m := regexp.MustCompile(`… et (\d+) contrôle\(s\) de plus, non affichés .*tous les contrôles sont dans le fichier d-controles\.csv`).FindStringSubmatch(last)
	if n != 1+capRows+1 || m == nil {
		t.Fatalf("Contrôles: %d rows, last %q; want %d rows, the last naming d-controles.csv", n, last, 1+capRows+1)
	}
	more, _ := strconv.Atoi(m[1])
	csvFile, err := os.Open("d-controles.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer csvFile.Close()
	sc := bufio.NewScanner(csvFile)
	sc.Buffer(nil, 1<<20)
	lines, rejected := 0, map[string]int{}
	for sc.Scan() {
		lines++
		fields := strings.SplitN(sc.Text(), ",", 3)
		if len(fields) == 3 && fields[0] == "Rejeté" {
			rejected[filepath.Base(fields[1])]++
		}
	}
	if lines != 1+capRows+more {
		t.Errorf("d-controles.csv has %d lines, want header + %d shown + %d left out", lines, capRows, more)
	}
	for file, bad := range want {
		if rejected[file] != bad {
			t.Errorf("d-controles.csv lists %d rejected rows of %s, want %d", rejected[file], file, bad)
		}
	}
}

// TestControlesOverflowCLI: a run whose checks pass what Contrôles can
// show (its cap lowered to 5 through report.Input.MaxControlRows) ends
// well, writes d-controles.csv beside d.xlsx with every check, and the
// sheet's last row says how many it left out and where they are; the
// console counts the file's 20 rejected rows.
func TestControlesOverflowCLI(t *testing.T) {
	old := controlRowsCap
	controlRowsCap = 5
	t.Cleanup(func() { controlRowsCap = old })
	dir := t.TempDir()
	sites := filepath.Join(dir, "mes-lieux.csv")
	writeBadSites(t, sites, "s", 20)
	stderr, err := run(t, "--dept", "23", "--sites", sites, "--out", "d.xlsx")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "20 lignes rejetées") {
		t.Errorf("console %q does not count the 20 rejected rows", stderr)
	}
	checkControlesOverflow(t, 5, map[string]int{"mes-lieux.csv": 20})
}

// TestControlesOverflowExcelLimit: the same at Excel's real limit, with
// more rejected rows than a sheet has (2 × 530,000 in two sites files,
// each at most 1,000,000 sites): Contrôles holds 1,048,574 checks and
// the last row, d-controles.csv all of them. It takes about 80 s of CPU
// and 1.2 GiB without the race detector, many times that with it: make
// test-long runs it once without -race (TestControlesOverflowCLI is its
// fast twin, in every run).
func TestControlesOverflowExcelLimit(t *testing.T) {
	testlong.Skip(t, "")
	if raceEnabled {
		t.Skip("a million rows under -race: make test-long runs it without -race")
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "mes-lieux-a.csv"), filepath.Join(dir, "mes-lieux-b.csv")
	writeBadSites(t, a, "a", 530_000)
	writeBadSites(t, b, "b", 530_000)
	stderr, err := run(t, "--dept", "23", "--sites", a, "--sites", b, "--out", "d.xlsx", "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	checkControlesOverflow(t, excelize.TotalRows-2, map[string]int{"mes-lieux-a.csv": 530_000, "mes-lieux-b.csv": 530_000})
}

// TestIndicatorSpreadOverflowCLI: a user's indicator whose values are so
// far apart that their spread overflows (±1e308) is left out of the index
// with a console warning (and a Contrôles entry, diag's test), and
// --strict refuses it before any output is written, in the diagnostic
// and in the plan.
func TestIndicatorSpreadOverflowCLI(t *testing.T) {
	ind := writeTemp(t, "ind.csv", "code_insee;ecart\n23096;1e308\n23008;-1e308\n23031;0\n")
	stderr, err := run(t, "--dept", "23", "--indicators", ind, "--out", "-")
	if err != nil || !strings.Contains(stderr, "avertissement : l'indicateur « ecart » est écarté de l'indice") {
		t.Errorf("err %v, console %q: want a warning about ecart", err, stderr)
	}
	// (No workbook: its offers' national runs, started at once, would go
	// on computing after the refusal.)
	_, err = run(t, "--dept", "23", "--indicators", ind, "--strict", "--csv", "d.csv", "--out", "-")
	if err == nil || !strings.Contains(err.Error(), "--strict : l'indicateur « ecart » est écarté") {
		t.Errorf("--strict: err %v, want a refusal naming ecart", err)
	}
	wantNoFiles(t, ".", "--strict")
	_, err = run(t, "plan", "--dept", "23", "--add", "1", "--indicators", ind, "--strict", "--out", "p.xlsx")
	if err == nil || !strings.Contains(err.Error(), "--strict : l'indicateur « ecart » est écarté") {
		t.Errorf("plan --strict: err %v, want a refusal naming ecart", err)
	}
	wantNoFiles(t, ".", "plan --strict")
}
