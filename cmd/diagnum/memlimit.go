package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
)

// Bounding the memory of the outputs. Once the measures are computed,
// the map, the offers and the workbook are built at once, and Go's
// collector lets the heap grow to twice its live part: the national run
// peaked at about 290 MB of resident memory for about 160 MB live
// (issue 16: ≤ 250 MiB). When the live heap after the measures is small
// (the national run: about 80 MB), a soft memory limit makes the
// collector run before the heap reaches outputMemoryLimit, for a little
// more of its CPU time: the national run peaks at 237–240 MB instead of
// 288–301 MB, for about 0.1–0.3 s more CPU (interleaved runs under a
// load of 28). A larger live heap (a demand layer of millions of units,
// large files of one's own) gets no limit: the collector would run
// over and over near it. GOMEMLIMIT, when set, is left to rule.
const (
	outputMemoryLimit = 208 << 20 // bytes
	outputLiveMax     = 100 << 20 // live heap above which no limit is set
)

// boundOutputMemory sets the soft memory limit of the outputs when
// outputLimit allows it, and returns the function that puts the previous
// limit back (the process may go on: tests, serve).
func boundOutputMemory() (restore func()) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return func() {}
	}
	limit, ok := outputLimit(s[0].Value.Uint64(), os.Getenv("GOMEMLIMIT"))
	if !ok {
		return func() {}
	}
	prev := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

// outputLimit returns the soft memory limit for the outputs given the
// live heap after the measures and the GOMEMLIMIT variable, and whether
// to set it.
func outputLimit(live uint64, env string) (int64, bool) {
	if env != "" || live > outputLiveMax {
		return 0, false
	}
	return outputMemoryLimit, true
}
