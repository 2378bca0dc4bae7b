package plan

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"

	"diagnum/data"
)

// Actions of the `action` column of a scenario file.
const (
	ActionAdd    = "ajout"       // the row is a new site (the default)
	ActionRemove = "suppression" // the row removes the site with that id
)

// Scenario is a change of the sites: sites removed, then sites added.
type Scenario struct {
	Add    []data.Site // new sites, in file order
	Remove []string    // ids of the sites removed, in file order
	// AddEmployer and RemoveEmployer give the employer of the posts
	// added or removed, by site id, when the file says (column
	// employeur); the others take the default employer.
	AddEmployer    map[string]Employer
	RemoveEmployer map[string]Employer
}

// parseAction parses the action column: empty or ajout (also ajouter,
// add) adds, suppression (also supprimer, retrait, remove) removes.
func parseAction(s string) (string, bool) {
	switch fold(s) {
	case "", "ajout", "ajouter", "add":
		return ActionAdd, true
	case "suppression", "supprimer", "retrait", "remove":
		return ActionRemove, true
	}
	return "", false
}

// LoadScenario reads a scenario file: the sites format of
// data.LoadSitesCSV plus two optional columns, action (ajout, the
// default, or suppression) and employeur (public or prive, for the
// subsidy). An ajout row is a site and follows every rule of the sites
// format. A suppression row names by its id a site to remove; its other
// columns are not read, so a row copied from a sites file, or from the
// planner's --csv output, works as is. The planner's --csv output is a
// scenario file whose rows all add.
//
// Rows are rejected as *data.ParseError checks (bad action or employer,
// empty or repeated id to remove, and the sites format's own rejections);
// the error is for whole-file problems, or when no row is usable.
func LoadScenario(name string, r io.Reader, opt data.SitesOptions) (*Scenario, data.Checks, error) {
	t, err := data.ReadTable(name, r)
	if err != nil {
		return nil, nil, err
	}
	idCol := t.Index("id")
	if idCol < 0 {
		return nil, nil, &data.ParseError{File: name, Line: 1, Column: "id",
			Err: fmt.Errorf("%w \"id\" (en-tête : %s)", data.ErrMissingColumn, strings.Join(t.Header, string(t.Comma)))}
	}
	sc := &Scenario{AddEmployer: map[string]Employer{}, RemoveEmployer: map[string]Employer{}}
	adds, emps, checks := scenarioRows(t, idCol, sc)
	if len(adds) > 0 {
		sites, more, err := data.LoadSitesCSV(name, strings.NewReader(addRowsText(t, adds)), opt)
		checks = append(checks, more...)
		if err != nil {
			sort.SliceStable(checks, func(i, j int) bool { return checks[i].Err.Line < checks[j].Err.Line })
			return nil, checks, err
		}
		sc.Add = sites
		for _, s := range sites {
			if e := emps[s.ID]; e != "" {
				sc.AddEmployer[s.ID] = e
			}
		}
	}
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].Err.Line < checks[j].Err.Line })
	if len(sc.Add) == 0 && len(sc.Remove) == 0 {
		reason := ""
		for _, c := range checks {
			if c.Severity == data.Rejected {
				reason = " ; première ligne rejetée : " + c.Err.Error()
				break
			}
		}
		return nil, checks, &data.ParseError{File: name, Err: fmt.Errorf("%w : aucun lieu à ajouter ni à retirer%s", data.ErrEmptyFile, reason)}
	}
	return sc, checks, nil
}

// scenarioRows reads the action and employer of every row: it fills the
// removals of sc and returns the rows to add with their employers.
func scenarioRows(t *data.Table, idCol int, sc *Scenario) ([]data.Record, map[string]Employer, data.Checks) {
	var checks data.Checks
	var adds []data.Record
	emps := map[string]Employer{}
	actCol, empCol := t.Index("action"), t.Index("employeur", "employer")
	removed := map[string]int{}
	reject := func(rec data.Record, col string, err error) {
		checks.Reject(&data.ParseError{File: t.File, Line: rec.Line, Column: col, Err: err})
	}
	for _, rec := range t.Records {
		act, ok := parseAction(rec.Field(actCol))
		if !ok {
			reject(rec, "action", fmt.Errorf("%w : action %q : attendu ajout ou suppression", data.ErrBadValue, rec.Field(actCol)))
			continue
		}
		var emp Employer
		if s := rec.Field(empCol); s != "" {
			if emp, ok = ParseEmployer(s); !ok {
				reject(rec, "employeur", fmt.Errorf("%w : employeur %q : attendu public ou prive", data.ErrBadValue, s))
				continue
			}
		}
		id := rec.Field(idCol)
		switch {
		case act == ActionAdd:
			adds = append(adds, rec)
			if emp != "" {
				emps[id] = emp
			}
		case id == "":
			reject(rec, "id", fmt.Errorf("%w : identifiant vide pour le lieu à retirer", data.ErrBadValue))
		case removed[id] > 0:
			checks.Add(data.Check{Severity: data.Rejected, Site: id, Err: &data.ParseError{File: t.File, Line: rec.Line,
				Column: "id", Err: fmt.Errorf("%w : lieu %q déjà retiré à la ligne %d", data.ErrDuplicate, id, removed[id])}})
		default:
			removed[id] = rec.Line
			sc.Remove = append(sc.Remove, id)
			if emp != "" {
				sc.RemoveEmployer[id] = emp
			}
		}
	}
	return adds, emps, checks
}

// addRowsText returns the header and the rows recs as CSV text, each row
// on the physical line where it was in the file (blank lines between),
// so that data.LoadSitesCSV reports the file's line numbers.
func addRowsText(t *data.Table, recs []data.Record) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(t.Header) // a strings.Builder does not fail
	w.Flush()
	line := 2
	for _, rec := range recs {
		for ; line < rec.Line; line++ {
			b.WriteByte('\n')
		}
		start := b.Len()
		_ = w.Write(rec.Fields)
		w.Flush()
		line += strings.Count(b.String()[start:], "\n")
	}
	return b.String()
}

// Apply returns sites changed by the scenario (sites is not modified):
// the sites whose id is removed are left out, and the added sites are
// appended in file order, except that a site added with the id of a
// removed site takes its place in the list. Re-adding a removed site
// unchanged thus gives back the very same list, and the same figures.
// Removing an id that no site has wraps ErrUnknownSite; adding an id
// that a kept site has wraps data.ErrDuplicate.
func (sc *Scenario) Apply(sites []data.Site) ([]data.Site, error) {
	first := map[string]int{}
	for i := len(sites) - 1; i >= 0; i-- {
		first[sites[i].ID] = i
	}
	removed := map[string]bool{}
	for _, id := range sc.Remove {
		if _, ok := first[id]; !ok {
			return nil, fmt.Errorf("%w : %q (scénario, action %s)", ErrUnknownSite, id, ActionRemove)
		}
		removed[id] = true
	}
	replace := map[string]data.Site{}
	var tail []data.Site
	for _, s := range sc.Add {
		_, exists := first[s.ID]
		switch {
		case removed[s.ID]:
			replace[s.ID] = s
		case exists:
			return nil, fmt.Errorf("%w : l'identifiant de lieu %q existe déjà ; le retirer d'abord (action %s)",
				data.ErrDuplicate, s.ID, ActionRemove)
		default:
			tail = append(tail, s)
		}
	}
	out := make([]data.Site, 0, len(sites)+len(tail))
	for i, s := range sites {
		if !removed[s.ID] {
			out = append(out, s)
		} else if a, ok := replace[s.ID]; ok && first[s.ID] == i {
			u := s
			u.Commune, u.Placed = "", false
			if u.SameRecord(a) {
				a = s // re-added unchanged: keep the commune make data stored (data.Site.Placed)
			}
			out = append(out, a)
		}
	}
	return append(out, tail...), nil
}

// WithScenario returns a shallow copy of ds whose sites are changed by sc
// (Scenario.Apply); ds is not modified.
func WithScenario(ds *data.Dataset, sc *Scenario) (*data.Dataset, error) {
	sites, err := sc.Apply(ds.Sites)
	if err != nil {
		return nil, err
	}
	cp := *ds
	cp.Sites = sites
	return &cp, nil
}
