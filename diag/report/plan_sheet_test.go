package report

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"
)

// planFixture is a two-post plan over three communes of département 01 and
// one site in the first (the data set of diag/plan's ExampleRun, whose
// figures are checked by hand there): both posts go to 01003 C, 2,000
// inhabitants not covered, 86.7 min from the site.
func planFixture(t *testing.T) *plan.Plan {
	commune := func(code, name string, pop int, lon, lat float64) data.Commune {
		return data.Commune{Code: code, Name: name, Dep: "01", Region: "84", Population: pop,
			Point: orb.Point{lon, lat}, HasPoint: true}
	}
	ds := &data.Dataset{
		Communes: []data.Commune{commune("01001", "A", 1000, 5.0, 46.0), commune("01002", "B", 500, 5.1, 46.0),
			commune("01003", "C", 2000, 5.0, 46.5)},
		Sites: []data.Site{{ID: "s1", Name: "Mairie de A", Kind: data.KindCNFS, Point: orb.Point{5.0, 46.0}, FTE: 1}},
	}
	b, err := diag.NewBaseline(context.Background(), ds, diag.Params{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Run(context.Background(), b, plan.Options{Territory: diag.Departements("01"), Add: 2})
	if err != nil {
		t.Fatal(err)
	}
	sc := &plan.Scenario{Remove: []string{"s1"}}
	ds2, err := plan.WithScenario(ds, sc)
	if err != nil {
		t.Fatal(err)
	}
	after, err := diag.Compute(context.Background(), ds2, diag.Params{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Scenario, err = plan.Compare(diag.Departements("01"), b.Result, after, sc, nil, ""); err != nil {
		t.Fatal(err)
	}
	return p
}

// planFindRow returns the first row whose column A holds text, or 0.
func planFindRow(t *testing.T, f *excelize.File, sheet, text string) int {
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == text {
			return i + 1
		}
	}
	return 0
}

// TestWriteRecommandations writes a plan in a sheet and reads it back:
// the posts in order with their figures, the costs, the scenario, and
// the native line chart over the coverage column.
func TestWriteRecommandations(t *testing.T) {
	p := planFixture(t)
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet(SheetRecommandations); err != nil {
		t.Fatal(err)
	}
	if err := WriteRecommandations(f, SheetRecommandations, p); err != nil {
		t.Fatal(err)
	}
	get := func(ref string) string {
		v, err := f.GetCellValue(SheetRecommandations, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := get("A1"); v != "Recommandations d'implantation — departement 01" {
		t.Errorf("title %q", v)
	}
	r := planFindRow(t, f, SheetRecommandations, "Situation actuelle")
	if r == 0 {
		t.Fatal("no posts table")
	}
	n := itoa
	// Before: 1,500 of 3,500 covered (42.86 %); post 1 in C covers its 2,000.
	want := map[string]string{
		"A" + n(r-1): "Commune", "J" + n(r): "42.86%",
		"A" + n(r+1): "C", "B" + n(r+1): "1", "C" + n(r+1): "plan-01003", "D" + n(r+1): "01003",
		"E" + n(r+1): "46.5", "F" + n(r+1): "5", "G" + n(r+1): "2,000", "H" + n(r+1): "1,000",
		"J" + n(r+1): "100.00%", "N" + n(r+1): "Mairie de A", "O" + n(r+1): "86.7", "P" + n(r+1): "50,000",
		"C" + n(r+2): "plan-01003-2", "G" + n(r+2): "0", "Q" + n(r+2): "100,000",
	}
	for ref, v := range want {
		if got := get(ref); got != v {
			t.Errorf("%s = %q, want %q", ref, got, v)
		}
	}
	if c := planFindRow(t, f, SheetRecommandations, "Hexagone et Corse"); c == 0 || get("C"+n(c)) != "2.0" || get("E"+n(c)) != "100,000" {
		t.Errorf("cost line at row %d: %q posts, %q €", c, get("C"+n(c)), get("E"+n(c)))
	}
	// Removing s1 uncovers A and B: the three communes are listed.
	if c := planFindRow(t, f, SheetRecommandations, "Sites comptés dans l'offre"); c == 0 || get("B"+n(c)) != "1" || get("C"+n(c)) != "0" {
		t.Errorf("scenario totals at row %d", c)
	}
	// (Raw values: excelize does not apply the oui/non format's zero section.)
	rows, err := f.GetRows(SheetRecommandations, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	lost := map[string]bool{}
	for _, row := range rows {
		if len(row) > 4 && row[3] == "1" && row[4] == "0" {
			lost[row[0]] = true
		}
	}
	if !lost["A"] || !lost["B"] || len(lost) != 2 {
		t.Errorf("communes losing their coverage: %v, want A and B", lost)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	chart := zipEntry(t, buf.Bytes(), "xl/charts/chart1.xml")
	for _, s := range []string{"<lineChart>", "Recommandations!$J$" + n(r) + ":$J$" + n(r+2), "Recommandations!$B$" + n(r)} {
		if !strings.Contains(chart, s) {
			t.Errorf("chart lacks %q", s)
		}
	}
}

// TestWorkbookWithPlan: through Input.Plan, the workbook's
// Recommandations sheet holds the plan, titled with the territory's name.
func TestWorkbookWithPlan(t *testing.T) {
	in := smallInput()
	in.Plan = planFixture(t)
	f := openBook(t, writeBytes(t, in))
	if v, _ := f.GetCellValue(SheetRecommandations, "A1"); v != "Recommandations d'implantation — Ain" {
		t.Errorf("A1 = %q", v)
	}
	if planFindRow(t, f, SheetRecommandations, "Situation actuelle") == 0 {
		t.Error("no posts table in the workbook")
	}
}
