package route

import (
	"bytes"
	"context"
	"math"
	"os"
	"testing"
	"time"
)

// FuzzReadPBF: any bytes given as an .osm.pbf extract give an error or a
// well-formed graph (arcs between existing nodes, finite non-negative
// times, points in WGS84 range), never a panic or a hang. Seeds: the
// Monaco extract, its header blob alone (no road), and its first 5,000
// bytes (a data blob cut short).
func FuzzReadPBF(f *testing.F) {
	raw, err := os.ReadFile(monacoPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw[:203])
	f.Add(raw[:5000])
	f.Add(raw)
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		g, info, err := ReadPBF(ctx, bytes.NewReader(b))
		if ctx.Err() != nil {
			t.Fatalf("ReadPBF ran past a minute on %d bytes", len(b))
		}
		if err != nil {
			if g != nil {
				t.Fatalf("a graph and an error: %v", err)
			}
			return
		}
		if g.Nodes() == 0 || info.Segments == 0 || g.Arcs() == 0 {
			t.Fatalf("no error but %d nodes, %d segments, %d arcs", g.Nodes(), info.Segments, g.Arcs())
		}
		for _, p := range g.Points {
			if !(math.Abs(p[0]) <= 180 && math.Abs(p[1]) <= 90) {
				t.Fatalf("node at %v, outside WGS84", p)
			}
		}
		for u := range int32(g.Nodes()) {
			g.Out(u, false, func(v int32, sec float32) {
				if v < 0 || int(v) >= g.Nodes() || !(sec >= 0) || math.IsInf(float64(sec), 0) {
					t.Fatalf("arc %d→%d of %g s", u, v, sec)
				}
			})
		}
	})
}
