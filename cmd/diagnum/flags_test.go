package main

import (
	"errors"
	"io"
	"reflect"
	"strings"
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

// TestFlagErrorsInFrench: the flag package's own messages (unknown
// option, missing or unreadable value) reach the user in French, naming
// the option and the value, as usage errors.
func TestFlagErrorsInFrench(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--verbeux"}, "option inconnue -verbeux"},
		{[]string{"--threshold"}, "l'option -threshold demande une valeur"},
		{[]string{"--threshold", "trente"}, `valeur "trente" illisible pour -threshold`},
		{[]string{"--threshold", "1e999"}, `valeur "1e999" hors des bornes pour -threshold`},
		{[]string{"--france=oui"}, `valeur "oui" incorrecte pour -france : attendu true ou false`},
		{[]string{"plan", "--add", "deux"}, `plan : valeur "deux" illisible pour -add`},
		{[]string{"serve", "--inconnue"}, "serve : option inconnue -inconnue"},
	} {
		_, err := run(t, tc.args...)
		if !errors.Is(err, errUsage) || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want a usage error ending in %q", tc.args, err, tc.want)
		}
	}
}
