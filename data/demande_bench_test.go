package data

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"diagnum/internal/benchstat"
)

// gridFixture returns n distinct populated 200 m cells over mainland
// France in INSEE's format (Idcar_200m, Ind, Ind_65_79, Ind_80p; the
// columns of the Filosofi file, in its order).
func gridFixture(n int) []byte {
	rng := rand.New(rand.NewPCG(11, 12))
	var c bytes.Buffer
	c.WriteString("Idcar_200m;Ind;Men;Ind_65_79;Ind_80p\n")
	seen := map[[2]int]bool{}
	for len(seen) < n {
		k := [2]int{2100000 + 200*rng.IntN(5000), 3200000 + 200*rng.IntN(5000)}
		if seen[k] {
			continue
		}
		seen[k] = true
		pop := 1 + rng.IntN(60)
		fmt.Fprintf(&c, "CRS3035RES200mN%dE%d;%d;%d;%d;%d\n", k[0], k[1], pop, pop/2, rng.IntN(pop/4+1), rng.IntN(pop/8+1))
	}
	return c.Bytes()
}

// BenchmarkLoadDemandGrid reads 2.3 M cells of INSEE's 200 m grid (the
// populated cells of France) with LoadDemand: parsing, the projection of
// every cell to WGS84, the checks; peak-RSS-MiB is the process's peak
// resident memory, reset once the file is in memory.
func BenchmarkLoadDemandGrid(b *testing.B) {
	in := gridFixture(2_300_000)
	runtime.GC()
	if err := benchstat.ResetPeakRSS(); err != nil {
		b.Logf("peak RSS not reset (%v)", err)
	}
	benchstat.Loop(b, func() error {
		l, err := LoadDemand("carreaux.csv", bytes.NewReader(in))
		if err == nil && len(l.Units) != 2_300_000 {
			err = fmt.Errorf("%d units", len(l.Units))
		}
		return err
	})
	if mib, ok := benchstat.PeakRSSMiB(); ok {
		b.ReportMetric(mib, "peak-RSS-MiB")
	}
}
