package data

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
)

// indMissing are the cell texts read as a missing value (NaN), compared
// after trimming and lower-casing: empty, NA, N/A, #N/A, nd, n.d.,
// "s" and "secret" (secret statistique), "-", null, NaN.
var indMissing = map[string]bool{
	"": true, "na": true, "n/a": true, "#n/a": true, "nd": true, "n.d": true, "n.d.": true,
	"s": true, "secret": true, "-": true, "null": true, "nan": true,
}

// indCodeColumns are the accepted names of the commune code column.
var indCodeColumns = []string{"code_insee", "codgeo", "insee_com", "code_commune", "code"}

// IFN2023Columns maps the columns of the commune file of the digital
// fragility index 2023 (La MedNum / ANCT, ifn-communes-*.csv: name,
// division, code, then scores 0–10, 10 = most fragile) to the named
// indicators of the fragility index. A file whose header has
// no_thd_coverage_rate is read with these names, and its division column
// (always "city") as a label.
var IFN2023Columns = map[string]string{
	"no_thd_coverage_rate": "ifn_sans_thd",
	"no_4g_coverage_rate":  "ifn_sans_4g",
	"poverty_rate":         "ifn_pauvrete",
	"older_65_rate":        "ifn_65_plus",
	"nscol15p_rate":        "ifn_non_scolarises",
	"total":                "ifn_total",
}

// indColumn is a numeric column of an indicators file.
type indColumn struct {
	name   string
	pos    int       // position in the file
	values []float64 // one per kept row, NaN when missing
	parsed int       // cells holding a number
	bad    Checks    // rejected cells
	first  string    // text of the first rejected cell
}

// LoadIndicatorsCSV reads per-commune indicators into into: a commune code
// column (code_insee, or codgeo, insee_com, code_commune, code) and numeric
// columns; the IFN 2023 file is read with the names of IFN2023Columns. Columns whose name starts with "code", "lib", "nom" or "name"
// are identifiers or labels and are ignored.
//
// Numbers may use a decimal comma (ParseFloatFR). Empty cells and the
// markers NA, N/A, #N/A, nd, n.d., s, secret, -, null and NaN are missing
// values: they stay NaN, never 0. Codes go through NormINSEE.
//
// Checks (rejected): a row with a malformed code (ErrBadCode), a duplicate
// code (ErrDuplicate, the first row wins) or the wrong number of fields;
// a cell that is not a number (ErrBadNumber, with line and column; the
// value is missing). A column where no cell is a number is ignored with
// one warning instead of one check per cell.
//
// Merge: columns are added to into (AddColumn); a value given by the file
// overwrites the one in into, a missing cell leaves into unchanged. Nothing
// is written to into when the error is not nil: a *ParseError for an
// unreadable file, no code column or no numeric column (ErrMissingColumn),
// or no usable row (ErrEmptyFile).
func LoadIndicatorsCSV(name string, r io.Reader, into *Indicators) (Checks, error) {
	return LoadIndicators(name, r, into, IndicatorsOptions{})
}

// IndicatorsOptions are the options of LoadIndicators. The zero value
// checks codes for shape only and reserves no column name.
type IndicatorsOptions struct {
	// Resolve maps a code to the current commune it belongs to (e.g.
	// Dataset.Resolve); a row whose code is no current commune is
	// rejected (ErrUnknownINSEE): a code that does not exist (23999), or
	// an arrondissement or old code (75101), whose values would be
	// ignored by the measures. nil: codes are only checked for shape.
	Resolve func(code string) (string, bool)
	// Reserved are column names that the measures write themselves
	// (population, rang, score_ecart, …): such a column is ignored with a
	// warning (ErrBadValue), compared case-insensitively.
	Reserved []string
}

// LoadIndicators is LoadIndicatorsCSV with options: codes checked
// against the communes, reserved column names refused.
func LoadIndicators(name string, r io.Reader, into *Indicators, opt IndicatorsOptions) (Checks, error) {
	if into == nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("%w : table d'indicateurs absente (nil)", ErrBadValue)}
	}
	t, err := ReadTable(name, r)
	if err != nil {
		return nil, err
	}
	codeCol := t.Index(indCodeColumns...)
	if codeCol < 0 {
		return nil, &ParseError{File: name, Line: 1, Column: "code_insee", Err: fmt.Errorf(
			"%w %q : un fichier d'indicateurs doit avoir une colonne de code de commune (en-tête : %s)",
			ErrMissingColumn, "code_insee", strings.Join(t.Header, string(t.Comma)))}
	}
	cols, checks := indColumns(t, codeCol, opt.Reserved)
	if len(cols) == 0 {
		return checks, &ParseError{File: name, Line: 1, Err: fmt.Errorf(
			"%w : aucune colonne d'indicateur à côté de %q", ErrMissingColumn, t.Header[codeCol])}
	}
	codes, rowChecks := indRows(t, codeCol, cols, opt.Resolve)
	checks = append(checks, rowChecks...)
	checks = append(checks, indColumnChecks(t, cols)...)
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].Err.Line < checks[j].Err.Line })
	if len(codes) == 0 {
		return checks, &ParseError{File: name, Err: fmt.Errorf("%w : aucune ligne avec un code de commune valide", ErrEmptyFile)}
	}
	indMerge(into, codes, cols)
	return checks, nil
}

// indColumns lists the numeric columns of t; duplicate and unnamed
// columns are ignored with a warning.
func indColumns(t *Table, codeCol int, reserved []string) ([]*indColumn, Checks) {
	var cols []*indColumn
	var checks Checks
	seen := map[string]bool{}
	ifn := t.Index("no_thd_coverage_rate") >= 0
	for i, h := range t.Header {
		folded := frFold(h)
		if n, ok := IFN2023Columns[strings.ToLower(h)]; ok && ifn {
			h = n
		}
		switch {
		case ifn && folded == "division":
			// label of the IFN 2023 file
		case i == codeCol:
		case h == "":
			checks.Warn(&ParseError{File: t.File, Line: 1, Err: fmt.Errorf("%w : la colonne %d n'a pas de nom ; ignorée", ErrMissingColumn, i+1)})
		case seen[folded]:
			checks.Warn(&ParseError{File: t.File, Line: 1, Column: h, Err: fmt.Errorf("%w : la colonne %q apparaît deux fois ; la seconde est ignorée", ErrDuplicate, h)})
		case slices.ContainsFunc(reserved, func(r string) bool { return strings.EqualFold(r, h) }):
			checks.Warn(&ParseError{File: t.File, Line: 1, Column: h, Err: fmt.Errorf(
				"%w : la colonne %q est une mesure que diagnum calcule lui-même ; ignorée (renommez-la pour l'utiliser comme indicateur)", ErrBadValue, h)})
		case strings.HasPrefix(folded, "code"), strings.HasPrefix(folded, "lib"),
			strings.HasPrefix(folded, "nom"), strings.HasPrefix(folded, "name"):
			// identifier or label
		default:
			cols = append(cols, &indColumn{name: h, pos: i})
		}
		seen[folded] = true
	}
	return cols, checks
}

// indRows parses the rows: the kept codes, in file order, and the row checks.
func indRows(t *Table, codeCol int, cols []*indColumn, resolve func(string) (string, bool)) ([]string, Checks) {
	var codes []string
	var checks Checks
	seen := map[string]int{}
	for _, rec := range t.Records {
		if err := t.CheckWidth(rec); err != nil {
			checks.Reject(err.(*ParseError))
			continue
		}
		code, err := NormINSEE(rec.Field(codeCol))
		if err == nil && resolve != nil {
			err = indKnown(code, resolve)
		}
		if err == nil {
			if first, dup := seen[code]; dup {
				err = fmt.Errorf("%w : code %s déjà donné ligne %d", ErrDuplicate, code, first)
			}
		}
		if err != nil {
			checks.Reject(&ParseError{File: t.File, Line: rec.Line, Column: t.Header[codeCol], Err: err})
			continue
		}
		seen[code] = rec.Line
		codes = append(codes, code)
		for _, c := range cols {
			c.values = append(c.values, indCell(t.File, rec, c))
		}
	}
	return codes, checks
}

// indKnown returns why code is not a current commune, or nil.
func indKnown(code string, resolve func(string) (string, bool)) error {
	cur, ok := resolve(code)
	switch {
	case !ok:
		return fmt.Errorf("%w : %s n'est pas un code de commune ; ligne ignorée", ErrUnknownINSEE, code)
	case cur != code:
		return fmt.Errorf("%w : %s n'est pas une commune actuelle (un arrondissement ou un ancien code de %s) ; ligne ignorée, donnez les valeurs de %s", ErrUnknownINSEE, code, cur, cur)
	}
	return nil
}

// indCell parses one cell of column c; a bad cell is recorded in c.bad.
func indCell(file string, rec Record, c *indColumn) float64 {
	s := rec.Field(c.pos)
	if indMissing[strings.ToLower(s)] {
		return math.NaN()
	}
	v, err := ParseFloatFR(s)
	if err != nil {
		if len(c.bad) == 0 {
			c.first = s
		}
		c.bad.Reject(&ParseError{File: file, Line: rec.Line, Column: c.name, Err: err})
		return math.NaN()
	}
	c.parsed++
	return v
}

// indColumnChecks returns the cell checks of the columns, except for a
// column without any number, which gets one warning and is dropped.
func indColumnChecks(t *Table, cols []*indColumn) Checks {
	var checks Checks
	for _, c := range cols {
		if c.parsed == 0 && len(c.bad) > 0 {
			checks.Warn(&ParseError{File: t.File, Line: 1, Column: c.name, Err: fmt.Errorf(
				"%w : la colonne %q ne contient aucun nombre (première valeur %q) ; ignorée", ErrBadNumber, c.name, c.first)})
			c.values = nil
			continue
		}
		checks = append(checks, c.bad...)
	}
	return checks
}

// indMerge writes the parsed values into the table.
func indMerge(into *Indicators, codes []string, cols []*indColumn) {
	for _, c := range cols {
		if c.values == nil {
			continue
		}
		j := into.AddColumn(c.name)
		for i, code := range codes {
			if !math.IsNaN(c.values[i]) {
				into.Set(code, j, c.values[i])
			}
		}
	}
}
