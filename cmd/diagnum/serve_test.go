package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"
	"diagnum/diag/report"
	"diagnum/internal/testlong"
)

// newTestServer starts the app on the embedded data (embedded: loaded
// once per process, as diagnum serve does, and shared with the runs of
// the other tests) behind httptest; the server's folder is removed at
// the end of the test.
func newTestServer(t *testing.T) (*server, *httptest.Server) {
	t.Helper()
	ds, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	s, err := newServer(ds, 2)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.handler())
	t.Cleanup(func() {
		ts.Close()
		if err := s.close(); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(s.dir); !os.IsNotExist(err) {
			t.Errorf("upload folder %s left after close", s.dir)
		}
	})
	return s, ts
}

// client is a browser-like client: its cookie jar and CSRF token.
type client struct {
	t     *testing.T
	ts    *httptest.Server
	http  *http.Client
	token string
}

// openSession creates a session without computing its page (the
// security checks come before any computation).
func openSession(t *testing.T, s *server, ts *httptest.Server) *client {
	t.Helper()
	rec := httptest.NewRecorder()
	ss, err := s.newSession(rec)
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	req, _ := http.NewRequest("GET", ts.URL, nil)
	jar.SetCookies(req.URL, rec.Result().Cookies())
	return &client{t: t, ts: ts, http: &http.Client{Jar: jar}, token: ss.csrf}
}

// post sends a state-changing request as the page does, with the
// headers given (nil: the page's Origin and token).
func (c *client) post(path, ctype string, body io.Reader, hdr map[string]string) (int, map[string]any) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.ts.URL+path, body)
	req.Header.Set("Content-Type", ctype)
	if hdr == nil {
		hdr = map[string]string{"Origin": c.ts.URL, csrfHeader: c.token}
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var v map[string]any
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &v); err != nil {
		c.t.Fatalf("POST %s: %d, not JSON: %.200s", path, res.StatusCode, b)
	}
	return res.StatusCode, v
}

func (c *client) get(path string) (int, []byte) {
	c.t.Helper()
	res, err := c.http.Get(c.ts.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// TestServeRefusesForeignRequests checks the same-origin and CSRF rules
// on every state-changing route, and that a request without a session is
// refused.
func TestServeRefusesForeignRequests(t *testing.T) {
	s, ts := newTestServer(t)
	c := openSession(t, s, ts)
	body := `{"code":"23096"}`
	cases := []struct {
		name string
		hdr  map[string]string
	}{
		{"no origin", map[string]string{csrfHeader: c.token}},
		{"other origin", map[string]string{"Origin": "http://evil.example", csrfHeader: c.token}},
		{"other port", map[string]string{"Origin": "http://127.0.0.1:1", csrfHeader: c.token}},
		{"cross-site fetch", map[string]string{"Origin": ts.URL, "Sec-Fetch-Site": "cross-site", csrfHeader: c.token}},
		{"no token", map[string]string{"Origin": ts.URL}},
		{"wrong token", map[string]string{"Origin": ts.URL, csrfHeader: strings.Repeat("0", 32)}},
	}
	for _, path := range []string{"/api/ajout", "/api/suppression", "/api/plan", "/api/annuler", "/api/calcul"} {
		for _, tc := range cases {
			code, v := c.post(path, "application/json", strings.NewReader(body), tc.hdr)
			if code != http.StatusForbidden || v["erreur"] == "" {
				t.Errorf("%s, %s: %d %v, want 403 with a message", path, tc.name, code, v)
			}
		}
	}
	// A page of another site whose name resolves to 127.0.0.1 (DNS
	// rebinding) is refused, whatever its origin.
	req, _ := http.NewRequest("GET", ts.URL+"/telecharger/csv", nil)
	req.Host = "evil.example:80"
	if res, err := c.http.Do(req); err != nil {
		t.Error(err)
	} else if res.Body.Close(); res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("request for host evil.example: %d, want 421", res.StatusCode)
	}
	for host, want := range map[string]bool{"127.0.0.1:8080": true, "localhost": true, "[::1]:80": true, "LOCALHOST:1": true,
		"evil.example": false, "127.0.0.1.evil.example:80": false, "10.0.0.1:8080": false} {
		if loopbackHost(host) != want {
			t.Errorf("loopbackHost(%q) = %v", host, !want)
		}
	}
	// Another client's cookie-less request is refused, with the right token.
	other := &client{t: t, ts: ts, http: &http.Client{}, token: c.token}
	if code, _ := other.post("/api/annuler", "application/json", strings.NewReader("{}"), nil); code != http.StatusForbidden {
		t.Errorf("request without a session: %d, want 403", code)
	}
	if code, _ := other.get("/telecharger/csv"); code != http.StatusForbidden {
		t.Errorf("download without a session: %d, want 403", code)
	}
	// The right origin and token pass the checks (undo with nothing to undo: 400).
	if code, v := c.post("/api/annuler", "application/json", strings.NewReader("{}"), nil); code != http.StatusBadRequest || v["erreur"] != "aucune modification à annuler" {
		t.Errorf("undo with nothing to undo: %d %v", code, v)
	}
}

// TestServeIdleSessions: a new session first closes the sessions idle
// for more than sessionIdle, removing their uploads folders, and keeps
// the others.
func TestServeIdleSessions(t *testing.T) {
	s, _ := newTestServer(t)
	now := time.Now()
	s.now = func() time.Time { return now }
	idle, err := s.newSession(httptest.NewRecorder())
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, idle.dir, map[string]string{"lieux-1.csv": "x"})
	now = now.Add(sessionIdle / 2)
	recent, err := s.newSession(httptest.NewRecorder())
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(sessionIdle/2 + time.Minute)
	if _, err := s.newSession(httptest.NewRecorder()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(idle.dir); !os.IsNotExist(err) {
		t.Errorf("folder of the idle session: %v, want it removed", err)
	}
	if _, err := os.Stat(recent.dir); err != nil {
		t.Errorf("folder of the recent session: %v", err)
	}
	s.mu.Lock()
	n := len(s.sessions)
	s.mu.Unlock()
	if n != 2 {
		t.Errorf("%d sessions, want the recent one and the new one", n)
	}
}

// TestServeLimits checks the default address, the size limits and that
// a bad request body gets a clear message, never a 500.
func TestServeLimits(t *testing.T) {
	o, err := parseServeFlags(nil, io.Discard)
	if err != nil || o.address != "127.0.0.1" || o.port != 8080 {
		t.Fatalf("defaults: %+v %v, want 127.0.0.1:8080", o, err)
	}
	for _, args := range [][]string{{"--port", "70000"}, {"--adresse", "/etc/passwd"}, {"--calculs", "0"}, {"x"}} {
		if _, err := parseServeFlags(args, io.Discard); err == nil {
			t.Errorf("serve %v: no error", args)
		}
	}
	s, ts := newTestServer(t)
	c := openSession(t, s, ts)
	big := strings.Repeat("a", maxRequestBytes+1)
	if code, v := c.post("/api/ajout", "application/json", strings.NewReader(big), nil); code != http.StatusBadRequest && code != http.StatusRequestEntityTooLarge || v["erreur"] == nil {
		t.Errorf("oversized body: %d %v", code, v)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("lieux", "../../etc/gros.csv")
	fw.Write(bytes.Repeat([]byte("x"), maxUploadBytes+10))
	mw.Close()
	code, v := c.post("/api/calcul", mw.FormDataContentType(), &buf, nil)
	if code != http.StatusBadRequest || !strings.Contains(v["erreur"].(string), "gros.csv trop volumineux") {
		t.Errorf("oversized upload: %d %v", code, v)
	}
	for _, body := range []string{"{", "[]", `{"code": 5}`} {
		if code, v := c.post("/api/ajout", "application/json", strings.NewReader(body), nil); code != http.StatusBadRequest || v["erreur"] == nil {
			t.Errorf("body %q: %d %v, want 400 with a message", body, code, v)
		}
	}
	// Uploads land in the session's folder under the server's names only.
	err = filepath.Walk(s.dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && !regexp.MustCompile(`^(lieux|indicateurs|poids)-\d+\.(csv|txt|tsv|geojson|json)$`).MatchString(fi.Name()) {
			t.Errorf("unexpected file %s in the upload folder", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// formFile is a file sent in the page's form: its field, name and
// content.
type formFile struct {
	field, name string
	content     []byte
}

// pageForm returns a multipart form of the page for département code at
// threshold seuil (minutes), the advisors alone (offre cnfs), with
// files.
func pageForm(code, seuil string, files ...formFile) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("niveau", "dept")
	mw.WriteField("code", code)
	mw.WriteField("seuil", seuil)
	mw.WriteField("offre", "cnfs")
	for _, f := range files {
		fw, _ := mw.CreateFormFile(f.field, f.name)
		fw.Write(f.content)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// uploadForm returns the form of the page at 30 min with a sites file
// (none when sites is nil).
func uploadForm(code, name string, sites []byte) (*bytes.Buffer, string) {
	if sites == nil {
		return pageForm(code, "30")
	}
	return pageForm(code, "30", formFile{"lieux", name, sites})
}

// TestServeUploadsAndScenario uploads a sites file with bad rows (they
// are listed), a binary file (clear message), then adds a post, checks
// that another session does not see it, and that the downloaded scenario
// gives, through the command line's --scenario path, exactly the page's
// figures.
func TestServeUploadsAndScenario(t *testing.T) {
	testlong.Skip(t, "several national computations")
	s, ts := newTestServer(t)
	a, b := openSession(t, s, ts), openSession(t, s, ts)
	sites0, siteChecks0, checks0 := slices.Clone(s.base.Sites), slices.Clone(s.base.SiteChecks), len(s.base.Checks)
	defer func() {
		// The shared embedded data are never changed by a session.
		if !slices.Equal(s.base.Sites, sites0) || !slices.Equal(s.base.SiteChecks, siteChecks0) || len(s.base.Checks) != checks0 {
			t.Error("the embedded data shared by the sessions were modified")
		}
	}()
	bad := readFile(t, fixture(t, "bad/bad-coordinate.csv"))
	body, ctype := uploadForm("23", "mes-lieux.csv", bad)
	code, v := a.post("/api/calcul", ctype, body, nil)
	if code != http.StatusOK {
		t.Fatalf("upload: %d %v", code, v)
	}
	rej, _ := json.Marshal(v["rejets"])
	for _, want := range []string{`mes-lieux.csv:3`, `mes-lieux.csv:4`, `mes-lieux.csv:5`, `2.16.6036`} {
		if !strings.Contains(string(rej), want) {
			t.Errorf("rejected rows %s: no %q", rej, want)
		}
	}
	body, ctype = uploadForm("23", "binaire.csv", readFile(t, fixture(t, "bad/binary.csv")))
	code, v = a.post("/api/calcul", ctype, body, nil)
	if msg, _ := v["erreur"].(string); code != http.StatusBadRequest || !strings.Contains(msg, "binaire.csv") || strings.Contains(msg, "goroutine") {
		t.Errorf("binary upload: %d %v, want 400 naming the file", code, v)
	}
	// Back to the embedded sites; add a post at Bourganeuf.
	body, ctype = uploadForm("23", "", nil)
	if code, v = a.post("/api/calcul", ctype, body, nil); code != http.StatusOK {
		t.Fatalf("reset: %d %v", code, v)
	}
	code, v = a.post("/api/ajout", "application/json", strings.NewReader(`{"code":"23030"}`), nil)
	if code != http.StatusOK {
		t.Fatalf("add: %d %v", code, v)
	}
	if code, _ := b.get("/telecharger/scenario"); code != http.StatusNotFound {
		t.Errorf("session b sees a scenario (%d): sessions are not isolated", code)
	}
	code, sc := a.get("/telecharger/scenario")
	if code != http.StatusOK {
		t.Fatalf("scenario: %d %s", code, sc)
	}
	page, _ := json.Marshal(v["page"])
	checkScenarioFigures(t, sc, page, diag.Departements("23"), diag.Defaults()) // uploadForm: offre=cnfs

	// Remove a counted site of Creuse, run the planner for 2 posts, undo.
	var pg struct {
		Sites []struct {
			ID      string `json:"id"`
			Counted bool   `json:"compte"`
		} `json:"sites"`
	}
	json.Unmarshal(page, &pg)
	id := ""
	for _, st := range pg.Sites {
		if st.Counted && !strings.HasPrefix(st.ID, "poste-") {
			id = st.ID
			break
		}
	}
	if id == "" {
		t.Fatal("no counted site in Creuse")
	}
	idJSON, _ := json.Marshal(map[string]string{"id": id})
	if code, v = a.post("/api/suppression", "application/json", bytes.NewReader(idJSON), nil); code != http.StatusOK || v["modifs"] != 2.0 {
		t.Fatalf("remove %s: %d %v", id, code, v["erreur"])
	}
	_, sc = a.get("/telecharger/scenario")
	if !strings.Contains(string(sc), ",suppression,") {
		t.Errorf("scenario after a removal:\n%s", sc)
	}
	page, _ = json.Marshal(v["page"])
	checkScenarioFigures(t, sc, page, diag.Departements("23"), diag.Defaults()) // uploadForm: offre=cnfs
	if code, v = a.post("/api/plan", "application/json", strings.NewReader(`{"n":2}`), nil); code != http.StatusOK || v["modifs"] != 3.0 {
		t.Fatalf("plan: %d %v", code, v["erreur"])
	}
	if props, _ := v["page"].(map[string]any)["propositions"].([]any); len(props) != 2 {
		t.Errorf("plan for 2 posts: %d proposals shown", len(props))
	}
	if code, v = a.post("/api/annuler", "application/json", strings.NewReader(`{}`), nil); code != http.StatusOK || v["modifs"] != 2.0 {
		t.Fatalf("undo: %d %v", code, v["erreur"])
	}
	_, sc2 := a.get("/telecharger/scenario")
	if !bytes.Equal(sc, sc2) {
		t.Errorf("undo of the planner does not give back the scenario before it:\n%s\nvs\n%s", sc2, sc)
	}
	for _, f := range []string{"classeur", "csv", "geojson", "html"} {
		if code, body := a.get("/telecharger/" + f); code != http.StatusOK || len(body) < 1000 {
			t.Errorf("download %s: %d, %d bytes", f, code, len(body))
		}
	}
}

// checkScenarioFigures applies scenario file sc as `diagnum plan
// --scenario` does with parameters p (those of the page: diag.Defaults()
// after a form asking for the advisors alone, the command's defaults
// (cliDefaults) in a session that never sent the form) and compares every
// commune of territory terr with the rows of the page's JSON (the values
// of the CSV columns).
func checkScenarioFigures(t *testing.T, sc, pageJSON []byte, terr diag.Territory, p diag.Params) {
	t.Helper()
	checkScenarioFiguresOn(t, sc, pageJSON, terr, p, nil)
}

// checkScenarioFiguresOn is checkScenarioFigures with a demand layer
// (nil: none), as `diagnum plan --scenario --demande` measures it.
func checkScenarioFiguresOn(t *testing.T, sc, pageJSON []byte, terr diag.Territory, p diag.Params, layer *data.DemandLayer) {
	t.Helper()
	path := writeTemp(t, "scenario.csv", sc)
	ds, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	ds = ds.Clone() // applyScenario adds the scenario's checks to it, as to a run's copy
	ctx := context.Background()
	base, err := diag.NewBaseline(ctx, ds, p)
	if err != nil {
		t.Fatal(err)
	}
	o := &planOptions{scenario: path, candidates: plan.CandidatesCommunes, layer: layer}
	files := &planFiles{costs: plan.DefaultCosts()}
	if err := o.readFiles(ctx, ds, files); err != nil {
		t.Fatal(err)
	}
	after, _, err := o.applyScenario(ctx, base, terr, files, plan.EmployerPublic)
	if err != nil {
		t.Fatal(err)
	}
	view, err := after.Result.Territory(terr)
	if err != nil {
		t.Fatal(err)
	}
	pg := readPageTable(t, pageJSON)
	rows := map[string][]any{}
	for _, r := range pg.Communes {
		rows[r[0].(string)] = r
	}
	if len(rows) != len(view.Communes) {
		t.Fatalf("page: %d communes, CLI: %d", len(rows), len(view.Communes))
	}
	diffs := 0
	for i := range view.Communes {
		want := report.CommuneRecord(&view.Communes[i])
		got := rows[view.Communes[i].Code]
		for j, w := range want {
			g := cellText(got[j], w)
			if g != w && diffs < 5 {
				t.Errorf("commune %s, %s: page %q, CLI --scenario %q", view.Communes[i].Code, pg.Columns[j], g, w)
			}
			if g != w {
				diffs++
			}
		}
	}
	if diffs > 0 {
		t.Errorf("%d values differ between the app and the CLI's --scenario", diffs)
	}
}

// pageTable is the table of communes of a page: its columns (those of
// the CSV, then the page's own) and a row per commune, code first.
type pageTable struct {
	Columns  []string `json:"colonnes"`
	Communes [][]any  `json:"communes"`
}

// readPageTable returns the table of communes of a page's JSON.
func readPageTable(t *testing.T, pageJSON []byte) pageTable {
	t.Helper()
	var pg pageTable
	if err := json.Unmarshal(pageJSON, &pg); err != nil {
		t.Fatal(err)
	}
	return pg
}

// cellText returns a cell of the page as the CSV writes it: a text as
// it is, a number with the decimals of the CSV value w.
func cellText(cell any, w string) string {
	switch x := cell.(type) {
	case string:
		return x
	case float64:
		d := 0
		if i := strings.IndexByte(w, '.'); i >= 0 {
			d = len(w) - i - 1
		}
		return strconv.FormatFloat(x, 'f', d, 64)
	}
	return ""
}

// TestServeSitesRule: an uploaded sites file follows the command line's
// rule, through the same code: the sites of the data are those that
// loadData gives for --sites (the file's kinds replaced inside the
// territory only) and, with the box « ne compter que vos lieux »
// ticked, for --sites-only (the file's sites and no others).
func TestServeSitesRule(t *testing.T) {
	base, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	const path = "../../testdata/sites/creuse-france-services.csv"
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	user, _, err := data.LoadSites(path, f, data.SitesOptions{Known: base.KnownCode})
	f.Close()
	if err != nil || len(user) == 0 {
		t.Fatalf("%d sites, %v", len(user), err)
	}
	ids := map[string]bool{}
	for _, s := range user {
		ids[s.ID] = true
	}
	ss := newSession(base, t.TempDir(), "x", time.Now())
	ctx := context.Background()
	for _, only := range []bool{false, true} {
		var p diag.Params
		got, err := ss.loadFiles(ctx, map[string][]userFile{"lieux": {{"lieux.csv", path}}}, &p, siteRule{t: diag.Departements("23"), only: only}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := loadData(ctx, &options{dept: "23", sites: []string{path}, sitesOnly: only, quiet: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Sites, want.Sites) {
			t.Errorf("only=%v: %d sites in the app, %d with the command line", only, len(got.Sites), len(want.Sites))
		}
		outside := 0
		for _, s := range got.Sites {
			if !ids[s.ID] {
				outside++
			}
		}
		switch {
		case only && outside != 0:
			t.Errorf("--sites-only: %d embedded sites left", outside)
		case !only && outside < len(base.Sites)/2:
			t.Errorf("--sites: %d embedded sites left of %d: the sites outside the territory must stay", outside, len(base.Sites))
		}
	}
	form := map[string][]string{"niveau": {"dept"}, "code": {"23"}, "offre": {"cnfs"}, "lieux_seuls": {"1"}}
	if _, err := ss.configure(ctx, form, nil); err == nil || !strings.Contains(err.Error(), "fichier de lieux") {
		t.Errorf("« vos lieux seulement » without a file: %v", err)
	}
}

// TestServeFirstFiguresAreTheCommands: the page's first figures are those
// of `diagnum` run without options (Creuse, the whole offer): the
// per-commune CSV of the session's first computation is byte for byte the
// command's, and the form shows every kind ticked. Before, the app opened
// on the conseillers numériques alone and showed other figures for Creuse.
func TestServeFirstFiguresAreTheCommands(t *testing.T) {
	base, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	ss := newSession(base, t.TempDir(), "x", time.Now())
	if err := ss.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"cnfs", "france-services", "mediation", "autre"}; !slices.Equal(ss.settings.Supply, want) {
		t.Errorf("form supply %v, want %v", ss.settings.Supply, want)
	}
	var app bytes.Buffer
	if err := report.WriteCSV(&app, ss.cur.in.Communes); err != nil {
		t.Fatal(err)
	}
	cli := bytes.NewBufferString(creuseDash.get(t).stdout) // diagnum --out -
	if len(ss.cur.in.Communes) != 255 {
		t.Errorf("%d communes in the app, want the 255 of Creuse", len(ss.cur.in.Communes))
	}
	if !bytes.Equal(app.Bytes(), cli.Bytes()) {
		a, c := strings.Split(app.String(), "\n"), strings.Split(cli.String(), "\n")
		for i := range min(len(a), len(c)) {
			if a[i] != c[i] {
				t.Fatalf("line %d differs:\napp %s\ncli %s", i+1, a[i], c[i])
			}
		}
		t.Fatalf("app %d lines, command %d", len(a), len(c))
	}
}
