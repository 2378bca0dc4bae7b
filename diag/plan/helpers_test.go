package plan

import (
	"context"
	"math"
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
	"diagnum/internal/embedtest"
	"diagnum/internal/testmust"
)

// nationalBaseline returns the embedded data set and its diagnostic
// with the default parameters (conseiller numérique sites as supply,
// 30 minutes), computed once per test process.
func nationalBaseline(tb testing.TB) (*data.Dataset, *diag.Baseline) {
	tb.Helper()
	return embedtest.National(tb)
}

// parallelNational marks t parallel and returns the shared national
// baseline (nationalBaseline): the tests that only read it run side by
// side.
func parallelNational(t *testing.T) (*data.Dataset, *diag.Baseline) {
	t.Helper()
	t.Parallel()
	return nationalBaseline(t)
}

var creuse = diag.Departements("23")

// mustRun runs the planner (Run) on b with o, failing t on an error.
func mustRun(t testing.TB, b *diag.Baseline, o Options) *Plan {
	t.Helper()
	return testmust.Value(Run(context.Background(), b, o))(t)
}

// evalScenario applies sc to ds (WithScenario), computes the diagnostic
// after it and compares the Creuse before (b) and after (Compare, default
// costs, employer e); it returns the comparison, the result after and the
// data set after.
func evalScenario(t *testing.T, ds *data.Dataset, b *diag.Baseline, sc *Scenario, e Employer) (*ScenarioResult, *diag.Result, *data.Dataset) {
	t.Helper()
	ds2, err := WithScenario(ds, sc)
	if err != nil {
		t.Fatal(err)
	}
	after, err := diag.Compute(context.Background(), ds2, diag.Params{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compare(creuse, b.Result, after, sc, nil, e)
	if err != nil {
		t.Fatal(err)
	}
	return r, after, ds2
}

// withSites returns a shallow copy of ds with more sites appended.
func withSites(ds *data.Dataset, more []data.Site) *data.Dataset {
	cp := *ds
	cp.Sites = slices.Concat(ds.Sites, more)
	return &cp
}

// oracle evaluates the coverage objective by brute force: travel times
// from geo.Model over every commune, no index, no incremental state.
type oracle struct {
	in      []bool    // commune in the territory
	covered []bool    // covered by the existing sites (baseline)
	wpop    []float64 // P_i·w_i
	pop     []int
	reach   [][]int // per candidate: the territory's communes within the threshold
}

func newOracle(b *diag.Baseline, t diag.Territory, cands []Candidate) *oracle {
	ds := b.Dataset()
	m := geo.Model{Detour: b.Result.Params.Detour, SpeedKmh: b.Result.Params.SpeedKmh}
	d0 := b.Result.Params.ThresholdMin
	o := &oracle{reach: make([][]int, len(cands))}
	for i := range ds.Communes {
		c, cr := &ds.Communes[i], &b.Result.Communes[i]
		o.in = append(o.in, t.Contains(c.Dep, c.Region))
		o.covered = append(o.covered, cr.Covered)
		o.wpop = append(o.wpop, float64(max(c.Population, 0))*FragileWeight(cr.Fragility))
		o.pop = append(o.pop, c.Population)
	}
	for k, cand := range cands {
		for i := range ds.Communes {
			p, ok := ds.Communes[i].Point, ds.Communes[i].HasPoint
			if !ok {
				p, ok = b.Location(i)
			}
			if ok && o.in[i] && m.Minutes(cand.Point, p) <= d0 {
				o.reach[k] = append(o.reach[k], i)
			}
		}
	}
	return o
}

// value returns the fragile population and the population newly
// covered by the candidates set.
func (o *oracle) value(set []int) (float64, int) {
	seen := map[int]bool{}
	f, n := 0.0, 0
	for _, c := range set {
		for _, i := range o.reach[c] {
			if !o.covered[i] && !seen[i] {
				seen[i] = true
				f += o.wpop[i]
				n += o.pop[i]
			}
		}
	}
	return f, n
}

// best returns the largest value over the subsets of at most k of n
// candidates (the coverage objective is monotone, and a repeated
// candidate covers nothing more), and one subset reaching it (the first
// in lexicographic order).
func (o *oracle) best(n, k int) (float64, []int) {
	bestV, bestSet := -1.0, []int(nil)
	var rec func(start int, set []int)
	rec = func(start int, set []int) {
		if v, _ := o.value(set); v > bestV*(1+1e-12) {
			bestV, bestSet = v, slices.Clone(set)
		}
		if len(set) == k {
			return
		}
		for c := start; c < n; c++ {
			rec(c+1, append(set, c))
		}
	}
	rec(0, nil)
	return bestV, bestSet
}

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// withoutLines returns a copy of sites with their Line cleared: a site
// read back from a file keeps where it stood there (data.Site.Line),
// which is not part of what a plan or a scenario changes.
func withoutLines(sites []data.Site) []data.Site {
	out := slices.Clone(sites)
	for i := range out {
		out[i].Line = 0
	}
	return out
}
