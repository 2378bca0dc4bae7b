package plan

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"

	"diagnum/diag"
)

// reportPeak adds the peak resident memory of the process (getrusage
// maxrss, which includes loading the embedded data set) and the heap in
// use after the run to b's results.
func reportPeak(b *testing.B) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB") // Linux: kilobytes
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
}

// BenchmarkPlanNational plans 4,000 and 8,000 new posts over France
// with every commune as a candidate (the doubling of the conseillers
// numériques, then the public target of 8,000), on the embedded real
// data set: the national diagnostic (NewBaseline), the catchments of the
// candidates, the lazy greedy through the coverage and capacity stages,
// the figures of every pick and the certified bounds; and 4,000 with the
// access objective. Target: under 30 s on 2 cores for 8,000; the peak
// memory is reported.
func BenchmarkPlanNational(b *testing.B) {
	ds, _ := nationalBaseline(b)
	for _, tc := range []struct {
		obj Objective
		add int
	}{{ObjectiveCoverage, 4000}, {ObjectiveCoverage, 8000}, {ObjectiveAccess, 4000}} {
		b.Run(fmt.Sprintf("%s-%d", tc.obj, tc.add), func(b *testing.B) {
			b.ReportAllocs()
			picks := 0
			for b.Loop() {
				base, err := diag.NewBaseline(context.Background(), ds, diag.Params{})
				if err != nil {
					b.Fatal(err)
				}
				p, err := Run(context.Background(), base, Options{Territory: diag.France(), Add: tc.add, Objective: tc.obj})
				if err != nil {
					b.Fatal(err)
				}
				picks = len(p.Picks)
			}
			if picks != tc.add {
				b.Fatalf("%d posts placed, want %d", picks, tc.add)
			}
			reportPeak(b)
		})
	}
}

// BenchmarkPlanDepartement plans 10 posts in Creuse on a precomputed
// national baseline (the work of `diagnum plan --dept 23 --add 10` after
// the diagnostic).
func BenchmarkPlanDepartement(b *testing.B) {
	_, base := nationalBaseline(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), base, Options{Territory: creuse, Add: 10}); err != nil {
			b.Fatal(err)
		}
	}
}
