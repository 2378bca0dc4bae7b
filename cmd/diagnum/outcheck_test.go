package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// snapshot returns the names and contents of the regular files of dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, name := range listDir(t, dir) {
		path := filepath.Join(dir, name)
		m[name] = "(not a file)"
		if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
			m[name] = string(readFile(t, path))
		}
	}
	return m
}

// TestOutputsRefusedUpFront walks the output cases of issues 15 §4 and
// 17 §2: each command line is refused as a usage error (exit 2) before
// any work, the folder left exactly as it was.
func TestOutputsRefusedUpFront(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T)
		args  []string
		want  string
	}{
		{"out and csv on one path", nil, []string{"--out", "x", "--csv", "x"}, "--out x : ce chemin est déjà celui d'une autre sortie (--csv x)"},
		{"map png over the workbook", nil, []string{"--map", "m", "--out", "m.png"}, "--out m.png : ce chemin est déjà celui d'une autre sortie (--map m.png)"},
		{"csv over the sites layer", nil, []string{"--geojson", "a.geojson", "--csv", "a-sites.geojson", "--out", "b.xlsx"}, "--csv a-sites.geojson : ce chemin est déjà"},
		{"same file by another name", nil, []string{"--csv", "./sub/../x.csv", "--out", "x.csv"}, "--out x.csv : ce chemin est déjà"},
		{"two outputs on standard output", nil, []string{"--geojson", "-", "--csv", "-", "--out", "b.xlsx"}, "--csv - : ce chemin est déjà"},
		{"output on an input", writeFile("w.csv", "indicateur,poids\nqpv,1\n"), []string{"--weights", "w.csv", "--csv", "w.csv"}, "--csv w.csv : c'est aussi un fichier d'entrée (w.csv)"},
		{"output on a sites file", writeFile("s.csv", "x"), []string{"--sites", "s.csv", "--out", "./s.csv"}, "c'est aussi un fichier d'entrée (s.csv)"},
		{"directory in the way of the workbook", mkdir("b.xlsx"), []string{"--out", "b.xlsx", "--csv", "c.csv"}, "--out b.xlsx : un dossier porte ce nom"},
		{"directory in the way of the sites layer", mkdir("a-sites.geojson"), []string{"--geojson", "a.geojson", "--csv", "c.csv"}, "--geojson a-sites.geojson : un dossier porte ce nom"},
		{"directory in the way of the SVG", mkdir("m.svg"), []string{"--map", "m", "--csv", "c.csv"}, "--map m.svg : un dossier porte ce nom"},
		{"symbolic link", symlink("target.csv", "l.csv"), []string{"--csv", "l.csv"}, "--csv l.csv : c'est un lien symbolique"},
		{"FIFO", mkfifo("f.csv"), []string{"--csv", "f.csv"}, "--csv f.csv : ce n'est pas un fichier ordinaire"},
		{"device", nil, []string{"--csv", "/dev/null"}, "--csv /dev/null : ce n'est pas un fichier ordinaire"},
		{"missing folder", nil, []string{"--csv", "nope/x.csv"}, "--csv nope/x.csv : le dossier nope n'existe pas"},
		{"file as folder", writeFile("f", "x"), []string{"--csv", "f/x.csv"}, "--csv f/x.csv : f n'est pas un dossier"},
		{"plan: csv and workbook on one path", nil, []string{"plan", "--add", "1", "--csv", "p", "--out", "p"}, "--out p : ce chemin est déjà"},
		{"plan: output on the scenario", writeFile("sc.csv", "x"), []string{"plan", "--scenario", "sc.csv", "--csv", "sc.csv"}, "c'est aussi un fichier d'entrée (sc.csv)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			if tc.setup != nil {
				tc.setup(t)
			}
			before := snapshot(t, ".")
			stdout, _, err := runHere(t, tc.args...)
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant a usage error containing %q", err, tc.want)
			}
			if after := snapshot(t, "."); fmt.Sprint(after) != fmt.Sprint(before) || len(stdout) != 0 {
				t.Errorf("folder changed: %v → %v (stdout %d bytes)", before, after, len(stdout))
			}
		})
	}
}

func writeFile(name, content string) func(t *testing.T) {
	return func(t *testing.T) {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mkdir(name string) func(t *testing.T) {
	return func(t *testing.T) {
		if err := os.Mkdir(name, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(target, name string) func(t *testing.T) {
	return func(t *testing.T) {
		writeFile(target, "old")(t)
		if err := os.Symlink(target, name); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
}

func mkfifo(name string) func(t *testing.T) {
	return func(t *testing.T) {
		if err := syscall.Mkfifo(name, 0o644); err != nil {
			t.Skip("no FIFO here:", err)
		}
	}
}

// TestOutputsReadOnlyFolder: an output in a folder where nothing can be
// created is refused up front (exit 2). As root, permissions do not stop
// writes, so the test mounts a read-only tmpfs instead, and skips when it
// cannot.
func TestOutputsReadOnlyFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		mountTmpfs(t, dir, "ro,size=64k")
	} else if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, "--csv", filepath.Join(dir, "x.csv"), "--out", "-")
	if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "impossible d'écrire dans le dossier") {
		t.Fatalf("err = %v, want a usage error about the folder", err)
	}
	wantNoFiles(t, dir, "read-only folder")
}

// mountTmpfs mounts a tmpfs with options on dir for the test, or skips
// the test when it cannot (not root, no mount permission).
func mountTmpfs(t *testing.T, dir, options string) {
	t.Helper()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
}

// TestOutputsFullFileSystem: on a file system with no room for the
// GeoJSON layer, the run fails and the outputs already there are
// unchanged, with no temporary file left.
func TestOutputsFullFileSystem(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	dir := filepath.Join(t.TempDir(), "full")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mountTmpfs(t, dir, "size=256k")
	writeFiles(t, dir, map[string]string{"c.csv": "old c.csv", "c.geojson": "old c.geojson"})
	before := snapshot(t, dir)
	_, err := run(t, "--csv", filepath.Join(dir, "c.csv"), "--geojson", filepath.Join(dir, "c.geojson"), "--out", "-")
	if err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want no space left", err)
	}
	if after := snapshot(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("full file system: %v → %v", before, after)
	}
}

// TestLeftoversRemoved: the temporary files of a dead run are removed by
// the next run in the folder, which says so; those of a live process are
// kept.
func TestLeftoversRemoved(t *testing.T) {
	t.Chdir(t.TempDir())
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("cannot run true:", err)
	}
	deadPid := dead.Process.Pid
	if processAlive(deadPid) {
		t.Skip("the pid of the finished process is already reused")
	}
	live := os.Getppid()
	names := []string{
		fmt.Sprintf(".x.csv.tmp-diagnum-%d-123456", deadPid),
		fmt.Sprintf(".x.csv.old-diagnum-%d-654321", deadPid),
		fmt.Sprintf(".x.csv.tmp-diagnum-%d-777", live),
		".x.csv.tmp-123", // not ours: no pid
	}
	for _, n := range names {
		writeFile(n, "leftover")(t)
	}
	_, stderr, err := runHere(t, "--csv", "x.csv", "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	got := listDir(t, ".")
	want := []string{names[3], names[2], "x.csv"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
	for _, n := range names[:2] {
		msg := fmt.Sprintf("exécution interrompue (processus %d, terminé) supprimé : ", deadPid)
		if !strings.Contains(stderr, msg) || !strings.Contains(stderr, string(filepath.Separator)+n+"\n") {
			t.Errorf("stderr does not report the removal of %s:\n%s", n, stderr)
		}
	}
}
