package data

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// WithContext returns r wrapped so that the loaders of this package stop
// once ctx is done: every read fails with ctx's error, and the loaders
// check ctx between rows and features (so Ctrl-C stops a load within a
// second even after the file is read). The loaders' signatures stay
// free of a context; they find it on the reader (ContextOf).
//
// A read blocked on a pipe or a FIFO that nothing writes to is ended too:
// when ctx is done, the read deadline of such a file is set to now.
func WithContext(ctx context.Context, r io.Reader) io.Reader {
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
			context.AfterFunc(ctx, func() { f.SetReadDeadline(time.Now()) })
		}
	}
	return &ctxReader{ctx: ctx, r: r}
}

// ctxReader is the reader of WithContext.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	if err != nil && c.ctx.Err() != nil {
		return n, c.ctx.Err() // e.g. the deadline WithContext set
	}
	return n, err
}

// Stat passes on the size of the file underneath, when it has one, so
// that checkSize still refuses a large file before reading it.
func (c *ctxReader) Stat() (fs.FileInfo, error) {
	if s, ok := c.r.(statReader); ok {
		return s.Stat()
	}
	return nil, errors.New("informations sur le fichier indisponibles")
}

// keepContext returns wrapped (a reader over r, e.g. a bufio.Reader)
// carrying the context of r, if any.
func keepContext(r, wrapped io.Reader) io.Reader {
	if c, ok := r.(*ctxReader); ok {
		return &ctxReader{ctx: c.ctx, r: wrapped}
	}
	return wrapped
}

// ContextOf returns the context carried by r (WithContext), or
// context.Background().
func ContextOf(r io.Reader) context.Context {
	if c, ok := r.(*ctxReader); ok {
		return c.ctx
	}
	return context.Background()
}

// checkEvery is how many rows or features a loader reads between two
// checks of its context.
const checkEvery = 1024

// isContextErr tells a context's cancellation or deadline, which the
// loaders return as they are (the command maps them to its exit codes).
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Open opens the named file for reading, as os.Open does, but gives up
// with ctx's error once ctx is done: open(2) of a FIFO blocks until a
// writer opens it, which Ctrl-C could not end. A FIFO is therefore opened
// in a goroutine; when ctx ends first, Open returns ctx's error at once,
// and the pending open is ended by opening and closing the FIFO's write
// end (non-blocking), then the file it gives is closed. The write end
// opens only while a reader is there: when ctx ends before the goroutine
// has entered open(2), the first try fails (ENXIO), so it is tried again
// every fifoRetry until the goroutine's open has returned; once was not
// enough, and the open, pending for ever, took the bytes of the FIFO's
// next writer.
func Open(ctx context.Context, name string) (*os.File, error) {
	if fi, err := os.Stat(name); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
		return os.Open(name)
	}
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(name)
		done <- opened{f, err}
	}()
	select {
	case o := <-done:
		return o.f, o.err
	case <-ctx.Done():
		go func() {
			for {
				if w, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					w.Close()
				}
				select {
				case o := <-done:
					if o.f != nil {
						o.f.Close()
					}
					return
				case <-time.After(fifoRetry):
				}
			}
		}()
		return nil, ctx.Err()
	}
}

// fifoRetry is how often Open tries again to end the pending open of a
// FIFO after its context ended.
const fifoRetry = 5 * time.Millisecond
