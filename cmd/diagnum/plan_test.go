package main

import (
	"errors"
	"flag"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"diagnum/diag/report"
)

// readPlanCSV returns the rows of a plan CSV as maps by column.
func readPlanCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	return csvRows(readCSV(t, path))
}

// sheetRowStarting returns the first row of the sheet whose column A is label.
func sheetRowStarting(t *testing.T, f *excelize.File, sheet, label string) []string {
	t.Helper()
	rows := sheetRows(t, f, sheet, excelize.Options{RawCellValue: true})
	for _, r := range rows {
		if len(r) > 0 && r[0] == label {
			return r
		}
	}
	t.Fatalf("%s: no row %q", sheet, label)
	return nil
}

// TestPlanCommand runs `diagnum plan --dept 23 --add 3 --csv`, then
// feeds the CSV back as a scenario: the workbook's Recommandations sheet
// lists the three posts, and the scenario reaches exactly the coverage
// the plan reported for its third post.
func TestPlanCommand(t *testing.T) {
	stderr, err := run(t, "plan", "--dept", "23", "--add", "3", "--csv", "plan.csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !regexp.MustCompile(`Creuse : plan.csv, plan-23.xlsx — 3 poste\(s\) proposé\(s\), couverture [0-9.]+ % → [0-9.]+ % à 30 min`).MatchString(stderr) {
		t.Errorf("summary: %s", stderr)
	}
	rows := readPlanCSV(t, "plan.csv")
	if len(rows) != 3 || rows[0]["rang"] != "1" || rows[0]["action"] != "ajout" || rows[0]["type"] != "cnfs" {
		t.Fatalf("plan.csv: %v", rows)
	}
	f := openBook(t, "plan-23.xlsx")
	if v, _ := f.GetCellValue(report.SheetRecommandations, "A1"); v != "Recommandations d'implantation — Creuse" {
		t.Errorf("Recommandations A1 = %q", v)
	}
	first := sheetRowStarting(t, f, report.SheetRecommandations, rows[0]["commune"])
	if first[2] != rows[0]["id"] || first[6] != rows[0]["population_nouvellement_couverte"] {
		t.Errorf("first post in the sheet %v, in the CSV %v", first, rows[0])
	}
	// The plan as a scenario, with no new post: the coverage after it is the plan's.
	covered, _ := strconv.Atoi(rows[2]["population_couverte_cumulee"])
	if stderr, err = run(t, "plan", "--dept", "23", "--scenario", absPath(t, "plan.csv"), "--out", "scenario.xlsx"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	g := openBook(t, "scenario.xlsx")
	row := sheetRowStarting(t, g, report.SheetRecommandations, "Population couverte")
	if row[2] != strconv.Itoa(covered) {
		t.Errorf("scenario: covered %v after, the plan said %d", row, covered)
	}
}

// TestPlanUsageErrors: bad command lines stop with a usage error and
// write nothing.
func TestPlanUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"plan"},
		{"plan", "--dept", "23", "--add", "-2"},
		{"plan", "--dept", "23", "--france", "--add", "2"},
		{"plan", "--dept", "23", "--add", "2", "--objective", "cost"},
		{"plan", "--dept", "23", "--add", "2", "--employeur", "etat"},
		{"plan", "--dept", "23", "--add", "2", "extra"},
		{"plan", "--dept", "23", "--add", "2", "--sites-only"},
	} {
		_, err := run(t, args...)
		if !errors.Is(err, errUsage) {
			t.Errorf("%v: error %v, want a usage error", args, err)
		}
		wantNoFiles(t, ".", strings.Join(args, " "))
	}
	out, err := run(t, "plan", "--help")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "--candidates") || !strings.Contains(out, "--scenario") {
		t.Errorf("plan --help: %v\n%s", err, out)
	}
}

// TestPlanBadFiles: a missing or malformed candidates, scenario, costs
// or exclusion file, or a scenario removing an unknown site, stops the
// plan with the message it gave when the files were read after the
// measures (exit 1: not a usage error), before the measures start (no
// baseline: baselines), and writes nothing; with --strict, a file with a
// rejected row too. A FIFO is read once.
func TestPlanBadFiles(t *testing.T) {
	const noFile = "\x00" // the file does not exist
	for _, tc := range []struct {
		flags      []string // before the file: its flag (and --strict)
		file, body string
		want       string // the whole error
	}{
		{[]string{"--candidates"}, "absent.csv", noFile, "--candidates absent.csv (communes, chefs-lieux ou un fichier de lieux) : open absent.csv: no such file or directory"},
		{[]string{"--candidates"}, "lieux.csv", "id,nom,type,latitude,longitude\na,A,cnfs,46.1,x\n",
			`--candidates lieux.csv (communes, chefs-lieux ou un fichier de lieux) : lieux.csv: aucune ligne utilisable : la seule ligne est rejetée ; la première : lieux.csv:2: colonne "longitude" : coordonnée invalide : longitude "x" n'est pas un nombre (aucun chiffre)`},
		{[]string{"--scenario"}, "absent.csv", noFile, "scénario absent.csv : open absent.csv: no such file or directory"},
		{[]string{"--scenario"}, "sc.csv", "id,nom,type,latitude,longitude,action\nb,B,cnfs,46.1,1.8,bouger\n",
			`scénario sc.csv : sc.csv: aucune ligne utilisable : aucun lieu à ajouter ni à retirer ; première ligne rejetée : sc.csv:2: colonne "action" : valeur invalide : action "bouger" : attendu ajout ou suppression`},
		{[]string{"--scenario"}, "sc.csv", "id,action\nnobody,suppression\n", `scénario sc.csv : identifiant de lieu inconnu : "nobody" (scénario, action suppression)`},
		{[]string{"--scenario"}, "fifo", "id,action\nnobody,suppression\n", `scénario fifo : identifiant de lieu inconnu : "nobody" (scénario, action suppression)`},
		{[]string{"--couts"}, "couts.csv", "zone,employeur,montant\nlune,public,1\n",
			`coûts couts.csv : couts.csv:2: colonne "zone" : valeur invalide : zone inconnue "lune" : attendu metropole, reunion-mayotte ou antilles-guyane`},
		{[]string{"--couts"}, "absent.csv", noFile, "coûts absent.csv : open absent.csv: no such file or directory"},
		{[]string{"--exclure"}, "absent.txt", noFile, "--exclure absent.txt : open absent.txt: no such file or directory"},
		{[]string{"--strict", "--scenario"}, "strict.csv", "id,nom,type,latitude,longitude,action\nn1,N,cnfs,46.17,1.87,ajout\nn2,N2,cnfs,x,1.8,ajout\n",
			"scénario strict.csv : --strict : 1 ligne(s) rejetée(s) ou signalée(s) dans vos fichiers :\n" +
				`  strict.csv:3: colonne "latitude" : coordonnée invalide : latitude "x" n'est pas un nombre (aucun chiffre)`},
		{[]string{"--strict", "--candidates"}, "strict.csv", "id,nom,type,latitude,longitude\nn1,N,cnfs,46.17,1.87\nn2,N2,cnfs,x,1.8\n",
			"--candidates strict.csv (communes, chefs-lieux ou un fichier de lieux) : --strict : 1 ligne(s) rejetée(s) ou signalée(s) dans vos fichiers :\n" +
				`  strict.csv:3: colonne "latitude" : coordonnée invalide : latitude "x" n'est pas un nombre (aucun chiffre)`},
	} {
		t.Run(strings.Join(tc.flags, " ")+"/"+tc.file, func(t *testing.T) {
			t.Chdir(t.TempDir())
			wrote := feedInput(t, tc.file, tc.body)
			n := baselines.Load()
			args := append([]string{"plan", "--dept", "23", "--add", "1"}, append(tc.flags, tc.file)...)
			stdout, _, err := runHere(t, args...)
			if err == nil || err.Error() != tc.want || errors.Is(err, errUsage) {
				t.Errorf("error %v\nwant %s (exit 1)", err, tc.want)
			}
			if got := baselines.Load() - n; got != 0 {
				t.Errorf("refused after %d baseline(s), want before the measures", got)
			}
			wrote()
			if files := listDir(t, "."); len(stdout) != 0 || len(files) > 1 || (len(files) == 1 && files[0] != tc.file) {
				t.Errorf("wrote %v and %d bytes on stdout", files, len(stdout))
			}
		})
	}
}

// TestPlanFileAfterMeasures: a candidates file whose only place lies
// outside the territory can only be refused once the measures place it
// (--strict, plan.ScreenCandidates): the counter of TestPlanBadFiles
// sees that baseline, and the FIFO's content reached the plan.
func TestPlanFileAfterMeasures(t *testing.T) {
	t.Chdir(t.TempDir())
	wrote := feedInput(t, "fifo", "id,nom,type,latitude,longitude\np,Paris,cnfs,48.8566,2.3522\n")
	n := baselines.Load()
	_, _, err := runHere(t, "plan", "--dept", "23", "--add", "1", "--strict", "--candidates", "fifo")
	wrote()
	if err == nil || !strings.HasPrefix(err.Error(), "--candidates fifo : lieux hors du territoire, en mer ou sans habitants : ") {
		t.Errorf("error %v, want the candidates outside the Creuse refused", err)
	}
	if got := baselines.Load() - n; got != 1 {
		t.Errorf("%d baseline(s), want 1 before the refusal", got)
	}
}

// feedInput creates the input file name with body, or nothing when body
// is "\x00"; a name "fifo" is a FIFO that a goroutine writes body into.
// The function it returns waits (10 s at most) until the FIFO was read.
func feedInput(t *testing.T, name, body string) func() {
	t.Helper()
	switch {
	case body == "\x00":
		return func() {}
	case name != "fifo":
		writeFile(name, body)(t)
		return func() {}
	}
	mkfifo(name)(t)
	done := make(chan error, 1)
	go func() { done <- os.WriteFile(name, []byte(body), 0) }()
	return func() {
		t.Helper()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("writing the FIFO: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("the FIFO %s was not read", name)
		}
	}
}

// TestCoverRate: --couvrir reads a percentage or a fraction, with a
// decimal comma or point; other text, and rates outside ]0, 1], are
// usage errors.
func TestCoverRate(t *testing.T) {
	for in, want := range map[string]float64{"": 0, "100%": 1, " 97,5 % ": 0.975, "0.9": 0.9, "0,95": 0.95, "+.5": 0.5} {
		if got, err := (&planOptions{cover: in}).coverRate(); err != nil || got != want {
			t.Errorf("--couvrir %q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "120%", "1,5", "NaN", "beaucoup", "0,9,5", "0x1p-1"} {
		if _, err := (&planOptions{cover: in}).coverRate(); !errors.Is(err, errUsage) {
			t.Errorf("--couvrir %q: err = %v, want a usage error", in, err)
		}
	}
}

// TestPlanModes runs the planner's modes from the command line on
// Creuse: each succeeds and prints what it found (long: each run loads
// the data; diag/plan tests every mode in the short run); bad values are
// usage errors (short).
func TestPlanModes(t *testing.T) {
	for _, bad := range [][]string{{"--couvrir", "120%"}, {"--budget", "-1"}, {"--retirer", "-2"}, {"--capacite", "0"}, {"--objective", "loin"}} {
		if _, err := run(t, append([]string{"plan", "--dept", "23"}, bad...)...); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", bad, err)
		}
	}
	if testing.Short() {
		return
	}
	exclude := writeTemp(t, "exclure.txt", "23096\n")
	for _, tc := range []struct {
		args  []string
		want  string // a line of the summary
		sheet string // in Recommandations (cells tab-separated, rows on lines)
	}{
		{[]string{"--couvrir", "100%"}, `Couvrir 100.0 % de la population : \d+ poste\(s\), minimum prouvé`,
			`Le moins de postes pour couvrir 100 % de la population : \d+ poste\(s\) ; c'est le minimum \(prouvé\)`},
		{[]string{"--budget", "120000"}, `Budget 120 000 € : 2 poste\(s\) pour 100 000 €`, `Budget : 120\s?000 € de subvention sur 24 mois ; 2 poste\(s\)`},
		{[]string{"--retirer", "2"}, `Retirer 2 site\(s\) : couverture`, `Sites existants à retirer en perdant le moins, dans l'ordre`},
		{[]string{"--add", "12", "--objective", "equite", "--max-par-lieu", "1", "--exclure", exclude},
			`(?s)12 poste\(s\) proposé\(s\).*Lieux exclus \(--exclure\) : 1 candidat\(s\) écarté\(s\)`,
			`(?s)Objectif\tréduire le temps le plus long.*Lieux candidats exclus \(--exclure\)\t1\n.*Postes au plus par lieu\t1\n`},
		{[]string{"--add", "20", "--capacite", "300"}, `Étape capacité à partir du poste \d+ .* \(capacité 300 par ETP\)`,
			`Capacité \(personnes accompagnées par ETP et par an\)\t300\n`},
		{[]string{"--add", "4", "--echanges"}, `(?s)Borne certifiée \(couverture\) : au moins [0-9]+,[0-9] % de l'optimum.*Échanges \(--echanges\) : échanges 1 pour 1`,
			`Après le glouton \(--echanges\) : échanges 1 pour 1`},
	} {
		// The conseillers numériques alone (the whole offer, the default,
		// covers the Creuse entirely: nothing would be left to plan).
		args := append([]string{"plan", "--dept", "23", "--supply", "cnfs", "--out", "modes.xlsx"}, tc.args...)
		stderr, err := run(t, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", tc.args, err, stderr)
		}
		if !regexp.MustCompile(tc.want).MatchString(stderr) {
			t.Errorf("%v: summary\n%s", tc.args, stderr)
		}
		if text := sheetText(t, "modes.xlsx", report.SheetRecommandations); !regexp.MustCompile(tc.sheet).MatchString(text) {
			t.Errorf("%v: the workbook lacks %q\n%s", tc.args, tc.sheet, text)
		}
	}
	// A plan over several départements: their table and map.
	stderr, err := run(t, "plan", "--region", "75", "--supply", "cnfs", "--add", "30", "--out", "region.xlsx")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !regexp.MustCompile(`Postes par département et besoin : corrélation des rangs \(Spearman\) -?[01]\.\d{3} sur 12 départements`).MatchString(stderr) {
		t.Errorf("région plan: summary\n%s", stderr)
	}
	f := openBook(t, "region.xlsx")
	hdr := sheetRowStarting(t, f, report.SheetRecommandations, "Département")
	rows := sheetRows(t, f, report.SheetRecommandations)
	at := 0
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Département" {
			at = i + 1
		}
	}
	if pics, err := f.GetPictures(report.SheetRecommandations, "K"+strconv.Itoa(at)); err != nil || len(pics) != 1 {
		t.Errorf("header %v at row %d: %d picture(s) in K (%v), want the map of the posts per département", hdr, at, len(pics), err)
	}
	if total := rows[len(rows)-1]; len(total) < 5 || total[0] != "Total" || total[4] != "30" {
		t.Errorf("last row %v, want the per-département total with 30 posts", total)
	}
}

// sheetText returns the cells of a sheet of the workbook at path,
// tab-separated, one row a line.
func sheetText(t *testing.T, path, sheet string) string {
	t.Helper()
	f := openBook(t, path)
	rows := sheetRows(t, f, sheet)
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}

// TestThousands: the console's amounts in euros, rounded, digits grouped
// by plain spaces, a hyphen-minus.
func TestThousands(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 999: "999", 120000: "120 000", 1234567.4: "1 234 567", -1234: "-1 234", 999.6: "1 000"} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%v) = %q, want %q", v, got, want)
		}
	}
}
