package benchstat

import (
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
