package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/klauspost/compress/zstd"
	"github.com/paulmach/orb"

	"diagnum/internal/testmust"
)

// binCommunes are communes with and without a point, an empty EPCI, a
// name with accents and a negative zero.
var binCommunes = []Commune{
	{Code: "23096", Name: "Guéret", Dep: "23", Region: "75", EPCI: "200067205", Zone: ZoneMetro, Population: 12817,
		Point: orb.Point{1.8715, 46.16935}, HasPoint: true},
	{Code: "97411", Name: "Saint-Denis", Dep: "974", Region: "04", EPCI: "249740119", Zone: ZoneDROM, Population: 153810,
		Point: orb.Point{55.4481, math.Copysign(0, -1)}, HasPoint: true},
	{Code: "98818", Name: "Nouméa", Dep: "988", Zone: ZoneCOM, Population: 94285},
}

// written returns what write writes of v, failing t on an error: the
// binary table of communes, indicators or sites.
func written[T any](t testing.TB, write func(io.Writer, T) error, v T) []byte {
	t.Helper()
	return testmust.Written(t, func(w io.Writer) error { return write(w, v) })
}

func TestCommunesBinRoundTrip(t *testing.T) {
	b := written(t, WriteCommunesBin, binCommunes)
	got, err := decodeCommunesBin("c.bin", b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, binCommunes) || math.Signbit(got[1].Point[1]) != true {
		t.Errorf("got %+v, want %+v", got, binCommunes)
	}
	if err := WriteCommunesBin(&bytes.Buffer{}, []Commune{binCommunes[1], binCommunes[0]}); err == nil {
		t.Error("communes out of order written")
	}
}

// binIndicators is a table with a missing value, a negative zero and a
// row without values.
func binIndicators() *Indicators {
	t := NewIndicators("qpv", "taux_chomage")
	t.Set("23096", 0, 1)
	t.Set("23096", 1, 0.125)
	t.Set("97411", 1, math.Copysign(0, -1))
	t.rowOf("98818")
	return t
}

func TestIndicatorsBinRoundTrip(t *testing.T) {
	want := binIndicators()
	got, err := decodeIndicatorsBin("i.bin", written(t, WriteIndicatorsBin, want))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Columns, want.Columns) || !reflect.DeepEqual(got.row, want.row) || got.Len() != 3 {
		t.Fatalf("got columns %v rows %v, want %v %v", got.Columns, got.row, want.Columns, want.row)
	}
	for c := range want.vals {
		for r, v := range want.vals[c] {
			if g := got.vals[c][r]; math.Float64bits(g) != math.Float64bits(v) {
				t.Errorf("column %d row %d: %v, want %v", c, r, g, v)
			}
		}
	}
	// The table read back grows like any other: a new row appends to
	// each column without reaching the next one.
	got.Set("01001", 0, 7)
	if v, ok := got.Get("01001", 0); !ok || v != 7 || !math.IsNaN(got.vals[1][3]) || len(got.vals[0]) != 4 {
		t.Errorf("after Set: %v %v, columns %v", v, ok, got.vals)
	}
}

// TestTablesBinErrors: every malformed file gives a *ParseError naming
// it, with ErrBadValue or ErrTooLarge: bad magic, data cut at any byte,
// bytes left over, codes out of order or repeated, huge counts.
func TestTablesBinErrors(t *testing.T) {
	com := written(t, WriteCommunesBin, binCommunes)
	ind := written(t, WriteIndicatorsBin, binIndicators())
	swapped := written(t, WriteCommunesBin, binCommunes[:1])
	dup := bytes.Replace(ind, []byte("97411"), []byte("23096"), 1)
	cases := map[string]struct {
		in  []byte
		ind bool
	}{
		"magic":            {[]byte("DGNPOLY1"), false},
		"empty":            {nil, true},
		"trailing":         {append(slices.Clone(com), 0), false},
		"huge communes":    {append([]byte(communesMagic), 0xff, 0xff, 0xff, 0xff, 0x0f), false},
		"huge rows":        {append([]byte(indicatorsMagic), 0, 0xff, 0xff, 0xff, 0x7f), true},
		"duplicate code":   {dup, true},
		"bad point flag":   {append(swapped[:len(swapped)-17], 2), false},
		"codes in reverse": {communesBinUnsorted(), false},
	}
	for i := range com {
		cases[fmt.Sprintf("communes cut at %d", i)] = struct {
			in  []byte
			ind bool
		}{com[:i], false}
	}
	for i := range ind {
		cases[fmt.Sprintf("indicators cut at %d", i)] = struct {
			in  []byte
			ind bool
		}{ind[:i], true}
	}
	for name, c := range cases {
		var err error
		if c.ind {
			_, err = decodeIndicatorsBin("t.bin", c.in)
		} else {
			_, err = decodeCommunesBin("t.bin", c.in)
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != "t.bin" || !(errors.Is(err, ErrBadValue) || errors.Is(err, ErrTooLarge)) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// communesBinUnsorted writes two communes in decreasing code order (as
// WriteCommunesBin refuses to).
func communesBinUnsorted() []byte {
	var buf bytes.Buffer
	b := newBinWriter(&buf, communesMagic)
	b.uvarint(2)
	for _, code := range []string{"23096", "01001"} {
		for _, s := range []string{code, "x", "", "", "", ""} {
			b.str(s)
		}
		b.varint(1)
		b.w.WriteByte(0)
	}
	b.w.Flush()
	return buf.Bytes()
}

func FuzzDecodeCommunesBin(f *testing.F) {
	f.Add(written(f, WriteCommunesBin, binCommunes))
	f.Add(communesBinUnsorted())
	f.Fuzz(func(t *testing.T, in []byte) {
		cs, err := decodeCommunesBin("fuzz", in)
		checkFuzzError(t, "fuzz", nil, err)
		if err != nil {
			return
		}
		for i := 1; i < len(cs); i++ {
			if cs[i-1].Code >= cs[i].Code {
				t.Fatalf("codes out of order accepted: %q, %q", cs[i-1].Code, cs[i].Code)
			}
		}
		// Written again and read back, they are the same (bit for bit:
		// the writing of a writing is the same bytes).
		once := written(t, WriteCommunesBin, cs)
		again, err := decodeCommunesBin("fuzz", once)
		if err != nil || !bytes.Equal(written(t, WriteCommunesBin, again), once) {
			t.Fatalf("written and read back: %v", err)
		}
	})
}

func FuzzDecodeIndicatorsBin(f *testing.F) {
	f.Add(written(f, WriteIndicatorsBin, binIndicators()))
	f.Fuzz(func(t *testing.T, in []byte) {
		ind, err := decodeIndicatorsBin("fuzz", in)
		checkFuzzError(t, "fuzz", nil, err)
		if err != nil {
			return
		}
		for c := range ind.vals {
			if len(ind.vals[c]) != ind.Len() {
				t.Fatalf("column %d: %d values for %d rows", c, len(ind.vals[c]), ind.Len())
			}
		}
	})
}

// binSites are two sites: every field set, and a bare access point.
var binSites = []Site{
	{ID: "fs-1", Name: "France services de Valserhône", Kind: KindFranceServices, Point: orb.Point{5.8260084241619, 46.1060711578546},
		FTE: 1, INSEE: "01033", Postcode: "01200", SIRET: "13000548100010", Source: "france-services", Date: "2024-08-01", Line: 2},
	{ID: "x", Name: "'=1+1", Kind: KindMediation, Point: orb.Point{-52.65, 5.16}, Line: 7},
}

func TestSitesBin(t *testing.T) {
	in := written(t, WriteSitesBin, binSites)
	got, err := decodeSitesBin("s.bin", in)
	if err != nil || !reflect.DeepEqual(got, binSites) {
		t.Fatalf("got %+v, %v; want %+v", got, err, binSites)
	}
	bad := map[string][]byte{
		"trailing": append(slices.Clone(in), 0),
		"huge":     append([]byte(sitesMagic), 0xff, 0xff, 0xff, 0x7f),
	}
	// The kind byte of the first site follows its id and name.
	k := len(sitesMagic) + 1 + 1 + len("fs-1") + 1 + len(binSites[0].Name)
	bad["kind 0"] = slices.Clone(in)
	bad["kind 0"][k] = 0
	bad["kind 9"] = slices.Clone(in)
	bad["kind 9"][k] = 9
	for i := range in {
		bad[fmt.Sprintf("cut at %d", i)] = in[:i]
	}
	for name, b := range bad {
		_, err := decodeSitesBin("s.bin", b)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != "s.bin" || !(errors.Is(err, ErrBadValue) || errors.Is(err, ErrTooLarge)) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if err := WriteSitesBin(&bytes.Buffer{}, []Site{{ID: "a", Kind: KindOther, Line: -1}}); err == nil {
		t.Error("negative line written")
	}
}

func FuzzDecodeSitesBin(f *testing.F) {
	f.Add(written(f, WriteSitesBin, binSites))
	f.Fuzz(func(t *testing.T, in []byte) {
		sites, err := decodeSitesBin("fuzz", in)
		checkFuzzError(t, "fuzz", nil, err)
		if err != nil {
			return
		}
		for _, s := range sites {
			if s.Kind == KindUnknown || s.Kind > KindOther || s.Line < 0 {
				t.Fatalf("site %q: kind %d, line %d accepted", s.ID, s.Kind, s.Line)
			}
		}
	})
}

// TestLoadDirBadFile: a damaged file of the embedded set stops LoadDir
// with an error naming it (each of the binary files, cut short).
func TestLoadDirBadFile(t *testing.T) {
	base := fstest.MapFS{}
	err := fs.WalkDir(embeddedFS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(embeddedFS(), path)
		base[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{communesFile, indicatorsFile, sitesFile, polygonsFile} {
		fsys := maps.Clone(base)
		b := base[name].Data
		if strings.HasSuffix(name, ".zst") {
			raw, err := readEmbedded(base, name)
			if err != nil {
				t.Fatal(err)
			}
			zw, _ := zstd.NewWriter(nil)
			b = zw.EncodeAll(raw[:len(raw)/2], nil)
		} else {
			b = b[:len(b)/2]
		}
		fsys[name] = &fstest.MapFile{Data: b}
		_, err := LoadDir(fsys)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.File != name || !errors.Is(err, ErrBadValue) {
			t.Errorf("%s cut short: err = %v", name, err)
		}
	}
}
