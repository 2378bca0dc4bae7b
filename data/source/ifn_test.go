package source

import (
	"errors"
	"math"
	"testing"

	"diagnum/data"
)

func TestReadIFNReal(t *testing.T) {
	rows, checks := readExtract(t, ReadIFN, "real", "ifn-communes.csv")
	// 305 rows in the extract; 26274 (Rochefourchat, 1 inhabitant) has
	// score 0.00, read as missing with a Warning.
	if len(rows) != 305 || len(checks) != 1 || checks[0].Err.Column != "score_global_reg" {
		t.Fatalf("%d rows, checks %v", len(rows), checks)
	}
	folded, fc := FoldIFN("ifn-communes.csv", rows, realCOG(t).Resolver())
	// 26274 is not in the COG extract (Warning); the 304 others fold into
	// 260 communes (45 arrondissements → 3, 93059 → 93066, 23023 → 23149).
	if len(folded) != 260 || len(fc) != 1 || !errors.Is(fc[0].Err, data.ErrUnknownINSEE) {
		t.Fatalf("%d communes, checks %v", len(folded), fc)
	}
	// python3 on the extract: Σ p16_pop·score / Σ p16_pop and Σ p16_pop65p / Σ p16_pop.
	for code, want := range map[string]IFN{
		"69123": {112.87149055158572, 0.1467824974064127},
		"93066": {106.92215584452437, 0.09489149481062138},
		"23096": {116.78, 3120.0 / 13275},
	} {
		got := folded[code]
		if math.Abs(got.Score-want.Score) > 1e-9 || math.Abs(got.Part65-want.Part65) > 1e-12 {
			t.Errorf("%s = %+v, want %+v", code, got, want)
		}
	}
}

func TestFoldIFNHand(t *testing.T) {
	res := NewResolver([]data.Commune{{Code: "13055"}, {Code: "75056"}},
		map[string]string{"13201": "13055", "13202": "13055", "75101": "75056", "75102": "75056"})
	nan := math.NaN()
	rows := []IFNRow{
		{Code: "75101", Score: 100, Pop: 1, Pop65: 1},
		{Code: "75102", Score: 120, Pop: 3, Pop65: 0},
		{Code: "13201", Score: 100, Pop: nan, Pop65: nan},
		{Code: "13202", Score: 110, Pop: 10, Pop65: 2},
	}
	got, checks := FoldIFN("f", rows, res)
	// 75056: (1·100 + 3·120)/4 = 115, part 1/4. 13055: a population is
	// unknown, so plain mean (100+110)/2 = 105 and no part_65_plus.
	if len(checks) != 0 || got["75056"] != (IFN{115, 0.25}) || got["13055"].Score != 105 || !math.IsNaN(got["13055"].Part65) {
		t.Errorf("got %+v, checks %v", got, checks)
	}
}

func TestReadIFNMalformed(t *testing.T) {
	assertRefused(t, ReadIFN, "i.csv", refusal{name: "missing column", in: "insee_com,score_global_dep\n23096,1\n",
		err: data.ErrMissingColumn, line: 1, column: "score_global_reg"})
	in := "insee_com,score_global_reg,p16_pop,p16_pop65p\n23096,116.78,13275,3120\n23096,1,1,1\n2309,x,1,1\nABC,1,1,1\n"
	rows, checks := readInline(t, ReadIFN, "i.csv", in)
	// Line 3 duplicate (Rejected); line 4 "2309" → 02309 with a bad score
	// (Warning, kept); line 5 bad code (Rejected).
	if len(rows) != 2 || len(checks) != 3 || checks[0].Err.Line != 3 || !errors.Is(checks[0].Err, data.ErrDuplicate) ||
		checks[1].Severity != data.Warning || checks[2].Err.Line != 5 || !math.IsNaN(rows[1].Score) || rows[1].Code != "02309" {
		t.Errorf("rows %+v, checks %v", rows, checks)
	}
}
