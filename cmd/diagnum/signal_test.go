package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"diagnum/diag"
	"diagnum/internal/testlong"
)

// TestSIGTERM runs `diagnum --france` with a GeoJSON layer, a CSV and the
// workbook, and sends SIGTERM either while it computes (after 150 ms) or
// as soon as its first temporary output file appears, and SIGHUP (handled
// like SIGTERM) while it writes. The run must stop
// with a non-zero status, leaving the folder empty: no output, no
// temporary file. The short run signals while writing without the
// workbook (--out -: the GeoJSON layers, written first, then the CSV),
// which spares the second national computation (the offers of Synthèse);
// make test-long adds the workbook and SIGHUP.
func TestSIGTERM(t *testing.T) {
	bin := buildDiagnum(t)
	for _, tc := range []struct {
		when string
		sig  syscall.Signal
		out  string
		long bool
	}{
		{"computing", syscall.SIGTERM, "f.xlsx", false},
		{"writing", syscall.SIGTERM, "-", false},
		{"writing", syscall.SIGTERM, "f.xlsx", true},
		{"writing", syscall.SIGHUP, "f.xlsx", true},
	} {
		when := tc.when
		t.Run(tc.sig.String()+" "+when+" --out "+tc.out, func(t *testing.T) {
			if tc.long {
				testlong.Skip(t, "")
			}
			var (
				dir string
				c   *child
				err error
			)
			// A signal that comes before main has called
			// signal.NotifyContext kills the process with Go's default
			// action: on a loaded machine the start (the packages'
			// init) can take more than the 150 ms of "computing", so the
			// run is tried again with a later signal.
			for _, after := range []time.Duration{150 * time.Millisecond, 600 * time.Millisecond, 2 * time.Second} {
				dir = t.TempDir()
				c = startCmd(t, dir, bin, "--france", "--out", tc.out, "--csv", "f.csv", "--geojson", "f.geojson")
				err = signalWhen(t, c, dir, when, after, tc.sig)
				if when != "computing" || !killedBy(err, tc.sig) {
					break
				}
				t.Logf("%v %v after the start killed diagnum before it handled signals (a slow start): again, later", tc.sig, after)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() == 0 {
				t.Fatalf("exit: %v, want a non-zero status; stderr:\n%s", err, c.stderr.String())
			}
			if !strings.Contains(c.stderr.String(), "interrompu (") || !strings.Contains(c.stderr.String(), "arrêt demandé (Ctrl-C ou signal)") {
				t.Errorf("stderr does not say the run was cancelled:\n%s", c.stderr.String())
			}
			wantNoFiles(t, dir, "after "+tc.sig.String())
		})
	}
}

// killedBy tells whether err is the exit of a process ended by sig
// itself (Go's default action, before signal.Notify).
func killedBy(err error, sig syscall.Signal) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}

// signalWhen sends sig at the moment named by when ("computing": after
// the given time since the start; "writing": once a temporary output
// file appears) and returns the exit error of the command, which must
// stop within 30 s.
func signalWhen(t *testing.T, c *child, dir, when string, after time.Duration, sig syscall.Signal) error {
	t.Helper()
	deadline := time.After(30 * time.Second)
	start := time.Now()
	for {
		select {
		case err := <-c.done:
			t.Fatalf("diagnum ended (%v) before the signal (%s)", err, when)
		case <-deadline:
			c.cmd.Process.Kill()
			t.Fatal("no temporary file appeared in 30 s")
		case <-time.After(2 * time.Millisecond):
		}
		ready := when == "computing" && time.Since(start) > after
		if when == "writing" {
			for _, name := range listDir(t, dir) {
				ready = ready || strings.Contains(name, ".tmp-diagnum-")
			}
		}
		if ready {
			break
		}
	}
	if err := c.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	return c.wait(t, 30*time.Second)
}

// TestRunCancelled: with a cancelled context Run returns context.Canceled
// within seconds and writes nothing.
func TestRunCancelled(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	err := Run(ctx, []string{"--france", "--csv", "f.csv", "--geojson", "f.geojson", "--map", "f"}, io.Discard, io.Discard)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v to notice the cancellation", d)
	}
	wantNoFiles(t, ".", "cancelled run")
}

// TestSIGINTWhileLoading: Ctrl-C (SIGINT) while `diagnum --sites` reads
// a file that is still coming (a FIFO whose writer has sent the header
// and 2,000 rows, then waits) ends the run within 5 s with the French
// message and status 130; the old workbook and CSV are left as they
// were and no temporary file remains. The same holds when no one ever
// writes to the FIFO (diagnum is then blocked in open(2): data.Open), and
// for a run (long) interrupted 400 ms after its start, while it loads the
// data and a 200,000-row regular file.
func TestSIGINTWhileLoading(t *testing.T) {
	bin := buildDiagnum(t)
	rows := func(n int) string {
		var b strings.Builder
		fmt.Fprintln(&b, "id,nom,type,latitude,longitude,etp,code_insee")
		for i := range n {
			fmt.Fprintf(&b, "s%d,Lieu %d,cnfs,46.%06d,1.%06d,1,\n", i, i, i, i)
		}
		return b.String()
	}
	for _, input := range []string{"fifo", "fifo-unwritten", "file"} {
		t.Run(input, func(t *testing.T) {
			if input == "file" {
				testlong.Skip(t, "")
			}
			dir := t.TempDir()
			old := map[string]string{"f.xlsx": "ancien classeur", "f.csv": "ancien csv"}
			writeFiles(t, dir, old)
			sites := filepath.Join(dir, "lieux.csv")
			opened := make(chan *os.File, 1)
			if input != "file" {
				mkfifo(sites)(t)
			}
			if input == "fifo" {
				go func() { // blocks until diagnum opens the FIFO
					w, err := os.OpenFile(sites, os.O_WRONLY, 0)
					if err != nil {
						close(opened)
						return
					}
					w.WriteString(rows(2000))
					opened <- w
				}()
			} else if input == "file" {
				writeFile(sites, rows(200_000))(t)
			}
			c := startCmd(t, dir, bin, "--sites", sites, "--out", "f.xlsx", "--csv", "f.csv")
			if input == "fifo" {
				select {
				case w := <-opened:
					if w == nil {
						t.Fatal("could not write to the FIFO")
					}
					defer w.Close()
				case err := <-c.done:
					t.Fatalf("diagnum ended (%v) before opening its sites; stderr:\n%s", err, c.stderr.String())
				case <-time.After(60 * time.Second):
					c.cmd.Process.Kill()
					t.Fatal("diagnum did not open the FIFO within 60 s")
				}
				time.Sleep(200 * time.Millisecond)
			} else if input == "fifo-unwritten" {
				waitFIFOOpen(t, c.cmd.Process.Pid, c.done)
			} else {
				time.Sleep(400 * time.Millisecond)
			}
			sent := time.Now()
			if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			err := c.wait(t, 30*time.Second)
			if d := time.Since(sent); d > 5*time.Second {
				t.Errorf("stopped %v after SIGINT, want within 5 s", d)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("exit: %v, want status 130; stderr:\n%s", err, c.stderr.String())
			}
			if !strings.Contains(c.stderr.String(), "interrompu") || !strings.Contains(c.stderr.String(), "aucun fichier n'a été écrit ni modifié") {
				t.Errorf("stderr does not say in French that the run was interrupted:\n%s", c.stderr.String())
			}
			for name, text := range old {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != text {
					t.Errorf("%s after SIGINT: %q, %v; want it unchanged", name, b, err)
				}
			}
			if input == "fifo-unwritten" {
				return // the FIFO was never read: nothing more to check
			}
			if got := listDir(t, dir); len(got) != 3 {
				t.Errorf("files after SIGINT: %v; want only f.xlsx, f.csv and lieux.csv", got)
			}
		})
	}
}

// waitFIFOOpen waits until a thread of process pid is blocked opening a
// FIFO (Linux's /proc/PID/task/*/wchan reads wait_for_partner), or 3 s
// where /proc does not tell (no such files, or "0" in every one: a
// kernel or container that hides wchan); it fails if the process ends
// first.
func waitFIFOOpen(t *testing.T, pid int, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	told := false // a wchan named a kernel function
	for start := time.Now(); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("diagnum ended (%v) before opening its sites", err)
		default:
		}
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/wchan", pid))
		for _, w := range tasks {
			b, _ := os.ReadFile(w)
			if string(b) == "wait_for_partner" {
				return
			}
			told = told || len(b) > 0 && string(b) != "0"
		}
		if !told && time.Since(start) > 3*time.Second {
			return
		}
	}
	t.Fatal("diagnum did not block opening the FIFO within 60 s")
}

// TestOSMInterrupted: Ctrl-C while --osm reads an extract that is still
// coming (a FIFO whose writer has sent half of the Monaco extract, then
// waits) ends the graph build within seconds with context.Canceled. The
// extract used to be read without the run's context: the PBF decoder's
// Close waited for its reading goroutine, blocked on the FIFO until the
// writer went away.
func TestOSMInterrupted(t *testing.T) {
	raw := readFile(t, fixture(t, "osm/monaco.osm.pbf"))
	fifo := filepath.Join(t.TempDir(), "monaco.osm.pbf")
	mkfifo(fifo)(t)
	release, written := make(chan struct{}), make(chan error, 1)
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			written <- err
			return
		}
		defer w.Close()
		_, err = w.Write(raw[:len(raw)/2])
		written <- err
		<-release
	}()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := (&options{osm: fifo}).loadOSM(ctx, &diag.Params{})
		done <- err
	}()
	select {
	case err := <-written:
		if err != nil {
			t.Fatal(err)
		}
	case err := <-done:
		t.Fatalf("loadOSM ended (%v) before reading half the extract", err)
	case <-time.After(time.Minute):
		t.Fatal("loadOSM did not read half the extract within 1 min")
	}
	cancel()
	wantCanceled(t, done, 10*time.Second, "loadOSM (blocked on the FIFO's writer)")
}

// wantCanceled waits at most within for the error of a run just
// cancelled, which must be context.Canceled.
func wantCanceled(t *testing.T, done <-chan error, within time.Duration, what string) {
	t.Helper()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: err = %v, want context.Canceled", what, err)
		}
	case <-time.After(within):
		t.Fatalf("%s still running %v after its cancellation", what, within)
	}
}

// TestUserFileFIFOInterrupted: Ctrl-C while --weights, --parametres or
// --temps is a FIFO that no one writes to ends the run with
// context.Canceled (these files were read without the run's context, so
// the run waited for a writer for ever).
func TestUserFileFIFOInterrupted(t *testing.T) {
	for _, flag := range []string{"--weights", "--parametres", "--temps"} {
		t.Run(flag, func(t *testing.T) {
			fifo := filepath.Join(t.TempDir(), "fichier.csv")
			mkfifo(fifo)(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				done <- Run(ctx, []string{"--dept", "23", "--quiet", flag, fifo, "--out", "-"}, io.Discard, io.Discard)
			}()
			time.Sleep(300 * time.Millisecond)
			cancel()
			wantCanceled(t, done, 30*time.Second, "the run")
		})
	}
}
