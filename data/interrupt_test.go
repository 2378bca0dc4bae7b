package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cancelAtEOF is a reader over b that cancels its context when it
// reaches the end: the loader has every byte, and must notice the
// cancellation while it parses the rows or features.
type cancelAtEOF struct {
	r      *bytes.Reader
	cancel context.CancelFunc
}

func (c *cancelAtEOF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		c.cancel()
	}
	return n, err
}

// TestLoadInterrupted: a load stops with context.Canceled when its
// context is cancelled before reading, and when it is cancelled once the
// file is read, while the rows (CSV) or features (GeoJSON) are parsed.
func TestLoadInterrupted(t *testing.T) {
	csv, gj := sitesFixture(5000)
	for name, in := range map[string][]byte{"s.csv": csv, "s.geojson": gj} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, _, err := LoadSites(name, WithContext(ctx, bytes.NewReader(in)), SitesOptions{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s, cancelled before: err = %v", name, err)
		}
		ctx, cancel = context.WithCancel(context.Background())
		r := WithContext(ctx, &cancelAtEOF{bytes.NewReader(in), cancel})
		if _, _, err := LoadSites(name, r, SitesOptions{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s, cancelled at the end of the file: err = %v", name, err)
		}
		if s, _, err := LoadSites(name, WithContext(context.Background(), bytes.NewReader(in)), SitesOptions{}); err != nil || len(s) != 5000 {
			t.Errorf("%s, not cancelled: %d sites, %v", name, len(s), err)
		}
	}
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

// TestMacLineEndsQuotedBreak: a file with '\r' line ends and a line
// break inside a quoted name reads as two rows, the break kept.
func TestMacLineEndsQuotedBreak(t *testing.T) {
	in := "id,nom,type,latitude,longitude\r" +
		"a,\"Mairie\nsalle 2\",cnfs,46.17,1.87\r" +
		"b,Médiathèque,cnfs,46.2,1.9\r"
	tab, err := ReadTable("m.csv", strings.NewReader(in))
	if err != nil || len(tab.Records) != 2 || tab.Records[0].Fields[1] != "Mairie\nsalle 2" || tab.Records[1].Line != 4 {
		t.Fatalf("records %+v, %v", tab, err)
	}
}

// TestOpenFIFOInterrupted: opening a FIFO that no one writes to blocks in
// open(2); Open returns context.Canceled soon after the context ends, and
// its pending open is freed (no goroutine of Open is left behind), also
// when the context ends before that goroutine has entered open(2) (the
// case that once hung the suite: the first try to free it found no reader
// yet, and the open, pending for ever, took the next writer's bytes).
// With a writer, Open gives the FIFO's bytes.
func TestOpenFIFOInterrupted(t *testing.T) {
	dir := t.TempDir()
	for i, delay := range []time.Duration{100 * time.Millisecond, 0} {
		fifo := filepath.Join(dir, fmt.Sprintf("lieux-%d.csv", i))
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("no FIFO here:", err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if delay == 0 {
			cancel() // before Open's goroutine can reach open(2)
		} else {
			time.AfterFunc(delay, cancel)
		}
		start := time.Now()
		f, err := Open(ctx, fifo)
		if !errors.Is(err, context.Canceled) || f != nil {
			t.Fatalf("delay %v: Open = %v, %v; want context.Canceled", delay, f, err)
		}
		if d := time.Since(start); d > delay+3*time.Second {
			t.Errorf("delay %v: Open returned %v after its start, want soon after the cancellation", delay, d)
		}
		for deadline := time.Now().Add(10 * time.Second); openPending(); {
			if time.Now().After(deadline) {
				t.Fatalf("delay %v: 10 s after Open gave up, its open(2) of the FIFO is still pending", delay)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}

	fifo := filepath.Join(dir, "lieux.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			w.WriteString("id,nom\n")
			w.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f, err := Open(ctx, fifo) // the deadline fails the test if the writer never comes
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, err := io.ReadAll(f); err != nil || string(b) != "id,nom\n" {
		t.Errorf("read %q, %v", b, err)
	}
}

// openPending tells whether a goroutine of Open (its open(2) of a FIFO,
// or the one that ends it) is still running: the goroutines' stacks are
// searched, since their count moves with the other tests' goroutines.
func openPending() bool {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return bytes.Contains(buf[:n], []byte("diagnum/data.Open.func"))
		}
		buf = make([]byte, 2*len(buf))
	}
}
