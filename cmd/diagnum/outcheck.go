package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// outputPath is one file a run will write, with the flag that asks for it
// ("--geojson" also for the sites layer beside it, "--map" for the PNG
// and the SVG).
type outputPath struct{ flag, path string }

// outputPaths returns every file a diagnostic run writes, derived ones
// included, in the order they are written.
func (o *options) outputPaths(out string) []outputPath {
	var ps []outputPath
	if o.geojson != "" {
		ps = append(ps, outputPath{"--geojson", o.geojson}, outputPath{"--geojson", sitesLayerPath(o.geojson)})
	}
	if o.mapFile != "" {
		stem := mapStem(o.mapFile)
		ps = append(ps, outputPath{"--map", stem + ".png"}, outputPath{"--map", stem + ".svg"})
	}
	return append(ps, csvAndBook(o.csv, out)...)
}

// csvAndBook returns the CSV and workbook outputs: --out - sends the CSV
// to standard output (once, when --csv - asks for it too).
func csvAndBook(csv, out string) []outputPath {
	var ps []outputPath
	if csv != "" {
		ps = append(ps, outputPath{"--csv", csv})
	}
	switch {
	case out == "-" && csv != "-":
		ps = append(ps, outputPath{"--out", "-"})
	case out != "-":
		// The CSV of the checks, written only when Contrôles overflows.
		ps = append(ps, outputPath{"--out", out}, outputPath{"--out", checksCSVPath(out)})
	}
	return ps
}

// inputs returns the files the run reads.
func (o *options) inputs() []string {
	in := slices.Concat(o.sites, o.indicators)
	if o.weights != "" {
		in = append(in, o.weights)
	}
	if o.demande != "" {
		in = append(in, o.demande)
	}
	return in
}

// checkOutputs refuses, before any work, outputs that cannot all be
// written (usage error, exit 2): two outputs on one path (standard output
// included), an output on an input file, an existing directory, symbolic
// link, FIFO or device at an output path, a missing or unwritable folder.
// It then removes the temporary files that dead runs left in the output
// folders, saying so on w.
func checkOutputs(outs []outputPath, inputs []string, w io.Writer) error {
	seen := map[string]string{}
	var dirs []string
	for _, p := range outs {
		key := p.path
		if p.path != "-" {
			abs, err := filepath.Abs(p.path)
			if err != nil {
				return fmt.Errorf("%w: %s %s : %v", errUsage, p.flag, p.path, err)
			}
			key = abs
		}
		if prev, dup := seen[key]; dup {
			return fmt.Errorf("%w: %s %s : ce chemin est déjà celui d'une autre sortie (%s) ; une sortie écraserait l'autre", errUsage, p.flag, p.path, prev)
		}
		seen[key] = p.flag + " " + p.path
		if p.path == "-" {
			continue
		}
		if err := checkOutputPath(p.path, inputs); err != nil {
			return fmt.Errorf("%w: %s %s : %v", errUsage, p.flag, p.path, err)
		}
		if dir := filepath.Dir(key); !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	for _, dir := range dirs {
		removeLeftovers(dir, w)
	}
	return nil
}

// checkOutputPath checks one output file path: not an input, not an
// existing non-regular file, in a writable folder.
func checkOutputPath(path string, inputs []string) error {
	fi, err := os.Lstat(path)
	switch {
	case err == nil && fi.IsDir():
		return errors.New("un dossier porte ce nom")
	case err == nil && fi.Mode()&os.ModeSymlink != 0:
		return errors.New("c'est un lien symbolique ; donner le chemin du fichier lui-même")
	case err == nil && !fi.Mode().IsRegular():
		return errors.New("ce n'est pas un fichier ordinaire (tube, périphérique ou socket) ; « - » écrit sur la sortie standard")
	case err != nil && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return err
	}
	for _, in := range inputs {
		if samePath(path, in) {
			return fmt.Errorf("c'est aussi un fichier d'entrée (%s), qui serait écrasé", in)
		}
	}
	return checkWritableDir(filepath.Dir(path))
}

// samePath reports whether a and b name the same file: the same absolute
// path, or the same existing file (hard link, folder reached by a link).
func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == bb {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// checkWritableDir checks that dir exists, is a folder, and that a file
// can be created in it (a probe file, removed at once).
func checkWritableDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("le dossier %s n'existe pas", dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s n'est pas un dossier", dir)
	}
	f, err := os.CreateTemp(dir, tempPattern("probe", tmpKind))
	if err != nil {
		return fmt.Errorf("impossible d'écrire dans le dossier %s (%v)", dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// leftoverName matches the temporary files of a run (tempPattern), with
// the process id as its first group.
var leftoverName = regexp.MustCompile(`^\..*\.(?:tmp|old)-diagnum-([0-9]+)-[0-9]+$`)

// removeLeftovers removes from dir the temporary files of runs that are
// no longer alive (killed by SIGKILL, a power cut, …), telling w each
// one. A file of a live process, this one included, is never touched.
func removeLeftovers(dir string, w io.Writer) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		m := leftoverName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if os.Remove(path) == nil {
			fmt.Fprintf(w, "diagnum: fichier temporaire d'une exécution interrompue (processus %d, terminé) supprimé : %s\n", pid, path)
		}
	}
}

// processAlive reports whether process pid exists (signal 0 is delivered,
// or refused for lack of permission, which also means it exists).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// mapStem returns the path of --map without a .png or .svg extension.
func mapStem(path string) string {
	return strings.TrimSuffix(strings.TrimSuffix(path, ".png"), ".svg")
}
