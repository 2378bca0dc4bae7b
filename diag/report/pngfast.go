package report

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"image/draw"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// encodePNG writes img as an 8-bit PNG, RGB when every pixel is opaque
// (the map always is) and RGBA (not premultiplied) otherwise, the pixels image/png's decoder
// gives back (TestEncodePNG). Faster than image/png for the national map
// (a tenth of its time went to image/png's filter choice and zlib):
// every row takes the Up filter (the map's flat colour areas repeat row
// after row), and the rows are deflated at the fastest level in bands,
// one per core at once, each band a deflate stream ended by a sync flush
// so that the bands concatenate into one zlib stream (Adler-32 combined).
func encodePNG(w io.Writer, img *image.RGBA) error {
	b := img.Rect
	width, height := b.Dx(), b.Dy()
	opaque := img.Opaque()
	bpp := 3
	if !opaque {
		// PNG's alpha is not premultiplied: RGBA rows from an NRGBA copy.
		bpp = 4
		n := image.NewNRGBA(b)
		draw.Draw(n, b, img, b.Min, draw.Src)
		img = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	stride := 1 + width*bpp // filter byte, pixels

	// Bands of rows, filtered and deflated on every core.
	const bandRows = 64
	nb := (height + bandRows - 1) / bandRows
	type band struct {
		out   bytes.Buffer
		adler uint32
		n     int // bytes before compression
	}
	bands := make([]band, nb)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), nb) {
		wg.Go(func() {
			fw, _ := flate.NewWriter(nil, flate.BestSpeed) // a valid level: no error
			raw := make([]byte, bandRows*stride)
			for k := range next {
				y0, y1 := b.Min.Y+k*bandRows, min(b.Min.Y+(k+1)*bandRows, b.Max.Y)
				r := raw[:0]
				for y := y0; y < y1; y++ {
					r = appendUpRow(r, img, y, opaque)
				}
				bd := &bands[k]
				bd.adler, bd.n = adler32.Checksum(r), len(r)
				bd.out.Grow(len(r)/8 + 64)
				fw.Reset(&bd.out)
				_, _ = fw.Write(r) // a bytes.Buffer does not fail
				if k == nb-1 {
					_ = fw.Close()
				} else {
					_ = fw.Flush()
				}
			}
		})
	}
	for k := range nb {
		next <- k
	}
	close(next)
	wg.Wait()

	var adler uint32 = 1
	idat := 2 + 4 // zlib header and Adler-32
	for i := range bands {
		adler = adler32Combine(adler, bands[i].adler, bands[i].n)
		idat += bands[i].out.Len()
	}
	if nb == 0 { // no row: an empty final block
		var e bytes.Buffer
		fw, _ := flate.NewWriter(&e, flate.BestSpeed)
		_ = fw.Close()
		bands = append(bands, band{out: e})
		idat += e.Len()
	}

	bw := &pngChunkWriter{w: w}
	bw.raw([]byte("\x89PNG\r\n\x1a\n"))
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8] = 8 // bit depth
	ihdr[9] = 6 // RGBA
	if opaque {
		ihdr[9] = 2 // RGB
	}
	bw.chunk("IHDR", ihdr[:])
	// One IDAT: zlib header (deflate, 32 KiB window, fastest), bands,
	// Adler-32 of the filtered rows.
	bw.begin("IDAT", idat)
	bw.part([]byte{0x78, 0x01})
	for i := range bands {
		bw.part(bands[i].out.Bytes())
	}
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], adler)
	bw.part(a[:])
	bw.end()
	bw.chunk("IEND", nil)
	return bw.err
}

// appendUpRow appends row y of img, filtered with PNG's Up filter (each
// byte minus the byte above it; the first row as it is), RGB when
// opaque.
func appendUpRow(r []byte, img *image.RGBA, y int, opaque bool) []byte {
	r = append(r, 2) // filter type Up
	row := img.Pix[img.PixOffset(img.Rect.Min.X, y):][:4*img.Rect.Dx()]
	var up []byte
	if y > img.Rect.Min.Y {
		up = img.Pix[img.PixOffset(img.Rect.Min.X, y-1):][:4*img.Rect.Dx()]
	}
	for i := 0; i < len(row); i += 4 {
		n := 4
		if opaque {
			n = 3
		}
		for j := range n {
			v := row[i+j]
			if up != nil {
				v -= up[i+j]
			}
			r = append(r, v)
		}
	}
	return r
}

// adler32Combine returns the Adler-32 of A‖B from a = Adler-32(A),
// b = Adler-32(B) and n = |B|: with A's sums s1, s2 and B's t1, t2 (each
// started at 1 and 0), A‖B has s1 + t1 − 1 and s2 + t2 + n·(s1 − 1),
// modulo 65521.
func adler32Combine(a, b uint32, n int) uint32 {
	const mod = 65521
	s1, s2 := uint64(a&0xffff), uint64(a>>16)
	t1, t2 := uint64(b&0xffff), uint64(b>>16)
	r := uint64(n) % mod
	u1 := (s1 + t1 + mod - 1) % mod
	u2 := (s2 + t2 + r*((s1+mod-1)%mod)) % mod
	return uint32(u2<<16 | u1)
}

// pngChunkWriter writes PNG chunks, keeping the first error.
type pngChunkWriter struct {
	w   io.Writer
	crc uint32
	err error
}

func (c *pngChunkWriter) raw(b []byte) {
	if c.err == nil {
		_, c.err = c.w.Write(b)
	}
}

// begin starts a chunk of n data bytes.
func (c *pngChunkWriter) begin(typ string, n int) {
	var h [8]byte
	binary.BigEndian.PutUint32(h[:4], uint32(n))
	copy(h[4:], typ)
	c.raw(h[:])
	c.crc = crc32.ChecksumIEEE(h[4:])
}

// part writes data bytes of the chunk begun.
func (c *pngChunkWriter) part(b []byte) {
	c.crc = crc32.Update(c.crc, crc32.IEEETable, b)
	c.raw(b)
}

// end ends the chunk with its CRC.
func (c *pngChunkWriter) end() {
	var t [4]byte
	binary.BigEndian.PutUint32(t[:], c.crc)
	c.raw(t[:])
}

// chunk writes a whole chunk.
func (c *pngChunkWriter) chunk(typ string, data []byte) {
	c.begin(typ, len(data))
	c.part(data)
	c.end()
}
