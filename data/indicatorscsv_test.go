package data

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// indValue is an expected cell: commune code, column name, value (NaN = missing).
type indValue struct {
	code, col string
	v         float64
}

var loadIndicatorsTests = []struct {
	name    string
	input   string
	columns []string
	values  []indValue
	checks  []string // substrings of the checks, in order
}{{
	name: "French file: decimal commas, markers of missing values, lost zero, Corsica, overseas",
	input: "CODGEO;LIBGEO;taux_pauvrete;part_65_plus;nb\n" +
		"1053;Bourg-en-Bresse;15,2;21,5;1 234\n" +
		"2a004;Ajaccio;s;n.d.;NA\n" +
		"97411;Saint-Denis;;-;12\n" +
		"23031;Boussac;0;NaN;#N/A\n",
	columns: []string{"taux_pauvrete", "part_65_plus", "nb"},
	values: []indValue{
		{"01053", "taux_pauvrete", 15.2}, {"01053", "part_65_plus", 21.5}, {"01053", "nb", 1234},
		{"2A004", "taux_pauvrete", math.NaN()}, {"2A004", "part_65_plus", math.NaN()}, {"2A004", "nb", math.NaN()},
		{"97411", "taux_pauvrete", math.NaN()}, {"97411", "nb", 12},
		{"23031", "taux_pauvrete", 0}, {"23031", "part_65_plus", math.NaN()}, // a real 0 stays 0
	},
}, {
	name: "bad cells are rejected, the row keeps its other values",
	input: "code_insee,a,b\n" +
		"23031,\"1,5\",x\n" +
		"23096,2.5,\"3,5\"\n" +
		"23008,1e999,4\n",
	columns: []string{"a", "b"},
	values:  []indValue{{"23031", "a", 1.5}, {"23031", "b", math.NaN()}, {"23096", "b", 3.5}, {"23008", "a", math.NaN()}, {"23008", "b", 4}},
	checks: []string{
		`i.csv:2: colonne "b" : nombre illisible : "x" (aucun chiffre)`,
		`i.csv:4: colonne "a" : nombre illisible : "1e999" (hors de la plage des nombres représentables)`,
	},
}, {
	name: "a column without any number is ignored once; duplicate and unnamed columns are ignored",
	input: "code_insee;commentaire;x;x;\n" +
		"23031;rural;1;9;\n" +
		"23096;urbain;2;9;zz\n",
	columns: []string{"x"},
	values:  []indValue{{"23031", "x", 1}, {"23096", "x", 2}},
	checks: []string{
		`i.csv:1: colonne "x" : doublon : la colonne "x" apparaît deux fois ; la seconde est ignorée`,
		`i.csv:1: colonne absente : la colonne 5 n'a pas de nom ; ignorée`,
		`i.csv:1: colonne "commentaire" : nombre illisible : la colonne "commentaire" ne contient aucun nombre (première valeur "rural") ; ignorée`,
	},
}, {
	name: "bad rows: code shape, duplicate code, wrong width",
	input: "code_insee;x\n" +
		"23031;1\n" +
		"230310;2\n" +
		"23031;3\n" +
		"23096,4\n" +
		"23008;5\n",
	columns: []string{"x"},
	values:  []indValue{{"23031", "x", 1}, {"23008", "x", 5}},
	checks: []string{
		`i.csv:3: colonne "code_insee" : code mal formé : code INSEE "230310"`,
		`i.csv:4: colonne "code_insee" : doublon : code 23031 déjà donné ligne 2`,
		`i.csv:5: valeur invalide : 1 champ alors que l'en-tête en a 2 ; cette ligne semble séparée par ',' et non par ';'`,
	},
}}

func TestLoadIndicatorsCSV(t *testing.T) {
	for _, tt := range loadIndicatorsTests {
		t.Run(tt.name, func(t *testing.T) {
			ind := NewIndicators()
			checks, err := LoadIndicatorsCSV("i.csv", strings.NewReader(tt.input), ind)
			if err != nil {
				t.Fatalf("LoadIndicatorsCSV: %v", err)
			}
			if !reflect.DeepEqual(ind.Columns, tt.columns) {
				t.Errorf("columns %q, want %q", ind.Columns, tt.columns)
			}
			for _, w := range tt.values {
				got, ok := ind.Get(w.code, ind.Column(w.col))
				if ok == math.IsNaN(w.v) || ok && got != w.v {
					t.Errorf("%s %s = %v, %v; want %v", w.code, w.col, got, ok, w.v)
				}
			}
			if len(checks) != len(tt.checks) {
				t.Fatalf("%d checks, want %d:\n%s", len(checks), len(tt.checks), strings.Join(checkTexts(checks), "\n"))
			}
			for i, w := range tt.checks {
				if !strings.Contains(checks[i].Err.Error(), w) {
					t.Errorf("check %d = %q\nwant it to contain %q", i, checks[i].Err, w)
				}
			}
		})
	}
}

func TestLoadIndicatorsCSVMerge(t *testing.T) {
	ind := NewIndicators("taux")
	ind.Set("23031", 0, 20)
	ind.Set("23096", 0, 30)
	input := "code_insee;taux;part\n23031;21;5\n23096;NA;6\n23008;;7\n"
	if _, err := LoadIndicatorsCSV("m.csv", strings.NewReader(input), ind); err != nil {
		t.Fatal(err)
	}
	// 23031 overwritten (21), 23096 kept (NA leaves 30), 23008 has no taux.
	for _, w := range []indValue{{"23031", "taux", 21}, {"23096", "taux", 30}, {"23008", "taux", math.NaN()},
		{"23031", "part", 5}, {"23096", "part", 6}, {"23008", "part", 7}} {
		got, ok := ind.Get(w.code, ind.Column(w.col))
		if ok == math.IsNaN(w.v) || ok && got != w.v {
			t.Errorf("%s %s = %v, %v; want %v", w.code, w.col, got, ok, w.v)
		}
	}
	if ind.Len() != 3 {
		t.Errorf("Len = %d, want 3", ind.Len())
	}
	var zero Indicators // a zero table (no NewIndicators) must not panic
	if _, err := LoadIndicatorsCSV("z.csv", strings.NewReader(input), &zero); err != nil || zero.Len() != 3 {
		t.Errorf("zero table: %v, Len %d", err, zero.Len())
	}
}

func TestLoadIndicatorsCSVFatal(t *testing.T) {
	for _, c := range []parseErrorCase{
		{"code_insee;nom\n23031;Boussac\n", "", 1, ErrMissingColumn, `aucune colonne d'indicateur à côté de "code_insee"`},
		{"commune;x\n23031;1\n", "code_insee", 1, ErrMissingColumn, `colonne absente "code_insee"`},
		{"code_insee;x\n", "", 0, ErrEmptyFile, "aucune ligne avec un code de commune valide"},
		{"code_insee;x\n230;1\n99999;2\n", "", 0, ErrEmptyFile, "aucune ligne avec un code de commune valide"},
		{"", "", 0, ErrEmptyFile, "le fichier est vide"},
	} {
		ind := NewIndicators("old")
		ind.Set("23031", 0, 1)
		_, err := LoadIndicatorsCSV("f.csv", strings.NewReader(c.text), ind)
		c.check(t, "f.csv", err)
		if len(ind.Columns) != 1 || ind.Len() != 1 {
			t.Errorf("%q: the table was modified: %q, %d rows", c.text, ind.Columns, ind.Len())
		}
	}
	if _, err := LoadIndicatorsCSV("n.csv", strings.NewReader("code_insee;x\n23031;1\n"), nil); !errors.Is(err, ErrBadValue) {
		t.Errorf("nil table: %v", err)
	}
}

// TestIndicatorsIFN2023: the commune file of the IFN 2023 is read as it
// comes (code colonne "code", label columns name and division) with the
// named indicators of IFN2023Columns. Expected values: line 2 of the
// extract, Ahun (23001): 8.0, 8.0, 9.0, 9.0, 6.0, total 8.0.
func TestIndicatorsIFN2023(t *testing.T) {
	ind := NewIndicators()
	checks, err := LoadIndicatorsCSV("ifn-communes-23.csv", openTestdata(t, "ifn2023/ifn-communes-23.csv"), ind)
	if err != nil || len(checks) != 0 {
		t.Fatalf("err %v, checks %v", err, checks)
	}
	want := []string{"ifn_sans_thd", "ifn_sans_4g", "ifn_pauvrete", "ifn_65_plus", "ifn_non_scolarises", "ifn_total"}
	if strings.Join(ind.Columns, ",") != strings.Join(want, ",") || ind.Len() != 256 {
		t.Fatalf("columns %v, %d communes", ind.Columns, ind.Len())
	}
	for col, v := range []float64{8, 8, 9, 9, 6, 8} {
		if got, ok := ind.Get("23001", col); !ok || got != v {
			t.Errorf("23001 %s = %v, want %v", want[col], got, v)
		}
	}
}
