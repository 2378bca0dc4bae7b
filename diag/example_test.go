package diag_test

import (
	"context"
	"fmt"
	"strings"

	"diagnum/data"
	"diagnum/diag"

	"github.com/paulmach/orb"
)

// Two communes 7.7 and 30.8 km (great circle) east of an advisor site
// with 2 FTE, default parameters (30 minutes, 1.3 detour, 50 km/h): the
// first is 7.7 × 1.3 / 50 × 60 = 12 minutes away and gets all the supply,
// A = 2 / 4000 = 5 per 10k; the second, 48 minutes away, is not covered.
func ExampleCompute() {
	ds := &data.Dataset{
		Communes: []data.Commune{
			{Code: "23001", Dep: "23", Region: "75", Population: 4000, Point: orb.Point{1.9, 46.1}, HasPoint: true},
			{Code: "23002", Dep: "23", Region: "75", Population: 1000, Point: orb.Point{2.2, 46.1}, HasPoint: true},
		},
		Sites: []data.Site{{ID: "s1", Kind: data.KindCNFS, FTE: 2, Point: orb.Point{1.8, 46.1}, INSEE: "23001"}},
	}
	res, err := diag.Compute(context.Background(), ds, diag.Params{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Communes {
		fmt.Printf("%s: %.1f min, covered %v, %.2f FTE per 10k, access %.2f per 10k, rank %d\n",
			c.Code, c.NearestMin, c.Covered, c.Per10k, c.Access10k, c.Rank)
	}
	fmt.Printf("France: coverage %.0f%%, mean access %.2f per 10k\n", 100*res.France.Coverage, res.France.MeanAccess10k)
	// Output:
	// 23001: 12.0 min, covered true, 5.00 FTE per 10k, access 5.00 per 10k, rank 2
	// 23002: 48.1 min, covered false, 0.00 FTE per 10k, access 0.00 per 10k, rank 1
	// France: coverage 80%, mean access 4.00 per 10k
}

// A weights file for the fragility index, checked against the indicator
// columns of the data (here qpv and ifn_score).
func ExampleLoadWeights() {
	known := func(name string) bool { return name == "qpv" || name == "ifn_score" }
	w, err := diag.LoadWeights("poids.csv", strings.NewReader("indicateur;poids\nifn_score;3\nqpv;0,5\n"), known)
	fmt.Println(w, err)
	_, err = diag.LoadWeights("poids.csv", strings.NewReader("indicateur;poids\nqpv;-1\n"), known)
	fmt.Println(err)
	// Output:
	// map[ifn_score:3 qpv:0.5] <nil>
	// poids.csv:2: colonne "poids" : poids "-1" négatif : un poids est un nombre ≥ 0 (0 retire l'indicateur)
}
