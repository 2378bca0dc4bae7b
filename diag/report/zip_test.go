package report

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strconv"
	"testing"
)

// TestPartZip: parts written in pieces of uneven sizes come out of the
// archive byte for byte, a part of several chunks included (its chunks'
// deflate streams concatenated); the picture is stored, the rest
// deflated; entries are in reverse name order; the Default elements of
// the content types are sorted, the rest of that part kept.
func TestPartZip(t *testing.T) {
	var big bytes.Buffer
	for i := 0; big.Len() < 2*zipChunkSize+12345; i++ {
		big.WriteString(`<row r="` + strconv.Itoa(i) + `"><c t="n"><v>` + strconv.Itoa(i*7919%100003) + `</v></c></row>`)
	}
	png := []byte("\x89PNG\r\n\x1a\n not really compressed data")
	ct := `<Types><Default Extension="xml" ContentType="x"/><Default Extension="png" ContentType="p"/>` +
		`<Default Extension="bin" ContentType="b"></Default><Override PartName="/a.xml"/></Types>`
	wantCT := `<Types><Default Extension="bin" ContentType="b"></Default><Default Extension="png" ContentType="p"/>` +
		`<Default Extension="xml" ContentType="x"/><Override PartName="/a.xml"/></Types>`
	parts := []struct{ name, data string }{
		{"xl/worksheets/sheet2.xml", big.String()},
		{contentTypesPart, ct},
		{"xl/media/image1.png", string(png)},
		{"a.xml", ""},
	}
	var out bytes.Buffer
	z := newPartZip(&out)
	for _, p := range parts {
		w, err := z.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		for s, k := p.data, 1; len(s) > 0; k = k*3 + 1 { // pieces of 1, 4, 13, … bytes
			n := min(k, len(s))
			if _, err := w.Write([]byte(s[:n])); err != nil {
				t.Fatal(err)
			}
			s = s[n:]
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if want := []string{"xl/worksheets/sheet2.xml", "xl/media/image1.png", "a.xml", contentTypesPart}; !slices.Equal(names, want) {
		t.Errorf("entries %q, want %q", names, want)
	}
	want := map[string]string{parts[0].name: parts[0].data, contentTypesPart: wantCT, parts[2].name: parts[2].data, "a.xml": ""}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r) // checks the CRC and size
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if string(got) != want[f.Name] {
			t.Errorf("%s: %d bytes differ from the %d written", f.Name, len(got), len(want[f.Name]))
		}
		if method := map[bool]uint16{true: zip.Store, false: zip.Deflate}[f.Name == parts[2].name]; f.Method != method {
			t.Errorf("%s: method %d, want %d", f.Name, f.Method, method)
		}
	}
	if f := zr.File[0]; f.CompressedSize64 >= f.UncompressedSize64/2 {
		t.Errorf("sheet: %d bytes compressed to %d", f.UncompressedSize64, f.CompressedSize64)
	}
}
