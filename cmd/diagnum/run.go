package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/report"
	"diagnum/geo"
)

// version is the diagnum version shown in reports; set at build time with
// -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Run runs diagnum with args (without the program name). Subcommands
// dispatch on args[0]; anything else is a diagnostic run.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if _, err := runDate(); err != nil {
		return err
	}
	if len(args) > 0 && args[0] == "plan" {
		return runPlan(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "calibrer" {
		return runCalibrer(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "serve" {
		return runServe(ctx, args[1:], stdout, stderr)
	}
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.version {
		fmt.Fprintln(stdout, "diagnum", version)
		return nil
	}
	return runDiagnostic(ctx, o, stdout, stderr)
}

// opened is what both subcommands start from.
type opened struct {
	t      diag.Territory
	params diag.Params
	pr     *progress
	ds     *data.Dataset
}

// open reads the territory and the parameters, checks the output paths
// (outputs of the territory) against the input files (inputs), runs
// before (nil: nothing), then loads the data: the opening of a diagnostic
// and of a plan.
func (o *options) open(ctx context.Context, stderr io.Writer, outputs func(diag.Territory) []outputPath, inputs []string, before func() error) (*opened, error) {
	t, err := o.territory()
	if err != nil {
		return nil, err
	}
	params, err := o.params()
	if err != nil {
		return nil, err
	}
	if err := checkOutputs(outputs(t), inputs, notes(stderr, o.quiet)); err != nil {
		return nil, err
	}
	if before != nil {
		if err := before(); err != nil {
			return nil, err
		}
	}
	pr := newProgress(stderr, o.quiet)
	ds, err := o.load(ctx, pr, &params, t)
	if err != nil {
		return nil, err
	}
	if err := territoryError(diag.CheckDatasetTerritory(ds, t)); err != nil {
		return nil, err
	}
	return &opened{t: t, params: params, pr: pr, ds: ds}, nil
}

// territoryError adds to an unknown territory's error where the codes
// are listed; a COM's error says all already.
func territoryError(err error) error {
	if err == nil || errors.Is(err, diag.ErrNoGeography) {
		return err
	}
	return fmt.Errorf("%w (codes : voir la liste des départements et régions dans le README)", err)
}

func runDiagnostic(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	op, err := o.open(ctx, stderr, func(t diag.Territory) []outputPath { return o.outputPaths(o.outPath(t)) }, o.inputs(), nil)
	if err != nil {
		return err
	}
	t, params, pr, ds := op.t, op.params, op.pr, op.ds
	workbook := o.outPath(t) != "-"
	// The offers' runs below stop when the diagnostic does: a refusal
	// after the measures (a COM, --strict) does not leave them computing.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var runs []func() (report.Offer, error)
	if workbook && o.demande == "" {
		// The offers' own national runs do not depend on the measures
		// below: they start now and take the moments the measures leave
		// a core idle, and their garbage is gone before the outputs.
		runs = startOffers(ctx, ds, params, nil, t)
	}
	pr.step("calcul des mesures")
	b, layer, demand, err := o.baseline(ctx, pr, ds, params)
	if err != nil {
		return err
	}
	if workbook && runs == nil { // measured on the demand layer, loaded by baseline
		runs = startOffers(ctx, ds, params, layer, t)
	}
	res := b.Result
	ds.Checks = append(ds.Checks, timerChecks(params, stderr, o.quiet)...)
	view, err := res.View(t)
	if err := territoryError(err); err != nil {
		return err
	}
	in := reportInput(ds, view)
	in.Demand = demand
	if workbook {
		defer boundOutputMemory()()
		// Only the workbook embeds the map and the offers: the map is
		// drawn and the offers rolled up on other goroutines while the
		// workbook is written (Synthèse, its last sheet, waits for them).
		in.Map = drawMapAsync(report.NewMapInput(&in, ds))
		in.OffersFunc = async(func() ([]report.Offer, error) { return offers(runs, res, t) })
	}
	written, err := writeOutputs(ctx, o, t, ds, in, stdout, pr)
	if err != nil {
		return err
	}
	pr.done()
	if !o.quiet {
		warnIndicators(stderr, res.Indicators)
		r := in.Rollup
		fmt.Fprintf(stderr, "%s : %s — %d communes, %d hab., %.1f ETP, %.2f conseillers pour 10 000 hab., couverture %.1f %% à %g min\n",
			in.Name, joinFiles(written), r.Communes, r.Population, r.FTE, r.Per10k, 100*r.Coverage, params.ThresholdMin)
	}
	return nil
}

// load loads the data (loadData) and, with --osrm, --temps or --osm, sets the
// road travel timer in params (travelTimer).
func (o *options) load(ctx context.Context, pr *progress, params *diag.Params, t diag.Territory) (*data.Dataset, error) {
	pr.step("chargement des données")
	ds, err := loadData(ctx, o)
	if err != nil {
		return nil, err
	}
	if err := o.travelTimer(ctx, ds, t, params, pr); err != nil {
		return nil, err
	}
	if o.weights != "" {
		var extra []string
		if o.demande != "" { // a layer with ages gives part_65_plus (checked by demandWeights)
			extra = append(extra, data.ColPart65Plus)
		}
		if params.Weights, err = loadWeights(ctx, userFile{o.weights, o.weights}, ds, extra...); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// loadWeights reads the --weights file, checked against the indicator
// columns of ds and the names extra (diag.LoadWeights, diag.CheckWeights).
func loadWeights(ctx context.Context, f userFile, ds *data.Dataset, extra ...string) (map[string]float64, error) {
	known := func(name string) bool {
		if slices.ContainsFunc(extra, func(e string) bool { return strings.EqualFold(e, name) }) {
			return true
		}
		if ds.Indicators == nil {
			return false
		}
		for _, c := range ds.Indicators.Columns {
			if strings.EqualFold(c, name) {
				return true
			}
		}
		return false
	}
	w, err := loadFile(ctx, f.path, func(r io.Reader) (map[string]float64, error) {
		return diag.LoadWeights(f.name, r, known)
	})
	if err == nil {
		err = diag.CheckWeights(f.name, ds, w)
	}
	if err != nil {
		return nil, fmt.Errorf("poids de l'indice de fragilité (--weights) : %w", frenchLocation(err))
	}
	return w, nil
}

// frenchLocation returns err with the place of a *data.ParseError written
// in French (fichier, ligne, colonne); other errors are returned as is.
func frenchLocation(err error) error {
	var pe *data.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	return frParseError{pe}
}

// frParseError writes a *data.ParseError for users: « fichier F, ligne
// L, colonne « C » : raison ».
type frParseError struct{ pe *data.ParseError }

func (e frParseError) Error() string {
	s := "fichier " + e.pe.File
	if e.pe.Line > 0 {
		s += fmt.Sprintf(", ligne %d", e.pe.Line)
	}
	if e.pe.Column != "" {
		s += ", colonne « " + e.pe.Column + " »"
	}
	return s + " : " + e.pe.Err.Error()
}

func (e frParseError) Unwrap() error { return e.pe }

// embedded reads the embedded data set once per process: a command
// reads it once anyway, and the tests, which run many commands in one
// process, read it once instead of once a command.
// Once a run has taken the data set itself (embeddedCopy), a later call
// is a programming error: it would see that run's changes.
func embedded() (*data.Dataset, error) {
	if embeddedTaken.Load() {
		panic("diagnum: données intégrées déjà prises par l'exécution")
	}
	return embeddedOnce()
}

var embeddedOnce = sync.OnceValues(data.LoadEmbedded)

// ownEmbedded is set by main, whose process runs one command: the run's
// embeddedCopy then takes the embedded data set itself, with no copy
// (Clone was 5 % of the national run's CPU, on its critical path, and
// 13 MB), and sets embeddedTaken. serve and calibrer, which read
// embedded() without changing it, are commands of their own. The tests,
// which run many commands in one process, leave it unset.
var ownEmbedded, embeddedTaken atomic.Bool

// embeddedCtx returns embedded(), or ctx's error as soon as ctx is done
// (Ctrl-C while the embedded data decode, which is not interruptible):
// the decoding goes on in its goroutine, for a later call in the same
// process.
func embeddedCtx(ctx context.Context) (*data.Dataset, error) {
	type result struct {
		ds  *data.Dataset
		err error
	}
	ch := make(chan result, 1)
	go func() {
		ds, err := embedded()
		ch <- result{ds, err}
	}()
	select {
	case r := <-ch:
		return r.ds, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// embeddedCopy returns a copy of embeddedCtx's data set (data.Clone),
// which a run changes with its files and checks, or the data set itself
// in a process that runs one command (ownEmbedded). The collector stays on:
// turned off while the set was read and copied (it keeps nearly all it
// allocates, and a cycle running during the copy puts each pointer of
// the communes and sites through a write barrier), the national run took
// about 0.03–0.05 s less CPU, but its peak RSS with the workbook rose by
// about 10 MB, to 251.6 MiB in 1 of 16 runs (issue 16: ≤ 250 MiB).
func embeddedCopy(ctx context.Context) (*data.Dataset, error) {
	ds, err := embeddedCtx(ctx)
	if err != nil {
		return nil, err
	}
	if ownEmbedded.CompareAndSwap(true, false) {
		embeddedTaken.Store(true)
		return ds, nil
	}
	return ds.Clone(), nil
}

// loadData loads the embedded data and the user's files; the loads stop
// once ctx is done.
func loadData(ctx context.Context, o *options) (*data.Dataset, error) {
	ds, err := embeddedCopy(ctx)
	if err != nil && err == ctx.Err() {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("données intégrées : %w", err)
	}
	t, err := o.territory()
	if err != nil {
		return nil, err
	}
	if err := checkKnown(t, ds); err != nil {
		return nil, err
	}
	var console io.Writer
	if !o.quiet {
		console = o.stderr
	}
	if err := addUserFiles(ctx, ds, pathFiles(o.sites), pathFiles(o.indicators), siteRule{t, o.sitesOnly, o.strict}, console); err != nil {
		return nil, err
	}
	return ds, nil
}

// replaceSites puts the user's sites into ds: with --sites-only in place
// of every embedded site, otherwise in place of the embedded sites of the
// kinds they contain inside the territory (diag.ReplaceSites). The checks
// of the embedded sites dropped go with them.
func replaceSites(ds *data.Dataset, user []data.Site, rule siteRule) {
	if rule.only {
		ds.Sites, ds.SiteChecks = user, nil
		return
	}
	var dropped map[string]bool
	ds.Sites, dropped = diag.ReplaceSites(ds, user, rule.t)
	ds.SiteChecks = slices.DeleteFunc(ds.SiteChecks, func(c data.Check) bool { return dropped[c.Site] })
}

// announceRejected says on the console how many rows of a user's file
// were rejected, and how many warnings it raised (they are listed in
// Contrôles).
func announceRejected(console io.Writer, name string, checks data.Checks) {
	if console == nil {
		return
	}
	var parts []string
	for _, c := range []struct {
		n         int
		one, many string
	}{
		{checks.Count(data.Rejected), "ligne rejetée", "lignes rejetées"},
		{checks.Count(data.Warning), "avertissement", "avertissements"},
	} {
		switch {
		case c.n == 1:
			parts = append(parts, "1 "+c.one)
		case c.n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.many))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(console, "%s : %s, voir Contrôles\n", name, strings.Join(parts, ", "))
	}
}

// warnIndicators prints the warnings about the fragility weights: a
// user's column without a weight, a partial indicator given a weight.
func warnIndicators(w io.Writer, uses []diag.IndicatorUse) {
	for _, u := range uses {
		switch {
		case u.Status == diag.OutSpread:
			fmt.Fprintf(w, "avertissement : %v\n", spreadText(u))
		case u.Status != diag.Used:
		case u.Origin == diag.WeightImplicit:
			fmt.Fprintf(w, "avertissement : l'indicateur « %s » n'a pas de poids (--weights) : poids 1 par défaut\n", u.Name)
		case u.Origin == diag.WeightExplicit && !u.National():
			fmt.Fprintf(w, "avertissement : l'indicateur « %s » n'est connu que de %d communes sur %d (%d départements sur %d) : retenu par --weights, l'indice n'est pas construit de la même façon partout\n",
				u.Name, u.Communes, u.Total, u.Deps, u.DepTotal)
		}
	}
}

// spreadText says that indicator u is left out of the index for an
// overflowing spread (diag.OutSpread).
func spreadText(u diag.IndicatorUse) string {
	return fmt.Sprintf("l'indicateur « %s » est écarté de l'indice : ses valeurs sont si éloignées que leur écart type dépasse les nombres représentables (voir Contrôles)", u.Name)
}

// strictIndicators refuses, under --strict, an indicator left out of the
// index for an overflowing spread.
func strictIndicators(uses []diag.IndicatorUse) error {
	for _, u := range uses {
		if u.Status == diag.OutSpread {
			return errors.New("--strict : " + spreadText(u))
		}
	}
	return nil
}

// userFile is a file of the user: the name shown in messages and the
// path read (the same on the command line; diagnum serve names its
// uploads itself).
type userFile struct{ name, path string }

func pathFiles(paths []string) []userFile {
	var v []userFile
	for _, p := range paths {
		v = append(v, userFile{p, p})
	}
	return v
}

// siteRule says where the user's sites replace the embedded ones.
type siteRule struct {
	t    diag.Territory // the reported territory
	only bool           // --sites-only: every embedded site goes
	// strict (--strict): a check on a row of the user's files is an
	// error, found before the sites replace the embedded ones.
	strict bool
}

// addUserFiles loads the user's sites files, which replace sites of ds
// as rule says (replaceSites), and indicators files, which are merged
// into ds.Indicators; the checks of their rows are appended to ds.Checks
// and the count of rejected rows of each file is written to console
// (nil: nothing). With rule.strict a check of theirs stops it
// (strictError) before any site is replaced.
func addUserFiles(ctx context.Context, ds *data.Dataset, sites, indicators []userFile, rule siteRule, console io.Writer) error {
	from := len(ds.Checks)
	var user []data.Site
	if len(sites) > 0 {
		ids := map[string]string{} // site id → file of its first site
		for _, f := range sites {
			var ss []data.Site
			first := len(ds.Checks)
			err := readFileCtx(ctx, f.path, func(r io.Reader) error {
				format, r := sniffSites(r)
				s, checks, err := loadUserSites(f.name, r, format, ds)
				ss, ds.Checks = s, append(ds.Checks, checks...)
				return err
			})
			if err != nil {
				return fmt.Errorf("lieux %s : %w", f.name, err)
			}
			user = append(user, acrossFiles(ds, f.name, ss, ids)...)
			announceRejected(console, f.name, ds.Checks[first:])
		}
	}
	for _, f := range indicators {
		err := readFileCtx(ctx, f.path, func(r io.Reader) error {
			checks, err := data.LoadIndicators(f.name, r, ds.Indicators,
				data.IndicatorsOptions{Resolve: ds.Resolve, Reserved: reservedColumns()})
			ds.Checks = append(ds.Checks, checks...)
			announceRejected(console, f.name, checks)
			return err
		})
		if err != nil {
			return fmt.Errorf("indicateurs %s : %w", f.name, err)
		}
	}
	if rule.strict {
		if err := strictError(ds.Checks[from:]); err != nil {
			return err
		}
	}
	// The sites replace the embedded ones once every file is read (and,
	// with --strict, accepted): placing them takes a national assignment.
	if len(sites) > 0 {
		replaceSites(ds, user, rule)
	}
	return nil
}

// reservedColumns are the measures of the per-commune output (CSV
// header), which an indicators file cannot bring: codes and names aside.
func reservedColumns() []string {
	var out []string
	for _, c := range report.CSVHeader {
		if !strings.HasPrefix(c, "code") && !strings.HasPrefix(c, "nom") {
			out = append(out, c)
		}
	}
	return out
}

// acrossFiles returns the sites of file whose id no earlier file used;
// each other one is rejected with a check (the same file given twice
// would count every site twice). ids records the ids seen, with their
// file. The check names the file, the site's line (Site.Line) and the id.
func acrossFiles(ds *data.Dataset, file string, sites []data.Site, ids map[string]string) []data.Site {
	kept := sites[:0]
	for _, s := range sites {
		if first, dup := ids[s.ID]; dup {
			ds.Checks.Add(data.Check{Severity: data.Rejected, Site: s.ID, Err: &data.ParseError{File: file, Line: s.Line, Column: "id",
				Err: fmt.Errorf("%w : identifiant %q déjà utilisé par un fichier précédent (%s) ; le même fichier donné deux fois ?", data.ErrDuplicate, s.ID, first)}})
			continue
		}
		kept = append(kept, s)
	}
	for _, s := range kept { // ids are unique within a file (LoadSites)
		ids[s.ID] = file
	}
	return kept
}

// strictError reports the checks found in the user's files (--strict).
func strictError(checks data.Checks) error {
	if len(checks) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--strict : %d ligne(s) rejetée(s) ou signalée(s) dans vos fichiers :", len(checks))
	for i, c := range checks {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … et %d autre(s)", len(checks)-i)
			break
		}
		fmt.Fprintf(&b, "\n  %v", c.Err)
	}
	return errors.New(b.String())
}

// loadChecked reads the user's file path with load, adds the checks it
// returns to ds.Checks and, with strict, refuses the file when it has
// any (strictError).
func loadChecked[T any](ctx context.Context, path string, ds *data.Dataset, strict bool, load func(r io.Reader) (T, data.Checks, error)) (T, error) {
	v, checks, err := readChecked(ctx, path, strict, load)
	ds.Checks = append(ds.Checks, checks...)
	return v, err
}

// readChecked reads the user's file path with load (loadFile) and
// returns its value and checks; with strict, checks refuse the file
// (strictError).
func readChecked[T any](ctx context.Context, path string, strict bool, load func(io.Reader) (T, data.Checks, error)) (T, data.Checks, error) {
	var checks data.Checks
	v, err := loadFile(ctx, path, func(r io.Reader) (T, error) {
		v, c, err := load(r)
		checks = c
		if err == nil && strict {
			err = strictError(c)
		}
		return v, err
	})
	return v, checks, err
}

// loadFile reads the user's file path with load (readFileCtx) and
// returns what load gives.
func loadFile[T any](ctx context.Context, path string, load func(r io.Reader) (T, error)) (T, error) {
	var v T
	err := readFileCtx(ctx, path, func(r io.Reader) error {
		var err error
		v, err = load(r)
		return err
	})
	return v, err
}

// readFileCtx opens path and passes it to fn through data.WithContext, so
// that the loaders stop once ctx is done (Ctrl-C while a file loads, or
// while a FIFO waits for its writer: data.Open).
func readFileCtx(ctx context.Context, path string, fn func(io.Reader) error) error {
	f, err := data.Open(ctx, path)
	if err != nil {
		return err
	}
	defer f.Close()
	return fn(data.WithContext(ctx, f))
}

// reportInput assembles what the outputs show for the view v of the
// national result (report.NewInput), with this version and the run's
// date (runDate; Run has checked it).
func reportInput(ds *data.Dataset, v *diag.View) report.Input {
	in := report.NewInput(ds, v)
	in.Version = version
	in.Date, _ = runDate()
	in.MaxControlRows = controlRowsCap
	return in
}

// controlRowsCap is report.Input.MaxControlRows for every output (0:
// Excel's limit); tests lower it to reach the overflow of Contrôles.
var controlRowsCap = 0

// offerKinds are the offers of Synthèse: the conseillers numériques
// alone and the whole offer (every kind of site).
var offerKinds = []struct {
	label  string
	supply []data.SiteKind
}{
	{"Conseillers numériques seuls", []data.SiteKind{data.KindCNFS}},
	{"Offre complète", data.Kinds},
}

// startOffers starts on other goroutines the national runs of the
// offers whose kinds differ from params.Supply (measured on layer when
// it is not nil, as the run's own result is), each rolled up over t as
// soon as computed (the national result is not kept), and returns, by
// offer, the function that waits for its figures (nil: the run's own
// result serves).
func startOffers(ctx context.Context, ds *data.Dataset, params diag.Params, layer *data.DemandLayer, t diag.Territory) []func() (report.Offer, error) {
	runs := make([]func() (report.Offer, error), len(offerKinds))
	for i, o := range offerKinds {
		if !sameKinds(params.Supply, o.supply) {
			p := params
			p.Supply = o.supply
			p.Timer = geo.Recount(p.Timer) // the diagnostic's counts stay its own
			runs[i] = async(func() (report.Offer, error) {
				r, err := computeWithDemand(ctx, ds, p, layer)
				if err != nil {
					return report.Offer{}, err
				}
				return offerOf(o.label, r, t)
			})
		}
	}
	return runs
}

// offerOf returns the figures of offer label in r over t.
func offerOf(label string, r *diag.Result, t diag.Territory) (report.Offer, error) {
	ru, err := r.TerritoryRollup(t)
	return report.Offer{Label: label, Territory: ru, France: r.France}, err
}

// offers returns the figures of the offers of Synthèse (offerKinds) for
// territory t: from their runs (startOffers), or from res when the
// run's parameters already count the offer's kinds.
func offers(runs []func() (report.Offer, error), res *diag.Result, t diag.Territory) ([]report.Offer, error) {
	out := make([]report.Offer, len(offerKinds))
	for i, o := range offerKinds {
		var err error
		if runs[i] != nil {
			out[i], err = runs[i]()
		} else {
			out[i], err = offerOf(o.label, res, t)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sameKinds reports whether a and b hold the same kinds.
func sameKinds(a, b []data.SiteKind) bool {
	for _, k := range data.Kinds {
		if slices.Contains(a, k) != slices.Contains(b, k) {
			return false
		}
	}
	return true
}

// drawMapAsync starts drawing the map on another goroutine and returns a
// function that waits for the picture (nil when it cannot be drawn); it
// may be called more than once (--map writes the same picture).
func drawMapAsync(mi report.MapInput) func() []byte {
	done := make(chan []byte, 1)
	go func() { done <- mapPicture(mi) }()
	return sync.OnceValue(func() []byte { return <-done })
}

// async starts fn on another goroutine and returns a function that waits
// for its result (the same at every call).
func async[T any](fn func() (T, error)) func() (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	return sync.OnceValues(func() (T, error) { r := <-done; return r.v, r.err })
}

// mapsDrawn counts the maps mapPicture drew (tests: a map is drawn
// only when an output needs it, once).
var mapsDrawn atomic.Int64

// mapPicture renders the map embedded in Synthèse, or nil when it cannot
// be drawn (the sheet then says so).
func mapPicture(mi report.MapInput) []byte {
	mapsDrawn.Add(1)
	var png bytes.Buffer
	if report.WriteMapPNG(&png, mi) != nil {
		return nil
	}
	return png.Bytes()
}

// writeOutputs writes the GeoJSON layers, the map, the CSV and the
// workbook asked for, all or nothing (see outputs), and returns the paths
// written. --out - writes the CSV to standard output instead of a workbook.
func writeOutputs(ctx context.Context, o *options, t diag.Territory, ds *data.Dataset, in report.Input, stdout io.Writer, pr *progress) ([]string, error) {
	set := newOutputs(ctx, stdout)
	defer set.abort()
	written, err := writeLayers(set, o, ds, in, pr)
	if err != nil {
		return nil, err
	}
	out := o.outPath(t)
	files := csvFiles(o.csv, out, func(w io.Writer) error { return report.WriteCSVColumns(w, in.Communes, in.CSVColumns()) })
	files = append(files, checksFile(out, &in)...)
	files = append(files, workbookFile(out, func(w io.Writer) error { return report.WriteWorkbook(w, in) })...)
	more, err := set.writeAll(pr, files)
	if err != nil {
		return nil, err
	}
	written = append(written, more...)
	if err := set.commit(); err != nil {
		return nil, err
	}
	return written, nil
}

// notes returns where notes go: stderr, or nowhere with --quiet.
func notes(stderr io.Writer, quiet bool) io.Writer {
	if quiet {
		return io.Discard
	}
	return stderr
}

func joinFiles(fs []string) string {
	s := ""
	for i, f := range fs {
		if i > 0 {
			s += ", "
		}
		s += f
	}
	return s
}

// writeLayers writes the GeoJSON layers and the map pictures asked for
// into set.
func writeLayers(set *outputs, o *options, ds *data.Dataset, in report.Input, pr *progress) ([]string, error) {
	var written []string
	write := func(path string, fn func(io.Writer) error) error {
		if err := set.write(path, fn); err != nil {
			return fmt.Errorf("%s : %w", path, err)
		}
		written = append(written, path)
		return nil
	}
	if o.geojson != "" {
		pr.step("écriture des couches GeoJSON")
		sites := in.SiteResults()
		if err := write(o.geojson, func(w io.Writer) error { return report.WriteGeoJSON(w, in.Communes, ds, sites) }); err != nil {
			return nil, err
		}
		if err := write(sitesLayerPath(o.geojson), func(w io.Writer) error { return report.WriteSitesGeoJSON(w, sites) }); err != nil {
			return nil, err
		}
	}
	html, err := set.writeAll(pr, htmlFile(o.html, &in))
	if err != nil {
		return nil, err
	}
	written = append(written, html...)
	if o.mapFile != "" {
		pr.step("dessin de la carte")
		stem := mapStem(o.mapFile)
		// The map is projected once for both pictures, and the PNG is
		// the workbook's when it is being drawn (the same input).
		var pngData []byte
		if in.Map != nil {
			pngData = in.Map()
		}
		var svgData []byte
		var err error
		if pngData == nil {
			pngData, svgData, err = report.RenderMap(report.NewMapInput(&in, ds))
		} else {
			svgData, err = mapSVG(report.NewMapInput(&in, ds))
		}
		if err != nil {
			return nil, fmt.Errorf("%s.png : %w", stem, err)
		}
		if err := write(stem+".png", func(w io.Writer) error { _, err := w.Write(pngData); return err }); err != nil {
			return nil, err
		}
		if err := write(stem+".svg", func(w io.Writer) error { _, err := w.Write(svgData); return err }); err != nil {
			return nil, err
		}
	}
	return written, nil
}

// mapSVG returns the map as SVG.
func mapSVG(mi report.MapInput) ([]byte, error) {
	var b bytes.Buffer
	err := report.WriteMapSVG(&b, mi)
	return b.Bytes(), err
}

// sitesLayerPath returns the path of the sites layer beside a communes
// layer: communes.geojson → communes-sites.geojson.
// checksCSVPath is the CSV of every check written beside the workbook
// when its Contrôles sheet cannot hold them: diagnostic-23.xlsx →
// diagnostic-23-controles.csv.
func checksCSVPath(book string) string {
	return strings.TrimSuffix(book, filepath.Ext(book)) + "-controles.csv"
}

func sitesLayerPath(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-sites" + ext
}
