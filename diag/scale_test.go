package diag

import (
	"context"
	"testing"

	"diagnum/internal/benchstat"
)

// BenchmarkCompute10x is the scale case of the issue tracker: 350,000
// demand points (as many as the cells of a 200 m population grid of
// France) against 50,000 sites, ten times the national data set, with
// every measure computed (target: ≤ 20 s on 2 cores). It reports the
// peak resident memory of the process, data generation included.
func BenchmarkCompute10x(b *testing.B) {
	ds := synthDataset(350000, 50000, 42)
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		res, err := Compute(context.Background(), ds, Params{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Communes) != 350000 {
			b.Fatalf("%d communes", len(res.Communes))
		}
	}
	reportCPU(b, start)
	if mib, ok := benchstat.PeakRSSMiB(); ok {
		b.ReportMetric(mib, "peak-RSS-MiB")
	}
}
