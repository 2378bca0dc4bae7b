package plan

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"diagnum/data"
	"diagnum/diag"

	"github.com/paulmach/orb"
)

// Candidate is a place where the planner may put a new post.
type Candidate struct {
	ID      string    // identifier of the new site, unique among candidates
	Name    string    // name shown in reports
	Point   orb.Point // WGS84 lon/lat
	Commune string    // INSEE code of its commune ("" = found by diag.Assign)
}

// Candidate sets of the --candidates option.
const (
	CandidatesCommunes   = "communes"    // every commune of the territory (default)
	CandidatesChefsLieux = "chefs-lieux" // the pôles of the territory (ChefLieuCandidates)
)

// BourgCentreMin is the population from which ChefLieuCandidates keeps a
// commune whatever its EPCI: 2,000 inhabitants, INSEE's historical
// threshold of an urban commune.
const BourgCentreMin = 2000

// candidateID returns the id of the new site planned in commune code.
func candidateID(code string) string { return "plan-" + code }

// CommuneCandidates returns one candidate per populated commune of
// territory t that has a representative point (its point, else that of
// its polygon: the point the diagnostic measures travel times from), in
// data order. A commune without inhabitants (the villages of the Meuse
// destroyed in 1916, for instance) hosts no post.
// The id is "plan-" followed by the INSEE code.
func CommuneCandidates(b *diag.Baseline, t diag.Territory) []Candidate {
	return communeCandidates(b, t, func(int) bool { return true })
}

// ChefLieuCandidates returns the candidates of CommuneCandidates that
// are a pôle of territory t, the places where a post is usually hosted:
//   - the préfecture (chef-lieu) of each département of t;
//   - the ville-centre of each EPCI with a member in t: its most populated
//     commune within t (ties to the lowest INSEE code), and every commune
//     of t that belongs to no EPCI;
//   - every commune of t with at least BourgCentreMin inhabitants.
//
// The data sets hold no chef-lieu of canton or arrondissement, hence
// this definition, which keeps about one commune in ten.
func ChefLieuCandidates(b *diag.Baseline, t diag.Territory) []Candidate {
	ds := b.Dataset()
	keep := map[string]bool{}
	for _, d := range ds.Departements {
		keep[d.ChefLieu] = true
	}
	best := map[string]int{} // EPCI -> commune index of its ville-centre
	for i := range ds.Communes {
		c := &ds.Communes[i]
		if !t.Contains(c.Dep, c.Region) {
			continue
		}
		if c.EPCI == "" || c.Population >= BourgCentreMin {
			keep[c.Code] = true
		}
		if c.EPCI == "" {
			continue
		}
		if j, ok := best[c.EPCI]; !ok || c.Population > ds.Communes[j].Population {
			best[c.EPCI] = i
		}
	}
	for _, i := range best {
		keep[ds.Communes[i].Code] = true
	}
	return communeCandidates(b, t, func(i int) bool { return keep[ds.Communes[i].Code] })
}

func communeCandidates(b *diag.Baseline, t diag.Territory, keep func(int) bool) []Candidate {
	ds := b.Dataset()
	var out []Candidate
	for i := range ds.Communes {
		c := &ds.Communes[i]
		if !t.Contains(c.Dep, c.Region) || !keep(i) || c.Population <= 0 {
			continue
		}
		if p, ok := b.Location(i); ok {
			out = append(out, Candidate{ID: candidateID(c.Code), Name: c.Name, Point: p, Commune: c.Code})
		}
	}
	return out
}

// SiteCandidates returns one candidate per site (a --candidates file
// read with data.LoadSitesCSV): its id, name, point and declared INSEE
// code. Their type and FTE are ignored: every new post is 1 FTE.
func SiteCandidates(sites []data.Site) []Candidate {
	out := make([]Candidate, len(sites))
	for i, s := range sites {
		out[i] = Candidate{ID: s.ID, Name: s.Name, Point: s.Point, Commune: s.INSEE}
	}
	return out
}

// checkCandidates refuses an empty id, a duplicate id or a non-finite
// point, wrapping ErrBadOptions.
func checkCandidates(cs []Candidate) error {
	seen := make(map[string]bool, len(cs))
	for _, c := range cs {
		switch {
		case strings.TrimSpace(c.ID) == "":
			return fmt.Errorf("%w : le candidat %q n'a pas d'identifiant", ErrBadOptions, c.Name)
		case seen[c.ID]:
			return fmt.Errorf("%w : identifiant de candidat %q utilisé deux fois", ErrBadOptions, c.ID)
		case !finite(c.Point[0]) || !finite(c.Point[1]):
			return fmt.Errorf("%w : le candidat %q n'a pas de point utilisable", ErrBadOptions, c.ID)
		}
		seen[c.ID] = true
	}
	return nil
}

// LoadExclusions reads the places not to use (--exclure): one INSEE
// code or candidate id per line, or a CSV (separator , ; or tab) whose
// header has a code_insee or id column. Blank lines and lines starting
// with # are skipped. A file without any place is an error.
func LoadExclusions(name string, r io.Reader) (map[string]bool, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	keys := map[string]bool{}
	cols := []int{0}
	sep := ","
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if line == 1 {
			for _, s := range []string{";", "\t", ","} {
				if strings.Contains(text, s) {
					sep = s
					break
				}
			}
			var hdr []int
			for i, f := range strings.Split(text, sep) {
				if h := fold(strings.Trim(f, `"`)); h == "code_insee" || h == "id" {
					hdr = append(hdr, i)
				}
			}
			if len(hdr) > 0 {
				cols = hdr
				continue
			}
		}
		fields := strings.Split(text, sep)
		for _, c := range cols {
			if c < len(fields) {
				if v := strings.TrimSpace(strings.Trim(fields[c], `"`)); v != "" {
					keys[v] = true
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &data.ParseError{File: name, Err: err}
	}
	if len(keys) == 0 {
		return nil, &data.ParseError{File: name, Err: fmt.Errorf("%w : aucun lieu à exclure (un code INSEE ou un identifiant par ligne)", ErrBadOptions)}
	}
	return keys, nil
}

// Exclude returns the candidates whose id and INSEE code are not keys.
func Exclude(cs []Candidate, keys map[string]bool) []Candidate {
	var out []Candidate
	for _, c := range cs {
		if !keys[c.ID] && !keys[c.Commune] {
			out = append(out, c)
		}
	}
	return out
}
