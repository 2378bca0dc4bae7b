package diag

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/geo"
	"diagnum/internal/testmust"

	"github.com/paulmach/orb"
)

// sameCommune compares two results bit for bit (NaN equal to NaN).
func sameCommune(a, b CommuneResult) bool {
	if math.IsNaN(a.Fragility) && math.IsNaN(b.Fragility) {
		a.Fragility, b.Fragility = 0, 0
	}
	return a == b
}

// mustCompute runs Compute on ds with p, failing t on an error.
func mustCompute(t testing.TB, ds *data.Dataset, p Params) *Result {
	t.Helper()
	return testmust.Value(Compute(context.Background(), ds, p))(t)
}

// compareResults fails t at the first difference between two results.
func compareResults(t *testing.T, got, want *Result) {
	t.Helper()
	if len(got.Communes) != len(want.Communes) || len(got.Sites) != len(want.Sites) {
		t.Fatalf("sizes: %d communes, %d sites; want %d, %d", len(got.Communes), len(got.Sites), len(want.Communes), len(want.Sites))
	}
	bad := 0
	for i := range got.Communes {
		if !sameCommune(got.Communes[i], want.Communes[i]) && bad < 5 {
			bad++
			t.Errorf("commune %d:\n got %+v\nwant %+v", i, got.Communes[i], want.Communes[i])
		}
	}
	for j := range got.Sites {
		if got.Sites[j] != want.Sites[j] && bad < 10 {
			bad++
			t.Errorf("site %d:\n got %+v\nwant %+v", j, got.Sites[j], want.Sites[j])
		}
	}
	for _, l := range [][2][]Rollup{{got.EPCI, want.EPCI}, {got.Deps, want.Deps}, {got.Regions, want.Regions}} {
		if len(l[0]) != len(l[1]) {
			t.Fatalf("%d roll-ups, want %d", len(l[0]), len(l[1]))
		}
		for i := range l[0] {
			if l[0][i] != l[1][i] {
				t.Errorf("roll-up %+v, want %+v", l[0][i], l[1][i])
			}
		}
	}
	if got.France != want.France {
		t.Errorf("France %+v, want %+v", got.France, want.France)
	}
}

// wrapped hides geo.Model behind another type, forcing the batched
// TravelTimer path.
type wrapped struct{ geo.Model }

// TestComputeMatchesNaive: the indexed, parallel computation equals the
// naive double scan bit for bit, with the inline model and with batched
// Times calls.
func TestComputeMatchesNaive(t *testing.T) {
	ds := synthDataset(5000, 1000, 1)
	if testing.Short() {
		ds = synthDataset(2000, 400, 1) // make test-long compares 5,000 communes × 1,000 sites
	}
	for _, p := range []Params{{}, {Timer: wrapped{geo.DefaultModel()}}, {ThresholdMin: 12, SpeedKmh: 70,
		Supply: []data.SiteKind{data.KindCNFS, data.KindFranceServices, data.KindMediation}}} {
		got, want := againstNaive(t, ds, p)
		if len(got.Checks) != len(want.Checks) {
			t.Errorf("%d checks, naive %d", len(got.Checks), len(want.Checks))
		}
		// The data set has uncovered communes, communes without a point,
		// sites with an unknown code: the comparison covers those paths.
		if got.France.Uncovered == 0 || got.France.CoveredPop == 0 {
			t.Errorf("degenerate data set: %+v", got.France)
		}
	}
}

// TestWorkersDeterministic: one worker and all workers give the same bits.
func TestWorkersDeterministic(t *testing.T) {
	ds := synthDataset(4000, 700, 2)
	many := mustCompute(t, ds, Params{})
	prev := runtime.GOMAXPROCS(1)
	one, err := Compute(context.Background(), ds, Params{})
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	compareResults(t, one, many)
}

// TestConservation: E2SFCA distributes the supply exactly, so
// Σ_i A_i·P_i = Σ_j S_j over the sites that reach some population.
func TestConservation(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		ds := synthDataset(5000, 800, seed)
		res := mustCompute(t, ds, Params{ThresholdMin: 20 + 5*float64(seed)})
		var demand, supply float64
		for _, c := range res.Communes {
			demand += c.Access10k / 10000 * float64(c.Population)
		}
		empty := 0
		for _, s := range res.Sites {
			if s.Counted && s.ReachPop > 0 {
				supply += s.SupplyFTE
			} else if s.Counted && s.SupplyFTE > 0 {
				empty++
			}
		}
		if !closeRel(demand, supply, 1e-9) || supply == 0 {
			t.Errorf("seed %d: Σ A·P = %.15g, Σ S = %.15g", seed, demand, supply)
		}
		// France's mean access is then the supply per 10k inhabitants.
		if want := supply / float64(res.France.Population) * 10000; !closeRel(res.France.MeanAccess10k, want, 1e-9) {
			t.Errorf("mean access %v, want %v", res.France.MeanAccess10k, want)
		}
	}
}

// TestComputeTerritory: the figures of départements 23, 59 and 974
// computed alone are those of the national run, bit for bit.
func TestComputeTerritory(t *testing.T) {
	ds := synthDataset(12000, 1900, 3)
	ctx := context.Background()
	nat := mustCompute(t, ds, Params{})
	for _, deps := range [][]string{{"23"}, {"974"}, {"59"}, {"23", "59", "974"}} {
		got, err := ComputeTerritory(ctx, ds, Params{}, deps)
		if err != nil {
			t.Fatal(err)
		}
		want, err := nat.Territory(Departements(deps...))
		if err != nil {
			t.Fatal(err)
		}
		want.Regions, want.France = nil, Rollup{}
		compareResults(t, got, want)
		if len(got.Communes) < 24 || len(got.EPCI) == 0 || len(got.Deps) != len(deps) {
			t.Errorf("%v: %d communes, %d EPCI, %d deps", deps, len(got.Communes), len(got.EPCI), len(got.Deps))
		}
		if got.Communes[0].Rank == 0 || got.Deps[0].Code != deps[0] {
			t.Errorf("%v: rank %d, first dep %s", deps, got.Communes[0].Rank, got.Deps[0].Code)
		}
	}
	if _, err := ComputeTerritory(ctx, ds, Params{}, []string{"975"}); !errors.Is(err, ErrUnknownTerritory) {
		t.Errorf("unknown département: err = %v", err)
	}
}

// TestRollupSums: the additive fields of the départements add up to
// France, those of the régions too, and an EPCI's are the sums of its
// communes.
func TestRollupSums(t *testing.T) {
	ds := synthDataset(6000, 900, 4)
	res := mustCompute(t, ds, Params{})
	for _, level := range [][]Rollup{res.Deps, res.Regions} {
		checkSum(t, level, res.France)
	}
	epci := map[string]*accumulator{}
	for i := range res.Communes {
		c := &res.Communes[i]
		if c.EPCI == "" {
			continue
		}
		if epci[c.EPCI] == nil {
			epci[c.EPCI] = &accumulator{}
		}
		epci[c.EPCI].add(c)
	}
	if len(epci) != len(res.EPCI) {
		t.Fatalf("%d EPCIs, roll-ups %d", len(epci), len(res.EPCI))
	}
	for _, r := range res.EPCI {
		checkSum(t, []Rollup{epci[r.Code].finish()}, r)
	}
}

func checkSum(t *testing.T, parts []Rollup, whole Rollup) {
	t.Helper()
	var s Rollup
	for _, p := range parts {
		s.Population += p.Population
		s.Communes += p.Communes
		s.NbSites += p.NbSites
		s.FTE += p.FTE
		s.CoveredPop += p.CoveredPop
		s.Uncovered += p.Uncovered
		s.MeanAccess10k += p.MeanAccess10k * float64(p.Population)
	}
	if s.Population != whole.Population || s.Communes != whole.Communes || s.NbSites != whole.NbSites ||
		s.CoveredPop != whole.CoveredPop || s.Uncovered != whole.Uncovered || !closeRel(s.FTE, whole.FTE, 1e-12) ||
		s.Population > 0 && !closeRel(s.MeanAccess10k/float64(s.Population), whole.MeanAccess10k, 1e-12) {
		t.Errorf("Σ %d parts = %+v, whole %+v", len(parts), s, whole)
	}
	if whole.Population > 0 && !closeRel(whole.Per10k, whole.FTE/float64(whole.Population)*10000, 1e-15) {
		t.Errorf("%s %s per 10k = %v", whole.Level, whole.Code, whole.Per10k)
	}
}

// TestNoNaNLeak: every figure is finite except the documented ones:
// NearestMin and NearestOtherMin are +Inf only without a reachable site
// or a commune location; Fragility is NaN only without any indicator.
func TestNoNaNLeak(t *testing.T) {
	ds := synthDataset(3000, 400, 5)
	for _, p := range []Params{{}, {Supply: []data.SiteKind{data.KindOther}}} { // the second has no site at all
		res := mustCompute(t, ds, p)
		ind := NewFragility(ds, nil)
		for i, c := range res.Communes {
			for _, v := range []float64{c.FTE, c.Per10k, c.Access10k, c.Gap} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s: non-finite figure in %+v", c.Code, c)
				}
			}
			hasPoint := ds.Communes[i].HasPoint
			if math.IsInf(c.NearestMin, 1) != (!hasPoint || p.Supply != nil) || math.IsNaN(c.NearestMin) {
				t.Fatalf("%s: NearestMin %v (has point %v)", c.Code, c.NearestMin, hasPoint)
			}
			if math.IsNaN(c.Fragility) != math.IsNaN(ind.Index(c.Code)) {
				t.Fatalf("%s: fragility %v", c.Code, c.Fragility)
			}
		}
		for _, s := range res.Sites {
			if math.IsNaN(s.R) || math.IsInf(s.R, 0) || math.IsNaN(s.ReachPop) || math.IsNaN(s.NearestOtherMin) {
				t.Fatalf("site %s: %+v", s.ID, s)
			}
		}
	}
}

// TestNoSupply: without any counted site nobody is covered, A = 0, Amed
// = 0, so the gap is need × ½ (deficit 0, uncovered 1).
func TestNoSupply(t *testing.T) {
	ds, tt := handDataset()
	res := mustCompute(t, ds, Params{Timer: tt, Supply: []data.SiteKind{data.KindOther}, Weights: handWeights})
	// A: need 710.4854852152649 (see TestHandComputed) → gap 355.24274260763245.
	if c := res.Communes[0]; c.Covered || c.NearestSite != -1 || !math.IsInf(c.NearestMin, 1) || !closeRel(c.Gap, 355.24274260763245, 1e-12) {
		t.Errorf("A = %+v", c)
	}
	if res.France.CoveredPop != 0 || res.Sites[0].Counted {
		t.Errorf("France %+v", res.France)
	}
}

// TestCommuneWithoutLocation: a commune with neither point nor polygon
// gets +Inf, not covered, access 0 and a Warning; one with a polygon
// only uses its representative point.
func TestCommuneWithoutLocation(t *testing.T) {
	ds, tt := handDataset()
	ds.Communes[2].HasPoint = false
	res := mustCompute(t, ds, Params{Timer: tt})
	if c := res.Communes[2]; !math.IsInf(c.NearestMin, 1) || c.Covered || c.Access10k != 0 {
		t.Errorf("C = %+v", c)
	}
	if res.Checks.Count(data.Warning) != 1 || !errors.Is(res.Checks[0].Err, data.ErrBadCoordinate) ||
		res.Checks[0].Kind != data.CheckNoLocation || res.Checks[0].Commune != ds.Communes[2].Code || res.Checks[0].Site != "" {
		t.Errorf("checks = %+v", res.Checks)
	}
	// A 0.002° square around C's point: C is located again (model times).
	sq := orb.Ring{{2.199, 45.999}, {2.201, 45.999}, {2.201, 46.001}, {2.199, 46.001}, {2.199, 45.999}}
	ds.Communes[2].Polygon = orb.MultiPolygon{{sq}}
	res = mustCompute(t, ds, Params{})
	if c := res.Communes[2]; math.IsInf(c.NearestMin, 1) || len(res.Checks) != 0 {
		t.Errorf("C with polygon = %+v, checks %v", c, res.Checks)
	}
}

// TestEmptyCatchment: a counted site farther than d0 from every commune
// has R = 0 and is listed in the checks.
func TestEmptyCatchment(t *testing.T) {
	ds, _ := handDataset()
	ds.Sites = append(ds.Sites, data.Site{ID: "far", Kind: data.KindCNFS, FTE: 1, Point: orb.Point{5, 48}, INSEE: "01003"})
	res := mustCompute(t, ds, Params{})
	s := res.Sites[3]
	if !s.Counted || s.R != 0 || s.ReachPop != 0 || res.Checks.Count(data.Warning) != 1 ||
		res.Checks[0].Kind != data.CheckNoReach || res.Checks[0].Site != "far" {
		t.Errorf("far site %+v, checks %+v", s, res.Checks)
	}
}

// TestParamsValidate rejects unusable parameters.
func TestParamsValidate(t *testing.T) {
	ds, _ := handDataset()
	for _, p := range []Params{{ThresholdMin: -1}, {SpeedKmh: math.NaN()}, {Detour: math.Inf(1)},
		{FTEPerSite: map[data.SiteKind]float64{data.KindCNFS: -1}},
		{ThresholdMin: 1e9}, {ThresholdMin: 1e-300}, {SpeedKmh: 1e308}, {SpeedKmh: 1e-300}, {Detour: 1e-300},
		{Detour: 3.5}, {FTEPerSite: map[data.SiteKind]float64{data.KindCNFS: 1e300}}} {
		if _, err := Compute(context.Background(), ds, p); !errors.Is(err, ErrBadParams) {
			t.Errorf("%+v: err = %v", p, err)
		}
	}
	if d := (Params{}).WithDefaults(); d.ThresholdMin != 30 || d.Detour != 1.3 || d.SpeedKmh != 50 ||
		d.FTEPerSite[data.KindFranceServices] != 1 || d.FTEPerSite[data.KindMediation] != 0.5 || d.FTEPerSite[data.KindOther] != 0.5 ||
		d.Weights != nil || len(d.Supply) != 1 {
		t.Errorf("defaults = %+v", d)
	}
}

// TestBoundsKeepSearchInFrance: the widest search the bounded parameters
// allow, MaxThresholdMin at MaxSpeedKmh with MinDetour, is 600 km
// (240/60 × 150 / 1), shorter than mainland France's 1,100 km diagonal.
func TestBoundsKeepSearchInFrance(t *testing.T) {
	p := Params{ThresholdMin: MaxThresholdMin, SpeedKmh: MaxSpeedKmh, Detour: MinDetour}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	tm := newTiming(p.timer())
	if r := tm.reachKm(MaxThresholdMin); r < 599.99 || r > 600.01 {
		t.Errorf("widest search radius %.3f km, want 600", r)
	}
}

// TestCanceled: a canceled context stops the computation.
func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compute(ctx, synthDataset(500, 100, 6), Params{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

// TestFarNearest: the nearest site or other site can be across the globe
// (Réunion from metropolitan France, 9,300 km): the widening search gets
// there and agrees with the naive scan.
func TestFarNearest(t *testing.T) {
	ds := &data.Dataset{
		Communes: []data.Commune{
			{Code: "23096", Dep: "23", Population: 13000, Point: orb.Point{1.87, 46.17}, HasPoint: true},
			{Code: "97411", Dep: "974", Population: 150000, Point: orb.Point{55.45, -20.88}, HasPoint: true},
		},
		Sites: []data.Site{
			{ID: "reunion", Kind: data.KindCNFS, FTE: 1, Point: orb.Point{55.46, -20.89}, INSEE: "97411"},
			{ID: "antipode", Kind: data.KindCNFS, FTE: 1, Point: orb.Point{-178, -46}},
		},
	}
	got, _ := againstNaive(t, ds, Params{})
	// Guéret–Réunion: about 9,330 km great circle → × 1.3 / 50 × 60 ≈ 14,550 min.
	if c := got.Communes[0]; c.NearestSite != 0 || c.NearestMin < 14000 || c.NearestMin > 15000 {
		t.Errorf("Guéret: %+v", c)
	}
	if s := got.Sites[1]; math.IsInf(s.NearestOtherMin, 1) || s.NearestOtherMin < 10000 {
		t.Errorf("antipode: %+v", s)
	}
}

// TestBaselineIsCompute: the planner's baseline holds the diagnostic,
// identical to Compute (compared through %v, which prints every float64
// exactly and NaN equal to NaN), on a synthetic data set.
func TestBaselineIsCompute(t *testing.T) {
	ds := synthDataset(3000, 450, 11)
	b, err := NewBaseline(context.Background(), ds, Params{})
	if err != nil {
		t.Fatal(err)
	}
	res := mustCompute(t, ds, Params{})
	if fmt.Sprint(res.Communes) != fmt.Sprint(b.Result.Communes) || !reflect.DeepEqual(res.Sites, b.Result.Sites) ||
		res.France != b.Result.France || len(res.Checks) != len(b.Result.Checks) || b.Dataset() != ds {
		t.Error("NewBaseline differs from Compute")
	}
}

// TestSortNeighbors: sortNeighbors orders by index, distances kept, on
// every path (insertion sort, bits of a narrow span, key sort of a wide
// one), one scratch reused from list to list.
func TestSortNeighbors(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 16))
	var s sortScratch
	for round := range 600 {
		n := 1 + rng.IntN(400)
		span := n + rng.IntN([]int{2, 50 * n, 1000 * n}[round%3])
		seen := map[int]bool{}
		ns := make([]geo.Neighbor, 0, n)
		for len(ns) < n {
			if i := 7 + rng.IntN(span); !seen[i] {
				seen[i] = true
				ns = append(ns, geo.Neighbor{Index: i, Km: rng.Float64() * 20})
			}
		}
		checkSortNeighbors(t, ns, &s, fmt.Sprintf("round %d: %d neighbours over a span of %d", round, n, span))
	}
}

// checkSortNeighbors sorts ns with sortNeighbors (scratch s) and fails t
// (what names the list) unless they are in slices.SortFunc's order by
// index, each with its distance.
func checkSortNeighbors(t *testing.T, ns []geo.Neighbor, s *sortScratch, what string) {
	t.Helper()
	want := slices.Clone(ns)
	slices.SortFunc(want, func(a, b geo.Neighbor) int { return a.Index - b.Index })
	sortNeighbors(ns, s)
	if !slices.Equal(ns, want) {
		t.Fatalf("%s: not sorted with their distances", what)
	}
}

// TestSortNeighborsWide: the key sort of sortNeighbors, for indexes
// spread wider than its bits take (over 4096 an index, or beyond
// maxSortSpan), then the bits again with the same scratch.
func TestSortNeighborsWide(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 16))
	var s sortScratch
	for round := range 60 {
		n := 9 + rng.IntN(100)
		span := []int{5000 * n, 2 * maxSortSpan, 64 * n}[round%3]
		// The two ends first, so that the span is the one meant.
		seen := map[int]bool{0: true, span - 1: true}
		ns := []geo.Neighbor{{Index: 1 << 30, Km: 1}, {Index: 1<<30 + span - 1, Km: 2}}
		for len(ns) < n {
			if i := rng.IntN(span); !seen[i] {
				seen[i] = true
				ns = append(ns, geo.Neighbor{Index: 1<<30 + i, Km: rng.Float64() * 20})
			}
		}
		rng.Shuffle(len(ns), func(a, b int) { ns[a], ns[b] = ns[b], ns[a] })
		checkSortNeighbors(t, ns, &s, fmt.Sprintf("round %d: %d neighbours over a span of %d", round, n, span))
	}
}

// TestNationalPairsAgainstHaversine: on the national data, the pairs of
// each commune (every 31st in -short, every 3rd in make test-long) are
// exactly the counted sites whose model time from HaversineKm is within
// d0, by increasing position, with W = Kernel(t, d0) and the nearest of
// them, bit for bit: the strips' squared-chord sorting of candidates
// and the row loop leave out or add no pair, even at the threshold.
// The scan skips, before the haversine, the sites more than 0.5° of
// latitude or 1° of longitude away: the reach (19.2 km) is 0.18° of
// latitude and, below 60° of latitude (every commune, checked), at most
// 0.35° of longitude.
func TestNationalPairsAgainstHaversine(t *testing.T) {
	e, err := newEngine(context.Background(), embedded(t), Params{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.buildRows(); err != nil {
		t.Fatal(err)
	}
	if reach := e.tm.reachKm(e.d0); reach > 19.3 {
		t.Fatalf("reach %v km: the scan's boxes are too narrow", reach)
	}
	step := 3
	if testing.Short() {
		step = 31
	}
	pairs, edge := 0, 0
	for i := 0; i < len(e.ds.Communes); i += step {
		var wantQ []int32
		var wantW []float64
		nq, nt := int32(-1), math.Inf(1)
		if e.has[i] && math.Abs(e.loc[i][1]) >= 60 {
			t.Fatalf("commune %s at latitude %v", e.ds.Communes[i].Code, e.loc[i][1])
		}
		for q, pt := range e.spts {
			if !e.has[i] {
				break
			}
			if math.Abs(pt[1]-e.loc[i][1]) > 0.5 || math.Abs(pt[0]-e.loc[i][0]) > 1 {
				continue
			}
			tm := e.tm.kmMinutes(e.communePlace(i), geo.HaversineKm(e.loc[i], pt))
			if math.Abs(tm-e.d0) < 0.05 {
				edge++ // within 3 s of the threshold
			}
			if tm <= e.d0 {
				wantQ, wantW = append(wantQ, int32(q)), append(wantW, Kernel(tm, e.d0))
				if tm < nt {
					nq, nt = int32(q), tm
				}
			}
		}
		qs, ws := e.row(i)
		if !slices.Equal(qs, wantQ) || !slices.Equal(ws, wantW) || e.nq[i] != nq || e.nt[i] != nt {
			t.Fatalf("commune %s: %d pairs (nearest %d at %v), want %d (nearest %d at %v)",
				e.ds.Communes[i].Code, len(qs), e.nq[i], e.nt[i], len(wantQ), nq, nt)
		}
		pairs += len(qs)
	}
	if pairs < 10000 || edge == 0 {
		t.Fatalf("weak test: %d pairs, %d within 3 s of the threshold", pairs, edge)
	}
	t.Logf("%d pairs, %d candidates within 3 s of the threshold", pairs, edge)
}
