package main

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"diagnum/diag/report"
)

// TestDefaultRun runs diagnum with no argument but --csv and --map, as
// `make run` does (the shared run creuseBook), and reads the workbook
// back. Expected figures: the COG 2025 file (communes.json, communes
// actuelles of département 23: 255 communes, 115,527 inhabitants; all of
// France: 68,952,941), counted with python3.
func TestDefaultRun(t *testing.T) {
	r := creuseBook.get(t)
	if !strings.Contains(r.stderr, "diagnostic-23.xlsx") || !strings.Contains(r.stderr, "115527 hab.") {
		t.Errorf("final line does not name the file and the population: %q", r.stderr)
	}
	f := openBook(t, r.path("diagnostic-23.xlsx"))
	if got := f.GetSheetList(); len(got) < len(report.Sheets) {
		t.Errorf("sheets: %v, want %v", got, report.Sheets)
	}
	rows := sheetRows(t, f, report.SheetSynthese)
	pop := findRow(t, rows, "Population")
	// Columns: label, Creuse, Nouvelle-Aquitaine, France. France: the
	// 68,952,941 inhabitants of the COG less the 602,143 of the overseas
	// collectivities (COM, not computed).
	if num(t, pop[1]) != 115527 || num(t, pop[3]) != 68350798 {
		t.Errorf("Synthèse population row %v: want 115527 for Creuse and 68350798 for France", pop)
	}
	comm := sheetRows(t, f, report.SheetCommunes)
	if len(comm) != 1+255 {
		t.Errorf("Communes sheet: %d rows, want header + 255", len(comm))
	}
	// The Communes sheet holds the same values as the CSV export.
	recs := readCSV(t, r.path("creuse.csv"))
	if len(recs) != len(comm) {
		t.Fatalf("CSV has %d rows, workbook %d", len(recs), len(comm))
	}
	total := 0.0
	for i := 1; i < len(recs); i++ {
		if recs[i][0] != comm[i][0] {
			t.Fatalf("row %d: CSV code %s, workbook %s", i, recs[i][0], comm[i][0])
		}
		total += num(t, recs[i][4])
	}
	if total != 115527 {
		t.Errorf("CSV population total %v, want 115527", total)
	}
	if rang := slices.Index(recs[0], "rang"); rang < 0 || recs[1][rang] != "1" {
		t.Errorf("first CSV row has rang %v, want 1", recs[1])
	}
}

func findRow(t *testing.T, rows [][]string, label string) []string {
	t.Helper()
	for _, r := range rows {
		if len(r) > 3 && r[0] == label {
			return r
		}
	}
	t.Fatalf("no row %q", label)
	return nil
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", "").Replace(s), 64)
	if err != nil || math.IsNaN(v) {
		t.Fatalf("not a number: %q", s)
	}
	return v
}
