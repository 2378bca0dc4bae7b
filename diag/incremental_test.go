package diag

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"diagnum/data"
	"diagnum/internal/benchstat"
	"diagnum/internal/testlong"

	"github.com/paulmach/orb"
)

// randomEdit returns sites with a few random changes: sites removed,
// sites added (near a commune, far from every commune, or at the very
// point of a kept site, to exercise ties), a site replaced in place by
// one of the same id, and sometimes a removed site put back.
func randomEdit(rng *rand.Rand, ds *data.Dataset, sites []data.Site, round int, gone *[]data.Site) []data.Site {
	out := slices.Clone(sites)
	for range rng.IntN(4) {
		if len(out) == 0 {
			break
		}
		x := rng.IntN(len(out))
		*gone = append(*gone, out[x])
		out = slices.Delete(out, x, x+1)
	}
	kinds := []data.SiteKind{data.KindCNFS, data.KindCNFS, data.KindFranceServices, data.KindMediation, data.KindOther}
	for x := range rng.IntN(4) {
		s := data.Site{ID: fmt.Sprintf("ajout-%d-%d", round, x), Name: "Nouveau", Kind: kinds[rng.IntN(len(kinds))],
			FTE: []float64{0, 1, 2.5}[rng.IntN(3)], Source: "test"}
		switch r := rng.Float64(); {
		case r < 0.6:
			c := ds.Communes[rng.IntN(len(ds.Communes))]
			s.Point, s.INSEE = orb.Point{c.Point[0] + 0.02*rng.NormFloat64(), c.Point[1] + 0.02*rng.NormFloat64()}, c.Code
		case r < 0.8 && len(out) > 0:
			s.Point = out[rng.IntN(len(out))].Point // same point: ties
		default:
			s.Point = orb.Point{-4 - 3*rng.Float64(), 44 + 2*rng.Float64()} // at sea, far from everyone
		}
		out = append(out, s)
	}
	if rng.IntN(3) == 0 && len(out) > 0 { // replaced in place (same id, other FTE)
		x := rng.IntN(len(out))
		out[x].FTE += 1
	}
	if rng.IntN(4) == 0 && len(*gone) > 0 { // put back at the end
		x := rng.IntN(len(*gone))
		back := (*gone)[x]
		if !slices.ContainsFunc(out, func(s data.Site) bool { return s.ID == back.ID }) {
			out = append(out, back)
		}
		*gone = slices.Delete(*gone, x, x+1)
	}
	return out
}

// sameBaselines fails t where the incremental baseline differs from the
// full recomputation: every commune and site bit for bit, the roll-ups,
// the checks in order, and the engine state that the planner reads
// (A_i, Amed, the catchment pairs of each commune).
func sameBaselines(t *testing.T, got, want *Baseline) {
	t.Helper()
	compareResults(t, got.Result, want.Result)
	if got.Result.COM != want.Result.COM {
		t.Errorf("COM %+v, want %+v", got.Result.COM, want.Result.COM)
	}
	gc, wc := got.Result.Checks, want.Result.Checks
	if len(gc) != len(wc) {
		t.Fatalf("%d checks, want %d", len(gc), len(wc))
	}
	for x := range gc {
		if gc[x].Severity != wc[x].Severity || gc[x].Site != wc[x].Site || fmt.Sprint(gc[x].Err) != fmt.Sprint(wc[x].Err) {
			t.Fatalf("check %d: %+v, want %+v", x, gc[x], wc[x])
		}
	}
	if !slices.Equal(got.Access(), want.Access()) {
		t.Errorf("A_i differ")
	}
	if got.MedianAccess() != want.MedianAccess() {
		t.Errorf("Amed %v, want %v", got.MedianAccess(), want.MedianAccess())
	}
	ge, we := got.e, want.e
	for i := range ge.ds.Communes {
		gq, gw := ge.row(i)
		wq, ww := we.row(i)
		if !slices.Equal(gq, wq) || !slices.Equal(gw, ww) {
			t.Fatalf("catchment pairs of commune %d differ", i)
		}
	}
	if !slices.Equal(ge.nq, we.nq) || !slices.Equal(ge.nt, we.nt) {
		t.Errorf("nearest sites within d0 differ")
	}
	if ge.norm != we.norm || !slices.Equal(ge.raw, we.raw) {
		t.Errorf("normalisation: Ā %v, want %v", ge.norm, we.norm)
	}
	if !slices.Equal(ge.counted, we.counted) || !slices.Equal(ge.nearJ, we.nearJ) || !slices.Equal(ge.nearT, we.nearT) {
		t.Errorf("counted sites or nearest sites differ")
	}
}

// TestWithSitesMatchesFull: after random edits (sites added, removed,
// replaced, put back), chained one after the other, the incremental
// baseline equals NewBaseline on the edited data bit for bit (the
// oracle), and it did go the incremental way.
func TestWithSitesMatchesFull(t *testing.T) {
	t.Parallel()
	rounds, nc, ns := 12, 1500, 250
	if !testing.Short() {
		rounds, nc, ns = 60, 4000, 700
	}
	ctx := context.Background()
	for pi, p := range []Params{{}, {ThresholdMin: 15, Supply: []data.SiteKind{data.KindCNFS, data.KindFranceServices, data.KindMediation}},
		{Method: MethodGravity, ThresholdMin: 45}, {Normalize: true, ThresholdMin: 20}} {
		ds := synthDataset(nc, ns, uint64(11+pi))
		rng := rand.New(rand.NewPCG(uint64(pi), 42))
		cur, err := NewBaseline(ctx, ds, p)
		if err != nil {
			t.Fatal(err)
		}
		var gone []data.Site
		for round := range rounds {
			next := *cur.Dataset()
			next.Sites = randomEdit(rng, ds, next.Sites, round, &gone)
			got, err := cur.WithSites(ctx, &next)
			if err != nil {
				t.Fatal(err)
			}
			if got.e.frag != cur.e.frag || got.e.communes.index() != cur.e.communes.index() {
				t.Fatalf("params %d round %d: WithSites recomputed everything", pi, round)
			}
			want, err := NewBaseline(ctx, &next, p)
			if err != nil {
				t.Fatal(err)
			}
			sameBaselines(t, got, want)
			if t.Failed() {
				t.Fatalf("params %d, round %d", pi, round)
			}
			cur = got
		}
	}
}

// TestWithSitesFullWhenNotLocal: with 3SFCA (selection weights tie
// neighbouring sites) WithSites recomputes everything, and still equals
// NewBaseline.
func TestWithSitesFullWhenNotLocal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ds := synthDataset(800, 120, 5)
	p := Params{Method: Method3SFCA}
	b, err := NewBaseline(ctx, ds, p)
	if err != nil {
		t.Fatal(err)
	}
	next := *ds
	next.Sites = randomEdit(rand.New(rand.NewPCG(1, 2)), ds, ds.Sites, 0, new([]data.Site))
	got, err := b.WithSites(ctx, &next)
	if err != nil {
		t.Fatal(err)
	}
	if got.e.frag == b.e.frag {
		t.Fatal("3SFCA updated locally")
	}
	want, err := NewBaseline(ctx, &next, p)
	if err != nil {
		t.Fatal(err)
	}
	sameBaselines(t, got, want)
}

// TestWithSitesEmbedded: on the embedded national data (polygons,
// overseas communes, the COM, every kind of site), random edits chained
// give the figures of a full recomputation, with France Services counted.
func TestWithSitesEmbedded(t *testing.T) {
	testlong.Skip(t, "national baselines; TestWithSitesMatchesFull runs on synthetic data")
	ds := embedded(t)
	ctx := context.Background()
	p := Params{Supply: []data.SiteKind{data.KindCNFS, data.KindFranceServices}}
	cur, err := NewBaseline(ctx, ds, p)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var gone []data.Site
	for round := range 4 {
		next := *cur.Dataset()
		next.Sites = randomEdit(rng, ds, next.Sites, round, &gone)
		got, err := cur.WithSites(ctx, &next)
		if err != nil {
			t.Fatal(err)
		}
		if got.e.frag != cur.e.frag {
			t.Fatalf("round %d: WithSites recomputed everything", round)
		}
		want, err := NewBaseline(ctx, &next, p)
		if err != nil {
			t.Fatal(err)
		}
		sameBaselines(t, got, want)
		if t.Failed() {
			t.Fatalf("round %d", round)
		}
		cur = got
	}
}

// BenchmarkWithSitesNational is one post added at Guéret's reference
// point on the embedded national data, updated from the baseline; the
// full computation is BenchmarkComputeNational.
func BenchmarkWithSitesNational(b *testing.B) {
	ds := embedded(b)
	ctx := context.Background()
	base, err := NewBaseline(ctx, ds, Params{})
	if err != nil {
		b.Fatal(err)
	}
	i, _ := ds.CommuneIndex("23096")
	next := *ds
	next.Sites = append(slices.Clip(ds.Sites), data.Site{ID: "poste-23096", Name: "Nouveau poste", Kind: data.KindCNFS,
		FTE: 1, Point: ds.Communes[i].Point, INSEE: "23096"})
	benchstat.Loop(b, func() error {
		_, err := base.WithSites(ctx, &next)
		return err
	})
}
