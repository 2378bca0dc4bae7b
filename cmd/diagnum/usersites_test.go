package main

import (
	"io"
	"math"
	"strings"
	"testing"
)

// TestSitesUserFiles: user files of sites read with --sites, each with
// its own --supply kind at a given --etp, in its département:
//
//   - the Aidants Connect export (fixture of 66 structures,
//     testdata/aidants-connect) places its 47 usable Creuse structures at
//     their communes' points, as kind autre; at --etp autre=0.5 and
//     --supply autre, Creuse counts 47 × 0.5 = 23.5 FTE, 4 of them in
//     Guéret (8 structures). The console announces the one rejected row
//     (no INSEE code).
//   - a JSON export in the standard des lieux (fixture of 22 lieux,
//     testdata/lieux-standard): nothing is skipped for a user's file, so
//     its 20 located lieux come in (9 cnfs, 11 mediation; 2 without
//     coordinates are rejected); in Ille-et-Vilaine with --supply
//     mediation --etp mediation=1, the 10 mediation lieux of the 35 count
//     10 FTE (the 11th is the Hinaura one, in Savoie).
func TestSitesUserFiles(t *testing.T) {
	for _, tc := range []struct {
		file, dept, supply, etp string
		rejected                string  // on the console
		fte                     float64 // Σ etp_conseillers
		gueret                  string  // etp_conseillers of 23096 ("": not checked)
	}{
		{"aidants-connect/structures_23.csv", "23", "autre", "autre=0.5", "1 ligne rejetée", 23.5, "4.000000"},
		{"lieux-standard/lieux_352.json", "35", "mediation", "mediation=1", "2 lignes rejetées", 10, ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			stderr, err := run(t, "--dept", tc.dept, "--sites", fixture(t, tc.file), "--supply", tc.supply, "--etp", tc.etp, "--csv", "c.csv", "--out", "-")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(stderr, tc.rejected) {
				t.Errorf("console %q does not announce %q", stderr, tc.rejected)
			}
			rows := readCommunesCSV(t, "c.csv")
			if total := columnSum(t, rows, "etp_conseillers"); math.Abs(total-tc.fte) > 1e-9 {
				t.Errorf("FTE in the %s: %v, want %v", tc.dept, total, tc.fte)
			}
			if g := rows["23096"]["etp_conseillers"]; tc.gueret != "" && g != tc.gueret {
				t.Errorf("FTE in Guéret: %s, want %s", g, tc.gueret)
			}
		})
	}
}

// TestSniffSitesKeepsHead: telling the format of a stream (a pipe or a
// FIFO, which cannot be read twice) loses none of its bytes: the reader
// sniffSites returns gives the whole input, its head included.
func TestSniffSitesKeepsHead(t *testing.T) {
	aidants := readFile(t, fixture(t, "aidants-connect/structures_23.csv"))
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
