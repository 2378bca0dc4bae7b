package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag"
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
			if line, _ := strconv.Atoi(r.Field(2)); line >= 100 && line < 120 {
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

// TestLongTextCut: a name longer than Excel's 32,767 characters is cut
// in the workbook, ending with the visible mark.
func TestLongTextCut(t *testing.T) {
	long := strings.Repeat("é", data.MaxCellChars+10)
	got := cutCell(long).(string)
	if n := len([]rune(got)); n != data.MaxCellChars || !strings.HasSuffix(got, data.CutMark) {
		t.Errorf("cut to %d characters, suffix %q", n, got[len(got)-20:])
	}
	if cutCell("court") != "court" {
		t.Error("a short text is changed")
	}
	c := cutCell(excelize.Cell{StyleID: 3, Value: long}).(excelize.Cell)
	if c.StyleID != 3 || !strings.HasSuffix(c.Value.(string), data.CutMark) {
		t.Errorf("cell %+v not cut", c.StyleID)
	}
}

// TestMethodologieSpreadOverflow: Méthodologie shows an indicator left out
// for an overflowing spread as not used, with the reason, never with its
// weight.
func TestMethodologieSpreadOverflow(t *testing.T) {
	rows := methodIndicators([]diag.IndicatorUse{{Name: "ecart", Weight: 2, Origin: diag.WeightExplicit, Status: diag.OutSpread, Communes: 3, Total: 3}})
	if len(rows) == 0 || rows[0].name != "ecart" || !strings.Contains(rows[0].text, "non retenu : valeurs trop éloignées") || strings.Contains(rows[0].text, "poids 2") {
		t.Errorf("rows %+v", rows)
	}
}
