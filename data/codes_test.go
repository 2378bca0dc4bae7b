package data

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestNormINSEE(t *testing.T) {
	checkParse(t, "NormINSEE", NormINSEE, ErrBadCode, []parseTest[string]{
		{in: "01053", want: "01053"},
		{in: "1053", want: "01053"}, // leading zero lost by a spreadsheet
		{in: " 23031 ", want: "23031"},
		{in: "2A004", want: "2A004"},
		{in: "2a004", want: "2A004"},
		{in: "2b033", want: "2B033"},
		{in: "97411", want: "97411"},
		{in: "97101", want: "97101"},
		{in: "97608", want: "97608"},
		{in: "97502", want: "97502"}, // Saint-Pierre-et-Miquelon (COM)
		{in: "97701", want: "97701"}, // Saint-Barthélemy
		{in: "97801", want: "97801"}, // Saint-Martin
		{in: "98611", want: "98611"}, // Wallis-et-Futuna
		{in: "98818", want: "98818"}, // Nouvelle-Calédonie
		{in: "", errText: "attendu 5 caractères"},
		{in: "1", errText: "attendu 5 caractères"},
		{in: "123", errText: "attendu 5 caractères"},
		{in: "230310", errText: "attendu 5 caractères"},
		{in: "20004", errText: "2A ou 2B pour la Corse, pas 20"},
		{in: "00123", errText: "01–95, 2A ou 2B"},
		{in: "96001", errText: "01–95, 2A ou 2B"},
		{in: "97011", errText: "code d'outre-mer"},
		{in: "97911", errText: "code d'outre-mer"},
		{in: "98511", errText: "code d'outre-mer"},
		{in: "2C004", errText: "01–95, 2A ou 2B"},
		{in: "2A0X4", errText: "chiffres après le département"},
		{in: "1053.0", errText: "attendu 5 caractères"},
	})
}

// parseTest is a row of a parser's table test: in gives want, or an error
// whose text contains errText ("" when in is valid).
type parseTest[T comparable] struct {
	in      string
	want    T
	errText string
}

// checkParse runs parse (called name in the messages) on each row of
// tests: a valid row gives its want and no error, a bad one an error
// wrapping sentinel with the row's text. It returns what parse gave with
// the error of each bad row (input → value).
func checkParse[T comparable](t *testing.T, name string, parse func(string) (T, error), sentinel error, tests []parseTest[T]) map[string]T {
	t.Helper()
	refused := map[string]T{}
	for _, tt := range tests {
		got, err := parse(tt.in)
		if tt.errText == "" {
			if err != nil || got != tt.want {
				t.Errorf("%s(%q) = %#v, %v; want %#v", name, tt.in, got, err, tt.want)
			}
			continue
		}
		refused[tt.in] = got
		if !errors.Is(err, sentinel) || !strings.Contains(err.Error(), tt.errText) {
			t.Errorf("%s(%q) = %#v, %v; want %v containing %q", name, tt.in, got, err, sentinel, tt.errText)
		}
	}
	return refused
}

func TestNormDepAndPostcode(t *testing.T) {
	deps := map[string]string{"1": "01", "01": "01", "2a": "2A", "2B": "2B", "23": "23", "95": "95",
		"971": "971", "976": "976", "975": "975", "988": "988", "20": "", "0": "", "96": "", "970": "", "979": "", "123": "", "": ""}
	for in, want := range deps {
		got, err := NormDep(in)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("NormDep(%q) = %q, %v; want %q", in, got, err, want)
		}
		if err != nil && !errors.Is(err, ErrBadCode) {
			t.Errorf("NormDep(%q) error %v does not wrap ErrBadCode", in, err)
		}
	}
	cps := map[string]string{"1100": "01100", "01100": "01100", "23000": "23000", " 97400 ": "97400",
		"100": "", "123456": "", "0123": "", "2A000": "", "": ""}
	for in, want := range cps {
		got, err := NormPostcode(in)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("NormPostcode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestParseSIRET(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13002603200016", "13002603200016"},
		{"130 026 032 00016", "13002603200016"},
		{"", ""}, {"null", ""}, {"NULL", ""}, {"00000000000000", ""},
	}
	for _, tt := range tests {
		if got, err := ParseSIRET(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseSIRET(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"1300260320001", "1.30026032E+13", "1300260320001X"} {
		if got, err := ParseSIRET(in); !errors.Is(err, ErrBadCode) {
			t.Errorf("ParseSIRET(%q) = %q, %v; want ErrBadCode", in, got, err)
		}
	}
}

func TestParseFloatFR(t *testing.T) {
	refused := checkParse(t, "ParseFloatFR", ParseFloatFR, ErrBadNumber, []parseTest[float64]{
		{in: "12,5", want: 12.5},
		{in: "12.5", want: 12.5},
		{in: "-3", want: -3},
		{in: "+3", want: 3},
		{in: " 46,34908 ", want: 46.34908},
		{in: ",5", want: 0.5},
		{in: "5,", want: 5},
		{in: "1,234", want: 1.234}, // a single comma is decimal
		{in: "1 234,5", want: 1234.5},
		{in: "1\u00A0234,5", want: 1234.5},           // no-break space
		{in: "12\u202F345\u202F678", want: 12345678}, // narrow no-break space
		{in: "-1 234", want: -1234},
		{in: "1e3", want: 1000},
		{in: "2,5E-2", want: 0.025},
		{in: "1e-999", want: 0}, // underflows to 0, finite
		{in: "", errText: "vide"},
		{in: "   ", errText: "vide"},
		{in: "NaN", errText: "NaN et les infinis"},
		{in: "Inf", errText: "NaN et les infinis"},
		{in: "-Infinity", errText: "NaN et les infinis"},
		{in: "nan(0x1)", errText: "aucun chiffre"},
		{in: "1e999", errText: "hors de la plage des nombres représentables"},
		{in: "-1e999", errText: "hors de la plage des nombres représentables"},
		{in: "1,234.5", errText: "ambigu"},
		{in: "1.234,5", errText: "ambigu"},
		{in: "1.234.567", errText: "plus d'un"},
		{in: "1,2,3", errText: "plus d'un"},
		{in: "12 5", errText: "groupes de trois"},
		{in: "1  234", errText: "groupes de trois"},
		{in: "1234 567", errText: "groupes de trois"},
		{in: "1 234,5 6", errText: "après le séparateur décimal"},
		{in: "0x1p3", errText: "caractère inattendu"},
		{in: "1_000", errText: "caractère inattendu"},
		{in: "45°30'", errText: "caractère inattendu '°'"},
		{in: ".", errText: "aucun chiffre"},
		{in: "1e", errText: "exposant invalide"},
		{in: "--1", errText: "aucun chiffre"},
	})
	for in, got := range refused {
		if math.IsNaN(got) || math.IsInf(got, 0) {
			t.Errorf("ParseFloatFR(%q) returned non-finite %v with an error", in, got)
		}
	}
}

func TestParseDateFR(t *testing.T) {
	tests := map[string]string{"2024-08-01": "2024-08-01", "01/08/2024": "2024-08-01",
		"2022-05-09T10:00:00Z": "2022-05-09", "2024-02-30": "", "2024/08/01": "", "août 2024": ""}
	for in, want := range tests {
		got, err := parseDateFR(in)
		if (err != nil) != (want == "") || got != want {
			t.Errorf("parseDateFR(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestDepOfINSEE(t *testing.T) {
	for code, want := range map[string]string{"23096": "23", "2A004": "2A", "97302": "973", "98818": "988", "": ""} {
		if got := DepOfINSEE(code); got != want {
			t.Errorf("DepOfINSEE(%q) = %q, want %q", code, got, want)
		}
	}
}

// TestResolveINSEE walks the one rule for old codes on a hand-made map:
// itself, one step, a chain, a dead end, a cycle, a chain too long.
func TestResolveINSEE(t *testing.T) {
	communes := map[string]bool{"75056": true, "87085": true, "2A004": true}
	isCommune := func(c string) bool { return communes[c] }
	renamed := map[string]string{
		"75101": "75056",                   // arrondissement
		"20004": "2A004",                   // Corsica before 1976
		"87001": "87002", "87002": "87085", // chain: 87001 → 87002 → 87085
		"12345": "12346",                   // 12346 is nothing
		"11111": "22222", "22222": "11111", // cycle
		"33333": "33333", // self-loop
	}
	long := "87085"
	for i := maxRenameSteps; i > 0; i-- { // a chain of exactly maxRenameSteps steps
		from := fmt.Sprintf("9%04d", i)
		renamed[from] = long
		long = from
	}
	renamed["99999"] = long // one step too many
	tests := []struct {
		code, want string
	}{
		{"75056", "75056"}, {"75101", "75056"}, {"20004", "2A004"}, {"87001", "87085"},
		{"12345", ""}, {"11111", ""}, {"33333", ""}, {"00000", ""}, {long, "87085"}, {"99999", ""},
	}
	for _, tt := range tests {
		got, ok := ResolveINSEE(tt.code, isCommune, renamed)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("ResolveINSEE(%s) = %q, %v; want %q", tt.code, got, ok, tt.want)
		}
	}
}
