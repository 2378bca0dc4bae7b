package source

import (
	"fmt"
	"io"
	"math"

	"diagnum/data"
)

// IFNRow is one commune of the MedNum digital-fragility file
// (mednum-ifn-2020/ifn_communes.csv). Numbers are NaN when unknown.
type IFNRow struct {
	Code  string  // INSEE code as in the file (COG ≈ 2019, arrondissements included)
	Line  int     // line in the file
	Score float64 // score_global_reg: IFN, base 100 = régional average, > 100 = more fragile
	Pop   float64 // p16_pop: population 2016 (INSEE RP, IRIS sums)
	Pop65 float64 // p16_pop65p: population aged 65 and over, 2016
}

// IFN is the fragility data of one commune actuelle, after FoldIFN.
type IFN struct {
	Score  float64 // IFN score (score_global_reg), NaN when unknown
	Part65 float64 // share of people aged 65+ (0–1), NaN when unknown
}

// ReadIFN reads ifn_communes.csv of mednum-ifn-2020 (columns insee_com,
// score_global_reg, and optionally p16_pop, p16_pop65p).
//
// Licence: La MedNum does not state the licence of the Indice de
// fragilité numérique (2020). diagnum therefore never embeds it: the file
// is only read when the user supplies it, and a small extract serves as a
// test fixture. Attribution: "La MedNum – Indice de fragilité numérique
// (2020)".
//
// A bad or repeated code is Rejected. A score of 0 means "not computed"
// in this file (8 communes, e.g. 26274 with 1 inhabitant): it is read as
// missing with a Warning, as is any unreadable or negative number.
func ReadIFN(name string, r io.Reader) ([]IFNRow, data.Checks, error) {
	t, idx, err := readTableCols(name, r, "insee_com", "score_global_reg")
	if err != nil {
		return nil, nil, err
	}
	ipop, i65 := t.Index("p16_pop"), t.Index("p16_pop65p")
	var rows []IFNRow
	var checks data.Checks
	seen := map[string]int{}
	for rec, code := range codedRows(t, name, idx[0], seen, &checks) {
		seen[code] = rec.Line
		x := IFNRow{Code: code, Line: rec.Line,
			Score: optNumber(name, rec, idx[1], "score_global_reg", &checks),
			Pop:   optNumber(name, rec, ipop, "p16_pop", &checks),
			Pop65: optNumber(name, rec, i65, "p16_pop65p", &checks)}
		if x.Score == 0 {
			checks.Warn(&data.ParseError{File: name, Line: rec.Line, Column: "score_global_reg",
				Err: fmt.Errorf("%w : un score 0 signifie non calculé ; lu comme absent", data.ErrBadValue)})
			x.Score = math.NaN()
		}
		rows = append(rows, x)
	}
	if len(rows) == 0 {
		return nil, checks, noValidRow(name)
	}
	return rows, checks, nil
}

// FoldIFN maps the rows to the communes actuelles of res (arrondissements
// into Paris, Lyon and Marseille; communes merged since 2019 into their
// commune nouvelle) and combines the rows of each commune:
//
//	Score  = Σ p_i·s_i / Σ p_i over the rows with a score, p_i = Pop,
//	         or the plain mean of the scores when one of those rows has no
//	         population (Marseille: the 2016 detail lacks 13);
//	Part65 = Σ Pop65_i / Σ Pop_i, only when every row has both and Σ Pop > 0.
//
// A row whose code res does not know is dropped with a Warning naming file.
func FoldIFN(file string, rows []IFNRow, res Resolver) (map[string]IFN, data.Checks) {
	var checks data.Checks
	groups := groupByCommune(file, "insee_com", rows, res, func(x IFNRow) (string, int) { return x.Code, x.Line }, &checks)
	out := make(map[string]IFN, len(groups))
	for cur, g := range groups {
		out[cur] = IFN{Score: ifnScore(g), Part65: ifnPart65(g)}
	}
	return out, checks
}

// ifnScore is the population-weighted (else plain) mean of known scores.
func ifnScore(g []IFNRow) float64 {
	var sw, sws, ss float64
	n, weighted := 0, true
	for _, x := range g {
		if math.IsNaN(x.Score) {
			continue
		}
		n++
		ss += x.Score
		if !(x.Pop > 0) {
			weighted = false
			continue
		}
		sw += x.Pop
		sws += x.Pop * x.Score
	}
	switch {
	case n == 0:
		return math.NaN()
	case weighted:
		return sws / sw
	}
	return ss / float64(n)
}

// ifnPart65 is Σ Pop65 / Σ Pop when every row has both.
func ifnPart65(g []IFNRow) float64 {
	var p, p65 float64
	for _, x := range g {
		p += x.Pop
		p65 += x.Pop65
	}
	if !(p > 0) || math.IsNaN(p65) || p65 > p {
		return math.NaN()
	}
	return p65 / p
}
