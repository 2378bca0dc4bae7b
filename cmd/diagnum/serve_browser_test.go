package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"diagnum/diag"
	"diagnum/internal/browsertest"
	"diagnum/internal/testlong"
)

// TestBrowserServe drives the app in headless Chromium: a click on a
// commune adds a post and the figures are exactly those of the CLI's
// --scenario on the downloaded scenario; an upload with bad rows lists
// them in the page.
func TestBrowserServe(t *testing.T) {
	testlong.Skip(t, "Chromium; TestServe* check the server in the short suite")
	_, ts := newTestServer(t)
	ctx := browsertest.New(t, 10*time.Minute) // three national computations, slow under -race
	browsertest.Do(ctx, t, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(`#svg-carte [data-code="23030"]`))

	// Click Bourganeuf (23030) on the map.
	browsertest.Do(ctx, t, chromedp.Evaluate[chromedp.Void](`(() => {
		const e = document.querySelector('#svg-carte [data-code="23030"]');
		const b = e.getBoundingClientRect(), o = { bubbles: true, clientX: b.x + b.width / 2, clientY: b.y + b.height / 2 };
		e.dispatchEvent(new PointerEvent("pointerdown", o));
		e.dispatchEvent(new PointerEvent("pointerup", o));
	})()`))
	browsertest.WaitFor(ctx, t, `document.getElementById("message").textContent.startsWith("Poste ajouté")`)
	page := browsertest.Eval[string](ctx, t, `JSON.stringify(window.diagnum.data())`)
	sc := browsertest.EvalAwait[string](ctx, t, `fetch("/telecharger/scenario").then(r => r.text())`)
	if !strings.Contains(sc, "poste-23030-1,Nouveau poste — Bourganeuf,cnfs") {
		t.Fatalf("scenario after the click:\n%s", sc)
	}
	_, defaults, _ := cliDefaults() // the session opens on the command's defaults: the whole offer
	checkScenarioFigures(t, []byte(sc), []byte(page), diag.Departements("23"), defaults)
	modifs := browsertest.Eval[string](ctx, t, `document.getElementById("modifs").textContent`)
	if modifs != "1 modification(s) en cours" {
		t.Errorf("changes shown: %q", modifs)
	}
	browsertest.ScreenshotAt(ctx, t, "atelier", "app-creuse-ajout.png")
	if n, bad := browsertest.LowContrast(ctx, t); n < 500 || len(bad) > 0 {
		t.Errorf("contrast of the app: %d texts checked, below 4.5: %q", n, bad)
	}

	// Upload a sites file with three bad rows.
	path := writeTemp(t, "mes-lieux.csv", readFile(t, fixture(t, "bad/bad-coordinate.csv")))
	browsertest.Do(ctx, t, chromedp.SetUploadFiles(`input[name="lieux"]`, []string{path}),
		chromedp.Click(`#form-calcul button[type="submit"]`))
	browsertest.WaitFor(ctx, t, `!document.getElementById("rejets").hidden`)
	items := browsertest.Eval[[]string](ctx, t, `[...document.querySelectorAll("#liste-rejets li")].map(li => li.textContent)`)
	if len(items) != 3 {
		t.Fatalf("rejected rows listed: %q, want 3", items)
	}
	for i, line := range []string{"mes-lieux.csv:3", "mes-lieux.csv:4", "mes-lieux.csv:5"} {
		if !strings.Contains(items[i], line) {
			t.Errorf("row %d listed as %q, want %s", i, items[i], line)
		}
	}
	browsertest.ScreenshotAt(ctx, t, "atelier", "app-creuse-rejets.png")
}
