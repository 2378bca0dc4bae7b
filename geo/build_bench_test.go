package geo

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkNewPointIndex measures building the index over 35,000 points
// (the communes) and 2.3 million (the populated 200 m cells of France).
func BenchmarkNewPointIndex(b *testing.B) {
	for _, n := range []int{35000, 2300000} {
		rng := rand.New(rand.NewPCG(5, uint64(n)))
		pts := randomPoints(rng, n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NewPointIndex(pts)
			}
		})
	}
}
