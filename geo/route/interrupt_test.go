package route

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"testing"
)

// cancelAfter is a reader that cancels its context once n bytes were read.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	if c.n -= k; c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// TestReadPBFInterrupted: a context cancelled before the read, or while
// the extract is half read (Ctrl-C during the --osm graph build), makes
// ReadPBF return context.Canceled and no graph (osmpbf's Scan may stop
// on a done context without an error of its own: ReadPBF checks ctx).
func TestReadPBFInterrupted(t *testing.T) {
	raw, err := os.ReadFile(monacoPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int{0, len(raw) / 2} {
		ctx, cancel := context.WithCancel(context.Background())
		if at == 0 {
			cancel()
		}
		g, _, err := ReadPBF(ctx, &cancelAfter{r: bytes.NewReader(raw), n: at, cancel: cancel})
		cancel()
		if !errors.Is(err, context.Canceled) || g != nil {
			t.Errorf("cancelled after %d bytes: graph %v, err %v; want no graph and context.Canceled", at, g != nil, err)
		}
	}
}
