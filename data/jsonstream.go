package data

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/transform"
)

// A JSON input read as a stream, never held whole: the bytes pass once
// through a json.Decoder, within maxFileBytes, a NUL byte in the first
// headBytes refusing the input at once (unless it is UTF-16, decoded on
// the way), a UTF-8 BOM dropped. The line of any offset the decoder
// reports is counted from the bytes it has read (streamLines), so memory
// is the decoder's buffer and the largest value, whatever the file size.

// jsonStream is one JSON input being decoded.
type jsonStream struct {
	name  string
	dec   *json.Decoder
	lines *streamLines
}

// openJSON starts reading r as JSON whose top-level value opens with
// delim (what names that value in the error of another start).
func openJSON(name string, r io.Reader, delim json.Delim, what string) (*jsonStream, error) {
	text, err := openJSONText(name, r)
	if err != nil {
		return nil, err
	}
	lines := &streamLines{r: text, bom: true}
	js := &jsonStream{name: name, dec: json.NewDecoder(lines), lines: lines}
	if err := js.expectDelim(delim, what); err != nil {
		return nil, err
	}
	return js, nil
}

// openJSONText returns the text of r as UTF-8, read within maxFileBytes,
// after the checks of its head (a NUL byte refuses it, UTF-16 is decoded
// on the way); a UTF-8 BOM is left to the reader.
func openJSONText(name string, r io.Reader) (io.Reader, error) {
	if err := checkSize(name, r); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(&limitedReader{name: name, r: r, left: maxFileBytes}, headBytes)
	head, err := br.Peek(headBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, readError(name, err)
	}
	if err := checkHead(head); err != nil {
		return nil, withFile(name, err)
	}
	var text io.Reader = br
	if s := utf16Of(head); s != nil {
		// UTF-16 (Windows "Unicode"), with or without a byte order mark.
		text = &utf16Check{r: transform.NewReader(br, s.decode()), err: &ParseError{File: name, Err: fmt.Errorf("%w : %s", ErrEncoding, s.badText)}}
	}
	return text, nil
}

// readError is the error of an input that could not be read: a
// *ParseError of the limits or the encoding as it is, a context error
// kept for errors.Is, anything else named a read failure.
func readError(name string, err error) error {
	var pe *ParseError
	switch {
	case errors.As(err, &pe):
		return pe
	case isContextErr(err):
		return err
	}
	return &ParseError{File: name, Err: fmt.Errorf("lecture : %w", err)}
}

// limitedReader reads r and fails with tooLarge once more than left bytes
// came from it.
type limitedReader struct {
	name string
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, tooLarge(l.name, -1)
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if l.left -= int64(n); l.left < 0 {
		return 0, tooLarge(l.name, -1)
	}
	return n, err
}

// utf16Check passes on decoded UTF-16 text and fails with err on a
// replacement character or a NUL, the marks of a text that was not
// UTF-16 after all.
type utf16Check struct {
	r   io.Reader
	err error
}

func (u *utf16Check) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	if bytes.IndexByte(p[:n], 0) >= 0 || bytes.Contains(p[:n], []byte("\uFFFD")) {
		return 0, u.err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		var pe *ParseError
		if !errors.As(err, &pe) && !isContextErr(err) {
			return n, u.err // the decoder's own error: not UTF-16
		}
	}
	return n, err
}

// streamLines passes r on and keeps the bytes read past the last offset
// asked for, so that the line of any later offset is counted once: the
// lines of a whole file cost one pass over it, and what is kept is what
// the decoder has read ahead. A UTF-8 BOM at the start is dropped (bom).
type streamLines struct {
	r     io.Reader
	bom   bool
	buf   []byte // the bytes read; buf[:start] are counted already
	start int
	base  int64 // offset of buf[start]
	line  int   // newlines before base
	eof   bool  // r is at its end
	last  byte  // the last byte read
}

func (s *streamLines) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if s.bom && n > 0 {
		if n >= 3 && bytes.HasPrefix(p[:n], []byte("\xEF\xBB\xBF")) {
			n = copy(p, p[3:n])
		}
		s.bom = false
	}
	if n > 0 {
		if s.start > len(s.buf)/2 {
			s.buf = append(s.buf[:0], s.buf[s.start:]...)
			s.start = 0
		}
		s.buf = append(s.buf, p[:n]...)
		s.last = p[n-1]
	}
	if err == io.EOF {
		s.eof = true
	}
	return n, err
}

// at returns the 1-based line of the first byte at or after off that is
// not blank or a comma (the line where the next value starts).
func (s *streamLines) at(off int64) int {
	i := s.index(off)
	for i < len(s.buf) && strings.IndexByte(" \t\r\n,", s.buf[i]) >= 0 {
		i++
	}
	return s.lineOf(s.base + int64(i-s.start))
}

// lineOf returns the 1-based line of the byte at off. An offset before
// one asked for already is taken as that one; one past the bytes read, as
// their end.
func (s *streamLines) lineOf(off int64) int {
	i := s.index(off)
	s.line += bytes.Count(s.buf[s.start:i], []byte{'\n'})
	s.base += int64(i - s.start)
	s.start = i
	return s.line + 1
}

// index returns the index in buf of offset off, within what is kept.
func (s *streamLines) index(off int64) int {
	return min(s.start+int(max(0, off-s.base)), len(s.buf))
}

// from returns the bytes read from offset off on.
func (s *streamLines) from(off int64) []byte { return s.buf[s.index(off):] }

// end returns the line of the end of the input read so far; the end of
// a file ending with a newline is on its last line.
func (s *streamLines) end() int {
	line := s.lineOf(s.base + int64(len(s.buf)-s.start))
	if s.eof && s.last == '\n' && line > 1 {
		line--
	}
	return line
}

// fail turns a decoding or read error into a *ParseError with its line.
// The offset of a syntax error found inside a value (json.Decoder counts
// it from a point of its own, not from the start of the input) is found
// again by decoding the value anew from pos, the input offset before the
// failing call.
func (js *jsonStream) fail(err error, pos int64) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	line := 0
	switch {
	case errors.As(err, &se):
		off := se.Offset // a token error: the offset of the bad byte
		rest := js.lines.from(pos)
		skip := len(rest) - len(bytes.TrimLeft(rest, " \t\r\n"))
		if skip < len(rest) && (rest[skip] == ',' || rest[skip] == ':') {
			skip++ // the separator before a value, which Decode reads first
		}
		var again json.RawMessage
		if err := json.NewDecoder(bytes.NewReader(rest[skip:])).Decode(&again); errors.As(err, &se) {
			off = pos + int64(skip) + se.Offset - 1 // the decoder counts the bad byte
		}
		line = js.lines.lineOf(off)
		err = &textError{jsonSyntaxText(se), se}
	case errors.As(err, &te):
		line = js.lines.at(pos)
		err = &textError{jsonTypeText(te), err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		line = js.lines.end()
		err = &textError{"fin inattendue du JSON", io.ErrUnexpectedEOF}
	default:
		return readError(js.name, err)
	}
	return &ParseError{File: js.name, Line: line, Err: fmt.Errorf("%w : %w", ErrBadValue, err)}
}

// expectDelim reads the next token and checks that it is delim.
func (js *jsonStream) expectDelim(delim json.Delim, what string) error {
	pos := js.dec.InputOffset()
	tok, err := js.dec.Token()
	if err == io.EOF {
		return &ParseError{File: js.name, Err: fmt.Errorf("%w : le fichier est vide", ErrEmptyFile)}
	}
	if err != nil {
		return js.fail(err, pos)
	}
	if d, ok := tok.(json.Delim); !ok || d != delim {
		return &ParseError{File: js.name, Line: js.lines.at(js.dec.InputOffset()),
			Err: fmt.Errorf("%w : attendu %s", ErrBadValue, what)}
	}
	return nil
}

// expectClose reads the closing delimiter of the object or array whose
// members or elements have all been read.
func (js *jsonStream) expectClose() error {
	pos := js.dec.InputOffset()
	if _, err := js.dec.Token(); err != nil {
		return js.fail(err, pos)
	}
	return nil
}

// expectEOF checks that nothing follows the top-level JSON value.
func (js *jsonStream) expectEOF() error {
	off := js.dec.InputOffset()
	if _, err := js.dec.Token(); err != io.EOF {
		var pe *ParseError
		if errors.As(err, &pe) || isContextErr(err) {
			return js.fail(err, off)
		}
		return &ParseError{File: js.name, Line: js.lines.at(off),
			Err: fmt.Errorf("%w : données après la fin de la valeur JSON", ErrBadValue)}
	}
	return nil
}

// isTypeError tells a JSON value of the wrong type, as opposed to bad
// JSON or a failed read.
func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}
