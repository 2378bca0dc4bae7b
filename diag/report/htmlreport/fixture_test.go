package htmlreport

import (
	"context"
	"testing"
	"time"

	"diagnum/diag"
	"diagnum/diag/plan"
	"diagnum/diag/report"
	"diagnum/internal/embedtest"
)

// creuseInput returns the report input of Creuse (23) on the national
// diagnostic of the embedded data, computed once per test binary.
func creuseInput(t testing.TB) *report.Input {
	t.Helper()
	return territoryInput(t, diag.Departements("23"))
}

// creusePlanInput returns the report input of Creuse with the plan of 3
// posts of plan.Run on the national baseline of the embedded data, and
// that plan.
func creusePlanInput(t testing.TB) (*report.Input, *plan.Plan) {
	t.Helper()
	in := creuseInput(t)
	_, b := embedtest.National(t)
	var err error
	if in.Plan, err = plan.Run(context.Background(), b, plan.Options{Territory: in.Territory, Add: 3}); err != nil {
		t.Fatal(err)
	}
	return in, in.Plan
}

// territoryInput assembles the report input of territory terr (a
// département or France) from the national diagnostic of the embedded
// data, computed once per test binary, as cmd/diagnum does.
func territoryInput(t testing.TB, terr diag.Territory) *report.Input {
	t.Helper()
	ds, b := embedtest.National(t)
	v, err := b.Result.View(terr)
	if err != nil {
		t.Fatal(err)
	}
	in := report.NewInput(ds, v)
	in.Version, in.Date = "test", time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	return &in
}
