// Package benchstat measures the process for the benchmarks of diagnum:
// peak resident memory, reported beside the times.
package benchstat

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

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
