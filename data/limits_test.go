package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// lowerLimits sets the file-size and row limits for the test.
func lowerLimits(t *testing.T, bytes int64, rows int) {
	oldBytes, oldRows := maxFileBytes, maxRows
	maxFileBytes, maxRows = bytes, rows
	t.Cleanup(func() { maxFileBytes, maxRows = oldBytes, oldRows })
}

func TestLimitDefaults(t *testing.T) {
	if maxFileBytes != 2<<30 || maxRows != 10_000_000 || MaxLineBytes != 1<<20 {
		t.Errorf("limits %d bytes, %d rows, %d bytes a line; the README documents 2 GiB, 10,000,000 and 1 MiB",
			maxFileBytes, maxRows, MaxLineBytes)
	}
}

// TestMaxRows: with the row limit lowered to 3, three data rows (and a
// blank line) are read and a fourth is refused with its line.
func TestMaxRows(t *testing.T) {
	lowerLimits(t, MaxFileBytes, 3)
	in := "code_insee;x\n23001;1\n\n23002;2\n23003;3\n"
	tab, err := ReadTable("r.csv", strings.NewReader(in))
	if err != nil || len(tab.Records) != 3 {
		t.Fatalf("3 rows: %v", err)
	}
	_, err = ReadTable("r.csv", strings.NewReader(in+"23004;4\n"))
	checkParseError(t, err, ErrTooLarge, "r.csv:6: entrée au-delà des limites : plus de 3 lignes", "r.csv", 6)
}

// TestMaxFileBytes: with the limit lowered to 100 bytes, every reader
// accepts a 100-byte input up to its own checks and refuses 101 bytes.
func TestMaxFileBytes(t *testing.T) {
	lowerLimits(t, 100, MaxRows)
	csv100 := "id,nom,type,latitude,longitude\na,Mairie,cnfs,46.34908,2.216669\n" + strings.Repeat(" ", 37)
	json100 := `{"type":"FeatureCollection","features":[]}` + strings.Repeat(" ", 58)
	if len(csv100) != 100 || len(json100) != 100 {
		t.Fatal(len(csv100), len(json100))
	}
	readers := map[string]func(r io.Reader) error{
		"ReadTable":        func(r io.Reader) error { _, err := ReadTable("f", r); return err },
		"LoadSites":        func(r io.Reader) error { _, _, err := LoadSites("f", r, SitesOptions{}); return err },
		"loadSitesGeoJSON": func(r io.Reader) error { _, _, err := loadSitesGeoJSON("f", r, SitesOptions{}); return err },
		"ReadFeatures": func(r io.Reader) error {
			return ReadFeatures("f", r, func(int, int, json.RawMessage) error { return nil })
		},
		"ReadJSONArray": func(r io.Reader) error {
			return ReadJSONArray("f", r, func(int, int, json.RawMessage) error { return nil })
		},
	}
	for name, read := range readers {
		for _, in := range []string{csv100, json100} {
			if err := read(strings.NewReader(in)); errors.Is(err, ErrTooLarge) {
				t.Errorf("%s refuses 100 bytes: %v", name, err)
			}
			err := read(strings.NewReader(in + " "))
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "f: entrée au-delà des limites : fichier") || !strings.Contains(err.Error(), "plus de 100 octets") {
				t.Errorf("%s on 101 bytes: %v", name, err)
			}
		}
	}
}

// TestHugeFileRefusedUnread: a sparse file of 2 GiB + 1 byte (no disk
// space used) is refused from its size, without being read, by the CSV
// and the GeoJSON readers.
func TestHugeFileRefusedUnread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(MaxFileBytes + 1); err != nil {
		t.Skip("cannot make a sparse file:", err)
	}
	want := "huge.csv: entrée au-delà des limites : fichier de 2147483649 octets, plus de 2 Gio"
	for name, read := range map[string]func() error{
		"ReadTable": func() error { _, err := ReadTable("huge.csv", f); return err },
		"LoadSites": func() error { _, _, err := LoadSites("huge.csv", f, SitesOptions{}); return err },
		"ReadFeatures": func() error {
			return ReadFeatures("huge.csv", f, func(int, int, json.RawMessage) error { return nil })
		},
	} {
		start := time.Now()
		err := read()
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v\nwant %s", name, err, want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s took %v: the file was read", name, d)
		}
		if off, _ := f.Seek(0, io.SeekCurrent); off != 0 {
			t.Errorf("%s read %d bytes", name, off)
		}
	}
}

// unreadable is a file of 3 GiB that fails the test if it is read.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("the file was read")
	return 0, io.EOF
}

func (u unreadable) Stat() (fs.FileInfo, error) { return bigInfo{}, nil }

type bigInfo struct{ fs.FileInfo }

func (bigInfo) Size() int64       { return 3 << 30 }
func (bigInfo) Mode() fs.FileMode { return 0o644 }

func TestSizedReaderRefusedUnread(t *testing.T) {
	_, err := ReadTable("big.csv", unreadable{t})
	checkParseError(t, err, ErrTooLarge, "big.csv: entrée au-delà des limites : fichier de 3221225472 octets, plus de 2 Gio", "big.csv", 0)
}

// TestMaxSites: with the sites limit lowered to 2, a CSV or GeoJSON file
// of 2 sites loads and one of 3 is refused, naming the line of the third.
func TestMaxSites(t *testing.T) {
	old := maxSites
	maxSites = 2
	t.Cleanup(func() { maxSites = old })
	csv := "id,nom,type,latitude,longitude\na,A,cnfs,46.1,1.9\nb,B,cnfs,46.2,1.9\n"
	if s, _, err := LoadSites("s.csv", strings.NewReader(csv), SitesOptions{}); err != nil || len(s) != 2 {
		t.Fatalf("2 sites: %d, %v", len(s), err)
	}
	_, _, err := LoadSites("s.csv", strings.NewReader(csv+"c,C,cnfs,46.3,1.9\n"), SitesOptions{})
	checkParseError(t, err, ErrTooLarge, "s.csv:4: entrée au-delà des limites : plus de 2 lieux dans un même fichier", "s.csv", 4)
	feature := func(id string) string {
		return `{"type":"Feature","geometry":{"type":"Point","coordinates":[1.9,46.1]},"properties":{"id":"` + id + `","nom":"` + id + `","type":"cnfs"}}`
	}
	gj := "{\"type\":\"FeatureCollection\",\"features\":[\n" + feature("a") + ",\n" + feature("b") + ",\n" + feature("c") + "]}"
	_, _, err = LoadSites("s.geojson", strings.NewReader(gj), SitesOptions{})
	checkParseError(t, err, ErrTooLarge, "s.geojson:4: entrée au-delà des limites : plus de 2 lieux dans un même fichier", "s.geojson", 4)
}

// TestMaxColumns: a row of MaxColumns columns is read, one more is refused.
func TestMaxColumns(t *testing.T) {
	header := "code_insee" + strings.Repeat(";x", MaxColumns-1) + "\n"
	if _, err := ReadTable("c.csv", strings.NewReader(header+"23001"+strings.Repeat(";1", MaxColumns-1)+"\n")); err != nil {
		t.Fatal(err)
	}
	_, err := ReadTable("c.csv", strings.NewReader(header+"23001"+strings.Repeat(";1", MaxColumns)+"\n"))
	checkParseError(t, err, ErrTooLarge, "c.csv:2: entrée au-delà des limites : 1001 colonnes, plus de 1000", "c.csv", 2)
}

// zeros is an endless stream of octet NULs, like /dev/zero, counting what
// was read from it.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// TestNULRefusedAtOnce: a stream starting with octet NULs is refused after
// its first bytes (headBytes and the reader's buffer), not read up to the
// 2 GiB limit; /dev/zero too when the system has it.
func TestNULRefusedAtOnce(t *testing.T) {
	for _, load := range []func(io.Reader) error{
		func(r io.Reader) error { _, _, err := LoadSites("z.csv", r, SitesOptions{}); return err },
		func(r io.Reader) error { _, _, err := LoadSites("z.geojson", r, SitesOptions{}); return err },
		func(r io.Reader) error { _, err := LoadIndicatorsCSV("z.csv", r, NewIndicators()); return err },
	} {
		z := &zeros{}
		if err := load(z); !errors.Is(err, ErrBinary) || !strings.Contains(err.Error(), "contenu binaire (octet NUL)") {
			t.Errorf("err = %v, want a binary-content error", err)
		}
		if z.n > 2*headBytes {
			t.Errorf("%d bytes read before refusing", z.n)
		}
	}
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip("no /dev/zero")
	}
	defer f.Close()
	if _, _, err := LoadSites("/dev/zero", f, SitesOptions{}); !errors.Is(err, ErrBinary) {
		t.Errorf("/dev/zero: %v", err)
	}
}

// TestSniffUTF16: UTF-16 without a byte order mark is recognised in both
// byte orders, and French text in UTF-8 or Windows-1252 is not.
func TestSniffUTF16(t *testing.T) {
	text := "id;nom;type\nfs-1;Mairie de Guéret;france-services\n"
	le, be := utf16Bytes(text, false), utf16Bytes(text, true)
	for _, tc := range []struct {
		in   []byte
		want string
	}{{le, "UTF-16LE"}, {be, "UTF-16BE"}, {[]byte(text), ""}, {[]byte("Gu\xe9ret;Ch\xe2teau;\xe9t\xe9\n"), ""}, {make([]byte, 100), ""}} {
		if got := sniffUTF16(tc.in); got != tc.want {
			t.Errorf("sniffUTF16(%q…) = %q, want %q", tc.in[:8], got, tc.want)
		}
	}
	tab, err := ReadTable("u.csv", bytes.NewReader(le))
	if err != nil || tab.Encoding != "UTF-16LE (no BOM)" || tab.Records[0].Fields[1] != "Mairie de Guéret" {
		t.Errorf("UTF-16LE without BOM: %+v, %v", tab, err)
	}
}

// utf16Bytes encodes ASCII and Latin-1 text as UTF-16 without a BOM.
func utf16Bytes(s string, bigEndian bool) []byte {
	var b []byte
	for _, r := range s {
		if bigEndian {
			b = append(b, byte(r>>8), byte(r))
		} else {
			b = append(b, byte(r), byte(r>>8))
		}
	}
	return b
}
