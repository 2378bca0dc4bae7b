// Package plan is the placement planner of diagnum (`diagnum plan`):
// where to add conseiller numérique posts, the existing sites staying
// where they are, and scenarios of sites added or removed.
//
// # Model
//
// The planner works on a diag.Baseline, the national diagnostic with the
// same travel-time model, threshold d0, kernel W and supply rules
// (diag.Params). Each new post is one conseiller numérique site of 1 FTE
// (S = Params.SupplyFor(cnfs, 1)) placed at a candidate point. Demand is
// counted over the communes of the territory (Options.Territory) only:
// communes of neighbouring départements also gain from a post near the
// border, but neither the objective nor the figures count them.
//
// Demand points. The planner counts the baseline's demand points
// (diag.Baseline.DemandPoints): the communes, each at its point, or,
// once a demand layer is applied (diag.Baseline.ApplyDemand,
// --demande), the layer's units in the communes it populates, each
// counting P_k·P_u / Σ_u P_u of its commune's legal population P_k and
// measured from its own point (diag.Baseline.PointCatchmentsOf), the
// other communes staying at their point. Below, "commune i" reads
// "demand point i": coverage is then the covered units' population, so
// that a commune is partly covered (part_couverte), and the fragility
// weight w_i is the commune's.
//
// Candidates are, by default, the representative point of every commune
// of the territory (CommuneCandidates); ChefLieuCandidates keeps the
// pôles (préfecture, ville-centre of each EPCI, communes of 2,000
// inhabitants or more); SiteCandidates takes a sites file. A candidate
// may receive several posts: its second post is "<id>-2", and so on.
//
// # Objectives and stages
//
// With w_i = indice_fragilite_i / 100 (0.5 when unknown, as in
// score_ecart), the fragile population of commune i is D_i = P_i·w_i,
// its demand. The greedy goes through stages; each starts when no
// candidate gains anything in the one before (Stage, Plan.Stages):
//
//	couverture (ObjectiveCoverage, default; MCLP): maximise Σ D_i over
//	  the communes newly within d0 of a site (covered as diag defines it)
//	accès (ObjectiveAccess): maximise the reduction of the population-
//	  weighted E2SFCA deficit D = Σ_i P_i·max(0, A* − A_i)
//	équité (ObjectiveEquity): minimise max T_i, the travel time from the
//	  fragile communes to their nearest site (p-centre)
//	capacité (the last stage of every objective): maximise the fragile
//	  population served per year,
//	    Σ_i served(D_i, K_i),  served(D, K) = D·(1 − exp(−K/D)),
//	    K_i = C·P_i·A_i
//
// C is the capacity, people accompanied per FTE per year
// (DefaultCapacity = 544, from the 2023 activity reports; --capacite),
// and K_i the capacity reaching commune i through E2SFCA (Σ_i K_i = C·S
// for each site of supply S whose catchment is populated). served is at
// most min(D, K): nothing beyond the demand within reach, diminishing
// returns where it is already served. Coverage saturates after a few
// posts per département (national: about 170), after which the capacity
// stage places posts where fragile people are least served.
//
// A new post at c has R_c = S / Σ_k P_k·W(t_kc) (all communes of the
// data set) and raises A_i by R_c·W(t_ic): in E2SFCA the ratio R_j of an
// existing site depends on populations only, so adding a site changes no
// other ratio, and the update is exact. A* is the population-weighted
// mean accessibility before the plan (TargetAccess), independent of the
// number of posts asked for.
//
// W is the weight of the baseline's accessibility method and kernel
// (diag.Params.Method, Decay; --methode, --decroissance): the Gaussian
// kernel of E2SFCA by default, any other kernel of E2SFCA, the binary
// catchment of 2SFCA or the gravity weight, for all of which R_j depends
// on populations only. 3SFCA (its selection weights G_ij change when a
// site is added) and normalised access (its divisor changes) are refused
// with ErrBadOptions.
//
// # Ties, determinism, nesting
//
// Two gains a and b are tied when |a − b| ≤ Tolerance·max(|a|, |b|)
// (Tolerance = 1e-9): far above rounding, so that no choice depends on
// the order of a sum or the processor. Among the candidates tied with
// the largest gain of the stage, the stage's second criterion decides,
// then its third (couverture: served, then deficit; accès: covered, then
// served; capacité: deficit, then covered), then the lowest INSEE code
// of the candidate's commune, then its id. Candidates are sorted that way
// first, so the plan does not depend on their input order, nor on
// GOMAXPROCS. Nothing depends on Options.Add: the plan of N posts is the
// first N picks of the plan of N + k. A stage's gain at most Tolerance
// times the most one post can gain there (the territory's fragile
// population, S, C·S) counts as nothing; when the last stage gains
// nothing, or every candidate has its MaxPerPlace posts, the plan stops
// and Plan.Stop says why (« couverture et capacité saturées après 11
// postes … »).
//
// # Algorithm and certified bound
//
// Greedy with lazy evaluation (CELF, Leskovec et al. 2007). Coverage,
// served and deficit are monotone submodular (coverage of a set; concave
// functions of the sum of the posts' contributions to A_i), so a gain
// computed earlier bounds the gain now: only the candidates whose stale
// gain could tie with the best are recomputed. The picks are exactly
// those of the plain greedy with the same tie rules (tested). The
// greedy reaches at least (1 − 1/e) of the optimum (Nemhauser, Wolsey and
// Fisher 1978). Every plan also carries a data-dependent bound
// (Plan.Bounds, one per criterion): at some steps t of the greedy,
//
//	OPT_N ≤ f(S_t) + max Σ_c h_c(n_c) over Σ n_c = N,
//	h_c(n) = f(S_t + n posts at c) − f(S_t)
//
// (h_c concave, so the N largest increments give the max), and the
// smallest such value is the bound. For each criterion the gain of N
// posts from S_t is further bounded by a Lagrangian relaxation
// (relaxed.upper: subgradient steps over linear majorants of the
// separable concave terms, Σ_i p_i·min(z_i, δ_i) for coverage and the
// deficit, Σ_i M_i·(1 − e^(−q_i·z_i)) for the population served), which
// counts a commune reached by several candidates once: on the 128
// exhaustive Creuse cases the worst certified coverage ratio rose from
// 0.68 to 0.96, the greedy's true ratio there, and the worst optimum /
// bound of the population served from 0.962 to 0.985; the national
// access certificate of 4,000 posts from 43 % to 88 %. At the end of
// the plan the served and deficit bounds are also taken from the state
// before any pick (startServed, startAccess), the Lagrangian multipliers started at
// the slopes of the terms where the plan's own allocation leaves them,
// and L(0) (the whole reachable deficit, or demand not yet served)
// counts too: national served certificates 93.9 → 96.7 % (4,000 posts)
// and 90.6 → 96.3 % (8,000), national access certificate of the 4,000
// coverage posts 46.4 → 84.9 %. On small instances (branchBounds) one
// post is branched on, max_c [g_c + bound of N − 1 posts with c added],
// exact for 2 posts: over the 128 exhaustive Creuse cases the worst
// optimum / bound of the deficit reduced rose from 0.836 to 0.871, of
// the population served from 0.985 to 0.986. Bound.Ratio is
// the share of the optimum the plan is certified to reach. Options.Swap
// runs a 1-exchange pass after the greedy (posts × candidates ≤
// MaxSwapWork), which may improve small plans at the cost of nesting.
//
// Plan.Departements and Plan.NeedCorrelation compare the posts per
// département with its fragile population in need of service,
// Σ (D_i − served_i) before the plan (Spearman's rank correlation).
//
// # Outputs and files
//
// Each Pick gives the commune and point of the post, the population and
// fragile population newly covered, the cumulative coverage rate, the
// deficit reduced, the median of Access10k over the territory's
// populated communes after it and its change (Δ accès médian), the
// nearest existing site and its travel time, and the State subsidy over
// 24 months (CostTable, by zone of the département and employer).
//
// WriteCSV writes the picks as a scenario file: the sites format of
// data.LoadSitesCSV plus the columns action (ajout | suppression) and
// employeur (public | prive), then the figures, which LoadScenario
// ignores. A plan can thus be edited by hand and evaluated again:
// LoadScenario, WithScenario (or Scenario.Apply), diag.Compute, Compare.
// A suppression row needs only the id of an existing site; a site
// removed and added back with the same id keeps its place, so that
// evaluating such a scenario changes nothing at all.
//
// Costs files (LoadCosts) are CSV files zone,employeur,montant; zones
// are metropole, reunion-mayotte (974, 976) and antilles-guyane (971,
// 972, 973).
package plan
