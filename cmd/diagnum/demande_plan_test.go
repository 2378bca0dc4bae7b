package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"diagnum/diag/report"
)

// TestPlanDemandeBadFile: diagnum plan reads --demande through the
// diagnostic's loader: a bad unit stops it with the file, line and
// column, before any output.
func TestPlanDemandeBadFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "points.csv")
	if err := os.WriteFile(bad, []byte("id,latitude,longitude,population\np1,46.17,1.87,12\np2,46.17,abc,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, "plan", "--dept", "23", "--add", "1", "--demande", bad, "--csv", "p.csv")
	if err == nil || !strings.Contains(err.Error(), "--demande") || !strings.Contains(err.Error(), "ligne 3, colonne « longitude »") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat("p.csv"); !os.IsNotExist(err) {
		t.Errorf("p.csv written despite the error")
	}
}

// TestPlanDemandeCreuse plans 3 posts for the Creuse on the 200 m grid
// fixture (12,361 cells) with the conseillers numériques alone:
//   - the coverage before the plan is the diagnostic's on the same layer
//     (Σ part_couverte × population / Σ population of its CSV);
//   - the coverage the plan announces after its 3 posts is the one the
//     diagnostic measures on the layer once they are added (the plan's
//     CSV read back as a scenario);
//   - the plan's workbook names the layer in Méthodologie.
//
// The fast twin is diag/plan's TestRunDemandHand.
func TestPlanDemandeCreuse(t *testing.T) {
	if testing.Short() {
		t.Skip("long: make test-long")
	}
	grid := fixture(t, "carreaux/carreaux-200m-creuse.csv")
	cs, _ := runCSV(t, "--dept", "23", "--supply", "cnfs", "--demande", grid)
	var covered, pop float64
	for _, c := range cs {
		share, _ := strconv.ParseFloat(c["part_couverte"], 64)
		p, _ := strconv.ParseFloat(c["population"], 64)
		covered, pop = covered+share*p, pop+p
	}
	console, err := run(t, "plan", "--dept", "23", "--supply", "cnfs", "--add", "3", "--demande", grid, "--out", "p.xlsx", "--csv", "p.csv")
	if err != nil {
		t.Fatalf("plan: %v\n%s", err, console)
	}
	m := regexp.MustCompile(`couverture ([0-9.]+) % → ([0-9.]+) %`).FindStringSubmatch(console)
	if m == nil {
		t.Fatalf("console: %q", console)
	}
	if want := fmt.Sprintf("%.1f", 100*covered/pop); m[1] != want {
		t.Errorf("plan's coverage before %s %%, the diagnostic's %s %%", m[1], want)
	}
	dir, _ := os.Getwd()
	meth := sheetRows(t, openBook(t, "p.xlsx"), report.SheetMethodologie)
	if l := findText(t, meth, "Couche de demande (--demande)"); !strings.Contains(l, "carreaux-200m-creuse.csv") {
		t.Errorf("Méthodologie: %q", l)
	}
	if rest := findText(t, meth, "Communes restées au niveau communal"); !strings.Contains(rest, "Crocq (23069)") {
		t.Errorf("Méthodologie: %q", rest)
	}
	if pl := findText(t, meth, "Planificateur sur la couche"); !strings.Contains(pl, "part_couverte") {
		t.Errorf("Méthodologie: %q", pl)
	}
	console2, err := run(t, "plan", "--dept", "23", "--supply", "cnfs", "--add", "1", "--demande", grid,
		"--scenario", filepath.Join(dir, "p.csv"), "--out", "q.xlsx")
	if err != nil {
		t.Fatalf("plan --scenario: %v\n%s", err, console2)
	}
	m2 := regexp.MustCompile(`couverture ([0-9.]+) % →`).FindStringSubmatch(console2)
	if m2 == nil || m2[1] != m[2] {
		t.Errorf("coverage after the 3 posts: plan %s %%, diagnostic with them %v\n%s", m[2], m2, console2)
	}
}
