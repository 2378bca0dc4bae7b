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
// Candidates are, by default, the representative point of every commune
// of the territory (CommuneCandidates); ChefLieuCandidates keeps the
// pôles (préfecture, ville-centre of each EPCI, communes of 2,000
// inhabitants or more); SiteCandidates takes a sites file. A candidate
// may receive several posts: its second post is "<id>-2", and so on.
//
// # Objectives
//
// With w_i = indice_fragilite_i / 100 (0.5 when unknown, as in
// score_ecart), the fragile population of commune i is P_i·w_i, and:
//
//	coverage (primary by default, MCLP): maximise Σ P_i·w_i over the
//	  communes newly within d0 of a site (covered as diag defines it)
//	access (--objective access, and tie-breaker of coverage): minimise
//	  D = Σ_i P_i·max(0, A* − A_i), the population-weighted E2SFCA deficit
//
// A new post at c has R_c = S / Σ_k P_k·W(t_kc) (all communes of the
// data set) and raises A_i by R_c·W(t_ic): in E2SFCA the ratio R_j of an
// existing site depends on populations only, so adding a site changes no
// other ratio, and the update is exact. A* is the national "fair share"
// once the posts exist (TargetAccess): the population-weighted mean
// accessibility plus add·S over the population. The median Amed of
// score_ecart would not do: a large plan lifts every commune above it,
// after which the objective gives no guidance; with A* the deficits add
// up to at least add·S, so that every post finds one to reduce. The
// other objective breaks ties, then the candidate order (data order of
// the communes, or the order of the file).
//
// # Algorithm
//
// Greedy with lazy evaluation (CELF, Leskovec et al. 2007). Both gains
// are submodular (coverage of a set; a concave function of the sum of
// the posts' contributions to A_i), so a gain computed earlier bounds the
// gain now, and the lexicographic order of bounds bounds the order of
// values: only the top of a priority queue is recomputed, against the
// current state (covered flags and A_i updated incrementally after each
// post). The catchment of every candidate is found once with the
// spatial index (diag.Baseline.Catchments). The picks are exactly those
// of the plain greedy, ties included, and the coverage reaches at least
// (1 − 1/e) ≈ 63 % of the optimum (Nemhauser, Wolsey and Fisher 1978);
// the tests compare it with an exhaustive search on Creuse.
//
// The planner stops early only when no candidate gains anything in
// either objective (Plan.Requested > len(Plan.Picks)).
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
