package main

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/diag/report"
	"diagnum/internal/testnum"
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
	v := testnum.Float(t, strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", "").Replace(s))
	if math.IsNaN(v) {
		t.Fatalf("not a number: %q", s)
	}
	return v
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
	val := func(row, col int) float64 { return testnum.Float(t, rows[row][col]) }
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
