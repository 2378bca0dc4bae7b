package htmlreport

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"gonum.org/v1/gonum/stat"

	"diagnum/diag"
	"diagnum/diag/report"
	"diagnum/internal/browsertest"
	"diagnum/internal/testlong"
	"diagnum/internal/testnum"
)

// openInBrowser writes pg (Static) to a file name of a temporary folder
// and opens it in headless Chromium from its file:// URL, as a
// double-click would, until the map's communes are drawn. It returns the
// browser context and the page's bytes.
func openInBrowser(t *testing.T, pg *Page, name string) (context.Context, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, pg, Static); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t, 5*time.Minute)
	browsertest.Do(ctx, t, chromedp.Navigate((&url.URL{Scheme: "file", Path: path}).String()), chromedp.WaitVisible("#svg-carte .commune"))
	return ctx, buf.Bytes()
}

// TestBrowserReport opens the report of Creuse in headless Chromium from
// a file:// URL (as a double-click would) and checks the map, the
// colours, the search and the sorting against the diagnostic's figures.
func TestBrowserReport(t *testing.T) {
	testlong.Skip(t, "Chromium; TestPageCreuse checks the page's data in the short suite")
	in := creuseInput(t)
	ctx, _ := openInBrowser(t, NewPage(in), "creuse.html")

	// One shape per commune of the territory, each with its code.
	codes := browsertest.Eval[[]string](ctx, t, `[...document.querySelectorAll("#svg-carte .commune")].map(e => e.dataset.code)`)
	var want []string
	for _, c := range in.Communes {
		want = append(want, c.Code)
	}
	slices.Sort(codes)
	slices.Sort(want)
	if !slices.Equal(codes, want) {
		t.Fatalf("map shapes: %d codes, want the %d communes of Creuse", len(codes), len(want))
	}
	polys := count(ctx, t, "#svg-carte path.commune")
	if polys != len(in.Communes) {
		t.Errorf("%d communes drawn by their polygon, want all %d (Creuse's polygons are embedded)", polys, len(in.Communes))
	}

	// The colour follows the selected measure: coverage, then the gap.
	fills2, _ := report.MapClassColors(2)
	checkFills(t, ctx, "couvert", in.Communes, func(c *diag.CommuneResult) string {
		if c.Covered {
			return fills2[0]
		}
		return fills2[1]
	})
	gapColour := quantileColours(in.Communes, func(c *diag.CommuneResult) float64 { return c.Gap }, false)
	checkFills(t, ctx, "score_ecart", in.Communes, gapColour)
	accessColour := quantileColours(in.Communes, func(c *diag.CommuneResult) float64 { return c.Access10k }, true)
	checkFills(t, ctx, "acces_e2sfca_pour_10k", in.Communes, accessColour)
	browsertest.ScreenshotAt(ctx, t, "carte", "rapport-creuse-carte.png")
	browsertest.Screenshot(ctx, t, "rapport-creuse-page.png")

	// It prints on A4 landscape (the page's @page rule): 842 × 595 pt.
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(browsertest.OutDir(t), "rapport-creuse.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	box := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]`).FindSubmatch(pdf)
	if box == nil {
		t.Fatal("printed PDF: no /MediaBox")
	}
	w, h := testnum.Float(t, string(box[1])), testnum.Float(t, string(box[2]))
	if math.Abs(w-841.89) > 1 || math.Abs(h-595.28) > 1 {
		t.Errorf("printed page %g × %g pt, want A4 landscape 841.89 × 595.28", w, h)
	}

	// Search finds a commune by its name without accents, and picks it.
	browsertest.Do(ctx, t, chromedp.SendKeys("#recherche", "gueret\r"))
	tip := tooltip(ctx, t)
	picked := pickedCodes(ctx, t)
	if !strings.Contains(tip, "Guéret (23096)") || !slices.Equal(picked, []string{"23096"}) {
		t.Errorf("search « gueret »: tooltip %q, picked %v; want Guéret (23096)", tip, picked)
	}

	// The communes table sorts by population, ascending then descending.
	byPop := slices.Clone(in.Communes)
	slices.SortStableFunc(byPop, func(a, b diag.CommuneResult) int { return a.Population - b.Population })
	browsertest.Do(ctx, t, chromedp.Click(`#table-communes th button[data-col="population"]`))
	first := browsertest.Eval[string](ctx, t, `document.querySelector("#table-communes tbody tr").dataset.code`)
	if first != byPop[0].Code {
		t.Errorf("sorted by population ascending: first row %s, want %s (%d inhabitants)", first, byPop[0].Code, byPop[0].Population)
	}
	browsertest.Do(ctx, t, chromedp.Click(`#table-communes th button[data-col="population"]`))
	order := browsertest.Eval[[]int](ctx, t, `[...document.querySelectorAll("#table-communes tbody tr td:nth-child(5)")].map(td => +td.textContent.replace(/\s/g, ""))`)
	if len(order) != len(in.Communes) || order[0] != byPop[len(byPop)-1].Population || !slices.IsSortedFunc(order, func(a, b int) int { return b - a }) {
		t.Errorf("sorted by population descending: %d rows, first %v; want %d rows from %d down", len(order), order[:min(3, len(order))], len(in.Communes), byPop[len(byPop)-1].Population)
	}
	// The filter keeps the matching rows only.
	browsertest.Do(ctx, t, chromedp.SendKeys("#filtre-communes", "Guéret"))
	n := count(ctx, t, "#table-communes tbody tr")
	if n != 1 {
		t.Errorf("filter « Guéret »: %d rows, want 1", n)
	}
}

// TestBrowserReportPacked opens the report of Creuse with its data packed
// (gzip and base64, as the report of France is) from a file:// URL: the
// page unpacks them with no network and shows the map, whose colours
// follow the measure, and the search.
func TestBrowserReportPacked(t *testing.T) {
	testlong.Skip(t, "Chromium; TestPagePacked checks the packing in the short suite")
	in := creuseInput(t)
	defer func(v int) { packAbove = v }(packAbove)
	packAbove = 0
	ctx, page := openInBrowser(t, NewPage(in), "creuse-compresse.html")
	if !bytes.Contains(page, []byte(`type="application/gzip"`)) {
		t.Fatal("the data are not packed")
	}
	if n := count(ctx, t, "#svg-carte path.commune"); n != len(in.Communes) {
		t.Errorf("%d communes drawn, want %d", n, len(in.Communes))
	}
	checkFills(t, ctx, "score_ecart", in.Communes, quantileColours(in.Communes, func(c *diag.CommuneResult) float64 { return c.Gap }, false))
	browsertest.Do(ctx, t, chromedp.SendKeys("#recherche", "gueret\r"))
	if picked := pickedCodes(ctx, t); !slices.Equal(picked, []string{"23096"}) {
		t.Errorf("search « gueret » in the packed page: picked %v, want 23096", picked)
	}
	if n := count(ctx, t, "#table-communes tbody tr"); n == 0 {
		t.Error("packed page: empty communes table")
	}
}

// count returns the number of elements of the page that match the CSS
// selector sel.
func count(ctx context.Context, t *testing.T, sel string) int {
	t.Helper()
	return browsertest.Eval[int](ctx, t, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// pickedCodes returns the codes of the communes picked on the map.
func pickedCodes(ctx context.Context, t *testing.T) []string {
	t.Helper()
	return browsertest.Eval[[]string](ctx, t, `[...document.querySelectorAll(".commune.choisie")].map(e => e.dataset.code)`)
}

// tooltip returns the text of the map's tooltip.
func tooltip(ctx context.Context, t *testing.T) string {
	t.Helper()
	return browsertest.Eval[string](ctx, t, `document.getElementById("infobulle").textContent`)
}

// checkFills selects measure col and compares each shape's fill with want.
func checkFills(t *testing.T, ctx context.Context, col string, cs []diag.CommuneResult, want func(*diag.CommuneResult) string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.getElementById("mesure"); s.value = %q; s.dispatchEvent(new Event("change"));
		const o = {}; document.querySelectorAll("#svg-carte .commune").forEach(e => o[e.dataset.code] = e.getAttribute("fill")); return o; })()`, col)
	fills := browsertest.Eval[map[string]string](ctx, t, js)
	bad := 0
	for i := range cs {
		if w := want(&cs[i]); fills[cs[i].Code] != w {
			if bad < 3 {
				t.Errorf("measure %s: commune %s filled %s, want %s", col, cs[i].Code, fills[cs[i].Code], w)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("measure %s: %d of %d communes with the wrong colour", col, bad, len(cs))
	}
}

// quantileColours returns the expected colour of each commune for a
// measure: the classes of the workbook's map (gonum's empirical
// quantiles k/5, equal breaks merged), YlOrRd, reversed when a higher
// value is better.
func quantileColours(cs []diag.CommuneResult, v func(*diag.CommuneResult) float64, better bool) func(*diag.CommuneResult) string {
	var x []float64
	for i := range cs {
		if f := v(&cs[i]); !math.IsNaN(f) && !math.IsInf(f, 0) {
			x = append(x, f)
		}
	}
	slices.Sort(x)
	var up []float64
	for k := 1; k <= 5; k++ {
		q := stat.Quantile(float64(k)/5, stat.Empirical, x, nil)
		if len(up) == 0 || q > up[len(up)-1] {
			up = append(up, q)
		}
	}
	fills, none := report.MapClassColors(len(up))
	if better {
		slices.Reverse(fills)
	}
	return func(c *diag.CommuneResult) string {
		f := v(c)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return none
		}
		for i, u := range up {
			if f <= u {
				return fills[i]
			}
		}
		return fills[len(fills)-1]
	}
}

// TestBrowserReportPlanAndKeyboard opens the report of a plan for Creuse
// (3 posts): the planner's proposals are listed in order and starred on
// the map; the EPCI table sorts by population and filters; and the map
// is usable from the keyboard: a commune reached by focus shows its
// tooltip, Enter picks it, + zooms in and the arrows pan; every visible
// text has a WCAG AA contrast (4.5).
func TestBrowserReportPlanAndKeyboard(t *testing.T) {
	testlong.Skip(t, "Chromium; TestPagePlan, also long, checks the proposals without a browser")
	in, p := creusePlanInput(t)
	pg := NewPage(in)
	ctx, _ := openInBrowser(t, pg, "plan-creuse.html")

	// Proposals: the section shows, one row per pick in order, one star each.
	if browsertest.Eval[bool](ctx, t, `document.getElementById("propositions").hidden`) {
		t.Error("the proposals section is hidden in the report of a plan")
	}
	rows := browsertest.Eval[[]string](ctx, t, `[...document.querySelectorAll("#table-propositions tbody tr td:nth-child(2)")].map(td => td.textContent)`)
	var want []string
	for _, k := range p.Picks {
		want = append(want, k.Site.Name)
	}
	if len(want) != 3 || !slices.Equal(rows, want) {
		t.Errorf("proposals listed %q, want %q", rows, want)
	}
	if n := count(ctx, t, "#svg-carte .proposition"); n != len(p.Picks) {
		t.Errorf("%d proposals on the map, want %d", n, len(p.Picks))
	}

	// EPCI table: sorted by population ascending, then filtered.
	epcis := slices.Clone(pg.EPCI)
	slices.SortStableFunc(epcis, func(a, b epci) int { return a.Population - b.Population })
	browsertest.Do(ctx, t, chromedp.Click(`#table-epci th button[data-col="population"]`))
	names := browsertest.Eval[[]string](ctx, t, `[...document.querySelectorAll("#table-epci tbody tr td:first-child")].map(td => td.textContent)`)
	if len(names) != len(epcis) || len(names) < 2 || names[0] != epcis[0].Name {
		t.Errorf("EPCI sorted by population: %d rows, first %q; want %d rows, first %q", len(names), names[:min(1, len(names))], len(epcis), epcis[0].Name)
	}
	browsertest.Do(ctx, t, chromedp.SendKeys("#filtre-epci", epcis[0].Name))
	if n := count(ctx, t, "#table-epci tbody tr"); n != 1 {
		t.Errorf("EPCI filter %q: %d rows, want 1", epcis[0].Name, n)
	}

	// Keyboard: every commune of the map can take the focus (Tab reaches
	// it); focused, Guéret shows its tooltip; Enter picks it.
	if n := count(ctx, t, `#svg-carte .commune[tabindex="0"]`); n != len(in.Communes) {
		t.Errorf("%d communes reachable by Tab, want %d", n, len(in.Communes))
	}
	browsertest.Do(ctx, t, chromedp.Focus(`#svg-carte .commune[data-code="23096"]`), chromedp.KeyEvent("\r"))
	tip := tooltip(ctx, t)
	if !strings.Contains(tip, "Guéret (23096)") {
		t.Errorf("focus on Guéret: tooltip %q", tip)
	}
	picked := pickedCodes(ctx, t)
	if !slices.Equal(picked, []string{"23096"}) {
		t.Errorf("Enter on Guéret picked %v", picked)
	}
	// Contrast: every visible text of the page reaches the WCAG AA ratio
	// of 4.5 against the background it is drawn on (computed styles).
	if n, bad := browsertest.LowContrast(ctx, t); n < 500 || len(bad) > 0 {
		t.Errorf("contrast: %d texts checked, below 4.5: %q", n, bad)
	}
	// + zooms in, → pans right (on the map itself).
	box := func() []float64 {
		return browsertest.Eval[[]float64](ctx, t, `document.getElementById("svg-carte").getAttribute("viewBox").split(" ").map(Number)`)
	}
	v0 := box()
	browsertest.Do(ctx, t, chromedp.Focus(`#svg-carte`), chromedp.KeyEvent("+"))
	v1 := box()
	browsertest.Do(ctx, t, chromedp.KeyEvent(kb.ArrowRight))
	v2 := box()
	if len(v0) != 4 || len(v1) != 4 || len(v2) != 4 || !(v1[2] < v0[2]) || !(v2[0] > v1[0]) {
		t.Errorf("keyboard zoom and pan: viewBox %v → + → %v → right → %v", v0, v1, v2)
	}
}
