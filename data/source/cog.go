package source

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"diagnum/data"
)

// COG is the Code officiel géographique as published by Etalab in the npm
// package @etalab/decoupage-administratif (files communes.json,
// departements.json, regions.json, epci.json).
//
// Build it in dependency order: ReadCOGCommunes first, then the methods
// ReadDepartements, ReadRegions and ReadEPCI, which link their entries to
// the communes already loaded.
type COG struct {
	Communes     []data.Commune     // communes actuelles, sorted by Code
	Departements []data.Departement // sorted by Code
	Regions      []data.Region      // sorted by Code
	EPCIs        []data.EPCI        // sorted by Code
	// Renamed maps every code that is not a commune actuelle to the commune
	// actuelle that holds it today (see ReadCOGCommunes).
	Renamed map[string]string
	Checks  data.Checks // rejected entries and warnings, in reading order
}

// Resolver maps an INSEE code of any vintage to the commune actuelle that
// holds it today. ok is false when the code is unknown.
type Resolver func(code string) (current string, ok bool)

// NewResolver returns the Resolver of a list of communes actuelles and a
// Renamed map, by the rule of data.ResolveINSEE.
func NewResolver(communes []data.Commune, renamed map[string]string) Resolver {
	known := make(map[string]bool, len(communes))
	for _, c := range communes {
		known[c.Code] = true
	}
	isCommune := func(code string) bool { return known[code] }
	return func(code string) (string, bool) { return data.ResolveINSEE(code, isCommune, renamed) }
}

// Resolver returns the Resolver of c's communes and Renamed map.
func (c *COG) Resolver() Resolver { return NewResolver(c.Communes, c.Renamed) }

// cogEntry is one object of communes.json.
type cogEntry struct {
	Code         string   `json:"code"`
	Nom          string   `json:"nom"`
	Type         string   `json:"type"`
	Zone         string   `json:"zone"`
	Departement  string   `json:"departement"`
	Region       string   `json:"region"`
	ChefLieu     string   `json:"chefLieu"`
	Commune      string   `json:"commune"`
	Population   *int     `json:"population"`
	AnciensCodes []string `json:"anciensCodes"`
	line         int
}

// The entry types of communes.json.
const (
	cogActuelle = "commune-actuelle"
	cogDeleguee = "commune-deleguee"
	cogAssociee = "commune-associee"
	cogArm      = "arrondissement-municipal"
)

// ReadCOGCommunes reads communes.json of @etalab/decoupage-administratif: a
// JSON array of objects with code, nom, type, zone, departement, region,
// population, and chefLieu, commune or anciensCodes depending on the type.
// It returns a COG holding the communes actuelles (type
// "commune-actuelle"; Population = population municipale, 0 when absent,
// as for the 6 uninhabited communes of the TAAF and Clipperton) and Renamed,
// which maps every code that is not a commune actuelle to its commune:
//
//	commune-deleguee, commune-associee → chefLieu
//	arrondissement-municipal          → commune (75101 → 75056, 13201 → 13055, 69381 → 69123)
//	each code of anciensCodes         → the commune actuelle listing it
//	                                    (including the 366 Corsican codes 20xxx of before 1976)
//
// When two rules disagree, the délégation/association (current status)
// wins over anciensCodes (history): in COG 2025, 60455 La Neuville-Garnier
// is listed in the anciensCodes of 60054 but is today a commune déléguée of
// 60694, and 55273 likewise goes to 55386, not 55245. Codes of communes
// actuelles never appear as keys (584 communes déléguées share the code of
// their commune nouvelle).
//
// An unusable entry is recorded in Checks as Rejected; the error is
// non-nil only when the file is not a JSON array or holds no commune.
func ReadCOGCommunes(name string, r io.Reader) (*COG, error) {
	c := &COG{Renamed: map[string]string{}}
	var others []cogEntry
	err := data.ReadJSONArray(name, r, func(_, line int, msg json.RawMessage) error {
		e, perr := decodeCOGEntry(name, line, msg)
		if perr != nil {
			c.Checks.Add(data.Check{Severity: data.Rejected, Commune: e.Code, Err: perr})
			return nil
		}
		if e.Type == cogActuelle {
			c.Communes = append(c.Communes, communeOf(e))
			if e.Population == nil && e.Zone != "com" {
				c.Checks.Add(data.Check{Severity: data.Warning, Commune: e.Code, Err: &data.ParseError{File: name, Line: line,
					Column: "population", Err: fmt.Errorf("%w : la commune %s n'a pas de population ; 0 retenu", data.ErrBadValue, e.Code)}})
			}
		}
		others = append(others, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.Communes = dedupCommunes(name, c.Communes, others, &c.Checks)
	if len(c.Communes) == 0 {
		return nil, &data.ParseError{File: name, Err: fmt.Errorf("%w : aucune commune actuelle", data.ErrEmptyFile)}
	}
	c.buildRenamed(name, others)
	return c, nil
}

// decodeCOGEntry decodes and validates one object of communes.json.
func decodeCOGEntry(name string, line int, msg json.RawMessage) (cogEntry, *data.ParseError) {
	var e cogEntry
	if err := json.Unmarshal(msg, &e); err != nil {
		return e, &data.ParseError{File: name, Line: line, Err: fmt.Errorf("%w : %w", data.ErrBadValue, data.JSONValueError(err))}
	}
	e.line = line
	bad := func(col string, err error) (cogEntry, *data.ParseError) {
		return e, &data.ParseError{File: name, Line: line, Column: col, Err: err}
	}
	code, ok := cogCode(e.Code)
	if !ok {
		raw := e.Code
		e.Code = ""
		return bad("code", fmt.Errorf("%w : %q n'est pas un code commune INSEE", data.ErrBadCode, raw))
	}
	e.Code = code
	switch e.Type {
	case cogActuelle:
		switch {
		case e.Zone != "metro" && e.Zone != "drom" && e.Zone != "com":
			return bad("zone", fmt.Errorf("%w : zone %q (attendu metro, drom ou com)", data.ErrBadValue, e.Zone))
		case strings.TrimSpace(e.Nom) == "":
			return bad("nom", fmt.Errorf("%w : la commune %s n'a pas de nom", data.ErrBadValue, code))
		case e.Departement == "" || e.Region == "":
			return bad("departement", fmt.Errorf("%w : la commune %s n'a pas de département ou de région", data.ErrBadCode, code))
		case e.Population != nil && *e.Population < 0:
			return bad("population", fmt.Errorf("%w : population négative %d", data.ErrBadValue, *e.Population))
		}
	case cogDeleguee, cogAssociee:
		if e.ChefLieu, ok = cogCode(e.ChefLieu); !ok {
			return bad("chefLieu", fmt.Errorf("%w : le chefLieu de %s n'est pas un code INSEE", data.ErrBadCode, code))
		}
	case cogArm:
		if e.Commune, ok = cogCode(e.Commune); !ok {
			return bad("commune", fmt.Errorf("%w : la commune de %s n'est pas un code INSEE", data.ErrBadCode, code))
		}
	default:
		return bad("type", fmt.Errorf("%w : type %q inconnu", data.ErrBadValue, e.Type))
	}
	return e, nil
}

func communeOf(e cogEntry) data.Commune {
	c := data.Commune{Code: e.Code, Name: strings.TrimSpace(e.Nom), Dep: e.Departement,
		Region: e.Region, Zone: e.Zone}
	if e.Population != nil {
		c.Population = *e.Population
	}
	return c
}

// dedupCommunes sorts communes by code and rejects repeated codes (the
// first one in file order is kept).
func dedupCommunes(name string, cs []data.Commune, entries []cogEntry, checks *data.Checks) []data.Commune {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Code < cs[j].Code })
	out := cs[:0]
	for i, c := range cs {
		if i > 0 && c.Code == cs[i-1].Code {
			checks.Reject(&data.ParseError{File: name, Line: lineOfActuelle(entries, c.Code, 2), Column: "code",
				Err: fmt.Errorf("%w : la commune actuelle %s figure deux fois", data.ErrDuplicate, c.Code)})
			continue
		}
		out = append(out, c)
	}
	return out
}

// lineOfActuelle returns the line of the nth commune-actuelle entry with code.
func lineOfActuelle(entries []cogEntry, code string, nth int) int {
	for _, e := range entries {
		if e.Type == cogActuelle && e.Code == code {
			if nth--; nth == 0 {
				return e.line
			}
		}
	}
	return 0
}

// buildRenamed fills c.Renamed from the entries, anciensCodes first so
// that the current délégation/association rules override them.
func (c *COG) buildRenamed(name string, entries []cogEntry) {
	known := make(map[string]bool, len(c.Communes))
	for _, x := range c.Communes {
		known[x.Code] = true
	}
	add := func(e cogEntry, from, to string) {
		switch {
		case known[from]:
			return // a commune actuelle is never renamed
		case !known[to]:
			c.Checks.Warn(&data.ParseError{File: name, Line: e.line, Err: fmt.Errorf(
				"%w : %s renvoie à %s, qui n'est pas une commune actuelle ; non repris", data.ErrUnknownINSEE, from, to)})
			return
		}
		c.Renamed[from] = to
	}
	for _, e := range entries {
		for _, a := range e.AnciensCodes {
			if e.Type != cogActuelle {
				continue
			}
			if old, ok := cogCode(a); ok {
				add(e, old, e.Code)
			} else if isDigits(a, 5) && a[:2] == "20" {
				add(e, a, e.Code) // Corsica before 1976: 20004 → 2A004
			}
		}
	}
	for _, e := range entries {
		switch e.Type {
		case cogDeleguee, cogAssociee:
			add(e, e.Code, e.ChefLieu)
		case cogArm:
			add(e, e.Code, e.Commune)
		}
	}
}

// cogDivision is one object of departements.json or regions.json.
type cogDivision struct {
	Code     string `json:"code"`
	Nom      string `json:"nom"`
	Region   string `json:"region"`
	ChefLieu string `json:"chefLieu"`
}

// ReadDepartements reads departements.json (objects with code, nom,
// region, chefLieu, zone) into c.Departements. It keeps the départements
// that have at least one commune in c.Communes: in COG 2025 that is the 101
// départements and the 8 collectivités d'outre-mer (975, 977, 978, 984,
// 986, 987, 988, 989), which INSEE codes like départements and which have
// communes; use Commune.Zone to tell them apart. An entry without commune
// is dropped with a Warning; a commune whose département is not listed
// gets a Warning too. Call it after ReadCOGCommunes.
func (c *COG) ReadDepartements(name string, r io.Reader) error {
	return readDivisions(c, name, r, &c.Departements, func(x data.Commune) string { return x.Dep },
		func(d cogDivision) data.Departement {
			return data.Departement{Code: d.Code, Name: d.Nom, Region: d.Region, ChefLieu: d.ChefLieu}
		})
}

// ReadRegions reads regions.json (objects with code, nom, chefLieu, zone)
// into c.Regions, with the same rule as ReadDepartements: the 18 régions
// and the 8 COM of COG 2025 are kept, as all have communes.
func (c *COG) ReadRegions(name string, r io.Reader) error {
	return readDivisions(c, name, r, &c.Regions, func(x data.Commune) string { return x.Region },
		func(d cogDivision) data.Region { return data.Region{Code: d.Code, Name: d.Nom} })
}

// readDivisions decodes a département or région file into *dst (made by
// conv; left as it was on error): the entries that key(commune) points
// to, sorted by code.
func readDivisions[T any](c *COG, name string, r io.Reader, dst *[]T, key func(data.Commune) string, conv func(cogDivision) T) error {
	used := map[string]int{}
	for _, x := range c.Communes {
		used[key(x)]++
	}
	var out []cogDivision
	seen := map[string]bool{}
	err := data.ReadJSONArray(name, r, func(_, line int, msg json.RawMessage) error {
		var d cogDivision
		if err := json.Unmarshal(msg, &d); err != nil {
			c.Checks.Reject(&data.ParseError{File: name, Line: line, Err: fmt.Errorf("%w : %w", data.ErrBadValue, data.JSONValueError(err))})
			return nil
		}
		pe := &data.ParseError{File: name, Line: line, Column: "code"}
		switch {
		case len(d.Code) < 2 || len(d.Code) > 3 || strings.TrimSpace(d.Nom) == "":
			pe.Err = fmt.Errorf("%w : code %q, nom %q", data.ErrBadCode, d.Code, d.Nom)
			c.Checks.Reject(pe)
		case seen[d.Code]:
			pe.Err = fmt.Errorf("%w : le code %s figure deux fois", data.ErrDuplicate, d.Code)
			c.Checks.Reject(pe)
		case used[d.Code] == 0:
			pe.Err = fmt.Errorf("%w : %s %s n'a aucune commune ; ignoré", data.ErrUnknownINSEE, d.Code, d.Nom)
			c.Checks.Warn(pe)
		default:
			seen[d.Code] = true
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(out) == 0 {
		return &data.ParseError{File: name, Err: fmt.Errorf("%w : aucune entrée ne correspond à une commune chargée", data.ErrEmptyFile)}
	}
	c.warnOrphans(name, seen, key)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	*dst = make([]T, len(out))
	for i, d := range out {
		(*dst)[i] = conv(d)
	}
	return nil
}

// warnOrphans warns once per division code used by communes but absent
// from the file.
func (c *COG) warnOrphans(name string, seen map[string]bool, key func(data.Commune) string) {
	warned := map[string]bool{}
	for _, x := range c.Communes {
		k := key(x)
		if !seen[k] && !warned[k] {
			warned[k] = true
			c.Checks.Add(data.Check{Severity: data.Warning, Commune: x.Code, Err: &data.ParseError{File: name, Err: fmt.Errorf(
				"%w : le code %s de la commune %s n'est pas dans ce fichier", data.ErrUnknownINSEE, k, x.Code)}})
		}
	}
}

// cogEPCI is one object of epci.json.
type cogEPCI struct {
	Code    string `json:"code"`
	Nom     string `json:"nom"`
	Type    string `json:"type"`
	Membres []struct {
		Code string `json:"code"`
	} `json:"membres"`
}

// ReadEPCI reads epci.json (objects with code = SIREN, nom, type and
// membres, a list of objects with the commune code) into c.EPCIs, and sets
// Commune.EPCI of each member. Member codes go through c.Resolver; an
// unknown member is dropped with a Warning, and a commune listed by two
// EPCI stays in the first one (Warning). An EPCI whose SIREN is not 9
// digits is Rejected. Call it after ReadCOGCommunes.
func (c *COG) ReadEPCI(name string, r io.Reader) error {
	pos := make(map[string]int, len(c.Communes))
	for i, x := range c.Communes {
		pos[x.Code] = i
		c.Communes[i].EPCI = ""
	}
	res := c.Resolver()
	c.EPCIs = c.EPCIs[:0]
	err := data.ReadJSONArray(name, r, func(_, line int, msg json.RawMessage) error {
		var e cogEPCI
		if err := json.Unmarshal(msg, &e); err != nil {
			c.Checks.Reject(&data.ParseError{File: name, Line: line, Err: fmt.Errorf("%w : %w", data.ErrBadValue, data.JSONValueError(err))})
			return nil
		}
		if !isDigits(e.Code, 9) {
			c.Checks.Reject(&data.ParseError{File: name, Line: line, Column: "code",
				Err: fmt.Errorf("%w : %q n'est pas un SIREN à 9 chiffres", data.ErrBadCode, e.Code)})
			return nil
		}
		x := data.EPCI{Code: e.Code, Name: e.Nom, Kind: e.Type}
		for _, m := range e.Membres {
			x.Members = c.addMember(name, line, x.Code, m.Code, res, pos, x.Members)
		}
		c.EPCIs = append(c.EPCIs, x)
		return nil
	})
	if err != nil {
		return err
	}
	if len(c.EPCIs) == 0 {
		return &data.ParseError{File: name, Err: fmt.Errorf("%w : aucun EPCI", data.ErrEmptyFile)}
	}
	sort.SliceStable(c.EPCIs, func(i, j int) bool { return c.EPCIs[i].Code < c.EPCIs[j].Code })
	return nil
}

// addMember links member code to EPCI siren and returns the member list.
func (c *COG) addMember(name string, line int, siren, code string, res Resolver, pos map[string]int, members []string) []string {
	cur, ok := "", false
	if k, valid := cogCode(code); valid {
		cur, ok = res(k)
	}
	pe := &data.ParseError{File: name, Line: line, Column: "membres"}
	switch {
	case !ok:
		pe.Err = fmt.Errorf("%w : le membre %q de l'EPCI %s n'est pas une commune ; ignoré", data.ErrUnknownINSEE, code, siren)
		c.Checks.Warn(pe)
		return members
	case c.Communes[pos[cur]].EPCI != "":
		pe.Err = fmt.Errorf("%w : la commune %s est déjà dans l'EPCI %s ; non ajoutée à %s",
			data.ErrDuplicate, cur, c.Communes[pos[cur]].EPCI, siren)
		c.Checks.Add(data.Check{Severity: data.Warning, Commune: cur, Err: pe})
		return members
	}
	c.Communes[pos[cur]].EPCI = siren
	return append(members, cur)
}

// cogCode validates an INSEE commune code with NormINSEE.
func cogCode(s string) (string, bool) {
	c, err := data.NormINSEE(s)
	return c, err == nil
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
