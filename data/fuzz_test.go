package data

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"diagnum/internal/fuzztest"
)

// addFuzzSeeds adds every CSV file of testdata/bad and testdata/sites,
// the first 20 lines of each real extract of testdata/real (indicator-like
// tables: communes-points, FRR, density grid, IFN, QPV), and the inline
// inputs of the table tests, as seeds.
func addFuzzSeeds(f *testing.F) {
	fuzztest.SeedCSV(f, "../testdata")
	fuzztest.SeedLines(f, "../testdata", 20, "real/*.csv")
	for _, tt := range readTableTests {
		f.Add([]byte(tt.input))
	}
	for _, tt := range loadSitesTests {
		f.Add([]byte(tt.input))
	}
	for _, tt := range loadIndicatorsTests {
		f.Add([]byte(tt.input))
	}
}

// checkFuzzError requires a *ParseError of the file, and checks that name
// the file and a line.
func checkFuzzError(t *testing.T, name string, checks Checks, err error) {
	var pe *ParseError
	if err != nil && (!errors.As(err, &pe) || pe.File != name) {
		t.Fatalf("error %v (%T) is not a *ParseError of %s", err, err, name)
	}
	for _, c := range checks {
		if c.Err == nil || c.Err.File != name || c.Err.Line < 1 || c.Err.Err == nil {
			t.Fatalf("check %+v does not name the file and a line", c.Err)
		}
	}
}

// FuzzLoadSitesCSV: an error, or sites with finite coordinates inside a
// territory box, a finite FTE in [0, DefaultMaxFTE], unique non-empty ids,
// well-formed codes; and WriteSitesCSV output loads back to the same sites.
func FuzzLoadSitesCSV(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		sites, checks, err := LoadSitesCSV("f.csv", bytes.NewReader(input), SitesOptions{Known: testKnown})
		checkFuzzLoad(t, "f.csv", sites, checks, err)
	})
}

// checkFuzzLoad checks what a sites loader returned for file name on
// fuzzed input: an error (checkFuzzError) with no sites, or sites that
// pass checkFuzzSites and that WriteSitesCSV writes and LoadSitesCSV
// reads back equal.
func checkFuzzLoad(t *testing.T, name string, sites []Site, checks Checks, err error) {
	t.Helper()
	checkFuzzError(t, name, checks, err)
	if err != nil {
		if sites != nil {
			t.Fatalf("sites %v returned with error %v", sites, err)
		}
		return
	}
	checkFuzzSites(t, sites)
	var buf bytes.Buffer
	if err := WriteSitesCSV(&buf, sites); err != nil {
		t.Fatal(err)
	}
	again, _, err := LoadSitesCSV("f.csv", &buf, SitesOptions{Known: testKnown})
	if err != nil || !reflect.DeepEqual(withoutLines(again), withoutLines(sites)) {
		t.Fatalf("round trip: %v\n got %+v\nwant %+v", err, again, sites)
	}
}

// FuzzLoadIndicatorsCSV: an error that leaves the table untouched, or
// well-formed codes and values that are finite or missing.
func FuzzLoadIndicatorsCSV(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		ind := NewIndicators("old")
		ind.Set("23031", 0, 1)
		checks, err := LoadIndicatorsCSV("f.csv", bytes.NewReader(input), ind)
		checkFuzzError(t, "f.csv", checks, err)
		if err != nil {
			if len(ind.Columns) != 1 || ind.Len() != 1 {
				t.Fatalf("error %v but the table changed: %q", err, ind.Columns)
			}
			return
		}
		if len(ind.vals) != len(ind.Columns) {
			t.Fatalf("%d value columns for %d columns", len(ind.vals), len(ind.Columns))
		}
		for code, r := range ind.row {
			if c, err := NormINSEE(code); err != nil || c != code {
				t.Fatalf("code %q stored", code)
			}
			for col, vals := range ind.vals {
				if len(vals) != ind.Len() {
					t.Fatalf("column %d has %d values for %d rows", col, len(vals), ind.Len())
				}
				if math.IsInf(vals[r], 0) {
					t.Fatalf("row %s holds an infinity", code)
				}
			}
		}
	})
}

// FuzzReadTable: an error, or a header, records on increasing lines after
// it, fields within MaxLineBytes and a known separator and encoding.
func FuzzReadTable(f *testing.F) {
	addFuzzSeeds(f)
	encodings := map[string]bool{"UTF-8": true, "UTF-8 (BOM)": true, "UTF-16LE (BOM)": true, "UTF-16BE (BOM)": true, "UTF-16LE (no BOM)": true, "UTF-16BE (no BOM)": true, "Windows-1252": true}
	f.Fuzz(func(t *testing.T, input []byte) {
		tab, err := ReadTable("f.csv", bytes.NewReader(input))
		checkFuzzError(t, "f.csv", nil, err)
		if err != nil {
			return
		}
		if len(tab.Header) == 0 || !encodings[tab.Encoding] {
			t.Fatalf("header %q, encoding %q", tab.Header, tab.Encoding)
		}
		switch tab.Comma {
		case ';', ',', '\t', '|':
		default:
			t.Fatalf("separator %q", tab.Comma)
		}
		prev := 1
		for _, r := range tab.Records {
			if r.Line <= prev {
				t.Fatalf("record on line %d after line %d", r.Line, prev)
			}
			prev = r.Line
			for _, fld := range r.Fields {
				if len(fld) > MaxLineBytes {
					t.Fatalf("field of %d bytes", len(fld))
				}
			}
		}
	})
}
