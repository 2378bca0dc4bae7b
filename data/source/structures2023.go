package source

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"diagnum/data"
)

// SourceCNFS2023 is the Site.Source of the advisor posts of the 2023 list
// of host structures (ANCT, COSELEC decisions, 05/04/2023).
const SourceCNFS2023 = "cnfs-2023"

// Columns of the 2023 list of host structures (structures-20230405.csv).
const (
	colS23Name   = "Raison sociale"
	colS23Posts  = "Nombre de conseillers validés par le COSELEC"
	colS23Date   = "Date de validation en comité de sélection"
	colS23Type   = "Type"
	colS23SIRET  = "SIRET"
	colS23INSEE  = "Code commune INSEE"
	colS23Postal = "Code postal"
)

// LoadStructures2023 reads the ANCT list of host structures and advisor
// posts validated by the selection committee (structures-20230405.csv:
// `;`-separated, one row per decision). Rows of the same SIRET are one
// structure (a structure granted posts at several committees) whose Posts
// is the sum of its rows; its Date is that of its latest decision
// (YYYY-MM-DD) and its name, commune and type those of its first row. A
// structure has ID "cn23-<SIRET>", INSEE from `Code commune INSEE` (the
// leading zero the file lost is restored; the `Commune INSEE` column holds
// a name), Public when Type is "publique", and no point (the file has no
// coordinates). The name of a structure that is a person (an
// entrepreneur individuel, see structureName) is not kept. A row whose number of posts is not a positive integer, or
// without a SIRET, is rejected.
func LoadStructures2023(name string, r io.Reader) ([]Structure, data.Checks, error) {
	t, idx, err := readTable("des structures 2023", name, r, colS23Name, colS23Posts, colS23Date, colS23Type, colS23SIRET, colS23INSEE, colS23Postal)
	if err != nil {
		return nil, nil, err
	}
	var (
		out     []Structure
		checks  data.Checks
		bySIRET = map[string]int{}
	)
	for rec, rw := range wellFormed(t, name, &checks) {
		s, perr := structure2023(rec, idx, rw, &checks)
		if perr != nil {
			checks.Reject(perr)
			continue
		}
		if i, ok := bySIRET[s.SIRET]; ok {
			out[i].Posts += s.Posts
			out[i].Date = max(out[i].Date, s.Date)
			continue
		}
		bySIRET[s.SIRET] = len(out)
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, checks, noneKept("des structures 2023", name, "aucune structure valide")
	}
	return out, checks, nil
}

// structure2023 reads one row (idx in the order of LoadStructures2023's Require).
func structure2023(rec data.Record, idx []int, rw siteRow, checks *data.Checks) (Structure, *data.ParseError) {
	posts, err := strconv.Atoi(strings.TrimSpace(rec.Field(idx[1])))
	if err != nil || posts <= 0 {
		return Structure{}, rw.err(colS23Posts, fmt.Errorf("%w : %q n'est pas un nombre de postes positif", data.ErrBadValue, rec.Field(idx[1])))
	}
	siret := rw.siret(rec.Field(idx[4]), colS23SIRET, checks)
	if siret == "" {
		return Structure{}, rw.err(colS23SIRET, fmt.Errorf("%w : pas de SIRET : la structure ne peut pas être distinguée des autres", data.ErrBadValue))
	}
	s := Structure{
		ID: "cn23-" + siret, Name: structureName(rec.Field(idx[0])), SIRET: siret, Posts: float64(posts), Line: rw.line,
		Public:   strings.EqualFold(rec.Field(idx[3]), "publique"),
		INSEE:    rw.insee(rec.Field(idx[5]), colS23INSEE, checks),
		Postcode: rw.postcode(rec.Field(idx[6]), colS23Postal, checks),
	}
	s.Date = frDate(rec.Field(idx[2]), rw, colS23Date, checks)
	return s, nil
}

// PersonNameRemoved replaces the name of a structure that is a person.
const PersonNameRemoved = "entrepreneur individuel (nom non repris)"

// structureName returns the name of a structure, or PersonNameRemoved when
// it is a person's: SIRENE writes the name of an entrepreneur individuel
// as "NOM*PRÉNOM/" or "NOM*NOM D'USAGE/PRÉNOM /" (a '*' then a '/'),
// which no company name does; a name opening with a civility (Monsieur,
// Madame, M., Mme) is a person's too. Personal data are not copied.
func structureName(v string) string {
	if i := strings.IndexByte(v, '*'); i > 0 && strings.IndexByte(v[i:], '/') > 0 {
		return PersonNameRemoved
	}
	f := strings.Fields(strings.ToLower(v))
	if len(f) > 1 {
		switch f[0] {
		case "monsieur", "madame", "m.", "mme", "mme.", "mr", "mr.":
			return PersonNameRemoved
		}
	}
	return v
}

// frDate converts a dd/mm/yyyy date to YYYY-MM-DD; anything else gives ""
// and a Warning.
func frDate(v string, rw siteRow, col string, checks *data.Checks) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	p := strings.Split(v, "/")
	if len(p) == 3 && len(p[0]) <= 2 && len(p[1]) <= 2 && len(p[2]) == 4 {
		d, e1 := strconv.Atoi(p[0])
		m, e2 := strconv.Atoi(p[1])
		y, e3 := strconv.Atoi(p[2])
		if e1 == nil && e2 == nil && e3 == nil && d >= 1 && d <= 31 && m >= 1 && m <= 12 {
			return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		}
	}
	checks.Warn(rw.err(col, fmt.Errorf("%w : la date %q n'est pas au format jj/mm/aaaa", data.ErrBadValue, v)))
	return ""
}
