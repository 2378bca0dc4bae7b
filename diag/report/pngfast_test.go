package report

import (
	"bytes"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestEncodePNG: image/png decodes encodePNG's output to the pixels
// image/png's own encoding decodes to (the pixels written when opaque;
// with alpha, both un-premultiply), in one band or many, odd sizes
// included.
func TestEncodePNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		w, h   int
		opaque bool
	}{{1, 1, true}, {3, 2, false}, {17, 64, true}, {33, 65, false}, {200, 300, true}, {64, 129, false}} {
		img := image.NewRGBA(image.Rect(0, 0, tc.w, tc.h))
		for y := range tc.h {
			for x := range tc.w {
				// Flat areas and noise, as a map has.
				c := color.RGBA{uint8(x / 7 * 40), uint8(y / 5 * 30), 200, 255}
				if rng.IntN(4) == 0 {
					c = color.RGBA{uint8(rng.Uint32()), uint8(rng.Uint32()), uint8(rng.Uint32()), 255}
				}
				if !tc.opaque {
					c.A = uint8(rng.Uint32())
					c.R, c.G, c.B = min(c.R, c.A), min(c.G, c.A), min(c.B, c.A) // premultiplied
				}
				img.SetRGBA(x, y, c)
			}
		}
		var buf bytes.Buffer
		if err := encodePNG(&buf, img); err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(&buf)
		if err != nil {
			t.Fatalf("%dx%d: %v", tc.w, tc.h, err)
		}
		var ref bytes.Buffer
		if err := png.Encode(&ref, img); err != nil {
			t.Fatal(err)
		}
		want, err := png.Decode(&ref)
		if err != nil {
			t.Fatal(err)
		}
		for y := range tc.h {
			for x := range tc.w {
				r1, g1, b1, a1 := got.At(x, y).RGBA()
				r2, g2, b2, a2 := want.At(x, y).RGBA()
				if tc.opaque {
					r2, g2, b2, a2 = img.At(x, y).RGBA()
				}
				if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
					t.Fatalf("%dx%d pixel (%d, %d): %v, want %v", tc.w, tc.h, x, y, got.At(x, y), want.At(x, y))
				}
			}
		}
	}
}

// TestAdler32Combine: the combined checksum of two pieces is the
// checksum of their concatenation.
func TestAdler32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range [][2]int{{0, 0}, {0, 9}, {9, 0}, {1, 1}, {5552, 70000}, {100000, 3}} {
		a, b := make([]byte, n[0]), make([]byte, n[1])
		for i := range a {
			a[i] = 255 - byte(rng.IntN(3))
		}
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		want := adler32.Checksum(append(append([]byte{}, a...), b...))
		if got := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), len(b)); got != want {
			t.Errorf("lengths %v: %08x, want %08x", n, got, want)
		}
	}
}
