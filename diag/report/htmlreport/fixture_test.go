package htmlreport

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/report"
)

var (
	embeddedOnce sync.Once
	embeddedDS   *data.Dataset
	embeddedRes  *diag.Result
	embeddedErr  error
)

// creuseInput returns the report input of Creuse (23) on the embedded
// data, computed once per test binary.
func creuseInput(t testing.TB) *report.Input {
	t.Helper()
	embeddedOnce.Do(func() {
		embeddedDS, embeddedErr = data.LoadEmbedded()
		if embeddedErr == nil {
			embeddedRes, embeddedErr = diag.Compute(context.Background(), embeddedDS, diag.Defaults())
		}
	})
	if embeddedErr != nil {
		t.Fatal(embeddedErr)
	}
	return territoryInput(t, embeddedDS, embeddedRes, diag.Departements("23"))
}

// territoryInput assembles the report input of territory t (a
// département or France) from a national result.
func territoryInput(t testing.TB, ds *data.Dataset, res *diag.Result, terr diag.Territory) *report.Input {
	t.Helper()
	view, err := res.Territory(terr)
	if err != nil {
		t.Fatal(err)
	}
	cs := slices.Clone(view.Communes)
	slices.SortFunc(cs, func(a, b diag.CommuneResult) int { return a.Rank - b.Rank })
	in := &report.Input{Territory: terr, Name: "France", Result: res, Communes: cs, Rollup: res.France, France: res.France,
		Sources: ds.Sources, Dataset: ds, Version: "test", Date: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)}
	if terr.Level == diag.LevelDepartement {
		for _, r := range res.Deps {
			if r.Code == terr.Codes[0] {
				in.Rollup, in.Name = r, r.Name
			}
		}
		for _, d := range ds.Departements {
			for _, r := range res.Regions {
				if d.Code == terr.Codes[0] && r.Code == d.Region {
					in.Region = r
				}
			}
		}
	}
	return in
}
