package data

import (
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// readTableTests follows encoding/csv's readTests: inline input, expected
// table or expected error with its line.
var readTableTests = []struct {
	name     string
	input    string
	header   []string
	comma    rune
	encoding string
	records  []Record
	errIs    error  // expected sentinel, nil when the read succeeds
	errText  string // substring of the error text
	errLine  int    // expected ParseError.Line
}{{
	name:   "semicolon",
	input:  "code;nom\n01053;Bourg-en-Bresse\n",
	header: []string{"code", "nom"}, comma: ';', encoding: "UTF-8",
	records: []Record{{2, []string{"01053", "Bourg-en-Bresse"}}},
}, {
	name:   "comma",
	input:  "code,nom\r\n01053,Bourg-en-Bresse\r\n",
	header: []string{"code", "nom"}, comma: ',', encoding: "UTF-8",
	records: []Record{{2, []string{"01053", "Bourg-en-Bresse"}}},
}, {
	name:   "tab",
	input:  "code\tnom\tx\n23031\tBoussac\t46,34908\n",
	header: []string{"code", "nom", "x"}, comma: '\t', encoding: "UTF-8",
	records: []Record{{2, []string{"23031", "Boussac", "46,34908"}}},
}, {
	name:   "semicolon wins over decimal commas in the header",
	input:  "a;b,c;d\n1;2,5;3\n",
	header: []string{"a", "b,c", "d"}, comma: ';', encoding: "UTF-8",
	records: []Record{{2, []string{"1", "2,5", "3"}}},
}, {
	name:   "UTF-8 BOM",
	input:  "\xEF\xBB\xBFcode;nom\n23031;Boussac\n",
	header: []string{"code", "nom"}, comma: ';', encoding: "UTF-8 (BOM)",
	records: []Record{{2, []string{"23031", "Boussac"}}},
}, {
	name:   "Windows-1252 é and €",
	input:  "code;nom;prix\n23061;Ch\xE9n\xE9railles;5 \x80\n",
	header: []string{"code", "nom", "prix"}, comma: ';', encoding: "Windows-1252",
	records: []Record{{2, []string{"23061", "Chénérailles", "5 €"}}},
}, {
	name:   "UTF-16LE with BOM (Excel Unicode text)",
	input:  "\xFF\xFEc\x00;\x00n\x00\n\x001\x00;\x00\xE9\x00\n\x00",
	header: []string{"c", "n"}, comma: ';', encoding: "UTF-16LE (BOM)",
	records: []Record{{2, []string{"1", "é"}}},
}, {
	name:   "UTF-16BE with BOM",
	input:  "\xFE\xFF\x00a\x00\t\x00b\x00\n\x001\x00\t\x00\xE8\x00\n",
	header: []string{"a", "b"}, comma: '\t', encoding: "UTF-16BE (BOM)",
	records: []Record{{2, []string{"1", "è"}}},
}, {
	name:   "quoted field with newlines: next record keeps its physical line",
	input:  "id;adresse\n1;\"2 rue X\nBP 12\n23000 Guéret\"\n2;\"place Y\"\n",
	header: []string{"id", "adresse"}, comma: ';', encoding: "UTF-8",
	records: []Record{{2, []string{"1", "2 rue X\nBP 12\n23000 Guéret"}}, {5, []string{"2", "place Y"}}},
}, {
	name:   "blank lines are skipped but counted",
	input:  "a;b\n\n1;2\n\n\n3;4\n",
	header: []string{"a", "b"}, comma: ';', encoding: "UTF-8",
	records: []Record{{3, []string{"1", "2"}}, {6, []string{"3", "4"}}},
}, {
	name:   "Excel sep= line",
	input:  "sep=,\na;b,c\n1;2,3\n",
	header: []string{"a;b", "c"}, comma: ',', encoding: "UTF-8",
	records: []Record{{3, []string{"1;2", "3"}}},
}, {
	name:   "old Mac line ends",
	input:  "a;b\r1;2\r3;4\r",
	header: []string{"a", "b"}, comma: ';', encoding: "UTF-8",
	records: []Record{{2, []string{"1", "2"}}, {3, []string{"3", "4"}}},
}, {
	name:   "old Mac line ends, a line break inside quotes kept",
	input:  "id,nom,type,latitude,longitude\r" + "a,\"Mairie\nsalle 2\",cnfs,46.17,1.87\r" + "b,Médiathèque,cnfs,46.2,1.9\r",
	header: []string{"id", "nom", "type", "latitude", "longitude"}, comma: ',', encoding: "UTF-8",
	records: []Record{{2, []string{"a", "Mairie\nsalle 2", "cnfs", "46.17", "1.87"}}, {4, []string{"b", "Médiathèque", "cnfs", "46.2", "1.9"}}},
}, {
	name:   "fields trimmed, NBSP included",
	input:  "a ; b\n 1\u00A0; \u202F2 \n",
	header: []string{"a", "b"}, comma: ';', encoding: "UTF-8",
	records: []Record{{2, []string{"1", "2"}}},
}, {
	name: "vide", input: "", errIs: ErrEmptyFile, errText: "le fichier est vide",
}, {
	name: "only spaces", input: " \n\r\n\t", errIs: ErrEmptyFile, errText: "le fichier est vide",
}, {
	name: "only an Excel sep= line", input: "sep=;\r\n", errIs: ErrEmptyFile, errText: "pas de ligne d'en-tête",
}, {
	name: "xlsx renamed", input: "PK\x03\x04\x14\x00\x06\x00", errIs: ErrBinary, errText: "Excel (.xlsx)",
}, {
	name: "xls renamed", input: "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", errIs: ErrBinary, errText: "ancien fichier Excel (.xls)",
}, {
	name: "octet NUL", input: "a;b\n1;2\n\x00\x01\x02", errIs: ErrBinary, errText: "octet NUL", errLine: 3,
}, {
	name: "BOM in the middle", input: "\xEF\xBB\xBFa;b\n1;2\n\xEF\xBB\xBFa;b\n3;4\n",
	errIs: ErrEncoding, errText: "marque d'ordre des octets (U+FEFF) au milieu", errLine: 3,
}, {
	name: "mixed UTF-8 and Windows-1252", input: "a;b\n1;Guéret\n2;Aubusson é è\n3;Ch\xE9n\xE9railles\n",
	errIs: ErrEncoding, errText: "encodages mélangés : cette ligne n'est pas en UTF-8 mais la ligne 2 l'est", errLine: 4,
}, {
	name: "byte pas défini en Windows-1252", input: "a;b\n1;x\x81y\n", errIs: ErrEncoding, errText: "pas défini en Windows-1252", errLine: 2,
}, {
	name: "UTF-8 BOM with invalid content", input: "\xEF\xBB\xBFa;b\n1;\xE9\n", errIs: ErrEncoding, errText: "(BOM) annonce de l'UTF-8", errLine: 2,
}, {
	name: "UTF-16 BOM with an odd number of bytes", input: "\xFF\xFEa\x00;\x00b", errIs: ErrEncoding, errText: "(BOM) annonce de l'UTF-16",
}, {
	name: "unterminated quote", input: "a;b\n1;2\n3;\"quatre\n5;6\n", errIs: csv.ErrQuote, errText: "guillemet non fermé ou isolé", errLine: 3,
}, {
	name: "aucun séparateur", input: "code\n23031\n", errIs: ErrMissingColumn, errText: "aucun séparateur", errLine: 1,
}}

func TestReadTable(t *testing.T) {
	for _, tt := range readTableTests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ReadTable("f.csv", strings.NewReader(tt.input))
			if tt.errText != "" {
				checkParseError(t, err, tt.errIs, tt.errText, "f.csv", tt.errLine)
				return
			}
			if err != nil {
				t.Fatalf("ReadTable: %v", err)
			}
			if !reflect.DeepEqual(tab.Header, tt.header) || tab.Comma != tt.comma || tab.Encoding != tt.encoding {
				t.Errorf("got header %q comma %q encoding %q; want %q %q %q", tab.Header, tab.Comma, tab.Encoding, tt.header, tt.comma, tt.encoding)
			}
			if !reflect.DeepEqual(tab.Records, tt.records) {
				t.Errorf("records = %+v\nwant      %+v", tab.Records, tt.records)
			}
		})
	}
}

// checkParseError asserts that err is a *ParseError of file and line
// containing text and wrapping is.
func checkParseError(t *testing.T, err, is error, text, file string, line int) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if !errors.Is(err, is) {
		t.Errorf("error %v does not wrap %v", err, is)
	}
	if !strings.Contains(err.Error(), text) || pe.File != file || pe.Line != line {
		t.Errorf("error %q (file %q line %d); want text %q, file %q, line %d", err, pe.File, pe.Line, text, file, line)
	}
}

// parseErrorCase is one bad input of a loader's error table: the error must
// be a *ParseError naming file, line and column, wrap sentinel and contain msg.
type parseErrorCase struct {
	text, col string
	line      int
	sentinel  error
	msg       string
}

// check asserts err against c for a file read under the name file.
func (c parseErrorCase) check(t *testing.T, file string, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != file || pe.Line != c.line || pe.Column != c.col ||
		!errors.Is(err, c.sentinel) || !strings.Contains(err.Error(), c.msg) {
		t.Errorf("%q: %v", c.text, err)
	}
}

func TestReadTableHugeLine(t *testing.T) {
	// A 10 MB line on line 3 must be refused with its line number, not read
	// as one 10 MB field.
	big := "a;b\n1;2\n3;" + strings.Repeat("x", 10<<20) + "\n4;5\n"
	_, err := ReadTable("big.csv", strings.NewReader(big))
	checkParseError(t, err, ErrTooLarge, "ligne de plus de 1 Mio (10485762 octets)", "big.csv", 3)

	// A quoted field of 2 MiB made of short lines is caught as a field.
	field := strings.Repeat("abcdefghi\n", 2<<20/10)
	_, err = ReadTable("field.csv", strings.NewReader("a;b\n1;\""+field+"\"\n"))
	checkParseError(t, err, ErrTooLarge, "champ 2 de plus de 1 Mio", "field.csv", 2)
}

func TestCheckWidth(t *testing.T) {
	tests := []struct {
		input string
		want  string // substring of the error for the first record, "" if none
	}{
		{"a;b;c\n1;2;3\n", ""},
		{"a;b;c\n1;2;3;;\n", ""}, // empty trailing fields are fine
		{"a;b;c\n1,2,3\n", "1 champ alors que l'en-tête en a 3 ; cette ligne semble séparée par ',' et non par ';'"},
		{"a,b,c\n1;2;3\n", "1 champ alors que l'en-tête en a 3 ; cette ligne semble séparée par ';'"},
		{"a;b;c\n1\t2\t3\n", "cette ligne semble séparée par des tabulations"},
		{"a,b,c\n1,2,5,3\n", "4 champs alors que l'en-tête en a 3 ; une virgule décimale"},
		{"a;b;c\n1;2;3;4\n", "un séparateur dans une valeur sans guillemets"},
		{"a;b;c\n1;2\n", "2 champs alors que l'en-tête en a 3"},
	}
	for _, tt := range tests {
		tab, err := ReadTable("w.csv", strings.NewReader(tt.input))
		if err != nil {
			t.Fatal(err)
		}
		err = tab.CheckWidth(tab.Records[0])
		if tt.want == "" {
			if err != nil {
				t.Errorf("%q: unexpected %v", tt.input, err)
			}
			continue
		}
		checkParseError(t, err, ErrBadValue, tt.want, "w.csv", 2)
	}
}

func TestTableIndexRequire(t *testing.T) {
	tab, err := ReadTable("r.csv", strings.NewReader("Code_INSEE;nom\n23031;Boussac\n"))
	if err != nil {
		t.Fatal(err)
	}
	if i := tab.Index("insee", "code_insee"); i != 0 {
		t.Errorf("Index = %d, want 0", i)
	}
	_, err = tab.Require("code_insee", "population")
	checkParseError(t, err, ErrMissingColumn, `colonne absente "population" (en-tête : Code_INSEE;nom)`, "r.csv", 1)
	if got := tab.Records[0].Field(5); got != "" {
		t.Errorf("Field(5) = %q, want empty", got)
	}
}

func TestReadTableReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ReadTable("r.csv", iotest.ErrReader(boom))
	checkParseError(t, err, boom, "r.csv: lecture : disk on fire", "r.csv", 0)
	_, _, err = LoadSitesCSV("r.csv", iotest.ErrReader(boom), SitesOptions{})
	checkParseError(t, err, boom, "r.csv: lecture : disk on fire", "r.csv", 0)
}

// TestRowsAtMost: the bound the first pass gives is never below the rows
// Next gives (counted here), and for a plain file it is at most one more
// (a last line end is counted as if a row followed it).
func TestRowsAtMost(t *testing.T) {
	for _, tt := range []struct {
		in    string
		exact bool
	}{
		{"a,b\n1,2\n3,4\n", true},
		{"a,b\n1,2\n3,4", true},
		{"a,b\r\n1,2\r\n3,4\r\n", true},
		{"a,b\r1,\"x\ry\"\r3,4\r", true},
		{"a,b\n1,\"x\ny\"\n\n\n3,4\n", false},
		{"a;b\n", true},
	} {
		tr, err := OpenTable("t.csv", strings.NewReader(tt.in))
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		rows := 0
		for {
			if _, err := tr.Next(); err != nil {
				break
			}
			rows++
		}
		if got := tr.RowsAtMost(); got < rows || tt.exact && got > rows+1 {
			t.Errorf("%q: RowsAtMost %d for %d rows", tt.in, got, rows)
		}
	}
}
