// Package browsertest starts a headless Chromium for tests that check
// pages in a real browser (the HTML report, the app of diagnum serve).
// Tests skip, with a message saying how to install it, when no Chromium
// is installed; CI installs the Debian package chromium.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Binaries are the names looked for in PATH, in order.
var Binaries = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Find returns the path of the Chromium binary, "" when none is installed.
func Find() string {
	for _, b := range Binaries {
		if p, err := exec.LookPath(b); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless Chromium with a fresh profile and no network
// service of its own (no updates, sync or background requests) and
// returns a browser context that the test's cleanup closes. The profile
// is chromedp's own temporary folder, not t.TempDir: chromedp kills the
// child processes Chromium can leave behind (zygote, network service)
// before it removes that folder, whereas they could still write in a
// folder of the test as its cleanup removes it, failing the test. It skips the
// test when no Chromium is installed. Every action must finish within
// timeout.
func New(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	bin := Find()
	if bin == "" {
		t.Skip("Chromium absent : installer le paquet Debian chromium (apt-get install chromium) pour les tests dans un vrai navigateur")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	return ctx
}

// Do runs the steps, failing the test on an error.
func Do(ctx context.Context, t testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// Eval evaluates a JavaScript expression and decodes its value, failing
// the test on an error.
func Eval[T any](ctx context.Context, t testing.TB, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", js, err)
	}
	return v
}

// OutDir returns the folder of the test artefacts (screenshots) of the
// calling package, testdata/out, ignored by git; it creates it.
func OutDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("testdata", "out")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Screenshot saves a full-page PNG of the current page as name in
// OutDir and returns its path.
func Screenshot(ctx context.Context, t testing.TB, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	return savePNG(t, name, png, err)
}

// ScreenshotAt scrolls the element of id to the top of the window and
// saves a PNG of the window as name in OutDir; it returns its path.
func ScreenshotAt(ctx context.Context, t testing.TB, id, name string) string {
	t.Helper()
	Do(ctx, t, chromedp.Evaluate[chromedp.Void](`document.getElementById(`+strconv.Quote(id)+`).scrollIntoView()`))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	return savePNG(t, name, png, err)
}

// savePNG writes the screenshot png taken with err as name in OutDir and
// returns its path; it fails t on err.
func savePNG(t testing.TB, name string, png []byte, err error) string {
	t.Helper()
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(OutDir(t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// WaitFor waits until the JavaScript expression is truthy (polled every
// 100 ms), failing the test when the context's deadline passes.
func WaitFor(ctx context.Context, t testing.TB, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		t.Fatalf("wait for %.80q: %v", js, err)
	}
}

// EvalAwait evaluates a JavaScript expression giving a promise and
// decodes its value.
func EvalAwait[T any](ctx context.Context, t testing.TB, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", js, err)
	}
	return v
}

// LowContrast checks the contrast of every visible text of the page: it
// returns the number of visible elements with text of their own, and
// (at most 10 of) those whose colour has a WCAG 2 contrast ratio below
// 4.5 (level AA) with the first opaque background behind them, from the
// computed styles: (L1 + 0.05) / (L2 + 0.05) with L the relative
// luminance of the sRGB colour.
func LowContrast(ctx context.Context, t testing.TB) (int, []string) {
	t.Helper()
	v := Eval[struct {
		N   int
		Bad []string
	}](ctx, t, lowContrastJS)
	return v.N, v.Bad
}

const lowContrastJS = `(() => {
  const rgb = (s) => { const m = s.match(/[\d.]+/g); return m ? m.map(Number) : null; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const bg = (e) => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c && (c.length < 4 || c[3] > 0)) return c; } return [255, 255, 255]; };
  const bad = []; let n = 0;
  for (const e of document.querySelectorAll("body *")) {
    if (![...e.childNodes].some((x) => x.nodeType === 3 && x.textContent.trim())) continue;
    const st = getComputedStyle(e);
    if (st.visibility === "hidden" || !e.getClientRects().length) continue;
    const a = lum(rgb(st.color)), b = lum(bg(e));
    const r = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    n++;
    if (r < 4.5) bad.push(e.tagName + " « " + e.textContent.trim().slice(0, 30) + " » " + r.toFixed(2));
  }
  return { N: n, Bad: bad.slice(0, 10) };
})()`
