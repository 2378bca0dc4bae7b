package data

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// genJSON appends a random JSON value of at most depth levels, with
// random blanks (newlines among them), escapes, exponents and invalid
// UTF-8 in strings.
func genJSON(rng *rand.Rand, b []byte, depth int) []byte {
	space := func(b []byte) []byte {
		for range rng.IntN(3) {
			b = append(b, " \t\r\n"[rng.IntN(4)])
		}
		return b
	}
	b = space(b)
	k := rng.IntN(8)
	if depth == 0 {
		k %= 5
	}
	switch k {
	case 0:
		b = append(b, []string{"true", "false", "null"}[rng.IntN(3)]...)
	case 1, 2:
		b = append(b, []string{"0", "-0", "12", "-3.25", "1e5", "2.5E-3", "46.34908", "1e400", "-0.0e+0"}[rng.IntN(9)]...)
	case 3, 4:
		b = append(b, '"')
		for range rng.IntN(6) {
			b = append(b, []string{"a", "é", `\"`, `\\`, `\n`, `\u00e9`, `\/`, "\xff", " ", "Feature", ","}[rng.IntN(11)]...)
		}
		b = append(b, '"')
	case 5, 6:
		b = append(b, '{')
		for i := range rng.IntN(4) {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(space(b), fmt.Sprintf("%q", []string{"type", "a", "id", "x"}[rng.IntN(4)])...)
			b = append(space(b), ':')
			b = genJSON(rng, b, depth-1)
		}
		b = append(space(b), '}')
	default:
		b = append(b, '[')
		for i := range rng.IntN(4) {
			if i > 0 {
				b = append(b, ',')
			}
			b = genJSON(rng, b, depth-1)
		}
		b = append(space(b), ']')
	}
	return space(b)
}

// mutate changes doc in one to three random places: a byte dropped, one
// inserted from JSON's alphabet, or the end cut.
func mutate(rng *rand.Rand, doc []byte) []byte {
	doc = bytes.Clone(doc)
	for range 1 + rng.IntN(3) {
		if len(doc) == 0 {
			break
		}
		i := rng.IntN(len(doc))
		switch rng.IntN(3) {
		case 0:
			doc = append(doc[:i], doc[i+1:]...)
		case 1:
			const alphabet = "{}[]\",:0123456789.-+eEtrufalsnxX \n\\u\x00\x1f"
			doc = append(doc[:i], append([]byte{alphabet[rng.IntN(len(alphabet))]}, doc[i:]...)...)
		default:
			doc = doc[:i]
		}
	}
	return doc
}

// lexAll reads doc as one JSON value to its end with a jsonLexer that
// gets one byte a read (every value straddles the buffer's refills), and
// returns the lines it counted.
func lexAll(doc []byte) (int, error) {
	lx := newJSONLexer(iotest.OneByteReader(bytes.NewReader(doc)))
	lx.mark = -1
	if err := lx.value(0); err != nil {
		return 0, err
	}
	if lx.space() {
		return 0, errJSONLex
	}
	return lx.line, nil
}

// TestJSONLexMatchesEncodingJSON: the lexer accepts exactly what
// json.Valid accepts, on 20,000 random documents (3,000 in make test),
// half of them mutated (bad JSON), and counts their lines.
func TestJSONLexMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 20_000
	if testing.Short() {
		n = 3000
	}
	valid, invalid := 0, 0
	for trial := range n {
		doc := genJSON(rng, nil, 4)
		if trial%2 == 1 {
			doc = mutate(rng, doc)
		}
		want := json.Valid(doc)
		lines, err := lexAll(doc)
		if (err == nil) != want {
			t.Fatalf("%q: lexer error %v, json.Valid %v", doc, err, want)
		}
		if err == nil {
			valid++
			if n := 1 + bytes.Count(doc, []byte("\n")); lines != n {
				t.Fatalf("%q: %d lines, want %d", doc, lines, n)
			}
		} else {
			invalid++
		}
	}
	if valid < n/4 || invalid < n/4 {
		t.Errorf("%d valid and %d invalid documents: the generator misses a side", valid, invalid)
	}
	// Nesting: as deep as the lexer follows, and one level deeper.
	deep := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	if _, err := lexAll(deep(jsonLexMaxDepth)); err != nil {
		t.Errorf("%d levels: %v", jsonLexMaxDepth, err)
	}
	if _, err := lexAll(deep(jsonLexMaxDepth + 1)); err != errJSONLex {
		t.Errorf("%d levels: %v, want errJSONLex", jsonLexMaxDepth+1, err)
	}
}

// genSitesGeoJSON returns a random sites GeoJSON document: plain features
// and every kind the general path handles (escapes, other geometries,
// repeated members, aliases, bad values), one file in four mutated.
func genSitesGeoJSON(rng *rand.Rand) []byte {
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	nl := func() string { return pick("", "", "\n", " ", "\r\n") }
	var b strings.Builder
	if rng.IntN(8) == 0 {
		b.WriteString("\xEF\xBB\xBF")
	}
	b.WriteString("{" + nl())
	if rng.IntN(6) > 0 {
		b.WriteString(pick(`"type":"FeatureCollection",`, `"type":"FeatureCollection",`, `"type":"FeatureCollection",`, `"type":"FeatureCollection",`,
			`"type":"Feature\u0043ollection",`, `"type":3,`, `"type":"Collection",`) + nl())
	}
	if rng.IntN(3) == 0 {
		b.WriteString(`"name":"lieux","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},` + nl())
	}
	b.WriteString(pick(`"features"`, `"features"`, `"features"`, `"features"`, `"features"`, `"featur\u0065s"`) + ":[" + nl())
	for i := range rng.IntN(7) {
		if i > 0 {
			b.WriteString("," + nl())
		}
		var members []string
		if rng.IntN(12) > 0 {
			members = append(members, `"type":`+pick(`"Feature"`, `"Feature"`, `"Feature"`, `"Featur\u0065"`, `"Point"`, `null`))
		}
		switch rng.IntN(10) {
		case 0:
		case 1:
			members = append(members, `"geometry":null`)
		case 2:
			members = append(members, `"geometry":`+pick(`{"type":"MultiPoint","coordinates":[[2.1,46.1]]}`, `{"type":"Point","coordinates":[2.1]}`,
				`{"type":"Point","coordinates":[2.1,46.1,3,4]}`, `{"type":"Point","coordinates":["2.1",46.1]}`, `{"type":"Point","coordinates":[1e400,46]}`,
				`{"type":"Point","coordinates":[2.1,46.1],"bbox":[1]}`, `{"type":"Point","type":"Point","coordinates":[2.1,46.1]}`,
				`{"coordinates":[2.1,46.1]}`, `[2.1,46.1]`, `"Point"`, `{"type":"Point","coordinates":[652000,6862000]}`))
		default:
			members = append(members, fmt.Sprintf(`"geometry":{%s"type":"Point",%s"coordinates":[%s,%s%s]}`, nl(), nl(),
				pick("2.216669", "-1.5e-1", "5.2255", "2", "-0", "1e-5", "200"), pick("46.34908", "4.6e1", "46", "95", "43.1000"), pick("", "", ",350")))
		}
		if rng.IntN(15) == 0 {
			members = append(members, pick(`"properties":null`, `"properties":["id"]`, `"properties":"x"`))
		} else if rng.IntN(15) > 0 {
			var props []string
			for range rng.IntN(9) {
				key := pick("id", "id", "nom", "name", "type", "type", "etp", "fte", "code_insee", "insee", "cp", "code_postal",
					"siret", "source", "date", "latitude", "lat", "longitude", "lon", "lng", "extra", "ID", `na\u006de`)
				val := pick(fmt.Sprintf(`"s%d"`, rng.IntN(4)), `"cnfs"`, `"mediation"`, `"Lieu \"A\" é"`, `" espacé "`, `"0,5"`, `1`, `0.5`,
					`-2`, `null`, `true`, `{"x":[1,"]"]}`, `[1,2]`, `"23031"`, `23031`, `"75056"`, `"2022-05-01"`, `"mai 2022"`, `"46,1"`, `2.1`, `"\u00e9"`)
				props = append(props, fmt.Sprintf(`%q:%s%s`, key, nl(), val))
			}
			if rng.IntN(3) > 0 {
				props = append(props, `"id":"s`+strconv.Itoa(i)+`"`, `"type":"cnfs"`)
			}
			members = append(members, `"properties":{`+strings.Join(props, ","+nl())+`}`)
		}
		if rng.IntN(10) == 0 {
			members = append(members, pick(`"id":3`, `"Type":"Feature"`, `"properties":{}`, `"bbox":[1,2,3,4]`))
		}
		rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		if rng.IntN(20) == 0 {
			b.WriteString(pick("1", `"x"`, "null", "[]"))
			continue
		}
		b.WriteString("{" + strings.Join(members, ","+nl()) + "}")
	}
	b.WriteString(nl() + "]" + nl() + pick("}", "}", "}", "}", "}\n", "}\n\n ", `,"type":"FeatureCollection"}`, `,"features":[]}`, "} {}"))
	doc := []byte(b.String())
	if rng.IntN(5) == 0 {
		doc = mutate(rng, doc)
	}
	return doc
}

// sitesGeoOutcome is what a loader gives, as text.
func sitesGeoOutcome(sites []Site, checks Checks, err error) string {
	return fmt.Sprintf("%+v\n%q\n%v", sites, checkTexts(checks), err)
}

// sitesGeoBoth loads doc through loadSitesGeoJSON (the single pass, the
// decoder after it when it stops) and through json.Decoder alone, and
// tells whether the single pass went to the end. The single pass is also
// run alone on a reader giving one byte a read, so that every token
// straddles the buffer's refills, and its outcome, when it goes to the
// end, must be the same.
func sitesGeoBoth(doc []byte) (single bool, got, want string) {
	opt := SitesOptions{Known: testKnown}
	want = sitesGeoOutcome(loadSitesGeoJSONDecoder("f.geojson", bytes.NewReader(doc), opt))
	g := newSitesGeo("f.geojson", opt, 0)
	n, err := g.stream(context.Background(), newJSONLexer(iotest.OneByteReader(bytes.NewReader(doc))))
	if single = err != errJSONLex; single {
		if got = sitesGeoOutcome(g.finish(n, err)); got != want {
			return single, "(one byte a read) " + got, want
		}
	}
	got = sitesGeoOutcome(loadSitesGeoJSON("f.geojson", bytes.NewReader(doc), opt))
	return single, got, want
}

// TestSitesGeoStreamMatchesDecoder: on 3,000 random sites files (500 in
// make test), valid or not, the single pass gives what json.Decoder gives
// (sites, checks and errors with their lines), and it goes to the end on
// a third of them at least.
func TestSitesGeoStreamMatchesDecoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	single := 0
	n := 3000
	if testing.Short() {
		n = 500
	}
	for range n {
		doc := genSitesGeoJSON(rng)
		one, got, want := sitesGeoBoth(doc)
		if got != want {
			t.Fatalf("%s\nsingle pass: %s\ndecoder:     %s", doc, got, want)
		}
		if one {
			single++
		}
	}
	if single < n/3 {
		t.Errorf("the single pass went to the end on %d files of %d", single, n)
	}
	// A top-level key read across the buffer's first refill (64 KiB), as
	// after a long "name" or "crs" (it once panicked).
	_, gj := sitesFixture(3)
	for _, pad := range []int{65_500, 65_520, 65_536, 200_000} {
		doc := append([]byte(`{"name":"`+strings.Repeat("n", pad)+`",`), gj[1:]...)
		if one, got, want := sitesGeoBoth(doc); !one || got != want || !strings.Contains(got, "s2") {
			t.Errorf("name of %d bytes: single pass to the end %v\n%s\nwant %s", pad, one, got, want)
		}
	}
	// A feature larger than the buffer, which grows to keep it whole.
	big := bytes.Replace(gj, []byte(`"nom":"Lieu numéro 1"`), []byte(`"nom":"`+strings.Repeat("é", 100_000)+`"`), 1)
	if one, got, want := sitesGeoBoth(big); !one || got != want || !strings.Contains(got, "nom de 100000 caractères") {
		t.Errorf("feature of 200 kB: single pass to the end %v\n%.300s\nwant %.300s", one, got, want)
	}
}

// FuzzSitesGeoStream: on any input, loadSitesGeoJSON gives what
// json.Decoder alone gives (sites, checks, error), the single pass
// included.
func FuzzSitesGeoStream(f *testing.F) {
	addSitesGeoJSONSeeds(f)
	rng := rand.New(rand.NewPCG(13, 14))
	for range 20 {
		f.Add(genSitesGeoJSON(rng))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if _, got, want := sitesGeoBoth(doc); got != want {
			t.Fatalf("single pass: %s\ndecoder:     %s", got, want)
		}
	})
}

// TestSitesPointCheck: a point given as numbers (a geometry parsed once)
// is judged as its shortest text is by sitesPoint (the text the decoder
// path wrote before): same point, same column and message, at every
// magnitude.
func TestSitesPointCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	format := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for range 20_000 {
		v := [2]float64{}
		for i := range v {
			v[i] = (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(16)-8))
			if rng.IntN(20) == 0 {
				v[i] = []float64{0, math.Copysign(0, -1), 90, -180, 1000, 1e300, 5e-324}[rng.IntN(7)]
			}
		}
		p1, c1, e1 := sitesPoint(format(v[0]), format(v[1]))
		p2, c2, e2 := sitesPointCheck(v[0], v[1])
		if !reflect.DeepEqual(p1, p2) || c1 != c2 || fmt.Sprint(e1) != fmt.Sprint(e2) {
			t.Fatalf("%v: text %v %q %v, numbers %v %q %v", v, p1, c1, e1, p2, c2, e2)
		}
	}
}

// readAtCancel is a file-like reader (a ReaderAt and Seeker, which the
// single pass reads) that cancels its context once a read starts at or
// past offset at.
type readAtCancel struct {
	*bytes.Reader
	at     int64
	cancel context.CancelFunc
}

func (r *readAtCancel) ReadAt(p []byte, off int64) (int, error) {
	if off >= r.at {
		r.cancel()
	}
	return r.Reader.ReadAt(p, off)
}

// TestSitesGeoStreamInterrupted: the single pass stops with the context's
// error when the context is cancelled halfway through the file (its next
// read fails), and between features when it is cancelled with every byte
// already read.
func TestSitesGeoStreamInterrupted(t *testing.T) {
	_, gj := sitesFixture(5000)
	ctx, cancel := context.WithCancel(context.Background())
	r := WithContext(ctx, &readAtCancel{bytes.NewReader(gj), int64(len(gj) / 2), cancel})
	if _, ok := sectionOf(r); !ok {
		t.Fatal("the reader is not read by the single pass")
	}
	if _, _, err := loadSitesGeoJSON("s.geojson", r, SitesOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled halfway: err = %v", err)
	}
	g := newSitesGeo("s.geojson", SitesOptions{}, 0)
	if n, err := g.stream(ctx, newJSONLexer(bytes.NewReader(gj))); !errors.Is(err, context.Canceled) || n != 0 || len(g.sites) != 0 {
		t.Errorf("cancelled before the first feature: %d features, %d sites, %v", n, len(g.sites), err)
	}
}
