package plan

import (
	"errors"
	"fmt"
	"math"

	"diagnum/data"
	"diagnum/diag"
)

// Sentinel errors of the package, for errors.Is.
var (
	// ErrBadOptions reports planner options that cannot be used.
	ErrBadOptions = errors.New("options du plan incorrectes")
	// ErrUnknownSite reports a scenario that removes a site id absent
	// from the sites.
	ErrUnknownSite = errors.New("identifiant de lieu inconnu")
)

// Objective is what the planner maximises first; the other objective
// breaks ties.
type Objective string

// The objectives of --objective.
const (
	// ObjectiveCoverage maximises the fragile population newly covered
	// (maximal covering location problem, MCLP).
	ObjectiveCoverage Objective = "coverage"
	// ObjectiveAccess maximises the reduction of the E2SFCA deficit D.
	ObjectiveAccess Objective = "access"
	// ObjectiveEquity minimises the worst travel time of the fragile
	// population (--objective equite).
	ObjectiveEquity Objective = "equite"
)

// DefaultCapacity is C, the people a conseiller numérique accompanies
// per FTE and per year: 544, the 2,135,298 users recorded in the
// advisors' activity reports of 2023 (ANCT, « Conseiller numérique,
// comptes rendus d'activité », refreshed on 28 November 2023, summed
// over the 101 départements) divided by the 3,925 posts validated by the
// selection committee (ANCT, COSELEC of 5 April 2023). Not every
// validated post was filled all year, so this is a low estimate of what
// one FTE accompanies; Options.Capacity (--capacite) changes it.
const DefaultCapacity = 544

// ParseObjective parses "coverage" (also "couverture"), "access" (also
// "acces", "accès") or "equite" (also "équité", "equity"), case ignored.
func ParseObjective(s string) (Objective, bool) {
	switch fold(s) {
	case "coverage", "couverture":
		return ObjectiveCoverage, true
	case "access", "acces":
		return ObjectiveAccess, true
	case "equite", "equity":
		return ObjectiveEquity, true
	}
	return "", false
}

// Source is the Site.Source of the posts the planner proposes.
const Source = "diagnum-plan"

// MaxAdd bounds Options.Add: 100,000 new posts, fifty times the whole
// conseiller numérique scheme.
const MaxAdd = 100_000

// Options are the settings of Run. Zero fields take the defaults shown.
type Options struct {
	// Territory is where demand is counted (the objective and every
	// figure of the plan) and, by default, where candidates are taken.
	Territory diag.Territory
	// Add is the number of new posts, 1 FTE each (0–MaxAdd).
	Add int
	// Objective is what is maximised first ("" = ObjectiveCoverage).
	Objective Objective
	// Candidates are the possible places (nil = CommuneCandidates of
	// Territory). A candidate may receive several posts.
	Candidates []Candidate
	// Costs gives the subsidy per post (nil = DefaultCosts).
	Costs CostTable
	// Employer is the kind of employer of the new posts ("" = public).
	Employer Employer
	// Capacity is C, people accompanied per FTE per year (0 =
	// DefaultCapacity).
	Capacity float64
	// MaxPerPlace caps the posts at one candidate (0 = no cap).
	MaxPerPlace int
	// Budget, when above 0, is the subsidy available (euros over 24
	// months, Costs): posts are added, best gain per euro first, while
	// one more is affordable; Add is then ignored.
	Budget float64
	// Remove, when above 0, asks which Remove existing conseiller
	// numérique sites of the territory to close with the least loss
	// (--retirer); Add is then ignored.
	Remove int
	// Cover, when above 0, asks for the fewest posts that bring the
	// coverage rate to it (0–1, --couvrir); Add is then ignored.
	Cover float64
	// Swap runs the 1-exchange pass after the greedy (see swap): the
	// plan may then be better but is no longer nested.
	Swap bool
}

// withDefaults returns o with its defaults set, or an error wrapping
// ErrBadOptions.
func (o Options) withDefaults() (Options, error) {
	if o.Objective == "" {
		o.Objective = ObjectiveCoverage
	}
	if o.Employer == "" {
		o.Employer = EmployerPublic
	}
	if o.Costs == nil {
		o.Costs = DefaultCosts()
	}
	if o.Capacity == 0 {
		o.Capacity = DefaultCapacity
	}

	switch {
	case !(o.Capacity > 0) || math.IsInf(o.Capacity, 0):
		return o, fmt.Errorf("%w : capacité de %v personnes par ETP (attendu un nombre positif)", ErrBadOptions, o.Capacity)
	case !(o.Budget >= 0) || math.IsInf(o.Budget, 0):
		return o, fmt.Errorf("%w : budget de %v € (attendu un montant positif ou nul)", ErrBadOptions, o.Budget)
	case !(o.Cover >= 0 && o.Cover <= 1):
		return o, fmt.Errorf("%w : taux de couverture %v (attendu entre 0 et 1)", ErrBadOptions, o.Cover)
	case o.Remove < 0 || o.Remove > MaxAdd:
		return o, fmt.Errorf("%w : %d lieux à retirer (attendu entre 0 et %d)", ErrBadOptions, o.Remove, MaxAdd)
	case o.MaxPerPlace < 0:
		return o, fmt.Errorf("%w : %d postes par lieu (attendu un nombre positif ou nul)", ErrBadOptions, o.MaxPerPlace)
	case o.Add < 0 || o.Add > MaxAdd:
		return o, fmt.Errorf("%w : %d postes à ajouter, attendu entre 0 et %d", ErrBadOptions, o.Add, MaxAdd)
	case o.Objective != ObjectiveCoverage && o.Objective != ObjectiveAccess && o.Objective != ObjectiveEquity:
		return o, fmt.Errorf("%w : objectif %q (attendu coverage, access ou equite)", ErrBadOptions, o.Objective)
	case o.Employer != EmployerPublic && o.Employer != EmployerPrivate:
		return o, fmt.Errorf("%w : employeur %q (attendu public ou prive)", ErrBadOptions, o.Employer)
	}
	return o, nil
}

// Plan is the result of Run: the territory before the new posts, and the
// posts in the order the planner chose them.
type Plan struct {
	Territory  diag.Territory
	Name       string // the territory's name for reports, e.g. "Creuse"; Run leaves it empty, the caller sets it
	Objective  Objective
	Params     diag.Params // of the diagnostic, defaults applied
	Employer   Employer
	Costs      CostTable
	Requested  int     // posts asked for (Options.Add)
	Candidates int     // candidates considered
	PostFTE    float64 // S_j of each new post in the measures (1 FTE)
	// TargetAccess is A*, the reference of the access deficit, per
	// inhabitant (TargetAccess).
	TargetAccess float64
	Capacity     float64 // C, people accompanied per FTE per year
	MaxPerPlace  int     // posts allowed per candidate (0: no cap)

	// The territory before the new posts.
	Population      int     // Σ P_i
	CoveredPop      int     // population within ThresholdMin of a counted site
	FragilePop      float64 // Σ P_i·w_i
	CoveredFragile  float64 // Σ P_i·w_i over the covered communes
	Deficit         float64 // D = Σ P_i·max(0, A* − A_i), in FTE
	MedianAccess10k float64 // median of Access10k over the populated communes
	Served          float64 // fragile population served per year, Σ Served(P_i·w_i, C·P_i·A_i)
	WorstMin        float64 // equity: worst travel time of the fragile population, minutes
	// DepNeed is the fragile population in need of service per
	// département of the territory before the plan: Σ (P_i·w_i − served_i).
	DepNeed map[string]float64

	// Stages are the stages the greedy went through, in order;
	// CapacityFrom is the number of picks before the capacity stage
	// started (−1: it did not).
	Stages       []Stage
	CapacityFrom int
	// Stop says why there are fewer picks than Requested ("" otherwise),
	// e.g. « couverture et capacité saturées après 11 postes ».
	Stop string
	// Bounds are the certified bounds, the plan's own criterion first.
	Bounds []Bound
	// Swap is Options.Swap (ignored with the equity objective); Swapped
	// is the number of 1-exchanges it made (SwapNote).
	Swap    bool
	Swapped int
	// Excluded is the number of candidates left out before planning
	// (--exclure); Run leaves it 0, the caller sets it.
	Excluded int
	// Removals are the existing sites to close (Options.Remove).
	Removals []Removal
	// Budget is Options.Budget (0: none).
	Budget float64
	// Cover is the fewest-posts result (Options.Cover); nil otherwise.
	Cover *CoverResult

	// Picks are the new posts, best first. There are fewer than
	// Requested when the candidates run out or none gains anything.
	Picks []Pick
	// Scenario is the scenario applied before planning (nil when none);
	// Run leaves it nil, the caller sets it.
	Scenario *ScenarioResult
}

// Pick is one new post of a plan. Cumulative figures include the picks
// before it.
type Pick struct {
	Rank        int       // 1 for the first pick
	Stage       Stage     // the stage it was chosen in
	Post        int       // 1 for the first post at this candidate, 2 for the second, …
	Site        data.Site // the new site: cnfs, 1 FTE, Source "diagnum-plan"; from the 2nd post at a candidate, id "<id>-n" and name "<name> (poste n)"
	CommuneName string    // name of its commune
	Dep         string    // its département

	NewPop      int     // population newly covered
	NewFragile  float64 // fragile population newly covered, Σ P_i·w_i
	CoveredPop  int     // population covered after this pick
	Coverage    float64 // cumulative coverage rate, CoveredPop / Population
	DeficitGain float64 // reduction of D, in FTE
	NewServed   float64 // fragile population newly served per year
	WorstMin    float64 // equity: worst travel time of the fragile population after it, minutes

	MedianAccess10k float64 // median Access10k of the territory after this pick
	DeltaMedian10k  float64 // its change due to this pick (Δ accès médian)

	NearestSite int     // index in the baseline Result.Sites of the nearest counted site, -1 if none
	NearestID   string  // its id ("" if none)
	NearestName string  // its name
	NearestMin  float64 // travel time to it, minutes (+Inf if none)

	Zone Zone    // subsidy zone of its département
	Cost float64 // State subsidy over 24 months, euros
}

// Coverage returns the coverage rate of the territory before the picks.
func (p *Plan) Coverage() float64 { return ratio(float64(p.CoveredPop), float64(p.Population)) }

// Sites returns the new posts as sites, in pick order.
func (p *Plan) Sites() []data.Site {
	out := make([]data.Site, len(p.Picks))
	for i := range p.Picks {
		out[i] = p.Picks[i].Site
	}
	return out
}

// CostLines returns the subsidies of the picks by zone and employer.
func (p *Plan) CostLines() []CostLine {
	posts := map[CostKey]float64{}
	for _, k := range p.Picks {
		posts[CostKey{k.Zone, p.Employer}] += k.Site.FTE
	}
	return summarize(p.Costs, posts)
}

// TotalCost returns the subsidy of every pick over 24 months, in euros.
func (p *Plan) TotalCost() float64 {
	t := 0.0
	for _, k := range p.Picks {
		t += k.Cost
	}
	return t
}

// FragileWeight returns w_i, the weight of commune i's population in the
// coverage objective: indice_fragilite / 100 (so that P_i·w_i is its
// fragile population), or 0.5 when the index is unknown (NaN), the
// weight score_ecart gives an unknown index.
func FragileWeight(fragility float64) float64 {
	if math.IsNaN(fragility) {
		return 0.5
	}
	return fragility / 100
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// SwapNote says in French what the 1-exchange pass did, "" when it was
// not asked for: the exchanges made, or why it was skipped (posts ×
// candidates above MaxSwapWork).
func (p *Plan) SwapNote() string {
	switch {
	case !p.Swap:
		return ""
	case len(p.Picks)*p.Candidates > MaxSwapWork:
		return fmt.Sprintf("échanges 1 pour 1 non faits : %d postes × %d candidats dépasse %d", len(p.Picks), p.Candidates, MaxSwapWork)
	case p.Swapped == 0:
		return "échanges 1 pour 1 : aucun n'améliore le plan, qui reste emboîté"
	}
	return fmt.Sprintf("échanges 1 pour 1 : %d échange(s) ; le plan n'est plus le début du plan de N + k postes", p.Swapped)
}
