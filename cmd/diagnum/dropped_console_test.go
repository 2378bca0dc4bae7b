package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"diagnum/data"
	"diagnum/diag/report"
)

// The cases of issue 17 §5 ("nothing dropped silently") in a run
// without --strict: each is counted on the console, in the exact words
// of announceRejected, and listed in Contrôles (the --strict refusals
// are tested beside the loaders and in TestBadCorpusStrict). The runs
// use the built command (buildDiagnum), so they run in parallel and
// without the race detector's cost; each writes its workbook in its own
// folder.

// droppedRun runs the built command with args in a new folder, after
// writing files (name → content) there; it fails the test if the run
// fails and returns the folder and the console (standard error).
func droppedRun(t *testing.T, files map[string]string, args ...string) (dir, console string) {
	t.Helper()
	bin := buildDiagnum(t)
	dir = t.TempDir()
	writeFiles(t, dir, files)
	c := startCmd(t, dir, bin, args...)
	if err := c.wait(t, 5*time.Minute); err != nil {
		t.Fatalf("diagnum %q: %v\n%s", args, err, c.stderr)
	}
	return dir, c.stderr.String()
}

// checkConsoleCount checks that the console has exactly one line about
// file, and that it is want.
func checkConsoleCount(t *testing.T, console, file, want string) {
	t.Helper()
	var got []string
	for line := range strings.Lines(console) {
		if strings.HasPrefix(line, file+" : ") {
			got = append(got, strings.TrimSuffix(line, "\n"))
		}
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("console lines about %s: %q, want exactly %q\nconsole:\n%s", file, got, want, console)
	}
}

// controlesOf returns the rows of the Contrôles sheet of the workbook at
// path whose file (column Fichier) is file, as a map from the column
// names of the sheet (report.ChecksCSVHeader) to the cell.
func controlesOf(t *testing.T, path, file string) []map[string]string {
	t.Helper()
	rows := sheetRows(t, openBook(t, path), report.SheetControles)
	var out []map[string]string
	for _, r := range rows[1:] {
		if len(r) < 2 || r[1] != file {
			continue
		}
		m := map[string]string{}
		for i, name := range report.ChecksCSVHeader {
			if i < len(r) {
				m[name] = r[i]
			}
		}
		out = append(out, m)
	}
	return out
}

// droppedCase is a run of TestDroppedCounted: the files it writes, its
// arguments, the user's file whose rows are dropped, the console line
// about that file and the checks Contrôles lists for it.
type droppedCase struct {
	name    string
	files   map[string]string
	args    []string
	file    string
	console string
	checks  []droppedCheck
	// more checks the outputs further (may be nil).
	more func(t *testing.T, dir, console string)
}

// droppedCheck is a row of Contrôles: severity, line, column, the
// message of the check (the whole of it, or its end when end is set)
// and the element concerned.
type droppedCheck struct {
	severity, line, column, message string
	end                             bool
	element                         string
}

// longName is a site's name longer than a workbook cell holds: 40,000
// characters of two bytes (é), so that a cut by bytes would show.
var longName = strings.Repeat("é", 40_000)

// sitesHeader is the header of the sites files of TestDroppedCounted.
const sitesHeader = "id,nom,type,latitude,longitude,etp,code_insee\n"

func droppedCases() []droppedCase {
	// Three conseillers numériques in Guéret (23096), 1 + 0.5 + 2 = 3.5
	// FTE: the kind keeps each place's FTE (diag.Defaults has no
	// FTEPerSite for cnfs).
	guéret := sitesHeader +
		"m1,Mairie de Guéret,cnfs,46.1713,1.8717,1,23096\n" +
		"m2,Médiathèque,cnfs,46.1700,1.8700,0.5,23096\n" +
		"m3,Espace numérique,cnfs,46.1690,1.8690,2,23096\n"
	dup := func(id string) string {
		return fmt.Sprintf("identifiant %q déjà utilisé par un fichier précédent (s.csv) ; le même fichier donné deux fois ?", id)
	}
	reserved := func(col string) string {
		return fmt.Sprintf("la colonne %q est une mesure que diagnum calcule lui-même ; ignorée (renommez-la pour l'utiliser comme indicateur)", col)
	}
	cut := fmt.Sprintf("nom de 40000 caractères ; le classeur en montre les %d premiers, suivis de %q",
		data.MaxCellChars-utf8.RuneCountInString(data.CutMark), data.CutMark)
	return []droppedCase{{
		// Lines 3 and 4 are no current commune: 2 rows rejected.
		name:    "unknown codes",
		files:   map[string]string{"i.csv": "code_insee,taux_x\n23096,1.5\n23999,2\n75101,3\n23001,4\n"},
		args:    []string{"--indicators", "i.csv"},
		file:    "i.csv",
		console: "i.csv : 2 lignes rejetées, voir Contrôles",
		checks: []droppedCheck{
			{severity: "Rejeté", line: "3", column: "code_insee", message: "code INSEE inconnu : 23999 n'est pas un code de commune ; ligne ignorée"},
			{severity: "Rejeté", line: "4", column: "code_insee", message: "code INSEE inconnu : 75101 n'est pas une commune actuelle (un arrondissement ou un ancien code de 75056) ; ligne ignorée, donnez les valeurs de 75056"},
		},
	}, {
		// Three columns of the header are measures of the communes CSV
		// (Rang in another case): 3 warnings, no row rejected.
		name:    "reserved columns",
		files:   map[string]string{"i.csv": "code_insee,population,Rang,score_ecart,taux_y\n23096,1,2,3,4\n23001,5,6,7,8\n"},
		args:    []string{"--indicators", "i.csv"},
		file:    "i.csv",
		console: "i.csv : 3 avertissements, voir Contrôles",
		checks: []droppedCheck{
			{severity: "Avertissement", line: "1", column: "population", message: reserved("population"), end: true},
			{severity: "Avertissement", line: "1", column: "Rang", message: reserved("Rang"), end: true},
			{severity: "Avertissement", line: "1", column: "score_ecart", message: reserved("score_ecart"), end: true},
		},
	}, {
		// The name of line 3 is cut in the workbook: 1 warning.
		name: "cut name",
		files: map[string]string{"s.csv": sitesHeader + "m1,Mairie,cnfs,46.1713,1.8717,1,23096\n" +
			"long1," + longName + ",cnfs,46.1700,1.8700,1,23096\n"},
		args:    []string{"--sites", "s.csv"},
		file:    "s.csv",
		console: "s.csv : 1 avertissement, voir Contrôles",
		checks: []droppedCheck{
			{severity: "Avertissement", line: "3", column: "nom", message: cut, end: true,
				element: cutOf("site long1 — " + longName)},
		},
		more: checkCutName,
	}, {
		// The second copy of the file has the three ids of the first: 3
		// rows rejected, and the FTE counted once (3.5, not 7; with
		// --sites-only no embedded site counts). Each check names the
		// line of the site in the second copy.
		name:    "same sites file twice",
		files:   map[string]string{"s.csv": guéret},
		args:    []string{"--sites", "s.csv", "--sites", "s.csv", "--sites-only"},
		file:    "s.csv",
		console: "s.csv : 3 lignes rejetées, voir Contrôles",
		checks: []droppedCheck{
			{severity: "Rejeté", line: "2", column: "id", message: dup("m1"), end: true, element: "site m1 — Mairie de Guéret"},
			{severity: "Rejeté", line: "3", column: "id", message: dup("m2"), end: true, element: "site m2 — Médiathèque"},
			{severity: "Rejeté", line: "4", column: "id", message: dup("m3"), end: true, element: "site m3 — Espace numérique"},
		},
		more: func(t *testing.T, _, console string) {
			if !strings.Contains(console, "Creuse : d.xlsx — 255 communes, 115527 hab., 3.5 ETP,") {
				t.Errorf("the FTE of the sites given twice is not 3.5:\n%s", console)
			}
		},
	}}
}

// cutOf is s cut as the workbook cuts a text longer than a cell holds:
// its first data.MaxCellChars characters, the last ones replaced by
// data.CutMark.
func cutOf(s string) string {
	r := []rune(s)
	if len(r) <= data.MaxCellChars {
		return s
	}
	return string(r[:data.MaxCellChars-utf8.RuneCountInString(data.CutMark)]) + data.CutMark
}

// checkCutName checks that the Sites sheet shows the long name cut.
func checkCutName(t *testing.T, dir, _ string) {
	rows := sheetRows(t, openBook(t, filepath.Join(dir, "d.xlsx")), report.SheetSites)
	want := cutOf(longName)
	for _, r := range rows {
		for _, c := range r {
			if strings.HasPrefix(c, "éééé") {
				if c != want {
					t.Errorf("Sites shows the long name with %d characters, ending %q; want %d ending %q",
						utf8.RuneCountInString(c), c[max(0, len(c)-20):], data.MaxCellChars, data.CutMark)
				}
				return
			}
		}
	}
	t.Error("Sites does not show the long name")
}

// TestDroppedCounted (issue 17 §5): without --strict, unknown indicator
// codes, indicator columns named like measures, a name too long for a
// cell and the same sites file given twice are counted on the console
// and listed in Contrôles, one row per check.
func TestDroppedCounted(t *testing.T) {
	buildDiagnum(t) // once, before the parallel runs
	for _, tc := range droppedCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir, console := droppedRun(t, tc.files, append([]string{"--dept", "23", "--out", "d.xlsx"}, tc.args...)...)
			checkConsoleCount(t, console, tc.file, tc.console)
			got := controlesOf(t, filepath.Join(dir, "d.xlsx"), tc.file)
			if len(got) != len(tc.checks) {
				t.Errorf("Contrôles lists %d checks of %s, want %d: %q", len(got), tc.file, len(tc.checks), got)
			}
			for _, want := range tc.checks {
				if !slices.ContainsFunc(got, want.matches) {
					t.Errorf("Contrôles does not list %+v; rows of %s: %q", want, tc.file, got)
				}
			}
			if tc.more != nil {
				tc.more(t, dir, console)
			}
		})
	}
}

// matches tells whether the row of Contrôles (controlesOf) is c.
func (c droppedCheck) matches(row map[string]string) bool {
	msg := row["message"] == c.message || c.end && strings.HasSuffix(row["message"], " : "+c.message)
	return msg && row["gravite"] == c.severity && row["ligne"] == c.line && row["colonne"] == c.column &&
		row["element_concerne"] == c.element
}
