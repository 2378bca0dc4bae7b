// Command benchreport reads `go test -bench` output on stdin and prints,
// for every benchmark, the median time per operation over its runs, the
// ratio against its naive baseline (the benchmark of the same name with
// "Naive" inserted, e.g. BenchmarkComputeNaive/35k for
// BenchmarkCompute/35k), and the target where one is set. It is the
// report of `make bench`.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// targets are the documented performance targets (issue tracker).
var targets = map[string]time.Duration{
	"BenchmarkComputeNational": 350 * time.Millisecond,
	"BenchmarkLoadCompute":     346 * time.Millisecond, // 10× faster than PostGIS (3.46 s)
	"BenchmarkCompute/35k":     350 * time.Millisecond,
}

// minRatio are the documented speed-up targets against the naive scan.
var minRatio = map[string]float64{
	"BenchmarkComputeNational": 50,
	"BenchmarkCompute/35k":     50,
}

var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op`)

func main() {
	if err := report(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func report(r io.Reader, w io.Writer) error {
	runs, order, err := parse(r)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%-44s %14s %10s %12s\n", "benchmark (median)", "time/op", "vs naive", "target")
	for _, name := range order {
		if strings.Contains(name, "Naive") {
			continue
		}
		med := median(runs[name])
		ratio := ""
		if base, ok := runs[naiveName(name)]; ok {
			ratio = fmt.Sprintf("%.0f×", median(base)/med)
			if want, ok := minRatio[name]; ok {
				ratio += okMark(median(base)/med >= want)
			}
		}
		target := ""
		if d, ok := targets[name]; ok {
			target = fmt.Sprintf("≤ %v%s", d, okMark(time.Duration(med) <= d))
		}
		fmt.Fprintf(w, "%-44s %14v %10s %12s\n", name, time.Duration(med).Round(time.Microsecond), ratio, target)
	}
	return nil
}

func okMark(ok bool) string {
	if ok {
		return " ok"
	}
	return " MISSED"
}

// naiveName inserts "Naive" after the top-level benchmark name.
func naiveName(name string) string {
	top, sub, found := strings.Cut(name, "/")
	if found {
		return top + "Naive/" + sub
	}
	return top + "Naive"
}

func parse(r io.Reader) (map[string][]float64, []string, error) {
	runs := map[string][]float64{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		ns, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			return nil, nil, err
		}
		if _, seen := runs[m[1]]; !seen {
			order = append(order, m[1])
		}
		runs[m[1]] = append(runs[m[1]], ns)
	}
	return runs, order, sc.Err()
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
