package benchstat

import (
	"math"
	"runtime"
	"testing"
)

// TestPeakRSSMiB: on Linux the peak is positive and at least the heap in
// use after allocating 64 MiB.
func TestPeakRSSMiB(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux only")
	}
	b := make([]byte, 64<<20)
	for i := range b {
		b[i] = 1
	}
	mib, ok := PeakRSSMiB()
	if !ok || mib < 64 {
		t.Errorf("peak %.1f MiB, ok %v; want ≥ 64 after touching 64 MiB", mib, ok)
	}
	runtime.KeepAlive(b)
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
