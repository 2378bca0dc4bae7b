package report

import (
	"bytes"
	"image"
	"testing"

	"gonum.org/v1/plot/vg/vgimg"
)

// TestCommuneShapesBands: the communes drawn in bands on several
// goroutines (every shape crossing a band drawn into a scratch copy
// whose band rows are copied back) give the pixels of one pass on one
// goroutine, byte for byte, whatever the number of bands; the Creuse's
// 258 communes cross the bands' edges many times.
func TestCommuneShapesBands(t *testing.T) {
	ds, cs := creuseDataset(t)
	in, m, err := prepareMap(MapInput{Title: "Creuse", Communes: cs, Dataset: ds})
	if err != nil {
		t.Fatal(err)
	}
	W, H := canvasSize(&in)
	draw := func(workers int) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, in.Width, in.Height))
		c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(mapDPI))
		l := layoutMap(W, H, &in, m)
		newMapRaster(c.Image().(*image.RGBA)).communeShapes(l.view, l.u, m, workers)
		return c.Image().(*image.RGBA)
	}
	one := draw(1)
	white := 0
	for i := 0; i < len(one.Pix); i += 4 {
		if one.Pix[i] == 0xff && one.Pix[i+1] == 0xff && one.Pix[i+2] == 0xff {
			white++
		}
	}
	if white > len(one.Pix)/4*9/10 {
		t.Fatalf("%d white pixels of %d: the communes were not drawn", white, len(one.Pix)/4)
	}
	for _, workers := range []int{2, 3, 7} {
		if got := draw(workers); !bytes.Equal(got.Pix, one.Pix) {
			n := 0
			for i := range got.Pix {
				if got.Pix[i] != one.Pix[i] {
					n++
				}
			}
			t.Errorf("%d workers: %d bytes differ from one pass", workers, n)
		}
	}
}
