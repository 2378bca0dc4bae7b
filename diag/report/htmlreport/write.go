package htmlreport

import (
	"bytes"
	_ "embed"
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

func write(w io.Writer, pg *Page, mode Mode, csrf string) error {
	js, err := json.Marshal(pg)
	if err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	var buf bytes.Buffer
	err = pageTemplate.Execute(&buf, struct {
		Title string
		Style template.CSS
		// Data is JSON with <, > and & escaped by encoding/json, so it
		// cannot close its script element.
		Data   template.JS
		Script template.JS
		App    bool
		CSRF   string
	}{pg.Title, template.CSS(styleCSS), template.JS(js), template.JS(appJS), mode == App, csrf})
	if err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}
