package plan

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
	"diagnum/internal/testlong"
)

// TestGreedyVsExhaustive compares the planner with the exact optimum,
// found by exhaustive search, on real Creuse communes (embedded COG
// points and populations, real conseiller numérique sites): 12-candidate
// sets, 1 to 4 posts, with the existing sites fixed (30 min) and with no
// site at all (20 min). The greedy value must reach (1 − 1/e) of the
// optimum (Nemhauser, Wolsey and Fisher 1978) and equal it for one post;
// the greedy followed by the 1-exchange pass (Options.Swap) is never
// worse than the greedy and never above the optimum; the certified
// bounds of coverage and of the fragile population served are at least
// the exhaustive optima (served: over every multiset of posts), and the
// coverage certificate is at least 90 %; so is the deficit bound (access,
// over multisets), within 87 % of that optimum, and both equal the
// optimum for 2 posts (branchBounds is exact there). The ratios are
// logged.
func TestGreedyVsExhaustive(t *testing.T) {
	ds, b := parallelNational(t)
	empty := *ds
	empty.Sites = nil
	bare, err := diag.NewBaseline(context.Background(), &empty, diag.Params{ThresholdMin: 20})
	if err != nil {
		t.Fatal(err)
	}
	bound := 1 - 1/math.E
	cases, differ, swapBetter := 0, 0, 0
	worst, worstSwap, worstCert, worstServedCert := 1.0, 1.0, 1.0, 1.0
	servedCert, worstAccessTight, accessCert := 1.0, 1.0, 1.0
	// checkBound requires bound b of a plan of k posts to be at least the
	// optimum opt, and equal to it (within abs) for 2 posts, where the
	// branch on one post is exact; it lowers the worst optimum / bound
	// (tight) and certificate (cert) seen.
	checkBound := func(what string, k int, b Bound, opt, abs float64, tight, cert *float64) {
		t.Helper()
		switch {
		case b.Upper < opt*(1-1e-12):
			t.Errorf("%s bound %.9f below the optimum %.9f", what, b.Upper, opt)
		case k == 2 && b.Upper > opt*(1+1e-8)+abs:
			t.Errorf("%s bound %.9f, optimum %.9f (the branch on one post is exact)", what, b.Upper, opt)
		case opt > 0:
			*tight, *cert = min(*tight, opt/b.Upper), min(*cert, b.Ratio())
		}
	}
	for _, setup := range []struct {
		name string
		b    *diag.Baseline
	}{{"existing sites, 30 min", b}, {"no site, 20 min", bare}} {
		all := CommuneCandidates(setup.b, creuse)
		sets := candidateSets(t, setup.b, all)
		if testing.Short() {
			sets = sets[:1] // make test-long runs all 16
		}
		for si, set := range sets {
			o := newOracle(setup.b, creuse, set)
			so := newServedOracle(setup.b, creuse, set)
			for k := 1; k <= 4; k++ {
				cases++
				p, err := Run(context.Background(), setup.b, Options{Territory: creuse, Add: k, Candidates: set})
				if err != nil {
					t.Fatal(err)
				}
				greedy, picked := 0.0, pickedIndexes(p, set)
				for _, pk := range p.Picks {
					greedy += pk.NewFragile
				}
				// The planner's incremental gains against the brute-force value of its picks.
				if v, n := o.value(picked); !near(v, greedy, 1e-9) || n != p.Picks[len(p.Picks)-1].CoveredPop-p.CoveredPop {
					t.Fatalf("%s: planner reports %.6f (%d inhabitants), brute force %.6f (%d)", setup.name, greedy,
						p.Picks[len(p.Picks)-1].CoveredPop-p.CoveredPop, v, n)
				}
				served := 0.0
				for _, pk := range p.Picks {
					served += pk.NewServed
				}
				if v := so.value(picked); !near(v, served, 1e-9) {
					t.Fatalf("%s: planner serves %.6f more, brute force %.6f", setup.name, served, v)
				}
				opt, optSet := o.best(len(set), k)
				sw, err := Run(context.Background(), setup.b, Options{Territory: creuse, Add: k, Candidates: set, Swap: true})
				if err != nil {
					t.Fatal(err)
				}
				swapV, _ := o.value(pickedIndexes(sw, set))
				cov := p.Bounds[0]
				if cov.Stage != StageCoverage || cov.Upper < opt*(1-1e-12) {
					t.Errorf("%s, set %d, %d posts: coverage bound %.3f below the optimum %.3f", setup.name, si, k, cov.Upper, opt)
				}
				checkBound(fmt.Sprintf("%s, set %d, %d posts: served", setup.name, si, k), k, p.Bounds[1], so.best(len(set), k), 1e-9, &worstServedCert, &servedCert)
				acc := 0.0
				for _, pk := range p.Picks {
					acc += pk.DeficitGain
				}
				if v := so.access(picked); !near(v, acc, 1e-9) {
					t.Fatalf("%s: planner reduces the deficit by %.9f, brute force %.9f", setup.name, acc, v)
				}
				checkBound(fmt.Sprintf("%s, set %d, %d posts: access", setup.name, si, k), k, p.Bounds[2], so.bestOf(len(set), k, so.access), 1e-12, &worstAccessTight, &accessCert)
				if opt > 0 {
					worst, worstSwap, worstCert = min(worst, greedy/opt), min(worstSwap, swapV/opt), min(worstCert, cov.Ratio())
				}
				if swapV > greedy*(1+1e-9) {
					swapBetter++
				}
				switch {
				case greedy > opt*(1+1e-9) || swapV > opt*(1+1e-9):
					t.Fatalf("%s, %d posts: greedy %.3f or swap %.3f above the optimum %.3f", setup.name, k, greedy, swapV, opt)
				case swapV < greedy*(1-1e-9):
					t.Errorf("%s, %d posts: swap %.3f below the greedy %.3f", setup.name, k, swapV, greedy)
				case greedy < bound*opt:
					t.Errorf("%s, %d posts: greedy %.3f < (1 − 1/e)·optimum %.3f", setup.name, k, greedy, bound*opt)
				case k == 1 && !near(greedy, opt, 1e-12):
					t.Errorf("%s, 1 post: greedy %.3f, optimum %.3f", setup.name, greedy, opt)
				case greedy < opt*(1-1e-9):
					differ++
					t.Logf("%s, %d posts: greedy %.1f = %.4f × optimum %.1f, with swap %.4f; greedy %v, optimum %v", setup.name, k,
						greedy, greedy/opt, opt, swapV/opt, ids(set, picked), ids(set, optSet))
				}
			}
		}
	}
	t.Logf("%d cases, greedy below the optimum in %d, swap improves %d; worst ratios: greedy %.4f, greedy+swap %.4f, certified (coverage) %.4f, optimum/bound (served) %.4f, certified (served) %.4f, optimum/bound (access) %.4f, certified (access) %.4f",
		cases, differ, swapBetter, worst, worstSwap, worstCert, worstServedCert, servedCert, worstAccessTight, accessCert)
	// The n best first gains alone certified 0.6818 in the worst of the
	// 128 cases of make test-long; with the Lagrangian relaxation
	// (coverLagrange) the certificate is the greedy's true ratio there
	// (0.9602, the bound equal to the optimum).
	if worstCert < 0.9 {
		t.Errorf("certified coverage ratio %.4f: the bound is loose", worstCert)
	}
	// The deficit bound: worst optimum / bound 0.8358 over the 128 cases
	// (0.8688 over the 8 of make test) with the relaxations alone, 0.8705
	// (0.9134) with the branch on the first post (branchBounds).
	if worstAccessTight < 0.87 {
		t.Errorf("worst optimum / bound of the deficit %.4f: the bound is loose", worstAccessTight)
	}
}

// servedOracle evaluates the fragile population newly served by brute
// force: R_c from every commune's location with geo.Model and
// diag.Kernel, served(D, K) per commune of the territory.
//
// It also evaluates the reduction of the deficit Σ_i P_i·max(0, A* − A_i)
// over the territory (access), A_i rising by R_c·W(t_ic) per post at c.
type servedOracle struct {
	d, k0 []float64   // D_i = P_i·w_i in the territory (0 elsewhere), K_i = C·P_i·A_i
	dk    [][]float64 // per candidate: C·P_i·R_c·W(t_ic), every commune
	p     []float64   // P_i in the territory (0 elsewhere)
	delta []float64   // A* − A_i
}

func newServedOracle(b *diag.Baseline, t diag.Territory, cands []Candidate) *servedOracle {
	ds := b.Dataset()
	prm := b.Result.Params.WithDefaults()
	m := geo.Model{Detour: prm.Detour, SpeedKmh: prm.SpeedKmh}
	a := b.Access()
	n := len(ds.Communes)
	o := &servedOracle{d: make([]float64, n), k0: make([]float64, n), p: make([]float64, n), delta: make([]float64, n)}
	target := TargetAccess(b, 1)
	for i, c := range ds.Communes {
		p := float64(max(c.Population, 0))
		if t.Contains(c.Dep, c.Region) {
			o.d[i] = p * FragileWeight(b.Result.Communes[i].Fragility)
			o.p[i] = p
		}
		o.k0[i] = DefaultCapacity * p * a[i]
		o.delta[i] = target - a[i]
	}
	for _, cand := range cands {
		ws := make([]float64, n)
		sum := 0.0
		for i, c := range ds.Communes {
			if loc, ok := b.Location(i); ok {
				ws[i] = diag.Kernel(m.Minutes(loc, cand.Point), prm.ThresholdMin)
				sum += float64(max(c.Population, 0)) * ws[i]
			}
		}
		for i, c := range ds.Communes {
			if sum > 0 {
				ws[i] = DefaultCapacity * float64(max(c.Population, 0)) * ws[i] / sum
			}
		}
		o.dk = append(o.dk, ws)
	}
	return o
}

// value returns the fragile population newly served by the posts of
// set (a candidate may appear several times).
func (o *servedOracle) value(set []int) float64 {
	v := 0.0
	for i := range o.d {
		if o.d[i] == 0 {
			continue
		}
		k := o.k0[i]
		for _, c := range set {
			k += o.dk[c][i]
		}
		v += Served(o.d[i], k) - Served(o.d[i], o.k0[i])
	}
	return v
}

// access returns the reduction of the deficit by the posts of set.
func (o *servedOracle) access(set []int) float64 {
	v := 0.0
	for i, p := range o.p {
		if p == 0 || !(o.delta[i] > 0) {
			continue
		}
		z := 0.0
		for _, c := range set {
			z += o.dk[c][i] / (DefaultCapacity * p)
		}
		v += p * min(z, o.delta[i])
	}
	return v
}

// best returns the largest value over the multisets of k of n candidates.
func (o *servedOracle) best(n, k int) float64 {
	return o.bestOf(n, k, o.value)
}

// bestOf returns the largest f over the multisets of k of n candidates.
func (o *servedOracle) bestOf(n, k int, f func([]int) float64) float64 {
	best := 0.0
	var rec func(start int, set []int)
	rec = func(start int, set []int) {
		if len(set) == k {
			best = max(best, f(set))
			return
		}
		for c := start; c < n; c++ {
			rec(c, append(set, c))
		}
	}
	rec(0, nil)
	return best
}

// candidateSets returns sets of 12 Creuse candidates: the 12 communes
// with the most inhabitants not covered, then 15 random draws (fixed seed).
func candidateSets(t *testing.T, b *diag.Baseline, all []Candidate) [][]Candidate {
	if len(all) != 255 {
		t.Fatalf("%d Creuse candidates, want the 255 communes", len(all))
	}
	ds := b.Dataset()
	uncov := slices.Clone(all)
	pop := func(c Candidate) int {
		i, _ := ds.CommuneIndex(c.Commune)
		if b.Result.Communes[i].Covered {
			return 0
		}
		return ds.Communes[i].Population
	}
	slices.SortStableFunc(uncov, func(x, y Candidate) int { return pop(y) - pop(x) })
	sets := [][]Candidate{uncov[:12]}
	r := rand.New(rand.NewPCG(23, 2025))
	for range 15 {
		perm := r.Perm(len(all))[:12]
		slices.Sort(perm)
		set := make([]Candidate, 12)
		for k, x := range perm {
			set[k] = all[x]
		}
		sets = append(sets, set)
	}
	return sets
}

// pickedIndexes returns the candidate index of each pick.
func pickedIndexes(p *Plan, set []Candidate) []int {
	var out []int
	for _, pk := range p.Picks {
		for c := range set {
			if set[c].Point == pk.Site.Point && set[c].Commune == pk.Site.INSEE {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

func ids(set []Candidate, idx []int) []string {
	var out []string
	for _, i := range idx {
		out = append(out, set[i].ID)
	}
	return out
}

// TestLazyMatchesPlainGreedy checks the lazy evaluation (CELF) against
// the plain greedy, which recomputes every candidate's gains at every
// round: same posts in the same order, for both objectives, on all the
// communes of Creuse as candidates and on the France Services sites of
// Limousin as candidates.
func TestLazyMatchesPlainGreedy(t *testing.T) {
	ds, b := parallelNational(t)
	var fs []data.Site
	for _, s := range ds.Sites {
		if s.Kind == data.KindFranceServices && slices.Contains([]string{"19", "23", "87"}, s.INSEE[:min(2, len(s.INSEE))]) {
			fs = append(fs, s)
		}
	}
	for _, cands := range [][]Candidate{CommuneCandidates(b, creuse), SiteCandidates(fs)} {
		for _, obj := range []Objective{ObjectiveCoverage, ObjectiveAccess} {
			opt := Options{Territory: creuse, Add: 25, Objective: obj, Candidates: cands}
			p, err := Run(context.Background(), b, opt)
			if err != nil {
				t.Fatal(err)
			}
			want := plainGreedy(t, b, opt)
			var got []string
			for _, pk := range p.Picks {
				got = append(got, pk.Site.ID)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s, %d candidates: lazy %v\nplain %v", obj, len(cands), got, want)
			}
			if len(got) < 5 {
				t.Errorf("%s: only %d posts placed", obj, len(got))
			}
		}
	}
}

// plainGreedy recomputes the gains of every candidate at every round and
// takes the best: the candidates tied (Tolerance) with the largest gain
// in the stage's criterion, then in its second and third, then the
// lowest canonical index; a stage ends when the largest gain is at most
// its floor.
func plainGreedy(t *testing.T, b *diag.Baseline, opt Options) []string {
	opt, _ = opt.withDefaults()
	cands := canonical(assignCandidates(b, opt.Candidates))
	s, err := newSolver(context.Background(), b, opt, cands, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := s.plan(opt, len(cands))
	stages := stagesOf(opt.Objective)
	for st := 0; st < len(stages) && len(p.Picks) < opt.Add; {
		tier := []int{}
		for c := range cands {
			if s.room(c, 0) {
				tier = append(tier, c)
			}
		}
		for k := range 3 {
			m := math.Inf(-1)
			for _, c := range tier {
				m = max(m, stages[st].criteria(s.gains(c))[k])
			}
			if k == 0 && m <= s.floor(stages[st], p) {
				tier = nil
				break
			}
			var kept []int
			for _, c := range tier {
				if v := stages[st].criteria(s.gains(c))[k]; v >= m-Tolerance*math.Abs(m) {
					kept = append(kept, c)
				}
			}
			tier = kept
		}
		if len(tier) == 0 {
			st++
			continue
		}
		if err := s.pick(context.Background(), b, p, tier[0], stages[st]); err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for _, pk := range p.Picks {
		out = append(out, pk.Site.ID)
	}
	return out
}

// TestColocatedCandidateGainsNothing: with the existing sites fixed, a
// candidate placed exactly on a counted site covers nobody new (every
// commune within its reach is within the same time of that site).
func TestColocatedCandidateGainsNothing(t *testing.T) {
	_, b := parallelNational(t)
	var cands []Candidate
	for _, s := range b.Result.Sites {
		if s.Counted && (s.Commune[:2] == "23" || s.Commune[:2] == "87") {
			cands = append(cands, Candidate{ID: "sur-" + s.ID, Name: s.Name, Point: s.Point})
		}
	}
	if len(cands) < 5 {
		t.Fatalf("only %d counted sites in 23 and 87", len(cands))
	}
	for _, t2 := range []diag.Territory{creuse, diag.Departements("87")} {
		opt, _ := Options{Territory: t2, Add: 1, Candidates: cands}.withDefaults()
		s, err := newSolver(context.Background(), b, opt, assignCandidates(b, cands), 1)
		if err != nil {
			t.Fatal(err)
		}
		for c := range cands {
			if cov := s.gains(c).cov; cov != 0 {
				t.Errorf("%s in %v: coverage gain %v, want 0", cands[c].ID, t2, cov)
			}
		}
		p, err := Run(context.Background(), b, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Picks) != 1 {
			t.Fatalf("%v: %d picks, want 1 (chosen for access)", t2, len(p.Picks))
		}
		if p.Picks[0].NewPop != 0 || p.Picks[0].NewFragile != 0 {
			t.Errorf("%v: the pick among co-located candidates newly covers %d, want 0", t2, p.Picks[0].NewPop)
		}
	}
	// Among the co-located candidates and the communes of Creuse, the
	// first posts go to communes: the co-located ones gain no coverage.
	// 3 posts, the fewest that cover all of Creuse on the 2023 supply
	// (TestCoverCreuse): a 4th would newly cover nobody.
	all := append(slices.Clone(cands), CommuneCandidates(b, creuse)...)
	p := mustRun(t, b, Options{Territory: creuse, Add: 3, Candidates: all})
	for _, pk := range p.Picks {
		if pk.NewPop == 0 || pk.Site.ID[:4] == "sur-" {
			t.Errorf("pick %d: %s, newly covered %d", pk.Rank, pk.Site.ID, pk.NewPop)
		}
	}
}

// TestPicksRaiseCoverageExactly adds the planner's posts to the sites,
// runs the diagnostic again, and finds the coverage raised exactly by
// what the planner reported: the first pick alone, then the first five,
// for both objectives. The access figures match too: A_i bit for bit
// (the new sites come last, as the planner adds their R·W last), hence
// the median of Access10k exactly.
func TestPicksRaiseCoverageExactly(t *testing.T) {
	ds, b := parallelNational(t)
	before := territoryRollup(t, b.Result, "23")
	objectives := []Objective{ObjectiveCoverage, ObjectiveAccess}
	if testing.Short() {
		objectives = objectives[:1] // make test-long checks access too
	}
	for _, obj := range objectives {
		p := mustRun(t, b, Options{Territory: creuse, Add: 5, Objective: obj})
		if p.CoveredPop != before.CoveredPop || p.Population != before.Population {
			t.Fatalf("baseline: plan %d/%d, diagnostic %d/%d", p.CoveredPop, p.Population, before.CoveredPop, before.Population)
		}
		for _, n := range []int{1, 5} {
			res, err := diag.Compute(context.Background(), withSites(ds, PicksAsSites(p)[:n]), diag.Params{})
			if err != nil {
				t.Fatal(err)
			}
			after := territoryRollup(t, res, "23")
			last := p.Picks[n-1]
			if got := after.CoveredPop - before.CoveredPop; got != last.CoveredPop-p.CoveredPop {
				t.Errorf("%s, %d posts: coverage raised by %d, planner said %d", obj, n, got, last.CoveredPop-p.CoveredPop)
			}
			if n == 1 && after.CoveredPop-before.CoveredPop != p.Picks[0].NewPop {
				t.Errorf("%s: first pick newly covers %d, planner said %d", obj, after.CoveredPop-before.CoveredPop, p.Picks[0].NewPop)
			}
			fragile := 0.0
			var acc []float64
			for i, c := range res.Communes {
				if c.Dep == "23" && c.Covered && !b.Result.Communes[i].Covered {
					fragile += float64(c.Population) * FragileWeight(c.Fragility)
				}
				if c.Dep == "23" && c.Population > 0 {
					acc = append(acc, c.Access10k)
				}
			}
			sum := 0.0
			for _, pk := range p.Picks[:n] {
				sum += pk.NewFragile
			}
			if !near(fragile, sum, 1e-9) {
				t.Errorf("%s, %d posts: fragile population newly covered %.6f, planner said %.6f", obj, n, fragile, sum)
			}
			med := newMedianTracker(acc).median()
			if med != last.MedianAccess10k {
				t.Errorf("%s, %d posts: median access %v, planner said %v", obj, n, med, last.MedianAccess10k)
			}
		}
	}
}

func territoryRollup(t *testing.T, r *diag.Result, dep string) diag.Rollup {
	t.Helper()
	for _, d := range r.Deps {
		if d.Code == dep {
			return d
		}
	}
	t.Fatalf("no roll-up for %s", dep)
	return diag.Rollup{}
}

// TestRunOptions: options that cannot be used are refused.
func TestRunOptions(t *testing.T) {
	_, b := parallelNational(t)
	onlyFS := *b
	fsRes := *b.Result
	fsRes.Params.Supply = []data.SiteKind{data.KindFranceServices}
	onlyFS.Result = &fsRes
	for _, tc := range []struct {
		name string
		b    *diag.Baseline
		opt  Options
		want error
	}{
		{"negative", b, Options{Territory: creuse, Add: -1}, ErrBadOptions},
		{"objective", b, Options{Territory: creuse, Add: 1, Objective: "cost"}, ErrBadOptions},
		{"employer", b, Options{Territory: creuse, Add: 1, Employer: "state"}, ErrBadOptions},
		{"territory", b, Options{Territory: diag.Departements("00"), Add: 1}, diag.ErrUnknownTerritory},
		{"duplicate candidate", b, Options{Territory: creuse, Add: 1, Candidates: []Candidate{{ID: "a"}, {ID: "a"}}}, ErrBadOptions},
		{"NaN candidate", b, Options{Territory: creuse, Add: 1, Candidates: []Candidate{{ID: "a", Point: [2]float64{math.NaN(), 45}}}}, ErrBadOptions},
		{"cnfs not counted", &onlyFS, Options{Territory: creuse, Add: 1}, ErrBadOptions},
	} {
		if _, err := Run(context.Background(), tc.b, tc.opt); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestPlanFollowsMethod: under another accessibility method or kernel
// (2SFCA's binary catchment, the gravity weight t^−2, an exponential
// decay), the planner's updated access is the diagnostic's: the median
// of Access10k over Creuse after the posts, as the planner reports it,
// equals that of diag.Compute with the same parameters on the data set
// with the posts added, bit for bit. The plans differ from the default one (the weights
// matter). 3SFCA and normalised access are refused.
func TestPlanFollowsMethod(t *testing.T) {
	testlong.Skip(t, "the short twin is TestRunHand2SFCA")
	ds, def := nationalBaseline(t)
	ref, err := Run(context.Background(), def, Options{Territory: creuse, Add: 3, Objective: ObjectiveAccess})
	if err != nil {
		t.Fatal(err)
	}
	cases := []diag.Params{
		{Method: diag.Method2SFCA},
		{Method: diag.MethodGravity, Decay: diag.Decay{Kind: diag.DecayPower, Beta: 2}},
		{Decay: diag.Decay{Kind: diag.DecayExponential, Beta: 0.1}},
	}
	for _, prm := range cases {
		b, err := diag.NewBaseline(context.Background(), ds, prm)
		if err != nil {
			t.Fatal(err)
		}
		p := mustRun(t, b, Options{Territory: creuse, Add: 3, Objective: ObjectiveAccess})
		name := fmt.Sprintf("%s %s", prm.Method, prm.Decay)
		res, err := diag.Compute(context.Background(), withSites(ds, PicksAsSites(p)), prm)
		if err != nil {
			t.Fatal(err)
		}
		var acc []float64
		for _, c := range res.Communes {
			if c.Dep == "23" && c.Population > 0 {
				acc = append(acc, c.Access10k)
			}
		}
		if med, last := newMedianTracker(acc).median(), p.Picks[len(p.Picks)-1]; med != last.MedianAccess10k {
			t.Errorf("%s: median access after the plan %v, planner said %v", name, med, last.MedianAccess10k)
		}
		if fmt.Sprint(PicksAsSites(p)) == fmt.Sprint(PicksAsSites(ref)) {
			t.Errorf("%s: same plan as the Gaussian E2SFCA", name)
		}
	}
	for _, prm := range []diag.Params{{Method: diag.Method3SFCA}, {Normalize: true}} {
		if err := checkMethod(prm); !errors.Is(err, ErrBadOptions) {
			t.Errorf("%+v: error %v, want ErrBadOptions", prm, err)
		}
	}
}
