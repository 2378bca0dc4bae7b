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
