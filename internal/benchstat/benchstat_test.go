package benchstat

import (
	"math"
	"runtime"
	"testing"
)

// touchMiB allocates n MiB and writes every byte, so that they count in
// the resident set; it skips the test off Linux, where VmHWM is not read.
func touchMiB(t *testing.T, n int) []byte {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux only")
	}
	b := make([]byte, n<<20)
	for i := range b {
		b[i] = 1
	}
	return b
}

// TestPeakRSSMiB: on Linux the peak is positive and at least the heap in
// use after allocating 64 MiB.
func TestPeakRSSMiB(t *testing.T) {
	b := touchMiB(t, 64)
	mib, ok := PeakRSSMiB()
	if !ok || mib < 64 {
		t.Errorf("peak %.1f MiB, ok %v; want ≥ 64 after touching 64 MiB", mib, ok)
	}
	runtime.KeepAlive(b)
}

// TestResetPeakRSS: after touching 256 MiB and freeing them, the peak
// falls back below them once reset (skipped where clear_refs cannot be
// written).
func TestResetPeakRSS(t *testing.T) {
	b := touchMiB(t, 256)
	before, _ := PeakRSSMiB()
	runtime.KeepAlive(b) // b is garbage from here on
	runtime.GC()
	if err := ResetPeakRSS(); err != nil {
		t.Skipf("clear_refs: %v", err)
	}
	after, ok := PeakRSSMiB()
	if !ok || !(after < before-128) {
		t.Errorf("peak %.1f MiB after the reset, %.1f before; want at least 128 MiB less", after, before)
	}
}

// TestMedian: hand-computed medians of odd, even and empty inputs, the
// input left in its order.
func TestMedian(t *testing.T) {
	x := []float64{5, 1, 3}
	if m := Median(x); m != 3 || x[0] != 5 {
		t.Errorf("Median(5,1,3) = %v, input %v", m, x)
	}
	if m := Median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("Median(4,1,3,2) = %v, want 2.5", m)
	}
	if m := Median(nil); !math.IsNaN(m) {
		t.Errorf("Median() = %v, want NaN", m)
	}
}
