package data

import (
	"bytes"
	"errors"
	"io"
)

// A JSON tokenizer over a stream, for loaders that decode what they read
// in one pass (the GeoJSON sites): the bytes are read once into one
// buffer, which keeps the value being decoded (from mark on) and drops the
// rest; lines are counted in the blanks between tokens, the only place a
// newline may stand in JSON. It accepts exactly the JSON that
// encoding/json accepts, nested at most jsonLexMaxDepth deep, and knows
// nothing of error messages: on bad JSON, or a read that fails, it stops
// with errJSONLex, and the caller words the error with encoding/json
// (TestJSONLexMatchesEncodingJSON compares the two).

// errJSONLex is the stop of a jsonLexer on input it cannot decode: bad
// JSON, the end of the input inside a value, a failed read, a value
// nested too deep. A cancelled context is returned as it is instead.
var errJSONLex = errors.New("json: lecture en une passe interrompue")

// jsonLexMaxDepth is the deepest nesting the lexer follows; encoding/json
// allows 10,000, so a deeper value stops the lexer before it could accept
// what encoding/json refuses.
const jsonLexMaxDepth = 1000

// jsonLexer reads one JSON text from r.
type jsonLexer struct {
	r    io.Reader
	buf  []byte
	i    int   // the next byte, buf[i]
	base int64 // input offset of buf[0]
	mark int64 // bytes from this input offset on are kept when reading more
	line int   // 1-based line of buf[i]
	err  error // what ended the input (io.EOF at its end)
}

// newJSONLexer reads r, a UTF-8 BOM at its start dropped.
func newJSONLexer(r io.Reader) *jsonLexer {
	lx := &jsonLexer{r: r, buf: make([]byte, 0, 64<<10), line: 1}
	if lx.need(3) && bytes.HasPrefix(lx.buf, []byte("\xEF\xBB\xBF")) {
		lx.i = 3
	}
	return lx
}

// off returns the input offset of the next byte.
func (lx *jsonLexer) off() int64 { return lx.base + int64(lx.i) }

// bytesAt returns the input bytes from start to end, which must still
// be in the buffer (at or after mark).
func (lx *jsonLexer) bytesAt(start, end int64) []byte {
	return lx.buf[start-lx.base : end-lx.base]
}

// fill reads more of the input into the buffer, dropping the bytes
// before both mark and the next byte, and tells whether it got any.
func (lx *jsonLexer) fill() bool {
	if lx.err != nil {
		return false
	}
	from := lx.i
	if m := int(lx.mark - lx.base); m >= 0 && m < from {
		from = m
	}
	if from > 0 {
		n := copy(lx.buf, lx.buf[from:])
		lx.buf = lx.buf[:n]
		lx.base += int64(from)
		lx.i -= from
	}
	if len(lx.buf) == cap(lx.buf) {
		grown := make([]byte, len(lx.buf), 2*cap(lx.buf))
		copy(grown, lx.buf)
		lx.buf = grown
	}
	for {
		k, err := lx.r.Read(lx.buf[len(lx.buf):cap(lx.buf)])
		lx.buf = lx.buf[:len(lx.buf)+k]
		if err != nil {
			lx.err = err
			return k > 0
		}
		if k > 0 {
			return true
		}
	}
}

// more tells whether a byte is left to read.
func (lx *jsonLexer) more() bool { return lx.i < len(lx.buf) || lx.fill() }

// need tells whether n bytes are left to read.
func (lx *jsonLexer) need(n int) bool {
	for len(lx.buf)-lx.i < n {
		if !lx.fill() {
			return false
		}
	}
	return true
}

// stop is the error that ends decoding: the context's error when a read
// was cancelled, errJSONLex otherwise.
func (lx *jsonLexer) stop() error {
	if lx.err != nil && isContextErr(lx.err) {
		return lx.err
	}
	return errJSONLex
}

// space skips blanks, counting lines, and tells whether a byte follows.
func (lx *jsonLexer) space() bool {
	for {
		for ; lx.i < len(lx.buf); lx.i++ {
			switch lx.buf[lx.i] {
			case ' ', '\t', '\r':
			case '\n':
				lx.line++
			default:
				return true
			}
		}
		if !lx.fill() {
			return false
		}
	}
}

// peek skips blanks and returns the next byte, 0 at the end.
func (lx *jsonLexer) peek() byte {
	if !lx.space() {
		return 0
	}
	return lx.buf[lx.i]
}

// punct skips blanks and reads c.
func (lx *jsonLexer) punct(c byte) error {
	if lx.peek() != c {
		return lx.stop()
	}
	lx.i++
	return nil
}

// jsonPlain marks the bytes that may stand unescaped in a JSON string:
// not a control character, a quote or a backslash. encoding/json lets
// invalid UTF-8 through, and so does the lexer.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads the string whose quote is next and returns the offsets of its
// text between the quotes, and whether it holds an escape.
func (lx *jsonLexer) str() (start, end int64, escaped bool, err error) {
	lx.i++ // the opening quote
	start = lx.off()
	for {
		j, b := lx.i, lx.buf
		for j < len(b) && jsonPlain[b[j]] {
			j++
		}
		lx.i = j
		if j == len(b) {
			if !lx.fill() {
				return 0, 0, false, lx.stop()
			}
			continue
		}
		switch b[j] {
		case '"':
			lx.i++
			return start, lx.off() - 1, escaped, nil
		case '\\':
			escaped = true
			if err := lx.escape(); err != nil {
				return 0, 0, false, err
			}
		default: // a control character
			return 0, 0, false, lx.stop()
		}
	}
}

// escape reads the escape whose backslash is next in a string.
func (lx *jsonLexer) escape() error {
	if !lx.need(2) {
		return lx.stop()
	}
	switch lx.buf[lx.i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		lx.i += 2
		return nil
	case 'u':
		if !lx.need(6) {
			return lx.stop()
		}
		for _, c := range lx.buf[lx.i+2 : lx.i+6] {
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return lx.stop()
			}
		}
		lx.i += 6
		return nil
	}
	return lx.stop()
}

// digits reads decimal digits and returns how many.
func (lx *jsonLexer) digits() int {
	n := 0
	for lx.more() && '0' <= lx.buf[lx.i] && lx.buf[lx.i] <= '9' {
		lx.i++
		n++
	}
	return n
}

// number reads the number that starts next (a '-' or a digit):
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; what follows it is the
// caller's to check.
func (lx *jsonLexer) number() error {
	if lx.buf[lx.i] == '-' {
		lx.i++
	}
	switch {
	case !lx.more():
		return lx.stop()
	case lx.buf[lx.i] == '0':
		lx.i++
	case lx.digits() == 0:
		return lx.stop()
	}
	if lx.more() && lx.buf[lx.i] == '.' {
		lx.i++
		if lx.digits() == 0 {
			return lx.stop()
		}
	}
	if lx.more() && (lx.buf[lx.i] == 'e' || lx.buf[lx.i] == 'E') {
		lx.i++
		if lx.more() && (lx.buf[lx.i] == '+' || lx.buf[lx.i] == '-') {
			lx.i++
		}
		if lx.digits() == 0 {
			return lx.stop()
		}
	}
	return nil
}

// literal reads word (true, false or null), which must be next.
func (lx *jsonLexer) literal(word string) error {
	if !lx.need(len(word)) || string(lx.buf[lx.i:lx.i+len(word)]) != word {
		return lx.stop()
	}
	lx.i += len(word)
	return nil
}

// value reads (checks and skips) the value that starts after blanks,
// nested depth deep.
func (lx *jsonLexer) value(depth int) error {
	switch c := lx.peek(); c {
	case '{', '[':
		return lx.container(c, depth)
	case '"':
		_, _, _, err := lx.str()
		return err
	case 't':
		return lx.literal("true")
	case 'f':
		return lx.literal("false")
	case 'n':
		return lx.literal("null")
	default:
		if c == '-' || '0' <= c && c <= '9' {
			return lx.number()
		}
		return lx.stop()
	}
}

// container reads the object or array whose '{' or '[' (open) is next.
func (lx *jsonLexer) container(open byte, depth int) error {
	if depth >= jsonLexMaxDepth {
		return lx.stop()
	}
	lx.i++
	closing := byte('}')
	if open == '[' {
		closing = ']'
	}
	if lx.peek() == closing {
		lx.i++
		return nil
	}
	for {
		if open == '{' {
			if lx.peek() != '"' {
				return lx.stop()
			}
			if _, _, _, err := lx.str(); err != nil {
				return err
			}
			if err := lx.punct(':'); err != nil {
				return err
			}
		}
		if err := lx.value(depth + 1); err != nil {
			return err
		}
		if more, ok := lx.next(closing); !ok {
			return lx.stop()
		} else if !more {
			return nil
		}
	}
}

// next reads the ',' or the closing byte that follows a member or an
// element: more is true after a ',', ok is false (nothing read) on any
// other byte.
func (lx *jsonLexer) next(closing byte) (more, ok bool) {
	switch lx.peek() {
	case ',':
		lx.i++
		return true, true
	case closing:
		lx.i++
		return false, true
	}
	return false, false
}
