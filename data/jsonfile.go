package data

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The JSON files every loader reads, user formats and open-data sources
// alike: read within MaxFileBytes, a UTF-8 BOM dropped, each error a
// *ParseError with the physical line where it happened.

// ReadFeatures streams the features of a GeoJSON FeatureCollection,
// calling fn with each feature's 0-based index, the line where it starts,
// and the feature still encoded, so that a loader reads its members itself
// and one bad feature rejects only itself. The file is never held whole
// (openJSON): memory is the largest feature, not the file. A "type" other
// than FeatureCollection, invalid JSON or data after the object fail with
// a *ParseError naming the line; an error from fn stops the reading and is
// returned. A collection without features calls fn zero times.
func ReadFeatures(name string, r io.Reader, fn func(i, line int, msg json.RawMessage) error) error {
	return readFeatures(name, r, false, fn)
}

// readFeatures is ReadFeatures; with reuse, one buffer serves every
// feature, so that msg is valid only during the call to fn (a loader that
// copies what it keeps, as the sites loader does, saves an allocation and
// a copy per feature).
func readFeatures(name string, r io.Reader, reuse bool, fn func(i, line int, msg json.RawMessage) error) error {
	ctx := ContextOf(r)
	js, err := openJSON(name, r, '{', "un objet GeoJSON FeatureCollection")
	if err != nil {
		return err
	}
	for js.dec.More() {
		pos := js.dec.InputOffset()
		tok, err := js.dec.Token()
		if err != nil {
			return js.fail(err, pos)
		}
		key, _ := tok.(string)
		switch key {
		case "features":
			if err := js.expectDelim('[', "un tableau features"); err != nil {
				return err
			}
			if _, err := js.elements(ctx, reuse, fn); err != nil {
				return err
			}
		case "type":
			var t string
			pos := js.dec.InputOffset()
			if err := js.dec.Decode(&t); err != nil && !isTypeError(err) {
				return js.fail(err, pos)
			}
			if t != "FeatureCollection" {
				return &ParseError{File: name, Line: 1, Err: fmt.Errorf("%w : type %q (FeatureCollection attendu)", ErrBadValue, t)}
			}
		default:
			var skip json.RawMessage
			pos := js.dec.InputOffset()
			if err := js.dec.Decode(&skip); err != nil {
				return js.fail(err, pos)
			}
		}
	}
	if err := js.expectClose(); err != nil {
		return err
	}
	return js.expectEOF()
}

// ReadJSONArray calls fn on each element of the top-level JSON array of r,
// with its 0-based index and the line where it starts, streaming as
// ReadFeatures does. It fails on bad JSON, on a top level that is not an
// array, and on an empty array (ErrEmptyFile); an error from fn stops the
// reading and is returned.
func ReadJSONArray(name string, r io.Reader, fn func(i, line int, msg json.RawMessage) error) error {
	ctx := ContextOf(r)
	js, err := openJSON(name, r, '[', "un tableau JSON")
	if err != nil {
		return err
	}
	n, err := js.elements(ctx, false, fn)
	if err != nil {
		return err
	}
	if n == 0 {
		return &ParseError{File: name, Err: fmt.Errorf("%w : tableau JSON vide", ErrEmptyFile)}
	}
	return js.expectEOF()
}

// elements decodes the elements of the array whose '[' the decoder has
// just read, up to and including its ']', and returns how many there
// were. It stops with ctx's error once ctx is done. With reuse, every
// element is decoded into one buffer (a RawMessage decodes into the one it
// has), valid only during the call to fn.
func (js *jsonStream) elements(ctx context.Context, reuse bool, fn func(i, line int, msg json.RawMessage) error) (int, error) {
	n := 0
	var msg json.RawMessage
	for js.dec.More() {
		if n%checkEvery == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
		off := js.dec.InputOffset()
		if !reuse {
			msg = nil // fn may keep the element
		}
		if err := js.dec.Decode(&msg); err != nil {
			return n, js.fail(err, off)
		}
		if err := fn(n, js.lines.at(off), msg); err != nil {
			return n, err
		}
		n++
	}
	return n, js.expectClose()
}

// JSONObject is one JSON object with its members still encoded.
type JSONObject map[string]json.RawMessage

// Text returns member key as text: a string (trimmed), or the literal of a
// number or boolean. Absent and null give "".
func (o JSONObject) Text(key string) (string, error) { return jsonText(o[key]) }

// jsonText is JSONObject.Text of one encoded member value.
func jsonText(raw []byte) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", nil
	case raw[0] == '"' && len(raw) >= 2 && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw):
		// No escape: the text between the quotes (the decoder that gave
		// raw has checked it is a valid JSON string).
		return strings.TrimSpace(string(raw[1 : len(raw)-1])), nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%w : texte JSON illisible : %w", ErrBadValue, err)
		}
		return strings.TrimSpace(s), nil
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') || string(raw) == "true" || string(raw) == "false":
		return string(raw), nil
	}
	return "", fmt.Errorf("%w : texte attendu, trouvé %.20s", ErrBadValue, raw)
}

// Number returns member key as a number, from a JSON number or a string
// ("46.1", "46,1", read by ParseFloatFR). ok is false when the member is
// absent, null or "".
func (o JSONObject) Number(key string) (v float64, ok bool, err error) {
	raw := bytes.TrimSpace(o[key])
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return 0, false, nil
	case raw[0] == '"':
		s, err := jsonText(raw)
		if err != nil || s == "" {
			return 0, false, err
		}
		v, err = ParseFloatFR(s)
		return v, err == nil, err
	}
	v, err = strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, false, fmt.Errorf("%w : %.20s", ErrBadNumber, raw)
	}
	return v, true, nil
}

// JSONValueError gives a French text to an error of json.Unmarshal on
// one element (a syntax or type error), keeping it for errors.As; other
// errors are returned as they are.
func JSONValueError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &textError{jsonSyntaxText(se), err}
	case errors.As(err, &te):
		return &textError{jsonTypeText(te), err}
	}
	return err
}

// jsonTypeText says in French what an encoding/json type error is about.
func jsonTypeText(te *json.UnmarshalTypeError) string {
	if te.Field == "" {
		return fmt.Sprintf("valeur JSON de type %s là où %s est attendu", te.Value, te.Type)
	}
	return fmt.Sprintf("champ %q : valeur JSON de type %s là où %s est attendu", te.Field, te.Value, te.Type)
}

// jsonSyntaxContexts are the contexts of encoding/json's "invalid
// character" errors, in French.
var jsonSyntaxContexts = map[string]string{
	"looking for beginning of value":             "là où une valeur doit commencer",
	"looking for beginning of object key string": "là où une clé d'objet doit commencer",
	"after object key":                           "après une clé d'objet (':' attendu)",
	"after object key:value pair":                "après un couple clé:valeur (',' ou '}' attendu)",
	"after array element":                        "après un élément de tableau (',' ou ']' attendu)",
	"in string literal":                          "dans une chaîne",
	"in string escape code":                      "dans une séquence d'échappement",
	"in \\u hexadecimal character escape":        "dans un échappement \\u hexadécimal",
	"in numeric literal":                         "dans un nombre",
	"after decimal point in numeric literal":     "après le point décimal d'un nombre",
	"in exponent of numeric literal":             "dans l'exposant d'un nombre",
	"after top-level value":                      "après la valeur principale",
	"in literal true (expecting 'r')":            "dans le littéral true",
	"in literal true (expecting 'u')":            "dans le littéral true",
	"in literal true (expecting 'e')":            "dans le littéral true",
	"in literal false (expecting 'a')":           "dans le littéral false",
	"in literal false (expecting 'l')":           "dans le littéral false",
	"in literal false (expecting 's')":           "dans le littéral false",
	"in literal false (expecting 'e')":           "dans le littéral false",
	"in literal null (expecting 'u')":            "dans le littéral null",
	"in literal null (expecting 'l')":            "dans le littéral null",
}

// jsonSyntaxText says in French what an encoding/json syntax error is
// about; an error it does not know keeps Go's text in parentheses.
func jsonSyntaxText(se *json.SyntaxError) string {
	msg := se.Error()
	if rest, ok := strings.CutPrefix(msg, "invalid character "); ok {
		best := "" // the longest context that ends the message
		for ctx := range jsonSyntaxContexts {
			if strings.HasSuffix(rest, " "+ctx) && len(ctx) > len(best) {
				best = ctx
			}
		}
		if best != "" {
			return "syntaxe JSON invalide : caractère " + rest[:len(rest)-len(best)-1] + " inattendu " + jsonSyntaxContexts[best]
		}
	}
	switch msg {
	case "unexpected end of JSON input":
		return "fin inattendue du JSON"
	case "expected comma after array element":
		return "syntaxe JSON invalide : ',' attendue après un élément de tableau"
	case "expected colon after object key":
		return "syntaxe JSON invalide : ':' attendu après une clé d'objet"
	}
	return "syntaxe JSON invalide (" + msg + ")"
}
