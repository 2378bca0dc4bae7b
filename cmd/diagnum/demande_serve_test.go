package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"diagnum/diag"
	"diagnum/internal/testlong"
)

// TestServeDemande starts the app with the Creuse 200 m grid fixture as
// its demand layer (diagnum serve --demande): its first figures are,
// value for value, the CSV of `diagnum --dept 23 --supply cnfs --demande`
// on the same file (the page's defaults: Creuse, 30 min, cnfs); after a
// click adding a post, the page equals `diagnum plan --scenario
// --demande` with the downloaded scenario (updated locally, then measured
// on the layer again); the planner of the page counts the layer.
func TestServeDemande(t *testing.T) {
	testlong.Skip(t, "national computations; the fast twins are the loader's and diag's demand tests")
	grid := fixture(t, "carreaux/carreaux-200m-creuse.csv")
	want, _ := runCSV(t, "--dept", "23", "--supply", "cnfs", "--demande", grid)
	layer, err := loadDemandFile(context.Background(), userFile{grid, grid}, newProgress(io.Discard, true))
	if err != nil {
		t.Fatal(err)
	}
	s, ts := newTestServer(t)
	s.layer = layer
	a := openSession(t, s, ts)
	body, ctype := uploadForm("23", "", nil)
	code, v := a.post("/api/calcul", ctype, body, nil)
	if code != http.StatusOK {
		t.Fatalf("calcul: %d %v", code, v)
	}
	checkPageCSV(t, v, want, 10)

	code, v = a.post("/api/ajout", "application/json", strings.NewReader(`{"code":"23030"}`), nil)
	if code != http.StatusOK {
		t.Fatalf("add: %d %v", code, v)
	}
	_, sc := a.get("/telecharger/scenario")
	page, _ := json.Marshal(v["page"])
	checkScenarioFiguresOn(t, sc, page, diag.Departements("23"), diag.Defaults(), layer) // uploadForm: offre=cnfs

	if code, v = a.post("/api/plan", "application/json", strings.NewReader(`{"n":1}`), nil); code != http.StatusOK {
		t.Fatalf("plan: %d %v", code, v["erreur"])
	}
	props, _ := v["page"].(map[string]any)["propositions"].([]any)
	scPath := writeTemp(t, "scenario.csv", sc)
	console, err := run(t, "plan", "--dept", "23", "--supply", "cnfs", "--demande", grid, "--scenario", scPath, "--add", "1", "--csv", "p.csv", "--out", "p.xlsx")
	if err != nil {
		t.Fatalf("plan --scenario: %v\n%s", err, console)
	}
	if len(props) != 1 {
		t.Fatalf("planner of the page: %d proposals", len(props))
	}
	pick, _ := props[0].(map[string]any)
	recs := readCSV(t, "p.csv")
	col := func(name string) string { return recs[1][slices.Index(recs[0], name)] }
	if len(recs) != 2 || pick["commune"] != col("commune") || strconv.Itoa(int(pick["nouveaux_couverts"].(float64))) != col("population_nouvellement_couverte") {
		t.Errorf("planner of the page %v, CLI's plan on the same scenario and layer: %v", pick, recs)
	}
}

// TestServeDemandeBadFile: serve reads --demande at start-up through
// the diagnostic's loader, and a bad unit stops it before it listens,
// with the file, line and column.
func TestServeDemandeBadFile(t *testing.T) {
	bad := writeTemp(t, "iris.csv", "code_iris,population,latitude,longitude\n230960101,1200,46.17,1.87\n230960102,-5,46.17,1.87\n")
	stdout, _, err := runHere(t, "serve", "--port", "0", "--demande", bad)
	if err == nil || !strings.Contains(err.Error(), "--demande") || !strings.Contains(err.Error(), "ligne 3, colonne « population »") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(stdout, "ouvrir http") {
		t.Errorf("serve listened despite the bad layer: %q", stdout)
	}
}

// checkPageCSV compares the communes of the page of reply v with the
// CSV rows want (code → column → value), value for value in the columns
// both have, and asks for at least minPartial communes partly covered
// (the layer was used).
func checkPageCSV(t *testing.T, v map[string]any, want map[string]map[string]string, minPartial int) {
	t.Helper()
	page, _ := json.Marshal(v["page"])
	pg := readPageTable(t, page)
	if len(pg.Communes) != len(want) {
		t.Fatalf("page: %d communes, CLI: %d", len(pg.Communes), len(want))
	}
	diffs, partial := 0, 0
	for _, r := range pg.Communes {
		code, _ := r[0].(string)
		w := want[code]
		for j, name := range pg.Columns {
			wv, ok := w[name]
			if !ok {
				continue // a column of the page only
			}
			if g := cellText(r[j], wv); g != wv {
				if diffs < 5 {
					t.Errorf("commune %s, %s: page %q, CLI %q", code, name, g, wv)
				}
				diffs++
			}
		}
		if sh, _ := strconv.ParseFloat(w["part_couverte"], 64); sh > 0 && sh < 1 {
			partial++
		}
	}
	if diffs > 0 || partial < minPartial {
		t.Errorf("%d values differ between the app and the CLI; %d communes partly covered (want ≥ %d)", diffs, partial, minPartial)
	}
}

// TestServeDemandeUpload: a demand layer uploaded in the page's form
// (field demande, the 50-cell extract of the Creuse grid) is read by the
// same loader and measured as --demande: the page equals the CLI's CSV
// at 15 min (where the extract leaves communes partly covered,
// TestDemandeZonesBlanches), with and without weights naming
// part_65_plus (accepted with a layer); a bad layer is refused with its
// line and column, the layer before it kept.
func TestServeDemandeUpload(t *testing.T) {
	testlong.Skip(t, "national computations")
	grid := fixture(t, "carreaux/carreaux-200m-extrait.csv")
	want, _ := runCSV(t, "--dept", "23", "--supply", "cnfs", "--threshold", "15", "--demande", grid)
	layer := readFile(t, grid)
	s, ts := newTestServer(t)
	a := openSession(t, s, ts)
	// form returns the page's form at 15 min with a demand layer (name,
	// content) and the files more (weights).
	form := func(name string, content []byte, more ...formFile) (*bytes.Buffer, string) {
		return pageForm("23", "15", append([]formFile{{"demande", name, content}}, more...)...)
	}
	body, ctype := form("carreaux.csv", layer)
	code, v := a.post("/api/calcul", ctype, body, nil)
	if code != http.StatusOK {
		t.Fatalf("calcul: %d %v", code, v)
	}
	checkPageCSV(t, v, want, 2) // Vallière and Saint-Yrieix-la-Montagne
	if rej, _ := json.Marshal(v["rejets"]); string(rej) != "null" && string(rej) != "[]" {
		t.Errorf("rejected rows %s, want none", rej)
	}
	// With the weights part_65_plus,1 (accepted with a layer, as with
	// --demande): the page equals the CLI's run with --weights.
	w := writeTemp(t, "poids.csv", "indicateur,poids\npart_65_plus,1\n")
	wantW, _ := runCSV(t, "--dept", "23", "--supply", "cnfs", "--threshold", "15", "--demande", grid, "--weights", w)
	if wantW["23096"]["indice_fragilite"] == want["23096"]["indice_fragilite"] {
		t.Fatalf("Guéret's index unchanged by part_65_plus: %s", want["23096"]["indice_fragilite"])
	}
	body, ctype = form("carreaux.csv", layer, formFile{"poids", "poids.csv", []byte("indicateur,poids\npart_65_plus,1\n")})
	if code, v = a.post("/api/calcul", ctype, body, nil); code != http.StatusOK {
		t.Fatalf("calcul with weights: %d %v", code, v)
	}
	checkPageCSV(t, v, wantW, 2)
	// A unit in Geneva (line 3), outside France, is rejected and listed
	// in the page.
	body, ctype = form("large.csv", []byte("id,latitude,longitude,population\np1,46.17,1.87,12\np2,46.2044,6.1432,7\n"))
	if code, v = a.post("/api/calcul", ctype, body, nil); code != http.StatusOK {
		t.Fatalf("calcul with a unit in Geneva: %d %v", code, v)
	}
	if rej, _ := json.Marshal(v["rejets"]); !strings.Contains(string(rej), "large.csv") || !strings.Contains(string(rej), "p2") {
		t.Errorf("rejected rows %s, want the unit p2 of large.csv", rej)
	}
	body, ctype = form("carreaux.csv", layer)
	if code, v = a.post("/api/calcul", ctype, body, nil); code != http.StatusOK {
		t.Fatalf("calcul: %d %v", code, v)
	}
	body, ctype = form("mauvais.csv", []byte("Idcar_200m,Ind\nCRS3035RES200mN2596000E3694000,douze\n"))
	code, v = a.post("/api/calcul", ctype, body, nil)
	if msg, _ := v["erreur"].(string); code != http.StatusBadRequest || !strings.Contains(msg, "mauvais.csv, ligne 2, colonne « Ind »") {
		t.Errorf("bad layer: %d %v", code, v)
	}
	n := 0
	s.mu.Lock()
	for _, ss := range s.sessions {
		if ss.layer != nil {
			n = len(ss.layer.Units)
		}
	}
	s.mu.Unlock()
	if n != 50 {
		t.Errorf("layer in effect after the refused upload: %d units, want the 50 before", n)
	}
}
