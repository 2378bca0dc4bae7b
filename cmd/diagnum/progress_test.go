package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestProgress: on a terminal the progress line shows the step, the
// count of a counter (the OSRM requests) and the step's end with its
// time; on anything else (a buffer, a pipe, --quiet) it is silent and
// has no counter.
func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, on: true}
	p.step("temps de trajet OSRM")
	count := p.counter("requêtes OSRM")
	count(12)
	p.done()
	out := buf.String()
	for _, want := range []string{"… temps de trajet OSRM", "… 12 requêtes OSRM", "✓ temps de trajet OSRM ("} {
		if !strings.Contains(out, want) {
			t.Errorf("progress %q lacks %q", out, want)
		}
	}
	var quiet bytes.Buffer
	p = newProgress(&quiet, false)
	p.step("chargement")
	if p.counter("lignes") != nil {
		t.Error("a counter off a terminal")
	}
	p.done()
	if quiet.Len() != 0 {
		t.Errorf("progress off a terminal wrote %q", quiet.String())
	}
}
