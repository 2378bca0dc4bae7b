package source

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"diagnum/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// ReadQPVCommunes reads the list of quartiers prioritaires by commune
// (qpv2024_qpv_communes.csv of anct-zonages-2025: one row per (QPV,
// commune), columns code_qp and insee_com) and returns, per commune code
// as in the file, the number of distinct QPV that touch it. A QPV spanning
// two communes counts in both. A row with a bad commune code or an empty
// code_qp is Rejected.
func ReadQPVCommunes(name string, r io.Reader) (map[string]int, data.Checks, error) {
	t, idx, err := readTableCols(name, r, "code_qp", "insee_com")
	if err != nil {
		return nil, nil, err
	}
	var checks data.Checks
	seen := map[[2]string]bool{}
	out := map[string]int{}
	for _, rec := range t.Records {
		qp := strings.ToUpper(rec.Field(idx[0]))
		code, err := data.NormINSEE(rec.Field(idx[1]))
		switch {
		case err != nil:
			checks.Reject(&data.ParseError{File: name, Line: rec.Line, Column: "insee_com", Err: err})
		case qp == "":
			checks.Reject(&data.ParseError{File: name, Line: rec.Line, Column: "code_qp",
				Err: fmt.Errorf("%w : code QPV vide", data.ErrBadCode)})
		case !seen[[2]string{qp, code}]:
			seen[[2]string{qp, code}] = true
			out[code]++
		}
	}
	if len(out) == 0 {
		return nil, checks, noValidRow(name)
	}
	return out, checks, nil
}

// DensityLevels lists the 7 levels of INSEE's grille communale de densité
// (2022 version, COG 2025 in anct-zonages-2025/grille_densite.csv). The
// ordinal used by the `densite` indicator is the position + 1:
//
//	1 Grands centres urbains          5 Bourgs ruraux
//	2 Centres urbains intermédiaires  6 Rural à habitat dispersé
//	3 Ceintures urbaines              7 Rural à habitat très dispersé
//	4 Petites villes
var DensityLevels = []string{
	"Grands centres urbains",
	"Centres urbains intermédiaires",
	"Ceintures urbaines",
	"Petites villes",
	"Bourgs ruraux",
	"Rural à habitat dispersé",
	"Rural à habitat très dispersé",
}

// ParseDensity returns the ordinal 1..7 of a density label of
// DensityLevels (case-insensitive, spaces trimmed) or of the digits "1".."7".
func ParseDensity(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(DensityLevels) {
		return n, true
	}
	for i, l := range DensityLevels {
		if strings.EqualFold(s, l) {
			return i + 1, true
		}
	}
	return 0, false
}

// ReadDensity reads grille_densite.csv (columns insee_com, niveau_densite)
// and returns commune code → ordinal 1..7 (see DensityLevels). An unknown
// label or a bad or repeated code is Rejected.
func ReadDensity(name string, r io.Reader) (map[string]int, data.Checks, error) {
	return readCodeValues(name, r, []string{"niveau_densite"}, func(v string) (int, error) {
		n, ok := ParseDensity(v)
		if !ok {
			return 0, fmt.Errorf("%w : niveau de densité %q (attendu l'un de %s)", data.ErrBadValue, v, strings.Join(DensityLevels, ", "))
		}
		return n, nil
	})
}

// ReadRurality reads grille_ruralite.csv (columns insee_com,
// niveau_ruralite) and returns commune code → the ANCT rurality label,
// trimmed of the leading space the file carries (" Les ruralités
// productives agricoles" → "Les ruralités productives agricoles"). The
// label is kept as text: it is a typology, not an order. A bad or repeated
// code, or an empty label, is Rejected.
func ReadRurality(name string, r io.Reader) (map[string]string, data.Checks, error) {
	return readCodeValues(name, r, []string{"niveau_ruralite"}, func(v string) (string, error) {
		if v == "" {
			return "", fmt.Errorf("%w : libellé de ruralité vide", data.ErrBadValue)
		}
		return v, nil
	})
}

// ReadFRR reads the France Ruralités Revitalisation classification
// (frr-2025/frr_communes_subset.csv: insee_com and frr_classee
// true/false, or codefrr where "0" means not classified) and returns
// commune code → classified. Only the communes listed are known: the
// subset covers 11 départements (19, 23, 59, 62, 87, 93, 971–974, 976), and
// any other commune is unknown, never "not classified".
func ReadFRR(name string, r io.Reader) (map[string]bool, data.Checks, error) {
	return readCodeValues(name, r, []string{"frr_classee", "codefrr"}, func(v string) (bool, error) {
		switch strings.ToLower(v) {
		case "true", "1", "2", "3", "4", "5", "oui":
			return true, nil
		case "false", "0", "non":
			return false, nil
		}
		return false, fmt.Errorf("%w : valeur FRR %q (attendu true ou false)", data.ErrBadValue, v)
	})
}

// readCodeValues reads a CSV keyed by insee_com, one row per commune, and
// returns normalised code → parse(the trimmed value of the first column
// of cols present), with the checks of its rows: bad codes, repeated
// codes and errors from parse are Rejected rows. The map (empty) comes
// with an error too.
func readCodeValues[T any](name string, r io.Reader, cols []string, parse func(v string) (T, error)) (map[string]T, data.Checks, error) {
	out := map[string]T{}
	var checks data.Checks
	t, err := data.ReadTable(name, r)
	if err != nil {
		return out, checks, err
	}
	col := cols[0]
	for _, c := range cols {
		if t.Index(c) >= 0 {
			col = c
			break
		}
	}
	idx, err := t.Require("insee_com", col)
	if err != nil {
		return out, checks, err
	}
	seen := map[string]int{}
	for rec, code := range codedRows(t, name, idx[0], seen, &checks) {
		x, err := parse(strings.TrimSpace(rec.Field(idx[1])))
		if err != nil {
			checks.Reject(&data.ParseError{File: name, Line: rec.Line, Column: col, Err: err})
			continue
		}
		out[code] = x
		seen[code] = rec.Line
	}
	if len(seen) == 0 {
		return out, checks, noValidRow(name)
	}
	return out, checks, nil
}

// Île-de-France bounds: the établissements publics territoriaux (EPT) all
// lie in the Métropole du Grand Paris.
var idfBound = orb.Bound{Min: orb.Point{1.44, 48.12}, Max: orb.Point{3.56, 49.24}}

// ReadEPCICentroids reads centroides_epci_ept.geojson of anct-zonages-2025
// (Point features with siren_epci, or siren_ept for the 11 établissements
// publics territoriaux of the Grand Paris, type "epci" or "ept") and
// returns SIREN → point. A feature with no 9-digit SIREN, a geometry that
// is not a lon/lat Point, or a repeated SIREN is Rejected; so is an EPT
// point outside Île-de-France: the 2025 file puts Plaine Commune
// (200057867) at 55.45 E, 20.93 S, in La Réunion.
func ReadEPCICentroids(name string, r io.Reader) (map[string]orb.Point, data.Checks, error) {
	var checks data.Checks
	out := map[string]orb.Point{}
	err := readFeatures(name, r, func(i, line int, f *geojson.Feature) error {
		siren := propString(f.Properties, "siren_epci")
		if siren == "" {
			siren = propString(f.Properties, "siren_ept")
		}
		pe := &data.ParseError{File: name, Line: line}
		p, isPoint := f.Geometry.(orb.Point)
		switch {
		case !isDigits(siren, 9):
			pe.Column, pe.Err = "siren_epci", fmt.Errorf("%w : l'objet (feature) %d n'a pas de SIREN à 9 chiffres (%q)", data.ErrBadCode, i, siren)
		case !isPoint || math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90:
			pe.Err = fmt.Errorf("%w : l'objet (feature) %d (%s) n'est pas un Point lon/lat", data.ErrBadCoordinate, i, siren)
		case propString(f.Properties, "type") == "ept" && !idfBound.Contains(p):
			pe.Err = fmt.Errorf("%w : l'EPT %s, en %v, est hors d'Île-de-France", data.ErrBadCoordinate, siren, p)
		default:
			if _, dup := out[siren]; dup {
				pe.Err = fmt.Errorf("%w : le SIREN %s figure deux fois", data.ErrDuplicate, siren)
			}
		}
		if pe.Err != nil {
			checks.Reject(pe)
			return nil
		}
		out[siren] = p
		return nil
	})
	if err == nil && len(out) == 0 {
		err = &data.ParseError{File: name, Err: fmt.Errorf("%w : aucun objet (feature) valide", data.ErrEmptyFile)}
	}
	if err != nil {
		return nil, checks, err
	}
	return out, checks, nil
}

// IndicatorInputs holds the decoded sources of BuildIndicators. A nil map
// means the source was not supplied: its columns are not created. The
// *File fields name the files in Warnings.
type IndicatorInputs struct {
	Points      map[string]PointRow // FoldPoints result (keys are communes actuelles): taux_chomage
	QPV         map[string]int      // ReadQPVCommunes result: nb_qpv, qpv
	QPVFile     string
	FRR         map[string]bool // ReadFRR result: frr
	FRRFile     string
	Density     map[string]int // ReadDensity result: densite
	DensityFile string
	IFN         map[string]IFN // FoldIFN result (keys are communes actuelles): ifn_score, part_65_plus
}

// BuildIndicators returns the per-commune indicator table of the columns
// documented at ColNbQPV, for the given communes actuelles. Codes of the
// QPV, FRR and density maps go through res (a count of an old code adds to
// its commune nouvelle, a FRR flag is OR-ed, a density level of the
// commune's own code wins); a code res does not know gets a Warning.
func BuildIndicators(communes []data.Commune, res Resolver, in IndicatorInputs) (*data.Indicators, data.Checks) {
	t := data.NewIndicators()
	var checks data.Checks
	if in.QPV != nil {
		qpv := foldByCommune(in.QPVFile, "insee_com", in.QPV, res, func(a, b int) int { return a + b }, &checks)
		nb, has := t.AddColumn(data.ColNbQPV), t.AddColumn(data.ColQPV)
		for _, c := range communes {
			if c.Zone == "com" {
				continue
			}
			n := qpv[c.Code]
			t.Set(c.Code, nb, float64(n))
			t.Set(c.Code, has, float64(min(n, 1)))
		}
	}
	if in.FRR != nil {
		frr := foldByCommune(in.FRRFile, "insee_com", in.FRR, res, func(a, b bool) bool { return a || b }, &checks)
		setEach(t, data.ColFRR, frr, boolFloat)
	}
	if in.Density != nil {
		d := foldByCommune(in.DensityFile, "insee_com", in.Density, res, func(a, _ int) int { return a }, &checks)
		setEach(t, data.ColDensite, d, func(v int) float64 { return float64(v) })
	}
	if in.Points != nil {
		setEach(t, data.ColTauxChomage, in.Points, PointRow.UnemploymentRate)
	}
	if in.IFN != nil {
		setEach(t, data.ColIFNScore, in.IFN, func(v IFN) float64 { return v.Score })
		setEach(t, data.ColPart65Plus, in.IFN, func(v IFN) float64 { return v.Part65 })
	}
	return t, checks
}

// setEach adds column col and sets f(v) for each commune of m, skipping NaN.
func setEach[V any](t *data.Indicators, col string, m map[string]V, f func(V) float64) {
	i := t.AddColumn(col)
	for _, code := range slices.Sorted(maps.Keys(m)) {
		if v := f(m[code]); !math.IsNaN(v) {
			t.Set(code, i, v)
		}
	}
}

// groupByCommune groups rows by their commune actuelle (res of the code
// that key gives with the row's line), in the order of rows; a row whose
// code res does not know is dropped with a Warning naming file, line and
// column.
func groupByCommune[R any](file, column string, rows []R, res Resolver, key func(R) (code string, line int), checks *data.Checks) map[string][]R {
	groups := map[string][]R{}
	for _, r := range rows {
		code, line := key(r)
		cur, ok := res(code)
		if !ok {
			checks.Warn(&data.ParseError{File: file, Line: line, Column: column,
				Err: fmt.Errorf("%w : %s n'est ni une commune du COG ni un ancien code connu ; ligne ignorée", data.ErrUnknownINSEE, code)})
			continue
		}
		groups[cur] = append(groups[cur], r)
	}
	return groups
}

// foldByCommune re-keys m by commune actuelle: entries of current codes
// first, then old codes merged into them with merge(current, old) in code
// order. Unknown codes are dropped with a Warning naming file and the
// column of the codes.
func foldByCommune[V any](file, column string, m map[string]V, res Resolver, merge func(a, b V) V, checks *data.Checks) map[string]V {
	out := make(map[string]V, len(m))
	var old []string
	for _, code := range slices.Sorted(maps.Keys(m)) {
		cur, ok := res(code)
		switch {
		case !ok:
			checks.Warn(&data.ParseError{File: file, Column: column,
				Err: fmt.Errorf("%w : %s n'est ni une commune du COG ni un ancien code connu ; ignoré", data.ErrUnknownINSEE, code)})
		case cur == code:
			out[code] = m[code]
		default:
			old = append(old, code)
		}
	}
	for _, code := range old {
		cur, _ := res(code)
		if v, ok := out[cur]; ok {
			out[cur] = merge(v, m[code])
		} else {
			out[cur] = m[code]
		}
	}
	return out
}

// boolFloat is 1 for true, 0 for false.
func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
