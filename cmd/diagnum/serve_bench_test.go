package main

import (
	"context"
	"encoding/json"
	"io"

	"diagnum/data"
	"testing"
	"time"
)

// BenchmarkServeAddPost measures one click on a commune of Creuse in the
// app: the scenario written and read back, the national recomputation,
// the page's data and its JSON (target: under 1 s for a département).
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
	b.ResetTimer()
	for range b.N {
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
}
