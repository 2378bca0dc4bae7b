package main

import (
	"path/filepath"
	"strings"
	"testing"

	"diagnum/internal/testnum"
)

// TestSitesGeoJSON: --sites accepts GeoJSON. The sites layer that
// --geojson writes for Creuse (the shared run creuseDash) reads back with
// --sites --strict (no row rejected), and the run on those sites gives
// every commune the same nb_sites and etp_conseillers as the run on the
// embedded sites.
func TestSitesGeoJSON(t *testing.T) {
	dash := creuseDash.get(t)
	if _, err := run(t, "--quiet", "--strict", "--sites", dash.path("g-sites.geojson"), "--csv", "b.csv", "--out", "-"); err != nil {
		t.Fatal(err)
	}
	a, b := readCommunesCSV(t, dash.path("c.csv")), readCommunesCSV(t, "b.csv")
	if len(a) != 255 || len(b) != 255 {
		t.Fatalf("%d and %d communes, want 255", len(a), len(b))
	}
	sites := 0
	for code, ra := range a {
		rb := b[code]
		if ra["nb_sites"] != rb["nb_sites"] || ra["etp_conseillers"] != rb["etp_conseillers"] {
			t.Errorf("%s: nb_sites %s/%s, etp %s/%s", code, ra["nb_sites"], rb["nb_sites"], ra["etp_conseillers"], rb["etp_conseillers"])
		}
		sites += testnum.Int(t, ra["nb_sites"])
	}
	if sites == 0 {
		t.Error("no site in Creuse: the comparison is empty")
	}
}

// TestSitesGeoJSONCorpusStrict: GeoJSON cases of testdata/bad (a whole
// file refused, rejected features, a one-line file) stop a --strict run
// with their expected error or checks, writing nothing. data's
// TestBadCorpus checks every case; this checks that the command passes
// them on.
func TestSitesGeoJSONCorpusStrict(t *testing.T) {
	for _, name := range []string{"sites-xlsx.geojson", "sites-fte.geojson", "sites-one-line.geojson"} {
		abs := fixture(t, "bad/"+name)
		want := readFile(t, abs[:len(abs)-len(".geojson")]+".err")
		t.Run(name, func(t *testing.T) {
			_, err := run(t, "--sites", abs, "--strict", "--out", "x.xlsx", "--csv", "x.csv")
			if err == nil {
				t.Fatal("no error")
			}
			msg := strings.ReplaceAll(err.Error(), filepath.Dir(abs)+string(filepath.Separator), "")
			for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
				_, text, _ := strings.Cut(line, ": ")
				if !strings.Contains(msg, text) {
					t.Errorf("error does not contain %q:\n%s", text, msg)
				}
			}
			wantNoFiles(t, ".", "--strict")
		})
	}
}

// columnSum returns the sum of a numeric column over the communes of a
// CSV read by readCommunesCSV; a value that is not a number fails the
// test.
func columnSum(t *testing.T, rows map[string]map[string]string, col string) float64 {
	t.Helper()
	sum := 0.0
	for _, r := range rows {
		sum += testnum.Float(t, r[col])
	}
	return sum
}

// TestSitesCOM: the sites of testdata/bad/sites-com.csv in a collectivité
// d'outre-mer are announced on the console (3 rejected rows and the
// warning of a Polynesian code on a Creuse point, see sites-com.err), and
// --strict refuses the file naming Saint-Barthélemy.
func TestSitesCOM(t *testing.T) {
	abs := fixture(t, "bad/sites-com.csv")
	stderr, err := run(t, "--sites", abs, "--out", "-", "--csv", "c.csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := "sites-com.csv : 3 lignes rejetées, 1 avertissement, voir Contrôles"; !strings.Contains(stderr, want) {
		t.Errorf("console does not say %q:\n%s", want, stderr)
	}
	_, err = run(t, "--sites", abs, "--strict", "--out", "x.xlsx")
	if err == nil || !strings.Contains(err.Error(), "Saint-Barthélemy, une collectivité d'outre-mer") {
		t.Errorf("--strict: %v", err)
	}
}

// TestSitesReplaceInTerritory: a Creuse file of France Services replaces
// the embedded France Services of the Creuse only: with --supply cnfs the
// conseiller-numérique sites stay and are the whole supply, so the
// Creuse's coverage is the run's without the file; with --sites-only
// these sites are the only ones and nothing counts as supply. Rejected
// rows are announced on the console.
func TestSitesReplaceInTerritory(t *testing.T) {
	fs := fixture(t, "sites/creuse-france-services.csv")
	coverage := func(stderr string) string {
		i := strings.Index(stderr, "couverture ")
		if i < 0 {
			t.Fatalf("no coverage in %q", stderr)
		}
		return strings.Fields(stderr[i:])[1]
	}
	def, err := run(t, "--supply", "cnfs", "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	own, err := run(t, "--supply", "cnfs", "--sites", fs, "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	only, err := run(t, "--supply", "cnfs", "--sites", fs, "--sites-only", "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	if coverage(own) != coverage(def) || coverage(only) != "0.0" {
		t.Errorf("coverage: default %s, --sites %s (want the same), --sites-only %s (want 0.0)", coverage(def), coverage(own), coverage(only))
	}
	// bad-coordinate.csv: rows 3, 4 and 5 are rejected (bad-coordinate.err;
	// the shared run creuseBadSites).
	if stderr, bad := creuseBadSites.get(t).stderr, fixture(t, "bad/bad-coordinate.csv"); !strings.Contains(stderr, bad+" : 3 lignes rejetées, voir Contrôles") {
		t.Errorf("console does not announce the 3 rejected rows: %q", stderr)
	}
}
