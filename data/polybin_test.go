package data

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

// TestPolygonsBinRoundTrip: the real Creuse polygons survive the compact
// format exactly (france-geojson coordinates have 5 decimals).
func TestPolygonsBinRoundTrip(t *testing.T) {
	f, err := os.Open("../testdata/real/communes-23-creuse.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	polys, err := ReadPolygons("creuse", f)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePolygonsBin(&buf, polys); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPolygonsBin("creuse.bin", bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, polys) {
		t.Fatal("polygons differ after a round trip")
	}
	// 258 features in communes-23-creuse.geojson (france-geojson PROVENANCE).
	if len(got) != 258 {
		t.Errorf("got %d polygons, want 258", len(got))
	}
}

func TestPolygonsBinErrors(t *testing.T) {
	square := orb.Ring{{1, 1}, {1.00001, 1}, {1.00001, 1.00001}, {1, 1}}
	var good bytes.Buffer
	if err := WritePolygonsBin(&good, map[string]orb.MultiPolygon{"23096": {{square}}}); err != nil {
		t.Fatal(err)
	}
	if err := WritePolygonsBin(&bytes.Buffer{}, map[string]orb.MultiPolygon{"x": {{{{0.123456, 1}, {1, 1}, {1, 2}, {0.123456, 1}}}}}); !errors.Is(err, errPolyGrid) {
		t.Errorf("off-grid coordinate: err = %v", err)
	}
	for name, in := range map[string][]byte{
		"empty":     nil,
		"magic":     []byte("GEOJSON!"),
		"truncated": good.Bytes()[:good.Len()-3],
		"huge":      append([]byte(polyMagic), 0xff, 0xff, 0xff, 0xff, 0x0f),
	} {
		if _, err := ReadPolygonsBin(name, bytes.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzReadPolygonsBin(f *testing.F) {
	var b bytes.Buffer
	_ = WritePolygonsBin(&b, map[string]orb.MultiPolygon{"23096": {{{{1, 1}, {1.00001, 1}, {1.00001, 1.00001}, {1, 1}}}}})
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		polys, err := ReadPolygonsBin("fuzz", bytes.NewReader(in))
		if err != nil {
			return
		}
		for code, mp := range polys {
			for _, poly := range mp {
				for _, r := range poly {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Fatalf("%s: invalid ring accepted", code)
					}
				}
			}
		}
	})
}
