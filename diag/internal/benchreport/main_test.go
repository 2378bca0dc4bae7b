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
