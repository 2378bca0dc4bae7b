// Package embedtest gives the tests of several packages (diag/plan,
// diag/report, diag/report/htmlreport) the national diagnostic of the
// embedded data set with the default parameters, computed once per test
// process. diag's own tests keep theirs (national in diag), as diag
// cannot import this package.
package embedtest

import (
	"context"
	"sync"
	"testing"

	"diagnum/data"
	"diagnum/diag"
)

var national struct {
	once sync.Once
	ds   *data.Dataset
	b    *diag.Baseline
	err  error
}

// National returns the embedded data set (data.LoadEmbedded) and its
// national baseline (diag.NewBaseline, default parameters: conseiller
// numérique sites as supply, 30 minutes). Both are shared: tests only
// read them.
func National(tb testing.TB) (*data.Dataset, *diag.Baseline) {
	tb.Helper()
	national.once.Do(func() {
		national.ds, national.err = data.LoadEmbedded()
		if national.err == nil {
			national.b, national.err = diag.NewBaseline(context.Background(), national.ds, diag.Params{})
		}
	})
	if national.err != nil {
		tb.Fatal(national.err)
	}
	return national.ds, national.b
}
