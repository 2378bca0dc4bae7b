package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"diagnum/diag/report"
	"diagnum/diag/report/htmlreport"
)

// outputs writes the files of one run all or nothing. write puts each
// file in a temporary file beside its target (tempPattern: the target's
// name, "tmp-diagnum" and the process id; synced, with the permissions of
// the file it will replace, 0644 otherwise); commit renames them all over
// their targets once every file is written, keeping the old versions
// (hard links, or renamed aside) until every rename succeeded, so that a
// failed rename puts back the files already replaced; abort, deferred by
// the caller, removes the temporary files left. So an error or a
// cancellation before commit creates or changes no output file, and
// leaves no temporary file behind.
//
// Writes check ctx: once it is cancelled (Ctrl-C, SIGTERM, SIGHUP) the
// next write fails with ctx's error. Path "-" is standard output: its
// bytes are kept in memory and written by commit, so a failed run prints
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

// Temporary files of a run are named "."+base+"."+kind+"-diagnum-"+pid+"-"
// and a random number, kind "tmp" for a new file being written and "old"
// for the previous version kept during commit; removeLeftovers
// recognises them by this pattern.
const (
	tmpKind = "tmp"
	oldKind = "old"
)

// tempPattern returns the os.CreateTemp pattern of a temporary file of
// kind for base, carrying the process id.
func tempPattern(base, kind string) string {
	return "." + base + "." + kind + "-diagnum-" + strconv.Itoa(os.Getpid()) + "-*"
}

// createTemp creates a temporary file of kind beside path (tempPattern).
func createTemp(path, kind string) (*os.File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	return os.CreateTemp(dir, tempPattern(base, kind))
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
	f, err := createTemp(path, tmpKind)
	if err != nil {
		return fmt.Errorf("écriture de %s : %w", path, err)
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
		return fmt.Errorf("écriture de %s : %w", path, err)
	}
	return nil
}

// replaced is a target already renamed over by commit: old is where its
// previous version is kept ("" when the target did not exist).
type replaced struct{ path, old string }

// commit renames every temporary file over its target, then writes the
// standard-output buffer. It refuses when ctx is already cancelled. When
// a rename fails, the targets already replaced get their previous version
// back (or are removed when they did not exist), so that no output has
// changed.
func (s *outputs) commit() error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	var done []replaced
	for _, p := range s.pending {
		old, err := keepOld(p.path)
		if err == nil {
			err = os.Rename(p.tmp, p.path)
			if err != nil && old != "" {
				os.Remove(old)
			}
		}
		if err != nil {
			return errors.Join(fmt.Errorf("écriture de %s : %w", p.path, err), restore(done))
		}
		done = append(done, replaced{p.path, old})
	}
	s.pending = nil
	for _, r := range done {
		if r.old != "" {
			os.Remove(r.old)
		}
	}
	if s.std != nil {
		if _, err := s.std.WriteTo(s.stdout); err != nil {
			return fmt.Errorf("écriture sur la sortie standard : %w", err)
		}
	}
	return nil
}

// keepOld keeps the current version of path, if any, under a temporary
// name beside it and returns that name: a hard link when the file system
// allows it (path stays in place), else a copy.
func keepOld(path string) (string, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s n'est pas un fichier ordinaire", path)
	}
	f, err := createTemp(path, oldKind)
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	if os.Link(path, name) == nil {
		return name, nil
	}
	if err := copyFile(path, name, fi.Mode().Perm()); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// copyFile copies src to a new file dst with permissions perm.
func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// restore undoes the renames of commit, last first: each target gets its
// kept version back, or is removed when it did not exist before.
func restore(done []replaced) error {
	var errs []error
	for i := len(done) - 1; i >= 0; i-- {
		r := done[i]
		var err error
		if r.old != "" {
			err = os.Rename(r.old, r.path)
		} else {
			err = os.Remove(r.path)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("remise en place de %s : %w", r.path, err))
		}
	}
	return errors.Join(errs...)
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

// outputFile is one file of a subcommand's outputs.
type outputFile struct {
	path  string
	step  string                // progress step announced before it ("" for none)
	label string                // what its errors start with, e.g. "classeur " ("" for the path alone)
	write func(io.Writer) error // its content
}

// writeAll writes files into s in order, announcing their steps, and
// returns their paths; on the first error s holds the files written
// before it, which the caller's abort removes.
func (s *outputs) writeAll(pr *progress, files []outputFile) ([]string, error) {
	var written []string
	for _, f := range files {
		if f.step != "" {
			pr.step(f.step)
		}
		if err := s.write(f.path, f.write); err != nil {
			return nil, fmt.Errorf("%s%s : %w", f.label, f.path, err)
		}
		written = append(written, f.path)
	}
	return written, nil
}

// csvFiles returns the CSV outputs of a run: the --csv path, and
// standard output when the workbook path out is "-" (once, when --csv is
// "-" too).
func csvFiles(csvPath, out string, write func(io.Writer) error) []outputFile {
	var files []outputFile
	if csvPath != "" {
		files = append(files, outputFile{csvPath, "écriture du CSV", "CSV ", write})
	}
	if out == "-" && csvPath != "-" {
		files = append(files, outputFile{"-", "écriture du CSV", "CSV ", write})
	}
	return files
}

// checksFile returns the CSV of every check, beside the workbook out,
// when its Contrôles sheet cannot hold them (report.ChecksOverflow), and
// names it in in.ChecksCSV for the sheet's last row; none otherwise.
func checksFile(out string, in *report.Input) []outputFile {
	if out == "-" || report.ChecksOverflow(*in) == 0 {
		return nil
	}
	path := checksCSVPath(out)
	in.ChecksCSV = filepath.Base(path)
	return []outputFile{{path, "écriture des contrôles", "contrôles ", func(w io.Writer) error { return report.WriteChecksCSV(w, *in) }}}
}

// workbookFile returns the workbook output at out, none when out is "-".
func workbookFile(out string, write func(io.Writer) error) []outputFile {
	if out == "-" {
		return nil
	}
	return []outputFile{{out, "écriture du classeur", "classeur ", write}}
}

// htmlFile returns the HTML report of in at path (--html), none when
// path is "".
func htmlFile(path string, in *report.Input) []outputFile {
	if path == "" {
		return nil
	}
	return []outputFile{{path, "écriture du rapport HTML", "rapport HTML ",
		func(w io.Writer) error { return htmlreport.Write(w, htmlreport.NewPage(in), htmlreport.Static) }}}
}
