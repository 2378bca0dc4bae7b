package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestReadFeaturesLines: the line given for each feature is where its '{'
// stands, counted by brute force while the file is written, on files whose
// features and blanks straddle the decoder's buffer in every way (long
// names, runs of blank lines, CR LF, a BOM, everything on one line).
func TestReadFeaturesLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 40 {
		var b strings.Builder
		if trial%3 == 0 {
			b.WriteString("\xEF\xBB\xBF")
		}
		b.WriteString(`{"type":"FeatureCollection",` + "\n" + `"features":[`)
		var want []int
		n := 1 + rng.IntN(300)
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			for range rng.IntN(3) * (trial % 2) {
				b.WriteString([]string{"\n", "\r\n", " ", "\t"}[rng.IntN(4)])
			}
			want = append(want, 1+strings.Count(b.String(), "\n"))
			name := strings.Repeat("é", rng.IntN(3000))
			fmt.Fprintf(&b, `{"type":"Feature","properties":{"id":"s%d","nom":"%s",`+"\n"+`"type":"cnfs"}}`, i, name)
		}
		b.WriteString("\n]}\n")
		var got []int
		err := ReadFeatures("f.geojson", strings.NewReader(b.String()), func(i, line int, msg json.RawMessage) error {
			if !bytes.Contains(msg, fmt.Appendf(nil, `"s%d"`, i)) {
				t.Fatalf("trial %d: feature %d is %.60s", trial, i, msg)
			}
			got = append(got, line)
			return nil
		})
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("trial %d: lines %v, want %v", trial, got, want)
		}
	}
}

// TestReadFeaturesErrorLines: the line of an error found late in a
// streamed file (by brute force: the line of the bad byte).
func TestReadFeaturesErrorLines(t *testing.T) {
	feature := `{"type":"Feature","properties":{"id":"a","nom":"` + strings.Repeat("x", 5000) + `","type":"cnfs"}}`
	body := `{"type":"FeatureCollection","features":[` + "\n" + strings.Repeat(feature+",\n", 100)
	tests := []struct {
		tail string
		line int
		text string
	}{
		{feature + ",\n  nulx\n]}", 103, "caractère 'x' inattendu dans le littéral null"},
		{feature + ",\n{\"type\":\"Feature\",\n\"properties\":{\"id\":\"a\",\n\"nom\":tru}}]}", 105, "caractère '}' inattendu dans le littéral true"},
		{feature + "\n{}]}", 103, "après un élément de tableau"},
		{feature + "\n]}\n\n  {}", 105, "données après la fin"},
		{feature + "\n", 102, "fin inattendue"},
		{feature + "\n]", 103, "fin inattendue"},
	}
	for _, tt := range tests {
		err := ReadFeatures("f.geojson", strings.NewReader(body+tt.tail), func(int, int, json.RawMessage) error { return nil })
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tt.line || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%.40q…: %.200v, want line %d and %q", tt.tail[len(feature):], err, tt.line, tt.text)
		}
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestReadFeaturesStreams: a GeoJSON file is read as it is decoded, never
// whole: stopping at the first feature of a 20 MB collection has read
// little more than the head, and a collection larger than the size limit
// fails with ErrTooLarge once past it, holding no more than the decoder's
// buffer.
func TestReadFeaturesStreams(t *testing.T) {
	feature := `{"type":"Feature","properties":{"id":"a","nom":"` + strings.Repeat("x", 1000) + `","type":"cnfs"}},` + "\n"
	big := `{"type":"FeatureCollection","features":[` + strings.Repeat(feature, 20_000) + feature[:len(feature)-2] + "]}"
	stop := errors.New("stop")
	cr := &countingReader{r: strings.NewReader(big)}
	if err := ReadFeatures("f.geojson", cr, func(int, int, json.RawMessage) error { return stop }); err != stop {
		t.Fatalf("got %v, want the callback's error", err)
	}
	if cr.n > 1<<20 {
		t.Errorf("%d bytes read to give the first feature of %d", cr.n, len(big))
	}
	defer func(v int64) { maxFileBytes = v }(maxFileBytes)
	maxFileBytes = 5 << 20
	n := 0
	err := ReadFeatures("f.geojson", io.MultiReader(strings.NewReader(big)), func(int, int, json.RawMessage) error { n++; return nil })
	if !errors.Is(err, ErrTooLarge) || n == 0 || n > 5<<20/len(feature) {
		t.Errorf("beyond the limit: %v after %d features", err, n)
	}
}
