package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"diagnum/data"
)

// Zone is a zone of the State subsidy scheme for conseiller numérique
// posts. Its text form is the `zone` column of a costs file.
type Zone string

// The zones of the scheme.
const (
	ZoneMetropole      Zone = "metropole"       // Hexagone and Corse
	ZoneReunionMayotte Zone = "reunion-mayotte" // départements 974 and 976
	ZoneAntillesGuyane Zone = "antilles-guyane" // départements 971, 972 and 973
)

// Zones lists the zones in their canonical order.
var Zones = []Zone{ZoneMetropole, ZoneReunionMayotte, ZoneAntillesGuyane}

// Label returns the French name of the zone shown in reports.
func (z Zone) Label() string {
	switch z {
	case ZoneMetropole:
		return "Hexagone et Corse"
	case ZoneReunionMayotte:
		return "La Réunion et Mayotte"
	case ZoneAntillesGuyane:
		return "Guadeloupe, Martinique et Guyane"
	}
	return string(z)
}

// ZoneOf returns the zone of a département code: 974 and 976 are
// La Réunion and Mayotte, 971, 972 and 973 Guadeloupe, Martinique and
// Guyane, every other code (including "") the Hexagone and Corse.
func ZoneOf(dep string) Zone {
	switch dep {
	case "974", "976":
		return ZoneReunionMayotte
	case "971", "972", "973":
		return ZoneAntillesGuyane
	}
	return ZoneMetropole
}

// Employer is the kind of employer of a post: the subsidy depends on it.
type Employer string

// The kinds of employer.
const (
	EmployerPublic  Employer = "public" // collectivité, établissement public
	EmployerPrivate Employer = "prive"  // association, entreprise de l'ESS, …
)

// Employers lists the kinds of employer in their canonical order.
var Employers = []Employer{EmployerPublic, EmployerPrivate}

// Label returns the French name of the employer kind.
func (e Employer) Label() string {
	switch e {
	case EmployerPublic:
		return "employeur public"
	case EmployerPrivate:
		return "employeur privé"
	}
	return string(e)
}

// ParseEmployer parses "public" or "prive" (also "privé", "private"),
// case ignored.
func ParseEmployer(s string) (Employer, bool) {
	switch fold(s) {
	case "public", "publique":
		return EmployerPublic, true
	case "prive", "privee", "private":
		return EmployerPrivate, true
	}
	return "", false
}

// ParseZone parses a zone code or label, case and accents ignored:
// metropole (also hexagone, "Hexagone et Corse"), reunion-mayotte (also
// "La Réunion et Mayotte"), antilles-guyane (also "Guadeloupe,
// Martinique et Guyane").
func ParseZone(s string) (Zone, bool) {
	k := strings.Join(strings.FieldsFunc(fold(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == ',' || r == '\''
	}), "-")
	switch k {
	case "metropole", "hexagone", "hexagone-et-corse", "france-metropolitaine":
		return ZoneMetropole, true
	case "reunion-mayotte", "la-reunion-et-mayotte", "reunion-et-mayotte":
		return ZoneReunionMayotte, true
	case "antilles-guyane", "guadeloupe-martinique-et-guyane", "guadeloupe-martinique-guyane":
		return ZoneAntillesGuyane, true
	}
	return "", false
}

// CostKey is a line of the cost table.
type CostKey struct {
	Zone     Zone
	Employer Employer
}

// CostTable gives the estimated State subsidy of one full-time post over
// 24 months, in euros, by zone and kind of employer.
type CostTable map[CostKey]float64

// DefaultCosts returns the amounts of the public scheme: in the Hexagone
// and Corse 50,000 € for a public employer and 32,000 € for a private
// one; 67,500 € in La Réunion and Mayotte and 70,000 € in Guadeloupe,
// Martinique and Guyane, whatever the employer.
func DefaultCosts() CostTable {
	return CostTable{
		{ZoneMetropole, EmployerPublic}:       50000,
		{ZoneMetropole, EmployerPrivate}:      32000,
		{ZoneReunionMayotte, EmployerPublic}:  67500,
		{ZoneReunionMayotte, EmployerPrivate}: 67500,
		{ZoneAntillesGuyane, EmployerPublic}:  70000,
		{ZoneAntillesGuyane, EmployerPrivate}: 70000,
	}
}

// PerPost returns the subsidy of one full-time post in zone z for
// employer e; a pair missing from t takes the DefaultCosts amount.
func (t CostTable) PerPost(z Zone, e Employer) float64 {
	if v, ok := t[CostKey{z, e}]; ok {
		return v
	}
	return DefaultCosts()[CostKey{z, e}]
}

// LoadCosts reads a costs file: a CSV with the columns zone, employeur
// and montant (euros per full-time post over 24 months; a decimal comma
// and any separator and encoding data.ReadTable accepts). Each row
// overrides one amount of DefaultCosts; zone and employeur accept the
// codes and labels of ParseZone and ParseEmployer, and employeur may be
// empty (or "tous") to set both kinds. A bad row is a *data.ParseError:
// the whole file is refused, since a wrong amount would go unnoticed in
// the totals.
func LoadCosts(name string, r io.Reader) (CostTable, error) {
	t, err := data.ReadTable(name, r)
	if err != nil {
		return nil, err
	}
	idx, err := t.Require("zone", "employeur", "montant")
	if err != nil {
		return nil, err
	}
	out, seen := DefaultCosts(), map[CostKey]int{}
	for _, rec := range t.Records {
		keys, amount, perr := costRow(t, rec, idx)
		if perr != nil {
			return nil, perr
		}
		for _, k := range keys {
			if first, dup := seen[k]; dup {
				return nil, &data.ParseError{File: name, Line: rec.Line, Column: "zone", Err: fmt.Errorf(
					"%w : %s, %s déjà donné à la ligne %d", data.ErrDuplicate, k.Zone, k.Employer, first)}
			}
			seen[k] = rec.Line
			out[k] = amount
		}
	}
	if len(seen) == 0 {
		return nil, &data.ParseError{File: name, Err: fmt.Errorf("%w : aucun montant", data.ErrEmptyFile)}
	}
	return out, nil
}

// costRow parses one row of a costs file.
func costRow(t *data.Table, rec data.Record, idx []int) ([]CostKey, float64, *data.ParseError) {
	fail := func(col string, err error) ([]CostKey, float64, *data.ParseError) {
		return nil, 0, &data.ParseError{File: t.File, Line: rec.Line, Column: col, Err: err}
	}
	if err := t.CheckWidth(rec); err != nil {
		return fail("", err)
	}
	z, ok := ParseZone(rec.Field(idx[0]))
	if !ok {
		return fail("zone", fmt.Errorf("%w : zone inconnue %q : attendu metropole, reunion-mayotte ou antilles-guyane",
			data.ErrBadValue, rec.Field(idx[0])))
	}
	emps := Employers
	if s := rec.Field(idx[1]); s != "" && fold(s) != "tous" {
		e, ok := ParseEmployer(s)
		if !ok {
			return fail("employeur", fmt.Errorf("%w : employeur inconnu %q : attendu public ou prive", data.ErrBadValue, s))
		}
		emps = []Employer{e}
	}
	v, err := data.ParseFloatFR(rec.Field(idx[2]))
	if err != nil {
		return fail("montant", err)
	}
	if !(v >= 0 && v <= MaxCostPerPost) {
		return fail("montant", fmt.Errorf("%w : montant de %g € par poste hors de [0, %g]", data.ErrBadValue, v, MaxCostPerPost))
	}
	keys := make([]CostKey, len(emps))
	for i, e := range emps {
		keys[i] = CostKey{z, e}
	}
	return keys, v, nil
}

// MaxCostPerPost bounds an amount of a cost table: 10 M€ per post.
const MaxCostPerPost = 10e6

// CostLine is a line of the cost summary of a plan or scenario.
type CostLine struct {
	Zone     Zone
	Employer Employer
	Posts    float64 // full-time posts
	PerPost  float64 // euros per post over 24 months
	Total    float64 // Posts × PerPost
}

// summarize groups posts by zone and employer, in the order of Zones and
// Employers.
func summarize(t CostTable, posts map[CostKey]float64) []CostLine {
	keys := make([]CostKey, 0, len(posts))
	for k := range posts {
		keys = append(keys, k)
	}
	rank := func(k CostKey) int {
		r := len(Zones) * len(Employers)
		for zi, z := range Zones {
			for ei, e := range Employers {
				if k.Zone == z && k.Employer == e {
					r = zi*len(Employers) + ei
				}
			}
		}
		return r
	}
	sort.Slice(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
	out := make([]CostLine, len(keys))
	for i, k := range keys {
		per := t.PerPost(k.Zone, k.Employer)
		out[i] = CostLine{Zone: k.Zone, Employer: k.Employer, Posts: posts[k], PerPost: per, Total: posts[k] * per}
	}
	return out
}

// fold lower-cases s, trims it and removes the accents of French letters.
func fold(s string) string { return accents.Replace(strings.ToLower(strings.TrimSpace(s))) }

var accents = strings.NewReplacer(
	"à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u",
)
