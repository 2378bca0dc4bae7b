package htmlreport

import (
	"context"
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
// département or France) from a national result, as cmd/diagnum does.
func territoryInput(t testing.TB, ds *data.Dataset, res *diag.Result, terr diag.Territory) *report.Input {
	t.Helper()
	v, err := res.View(terr)
	if err != nil {
		t.Fatal(err)
	}
	in := report.NewInput(ds, v)
	in.Version, in.Date = "test", time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	return &in
}
