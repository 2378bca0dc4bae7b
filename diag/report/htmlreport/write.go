package htmlreport

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
)

//go:embed assets/page.html
var pageHTML string

//go:embed assets/style.css
var styleCSS string

//go:embed assets/app.js
var appJS string

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// Mode selects the controls of the page.
type Mode int

const (
	// Static is the self-contained report file of --html.
	Static Mode = iota
	// App is the dashboard of `diagnum serve`: it adds the controls that
	// call the server (add or remove a post, plan, undo, downloads).
	App
)

// Write writes pg as one self-contained HTML page. Every text of pg is
// escaped (site names may hold markup or formula-like strings): the data
// goes in a JSON script element whose <, > and & are escaped as \u003c,
// \u003e and \u0026, and the script only ever sets them as text.
func Write(w io.Writer, pg *Page, mode Mode) error { return write(w, pg, mode, "") }

// WriteApp writes the page of the app of `diagnum serve`, whose requests
// carry csrf, the session's token.
func WriteApp(w io.Writer, pg *Page, csrf string) error { return write(w, pg, App, csrf) }

// packAbove is the size of the page's data (JSON) above which the report
// file holds them gzip-compressed and base64-encoded (URL alphabet, no
// padding), unpacked by the page's script (DecompressionStream: Chromium
// 80, Firefox 113, Safari 16.4 and later). The report of France falls
// from 7.4 MB to 3.0 MB, which an e-mail can carry (base64 in the
// message adds a third: a 10 MB limit is reached by files of 7.5 MB);
// a département's report (about 230 kB) stays plain JSON, readable by
// any browser. Tests lower it to check the packed page in a browser.
var packAbove = 1 << 20

func write(w io.Writer, pg *Page, mode Mode, csrf string) error {
	js, err := json.Marshal(pg)
	if err != nil {
		return fmt.Errorf("écriture du rapport HTML : %w", err)
	}
	packed := mode == Static && len(js) > packAbove
	if packed {
		var z bytes.Buffer
		zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
		if err != nil {
			return fmt.Errorf("écriture du rapport HTML : %w", err)
		}
		if _, err := zw.Write(js); err != nil {
			return fmt.Errorf("écriture du rapport HTML : %w", err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("écriture du rapport HTML : %w", err)
		}
		js = []byte(base64.RawURLEncoding.EncodeToString(z.Bytes()))
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, struct {
		Title string
		Style template.CSS
		// Data is JSON with <, > and & escaped by encoding/json, so it
		// cannot close its script element.
		// Packed: Data is the gzip of the JSON in base64 (packAbove).
		Data   template.JS
		Packed bool
		Script template.JS
		App    bool
		CSRF   string
	}{pg.Title, template.CSS(styleCSS), template.JS(js), packed, template.JS(appJS), mode == App, csrf})
	if err != nil {
		return fmt.Errorf("écriture du rapport HTML : %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("écriture du rapport HTML : %w", err)
	}
	return nil
}
