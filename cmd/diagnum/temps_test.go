package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"diagnum/internal/testlong"
)

// TestTempsRefusals: --temps files and flags that cannot be used stop the
// run with a message naming the file, line and column (or the flag).
func TestTempsRefusals(t *testing.T) {
	isere := fixture(t, "temps/temps-voiture-isere.csv")
	badRow := writeTemp(t, "bad.csv", "origine;destination;minutes\n38185;38421;12\n38185;38053;douze\n")
	for _, tc := range []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{"--temps", isere}, `temps-voiture-isere.csv:1: colonne "id" : colonne absente : unité de la matrice inconnue`, false},
		{[]string{"--temps", isere, "--temps-unite", "heures"}, `--temps-unite "heures"`, true},
		{[]string{"--temps", isere, "--osrm", "http://localhost:5000"}, "--osrm, --temps et --osm s'excluent", true},
		{[]string{"--temps", badRow, "--strict"}, `bad.csv:3: colonne "minutes" : nombre illisible`, false},
	} {
		_, err := run(t, append(tc.args, "--dept", "38", "--out", "x.xlsx")...)
		if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, errUsage) != tc.usage {
			t.Errorf("%v: err = %v, want %q (usage error %v)", tc.args, err, tc.want, tc.usage)
		}
		if _, serr := os.Stat("x.xlsx"); serr == nil {
			t.Errorf("%v: a workbook was written", tc.args)
		}
	}
}

// TestTempsIsereRun: the Isère table drives a diagnostic of Isère; the
// console counts the table's times and the fallbacks, and --temps-strict
// refuses the pairs from Isère communes to sites outside the table.
func TestTempsIsereRun(t *testing.T) {
	testlong.Skip(t, "")
	isere := fixture(t, "temps/temps-voiture-isere.csv")
	out, err := run(t, "--dept", "38", "--temps", isere, "--temps-unite", "secondes", "--csv", "c.csv", "--out", "x.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "lus dans la table") || !strings.Contains(out, "absents remplacés par le modèle") {
		t.Errorf("console: %s", out)
	}
	// (No workbook: its offers' national runs would go on after the refusal.)
	_, err = run(t, "--dept", "38", "--temps", isere, "--temps-unite", "secondes", "--temps-strict", "--out", "-")
	if err == nil || !strings.Contains(err.Error(), "(--temps-strict)") {
		t.Errorf("--temps-strict: err = %v", err)
	}
}

// TestCalibrerThenParametres: calibrer fits a small table (times of
// exactly 1.2 min per crow-fly km would give 65 km/h; these are near it),
// writes the parameters file, and a diagnostic reads it back.
func TestCalibrerThenParametres(t *testing.T) {
	// Guéret, Aubusson, La Souterraine, Bourganeuf (Creuse).
	table := writeTemp(t, "t.csv", "origine;destination;minutes\n23096;23008;38\n23008;23096;37\n23096;23176;33\n23176;23096;34\n23096;23030;30\n23030;23096;31\n23008;23030;29\n23030;23008;28\n")
	params := filepath.Join(filepath.Dir(table), "p.csv")
	out, err := run(t, "calibrer", "--temps", table, "--out", params)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Calage sur 8 couples") || !strings.Contains(out, "|erreur|") {
		t.Errorf("console:\n%s", out)
	}
	b := readFile(t, params)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "toutes,1.3,") || !strings.Contains(lines[1], ",8,") {
		t.Errorf("parameters file:\n%s", b)
	}
	if _, err := run(t, "--dept", "23", "--parametres", params, "--out", "-", "--quiet"); err != nil {
		t.Errorf("diagnostic with --parametres: %v", err)
	}
	if _, err := run(t, "--dept", "23", "--parametres", params, "--osrm", "http://localhost:1", "--out", "x.xlsx"); !errors.Is(err, errUsage) {
		t.Errorf("--parametres with --osrm: err = %v, want a usage error", err)
	}
}

// TestCalibrerIsere: on the real Isère table, calibrer writes the
// overall row and one row per density class, and the fitted median
// error (7.80 min) is below the default model's (10.88 min).
func TestCalibrerIsere(t *testing.T) {
	testlong.Skip(t, "")
	isere := fixture(t, "temps/temps-voiture-isere.csv")
	out, err := run(t, "calibrer", "--temps", isere, "--temps-unite", "secondes", "--out", "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	// 512 communes: 512 × 511 = 261,632 ordered pairs; the fitted model's
	// median |error| is below the default model's, and so is its p90.
	fitted, def := calibrerErrors(t, out, "toutes      261632 ")
	if !(fitted[0] < def[0] && fitted[1] < def[1]) {
		t.Errorf("fitted |error| median/p90 %v, default %v: want both lower\n%s", fitted, def, out)
	}
	b := readFile(t, "p.csv")
	if n := strings.Count(string(b), "\n"); n != 9 {
		t.Errorf("parameters file has %d lines, want 9:\n%s", n, b)
	}
	if _, err := run(t, "--dept", "38", "--parametres", absPath(t, "p.csv"), "--out", "x.xlsx", "--quiet"); err != nil {
		t.Errorf("diagnostic with per-class parameters: %v", err)
	}
}

// TestOSRMHostileServers: a diagnostic against a server that hangs, or
// answers null everywhere (a wrong extract), ends quickly with a
// message naming the server, after a handful of requests, and writes
// nothing.
func TestOSRMHostileServers(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
		want string
	}{
		{"hangs", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, "pas de réponse complète en 300ms"},
		{"null", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"code":"Ok","durations":null}`))
		}, "durations a 0 ligne(s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1); tc.h(w, r) }))
			defer srv.Close()
			start := time.Now()
			_, err := run(t, "--dept", "23", "--osrm", srv.URL, "--osrm-timeout", "300ms", "--out", "x.xlsx")
			if err == nil || !strings.Contains(err.Error(), srv.URL) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q naming the server", err, tc.want)
			}
			if d := time.Since(start); d > 30*time.Second || n.Load() > 8 {
				t.Errorf("ended after %v and %d requests", d, n.Load())
			}
			if _, err := os.Stat("x.xlsx"); err == nil {
				t.Error("a workbook was written")
			}
		})
	}
}

// TestOSMRun: --osm on the Monaco extract gives road times to the
// communes around it (the console counts them), and excludes --temps.
// The count is the diagnostic's own: the workbook's run (whose offers of
// Synthèse are computed beside it with the same timer) counts the same
// times as the CSV's (which has no offers), on the console and in
// Méthodologie.
func TestOSMRun(t *testing.T) {
	pbf := fixture(t, "osm/monaco.osm.pbf")
	if _, err := run(t, "--dept", "06", "--osm", pbf, "--temps", pbf, "--out", "x.xlsx"); !errors.Is(err, errUsage) {
		t.Errorf("--osm with --temps: err = %v, want a usage error", err)
	}
	testlong.Skip(t, "")
	out, err := run(t, "--dept", "06", "--osm", pbf, "--out", "x.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "sur le graphe routier") || strings.Contains(out, ", 0 sur le graphe routier") {
		t.Errorf("console: %s", out)
	}
	count := regexp.MustCompile(`temps : (\d+) temps calculés, \d+ sur le graphe routier, (\d+) hors`)
	book := count.FindStringSubmatch(out)
	_, csvOut, err := runHere(t, "--dept", "06", "--osm", pbf, "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	alone := count.FindStringSubmatch(csvOut)
	if book == nil || alone == nil || book[0] != alone[0] {
		t.Fatalf("counts of the workbook's run %q and of the CSV's %q differ", book, alone)
	}
	if want := book[1] + " temps calculés, dont " + book[2] + " hors"; !strings.Contains(sheetText(t, "x.xlsx", "Méthodologie"), want) {
		t.Errorf("Méthodologie does not say %q", want)
	}
}

// calibrerErrors reads, on the console line of calibrer starting with
// prefix, the fitted and default |error| (median, p90), in minutes.
func calibrerErrors(t *testing.T, out, prefix string) (fitted, def [2]float64) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		f := strings.Fields(strings.ReplaceAll(line, ",", "."))
		// toutes, pairs, detour, speed, med, /, p90, med, /, p90
		if len(f) != 10 {
			break
		}
		var v [4]float64
		for i, k := range []int{4, 6, 7, 9} {
			x, err := strconv.ParseFloat(f[k], 64)
			if err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			v[i] = x
		}
		return [2]float64{v[0], v[1]}, [2]float64{v[2], v[3]}
	}
	t.Fatalf("no line %q in the console:\n%s", prefix, out)
	return
}
