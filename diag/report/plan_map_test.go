package report

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/diag"
	"diagnum/diag/plan"
)

// depPlan is a plan over départements "D0"… whose need and posts are
// given: posts[d] picks located in d.
func depPlan(need map[string]float64, posts map[string]int) *plan.Plan {
	p := &plan.Plan{DepNeed: need}
	for d, n := range posts {
		for range n {
			p.Picks = append(p.Picks, plan.Pick{Rank: len(p.Picks) + 1, Dep: d})
		}
	}
	return p
}

// TestPlanDeps: shares, posts per 10,000 people in need and ranks of a
// three-département plan, by hand: need 3,000 / 1,000 / 0, posts 2 / 2 /
// 0 (total need 4,000, 4 posts).
func TestPlanDeps(t *testing.T) {
	p := depPlan(map[string]float64{"02": 1000, "01": 3000, "03": 0}, map[string]int{"01": 2, "02": 2})
	got := planDeps(p, map[string]string{"01": "Ain"})
	want := []struct {
		dep, name               string
		needShare, postShare, k float64
		needRank, postRank      int
	}{
		{"01", "Ain", 0.75, 0.5, 2.0 / 3000 * 1e4, 1, 1}, // 6.667 posts per 10,000
		{"02", "", 0.25, 0.5, 20, 2, 1},
		{"03", "", 0, 0, math.NaN(), 3, 3},
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		same := func(a, b float64) bool { return a == b || math.Abs(a-b) < 1e-12 || math.IsNaN(a) && math.IsNaN(b) }
		if g.Dep != w.dep || g.Name != w.name || !same(g.NeedShare, w.needShare) || !same(g.PostShare, w.postShare) ||
			!same(g.Per10k, w.k) || g.NeedRank != w.needRank || g.PostRank != w.postRank {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
	if r := competitionRanks([]float64{5, 7, 7, 1, 7}); !slicesEqual(r, []int{4, 1, 1, 5, 1}) {
		t.Errorf("competitionRanks = %v, want [4 1 1 5 1]", r)
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// creuseDepInput is the real Creuse polygons cut into five false
// départements D0…D4 by code order (51 or 52 communes each) plus D5,
// the last 8 communes, whose need is 0; D_k has need 1,000 and k + 1
// posts, so posts per 10,000 in need are 10, 20, …, 50: five quantile
// classes of one département each, and D5 grey (no need).
func creuseDepInput(t *testing.T) Input {
	ds, cs := creuseDataset(t)
	need, posts := map[string]float64{"D5": 0}, map[string]int{}
	for k := range 5 {
		d := "D" + strconv.Itoa(k)
		need[d], posts[d] = 1000, k+1
	}
	for i := range cs {
		cs[i].Dep = "D" + strconv.Itoa(min(5, i*5/250))
	}
	return Input{View: diag.View{Name: "Creuse découpée", Communes: cs}, Dataset: ds, Plan: depPlan(need, posts)}
}

// TestPlanMap draws the per-département map of creuseDepInput: at a
// point well inside each commune the colour is its département's class
// (YlOrRd, 5 classes, one département each; D5 grey), the frame holds
// those six fills and no other class colour, and the legend shows the
// five classes and the grey.
func TestPlanMap(t *testing.T) {
	in := creuseDepInput(t)
	mi, ok := PlanMapInput(&in)
	if !ok {
		t.Fatal("no map for a plan over six départements")
	}
	r := render(t, mi)
	if len(r.m.shapes) != len(in.Communes) {
		t.Fatalf("%d shapes, want %d", len(r.m.shapes), len(in.Communes))
	}
	for i, n := range r.m.classes.counts {
		if n != 1 {
			t.Errorf("class %d holds %d départements, want 1", i, n)
		}
	}
	want := func(dep string) color.RGBA {
		if dep == "D5" {
			return noDataColor
		}
		return ylOrRd[5][dep[1]-'0']
	}
	checked := map[string]int{}
	for i, s := range r.m.shapes {
		p, ok := r.clearPoint(s)
		if !ok {
			continue
		}
		dep := in.Communes[i].Dep
		if got := r.at(p); got != want(dep) {
			t.Errorf("commune %s of %s: colour %v, want %v", in.Communes[i].Code, dep, got, want(dep))
		}
		checked[dep]++
	}
	if len(checked) != 6 {
		t.Errorf("communes checked per département: %v, want all six", checked)
	}
	f := r.l.frame
	frame := colorsIn(r.img, r.pixel(f.Min).X, r.pixel(f.Max).Y, r.pixel(f.Max).X, r.pixel(f.Min).Y)
	legend := colorsIn(r.img, r.pixel(r.l.legendAt).X, 0, r.in.Width, r.in.Height)
	for _, c := range append(ylOrRd[5][:5:5], noDataColor) {
		if frame[c] < 100 || legend[c] == 0 {
			t.Errorf("colour %v: %d pixels in the map, %d in the legend", c, frame[c], legend[c])
		}
	}
	for n, cs := range ylOrRd {
		for _, c := range cs {
			if n != 5 && !containsColor(ylOrRd[5], c) && frame[c] > 0 {
				t.Errorf("colour %v of the %d-class scheme in the map", c, n)
			}
		}
	}
	one := in
	one.Plan = depPlan(map[string]float64{"D0": 5}, nil)
	if _, ok := PlanMapInput(&one); ok {
		t.Error("a map for a plan over one département")
	}
}

func containsColor(cs []color.RGBA, c color.RGBA) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// TestPlanSheetDepartements writes the plan of creuseDepInput in its
// sheet: the per-département table (largest need first; the D_k have
// equal need, so by code), its total row equal to the hand sums (need
// 5,000, 15 posts, 30 posts per 10,000), and the map beside it.
func TestPlanSheetDepartements(t *testing.T) {
	in := creuseDepInput(t)
	f := excelize.NewFile()
	defer f.Close()
	if err := planSheet(f, "Sheet1", &in); err != nil {
		t.Fatal(err)
	}
	r := planFindRow(t, f, "Sheet1", "Département")
	if r == 0 {
		t.Fatal("no per-département table")
	}
	get := func(ref string) string {
		v, err := f.GetCellValue("Sheet1", ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	n := itoa
	rows := map[string]string{
		"A" + n(r+1): "D0", "C" + n(r+1): "1,000", "D" + n(r+1): "20.00%", "F" + n(r+1): "6.67%", "E" + n(r+1): "1", "G" + n(r+1): "10.00", "H" + n(r+1): "1", "I" + n(r+1): "5",
		"A" + n(r+5): "D4", "E" + n(r+5): "5", "G" + n(r+5): "50.00", "I" + n(r+5): "1",
		"A" + n(r+6): "D5", "C" + n(r+6): "0", "G" + n(r+6): "", "H" + n(r+6): "6", "I" + n(r+6): "6",
		"A" + n(r+7): "Total", "C" + n(r+7): "5,000", "E" + n(r+7): "15", "G" + n(r+7): "30.00",
	}
	for ref, v := range rows {
		if got := get(ref); got != v {
			t.Errorf("%s = %q, want %q", ref, got, v)
		}
	}
	pics, err := f.GetPictures("Sheet1", "K"+n(r))
	if err != nil || len(pics) != 1 {
		t.Fatalf("%d picture(s) at K%d (%v), want the map", len(pics), r, err)
	}
	img, err := png.Decode(bytes.NewReader(pics[0].File))
	if err != nil || img.Bounds().Dx() != DefaultMapWidth {
		t.Errorf("map picture: %v, %v", img.Bounds(), err)
	}
}
