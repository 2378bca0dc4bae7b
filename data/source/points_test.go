package source

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"

	"github.com/paulmach/orb"
)

func realPointRows(t testing.TB) []PointRow {
	t.Helper()
	rows, _ := readExtract(t, ReadCommunePoints, "real", "communes-points.csv")
	return rows
}

func TestReadCommunePointsReal(t *testing.T) {
	rows, checks := readExtract(t, ReadCommunePoints, "real", "communes-points.csv")
	// 311 data rows in the extract (wc -l minus the header); 60694 and
	// 85165 have empty lat/lng: 2 Warnings, no rejected row.
	if len(rows) != 311 || checks.Count(data.Warning) != 2 || checks.Count(data.Rejected) != 0 {
		t.Fatalf("%d rows, checks %v; want 311 rows, 2 warnings", len(rows), checks)
	}
	for _, ch := range checks {
		if !errors.Is(ch.Err, data.ErrBadCoordinate) || ch.Err.Column != "lat" {
			t.Errorf("check %v", ch.Err)
		}
	}
	// Guéret's line of the source: 23096,COM,23,75,Guéret,23000,46.15847,1.87047,26.21,12840,…,866,5672
	var g PointRow
	for _, r := range rows {
		if r.Code == "23096" {
			g = r
		}
	}
	want := PointRow{Code: "23096", Line: g.Line, Type: "COM", Point: orb.Point{1.87047, 46.15847}, HasPoint: true,
		AreaKm2: 26.21, Population: 12840, Active: 5672, Unemployed: 866}
	if g != want || g.Line < 2 {
		t.Errorf("Guéret = %+v, want %+v", g, want)
	}
	if r := g.UnemploymentRate(); math.Abs(r-866.0/5672) > 1e-15 {
		t.Errorf("rate %v, want 866/5672", r)
	}
}

func TestFoldPointsReal(t *testing.T) {
	c := realCOG(t)
	folded, checks := FoldPoints("communes-points.csv", realPointRows(t), c.Resolver())
	// 311 rows − 85165 (not in the COG extract) fold into 266 communes:
	// 45 arrondissements → 3, 93059 → 93066, 23023 → 23149 (python3).
	if len(folded) != 266 || len(checks) != 1 || !errors.Is(checks[0].Err, data.ErrUnknownINSEE) {
		t.Fatalf("%d communes, checks %v; want 266 and one unknown code", len(folded), checks)
	}
	// Expected values: python3 sums over the rows of the extract; the point
	// of Paris, Marseille, Lyon is Σ pop·point / Σ pop over arrondissements.
	tests := []struct {
		code               string
		lon, lat           float64
		pop, unemp, active float64
		area               float64
	}{
		{"75056", 2.3456063685668487, 48.85981942168035, 2_133_111, 124_666, 1_160_074, 105.4},
		{"13055", 5.398409319830118, 43.299014982361214, 873_076, 54_206, 368_387, 240.62},
		{"69123", 4.842887152474868, 45.75417891808521, 522_250, 31_136, 271_380, 47.87},
		{"93066", 2.3657, 48.9268, 146_321, 13_741, 69_542, 15.77}, // own point, Pierrefitte added
		{"23149", 2.14265, 46.20665, 819, 42, 345, 53.92},          // own point, Blaudeix added
	}
	for _, tt := range tests {
		p := folded[tt.code]
		if !p.HasPoint || math.Abs(p.Point[0]-tt.lon) > 1e-9 || math.Abs(p.Point[1]-tt.lat) > 1e-9 ||
			p.Population != tt.pop || p.Unemployed != tt.unemp || p.Active != tt.active ||
			math.Abs(p.AreaKm2-tt.area) > 1e-9 || p.Code != tt.code {
			t.Errorf("%s = %+v, want %+v", tt.code, p, tt)
		}
		if r := p.UnemploymentRate(); math.Abs(r-tt.unemp/tt.active) > 1e-15 {
			t.Errorf("%s rate %v", tt.code, r)
		}
	}
	if p := folded["60694"]; p.HasPoint {
		t.Errorf("60694 has a point: %+v", p)
	}
}

func TestFoldPointsHand(t *testing.T) {
	res := NewResolver([]data.Commune{{Code: "75056"}, {Code: "23096"}}, map[string]string{"75101": "75056", "75102": "75056", "75103": "75056"})
	rows := []PointRow{
		{Code: "75101", Line: 2, Point: orb.Point{0, 0}, HasPoint: true, Population: 1, Active: 10, Unemployed: 1, AreaKm2: 1},
		{Code: "75102", Line: 3, Point: orb.Point{4, 8}, HasPoint: true, Population: 3, Active: 30, Unemployed: 5, AreaKm2: 2},
		{Code: "75103", Line: 4, Population: 0, Active: 0, Unemployed: 0, AreaKm2: math.NaN()},
		{Code: "23096", Line: 5, Point: orb.Point{1, 46}, HasPoint: true, Population: 5, Active: 0, Unemployed: 0},
	}
	got, checks := FoldPoints("p.csv", rows, res)
	// Point = (1·(0,0) + 3·(4,8)) / 4 = (3, 6); rate = (1+5)/(10+30) = 0.15;
	// area NaN because 75103's is unknown.
	p := got["75056"]
	if len(checks) != 0 || p.Point != (orb.Point{3, 6}) || p.UnemploymentRate() != 0.15 || !math.IsNaN(p.AreaKm2) || p.Line != 2 {
		t.Errorf("75056 = %+v, checks %v", p, checks)
	}
	if r := got["23096"].UnemploymentRate(); !math.IsNaN(r) {
		t.Errorf("rate with 0 active = %v, want NaN", r)
	}
}

func TestMergePointsReal(t *testing.T) {
	c := realCOG(t)
	folded, _ := FoldPoints("communes-points.csv", realPointRows(t), c.Resolver())
	checks := MergePoints("communes-points.csv", c.Communes, folded)
	// 15031 (created 2025-01-01) has no row: one Warning; 97501 and 98901
	// (COM) one summary Warning. 269 communes − those 3 − 60694 (empty
	// lat/lng) = 265 with a point.
	if len(checks) != 2 || !strings.Contains(checks[0].Err.Error(), "15031") ||
		!strings.Contains(checks[1].Err.Error(), "2 communes des collectivités d'outre-mer") {
		t.Errorf("checks %v", checks)
	}
	n := 0
	for _, x := range c.Communes {
		if x.HasPoint {
			n++
		}
		if x.Code == "75056" && x.Point != folded["75056"].Point {
			t.Errorf("Paris point %v", x.Point)
		}
	}
	if n != 265 {
		t.Errorf("%d communes with a point, want 265", n)
	}
}

func TestReadCommunePointsMalformed(t *testing.T) {
	const head = "insee_com,commune_type,lat,lng,population_2021,pop_15_64_active_2021,pop_15_64_chomage_2021\n"
	const good = "23096,COM,46.15847,1.87047,12840,5672,866\n"
	tests := []struct {
		name, in  string
		err       error // error of the call
		column    string
		line      int // line of the error or of the first check
		sev       data.Severity
		rows      int
		checkErrs error
	}{
		{"missing column", "code,lat,lng\n23096,46,1\n", data.ErrMissingColumn, "insee_com", 1, 0, 0, nil},
		{"no rows", head, data.ErrEmptyFile, "", 0, 0, 0, nil},
		{"bad lat", head + good + "23001,COM,abc,1.9,1,1,0\n", nil, "lat", 3, data.Rejected, 1, data.ErrBadNumber},
		{"lat out of range", head + good + "23001,COM,95,1.9,1,1,0\n", nil, "lat", 3, data.Rejected, 1, data.ErrBadCoordinate},
		{"one coordinate empty", head + good + "23001,COM,46.1,,1,1,0\n", nil, "lng", 3, data.Rejected, 1, data.ErrBadNumber},
		{"bad code", head + good + "2300X,COM,46.1,1.9,1,1,0\n", nil, "insee_com", 3, data.Rejected, 1, data.ErrBadCode},
		{"duplicate", head + good + good, nil, "insee_com", 3, data.Rejected, 1, data.ErrDuplicate},
		{"negative population", head + good + "23001,COM,46.1,1.9,-4,1,0\n", nil, "population_2021", 3, data.Warning, 2, data.ErrBadValue},
		{"more unemployed than active", head + good + "23001,COM,46.1,1.9,4,1,2\n", nil, "pop_15_64_chomage_2021", 3, data.Warning, 2, data.ErrBadValue},
		{"decimal comma", "insee_com;lat;lng\n23096;46,15847;1,87047\n", nil, "", 0, 0, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, checks, err := ReadCommunePoints("p.csv", strings.NewReader(tt.in))
			if tt.err != nil {
				assertParseError(t, err, "p.csv", tt.err, tt.line, tt.column)
				return
			}
			if err != nil || len(rows) != tt.rows {
				t.Fatalf("%d rows, err %v", len(rows), err)
			}
			if tt.checkErrs == nil {
				if len(checks) != 0 || rows[0].Point != (orb.Point{1.87047, 46.15847}) {
					t.Fatalf("rows %+v, checks %v", rows, checks)
				}
				return
			}
			if len(checks) != 1 || checks[0].Severity != tt.sev || !errors.Is(checks[0].Err, tt.checkErrs) ||
				checks[0].Err.Line != tt.line || checks[0].Err.Column != tt.column || checks[0].Err.File != "p.csv" {
				t.Fatalf("checks %v", checks)
			}
		})
	}
}

// FuzzPointsCSV: ReadCommunePoints returns an error or rows with valid
// codes and in-range points, and FoldPoints never panics on them.
func FuzzPointsCSV(f *testing.F) {
	real := realExtractBytes(f, "communes-points.csv")
	f.Add(real)
	f.Add(bytes.Join(bytes.SplitAfter(real, []byte("\n"))[:20], nil))
	f.Add([]byte("insee_com;lat;lng;population_2021\n75101;48,86;2,33;1\n75102;;;\n"))
	res := NewResolver([]data.Commune{{Code: "75056"}, {Code: "23096"}}, map[string]string{"75101": "75056", "75102": "75056"})
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, _, err := ReadCommunePoints("fuzz.csv", bytes.NewReader(b))
		if fuzztest.Refused[*data.ParseError](t, err) {
			return
		}
		for _, r := range rows {
			if _, err := data.NormINSEE(r.Code); err != nil {
				t.Fatalf("bad code %q", r.Code)
			}
			if r.HasPoint && (math.Abs(r.Point[0]) > 180 || math.Abs(r.Point[1]) > 90 || math.IsNaN(r.Point[0]+r.Point[1])) {
				t.Fatalf("bad point %v", r.Point)
			}
			if rate := r.UnemploymentRate(); rate < 0 || rate > 1 {
				t.Fatalf("rate %v", rate)
			}
		}
		FoldPoints("fuzz.csv", rows, res)
	})
}
