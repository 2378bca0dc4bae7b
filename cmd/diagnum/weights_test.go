package main

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag/report"
	"diagnum/internal/testnum"
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
	p := writeFiles(t, t.TempDir(), map[string]string{
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
			if got := testnum.Float(t, rows[code]["indice_fragilite"]); math.Abs(got-tc.want[i]) > 1e-6 {
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
	for _, tc := range []struct {
		file, content, where string
		sentinel             error
	}{
		{"neg.csv", "indicateur;poids\nqpv;1\ndensite;-2\n", "ligne 3, colonne « poids » : poids \"-2\" négatif", data.ErrBadValue},
		{"nan.csv", "indicateur;poids\nqpv;NaN\n", "ligne 2, colonne « poids » : poids \"NaN\" illisible", data.ErrBadNumber},
		{"garbage.csv", "indicateur;poids\nqpv;beaucoup\n", "ligne 2, colonne « poids » : poids \"beaucoup\" illisible", data.ErrBadNumber},
		{"unknown.csv", "indicateur;poids\nqpv;1\nchomage;1\n", "ligne 3, colonne « indicateur » : indicateur \"chomage\" absent des données", data.ErrUnknownIndicator},
		{"zero.csv", "indicateur;poids\nqpv;0\ndensite;0\ntaux_chomage;0\n", "colonne « poids » : la somme des poids des indicateurs retenus est nulle", data.ErrBadValue},
		{"nocol.csv", "nom;valeur\nqpv;1\n", "ligne 1, colonne « indicateur »", data.ErrMissingColumn},
	} {
		path := writeTemp(t, tc.file, tc.content)
		_, err := run(t, "--weights", path, "--out", "x.xlsx")
		if err == nil || !errors.Is(err, tc.sentinel) {
			t.Fatalf("%s: err = %v, want %v", tc.file, err, tc.sentinel)
		}
		if msg := err.Error(); !strings.Contains(msg, "fichier "+path) || !strings.Contains(msg, tc.where) {
			t.Errorf("%s: message %q does not say %q", tc.file, msg, tc.where)
		}
		wantNoFiles(t, ".", tc.file)
	}
	// A missing file is an error too (it used to exit 0).
	if _, err := run(t, "--weights", filepath.Join(t.TempDir(), "absent.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing weights file: err = %v", err)
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
