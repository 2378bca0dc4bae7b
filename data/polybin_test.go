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

// TestPolygonsBinBounds: a point on the bounds (±180°, ±90°) is read, one
// grid step beyond is refused with ErrBadCoordinate.
func TestPolygonsBinBounds(t *testing.T) {
	for _, c := range []struct {
		x, y float64
		ok   bool
	}{{180, 90, true}, {-180, -90, true}, {180.00001, 0, false}, {-180.00001, 0, false}, {0, 90.00001, false}, {0, -90.00001, false}} {
		var b bytes.Buffer
		ring := orb.Ring{{c.x, c.y}, {0, 0}, {0, 1}, {c.x, c.y}}
		if err := WritePolygonsBin(&b, map[string]orb.MultiPolygon{"01001": {{ring}}}); err != nil {
			t.Fatal(err)
		}
		polys, err := ReadPolygonsBin("p.bin", &b)
		if c.ok && (err != nil || polys["01001"][0][0][0] != (orb.Point{c.x, c.y})) {
			t.Errorf("(%v, %v): %v, %v", c.x, c.y, polys, err)
		}
		if !c.ok && !errors.Is(err, ErrBadCoordinate) {
			t.Errorf("(%v, %v): err = %v, want ErrBadCoordinate", c.x, c.y, err)
		}
	}
}
