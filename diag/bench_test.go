package diag

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"diagnum/data"
)

// cpuTime returns the user + system CPU time of the process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per operation (all goroutines) to b's
// results: on a shared machine it is steadier than the wall time.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// benchCPU runs op once per iteration of b, failing b on its error, and
// reports the allocations and the CPU time per operation (reportCPU).
func benchCPU(b *testing.B, op func() error) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// benchSizes are national-like sizes: 35,000 communes and 5,500 sites
// for France, scaled down for the smaller runs.
var benchSizes = []struct {
	name   string
	nc, ns int
}{{"1k", 1000, 157}, {"10k", 10000, 1571}, {"35k", 35000, 5500}}

// BenchmarkCompute measures the indexed, parallel computation of every
// measure over a synthetic France.
func BenchmarkCompute(b *testing.B) { benchSynthetic(b, Compute) }

// BenchmarkComputeNaive measures the naive double scan (the baseline).
func BenchmarkComputeNaive(b *testing.B) { benchSynthetic(b, ComputeNaive) }

// benchSynthetic runs compute over the synthetic data set of each of
// benchSizes.
func benchSynthetic(b *testing.B, compute func(context.Context, *data.Dataset, Params) (*Result, error)) {
	for _, sz := range benchSizes {
		ds := synthDataset(sz.nc, sz.ns, 42)
		b.Run(sz.name, func(b *testing.B) {
			benchCPU(b, func() error {
				_, err := compute(context.Background(), ds, Params{})
				return err
			})
		})
	}
}

// BenchmarkComputeTerritory measures one département of a synthetic
// France (35,000 communes, 5,500 sites).
func BenchmarkComputeTerritory(b *testing.B) {
	ds := synthDataset(35000, 5500, 42)
	for _, dep := range []string{"23", "974"} {
		b.Run(fmt.Sprintf("dep%s", dep), func(b *testing.B) {
			benchCPU(b, func() error {
				_, err := ComputeTerritory(context.Background(), ds, Params{}, []string{dep})
				return err
			})
		})
	}
}
