package main

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/report"
)

// TestWeightsChangeIndex: --weights sets the index exactly as computed by
// hand. Two user columns on three Creuse communes, every embedded
// indicator weighted 0 (frr is out anyway: partial coverage):
//
//	enquete 1, 2, 3: mean 2, sd 1 → z −1, 0, 1
//	autre   3, 1, 2: mean 2, sd 1 → z 1, −1, 0
//	enquete 1, autre 3: Z = (z_e + 3·z_a)/4 = 0.5, −0.75, 0.25
//	  → 100·Φ(Z) = 69.14624612740131, 22.66273523768682, 59.87063256829237
//	enquete 3, autre 1: Z = (3·z_e + z_a)/4 = −0.5, −0.25, 0.75
//	  → 30.853753872598688, 40.12936743170763, 77.33726476231317
//
// (Φ from Python's math.erf.) Every other commune has no indicator left:
// its index is empty.
func TestWeightsChangeIndex(t *testing.T) {
	dir := t.TempDir()
	p := writeFiles(t, dir, map[string]string{
		"ind.csv":  "code_insee;enquete;autre\n23001;1;3\n23002;2;1\n23003;3;2\n",
		"w13.csv":  "indicateur;poids\nqpv;0\ndensite;0\ntaux_chomage;0\nenquete;1\nautre;3\n",
		"w31.csv":  "indicateur,poids\nqpv,0\ndensite,0\ntaux_chomage,0\nenquete,3\nautre,1\n",
		"none.csv": "indicateur;poids\nqpv;0\n",
	})
	for _, tc := range []struct {
		weights string
		want    [3]float64
	}{
		{"w13.csv", [3]float64{69.14624612740131, 22.66273523768682, 59.87063256829237}},
		{"w31.csv", [3]float64{30.853753872598688, 40.12936743170763, 77.33726476231317}},
	} {
		out := "-" // the workbook is written once, for its Communes sheet
		if tc.weights == "w13.csv" {
			out = "x.xlsx"
		}
		stderr, err := run(t, "--indicators", p["ind.csv"], "--weights", p[tc.weights], "--csv", "c.csv", "--out", out)
		if err != nil {
			t.Fatalf("%s: %v", tc.weights, err)
		}
		// Both columns are known in 3 communes only: the console says so.
		if !strings.Contains(stderr, "« enquete » n'est connu que de 3 communes") {
			t.Errorf("%s: no partial-coverage warning in %q", tc.weights, stderr)
		}
		rows := readCommunesCSV(t, "c.csv")
		for i, code := range []string{"23001", "23002", "23003"} {
			got, err := strconv.ParseFloat(rows[code]["indice_fragilite"], 64)
			if err != nil || math.Abs(got-tc.want[i]) > 1e-6 {
				t.Errorf("%s: %s indice_fragilite = %q, want %.6f", tc.weights, code, rows[code]["indice_fragilite"], tc.want[i])
			}
		}
		if v := rows["23004"]["indice_fragilite"]; v != "" {
			t.Errorf("%s: 23004 has no indicator left, index %q", tc.weights, v)
		}
		if tc.weights == "w13.csv" {
			communesSheetIndicators(t, "x.xlsx")
		}
	}
	// Without weights the user columns enter with weight 1 beside the
	// embedded indicators, with a warning each.
	stderr, err := run(t, "--indicators", p["ind.csv"], "--csv", "c.csv", "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range []string{"enquete", "autre"} {
		if !strings.Contains(stderr, "« "+col+" » n'a pas de poids (--weights) : poids 1 par défaut") {
			t.Errorf("no warning for %s in %q", col, stderr)
		}
	}
	if v := readCommunesCSV(t, "c.csv")["23004"]["indice_fragilite"]; v == "" {
		t.Error("default weights: 23004 has embedded indicators, its index is empty")
	}
}

// TestWeightsBadFile: every bad weights file stops the run with a French
// message naming the file, line and column, and writes nothing.
func TestWeightsBadFile(t *testing.T) {
	dir := t.TempDir()
	p := writeFiles(t, dir, map[string]string{
		"neg.csv":     "indicateur;poids\nqpv;1\ndensite;-2\n",
		"nan.csv":     "indicateur;poids\nqpv;NaN\n",
		"garbage.csv": "indicateur;poids\nqpv;beaucoup\n",
		"unknown.csv": "indicateur;poids\nqpv;1\nchomage;1\n",
		"zero.csv":    "indicateur;poids\nqpv;0\ndensite;0\ntaux_chomage;0\n",
		"nocol.csv":   "nom;valeur\nqpv;1\n",
	})
	for _, tc := range []struct {
		file, where string
		sentinel    error
	}{
		{"neg.csv", "ligne 3, colonne « poids » : poids \"-2\" négatif", data.ErrBadValue},
		{"nan.csv", "ligne 2, colonne « poids » : poids \"NaN\" illisible", data.ErrBadNumber},
		{"garbage.csv", "ligne 2, colonne « poids » : poids \"beaucoup\" illisible", data.ErrBadNumber},
		{"unknown.csv", "ligne 3, colonne « indicateur » : indicateur \"chomage\" absent des données", data.ErrUnknownIndicator},
		{"zero.csv", "colonne « poids » : la somme des poids des indicateurs retenus est nulle", data.ErrBadValue},
		{"nocol.csv", "ligne 1, colonne « indicateur »", data.ErrMissingColumn},
	} {
		_, err := run(t, "--weights", p[tc.file], "--out", "x.xlsx")
		if err == nil || !errors.Is(err, tc.sentinel) {
			t.Fatalf("%s: err = %v, want %v", tc.file, err, tc.sentinel)
		}
		if msg := err.Error(); !strings.Contains(msg, "fichier "+p[tc.file]) || !strings.Contains(msg, tc.where) {
			t.Errorf("%s: message %q does not say %q", tc.file, msg, tc.where)
		}
		if entries, _ := os.ReadDir("."); len(entries) != 0 {
			t.Errorf("%s: files left behind: %v", tc.file, entries)
		}
	}
	// A missing file is an error too (it used to exit 0).
	if _, err := run(t, "--weights", filepath.Join(dir, "absent.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing weights file: err = %v", err)
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
		if entries, _ := os.ReadDir("."); len(entries) != 0 {
			t.Errorf("%v: files left behind: %v", args, entries)
		}
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

// TestSyntheseOffers: Synthèse shows the conseillers numériques alone and
// the whole offer side by side. The FTE of the advisors alone in the
// Creuse is Σ etp_cnfs of the CSV (each rounded to 6 decimals: within
// 255 × 5e-7); the whole offer has at least as many
// FTE and at least the coverage of the advisors alone (more sites can
// only bring a site nearer). The run is the shared creuseBook.
func TestSyntheseOffers(t *testing.T) {
	book := creuseBook.get(t)
	communes := readCommunesCSV(t, book.path("creuse.csv"))
	sum := columnSum(t, communes, "etp_cnfs")
	f := openBook(t, book.path("diagnostic-23.xlsx"), excelize.Options{RawCellValue: true})
	rows := sheetRows(t, f, report.SheetSynthese)
	start := -1
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Conseillers numériques seuls et offre complète" {
			start = i
		}
	}
	if start < 0 || len(rows) < start+7 {
		t.Fatalf("no offers table in Synthèse")
	}
	// Columns: label, Creuse alone, Creuse whole, France alone, France whole.
	val := func(row, col int) float64 {
		v, err := strconv.ParseFloat(rows[row][col], 64)
		if err != nil {
			t.Fatalf("row %v: %v", rows[row], err)
		}
		return v
	}
	fte, cov := start+2, start+4
	if rows[fte][0] != "ETP conseillers" || math.Abs(val(fte, 1)-sum) > 5e-7*255 || val(fte, 2) < val(fte, 1) ||
		val(cov, 2) < val(cov, 1) || val(cov, 4) < val(cov, 3) {
		t.Errorf("offers table %v (Σ etp_cnfs %v)", rows[start:start+7], sum)
	}
	// The default run counts the whole offer, with the FTE per kind of
	// diag.Defaults: in the Creuse, the 14 posts of the 2023 list, the 21
	// France Services at 1 FTE (liste-fs-20240801.csv) and the one lieu de
	// médiation (data·inclusion's Cap Emploi 23 in Guéret, dora) at 0.5:
	// 35.5 FTE, in the CSV (Σ etp_conseillers) and in the whole-offer column.
	all := columnSum(t, communes, "etp_conseillers")
	if math.Abs(sum-14) > 1e-4 || math.Abs(all-35.5) > 1e-4 || math.Abs(val(fte, 2)-35.5) > 1e-4 {
		t.Errorf("Creuse FTE: advisors %v, CSV %v, whole offer %v; want 14, 35.5, 35.5", sum, all, val(fte, 2))
	}
}

// communesSheetIndicators: with w13.csv the Communes sheet of x.xlsx ends
// with the two indicators that entered the index, with their weights,
// and 23001's values of ind.csv (enquete 1, autre 3); qpv, densite and
// taux_chomage (weight 0) are not shown.
func communesSheetIndicators(t *testing.T, path string) {
	t.Helper()
	f := openBook(t, path)
	rows := sheetRows(t, f, "Communes", excelize.Options{RawCellValue: true})
	n := len(report.CSVHeader)
	if got := rows[0][n:]; !slices.Equal(got, []string{"Indicateur : enquete (poids 1)", "Indicateur : autre (poids 3)"}) {
		t.Fatalf("indicator columns %q", got)
	}
	for _, r := range rows[1:] {
		if r[0] == "23001" {
			if r[n] != "1" || r[n+1] != "3" {
				t.Errorf("23001: enquete %q, autre %q, want 1 and 3", r[n], r[n+1])
			}
			return
		}
	}
	t.Error("23001 not in the Communes sheet")
}
