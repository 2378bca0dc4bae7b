package data

import (
	"bytes"
	"testing"

	"github.com/paulmach/orb"
)

func TestFormulaSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+33 5", "'+33 5"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"Guéret", "Guéret"},
		{"", ""},
		{"'quoted", "'quoted"},
		{"a=b", "a=b"},
	} {
		if got := FormulaSafe(tc.in); got != tc.want {
			t.Errorf("FormulaSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := FormulaRestore(FormulaSafe(tc.in)); got != tc.in {
			t.Errorf("FormulaRestore(FormulaSafe(%q)) = %q", tc.in, got)
		}
	}
}

// TestSitesCSVFormulaRoundTrip: WriteSitesCSV neutralises names that look
// like formulas and LoadSitesCSV gives them back as they were.
func TestSitesCSVFormulaRoundTrip(t *testing.T) {
	in := []Site{
		{ID: "=1", Name: "=HYPERLINK(\"http://example.invalid\")", Kind: KindCNFS, Point: orb.Point{1.87, 46.17}, FTE: 1},
		{ID: "b", Name: "@SUM(1)", Kind: KindOther, Point: orb.Point{2.17, 45.96}, FTE: 0.5, Source: "-x"},
	}
	var buf bytes.Buffer
	if err := WriteSitesCSV(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\"'=HYPERLINK(")) || !bytes.Contains(buf.Bytes(), []byte(",'@SUM(1),")) {
		t.Errorf("names not neutralised:\n%s", buf.String())
	}
	out, _, err := LoadSitesCSV("s.csv", &buf, SitesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if out[i].ID != in[i].ID || out[i].Name != in[i].Name || out[i].Source != in[i].Source {
			t.Errorf("site %d read back as %q %q %q", i, out[i].ID, out[i].Name, out[i].Source)
		}
	}
}
