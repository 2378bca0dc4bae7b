package main

import (
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	in := `goos: linux
BenchmarkCompute/35k-2         	       3	 300000000 ns/op	 1000 B/op	 10 allocs/op
BenchmarkCompute/35k-2         	       3	 100000000 ns/op	 1000 B/op	 10 allocs/op
BenchmarkCompute/35k-2         	       3	 200000000 ns/op	 1000 B/op	 10 allocs/op
BenchmarkComputeNaive/35k-2    	       1	20000000000 ns/op
`
	var b strings.Builder
	if err := report(strings.NewReader(in), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// median of 300, 100, 200 ms = 200 ms; 20 s / 200 ms = 100×.
	for _, want := range []string{"200ms", "100× ok", "≤ 350ms ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "BenchmarkComputeNaive") {
		t.Errorf("naive baseline printed as its own row:\n%s", out)
	}
}

func TestReportMemory(t *testing.T) {
	in := `BenchmarkEndToEndNational-2   	       1	1900000000 ns/op	      2100 cpu-ms/op	       700.5 peak-RSS-MiB
BenchmarkEndToEndNational-2   	       1	2300000000 ns/op	      2100 cpu-ms/op	      1100.0 peak-RSS-MiB
BenchmarkEndToEndNational-2   	       1	2000000000 ns/op	      2100 cpu-ms/op	       800.0 peak-RSS-MiB
BenchmarkCompute10x-2   	       1	10347163311 ns/op	     10424 cpu-ms/op	      1348 peak-RSS-MiB
`
	var b strings.Builder
	if err := report(strings.NewReader(in), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// Median of 1.9, 2.3 and 2.0 s = 2 s (over the 1 s target); the
	// largest peak, 1100 MiB, is over 250. The 10× case has a time
	// target, no memory one.
	for _, want := range []string{"2s", "≤ 1s MISSED", "1100 MiB", "≤ 250 MiB MISSED", "10.347163s", "≤ 20s ok", "1348 MiB"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestReportGrowth(t *testing.T) {
	in := `BenchmarkComputeGrid/350k-2   	       1	1000000000 ns/op	      1500 cpu-ms/op	       500 peak-RSS-MiB
BenchmarkComputeGrid/1000k-2   	       1	3000000000 ns/op	      4000 cpu-ms/op	       900 peak-RSS-MiB
BenchmarkComputeGrid/2300k-2   	       1	9000000000 ns/op	      9200 cpu-ms/op	      2000 peak-RSS-MiB
`
	var b strings.Builder
	if err := report(strings.NewReader(in), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// CPU: log(9200/1500)/log(2300/350) = 0.963…; log(9200/4000)/log(2.3)
	// = 1.0000 (to 2 decimals); 9.2 s CPU printed; 9 s ≤ 10 s, 2000 ≤ 3072.
	for _, want := range []string{"350k → 2300k (CPU): 0.96   target ≤ 1.05 ok", "1000k → 2300k (CPU): 1.00   target ≤ 1.05 ok",
		"9.2s", "≤ 10s ok", "≤ 3072 MiB ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestReportCPUTarget: the map and workbook benchmarks are judged on
// their median CPU time per operation, not their wall time.
func TestReportCPUTarget(t *testing.T) {
	in := `BenchmarkMapFrance-2   	       1	 90000000 ns/op	       300 cpu-ms/op
BenchmarkMapFrance-2   	       1	 95000000 ns/op	       320 cpu-ms/op
BenchmarkMapFrance-2   	       1	 99000000 ns/op	       310 cpu-ms/op
BenchmarkWorkbookFrance-2   	       1	 900000000 ns/op	       240 cpu-ms/op
`
	var b strings.Builder
	if err := report(strings.NewReader(in), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"310ms", "≤ 100ms MISSED", "240ms", "≤ 250ms ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestReportVsCSV: the GeoJSON load's ratios to the CSV are the medians
// over the rounds of the ratios each round measured, judged on the CPU.
func TestReportVsCSV(t *testing.T) {
	in := `BenchmarkLoadSitesFile/csv/100k-2   	       1	 900000000 ns/op	 500 cpu-ms/op
BenchmarkLoadSitesFile/geojson/100k-2   	       1	1000000000 ns/op	 600 cpu-ms/op	 1.5 x-csv-cpu	 2.5 x-csv-wall
BenchmarkLoadSitesFile/geojson/100k-2   	       1	1000000000 ns/op	 600 cpu-ms/op	 1.2 x-csv-cpu	 1.1 x-csv-wall
BenchmarkLoadSitesFile/geojson/100k-2   	       1	1000000000 ns/op	 600 cpu-ms/op	 2.4 x-csv-cpu	 1.3 x-csv-wall
BenchmarkLoadSitesFile/geojson/1000k-2   	       1	1000000000 ns/op	 600 cpu-ms/op	 2.2 x-csv-cpu	 2.3 x-csv-wall
`
	var b strings.Builder
	if err := report(strings.NewReader(in), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// Medians: CPU of 1.5, 1.2, 2.4 = 1.5; wall of 2.5, 1.1, 1.3 = 1.3.
	for _, want := range []string{
		"BenchmarkLoadSitesFile/geojson/100k vs the same sites in CSV (median of 3): CPU 1.50×, wall 1.30×   target ≤ 2× (CPU) ok",
		"BenchmarkLoadSitesFile/geojson/1000k vs the same sites in CSV (median of 1): CPU 2.20×, wall 2.30×\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
