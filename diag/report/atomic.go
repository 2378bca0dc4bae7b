package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file through write, atomically: the bytes go to
// a temporary file "."+base+".tmp-*" in the target's folder, which is
// synced, closed and renamed over path only when write succeeded. On any
// error the temporary file is removed and an existing file at path is
// left untouched. The new file keeps the permissions of the file it
// replaces, 0644 otherwise. Path "-" writes to standard output, without a
// temporary file.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	if path == "-" {
		return write(os.Stdout)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	err = tmp.Chmod(targetMode(path))
	if err == nil {
		err = write(tmp)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		rerr := os.Remove(name)
		if rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			err = errors.Join(err, rerr)
		}
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// targetMode returns the permissions of the existing file at path, or 0644.
func targetMode(path string) os.FileMode {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return fi.Mode().Perm()
	}
	return 0o644
}
