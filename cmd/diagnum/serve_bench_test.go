package main

import (
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"diagnum/data"
	"diagnum/internal/benchstat"
)

// BenchmarkServeAddPost measures one click on a commune of Creuse in the
// app: the scenario written and read back, the national update
// (Baseline.WithSites), the page's data and its JSON (target: under 1 s
// for a département), with its CPU time per click (cpu-ms/op) beside the
// wall time, which the machine's load inflates.
func BenchmarkServeAddPost(b *testing.B) {
	ds, err := embedded()
	if err != nil {
		b.Fatal(err)
	}
	ss := newSession(ds, b.TempDir(), "x", time.Now())
	ctx := context.Background()
	if err := ss.compute(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	start := benchstat.CPUTime()
	for b.Loop() {
		site, err := ss.newPost("23096")
		if err != nil {
			b.Fatal(err)
		}
		if err := ss.push(ctx, edit{add: []data.Site{site}}); err != nil {
			b.Fatal(err)
		}
		if err := json.NewEncoder(io.Discard).Encode(ss.reply("")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchstat.CPUTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}
