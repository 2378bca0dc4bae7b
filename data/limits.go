package data

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
)

// The limits the readers apply: MaxFileBytes, MaxRows and MaxSites, kept in
// variables so that tests can lower them instead of generating gigabytes.
var (
	maxFileBytes int64 = MaxFileBytes
	maxRows            = MaxRows
	maxSites           = MaxSites
)

// statReader is a reader that knows its size, as *os.File and fs.File do.
type statReader interface {
	Stat() (fs.FileInfo, error)
}

// checkSize refuses, before reading it, an input whose size is known and
// larger than maxFileBytes.
func checkSize(name string, r io.Reader) error {
	if s, ok := r.(statReader); ok {
		if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > maxFileBytes {
			return tooLarge(name, fi.Size())
		}
	}
	return nil
}

// readAllLimited reads r whole, within maxFileBytes: a file known to be
// larger is refused before any read, and a stream is refused as soon as
// it goes past the limit, so at most maxFileBytes+1 bytes are held. A NUL
// byte in the first headBytes of a text that is not UTF-16 refuses the
// input at once (binary data, or /dev/zero: nothing more is read).
func readAllLimited(name string, r io.Reader) ([]byte, error) {
	if err := checkSize(name, r); err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, headBytes)
	head, _ := br.Peek(headBytes)
	if err := checkHead(head); err != nil {
		return nil, withFile(name, err)
	}
	raw, err := io.ReadAll(io.LimitReader(br, maxFileBytes+1))
	if err != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("lecture : %w", err)}
	}
	if int64(len(raw)) > maxFileBytes {
		return nil, tooLarge(name, -1)
	}
	return raw, nil
}

// headBytes is how much of an input checkHead looks at before reading on.
const headBytes = 64 << 10

// checkHead refuses the first bytes of an input holding a NUL byte,
// unless they are UTF-16 text (with or without a byte order mark) or a
// zip/old Excel file, which decodeText names.
func checkHead(head []byte) error {
	i := bytes.IndexByte(head, 0)
	if i < 0 || bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")) ||
		bytes.HasPrefix(head, []byte("\xFF\xFE")) || bytes.HasPrefix(head, []byte("\xFE\xFF")) || sniffUTF16(head) != "" {
		return nil
	}
	return &lineError{1 + bytes.Count(head[:i], []byte("\n")), fmt.Errorf("%w : contenu binaire (octet NUL)", ErrBinary)}
}

// sniffUTF16 tells UTF-16 text without a byte order mark from its first
// bytes: in French text nearly every character is below U+0100, so one
// byte of each pair is 0: the odd ones in little-endian ("UTF-16LE"),
// the even ones in big-endian ("UTF-16BE"). It returns "" otherwise.
func sniffUTF16(head []byte) string {
	n := min(len(head), 1024) &^ 1
	if n < 8 {
		return ""
	}
	var zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			zeroEven++
		}
		if head[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case zeroOdd*10 >= pairs*8 && zeroEven*10 <= pairs:
		return "UTF-16LE"
	case zeroEven*10 >= pairs*8 && zeroOdd*10 <= pairs:
		return "UTF-16BE"
	}
	return ""
}

// tooLarge is the error of a file beyond maxFileBytes (size -1: unknown).
func tooLarge(name string, size int64) error {
	limit := fmt.Sprintf("%d octets", maxFileBytes)
	if maxFileBytes%(1<<30) == 0 {
		limit = fmt.Sprintf("%d Gio", maxFileBytes>>30)
	}
	if size < 0 {
		return &ParseError{File: name, Err: fmt.Errorf("%w : fichier de plus de %s", ErrTooLarge, limit)}
	}
	return &ParseError{File: name, Err: fmt.Errorf("%w : fichier de %d octets, plus de %s", ErrTooLarge, size, limit)}
}
