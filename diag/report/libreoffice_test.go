package report

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// csvAllSheets is the LibreOffice CSV filter: comma, double quote, UTF-8,
// formatted values ("as shown"), every sheet to its own file (-1, LibreOffice
// 7.2 and later; older versions convert the first sheet only).
const csvAllSheets = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"

// TestWorkbookLibreOffice opens the workbook in LibreOffice (headless
// conversion to CSV) and checks what a reader sees.
func TestWorkbookLibreOffice(t *testing.T) {
	t.Parallel() // mostly waiting for soffice: the other tests run meanwhile
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed: apt-get install libreoffice-calc-nogui to run this test")
	}
	dir := t.TempDir()
	xlsx, national := filepath.Join(dir, "diag.xlsx"), filepath.Join(dir, "france.xlsx")
	if err := os.WriteFile(xlsx, writeSmall(t), 0o644); err != nil {
		t.Fatal(err)
	}
	fr := franceInput()
	fr.MapPNG = pngOf(t, 800, 600)
	if err := os.WriteFile(national, writeBytes(t, fr), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out := filepath.Join(dir, "out")
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", csvAllSheets, "--outdir", out, xlsx, national)
	// soffice is a script whose program (oosplash, then soffice.bin)
	// runs in child processes that hold the output pipe: killing soffice
	// alone at the deadline would leave CombinedOutput waiting for them
	// for ever. Its process group is killed, and the pipe given up 10 s
	// later in any case.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v (deadline: %v)\n%s", err, ctx.Err(), b)
	}
	first := readLO(t, out, "diag-Synthèse.csv", "diag.csv")
	if len(first) == 0 || len(first[0]) == 0 {
		es, _ := os.ReadDir(out)
		t.Fatalf("no CSV of the first sheet in %v", es)
	}
	if !strings.Contains(first[0][0], "Diagnostic de l'inclusion numérique — Ain (01)") {
		t.Errorf("first sheet starts with %q", first[0])
	}
	communes := readLO(t, out, "diag-Communes.csv")
	if communes == nil {
		t.Skip("this LibreOffice converts the first sheet only")
	}
	// Rows in rank order; codes keep their leading zeros; couvert 0/1
	// shows as non/oui; the unknown fragility of 01004 is empty.
	// The sheet's columns are CommuneColumns, in order.
	code, dep, cov, frag := communeColumn("code_insee"), communeColumn("code_departement"), communeColumn("couvert"), communeColumn("indice_fragilite")
	want := [][]string{{"01002", "01", "non"}, {"01005", "01", "non"}, {"01001", "01", "oui"}, {"01004", "01", "oui"}}
	for i, w := range want {
		r := communes[i+1]
		if got := []string{r[code], r[dep], r[cov]}; !slices.Equal(got, w) {
			t.Errorf("Communes row %d = %q, want %q", i+2, got, w)
		}
	}
	if communes[4][frag] != "" {
		t.Errorf("fragility of 01004 = %q, want empty", communes[4][frag])
	}
	// Sites: the QPV flag of 01004 shows oui, an unknown FRR flag the text.
	if sites := readLO(t, out, "diag-Sites.csv"); len(sites) < 3 || sites[2][8] != "oui" || sites[2][9] != notInformed {
		t.Errorf("Sites rows = %q, want s1 with QPV oui, FRR %s", sites, notInformed)
	}
	libreOfficeNational(t, out)
}

// libreOfficeNational checks the France workbook of franceInput as
// LibreOffice shows it: the rankings with their formats.
func libreOfficeNational(t *testing.T, out string) {
	t.Helper()
	deps := readLO(t, out, "france-Départements.csv")
	if len(deps) < 4 {
		t.Fatalf("Départements of the France workbook: %q", deps)
	}
	// Creuse first: 0 advisors, −1.288715 from France, −84.66429 points
	// (see TestWorkbookRankings), shown with the signed formats. The
	// decimal separator follows LibreOffice's locale.
	r := deps[1]
	got := strings.NewReplacer(",", ".", " %", "%", "\u00a0%", "%", "\u202f%", "%").Replace(strings.Join([]string{r[0], r[1], r[9], r[13], r[14]}, "|"))
	if got != "1|23|-1.29|0.00%|-84.7 pt" {
		t.Errorf("Creuse row shows %q, want 1|23|-1.29|0.00%%|-84.7 pt", got)
	}
	if regs := readLO(t, out, "france-Régions.csv"); len(regs) < 3 || regs[1][1] != "75" {
		t.Errorf("Régions of the France workbook: %q", regs)
	}
}

// readLO reads the first of the named CSV files that exists in dir, nil if none.
func readLO(t *testing.T, dir string, names ...string) [][]string {
	t.Helper()
	for _, n := range names {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			continue
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		return recs
	}
	return nil
}
