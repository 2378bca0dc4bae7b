package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/testnum"
)

// TestControlesCapped: with Contrôles capped at 5 rows
// (Input.MaxControlRows) and 20 rejected rows more, ChecksOverflow counts
// the checks the sheet cannot show, and the sheet shows 5 of them and a
// last row saying how many more there are, instead of failing at Excel's
// row limit. With ChecksCSV set, WriteChecksCSV writes them all (header +
// one row per check, the rejected rows with file, line and column), and
// the sheet's last row names that file.
func TestControlesCapped(t *testing.T) {
	in := smallInput()
	in.MaxControlRows = 5
	if ChecksOverflow(in) != max(0, len(in.Checks)+len(in.Result.Checks)-5) {
		t.Fatal("overflow of the small input")
	}
	for i := range 20 {
		in.Checks.Reject(&data.ParseError{File: "s.csv", Line: 100 + i, Column: "latitude", Err: fmt.Errorf("%w: row %d", data.ErrBadCoordinate, i)})
	}
	total := len(in.Checks) + len(in.Result.Checks)
	if got := ChecksOverflow(in); got != total-5 {
		t.Fatalf("ChecksOverflow = %d, want %d", got, total-5)
	}
	rows, err := openBook(t, writeBytes(t, in)).GetRows(SheetControles)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+5+1 {
		t.Fatalf("%d rows, want header, 5 checks and the note", len(rows))
	}
	last := strings.Join(rows[6], " ")
	if want := fmt.Sprintf("… et %d contrôle(s) de plus, non affichés", total-5); !strings.Contains(last, want) {
		t.Errorf("last row %q, want %q", last, want)
	}

	in.ChecksCSV = "d-controles.csv"
	var csvBuf bytes.Buffer
	if err := WriteChecksCSV(&csvBuf, in); err != nil {
		t.Fatal(err)
	}
	tab, err := data.ReadTable("d-controles.csv", &csvBuf)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Records) != total || strings.Join(tab.Header, ",") != strings.Join(ChecksCSVHeader, ",") {
		t.Fatalf("%d rows, header %v; want %d rows", len(tab.Records), tab.Header, total)
	}
	found := 0
	for _, r := range tab.Records {
		if r.Field(1) == "s.csv" && r.Field(3) == "latitude" && r.Field(0) == "Rejeté" {
			if line := testnum.Int(t, r.Field(2)); line >= 100 && line < 120 {
				found++
			}
		}
	}
	if found != 20 {
		t.Errorf("%d of the 20 rejected rows in the CSV", found)
	}
	rows, err = openBook(t, writeBytes(t, in)).GetRows(SheetControles)
	if err != nil {
		t.Fatal(err)
	}
	if last := strings.Join(rows[len(rows)-1], " "); !strings.Contains(last, "tous les contrôles sont dans le fichier d-controles.csv") {
		t.Errorf("last row %q does not name the CSV", last)
	}
}

// TestClassify: the category of a check comes from its severity and kind,
// never from its message: a misleading message changes nothing, and each
// kind has its own French label and explanation.
func TestClassify(t *testing.T) {
	misleading := &data.ParseError{Err: errors.New("data: invalid value: site x reaches no population within 30 minutes: R_j = 0")}
	want := map[data.CheckKind]checkCategory{
		data.CheckNoReach: catNoReach, data.CheckPlacement: catDisagree, data.CheckUnusableSite: catUnusable,
		data.CheckNoLocation: catNoLocation, data.CheckDuplicate: catDuplicate, data.CheckCoordinate: catCoordinate,
		data.CheckCode: catCode, data.CheckUnknownCode: catUnknownCode, data.CheckOther: catOther,
		data.CheckDefaultGeocode: catDefaultGeocode, data.CheckFarMatch: catFarMatch,
		data.CheckCommunePoint: catCommunePoint, data.CheckNoStructure: catNoStructure,
		data.CheckDemandPlacement: catDemandPlacement, data.CheckDemandConservation: catDemandConservation,
	}
	if len(want) != len(data.CheckKinds) {
		t.Fatalf("%d kinds tested, data.CheckKinds has %d", len(want), len(data.CheckKinds))
	}
	seen := map[checkCategory]data.CheckKind{}
	for _, k := range data.CheckKinds {
		got := classify(data.Check{Severity: data.Warning, Kind: k, Err: misleading})
		if got != want[k] {
			t.Errorf("kind %s → %q, want %q", k, categoryText[got].label, categoryText[want[k]].label)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("kinds %s and %s share the category %q", k, other, categoryText[got].label)
		}
		seen[got] = k
		if categoryText[got].label == "" || categoryText[got].explain == "" {
			t.Errorf("kind %s: no French label or explanation", k)
		}
		if got := classify(data.Check{Severity: data.Rejected, Kind: k, Err: misleading}); got != catRejected {
			t.Errorf("rejected %s → %q, want the rejected rows", k, categoryText[got].label)
		}
	}
	if got := classify(data.Check{Severity: data.Warning}); got != catOther {
		t.Errorf("zero check → %q", categoryText[got].label)
	}
}

// TestControlesReadsNoMessage: no report code inspects the text of a
// check's message (grep-able): controles.go reads Err.Error() only to copy
// it into the "Message d'origine" column, and uses no pattern matching.
func TestControlesReadsNoMessage(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, bad := range []string{"Err.Error(), ", "strings.Contains(msg", "strings.Contains(e.Err", "strings.Contains(c.Err",
			"FindStringSubmatch(msg", "siteRe", "communeRe"} {
			if strings.Contains(src, bad) {
				t.Errorf("%s inspects a check's message: %q", name, bad)
			}
		}
		if name == "controles.go" && (strings.Count(src, ".Error()") != 1 || strings.Contains(src, "regexp")) {
			t.Errorf("controles.go: %d .Error() calls (want 1, the original message column) or a regexp", strings.Count(src, ".Error()"))
		}
	}
}
