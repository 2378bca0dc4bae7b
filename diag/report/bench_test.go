package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"testing"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/internal/benchstat"
	"diagnum/internal/testlong"
)

// syntheticInput returns a France-level input of n made-up communes
// (codes 10000…) in 100-commune départements, and n/10 sites.
func syntheticInput(n int) Input {
	r := &diag.Result{Params: diag.Defaults()}
	for i := range n {
		r.Communes = append(r.Communes, diag.CommuneResult{
			Code: strconv.Itoa(10000 + i), Name: fmt.Sprintf("Commune %d", i),
			Dep: strconv.Itoa(10 + i/100), Region: strconv.Itoa(i / 1000), EPCI: strconv.Itoa(200000000 + i/20),
			Population: 100 + i%5000, NbSites: i % 2, FTE: float64(i%3) / 2, Per10k: float64(i%7) / 3,
			NearestMin: float64(i%60) + 0.25, NearestSite: i / 10, Covered: i%60 <= 30,
			Access10k: math.Sqrt(float64(i)), Fragility: float64(i % 101), Gap: float64(n - i), Rank: i + 1,
		})
	}
	for j := range n / 10 {
		r.Sites = append(r.Sites, diag.SiteResult{Site: data.Site{ID: "s" + strconv.Itoa(j), Name: "Site",
			Kind: data.KindCNFS, FTE: 1, Commune: strconv.Itoa(10000 + 10*j)}, Counted: true, SupplyFTE: 1, NearestOtherMin: 12})
	}
	for e := 0; e < n; e += 20 {
		r.EPCI = append(r.EPCI, diag.Rollup{Level: diag.LevelEPCI, Code: strconv.Itoa(200000000 + e/20), Name: "EPCI",
			Communes: 20, Population: 20000, Coverage: float64(e%100) / 100})
	}
	r.France = diag.Rollup{Level: diag.LevelFrance, Name: "France", Communes: n}
	v, err := r.View(diag.France())
	if err != nil {
		panic(err)
	}
	return Input{View: *v, Version: "bench", Date: fixtureDate}
}

func BenchmarkWriteWorkbook(b *testing.B) {
	for _, n := range []int{1000, 10000, 35000} {
		in := syntheticInput(n)
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) {
			benchstat.Loop(b, func() error { return WriteWorkbook(io.Discard, in) })
		})
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	in := syntheticInput(35000)
	benchstat.Loop(b, func() error { return WriteCSV(io.Discard, in.Communes) })
}

func TestWorkbookLarge(t *testing.T) {
	testlong.Skip(t, "35,000 communes")
	// 35,000 communes, as for France: every row is written.
	in := syntheticInput(35000)
	f := openBook(t, writeBytes(t, in))
	rows, err := f.GetRows(SheetCommunes)
	if err != nil || len(rows) != 35001 {
		t.Fatalf("Communes rows = %d, %v; want 35001", len(rows), err)
	}
	sites, _ := f.GetRows(SheetSites)
	if len(sites) != 3501 {
		t.Errorf("Sites rows = %d, want 3501", len(sites))
	}
}
