package plan_test

import (
	"context"
	"fmt"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/plan"

	"github.com/paulmach/orb"
)

// handDataset is three communes of département 01 and one conseiller
// numérique site in the first:
//
//	01001 A  1,000 inhabitants  (5.0° E, 46.0° N)  the site is here
//	01002 B    500 inhabitants  (5.1° E, 46.0° N)  7.72 km from A: 12.05 min
//	01003 C  2,000 inhabitants  (5.0° E, 46.5° N)  55.6 km from A: 86.7 min
//
// No fragility indicator is known, so every commune weighs 0.5.
func handDataset() *data.Dataset {
	commune := func(code, name string, pop int, lon, lat float64) data.Commune {
		return data.Commune{Code: code, Name: name, Dep: "01", Region: "84", Population: pop,
			Point: orb.Point{lon, lat}, HasPoint: true}
	}
	return &data.Dataset{
		Communes: []data.Commune{
			commune("01001", "A", 1000, 5.0, 46.0),
			commune("01002", "B", 500, 5.1, 46.0),
			commune("01003", "C", 2000, 5.0, 46.5),
		},
		Sites: []data.Site{{ID: "s1", Name: "Mairie de A", Kind: data.KindCNFS, Point: orb.Point{5.0, 46.0}, FTE: 1}},
	}
}

// Two posts for the département: C, the only commune not covered, gets
// the first (its 2,000 inhabitants, weighted 0.5); then everyone is
// covered, and the capacity stage puts the second post where it serves
// the most fragile people not yet served, which is C again.
func ExampleRun() {
	ds := handDataset()
	b, err := diag.NewBaseline(context.Background(), ds, diag.Params{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plan.Run(context.Background(), b, plan.Options{Territory: diag.Departements("01"), Add: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("couverture avant : %.1f %%\n", 100*p.Coverage())
	for _, k := range p.Picks {
		fmt.Printf("%d. %s (%s, étape %s) : +%d hab. couverts, %.0f fragiles, %.1f servis par an, couverture %.1f %%, %s à %.1f min, %.0f €\n",
			k.Rank, k.Site.ID, k.CommuneName, k.Stage, k.NewPop, k.NewFragile, k.NewServed, 100*k.Coverage,
			k.NearestID, k.NearestMin, k.Cost)
	}
	fmt.Printf("total : %.0f €\n", p.TotalCost())
	// Output:
	// couverture avant : 42.9 %
	// 1. plan-01003 (C, étape couverture) : +2000 hab. couverts, 1000 fragiles, 419.6 servis par an, couverture 100.0 %, s1 à 86.7 min, 50000 €
	// 2. plan-01003-2 (C, étape capacité) : +0 hab. couverts, 0 fragiles, 243.5 servis par an, couverture 100.0 %, s1 à 86.7 min, 50000 €
	// total : 100000 €
}
