package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTempsRefusals: --temps files and flags that cannot be used stop the
// run with a message naming the file, line and column (or the flag).
func TestTempsRefusals(t *testing.T) {
	isere, err := filepath.Abs("../../testdata/temps/temps-voiture-isere.csv")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	badRow := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(badRow, []byte("origine;destination;minutes\n38185;38421;12\n38185;38053;douze\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{"--temps", isere}, `temps-voiture-isere.csv:1: column "id": data: missing column: unit of the matrix unknown`, false},
		{[]string{"--temps", isere, "--temps-unite", "heures"}, `--temps-unite "heures"`, true},
		{[]string{"--temps", isere, "--osrm", "http://localhost:5000"}, "--osrm et --temps s'excluent", true},
		{[]string{"--temps", badRow, "--strict"}, `bad.csv:3: column "minutes": data: not a number`, false},
	} {
		_, err := run(t, append(tc.args, "--dept", "38", "--out", "x.xlsx")...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, errUsage) != tc.usage {
			t.Errorf("%v: err = %v, want %q (usage error %v)", tc.args, err, tc.want, tc.usage)
		}
		if _, serr := os.Stat("x.xlsx"); serr == nil {
			t.Errorf("%v: a workbook was written", tc.args)
		}
	}
}

// TestTempsIsereRun: the Isère table drives a diagnostic of Isère; the
// console counts the table's times and the fallbacks, and --temps-strict
// refuses the pairs from Isère communes to sites outside the table.
func TestTempsIsereRun(t *testing.T) {
	if testing.Short() {
		t.Skip("long: make test-long")
	}
	isere, err := filepath.Abs("../../testdata/temps/temps-voiture-isere.csv")
	if err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "--dept", "38", "--temps", isere, "--temps-unite", "secondes", "--csv", "c.csv", "--out", "x.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "lus dans la table") || !strings.Contains(out, "absents remplacés par le modèle") {
		t.Errorf("console: %s", out)
	}
	_, err = run(t, "--dept", "38", "--temps", isere, "--temps-unite", "secondes", "--temps-strict", "--out", "x.xlsx")
	if err == nil || !strings.Contains(err.Error(), "(--temps-strict)") {
		t.Errorf("--temps-strict: err = %v", err)
	}
}
