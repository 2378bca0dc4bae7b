package report

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// partZip is the excelize.ZipWriter of WriteWorkbook. excelize hands it
// the parts of the workbook one after the other; partZip compresses them
// in chunks of zipChunkSize bytes on every core at once, at zlib's
// fastest level (a chunk is an independent deflate stream ended by a
// sync flush, so the chunks of a part concatenate into one valid
// stream), stores the pictures as they are (a PNG is already
// compressed), and on Close writes the archive with its entries in
// reverse name order (excelize's own order for the parts it does not
// stream) and the Default elements of [Content_Types].xml sorted:
// excelize writes streamed sheets, and those elements, in map order, and
// the bytes of the workbook must depend on its content only.
//
// At most one chunk per core, plus one, is being compressed or waiting
// to be: memory stays bounded by the compressed workbook.
type partZip struct {
	dst   io.Writer
	parts []*zipPart
	cur   *zipPart
	slots chan struct{} // a token per chunk in flight
	wg    sync.WaitGroup
	// rows are the rows of streamed sheets, by part name, compressed
	// as they were written (sheet.add); each goes right after the
	// <sheetData> of its part (splice).
	rows map[string]*zipPart
	err  error
}

// zipChunkSize is the size of the chunks compressed in parallel.
const zipChunkSize = 1 << 20

// zipLevel is the deflate level of the parts: the fastest. The national
// workbook's parts compress to about 10 % more bytes than at the default
// level, for a fraction of the time (its compression was a fifth of the
// national run).
const zipLevel = flate.BestSpeed

func newPartZip(dst io.Writer) excelize.ZipWriter {
	return &partZip{dst: dst, slots: make(chan struct{}, runtime.GOMAXPROCS(0)+1)}
}

// segment returns a writer of bytes to be spliced into the part name
// after its <sheetData> (the rows of a streamed sheet): they are
// compressed in chunks as they come, like a part's; call end once
// written.
func (z *partZip) segment(name string) *zipPart {
	if z.rows == nil {
		z.rows = make(map[string]*zipPart)
	}
	p := &zipPart{z: z, name: name}
	z.rows[name] = p
	return p
}

// end compresses the rest of a segment (not ending the deflate stream:
// the part goes on after it).
func (p *zipPart) end() {
	if len(p.buf) > 0 {
		p.compress(p.buf, false)
	}
	p.buf = nil
}

// sheetDataTag is the start of the rows of a worksheet part.
const sheetDataTag = "<sheetData>"

// splice appends the segment seg to p: its compressed chunks, and its
// CRC and size combined with p's.
func (p *zipPart) splice(seg *zipPart) {
	if len(p.buf) > 0 {
		p.compress(p.buf, false)
		p.buf = nil
	}
	p.chunks = append(p.chunks, seg.chunks...)
	p.crc = crc32Combine(p.crc, seg.crc, seg.size)
	p.size += seg.size
}

// zipPart is a part being written: its CRC and size so far, the chunk
// being filled, and the compressed chunks.
type zipPart struct {
	z      *partZip
	name   string
	seg    *zipPart // rows to splice in after <sheetData>, nil once done
	head   []byte   // the bytes written before <sheetData> was seen
	store  bool     // a picture: stored uncompressed
	whole  bool     // [Content_Types].xml: rewritten once complete
	crc    uint32
	size   uint64
	buf    []byte
	chunks []*zipChunk
}

type zipChunk struct {
	out  bytes.Buffer
	done chan struct{}
}

// Create starts the part name (ending the previous one).
func (z *partZip) Create(name string) (io.Writer, error) {
	z.finish()
	ext := strings.ToLower(path.Ext(name))
	z.cur = &zipPart{z: z, name: name, whole: name == contentTypesPart,
		store: ext == ".png" || ext == ".jpeg" || ext == ".jpg" || ext == ".gif"}
	z.cur.seg = z.rows[name]
	delete(z.rows, name)
	z.parts = append(z.parts, z.cur)
	return z.cur, nil
}

// AddFS is not used by excelize's writing of a workbook.
func (z *partZip) AddFS(fs.FS) error { return errors.New("partZip: AddFS not supported") }

func (p *zipPart) Write(b []byte) (int, error) {
	if p.seg == nil {
		return p.write(b)
	}
	// Hold the bytes until <sheetData> is complete, then write them,
	// the rows and the rest.
	p.head = append(p.head, b...)
	i := bytes.Index(p.head, []byte(sheetDataTag))
	if i < 0 {
		return len(b), nil
	}
	i += len(sheetDataTag)
	p.write(p.head[:i])
	p.splice(p.seg)
	p.seg = nil
	p.write(p.head[i:])
	p.head = nil
	return len(b), nil
}

// write adds b to the part.
func (p *zipPart) write(b []byte) (int, error) {
	n := len(b)
	if !p.whole {
		p.crc = crc32.Update(p.crc, crc32.IEEETable, b)
		p.size += uint64(n)
	}
	for len(b) > 0 {
		if p.buf == nil {
			p.buf = (*chunkBufs.Get().(*[]byte))[:0]
		}
		k := len(b)
		if !p.whole && !p.store {
			k = min(k, zipChunkSize-len(p.buf))
		}
		p.buf = append(p.buf, b[:k]...)
		b = b[k:]
		if !p.whole && !p.store && len(p.buf) == zipChunkSize {
			p.compress(p.buf, false)
			p.buf = nil
		}
	}
	return n, nil
}

// compress compresses data on another goroutine as the next chunk of
// the part; final ends the deflate stream.
func (p *zipPart) compress(data []byte, final bool) {
	c := &zipChunk{done: make(chan struct{})}
	p.chunks = append(p.chunks, c)
	if p.store {
		c.out.Write(data)
		close(c.done)
		return
	}
	p.z.slots <- struct{}{}
	p.z.wg.Go(func() {
		defer func() { <-p.z.slots; close(c.done) }()
		c.out.Grow(len(data)/4 + 1024) // XML deflates to about a fifth
		fw := flateWriters.Get().(*flate.Writer)
		fw.Reset(&c.out)
		// Writing to a bytes.Buffer does not fail.
		_, _ = fw.Write(data)
		if final {
			_ = fw.Close()
		} else {
			_ = fw.Flush()
		}
		flateWriters.Put(fw)
		if cap(data) == zipChunkSize {
			chunkBufs.Put(&data)
		}
	})
}

// chunkBufs holds the buffers of the chunks, reused once compressed.
var chunkBufs = sync.Pool{New: func() any {
	b := make([]byte, 0, zipChunkSize)
	return &b
}}

var flateWriters = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(nil, zipLevel) // a valid level: no error
	return fw
}}

// finish ends the current part: its last chunk, the content types
// sorted first.
func (z *partZip) finish() {
	p := z.cur
	if p == nil {
		return
	}
	z.cur = nil
	if p.seg != nil { // no <sheetData>: the rows have nowhere to go
		z.err = errors.Join(z.err, errors.New("partZip: no "+sheetDataTag+" in "+p.name+" for its rows"))
		p.write(p.head)
		p.head = nil
	}
	if p.whole {
		p.buf = sortContentTypes(p.buf)
		p.crc = crc32.ChecksumIEEE(p.buf)
		p.size = uint64(len(p.buf))
	}
	p.compress(p.buf, true)
	p.buf = nil
}

// Close waits for the compressions and writes the archive to dst.
func (z *partZip) Close() error {
	z.finish()
	z.wg.Wait()
	for name := range z.rows {
		z.err = errors.Join(z.err, errors.New("partZip: rows of "+name+" without their part"))
	}
	if z.err != nil {
		return z.err
	}
	parts := slices.Clone(z.parts)
	slices.SortFunc(parts, func(a, b *zipPart) int { return strings.Compare(b.name, a.name) })
	zw := zip.NewWriter(z.dst)
	for _, p := range parts {
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: p.crc, UncompressedSize64: p.size}
		if p.store {
			h.Method = zip.Store
		}
		for _, c := range p.chunks {
			<-c.done
			h.CompressedSize64 += uint64(c.out.Len())
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			return err
		}
		for _, c := range p.chunks {
			if _, err := w.Write(c.out.Bytes()); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

// contentTypesPart is the name of the content types part of a workbook.
const contentTypesPart = "[Content_Types].xml"

// defaultElem matches a Default element of [Content_Types].xml.
var defaultElem = regexp.MustCompile(`<Default [^>]*(/>|></Default>)`)

// sortContentTypes returns the content types part b with its Default
// elements sorted in place.
func sortContentTypes(b []byte) []byte {
	loc := defaultElem.FindAllIndex(b, -1)
	elems := make([]string, len(loc))
	for i, l := range loc {
		elems[i] = string(b[l[0]:l[1]])
	}
	slices.Sort(elems)
	var out bytes.Buffer
	prev := 0
	for i, l := range loc {
		out.Write(b[prev:l[0]])
		out.WriteString(elems[i])
		prev = l[1]
	}
	out.Write(b[prev:])
	return out.Bytes()
}

// crc32Combine returns the IEEE CRC-32 of the concatenation A‖B from
// crcA = CRC(A), crcB = CRC(B) and lenB = |B| bytes:
//
//	CRC(A‖B) = crcA · x^(8·lenB) mod P  ⊕  crcB
//
// in GF(2)[x] modulo the CRC polynomial P (bit-reflected: bit 31 is
// x^0). The pre- and post-inversions cancel out in this identity.
func crc32Combine(crcA, crcB uint32, lenB uint64) uint32 {
	if lenB == 0 {
		return crcA
	}
	p := uint32(1 << 31)  // x^0
	sq := uint32(1 << 23) // x^8
	for n := lenB; n > 0; n >>= 1 {
		if n&1 != 0 {
			p = gf2MulModP(p, sq)
		}
		sq = gf2MulModP(sq, sq)
	}
	return gf2MulModP(p, crcA) ^ crcB
}

// gf2MulModP multiplies a and b, bit-reflected polynomials, modulo the
// IEEE CRC-32 polynomial.
func gf2MulModP(a, b uint32) uint32 {
	var r uint32
	for m := uint32(1 << 31); m != 0; m >>= 1 {
		if a&m != 0 {
			r ^= b
		}
		// b ← b·x mod P
		if b&1 != 0 {
			b = b>>1 ^ crc32.IEEE
		} else {
			b >>= 1
		}
	}
	return r
}
