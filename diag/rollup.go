package diag

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"diagnum/data"
)

// Rollup levels.
const (
	LevelEPCI        = "epci"
	LevelDepartement = "departement"
	LevelRegion      = "region"
	LevelFrance      = "france"
)

// Rollups aggregates communes (in the order given) per EPCI, département
// and région, each list sorted by code, and for France:
//
//	Population, Communes, NbSites, FTE: sums
//	CoveredPop    = Σ P_i·CoveredShare_i (part_couverte), rounded to an integer
//	Per10k        = FTE / Population × 10,000        (0 when Population is 0)
//	Coverage      = CoveredPop / Population          (0 when Population is 0)
//	Uncovered     = Population − CoveredPop
//	MeanAccess10k = Σ P_i·Access10k_i / Σ P_i         (0 when Population is 0)
//
// Communes without an EPCI are in no EPCI roll-up. Names come from ds.
func Rollups(ds *data.Dataset, cs []CommuneResult) (epci, deps, regions []Rollup, france Rollup) {
	names := map[string]string{}
	for _, x := range ds.EPCIs {
		names[LevelEPCI+x.Code] = x.Name
	}
	for _, x := range ds.Departements {
		names[LevelDepartement+x.Code] = x.Name
	}
	for _, x := range ds.Regions {
		names[LevelRegion+x.Code] = x.Name
	}
	group := func(level string, key func(*CommuneResult) string) []Rollup {
		accs := map[string]*accumulator{}
		for i := range cs {
			k := key(&cs[i])
			if k == "" || cs[i].NoGeography {
				continue
			}
			a := accs[k]
			if a == nil {
				a = &accumulator{r: Rollup{Level: level, Code: k, Name: names[level+k]}}
				accs[k] = a
			}
			a.add(&cs[i])
		}
		out := make([]Rollup, 0, len(accs))
		for _, a := range accs {
			out = append(out, a.finish())
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
		return out
	}
	epci = group(LevelEPCI, func(c *CommuneResult) string { return c.EPCI })
	deps = group(LevelDepartement, func(c *CommuneResult) string { return c.Dep })
	regions = group(LevelRegion, func(c *CommuneResult) string { return c.Region })
	fr := &accumulator{r: Rollup{Level: LevelFrance, Code: "FR", Name: "France"}}
	for i := range cs {
		if !cs[i].NoGeography {
			fr.add(&cs[i])
		}
	}
	return epci, deps, regions, fr.finish()
}

// LevelCOM is the level of Result.COM.
const LevelCOM = "com"

// COMRollup sums the communes of the overseas collectivities
// (NoGeography): their population and number, shown apart from the
// measured territories.
func COMRollup(cs []CommuneResult) Rollup {
	r := Rollup{Level: LevelCOM, Code: "COM", Name: "Collectivités d'outre-mer"}
	for i := range cs {
		if cs[i].NoGeography {
			r.Population += cs[i].Population
			r.Communes++
		}
	}
	r.Uncovered = r.Population
	return r
}

// accumulator sums the communes of a roll-up.
type accumulator struct {
	r   Rollup
	pa  float64 // Σ P_i·Access10k_i
	cov float64 // Σ P_i·Share_i
}

func (a *accumulator) add(c *CommuneResult) {
	a.r.Population += c.Population
	a.r.Communes++
	a.r.NbSites += c.NbSites
	a.r.FTE += c.FTE
	a.cov += float64(c.Population) * c.CoveredShare()
	a.pa += float64(c.Population) * c.Access10k
}

func (a *accumulator) finish() Rollup {
	r := a.r
	r.CoveredPop = int(math.Round(a.cov))
	r.Uncovered = r.Population - r.CoveredPop
	if r.Population > 0 {
		p := float64(r.Population)
		r.Per10k = r.FTE / p * 10000
		r.Coverage = float64(r.CoveredPop) / p
		r.MeanAccess10k = a.pa / p
	}
	return r
}

// rankCommunes sets Rank: 1 for the largest score_ecart, ties by INSEE
// code ascending; a commune without geography (NoGeography) is not
// ranked (Rank 0).
func rankCommunes(cs []CommuneResult) {
	order := make([]int, 0, len(cs))
	for i := range cs {
		if cs[i].NoGeography {
			cs[i].Rank = 0
			continue
		}
		order = append(order, i)
	}
	// The sort reads a compact copy of the keys, not the results.
	keys := make([]rankKey, len(order))
	for x, i := range order {
		keys[x] = rankKey{cs[i].Gap, codePrefix(cs[i].Code), int32(i)}
	}
	slices.SortFunc(keys, func(a, b rankKey) int {
		if a.gap != b.gap {
			if a.gap > b.gap {
				return -1
			}
			return 1
		}
		if a.code != b.code {
			return cmp.Compare(a.code, b.code)
		}
		return strings.Compare(cs[a.i].Code, cs[b.i].Code)
	})
	for r, k := range keys {
		cs[k.i].Rank = r + 1
	}
}

// rankKey is the sort key of one commune in rankCommunes.
type rankKey struct {
	gap  float64
	code uint64 // codePrefix of its code
	i    int32
}

// codePrefix packs the first 8 bytes of s, big-endian, zero-padded: when
// codePrefix(a) < codePrefix(b), a < b (strings compare bytewise, and a
// shorter string is smaller than its extensions); equal prefixes leave
// the order to the strings themselves.
func codePrefix(s string) uint64 {
	var k uint64
	for x := range 8 {
		k <<= 8
		if x < len(s) {
			k |= uint64(s[x])
		}
	}
	return k
}

// Territory names the communes a report covers.
type Territory struct {
	Level string   // LevelFrance, LevelRegion or LevelDepartement
	Codes []string // région or département codes (none for France)
}

// Departements returns the territory made of the départements codes.
func Departements(codes ...string) Territory {
	return Territory{Level: LevelDepartement, Codes: codes}
}

// Regions returns the territory made of the régions codes.
func Regions(codes ...string) Territory { return Territory{Level: LevelRegion, Codes: codes} }

// France returns the whole data set as a territory.
func France() Territory { return Territory{Level: LevelFrance} }

// String returns e.g. "departement 23,87".
func (t Territory) String() string {
	if t.Level == LevelFrance {
		return t.Level
	}
	return t.Level + " " + strings.Join(t.Codes, ",")
}

func (t Territory) has(code string) bool { return slices.Contains(t.Codes, code) }

// Contains reports whether a commune of département dep and région
// region is in t, e.g. t.Contains(c.Dep, c.Region) for a data.Commune or
// a CommuneResult.
func (t Territory) Contains(dep, region string) bool {
	switch t.Level {
	case LevelFrance:
		return true
	case LevelRegion:
		return t.has(region)
	case LevelDepartement:
		return t.has(dep)
	}
	return false
}

// check reports an unknown level, or a code that has no commune in ds.
func (t Territory) check(ds *data.Dataset) error {
	deps, regs := map[string]bool{}, map[string]bool{}
	for i := range ds.Communes {
		deps[ds.Communes[i].Dep], regs[ds.Communes[i].Region] = true, true
	}
	return t.checkFound(deps, regs)
}

// Territory returns the part of a national result that a report of t
// shows: the communes of t in data order with Rank within t, every site
// (NearestSite indexes stay valid), the roll-ups of the EPCIs, départements
// and régions that have a commune in t (each over all its communes), the
// France roll-up and every check. It fails with ErrUnknownTerritory when
// a code of t matches no commune of r.
func (r *Result) Territory(t Territory) (*Result, error) {
	idx, err := r.members(t)
	if err != nil {
		return nil, err
	}
	out := &Result{Params: r.Params, France: r.France, COM: r.COM, Checks: slices.Clone(r.Checks),
		Sites: slices.Clone(r.Sites), Indicators: r.Indicators, Communes: make([]CommuneResult, len(idx))}
	epcis, deps, regs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for k, i := range idx {
		c := &r.Communes[i]
		out.Communes[k] = *c
		epcis[c.EPCI], deps[c.Dep], regs[c.Region] = true, true, true
	}
	rankCommunes(out.Communes)
	pick := func(in []Rollup, keep map[string]bool) []Rollup {
		n := 0
		for _, x := range in {
			if keep[x.Code] {
				n++
			}
		}
		o := make([]Rollup, 0, n)
		for _, x := range in {
			if keep[x.Code] {
				o = append(o, x)
			}
		}
		return o
	}
	out.EPCI, out.Deps, out.Regions = pick(r.EPCI, epcis), pick(r.Deps, deps), pick(r.Regions, regs)
	return out, nil
}

// CheckTerritory returns the error Territory would return for t (an
// unknown code, a COM without geography), without copying any commune.
func (r *Result) CheckTerritory(t Territory) error {
	_, err := r.members(t)
	return err
}

// CheckDatasetTerritory returns the error Result.Territory will return
// for t on the measures of ds (an unknown code, a COM without geography),
// before anything is computed: a command refuses such a territory at
// once instead of after the national measures.
func CheckDatasetTerritory(ds *data.Dataset, t Territory) error {
	_, err := territoryMembers(t, len(ds.Communes), func(i int) (string, string, bool) {
		c := &ds.Communes[i]
		return c.Dep, c.Region, c.Zone == data.ZoneCOM
	})
	return err
}

// members returns the indexes in r.Communes of the communes of t that
// have a geography, in data order (territoryMembers).
func (r *Result) members(t Territory) ([]int, error) {
	return territoryMembers(t, len(r.Communes), func(i int) (string, string, bool) {
		c := &r.Communes[i]
		return c.Dep, c.Region, c.NoGeography
	})
}

// territoryMembers returns the indexes, among n communes described by
// at (département, région, without geography), of the communes of t
// that have a geography, in order. It fails as Territory does: with
// ErrNoGeography when t names only communes without geography (COM),
// with ErrUnknownTerritory when a code of t matches no commune.
func territoryMembers(t Territory, n int, at func(i int) (dep, region string, noGeography bool)) ([]int, error) {
	deps, regs := map[string]bool{}, map[string]bool{}
	com, found := 0, 0
	for i := range n {
		dep, region, noGeo := at(i)
		switch {
		case !t.Contains(dep, region):
		case noGeo:
			com++
		default:
			found++
			if t.Level != LevelFrance {
				deps[dep], regs[region] = true, true
			}
		}
	}
	if err := t.checkFound(deps, regs); err != nil {
		if com > 0 {
			return nil, fmt.Errorf("%w : %s est une collectivité d'outre-mer (COM), sans géographie (ni point ni contour) : pas de diagnostic calculé", ErrNoGeography, t)
		}
		return nil, err
	}
	idx := make([]int, 0, found)
	for i := range n {
		if dep, region, noGeo := at(i); !noGeo && t.Contains(dep, region) {
			idx = append(idx, i)
		}
	}
	return idx, nil
}

// checkFound reports a level or code of t that matched no commune.
func (t Territory) checkFound(deps, regs map[string]bool) error {
	switch t.Level {
	case LevelFrance:
		return nil
	case LevelRegion, LevelDepartement:
	default:
		return fmt.Errorf("%w : niveau %q", ErrUnknownTerritory, t.Level)
	}
	if len(t.Codes) == 0 {
		return fmt.Errorf("%w : aucun code de %s", ErrUnknownTerritory, t.Level)
	}
	for _, code := range t.Codes {
		if t.Level == LevelRegion && !regs[code] || t.Level == LevelDepartement && !deps[code] {
			return fmt.Errorf("%w : %s %q sans aucune commune", ErrUnknownTerritory, t.Level, code)
		}
	}
	return nil
}
