package diag

import (
	"context"
	"fmt"
	"testing"

	"diagnum/data"
	"diagnum/internal/benchstat"
)

// benchSizes are national-like sizes: 35,000 communes and 5,500 sites
// for France, scaled down for the smaller runs.
var benchSizes = []struct {
	name   string
	nc, ns int
}{{"1k", 1000, 157}, {"10k", 10000, 1571}, {"35k", 35000, 5500}}

// BenchmarkCompute measures the indexed, parallel computation of every
// measure over a synthetic France.
func BenchmarkCompute(b *testing.B) { benchSynthetic(b, Compute) }

// BenchmarkComputeNaive measures the naive double scan (the baseline).
func BenchmarkComputeNaive(b *testing.B) { benchSynthetic(b, ComputeNaive) }

// benchSynthetic runs compute over the synthetic data set of each of
// benchSizes.
func benchSynthetic(b *testing.B, compute func(context.Context, *data.Dataset, Params) (*Result, error)) {
	for _, sz := range benchSizes {
		ds := synthDataset(sz.nc, sz.ns, 42)
		b.Run(sz.name, func(b *testing.B) {
			benchstat.Loop(b, func() error {
				_, err := compute(context.Background(), ds, Params{})
				return err
			})
		})
	}
}

// BenchmarkComputeTerritory measures one département of a synthetic
// France (35,000 communes, 5,500 sites).
func BenchmarkComputeTerritory(b *testing.B) {
	ds := synthDataset(35000, 5500, 42)
	for _, dep := range []string{"23", "974"} {
		b.Run(fmt.Sprintf("dep%s", dep), func(b *testing.B) {
			benchstat.Loop(b, func() error {
				_, err := ComputeTerritory(context.Background(), ds, Params{}, []string{dep})
				return err
			})
		})
	}
}
