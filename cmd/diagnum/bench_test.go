package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"diagnum/internal/benchstat"
)

// BenchmarkEndToEndNational is the whole national run as a user starts
// it, diagnum --france --out FILE: load the embedded data, compute every
// measure over 34,969 communes, draw the map of the Synthèse sheet and
// write the workbook (target: ≤ 2 s on 2 cores). It reports the CPU time
// and the peak resident memory of the process (target: ≤ 1 GiB).
func BenchmarkEndToEndNational(b *testing.B) {
	out := filepath.Join(b.TempDir(), "france.xlsx")
	b.ReportAllocs()
	start := benchstat.CPUTime()
	for b.Loop() {
		if err := Run(context.Background(), []string{"--france", "--quiet", "--out", out}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchstat.CPUTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
	if mib, ok := benchstat.PeakRSSMiB(); ok {
		b.ReportMetric(mib, "peak-RSS-MiB")
	}
}
