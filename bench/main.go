// Command bench sets diagnum beside its peers, as `make bench` prints it:
//
//   - the national measures (diag.Compute on the embedded data) beside a
//     numpy + scipy.spatial.cKDTree peer (bench/peer.py: nearest site,
//     pairs within reach, E2SFCA) on the same inputs, exported to a
//     temporary CSV; runs are interleaved, the ratio is taken per round
//     and its median reported, and the peer's figures are checked
//     against diagnum's;
//   - the built command end to end (diagnum --france --quiet --out -:
//     load, measures, roll-ups, the communes CSV) beside the recorded
//     PostGIS figure of the same work (3.46 s on a quiet 2-core machine
//     of this kind, issue 16), with its peak resident memory.
//
// Each figure is printed with its target. The peer is skipped, with a
// message, when python3, numpy or scipy is missing (Debian packages
// python3-numpy and python3-scipy).
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/internal/benchstat"
)

// Targets (issue 16).
const (
	postgisSec      = 3.46 // recorded: PostGIS load + nearest + E2SFCA + roll-up, national
	targetMeasures  = 0.06 // s, national measures on 2 cores
	targetPeerRatio = 2.0  // national measures ≥ 2× the numpy peer
	targetCLIRatio  = 15.0 // the command ≥ 15× PostGIS
)

func main() {
	rounds := flag.Int("rounds", 5, "interleaved rounds")
	bin := flag.String("bin", "bin/diagnum", "built command (skipped when absent)")
	peer := flag.String("peer", "bench/peer.py", "the numpy peer script")
	flag.Parse()
	if err := run(*rounds, *bin, *peer, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(rounds int, bin, peer string, w io.Writer) error {
	ctx := context.Background()
	ds, err := data.LoadEmbedded()
	if err != nil {
		return err
	}
	base, err := diag.NewBaseline(ctx, ds, diag.Params{})
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "diagnum-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	idx, err := export(base, dir)
	if err != nil {
		return err
	}
	p := base.Result.Params
	peerArgs := []string{peer, filepath.Join(dir, "communes.csv"), filepath.Join(dir, "sites.csv"),
		filepath.Join(dir, "peer.csv"), "1", fmt.Sprint(p.ThresholdMin), fmt.Sprint(p.Detour), fmt.Sprint(p.SpeedKmh)}
	py, why := peerPython()
	peerOK := py != ""
	var ours, ourCPU, theirs, theirCPU, ratios []float64
	for range rounds {
		t0, c0 := time.Now(), benchstat.CPUTime().Seconds()
		if _, err := diag.Compute(ctx, ds, diag.Params{}); err != nil {
			return err
		}
		d := time.Since(t0).Seconds()
		ours, ourCPU = append(ours, d), append(ourCPU, benchstat.CPUTime().Seconds()-c0)
		if !peerOK {
			continue
		}
		out, err := exec.Command(py, peerArgs...).Output()
		if err != nil {
			return fmt.Errorf("peer: %w", err)
		}
		var s, sc float64
		if _, err := fmt.Sscan(string(out), &s, &sc); err != nil {
			return fmt.Errorf("peer printed %q: %w", out, err)
		}
		theirs, theirCPU = append(theirs, s), append(theirCPU, sc)
		ratios = append(ratios, s/d)
	}
	fmt.Fprintf(w, "national measures (diag.Compute, embedded data, %d communes, %d counted sites), median of %d interleaved rounds\n",
		len(idx), countedSites(base), rounds)
	fmt.Fprintf(w, "  diagnum            %8.3f s   target ≤ %.3f s   %s   (CPU %.3f s)\n", benchstat.Median(ours), targetMeasures, verdict(benchstat.Median(ours) <= targetMeasures), benchstat.Median(ourCPU))
	if peerOK {
		agree, err := compare(base, idx, filepath.Join(dir, "peer.csv"))
		if err != nil {
			return err
		}
		r := benchstat.Median(ratios)
		fmt.Fprintf(w, "  numpy+cKDTree peer %8.3f s   (CPU %.3f s; %s)\n", benchstat.Median(theirs), benchstat.Median(theirCPU), agree)
		fmt.Fprintf(w, "  peer / diagnum     %8.2f ×   target ≥ %.1f ×   %s\n", r, targetPeerRatio, verdict(r >= targetPeerRatio))
	} else {
		fmt.Fprintf(w, "  numpy+cKDTree peer skipped: %s (apt-get install python3-numpy python3-scipy)\n", why)
	}
	return cli(bin, rounds, w)
}

// export writes the inputs of the peer: the communes with a
// representative point (lon, lat, population) and the counted sites
// (lon, lat, S_j). It returns the commune index of each row.
func export(b *diag.Baseline, dir string) ([]int, error) {
	var idx []int
	var cs strings.Builder
	cs.WriteString("lon,lat,pop\n")
	for i, c := range b.Result.Communes {
		loc, ok := b.Location(i)
		if !ok || c.NoGeography {
			continue
		}
		idx = append(idx, i)
		fmt.Fprintf(&cs, "%s,%s,%d\n", ftoa(loc[0]), ftoa(loc[1]), max(c.Population, 0))
	}
	var ss strings.Builder
	ss.WriteString("lon,lat,fte\n")
	for _, s := range b.Result.Sites {
		if s.Counted {
			fmt.Fprintf(&ss, "%s,%s,%s\n", ftoa(s.Point[0]), ftoa(s.Point[1]), ftoa(s.SupplyFTE))
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "communes.csv"), []byte(cs.String()), 0o644); err != nil {
		return nil, err
	}
	return idx, os.WriteFile(filepath.Join(dir, "sites.csv"), []byte(ss.String()), 0o644)
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func countedSites(b *diag.Baseline) int {
	n := 0
	for _, s := range b.Result.Sites {
		if s.Counted {
			n++
		}
	}
	return n
}

// peerPython returns a python3 that imports numpy and scipy (the one on
// PATH, else Debian's /usr/bin/python3, which python3-numpy and
// python3-scipy serve), or "" and why there is none.
func peerPython() (string, string) {
	why := "python3 absent"
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if _, err := exec.LookPath(py); err != nil {
			continue
		}
		if err := exec.Command(py, "-c", "import numpy, scipy.spatial").Run(); err != nil {
			why = "numpy or scipy absent"
			continue
		}
		return py, ""
	}
	return "", why
}

// compare reads the peer's A_i and nearest times and returns the largest
// differences from diagnum's, relative to the largest value.
func compare(b *diag.Baseline, idx []int, file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	if len(rows) != len(idx)+1 {
		return "", fmt.Errorf("%s: %d rows for %d communes", file, len(rows)-1, len(idx))
	}
	var da, dt, ma, mt float64
	for r, i := range idx {
		a, err1 := strconv.ParseFloat(rows[r+1][0], 64)
		t, err2 := strconv.ParseFloat(rows[r+1][1], 64)
		if err := errors.Join(err1, err2); err != nil {
			return "", fmt.Errorf("%s line %d: %w", file, r+2, err)
		}
		c := b.Result.Communes[i]
		da, ma = math.Max(da, math.Abs(a-c.Access10k/1e4)), math.Max(ma, math.Abs(a))
		dt, mt = math.Max(dt, math.Abs(t-c.NearestMin)), math.Max(mt, math.Abs(t))
	}
	return fmt.Sprintf("same figures: A_i within %.1e, nearest time within %.1e, relative", da/ma, dt/mt), nil
}

// cli runs the built command rounds times and prints its median wall
// time, peak resident memory and ratio to PostGIS.
func cli(bin string, rounds int, w io.Writer) error {
	if _, err := os.Stat(bin); err != nil {
		fmt.Fprintf(w, "command end to end skipped: %s not built (make build)\n", bin)
		return nil
	}
	var walls, cpus []float64
	var peak int64
	for range rounds {
		cmd := exec.Command(bin, "--france", "--quiet", "--out", "-")
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		walls = append(walls, time.Since(t0).Seconds())
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, ru.Maxrss)
			cpus = append(cpus, float64(ru.Utime.Nano()+ru.Stime.Nano())/1e9)
		}
	}
	m := benchstat.Median(walls)
	fmt.Fprintf(w, "command end to end (%s --france --quiet --out -: load, measures, roll-ups, CSV), median of %d runs\n", bin, rounds)
	fmt.Fprintf(w, "  diagnum            %8.3f s   peak RSS %.0f MiB   (CPU %.3f s)\n", m, float64(peak)/1024, benchstat.Median(cpus))
	fmt.Fprintf(w, "  PostGIS (recorded) %8.3f s\n", postgisSec)
	fmt.Fprintf(w, "  PostGIS / diagnum  %8.2f ×   target ≥ %.0f ×   %s\n", postgisSec/m, targetCLIRatio, verdict(postgisSec/m >= targetCLIRatio))
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}
