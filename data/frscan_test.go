package data

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"diagnum/internal/testlong"
)

// TestReadTableChunkBoundaries: the first pass reads 1 MiB at a time; a
// character cut by a chunk's end, a Mac line end or a byte order mark
// past the first chunk are read as in a file read whole.
func TestReadTableChunkBoundaries(t *testing.T) {
	pad := func(prefix string, at int) string { // a field that ends at offset at
		return prefix + strings.Repeat("x", at-len(prefix))
	}
	head := "a;b\n1;"
	tests := []struct {
		name, input, enc, errText string
		line                      int
	}{
		{"é cut by the chunk", pad(head, scanChunk-1) + "é;\n2;y\n", "UTF-8", "", 0},
		{"Windows-1252 é at the chunk end", pad(head, scanChunk-1) + "\xE9\n2;y\n", "Windows-1252", "", 0},
		{"BOM past the first chunk", pad(head, scanChunk+10) + "\n\uFEFFa;b\n", "", "marque d'ordre des octets", 3},
		{"Mac line ends across chunks", "a;b\r" + strings.Repeat("1;xxxxxxxxxxxxxxxx\r", scanChunk/19+100) + "2;y\r", "UTF-8", "", 0},
		// A small file is read in chunks of its own size; decoded, its
		// text is twice as long, so an é is cut by the decoded pass.
		{"Windows-1252 text longer than its file", head + strings.Repeat("\xE9", 6001) + "\n2;y\n", "Windows-1252", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ReadTable("c.csv", strings.NewReader(tt.input))
			if tt.errText != "" {
				checkParseError(t, err, ErrEncoding, tt.errText, "c.csv", tt.line)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tt.enc || len(tab.Records) < 2 || tab.Records[len(tab.Records)-1].Fields[0] == "" {
				t.Fatalf("encoding %q, %d records; want %q", tab.Encoding, len(tab.Records), tt.enc)
			}
			if f := tab.Records[0].Fields[1]; !strings.HasSuffix(f, "x") && !strings.HasSuffix(f, "é") {
				t.Errorf("first row's field ends with %q", f[len(f)-5:])
			}
		})
	}
}

// TestSmallTableAllocatesLittle: reading a two-line file allocates about
// what it holds, not the 1 MiB chunks and 2 MiB header buffer of a large
// file (4.2 MB a read before: every small user file and every fuzz input
// paid it).
func TestSmallTableAllocatesLittle(t *testing.T) {
	in := "id;nom\na;A\n"
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	const n = 10
	for range n {
		if _, err := ReadTable("t.csv", strings.NewReader(in)); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&m1)
	if per := (m1.TotalAlloc - m0.TotalAlloc) / n; per > 256<<10 {
		t.Errorf("reading a two-line table allocates %d bytes, want under 256 KiB", per)
	}
}

// TestOpenTableStreams: a 40 MB file is read row by row: the live heap
// stays far below the file's size (reading it whole, as ReadTable did,
// holds 40 MB and more).
func TestOpenTableStreams(t *testing.T) {
	testlong.Skip(t, "")
	path := filepath.Join(t.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "id;nom;latitude;longitude")
	const rows = 400_000
	for i := range rows {
		fmt.Fprintf(w, "s%d;Lieu numéro %d, une médiathèque de quartier;46,%06d;2,%06d\n", i, i, i, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	f.Close()
	tr, err := OpenTable(path, openFile(t, path))
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	peak, n := uint64(0), 0
	for {
		_, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n++; n%20_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if n != rows {
		t.Fatalf("%d rows, want %d", n, rows)
	}
	if limit := uint64(fi.Size()) / 8; peak > limit {
		t.Errorf("live heap %d bytes while reading a %d-byte file; want under %d", peak, fi.Size(), limit)
	}
}

// atOnlyReader is a file-like reader (ReadAt and Seek) that counts the
// bytes read through Read, the path of a reader read whole.
type atOnlyReader struct {
	*bytes.Reader
	read int
}

func (a *atOnlyReader) Read(p []byte) (int, error) {
	n, err := a.Reader.Read(p)
	a.read += n
	return n, err
}

// TestLoadSitesReadsAtOffsets: LoadSites on a file (a reader at offsets)
// sniffs the format and parses the CSV without reading the file through
// Read, the path that holds it whole; through WithContext too.
func TestLoadSitesReadsAtOffsets(t *testing.T) {
	in := "id,nom,type,latitude,longitude\na,Mairie,cnfs,46.34908,2.216669\nb,Poste,cnfs,46.17,1.87\n"
	for _, wrap := range []bool{false, true} {
		f := &atOnlyReader{Reader: bytes.NewReader([]byte(in))}
		var r io.Reader = f
		if wrap {
			r = WithContext(context.Background(), f)
		}
		sites, _, err := LoadSites("s.csv", r, SitesOptions{})
		if err != nil || len(sites) != 2 {
			t.Fatalf("%d sites, %v", len(sites), err)
		}
		if f.read != 0 {
			t.Errorf("WithContext %v: %d bytes read through Read; want the file read at offsets only", wrap, f.read)
		}
	}
}
