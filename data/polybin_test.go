package data

import (
	"bytes"
	"errors"
	"testing"

	"github.com/paulmach/orb"
)

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
