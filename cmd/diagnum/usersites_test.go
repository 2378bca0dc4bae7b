package main

import (
	"io"
	"math"
	"os"
	"strings"
	"testing"
)

// TestSitesAidantsConnect: the Aidants Connect export (fixture of 66
// structures, testdata/aidants-connect) read with --sites places its 47
// usable Creuse structures at their communes' points, as kind autre; at
// --etp autre=0.5 and --supply autre, Creuse counts 47 × 0.5 = 23.5 FTE,
// 4 of them in Guéret (8 structures). The console announces the one
// rejected row (no INSEE code).
func TestSitesAidantsConnect(t *testing.T) {
	path := fixture(t, "aidants-connect/structures_23.csv")
	stderr, err := run(t, "--dept", "23", "--sites", path, "--supply", "autre", "--etp", "autre=0.5", "--csv", "c.csv", "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "1 ligne rejetée") {
		t.Errorf("console %q does not announce the rejected row", stderr)
	}
	rows := readCommunesCSV(t, "c.csv")
	if total := columnSum(t, rows, "etp_conseillers"); math.Abs(total-23.5) > 1e-9 || rows["23096"]["etp_conseillers"] != "4.000000" {
		t.Errorf("FTE: total %v, Guéret %s; want 23.5 and 4", total, rows["23096"]["etp_conseillers"])
	}
}

// TestSitesStandardLieux: a JSON export in the standard des lieux read
// with --sites (fixture of 22 lieux, testdata/lieux-standard): nothing is
// skipped for a user's file, so its 20 located lieux come in (9 cnfs,
// 11 mediation; 2 without coordinates are rejected); in Ille-et-Vilaine
// with --supply mediation --etp mediation=1, the 10 mediation lieux of
// the 35 count 10 FTE (the 11th is the Hinaura one, in Savoie).
func TestSitesStandardLieux(t *testing.T) {
	path := fixture(t, "lieux-standard/lieux_352.json")
	stderr, err := run(t, "--dept", "35", "--sites", path, "--supply", "mediation", "--etp", "mediation=1", "--csv", "c.csv", "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "2 lignes rejetées") {
		t.Errorf("console %q does not announce the 2 rejected lieux", stderr)
	}
	if total := columnSum(t, readCommunesCSV(t, "c.csv"), "etp_conseillers"); math.Abs(total-10) > 1e-9 {
		t.Errorf("FTE in the 35: %v, want 10", total)
	}
}

// TestSniffSitesKeepsHead: telling the format of a stream (a pipe or a
// FIFO, which cannot be read twice) loses none of its bytes: the reader
// sniffSites returns gives the whole input, its head included.
func TestSniffSitesKeepsHead(t *testing.T) {
	aidants, err := os.ReadFile("../../testdata/aidants-connect/structures_23.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in   string
		want sitesFormat
	}{
		{string(aidants), sitesAidants},
		{`[{"id":"1","pivot":"x"}]`, sitesStandard},
		{"id,nom,type,latitude,longitude\n" + strings.Repeat("s,n,cnfs,46,2\n", 10_000), sitesPlain},
	} {
		stream := io.MultiReader(strings.NewReader(tt.in)) // no ReadAt, no Seek
		format, r := sniffSites(stream)
		got, err := io.ReadAll(r)
		if format != tt.want || err != nil || string(got) != tt.in {
			t.Errorf("%.30q: format %v, %d of %d bytes read back (%v); want format %v and every byte", tt.in, format, len(got), len(tt.in), err, tt.want)
		}
	}
}
