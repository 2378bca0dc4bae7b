package plan

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/diag"
)

// TestGreedyVsExhaustive compares the planner with the exact optimum,
// found by exhaustive search, on real Creuse communes (embedded COG
// points and populations, real conseiller numérique sites): 12-candidate
// sets, 1 to 4 posts, with the existing sites fixed (30 min) and with no
// site at all (20 min). The greedy value must reach (1 − 1/e) of the
// optimum (Nemhauser, Wolsey and Fisher 1978) and equal it for one post;
// the cases where it falls short are logged.
func TestGreedyVsExhaustive(t *testing.T) {
	ds, b := nationalBaseline(t)
	empty := *ds
	empty.Sites = nil
	bare, err := diag.NewBaseline(context.Background(), &empty, diag.Params{ThresholdMin: 20})
	if err != nil {
		t.Fatal(err)
	}
	bound := 1 - 1/math.E
	cases, differ := 0, 0
	for _, setup := range []struct {
		name string
		b    *diag.Baseline
	}{{"existing sites, 30 min", b}, {"no site, 20 min", bare}} {
		all := CommuneCandidates(setup.b, creuse)
		for _, set := range candidateSets(t, setup.b, all) {
			o := newOracle(setup.b, creuse, set)
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
				opt, optSet := o.best(len(set), k)
				switch {
				case greedy > opt*(1+1e-9):
					t.Fatalf("%s, %d posts: greedy %.3f above the optimum %.3f", setup.name, k, greedy, opt)
				case greedy < bound*opt:
					t.Errorf("%s, %d posts: greedy %.3f < (1 − 1/e)·optimum %.3f", setup.name, k, greedy, bound*opt)
				case k == 1 && !near(greedy, opt, 1e-12):
					t.Errorf("%s, 1 post: greedy %.3f, optimum %.3f", setup.name, greedy, opt)
				case greedy < opt*(1-1e-9):
					differ++
					t.Logf("%s, %d posts: greedy %.1f = %.4f × optimum %.1f; greedy %v, optimum %v", setup.name, k,
						greedy, greedy/opt, opt, ids(set, picked), ids(set, optSet))
				}
			}
		}
	}
	t.Logf("%d cases, greedy below the optimum in %d", cases, differ)
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
	ds, b := nationalBaseline(t)
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
	_, b := nationalBaseline(t)
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
	all := append(slices.Clone(cands), CommuneCandidates(b, creuse)...)
	p, err := Run(context.Background(), b, Options{Territory: creuse, Add: 5, Candidates: all})
	if err != nil {
		t.Fatal(err)
	}
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
	ds, b := nationalBaseline(t)
	before := territoryRollup(t, b.Result, "23")
	for _, obj := range []Objective{ObjectiveCoverage, ObjectiveAccess} {
		p, err := Run(context.Background(), b, Options{Territory: creuse, Add: 5, Objective: obj})
		if err != nil {
			t.Fatal(err)
		}
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
	_, b := nationalBaseline(t)
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
