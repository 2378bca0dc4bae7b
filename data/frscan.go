package data

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	textunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// A CSV file is read in two passes over its bytes, so that memory stays
// proportional to one row rather than to the file: tableInput makes the
// input seekable (a regular file as it is; a pipe is read whole within
// maxFileBytes), scanTable reads it once to learn its encoding, line ends
// and separator and to refuse what ReadTable refuses before any row, then
// the rows are parsed from the start again.

// scanChunk is how much of the input a pass reads at a time.
const scanChunk = 1 << 20

// headTextBytes is how much decoded text scanTable keeps to find the
// separator and an Excel "sep=" line.
const headTextBytes = 2 << 20

// tableInput returns the bytes of r from its current position as a
// seekable reader: a section of r when r can seek and read at an offset
// (a regular file, a bytes.Reader), else the whole of r read within
// maxFileBytes (a pipe, a device, a decompressor).
func tableInput(name string, r io.Reader) (*io.SectionReader, error) {
	if err := checkSize(name, r); err != nil {
		return nil, err
	}
	if sr, ok := sectionOf(r); ok {
		if sr.Size() > maxFileBytes {
			return nil, tooLarge(name, sr.Size())
		}
		return sr, nil
	}
	raw, err := readAllLimited(name, r)
	if err != nil {
		return nil, err
	}
	return io.NewSectionReader(bytes.NewReader(raw), 0, int64(len(raw))), nil
}

// sectionOf returns the rest of r, from its current position, as a
// section read at offsets, when r (or the reader under WithContext) can
// read at an offset and seek and is no device or pipe (a regular file, a
// bytes.Reader). /dev/zero seeks but has no end: it is read as a stream.
func sectionOf(r io.Reader) (*io.SectionReader, bool) {
	if c, ok := r.(*ctxReader); ok {
		r = c.r
	}
	ra, ok := r.(interface {
		io.ReaderAt
		io.Seeker
	})
	if !ok {
		return nil, false
	}
	if s, ok := r.(statReader); ok {
		if fi, err := s.Stat(); err != nil || !fi.Mode().IsRegular() {
			return nil, false
		}
	}
	start, err := ra.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, false
	}
	end, err := ra.Seek(0, io.SeekEnd)
	if err != nil || end < start {
		return nil, false
	}
	if _, err := ra.Seek(start, io.SeekStart); err != nil {
		return nil, false
	}
	return io.NewSectionReader(ra, start, end-start), true
}

// tableScan is what the first pass learns of a CSV file.
type tableScan struct {
	encoding string
	decode   func() transform.Transformer // nil for UTF-8
	// badText is the reason given when the decoded text holds U+FFFD or a
	// NUL byte; withLine tells whether it names the line.
	badText  string
	withLine bool
	mac      bool  // old Mac line ends: unquoted '\r' are line ends
	skip     int64 // decoded bytes before the header: BOM and "sep=" line
	comma    rune
	lineEnds int // line ends outside quotes: the records are at most one more
}

// text returns the decoded text of src from its start, line ends made
// '\n' for an old Mac file.
func (s *tableScan) text(src *io.SectionReader) (io.Reader, error) {
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	var r io.Reader = src
	if s.decode != nil {
		r = transform.NewReader(src, s.decode())
	}
	if s.mac {
		r = transform.NewReader(r, &macLineEnds{})
	}
	return r, nil
}

// scanTable reads src once and returns how to parse it, or the
// *ParseError that refuses it: a zip/xlsx or binary file, a file mixing
// encodings or holding a byte order mark after its start, an empty file,
// a line longer than MaxLineBytes or a header without separator.
func scanTable(ctx context.Context, name string, src *io.SectionReader) (*tableScan, error) {
	head := make([]byte, min(headBytes, src.Size()))
	if _, err := src.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, &ParseError{File: name, Err: fmt.Errorf("lecture : %w", err)}
	}
	if err := checkHead(head); err != nil {
		return nil, withFile(name, err)
	}
	s, err := scanEncoding(ctx, head, src)
	if err != nil {
		return nil, withFile(name, err)
	}
	text, err := s.text(src)
	if err != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("lecture : %w", err)}
	}
	ts := textStats{checkDecoded: s.decode != nil}
	if err := ts.scan(ctx, text, src.Size(), s); err != nil {
		return nil, withFile(name, err)
	}
	if err := ts.verdict(s); err != nil {
		return nil, withFile(name, err)
	}
	// The separator, from the text as the parser will see it.
	text, err = s.text(src)
	if err != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("lecture : %w", err)}
	}
	// Read as it comes (a small file does not allocate headTextBytes).
	first, err := io.ReadAll(io.LimitReader(text, headTextBytes))
	if err != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("lecture : %w", err)}
	}
	n := len(first)
	bom := frBOMLen(string(first[:min(n, 3)]))
	rest, comma, err := frSeparator(string(first[bom:n]))
	if err != nil {
		return nil, &ParseError{File: name, Line: 1, Err: err}
	}
	s.comma, s.skip = comma, int64(n-len(rest))
	return s, nil
}

// scanEncoding tells the encoding from the first bytes (zip, old Excel,
// UTF-16 with or without BOM) or, for the others, from a pass over the
// bytes: UTF-8 (with or without BOM), else Windows-1252, unless the file
// mixes both or holds a NUL byte.
func scanEncoding(ctx context.Context, head []byte, src *io.SectionReader) (*tableScan, error) {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, fmt.Errorf("%w : c'est un fichier zip ou Excel (.xlsx) ; enregistrez-le d'abord en CSV", ErrBinary)
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		return nil, fmt.Errorf("%w : c'est un ancien fichier Excel (.xls) ; enregistrez-le d'abord en CSV", ErrBinary)
	}
	if s := utf16Of(head); s != nil {
		return s, nil
	}
	var bs byteStats
	if err := scanChunks(ctx, io.NewSectionReader(src, 0, src.Size()), src.Size(), bs.add); err != nil {
		return nil, err
	}
	bom := bytes.HasPrefix(head, []byte("\xEF\xBB\xBF"))
	switch {
	case bs.nulLine > 0:
		return nil, &lineError{bs.nulLine, fmt.Errorf("%w : contenu binaire (octet NUL)", ErrBinary)}
	case bom && bs.invalidLine > 0:
		return nil, &lineError{bs.invalidLine, fmt.Errorf("%w : la marque d'ordre des octets (BOM) annonce de l'UTF-8 mais cette ligne n'est pas en UTF-8", ErrEncoding)}
	case bom:
		return &tableScan{encoding: "UTF-8 (BOM)"}, nil
	case bs.invalidLine == 0:
		return &tableScan{encoding: "UTF-8"}, nil
	case bs.sequences >= 3:
		return nil, &lineError{bs.invalidLine, fmt.Errorf(
			"%w : encodages mélangés : cette ligne n'est pas en UTF-8 mais la ligne %d l'est ; enregistrez de nouveau le fichier en UTF-8", ErrEncoding, bs.sequenceLine)}
	}
	return &tableScan{encoding: "Windows-1252", decode: func() transform.Transformer { return charmap.Windows1252.NewDecoder() },
		badText: "un octet n'est pas défini en Windows-1252 : ni UTF-8 ni Windows-1252", withLine: true}, nil
}

// utf16Of returns the scan of a UTF-16 file from its first bytes (a byte
// order mark, or sniffUTF16), nil for another encoding.
func utf16Of(head []byte) *tableScan {
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		return utf16Scan("UTF-16LE (BOM)", textunicode.LittleEndian, textunicode.ExpectBOM)
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		return utf16Scan("UTF-16BE (BOM)", textunicode.BigEndian, textunicode.ExpectBOM)
	}
	switch sniffUTF16(head) {
	case "UTF-16LE":
		return utf16Scan("UTF-16LE (no BOM)", textunicode.LittleEndian, textunicode.IgnoreBOM)
	case "UTF-16BE":
		return utf16Scan("UTF-16BE (no BOM)", textunicode.BigEndian, textunicode.IgnoreBOM)
	}
	return nil
}

// utf16Scan is the scan of a UTF-16 file, named enc ("UTF-16LE (BOM)"…).
func utf16Scan(enc string, order textunicode.Endianness, bom textunicode.BOMPolicy) *tableScan {
	bad := "la marque d'ordre des octets (BOM) annonce de l'UTF-16 mais le contenu n'en est pas"
	if bom == textunicode.IgnoreBOM {
		bad = fmt.Sprintf("le fichier ressemble à de l'%s sans marque d'ordre des octets, mais n'en est pas ; enregistrez-le en UTF-8", enc[:len("UTF-16LE")])
	}
	return &tableScan{encoding: enc, badText: bad,
		decode: func() transform.Transformer { return textunicode.UTF16(order, bom).NewDecoder() }}
}

// scanChunks calls fn on successive chunks of r, checking ctx between
// them. A chunk does not end inside a UTF-8 sequence: its first bytes
// start the next chunk (the last chunk may still end with a cut one).
// A file smaller than scanChunk is read in chunks of its size (size, at
// least 4 KiB): a two-line file does not allocate a megabyte per pass.
func scanChunks(ctx context.Context, r io.Reader, size int64, fn func([]byte)) error {
	chunk := int(min(max(size, 4<<10), scanChunk))
	buf := make([]byte, chunk+utf8.UTFMax)
	carry := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(r, buf[carry:carry+chunk])
		n += carry
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			if n > 0 {
				fn(buf[:n])
			}
			return nil
		}
		if err != nil {
			return err
		}
		keep := cutSequence(buf[:n])
		fn(buf[:n-keep])
		carry = copy(buf, buf[n-keep:n])
	}
}

// cutSequence returns how many bytes at the end of b are the start of a
// UTF-8 sequence that b cuts.
func cutSequence(b []byte) int {
	for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < utf8.RuneSelf {
			return 0
		}
		if c >= 0xC0 { // a lead byte
			if utf8.FullRune(b[len(b)-k:]) {
				return 0
			}
			return k
		}
	}
	return 0
}

// byteStats is what the encoding pass learns of the raw bytes: the line
// of the first NUL byte, of the first byte that is not UTF-8, and the
// number of valid multi-byte UTF-8 sequences with the line of the first.
type byteStats struct {
	line         int // newlines seen
	nulLine      int
	invalidLine  int
	sequences    int
	sequenceLine int
}

// add scans one chunk (scanChunks: not cut inside a sequence).
func (b *byteStats) add(chunk []byte) {
	for i := 0; i < len(chunk); {
		c := chunk[i]
		if c < utf8.RuneSelf {
			switch c {
			case '\n':
				b.line++
			case 0:
				if b.nulLine == 0 {
					b.nulLine = b.line + 1
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(chunk[i:])
		if r == utf8.RuneError && size <= 1 {
			if b.invalidLine == 0 {
				b.invalidLine = b.line + 1
			}
		} else {
			if b.sequences == 0 {
				b.sequenceLine = b.line + 1
			}
			b.sequences++
		}
		i += size
	}
}

// textStats is what the text pass learns of the decoded text.
type textStats struct {
	checkDecoded bool // a decoded text (UTF-16, Windows-1252): U+FFFD or NUL mean it is not
	bad          bool // U+FFFD or NUL in decoded text
	badLine      int
	offset       int64 // decoded bytes seen
	quoted       bool
	pendingCR    bool // an unquoted '\r' ended the previous chunk
	lf, cr       int  // unquoted '\n', unquoted lone '\r'
	nonSpace     bool
	bomLine      int // line of a U+FEFF after the start
	// Physical lines and their longest length, split by '\n' (unix) or
	// by '\n' and unquoted '\r' (mac).
	unix, macLines lineLengths
}

// lineLengths tracks lines and the first one longer than MaxLineBytes.
type lineLengths struct {
	line, length int // current line (0-based) and its length so far
	longLine     int // 1-based line of the first long line, 0 if none
	longLen      int
}

func (l *lineLengths) step(brk bool) {
	if brk {
		l.end()
		l.line++
		l.length = 0
		return
	}
	l.length++
}

func (l *lineLengths) end() {
	if l.length > MaxLineBytes && l.longLine == 0 {
		l.longLine, l.longLen = l.line+1, l.length
	}
}

// scan reads the whole decoded text, of a file of size bytes.
func (t *textStats) scan(ctx context.Context, text io.Reader, size int64, s *tableScan) error {
	err := scanChunks(ctx, text, size, t.add)
	if isContextErr(err) {
		return err
	}
	if err != nil || t.bad {
		err := fmt.Errorf("%w : %s", ErrEncoding, s.badText)
		if s.withLine && t.badLine > 0 {
			return &lineError{t.badLine, err}
		}
		return err
	}
	t.unix.end()
	t.macLines.end()
	return nil
}

func (t *textStats) add(chunk []byte) {
	for i := 0; i < len(chunk); i++ {
		c := chunk[i]
		if t.pendingCR {
			t.pendingCR = false
			if c != '\n' {
				t.cr++
			}
		}
		switch {
		case c == '"':
			t.quoted = !t.quoted
		case c == '\n' && !t.quoted:
			t.lf++
		case c == '\r' && !t.quoted:
			t.pendingCR = true
		}
		t.unix.step(c == '\n')
		t.macLines.step(c == '\n' || (c == '\r' && !t.quoted))
		switch {
		case c == 0 && t.checkDecoded:
			t.setBad()
		case c >= utf8.RuneSelf:
			t.rune(chunk[i:], t.offset+int64(i))
		case !t.nonSpace && !unicode.IsSpace(rune(c)):
			t.nonSpace = true
		}
	}
	t.offset += int64(len(chunk))
}

// rune looks at the multi-byte character starting at b[0], at offset
// pos of the text: U+FEFF after the start, U+FFFD in a decoded text, a
// non-space character.
func (t *textStats) rune(b []byte, pos int64) {
	if b[0] < 0xC0 {
		return // continuation byte
	}
	r, _ := utf8.DecodeRune(b)
	switch {
	case r == '\uFEFF' && pos > 0:
		if t.bomLine == 0 {
			t.bomLine = t.unix.line + 1
		}
	case r == utf8.RuneError && t.checkDecoded:
		t.setBad()
	case r != '\uFEFF' && !unicode.IsSpace(r):
		t.nonSpace = true
	}
}

func (t *textStats) setBad() {
	if !t.bad {
		t.bad, t.badLine = true, t.unix.line+1
	}
}

// verdict refuses an empty text, a byte order mark after the start and
// too long lines, and sets whether the text has old Mac line ends: no
// line outside quotes ends with '\n' and some with '\r' alone.
func (t *textStats) verdict(s *tableScan) error {
	if t.pendingCR {
		t.cr++
	}
	s.mac = t.lf == 0 && t.cr > 0
	s.lineEnds = t.lf
	if s.mac {
		s.lineEnds = t.cr
	}
	lines := t.unix
	if s.mac {
		lines = t.macLines
	}
	switch {
	case !t.nonSpace:
		return fmt.Errorf("%w : le fichier est vide", ErrEmptyFile)
	case t.bomLine > 0:
		return &lineError{t.bomLine, fmt.Errorf("%w : marque d'ordre des octets (U+FEFF) au milieu du fichier ; deux fichiers ont-ils été mis bout à bout ?", ErrEncoding)}
	case lines.longLine > 0:
		return &lineError{lines.longLine, fmt.Errorf("%w : ligne de plus de 1 Mio (%d octets)", ErrTooLarge, lines.longLen)}
	}
	return nil
}

// macLineEnds is the transformer that turns old Mac line ends ('\r'
// alone, outside quotes) into '\n'; line breaks inside quoted fields are
// kept as they are.
type macLineEnds struct{ quoted bool }

func (m *macLineEnds) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	n := min(len(dst), len(src))
	for i := range n {
		c := src[i]
		switch {
		case c == '"':
			m.quoted = !m.quoted
		case c == '\r' && !m.quoted:
			c = '\n'
		}
		dst[i] = c
	}
	if n < len(src) {
		err = transform.ErrShortDst
	}
	return n, n, err
}

func (m *macLineEnds) Reset() { m.quoted = false }
