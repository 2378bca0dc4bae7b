package data

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"diagnum/internal/fuzztest"
)

var ttKnown = map[string]bool{"01053": true, "38185": true, "38421": true, "2A004": true}

func ttOpts(unit string) TravelTableOptions {
	return TravelTableOptions{Unit: unit, Known: func(c string) bool { return ttKnown[c] }}
}

// TestLoadTravelTable reads long and wide tables with French CSV habits
// and checks every pair against the hand-written values.
func TestLoadTravelTable(t *testing.T) {
	type pair struct {
		o, d string
		site bool
		min  float64
	}
	tests := []struct {
		name, in, unit string
		format         string
		want           []pair
		rejected       []string // "line:column"
	}{
		{name: "long minutes", in: "origine,destination,minutes\n38185,38421,12.5\n38421,38185,14\n1053,lieu-7,3\n",
			format: "long", want: []pair{{"38185", "38421", false, 12.5}, {"38421", "38185", false, 14}, {"01053", "lieu-7", true, 3}}},
		{name: "long secondes, semicolon, decimal comma", in: "Origine;Destination;Secondes\n38185;38421;90,6\n2a004;38185;NA\n",
			format: "long", want: []pair{{"38185", "38421", false, 1.51}}},
		{name: "long bad rows", in: "origine,destination,minutes\n99999,38421,1\n38185,38421,-2\n38185,38421,abc\n38185,38421,2000\n38185,38421,4\n38185,38421,5\n38185,,1\n",
			format: "long", want: []pair{{"38185", "38421", false, 4}},
			rejected: []string{"2:origine", "3:minutes", "4:minutes", "5:minutes", "7:destination", "8:destination"}},
		{name: "wide, unit in the header", in: "minutes;38185;38421\n38185;0;12\n38421;13,5;\n",
			format: "large", want: []pair{{"38185", "38185", false, 0}, {"38185", "38421", false, 12}, {"38421", "38185", false, 13.5}}},
		{name: "wide, unit given, quoted as the Isère file", in: "\"id\",\"38185\",\"L1\"\n\"38185\",60,120\n\"38185\",1,1\n\"x\",1,1\n", unit: UnitSeconds,
			format: "large", want: []pair{{"38185", "38185", false, 1}, {"38185", "L1", true, 2}}, rejected: []string{"3:id", "4:id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, checks, err := LoadTravelTable("t.csv", strings.NewReader(tt.in), ttOpts(tt.unit))
			if err != nil {
				t.Fatal(err)
			}
			if tab.Format != tt.format {
				t.Errorf("format %q, want %q", tab.Format, tt.format)
			}
			var got []string
			for _, c := range checks {
				got = append(got, strconv.Itoa(c.Err.Line)+":"+c.Err.Column)
				if c.Severity != Rejected {
					t.Errorf("check %v is not Rejected", c.Err)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.rejected, " ") {
				t.Errorf("rejected %v, want %v", got, tt.rejected)
			}
			if tab.Pairs() != len(tt.want) {
				t.Errorf("%d pairs, want %d", tab.Pairs(), len(tt.want))
			}
			for _, p := range tt.want {
				v, ok := tab.CommuneMinutes(p.o, p.d)
				if p.site {
					v, ok = tab.SiteMinutes(p.o, p.d)
				}
				if !ok || math.Abs(v-p.min) > 1e-12 {
					t.Errorf("%s → %s = %v, %v; want %v", p.o, p.d, v, ok, p.min)
				}
			}
		})
	}
}

// TestLoadTravelTableErrors: files that cannot be used at all.
func TestLoadTravelTableErrors(t *testing.T) {
	tests := []struct{ name, in, unit, msg string }{
		{"wide without unit", "id,38185\n38185,1\n", "", `t.csv:1: colonne "id" : colonne absente : unité de la matrice inconnue`},
		{"long without value column", "origine,destination,temps\n38185,38421,1\n", "", `t.csv:1: colonne "minutes" : colonne absente "minutes" ou "secondes"`},
		{"both units", "origine,destination,minutes,secondes\n38185,38421,1,60\n", "", "colonnes minutes et secondes à la fois"},
		{"duplicate destination", "minutes,38185,38185\n38185,1,2\n", "", "destination 38185 donnée deux fois dans l'en-tête"},
		{"nothing usable", "minutes,38185\n38185,NA\n", "", "aucune ligne utilisable"},
	}
	for _, tt := range tests {
		_, _, err := LoadTravelTable("t.csv", strings.NewReader(tt.in), ttOpts(tt.unit))
		var pe *ParseError
		if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want a *ParseError containing %q", tt.name, err, tt.msg)
		}
	}
}

// TestLoadTravelTableIsere reads the real Isère matrix: 512 × 512
// communes in seconds, no missing value, zero diagonal.
func TestLoadTravelTableIsere(t *testing.T) {
	tab := loadIsere(t)
	if len(tab.Origins) != 512 || len(tab.Dests) != 512 || tab.Pairs() != 512*512 {
		t.Fatalf("%d origins, %d destinations, %d pairs; want 512, 512, 262144", len(tab.Origins), len(tab.Dests), tab.Pairs())
	}
	// First data row of the file: "38539",0,547,… (seconds): 38539 → 38320 = 547 s.
	if v, ok := tab.CommuneMinutes("38539", "38320"); !ok || v != 547.0/60 {
		t.Errorf("38539 → 38320 = %v, want 547/60", v)
	}
	if v, _ := tab.CommuneMinutes("38539", "38539"); v != 0 {
		t.Errorf("diagonal %v, want 0", v)
	}
}

func loadIsere(tb testing.TB) *TravelTable {
	tb.Helper()
	tab, checks, err := LoadTravelTable("isere.csv", openTestdata(tb, "temps/temps-voiture-isere.csv"), TravelTableOptions{Unit: UnitSeconds})
	if err != nil || len(checks) > 0 {
		tb.Fatalf("err %v, %d checks", err, len(checks))
	}
	return tab
}

func FuzzLoadTravelTable(f *testing.F) {
	f.Add("origine,destination,minutes\n38185,38421,12.5\n")
	f.Add("minutes;38185;38421\n38185;0;12\n38421;13,5;\n")
	f.Fuzz(func(t *testing.T, in string) {
		tab, _, err := LoadTravelTable("f.csv", strings.NewReader(in), TravelTableOptions{Unit: UnitMinutes})
		if err != nil {
			return
		}
		tab.Each(func(o, d string, site bool, v float64) {
			if !(v >= 0 && v <= MaxTravelMinutes) {
				t.Fatalf("%s → %s = %v", o, d, v)
			}
		})
	})
}

// TestTravelParamsRoundTrip: WriteTravelParams then LoadTravelParams
// gives the same parameters; bad files are refused with line and column.
func TestTravelParamsRoundTrip(t *testing.T) {
	var b strings.Builder
	rows := []TravelParamsRow{{Class: ClassAll, Params: ModelParams{1.3, 60.69564167907041}, Pairs: 10},
		{Class: "3", Params: ModelParams{1.3, 63.3}, Pairs: 5, MedianErr: 6.8, P90Err: 18.2}}
	if err := WriteTravelParams(&b, rows); err != nil {
		t.Fatal(err)
	}
	p, err := LoadTravelParams("p.csv", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if p.All != rows[0].Params || len(p.ByClass) != 1 || p.ByClass[3] != rows[1].Params {
		t.Errorf("read back %+v", p)
	}
	for _, tc := range []struct{ in, want string }{
		{"classe_densite;detour;vitesse_kmh\n3;1,3;60\n", `p.csv:1: colonne "classe_densite" : colonne absente : pas de ligne toutes`},
		{"classe_densite;detour;vitesse_kmh\ntoutes;1,3;60\n8;1,3;60\n", `p.csv:3: colonne "classe_densite" : valeur invalide : "8"`},
		{"classe_densite;detour;vitesse_kmh\ntoutes;1,3;-60\n", `p.csv:2: colonne "vitesse_kmh" : valeur invalide : vitesse_kmh = -60`},
		{"classe_densite;detour;vitesse_kmh\ntoutes;1,3;60\nTOUTES;1,3;60\n", `p.csv:3: colonne "classe_densite" : doublon : ligne toutes donnée deux fois`},
	} {
		if _, err := LoadTravelParams("p.csv", strings.NewReader(tc.in)); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("err = %v, want %q", err, tc.want)
		}
	}
}

// FuzzLoadTravelParams: any input is refused with a *ParseError or read
// into parameters whose detours and speeds are > 0, for the row toutes
// and each class 1–7 given.
func FuzzLoadTravelParams(f *testing.F) {
	f.Add([]byte("classe_densite,detour,vitesse_kmh\ntoutes,1.3,60\n3,1.3,63.3\n"))
	f.Add([]byte("classe_densite;detour;vitesse_kmh\ntoutes;1,3;-1\n"))
	fuzztest.Seed(f, "../testdata", "bad/*.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := LoadTravelParams("f.csv", bytes.NewReader(b))
		if fuzztest.Refused[*ParseError](t, err) {
			return
		}
		for c, m := range p.ByClass {
			if c < 1 || c > 7 || !(m.Detour > 0) || !(m.SpeedKmh > 0) {
				t.Fatalf("class %d: %+v", c, m)
			}
		}
		if !(p.All.Detour > 0 && p.All.SpeedKmh > 0) {
			t.Fatalf("all: %+v", p.All)
		}
	})
}
