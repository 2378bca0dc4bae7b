package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"
	"diagnum/diag/report"
	"diagnum/diag/report/htmlreport"
)

// session is one user's state: territory, parameters, data with their
// uploaded files, and the stack of changes (posts added or removed,
// planner runs) that undo pops. Its mutex serialises its requests.
type session struct {
	mu   sync.Mutex
	csrf string
	dir  string // its uploads, under the server's temporary folder
	last time.Time

	base  *data.Dataset     // the embedded data, shared, never modified
	layer *data.DemandLayer // the demand layer in effect: uploaded, else startLayer; nil: none
	// startLayer is the server's demand layer (serve --demande), nil
	// without.
	startLayer *data.DemandLayer
	settings   settings
	terr       diag.Territory
	params     diag.Params
	ds         *data.Dataset // base with the uploaded files, before the changes
	uploads    data.Checks   // checks of the uploaded files
	edits      []edit
	cur        *computed // figures of ds after edits; nil before the first computation
}

// settings are the choices of the page's form, sent back to it.
type settings struct {
	Level  string   `json:"niveau"` // "dept" or "region"
	Code   string   `json:"code"`
	Seuil  float64  `json:"seuil"`
	Supply []string `json:"offre"`
	Files  []string `json:"fichiers"` // names of the uploaded files in effect
	// SitesOnly: the uploaded sites and no others, anywhere (--sites-only).
	SitesOnly bool `json:"lieux_seuls"`
}

// edit is one change of the stack: sites added and sites removed.
type edit struct {
	add, remove []data.Site
	plan        *plan.Plan // the planner run that proposed add, nil otherwise
}

// computed is the diagnostic of the session's data after its changes.
type computed struct {
	src  *data.Dataset // the session's data the changes were applied to
	ds   *data.Dataset
	base *diag.Baseline
	in   report.Input
	sc   []byte // the scenario file of the changes, nil when none
}

// reply is what the API sends back to the page.
type reply struct {
	Page     *htmlreport.Page `json:"page"`
	Message  string           `json:"message"`
	Rejected []string         `json:"rejets"` // checks of the uploaded files
	Edits    int              `json:"modifs"` // changes that undo can pop
	Settings settings         `json:"reglages"`
}

// newSession starts a session on the figures of the command run without
// options (cliDefaults): Creuse, the whole offer (defaultSupply), the
// default threshold, FTE per kind and method.
func newSession(base *data.Dataset, dir, csrf string, now time.Time) *session {
	o, params, terr := cliDefaults()
	return &session{csrf: csrf, dir: dir, last: now, base: base, ds: base,
		settings: settings{Level: "dept", Code: o.dept, Seuil: params.ThresholdMin, Supply: strings.Split(o.supply, ",")},
		terr:     terr, params: params}
}

// cliDefaults returns the options, parameters and territory of `diagnum`
// run without arguments. The defaults are valid: an error is a bug.
func cliDefaults() (*options, diag.Params, diag.Territory) {
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		panic(fmt.Sprintf("diagnum: options par défaut invalides : %v", err))
	}
	params, err := o.params()
	if err != nil {
		panic(fmt.Sprintf("diagnum: paramètres par défaut invalides : %v", err))
	}
	terr, err := o.territory()
	if err != nil {
		panic(fmt.Sprintf("diagnum: territoire par défaut invalide : %v", err))
	}
	return o, params, terr
}

// changes returns the sites added and removed by the stack of edits: a
// removal of a site added by an earlier edit cancels that addition.
func (ss *session) changes() (add, remove []data.Site) {
	for _, e := range ss.edits {
		add = append(add, e.add...)
		for _, r := range e.remove {
			kept := add[:0:0]
			found := false
			for _, a := range add {
				if a.ID == r.ID {
					found = true
					continue
				}
				kept = append(kept, a)
			}
			add = kept
			if !found {
				remove = append(remove, r)
			}
		}
	}
	return add, remove
}

// compute recomputes the figures of the session: its changes are written
// as a scenario file and read back by plan.LoadScenario, then applied as
// `diagnum plan --scenario` applies them, so that the page, the
// downloaded scenario and the command line give the same figures.
func (ss *session) compute(ctx context.Context) error {
	ds := ss.ds
	var scFile []byte
	if add, remove := ss.changes(); len(add)+len(remove) > 0 {
		var buf bytes.Buffer
		if err := plan.WriteScenarioCSV(&buf, add, remove, ""); err != nil {
			return err
		}
		scFile = buf.Bytes()
		sc, checks, err := plan.LoadScenario("scenario.csv", bytes.NewReader(scFile), data.SitesOptions{Known: ds.KnownCode})
		if err == nil && checks.Count(data.Rejected) > 0 {
			err = checks[0].Err
		}
		if err != nil {
			return badRequest("modification impossible : %v", err)
		}
		if ds, err = plan.WithScenario(ds, sc); err != nil {
			return badRequest("modification impossible : %v", err)
		}
	}
	// After a change of the sites only (a click, a planner run, undo), the
	// figures are updated locally from the current ones (WithSites);
	// after a change of the settings or files, computed in full.
	var b *diag.Baseline
	var err error
	if ss.cur != nil && ss.cur.src == ss.ds {
		b, err = ss.cur.base.WithSites(ctx, ds)
	} else {
		b, err = diag.NewBaseline(ctx, ds, ss.params)
	}
	if err != nil {
		return err
	}
	// With a demand layer, the figures are measured on it as the command
	// line measures them (applyDemand); its checks and part_65_plus go to
	// a copy of ds, so that ds stays the baseline's and the next change
	// can still be made locally.
	rds := ds
	var demand *diag.DemandSummary
	if ss.layer != nil {
		cp := *ds
		cp.Checks = slices.Clip(ds.Checks)
		if demand, err = applyDemand(ctx, b, &cp, ss.layer, io.Discard); err != nil {
			return err
		}
		rds = &cp
	}
	view, err := b.Result.View(ss.terr)
	if err != nil {
		return badRequest("%v", err)
	}
	in := reportInput(rds, view)
	in.Version = version
	in.Demand = demand
	if n := len(ss.edits); n > 0 && ss.edits[n-1].plan != nil {
		in.Plan = ss.edits[n-1].plan
	}
	ss.cur = &computed{src: ss.ds, ds: ds, base: b, in: in, sc: scFile}
	return nil
}

// reply returns the page of the current figures with a message.
func (ss *session) reply(msg string) *reply {
	r := &reply{Page: htmlreport.NewPage(&ss.cur.in), Message: msg, Edits: len(ss.edits), Settings: ss.settings}
	r.Page.Settings = ss.settings
	for _, c := range ss.uploads {
		if c.Err != nil {
			sev := "signalée"
			if c.Severity == data.Rejected {
				sev = "rejetée"
			}
			r.Rejected = append(r.Rejected, sev+" : "+c.Err.Error())
		}
	}
	return r
}

// push applies a new edit, or leaves the stack as it was when the
// computation fails.
func (ss *session) push(ctx context.Context, e edit) error {
	ss.edits = append(ss.edits, e)
	if err := ss.compute(ctx); err != nil {
		ss.edits = ss.edits[:len(ss.edits)-1]
		return err
	}
	return nil
}

// ensure computes the figures when they are not yet.
func (ss *session) ensure(ctx context.Context) error {
	if ss.cur != nil {
		return nil
	}
	return ss.compute(ctx)
}

// newPost returns a new post of 1 FTE (conseiller numérique) at the
// representative point of commune code, which must be in the territory.
func (ss *session) newPost(code string) (data.Site, error) {
	i, ok := ss.ds.CommuneIndex(code)
	if !ok {
		return data.Site{}, badRequest("commune inconnue : %q", code)
	}
	c := &ss.ds.Communes[i]
	if !inTerritory(ss.terr, c) {
		return data.Site{}, badRequest("la commune %s (%s) n'est pas dans le territoire affiché", c.Name, c.Code)
	}
	if !c.HasPoint {
		return data.Site{}, badRequest("la commune %s (%s) n'a pas de point de référence : impossible d'y placer un poste", c.Name, c.Code)
	}
	n := 1
	add, _ := ss.changes()
	for _, a := range add {
		if strings.HasPrefix(a.ID, "poste-"+code+"-") {
			n++
		}
	}
	return data.Site{ID: "poste-" + code + "-" + strconv.Itoa(n), Name: "Nouveau poste — " + c.Name, Kind: data.KindCNFS,
		Point: c.Point, FTE: 1, INSEE: c.Code, Source: "diagnum-serve"}, nil
}

func inTerritory(t diag.Territory, c *data.Commune) bool {
	switch t.Level {
	case diag.LevelDepartement:
		return slices.Contains(t.Codes, c.Dep)
	case diag.LevelRegion:
		return slices.Contains(t.Codes, c.Region)
	}
	return true
}

// site returns the site of the current figures with that id.
func (ss *session) site(id string) (data.Site, error) {
	for _, s := range ss.cur.ds.Sites {
		if s.ID == id {
			return s, nil
		}
	}
	return data.Site{}, badRequest("lieu inconnu : %q", id)
}

// runPlan runs the planner for n posts on the current figures and pushes
// its proposals as one edit.
func (ss *session) runPlan(ctx context.Context, n int) (*plan.Plan, error) {
	if n < 1 || n > 500 {
		return nil, badRequest("nombre de postes à proposer : entre 1 et 500, pas %d", n)
	}
	p, err := plan.Run(ctx, ss.cur.base, plan.Options{Territory: ss.terr, Add: n})
	if err != nil {
		if errors.Is(err, plan.ErrBadOptions) {
			return nil, badRequest("%v", err)
		}
		return nil, err
	}
	p.Name = ss.cur.in.Name
	sites := p.Sites()
	for i := range sites {
		// Ids unique across runs of the planner in the session.
		sites[i].ID = fmt.Sprintf("plan%d-%s", len(ss.edits)+1, sites[i].ID)
	}
	return p, ss.push(ctx, edit{add: sites, plan: p})
}
