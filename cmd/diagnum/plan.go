package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"
	"diagnum/diag/report"
	"diagnum/geo"
)

// planOptions are the command-line settings of `diagnum plan`: those of
// a diagnostic run that apply, and the planner's own.
type planOptions struct {
	options
	add        int
	candidates string
	objective  string
	scenario   string
	costs      string
	employer   string
	capacity   float64
	maxPer     int
	exclude    string
	swap       bool
	refused    int // candidates of the file refused (ScreenCandidates)
	cover      string
	budget     float64
	remove     int
	layer      *data.DemandLayer // --demande, once loaded
}

const planUsageText = `diagnum plan — où ajouter des postes de conseiller numérique

Usage :
  diagnum plan --dept CODE --add N [options]
  diagnum plan --dept CODE --scenario FICHIER [--add N] [options]

Propose N nouveaux postes (1 ETP chacun) pour le territoire, les sites
existants restant en place, et les écrit dans l'onglet Recommandations du
classeur plan-CODE.xlsx (avec la courbe couverture / postes ajoutés).

Territoire (un seul à la fois ; défaut : --dept 23) :
  --dept CODE | --region CODE | --france

Planification :
  --add N              nombre de postes à proposer, de 1 à 100 000
  --objective OBJ      coverage (défaut) : couvrir la population fragile à moins du
                       seuil (MCLP), puis, une fois la couverture saturée, servir le
                       plus de population fragile (étape « capacité ») ;
                       access : réduire le déficit d'accès E2SFCA, puis capacité ;
                       equite : réduire le temps le plus long de la population
                       fragile (un département ou une région), puis capacité.
                       Ex aequo (à 1e-9 près) : population servie, déficit, puis
                       code INSEE. Le plan de N postes est le début de celui de N+k.
  --couvrir TAUX       le moins de postes possible pour atteindre ce taux de couverture
                       de la population (« 100% », « 95 % », « 0,9 ») ; donne aussi une
                       borne inférieure du nombre de postes (remplace --add)
  --budget EUROS       autant de postes que ce budget en paie (subvention sur 24 mois,
                       selon --couts, la zone et --employeur), meilleur gain par euro
                       d'abord (remplace --add)
  --retirer N          quels N sites de conseiller numérique existants fermer en perdant
                       le moins (couverture, puis population servie, puis déficit),
                       par exemple quand leur financement s'arrête (remplace --add)
  --capacite N         personnes accompagnées par ETP et par an (défaut 544 :
                       comptes rendus d'activité 2023 des conseillers numériques, ANCT)
  --max-par-lieu K     au plus K postes par lieu candidat
  --exclure FICHIER    lieux à ne pas utiliser : une ligne par code INSEE ou
                       identifiant de lieu candidat (colonne code_insee ou id d'un CSV)
  --echanges           après le glouton, échanges 1 pour 1 qui améliorent le plan
                       (plans jusqu'à 2 000 000 postes × candidats ; le plan n'est
                       alors plus emboîté)
  --candidates LIEUX   communes (défaut) : chaque commune du territoire ;
                       chefs-lieux : préfecture, ville-centre de chaque EPCI et
                       communes d'au moins 2 000 habitants ;
                       ou un FICHIER au format des lieux (id,nom,type,latitude,longitude)
  --scenario FICHIER   lieux à ajouter ou supprimer avant de planifier : format des
                       lieux + colonnes action (ajout | suppression) et employeur ;
                       le classeur montre avant / après / écart par commune.
                       Le --csv d'un plan est un fichier de scénario.
  --employeur TYPE     public (défaut) ou prive : fixe la subvention des nouveaux postes
  --couts FICHIER      subventions sur 24 mois : CSV zone,employeur,montant
                       (montant par poste de 0 à 10 000 000 €)
                       (défaut : 50 000 € public, 32 000 € privé en Hexagone et Corse ;
                       67 500 € à La Réunion et Mayotte ; 70 000 € aux Antilles et en Guyane)

Fichiers produits :
  --out FICHIER        classeur (défaut : plan-23.xlsx, plan-region-75.xlsx, plan-france.xlsx) ;
                       « - » : pas de classeur, les postes en CSV sur la sortie standard
  --csv FICHIER        les postes proposés en CSV, au format des scénarios (« - » : sortie standard)
  --html FICHIER       rapport interactif HTML, propositions comprises

Données et méthode : comme le diagnostic (--sites, --indicators, --weights, --strict,
  --supply, --etp, --threshold, --detour, --speed, --osrm, --temps, --osm, --parametres,
  --methode, --decroissance, --demande, --quiet) ; voir diagnum --help. Avec --demande, le
  plan compte la population de la couche (carreaux, IRIS, points) là où elle en a : une unité
  est couverte quand elle est à moins du seuil d'un poste, la couverture d'une commune est
  sa part_couverte. Le plan suit la méthode
  d'accessibilité choisie (e2sfca et sa --decroissance, 2sfca ou gravite) ; 3sfca et
  --normaliser sont refusés : un poste ajouté y change les ratios des sites existants.

Exemples :
  diagnum plan --dept 23 --add 10 --csv plan-23.csv
  diagnum plan --dept 23 --scenario plan-23.csv --add 5
  diagnum plan --france --add 4000 --objective access
`

// parsePlanFlags parses the arguments of `diagnum plan` (after "plan").
func parsePlanFlags(args []string, stderr io.Writer) (*planOptions, error) {
	o := &planOptions{}
	o.stderr = stderr
	fs := flag.NewFlagSet("diagnum plan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.register(fs)
	fs.IntVar(&o.add, "add", 0, "")
	fs.StringVar(&o.candidates, "candidates", plan.CandidatesCommunes, "")
	fs.StringVar(&o.objective, "objective", string(plan.ObjectiveCoverage), "")
	fs.StringVar(&o.scenario, "scenario", "", "")
	fs.StringVar(&o.costs, "couts", "", "")
	fs.StringVar(&o.employer, "employeur", string(plan.EmployerPublic), "")
	fs.Float64Var(&o.capacity, "capacite", plan.DefaultCapacity, "")
	fs.IntVar(&o.maxPer, "max-par-lieu", 0, "")
	fs.StringVar(&o.exclude, "exclure", "", "")
	fs.BoolVar(&o.swap, "echanges", false, "")
	fs.StringVar(&o.cover, "couvrir", "", "")
	fs.Float64Var(&o.budget, "budget", 0, "")
	fs.IntVar(&o.remove, "retirer", 0, "")
	o.registerMethod(fs)
	if err := parseArgs(fs, args, stderr, planUsageText, "plan : "); err != nil {
		return nil, err
	}
	return o, o.check(fs)
}

// check refuses contradictory or missing settings.
func (o *planOptions) check(fs *flag.FlagSet) error {
	o.visited(fs)
	if err := o.checkTerritory(); err != nil {
		return err
	}
	if err := o.checkBounds(); err != nil {
		return err
	}
	if err := o.checkMethod(); err != nil {
		return err
	}
	switch {
	case o.method == diag.Method3SFCA:
		return fmt.Errorf("%w: plan : --methode 3sfca : un poste ajouté change les poids de sélection, donc les ratios de tous les sites à sa portée ; le plan prend e2sfca (défaut), 2sfca ou gravite", errUsage)
	case o.normaliser:
		return fmt.Errorf("%w: plan : --normaliser : un poste ajouté change l'accès moyen qui sert de diviseur ; le plan travaille sur l'accès lui-même (retirer --normaliser)", errUsage)
	case o.set["add"] && (o.add < 1 || o.add > plan.MaxAdd):
		return fmt.Errorf("%w: plan : --add %d hors des bornes (attendu : un nombre de postes entre 1 et %d)", errUsage, o.add, plan.MaxAdd)
	case o.remove < 0:
		return fmt.Errorf("%w: plan : --retirer %d, attendu un nombre de sites positif", errUsage, o.remove)
	case o.add == 0 && o.scenario == "" && o.cover == "" && o.budget == 0 && o.remove == 0:
		return fmt.Errorf("%w: plan : indiquer le nombre de postes à proposer (--add N), un taux --couvrir, un --budget ou un --scenario", errUsage)
	case !(o.budget >= 0 && o.budget <= 1e11):
		return fmt.Errorf("%w: plan : --budget %v, attendu un montant en euros entre 0 et 100 milliards", errUsage, o.budget)
	}
	if _, ok := plan.ParseObjective(o.objective); !ok {
		return fmt.Errorf("%w: plan : --objective %q, attendu coverage, access ou equite", errUsage, o.objective)
	}
	if _, err := o.coverRate(); err != nil {
		return err
	}
	switch {
	case !(o.capacity > 0) || o.capacity > 1e6:
		return fmt.Errorf("%w: plan : --capacite %v, attendu un nombre de personnes par ETP et par an entre 0 et 1 000 000", errUsage, o.capacity)
	case o.maxPer < 0:
		return fmt.Errorf("%w: plan : --max-par-lieu %d, attendu un nombre positif", errUsage, o.maxPer)
	}
	if _, ok := plan.ParseEmployer(o.employer); !ok {
		return fmt.Errorf("%w: plan : --employeur %q, attendu public ou prive", errUsage, o.employer)
	}
	return nil
}

// inputs returns the files the plan reads.
func (o *planOptions) inputs() []string {
	in := o.options.inputs()
	for _, f := range []string{o.scenario, o.costs, o.exclude} {
		if f != "" {
			in = append(in, f)
		}
	}
	if o.candidates != plan.CandidatesCommunes && o.candidates != plan.CandidatesChefsLieux {
		in = append(in, o.candidates)
	}
	return in
}

// outPath returns the workbook path: --out, or a name from the territory.
func (o *planOptions) outPath(t diag.Territory) string {
	return workbookPath(o.out, "plan", t)
}

// runPlan runs `diagnum plan` with args (after "plan").
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parsePlanFlags(args, stderr)
	if err != nil {
		return err
	}
	files := &planFiles{}
	op, err := o.open(ctx, stderr, func(t diag.Territory) []outputPath { return csvAndBook(o.csv, o.outPath(t)) }, o.inputs(),
		func() (err error) { files.costs, err = o.loadCosts(ctx); return err })
	if err != nil {
		return err
	}
	t, params, pr, ds := op.t, op.params, op.pr, op.ds
	// The plan's files are read and checked now, before the measures
	// (seconds over France): a bad file is refused at once.
	if err := o.readFiles(ctx, ds, files); err != nil {
		return err
	}
	pr.step("calcul du diagnostic")
	base, layer, demand, err := o.baseline(ctx, pr, ds, params)
	if err != nil {
		return err
	}
	o.layer = layer
	if err := territoryError(base.Result.CheckTerritory(t)); err != nil {
		return err
	}
	// The workbook shows the diagnostic of the sites in effect (after the
	// scenario, before the new posts) and the plan in Recommandations.
	// Without a scenario that is the baseline's: its view, and the
	// geometry of the maps (NewMapGeometry), are computed while the
	// planner runs, whose greedy leaves the other core idle most of the
	// time.
	early := o.earlyView(base, t)
	p, after, err := o.plan(ctx, pr, base, t, files)
	if err != nil {
		return err
	}
	view, geom, err := early()
	if after != base || view == nil {
		base = after
		view, err = base.Result.View(t)
		if err == nil && o.outPath(t) != "-" {
			geom = report.NewMapGeometry(base.Dataset(), view.Communes)
		}
	}
	if err != nil {
		return err
	}
	base.Dataset().Checks = append(base.Dataset().Checks, timerChecks(params, stderr, o.quiet)...)
	in := reportInput(base.Dataset(), view)
	in.Demand = demand
	p.Name = in.Name
	in.Plan = p
	// The map of the plan's workbook shows the proposed places too; only
	// the workbook embeds it.
	if o.outPath(t) != "-" {
		mi := report.NewMapInput(&in, base.Dataset())
		mi.Picks, mi.Geometry = p.Sites(), geom
		in.Map = drawMapAsync(mi)
		// and, over several départements, the map of the posts per
		// département beside their table in Recommandations, the same
		// communes (one geometry for both).
		if dm, ok := report.PlanMapInput(&in); ok {
			dm.Geometry = geom
			in.PlanMap = drawMapAsync(dm)
		}
	}
	return o.write(ctx, pr, p, in, stdout, stderr)
}

// earlyView starts computing the view of territory t on base and, when
// the workbook is written, the geometry of its maps; it returns a
// function that waits for them. With a scenario (the plan is made on
// another baseline) it computes nothing and returns nil, nil, nil.
func (o *planOptions) earlyView(base *diag.Baseline, t diag.Territory) func() (*diag.View, *report.MapGeometry, error) {
	if o.scenario != "" {
		return func() (*diag.View, *report.MapGeometry, error) { return nil, nil, nil }
	}
	type early struct {
		view *diag.View
		geom *report.MapGeometry
	}
	wait := async(func() (early, error) {
		v, err := base.Result.View(t)
		if err != nil || o.outPath(t) == "-" {
			return early{view: v}, err
		}
		return early{v, report.NewMapGeometry(base.Dataset(), v.Communes)}, nil
	})
	return func() (*diag.View, *report.MapGeometry, error) {
		e, err := wait()
		return e.view, e.geom, err
	}
}

// plan applies the scenario, then runs the planner; it returns the plan
// and the baseline it was made on.
func (o *planOptions) plan(ctx context.Context, pr *progress, base *diag.Baseline, t diag.Territory, files *planFiles) (*plan.Plan, *diag.Baseline, error) {
	employer, _ := plan.ParseEmployer(o.employer)
	objective, _ := plan.ParseObjective(o.objective)
	var sr *plan.ScenarioResult
	if o.scenario != "" {
		pr.step("évaluation du scénario")
		var err error
		if base, sr, err = o.applyScenario(ctx, base, t, files, employer); err != nil {
			return nil, nil, err
		}
	}
	cands, err := o.candidatesOf(base, t, files)
	if err != nil {
		return nil, nil, err
	}
	cands, excluded := excludeCandidates(base, t, cands, files.exclude)
	pr.step("planification")
	rate, _ := o.coverRate()
	p, err := plan.Run(ctx, base, plan.Options{Territory: t, Add: o.add, Objective: objective, Cover: rate, Budget: o.budget, Remove: o.remove,
		Candidates: cands, Costs: files.costs, Employer: employer, Capacity: o.capacity, MaxPerPlace: o.maxPer, Swap: o.swap})
	if err != nil {
		return nil, nil, err
	}
	p.Scenario, p.Excluded = sr, excluded
	return p, base, nil
}

// planFiles are the user's files of a plan, each read once: --couts
// before the data are loaded, the others (which need the communes' codes
// and the sites) right after it, before the measures (readFiles). Their
// checks join ds.Checks where the plan uses them, as when they were read
// there.
type planFiles struct {
	costs           plan.CostTable
	scenario        *plan.Scenario
	scenarioSites   []data.Site // the data's sites, changed by the scenario
	scenarioChecks  data.Checks
	candidates      []data.Site // --candidates FICHIER
	candidateChecks data.Checks
	exclude         map[string]bool // --exclure (nil: none)
}

// readFiles reads and checks --scenario (which must remove only sites of
// ds), --candidates FICHIER and --exclure into f, with the same messages
// as when the plan used to read them after the measures.
func (o *planOptions) readFiles(ctx context.Context, ds *data.Dataset, f *planFiles) error {
	known := data.SitesOptions{Known: ds.KnownCode}
	if o.scenario != "" {
		var err error
		f.scenario, f.scenarioChecks, err = readChecked(ctx, o.scenario, o.strict, func(r io.Reader) (*plan.Scenario, data.Checks, error) {
			return plan.LoadScenario(o.scenario, r, known)
		})
		if err == nil {
			f.scenarioSites, err = f.scenario.Apply(ds.Sites)
		}
		if err != nil {
			return fmt.Errorf("scénario %s : %w", o.scenario, err)
		}
	}
	if o.candidates != plan.CandidatesCommunes && o.candidates != plan.CandidatesChefsLieux {
		var err error
		f.candidates, f.candidateChecks, err = readChecked(ctx, o.candidates, o.strict, func(r io.Reader) ([]data.Site, data.Checks, error) {
			return data.LoadSites(o.candidates, r, known)
		})
		if err != nil {
			return fmt.Errorf("--candidates %s (communes, chefs-lieux ou un fichier de lieux) : %w", o.candidates, err)
		}
	}
	if o.exclude != "" {
		var err error
		f.exclude, err = loadFile(ctx, o.exclude, func(r io.Reader) (map[string]bool, error) { return plan.LoadExclusions(o.exclude, r) })
		if err != nil {
			return fmt.Errorf("--exclure %s : %w", o.exclude, err)
		}
	}
	return nil
}

// applyScenario applies the scenario read by readFiles and compares the
// territory before and after; it returns the baseline after it.
func (o *planOptions) applyScenario(ctx context.Context, base *diag.Baseline, t diag.Territory, f *planFiles, employer plan.Employer) (*diag.Baseline, *plan.ScenarioResult, error) {
	ds := base.Dataset()
	ds.Checks = append(ds.Checks, f.scenarioChecks...)
	ds2 := *ds // plan.WithScenario, its sites changed by readFiles
	ds2.Sites = f.scenarioSites
	after, err := diag.NewBaseline(ctx, &ds2, base.Result.Params)
	if err != nil {
		return nil, nil, err
	}
	if err := remeasure(ctx, after, o.layer); err != nil {
		return nil, nil, err
	}
	sr, err := plan.Compare(t, base.Result, after.Result, f.scenario, f.costs, employer)
	return after, sr, err
}

// candidatesOf returns the candidates of --candidates (nil: the
// planner's default, every commune of the territory); those of a file,
// read by readFiles, are screened here (plan.ScreenCandidates).
func (o *planOptions) candidatesOf(base *diag.Baseline, t diag.Territory, f *planFiles) ([]plan.Candidate, error) {
	switch o.candidates {
	case plan.CandidatesCommunes:
		return nil, nil
	case plan.CandidatesChefsLieux:
		return plan.ChefLieuCandidates(base, t), nil
	}
	ds := base.Dataset()
	ds.Checks = append(ds.Checks, f.candidateChecks...)
	cands, refused := plan.ScreenCandidates(base, t, o.candidates, f.candidates)
	ds.Checks = append(ds.Checks, refused...)
	o.refused = len(refused)
	if o.strict {
		if err := strictError(refused); err != nil {
			return nil, fmt.Errorf("--candidates %s : lieux hors du territoire, en mer ou sans habitants : %w", o.candidates, err)
		}
	}
	return cands, nil
}

// coverRate parses --couvrir: a percentage (« 100% », « 97,5 % ») or a
// fraction (« 0.9 »), numbers as data.ParseFloatFR reads them; 0 when
// not given.
func (o *planOptions) coverRate() (float64, error) {
	if o.cover == "" {
		return 0, nil
	}
	text := strings.TrimSpace(o.cover)
	pct := strings.HasSuffix(text, "%")
	v, err := data.ParseFloatFR(strings.TrimSuffix(text, "%"))
	if pct {
		v /= 100
	}
	if err != nil || !(v > 0 && v <= 1) {
		return 0, fmt.Errorf("%w: plan : --couvrir %q, attendu un taux de couverture entre 0 et 100 %% (« 100%% », « 0,95 »)", errUsage, o.cover)
	}
	return v, nil
}

// excludeCandidates removes the candidates whose key (INSEE code of
// their commune or id) is in keys (--exclure; nil: none), the default
// candidates made explicit first, and returns how many it removed.
func excludeCandidates(base *diag.Baseline, t diag.Territory, cands []plan.Candidate, keys map[string]bool) ([]plan.Candidate, int) {
	if keys == nil {
		return cands, 0
	}
	if cands == nil {
		cands = plan.CommuneCandidates(base, t)
	}
	kept := plan.Exclude(cands, keys)
	return kept, len(cands) - len(kept)
}

// loadCosts reads --couts, or returns the default amounts.
func (o *planOptions) loadCosts(ctx context.Context) (plan.CostTable, error) {
	if o.costs == "" {
		return plan.DefaultCosts(), nil
	}
	t, err := loadFile(ctx, o.costs, func(r io.Reader) (plan.CostTable, error) { return plan.LoadCosts(o.costs, r) })
	if err != nil {
		return nil, fmt.Errorf("coûts %s : %w", o.costs, err)
	}
	return t, nil
}

// write writes the CSV and the workbook, all or nothing, and the summary.
func (o *planOptions) write(ctx context.Context, pr *progress, p *plan.Plan, in report.Input, stdout, stderr io.Writer) error {
	set := newOutputs(ctx, stdout)
	defer set.abort()
	out := o.outPath(in.Territory)
	files := csvFiles(o.csv, out, func(w io.Writer) error { return plan.WriteCSV(w, p) })
	files = slices.Concat(files, htmlFile(o.html, &in), checksFile(out, &in), workbookFile(out, func(w io.Writer) error { return report.WriteWorkbook(w, in) }))
	written, err := set.writeAll(pr, files)
	if err != nil {
		return err
	}
	if err := set.commit(); err != nil {
		return err
	}
	pr.done()
	if !o.quiet {
		planSummary(stderr, p, written)
		if o.refused > 0 {
			fmt.Fprintf(stderr, "--candidates %s : %d lieu(x) refusé(s) (hors du territoire, en mer ou dans une commune sans habitants), listés dans Contrôles\n", o.candidates, o.refused)
		}
	}
	return nil
}

// planSummary prints what the plan achieves.
func planSummary(w io.Writer, p *plan.Plan, written []string) {
	name := p.Name
	if name == "" {
		name = p.Territory.String()
	}
	after := p.Coverage()
	fragile := 0.0
	if n := len(p.Picks); n > 0 {
		after = p.Picks[n-1].Coverage
	}
	for _, k := range p.Picks {
		fragile += k.NewFragile
	}
	if len(p.Removals) == 0 {
		fmt.Fprintf(w, "%s : %s — %d poste(s) proposé(s), couverture %.1f %% → %.1f %% à %g min (%.0f habitants fragiles de plus), subvention %s €\n",
			name, joinFiles(written), len(p.Picks), 100*p.Coverage(), 100*after, p.Params.WithDefaults().ThresholdMin,
			fragile, thousands(p.TotalCost()))
	} else {
		fmt.Fprintf(w, "%s : %s\n", name, joinFiles(written))
	}
	if n := len(p.Removals); n > 0 {
		last := p.Removals[n-1]
		saving := 0.0
		for _, r := range p.Removals {
			saving += r.Saving
		}
		fmt.Fprintf(w, "Retirer %d site(s) : couverture %.1f %% → %.1f %%, %.0f personnes fragiles servies de moins par an, économie %s €\n",
			n, 100*p.Coverage(), 100*last.Coverage, removedServed(p), thousands(saving))
	}
	if p.Budget > 0 {
		fmt.Fprintf(w, "Budget %s € : %d poste(s) pour %s €\n", thousands(p.Budget), len(p.Picks), thousands(p.TotalCost()))
	}
	if c := p.Cover; c != nil {
		proof := "non prouvé minimal"
		if c.Optimal {
			proof = "minimum prouvé"
		}
		fmt.Fprintf(w, "Couvrir %.1f %% de la population : %d poste(s), %s ; aucun plan de moins de %d poste(s) n'y parvient\n",
			100*c.Rate, c.Posts, proof, c.LowerBound)
		if p.Stop != "" {
			fmt.Fprintf(w, "Remarque : %s.\n", p.Stop)
		}
	}
	if p.CapacityFrom >= 0 && p.CapacityFrom < len(p.Picks) {
		fmt.Fprintf(w, "Étape capacité à partir du poste %d (étape précédente saturée) : %.0f personnes fragiles servies de plus par an (capacité %g par ETP)\n",
			p.CapacityFrom+1, servedAdded(p), p.Capacity)
	}
	for _, bd := range p.Bounds {
		fmt.Fprintf(w, "Borne certifiée (%s) : %s (%.1f sur une borne de %.1f)\n", bd.Stage, bd.Certificate(), bd.Value, bd.Upper)
	}
	if ds := p.Departements(); len(ds) >= 3 && len(p.Picks) > 0 {
		fmt.Fprintf(w, "Postes par département et besoin : corrélation des rangs (Spearman) %.3f sur %d départements\n", p.NeedCorrelation(), len(ds))
	}
	if p.Excluded > 0 {
		fmt.Fprintf(w, "Lieux exclus (--exclure) : %d candidat(s) écarté(s), %d retenu(s)\n", p.Excluded, p.Candidates)
	}
	if note := p.SwapNote(); note != "" {
		fmt.Fprintf(w, "Échanges (--echanges) : %s\n", note)
	}
	if len(p.Picks) < p.Requested {
		fmt.Fprintf(w, "Remarque : %d poste(s) seulement sur %d demandés : %s.\n", len(p.Picks), p.Requested, p.Stop)
	}
}

// removedServed returns the fragile population no longer served after
// the removals.
func removedServed(p *plan.Plan) float64 {
	v := 0.0
	for _, r := range p.Removals {
		v += r.LostServed
	}
	return v
}

// servedAdded returns the fragile population newly served by the picks.
func servedAdded(p *plan.Plan) float64 {
	v := 0.0
	for _, k := range p.Picks {
		v += k.NewServed
	}
	return v
}

// thousands formats v rounded to the euro in French notation, with plain
// spaces between thousands and a hyphen-minus (the console's).
func thousands(v float64) string {
	return consoleSpaces.Replace(geo.FrDecimal(v, 0))
}

// consoleSpaces turns FrDecimal's no-break spaces and minus sign into
// their ASCII forms.
var consoleSpaces = strings.NewReplacer("\u00a0", " ", "−", "-")
