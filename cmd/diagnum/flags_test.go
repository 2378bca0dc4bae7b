package main

import (
	"errors"
	"io"
	"reflect"
	"testing"

	"diagnum/data"
)

// TestSupplyKindsAsInFiles: --supply and --etp accept the kinds of site as
// a sites file's type column does (one parser, data.ParseKind), so
// "France Services" is france-services and "Médiation numérique" is
// mediation; an unknown kind stays a usage error.
func TestSupplyKindsAsInFiles(t *testing.T) {
	params := func(args ...string) (any, error) {
		o, err := parseFlags(args, io.Discard)
		if err != nil {
			return nil, err
		}
		p, err := o.params()
		return p, err
	}
	want, err := params("--supply", "cnfs,france-services,mediation", "--etp", "france-services=2")
	if err != nil {
		t.Fatal(err)
	}
	got, err := params("--supply", "CNFS, France Services ,Médiation numérique", "--etp", "France Services=2")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("--supply \"France Services\": %+v\nwant %+v", got, want)
	}
	for _, k := range []string{"France Services", "france_services", "FS", "france-services"} {
		if kind, ok := data.ParseKind(k); !ok || kind != data.KindFranceServices {
			t.Errorf("ParseKind(%q) = %v, %v", k, kind, ok)
		}
	}
	if _, err := params("--supply", "boulangerie"); !errors.Is(err, errUsage) {
		t.Errorf("--supply boulangerie: %v, want a usage error", err)
	}
}
