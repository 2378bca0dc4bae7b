// Package benchstat measures the process for the benchmarks of diagnum:
// peak resident memory and CPU time, reported beside the times.
package benchstat

import (
	"bufio"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ResetPeakRSS lowers the peak resident set size of the process to its
// current size (writes 5 to /proc/self/clear_refs, Linux 4.0 and later),
// after returning the memory the Go heap no longer uses to the system: a
// benchmark that first builds its input then reports PeakRSSMiB gives the
// peak of the work with its input resident, not of building the input.
func ResetPeakRSS() error {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakRSSMiB returns the peak resident set size of the process (VmHWM of
// /proc/self/status, Linux), in MiB; ok is false elsewhere.
func PeakRSSMiB() (mib float64, ok bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, found := strings.CutPrefix(sc.Text(), "VmHWM:"); found {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}

// CPUTime returns the user + system CPU time of the process so far (zero
// when getrusage fails), to report CPU per operation beside wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ReportCPU adds to b's results the CPU time per operation since start
// (a CPUTime value), in cpu-ms/op: every goroutine's, so on a shared
// machine it is steadier than the wall time.
func ReportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(CPUTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// Loop runs op once per iteration of b, failing b on its error, and
// reports the allocations and the CPU time per operation (ReportCPU).
func Loop(b *testing.B, op func() error) {
	b.Helper()
	b.ReportAllocs()
	start := CPUTime()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	ReportCPU(b, start)
}

// Median returns the median of x (the mean of the two middle values for
// an even count; NaN when x is empty). x is not changed.
func Median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
