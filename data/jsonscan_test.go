package data

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// TestSitesGeoFastMatchesSlow: on every feature the fast path accepts, it
// gives the fields (or the error's column) of the general path; the
// features it must decline are declined.
func TestSitesGeoFastMatchesSlow(t *testing.T) {
	tests := []struct {
		feature string
		fast    bool
	}{
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[2.216669,46.34908]},"properties":{"id":"s1","nom":"Mairie","type":"cnfs","etp":1}}`, true},
		{` { "properties" : { "type" : "mediation" , "nom" : "A \"B\" é" , "id" : 7 , "fte":"0,5", "extra": {"a":[1,"]"]} } , "type" : "Feature" , "geometry" : null } `, true},
		{`{"type":"Feature","properties":{"id":"x","name":"N","type":"autre","latitude":"46,1","longitude":2.1,"cp":"1100"}}`, true},
		{`{"type":"Feature","geometry":{"coordinates":[-1e-3,4.6e1,120],"type":"Point"},"properties":{"id":"a","nom":"n","type":"cnfs","id":"b"}}`, true},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"id":"a","nom":{"x":1},"type":"cnfs"}}`, true},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"id":"a","nom":"n","type":"cnfs"},"id":3}`, false},
		{`{"Type":"Feature","properties":{"id":"a"}}`, false},
		{`{"type":"Feature","properties":{"i\u0064":"a"}}`, false},
		{`{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{"id":"a"}}`, false},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{"id":"a"}}`, false},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":null}`, false},
		{`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2,3,4]},"properties":{}}`, false},
		{`{"type":"Feat","properties":{}}`, false},
	}
	var scratch []jsonMember
	for _, tt := range tests {
		fields, ok, err := sitesGeoFast([]byte(tt.feature), &scratch)
		if ok != tt.fast {
			t.Errorf("%s: fast path ok = %v, want %v", tt.feature, ok, tt.fast)
			continue
		}
		if !ok {
			continue
		}
		want, perr := sitesGeoSlow("f", 1, []byte(tt.feature))
		switch ce, _ := err.(*columnError); {
		case perr != nil && (ce == nil || ce.column != perr.Column || ce.err.Error() != perr.Err.Error()):
			t.Errorf("%s: fast error %v, slow %v", tt.feature, err, perr)
		case perr == nil && (err != nil || !reflect.DeepEqual(fields, want)):
			t.Errorf("%s: fast %q (%v), slow %q", tt.feature, fields, err, want)
		}
	}
}

// FuzzSitesGeoFast: on any valid JSON value the fast path accepts, it
// agrees with the general path (fields, or the column and text of the
// error), as TestSitesGeoFastMatchesSlow checks by hand.
func FuzzSitesGeoFast(f *testing.F) {
	f.Add(`{"type":"Feature","geometry":{"type":"Point","coordinates":[2.2,46.3]},"properties":{"id":"s1","nom":"M","type":"cnfs","etp":1}}`)
	f.Add(`{"properties":{"name":"a\"b","fte":"0,5","lat":46,"lon":"2"},"type":"Feature","geometry":null}`)
	f.Add(`{"type":"Feature","properties":{"id":{"x":[1,"}"]},"nom":true}}`)
	f.Fuzz(func(t *testing.T, feature string) {
		if !json.Valid([]byte(feature)) {
			return
		}
		var scratch []jsonMember
		fields, ok, err := sitesGeoFast([]byte(feature), &scratch)
		if !ok {
			return
		}
		want, perr := sitesGeoSlow("f", 1, []byte(feature))
		switch ce, _ := err.(*columnError); {
		case perr != nil && (ce == nil || ce.column != perr.Column || ce.err.Error() != perr.Err.Error()):
			t.Fatalf("fast error %v, slow %v", err, perr)
		case perr == nil && (err != nil || !reflect.DeepEqual(fields, want)):
			t.Fatalf("fast %q (%v), slow %q", fields, err, want)
		}
	})
}

// TestJSONSyntaxText: encoding/json's syntax errors are told in French,
// the longest context winning ("after decimal point in numeric literal"
// also ends with "in numeric literal"); an unknown one keeps Go's text.
func TestJSONSyntaxText(t *testing.T) {
	for in, want := range map[string]string{
		`{"a" 1}`: `syntaxe JSON invalide : caractère '1' inattendu après une clé d'objet (':' attendu)`,
		`[1 2]`:   `syntaxe JSON invalide : caractère '2' inattendu après un élément de tableau (',' ou ']' attendu)`,
		`[NaN]`:   `syntaxe JSON invalide : caractère 'N' inattendu là où une valeur doit commencer`,
		`[1.e]`:   `syntaxe JSON invalide : caractère 'e' inattendu après le point décimal d'un nombre`,
		`[-]`:     `syntaxe JSON invalide : caractère ']' inattendu dans un nombre`,
		`[tru]`:   `syntaxe JSON invalide : caractère ']' inattendu dans le littéral true`,
		`[1`:      `fin inattendue du JSON`,
	} {
		var v any
		var se *json.SyntaxError
		if err := json.Unmarshal([]byte(in), &v); !errors.As(err, &se) {
			t.Errorf("%s: %v is not a *json.SyntaxError", in, err)
		} else if got := jsonSyntaxText(se); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
	if got := jsonSyntaxText(&json.SyntaxError{}); got != "syntaxe JSON invalide ()" {
		t.Errorf("unknown syntax error: %q", got)
	}
}
