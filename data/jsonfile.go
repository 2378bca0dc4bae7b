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

	"golang.org/x/text/transform"
)

// The JSON files every loader reads, user formats and open-data sources
// alike: read within MaxFileBytes, a UTF-8 BOM dropped, each error a
// *ParseError with the physical line where it happened.

// ReadFeatures streams the features of a GeoJSON FeatureCollection,
// calling fn with each feature's 0-based index, the line where it starts,
// and the feature still encoded, so that a loader reads its members itself
// and one bad feature rejects only itself. A "type" other than
// FeatureCollection, invalid JSON or data after the object fail with a
// *ParseError naming the line; an error from fn stops the reading and is
// returned. A collection without features calls fn zero times.
func ReadFeatures(name string, r io.Reader, fn func(i, line int, msg json.RawMessage) error) error {
	ctx := ContextOf(r)
	raw, err := readAllJSON(name, r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := expectDelim(name, raw, dec, '{', "un objet GeoJSON FeatureCollection"); err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return jsonError(name, raw, err)
		}
		key, _ := tok.(string)
		switch key {
		case "features":
			if err := expectDelim(name, raw, dec, '[', "un tableau features"); err != nil {
				return err
			}
			if _, err := jsonElements(ctx, name, raw, dec, fn); err != nil {
				return err
			}
		case "type":
			var t string
			if err := dec.Decode(&t); err != nil || t != "FeatureCollection" {
				return &ParseError{File: name, Line: 1, Err: fmt.Errorf("%w : type %q (FeatureCollection attendu)", ErrBadValue, t)}
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return jsonError(name, raw, err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return jsonError(name, raw, err)
	}
	return expectEOF(name, raw, dec)
}

// ReadJSONArray calls fn on each element of the top-level JSON array of r,
// with its 0-based index and the line where it starts. It fails on bad
// JSON, on a top level that is not an array, and on an empty array
// (ErrEmptyFile); an error from fn stops the reading and is returned.
func ReadJSONArray(name string, r io.Reader, fn func(i, line int, msg json.RawMessage) error) error {
	ctx := ContextOf(r)
	raw, err := readAllJSON(name, r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := expectDelim(name, raw, dec, '[', "un tableau JSON"); err != nil {
		return err
	}
	n, err := jsonElements(ctx, name, raw, dec, fn)
	if err != nil {
		return err
	}
	if n == 0 {
		return &ParseError{File: name, Err: fmt.Errorf("%w : tableau JSON vide", ErrEmptyFile)}
	}
	return expectEOF(name, raw, dec)
}

// jsonElements decodes the elements of the array whose '[' dec has just
// read, up to and including its ']', and returns how many there were. It
// stops with ctx's error once ctx is done.
func jsonElements(ctx context.Context, name string, raw []byte, dec *json.Decoder, fn func(i, line int, msg json.RawMessage) error) (int, error) {
	n := 0
	lines := lineCounter{raw: raw}
	for dec.More() {
		if n%checkEvery == 0 && ctx.Err() != nil {
			return n, ctx.Err()
		}
		off := dec.InputOffset()
		var msg json.RawMessage
		if err := dec.Decode(&msg); err != nil {
			return n, jsonError(name, raw, err)
		}
		if err := fn(n, lines.at(off), msg); err != nil {
			return n, err
		}
		n++
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return n, jsonError(name, raw, err)
	}
	return n, nil
}

// expectDelim reads the next token and checks that it is delim.
func expectDelim(name string, raw []byte, dec *json.Decoder, delim json.Delim, what string) error {
	tok, err := dec.Token()
	if err == io.EOF {
		return &ParseError{File: name, Err: fmt.Errorf("%w : le fichier est vide", ErrEmptyFile)}
	}
	if err != nil {
		return jsonError(name, raw, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != delim {
		return &ParseError{File: name, Line: lineAt(raw, dec.InputOffset()),
			Err: fmt.Errorf("%w : attendu %s", ErrBadValue, what)}
	}
	return nil
}

// expectEOF checks that nothing follows the top-level JSON value.
func expectEOF(name string, raw []byte, dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return &ParseError{File: name, Line: lineAt(raw, dec.InputOffset()),
			Err: fmt.Errorf("%w : données après la fin de la valeur JSON", ErrBadValue)}
	}
	return nil
}

// readAllJSON reads a JSON file within MaxFileBytes, decodes UTF-16 and
// drops a UTF-8 BOM.
func readAllJSON(name string, r io.Reader) ([]byte, error) {
	raw, err := readAllLimited(name, r)
	if err != nil {
		return nil, err
	}
	if s := utf16Of(raw); s != nil {
		// UTF-16 (Windows "Unicode"), with or without a byte order mark.
		b, _, err := transform.Bytes(s.decode(), raw)
		if err != nil || bytes.Contains(b, []byte("\uFFFD")) || bytes.IndexByte(b, 0) >= 0 {
			return nil, &ParseError{File: name, Err: fmt.Errorf("%w : %s", ErrEncoding, s.badText)}
		}
		raw = b
	}
	return bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF")), nil
}

// jsonError turns a decoding error into a *ParseError with its line.
func jsonError(name string, raw []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	line := 0
	switch {
	case errors.As(err, &se):
		line = lineAt(raw, se.Offset)
		err = &textError{jsonSyntaxText(se), err}
	case errors.As(err, &te):
		line = lineAt(raw, te.Offset)
		err = &textError{jsonTypeText(te), err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		line = lineAt(raw, int64(len(raw)))
		err = &textError{"fin inattendue du JSON", io.ErrUnexpectedEOF}
	}
	return &ParseError{File: name, Line: line, Err: fmt.Errorf("%w : %w", ErrBadValue, err)}
}

// lineAt returns the 1-based line of the first byte at or after off that
// is not blank or a comma.
func lineAt(raw []byte, off int64) int {
	c := lineCounter{raw: raw}
	return c.at(off)
}

// lineCounter gives lineAt for increasing offsets in linear time overall:
// it counts the newlines from the previous offset only (from the start
// when an offset goes back).
type lineCounter struct {
	raw  []byte
	off  int64 // offset counted up to
	line int   // line at off, minus one
}

// at returns lineAt(c.raw, off).
func (c *lineCounter) at(off int64) int {
	raw := c.raw
	off = max(0, min(off, int64(len(raw))))
	for off < int64(len(raw)) && strings.IndexByte(" \t\r\n,", raw[off]) >= 0 {
		off++
	}
	if off == int64(len(raw)) && off > 0 && raw[off-1] == '\n' {
		off--
	}
	if off < c.off {
		c.off, c.line = 0, 0
	}
	c.line += bytes.Count(raw[c.off:off], []byte{'\n'})
	c.off = off
	return c.line + 1
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
	if msg == "unexpected end of JSON input" {
		return "fin inattendue du JSON"
	}
	return "syntaxe JSON invalide (" + msg + ")"
}
