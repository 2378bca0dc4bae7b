package report

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag"
)

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
