package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// outputs writes the files of one run all or nothing. write puts each
// file in a temporary file "."+base+".tmp-*" beside its target (synced,
// with the permissions of the file it will replace, 0644 otherwise);
// commit renames them all over their targets once every file is written;
// abort, deferred by the caller, removes the temporary files left. So an
// error or a cancellation before commit creates or changes no output
// file, and leaves no temporary file behind.
//
// Writes check ctx: once it is cancelled (Ctrl-C, SIGTERM) the next
// write fails with ctx's error. Path "-" is standard output: its bytes
// are kept in memory and written by commit, so a failed run prints
// nothing there either.
type outputs struct {
	ctx     context.Context
	stdout  io.Writer
	pending []pendingFile
	std     *bytes.Buffer // what "-" receives, nil when unused
}

type pendingFile struct{ tmp, path string }

func newOutputs(ctx context.Context, stdout io.Writer) *outputs {
	return &outputs{ctx: ctx, stdout: stdout}
}

// write writes path through fn into a temporary file (or the buffer of
// standard output).
func (s *outputs) write(path string, fn func(io.Writer) error) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	if path == "-" {
		if s.std == nil {
			s.std = new(bytes.Buffer)
		}
		return fn(ctxWriter{s.ctx, s.std})
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	s.pending = append(s.pending, pendingFile{f.Name(), path})
	err = f.Chmod(outputMode(path))
	if err == nil {
		err = fn(ctxWriter{s.ctx, f})
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// commit renames every temporary file over its target, then writes the
// standard-output buffer. It refuses when ctx is already cancelled.
func (s *outputs) commit() error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	for len(s.pending) > 0 {
		p := s.pending[0]
		if err := os.Rename(p.tmp, p.path); err != nil {
			return fmt.Errorf("write %s: %w", p.path, err)
		}
		s.pending = s.pending[1:]
	}
	if s.std != nil {
		if _, err := s.std.WriteTo(s.stdout); err != nil {
			return fmt.Errorf("write standard output: %w", err)
		}
	}
	return nil
}

// abort removes the temporary files not committed; it is a no-op after a
// successful commit.
func (s *outputs) abort() error {
	var errs []error
	for _, p := range s.pending {
		if err := os.Remove(p.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	s.pending = nil
	return errors.Join(errs...)
}

// outputMode returns the permissions of the existing file at path, or 0644.
func outputMode(path string) os.FileMode {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return fi.Mode().Perm()
	}
	return 0o644
}

// ctxWriter fails every write once ctx is done, so that a long report
// stops at its next write after Ctrl-C.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
