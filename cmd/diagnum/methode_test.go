package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"diagnum/diag"
)

// TestMethodFlags: --methode, --decroissance and --normaliser reach
// diag.Params; without them the parameters are the defaults (E2SFCA,
// Gaussian); bad names, out-of-bounds parameters and method–kernel pairs
// that do not go together are usage errors (exit 2) in French.
func TestMethodFlags(t *testing.T) {
	params := func(args ...string) (diag.Params, error) {
		o, err := parseFlags(args, io.Discard)
		if err != nil {
			return diag.Params{}, err
		}
		return o.params()
	}
	p, err := params()
	if err != nil || p.Method != diag.MethodE2SFCA || p.Decay.Kind != diag.DecayGaussian || p.Normalize {
		t.Errorf("defaults: %v %v %v, %v", p.Method, p.Decay, p.Normalize, err)
	}
	p, err = params("--methode", "3SFCA", "--decroissance", "paliers:10=1,20=0.68,30=0.22", "--normaliser")
	want := diag.Decay{Kind: diag.DecaySteps, Steps: []diag.Step{{UpToMin: 10, Weight: 1}, {UpToMin: 20, Weight: 0.68}, {UpToMin: 30, Weight: 0.22}}}
	if err != nil || p.Method != diag.Method3SFCA || p.Decay.String() != want.String() || !p.Normalize {
		t.Errorf("3sfca paliers: %v %v %v, %v", p.Method, p.Decay, p.Normalize, err)
	}
	p, err = params("--methode", "gravite", "--decroissance", "puissance:2")
	if err != nil || p.Method != diag.MethodGravity || p.Decay.Kind != diag.DecayPower || p.Decay.Beta != 2 {
		t.Errorf("gravite puissance:2: %v %v, %v", p.Method, p.Decay, err)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--methode", "4sfca"}, "méthode \"4sfca\" inconnue"},
		{[]string{"--decroissance", "gauss"}, "décroissance \"gauss\" inconnue"},
		{[]string{"--decroissance", "puissance:0"}, "β dans ]0, 10]"},
		{[]string{"--decroissance", "exponentielle:NaN"}, "β dans ]0, 10]"},
		{[]string{"--decroissance", "paliers:20=1,10=0.5"}, "bornes croissantes"},
		{[]string{"--methode", "2sfca", "--decroissance", "aucune"}, "bassin binaire"},
		{[]string{"--methode", "gravite", "--decroissance", "exponentielle:1"}, "puissance:β"},
	} {
		_, err := params(c.args...)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: %v, want a usage error containing %q", c.args, err, c.msg)
		}
	}
}

// TestPlanMethodFlags: `diagnum plan` takes --methode and --decroissance
// into its parameters (the planner follows them), and refuses 3sfca and
// --normaliser with a French usage error saying why.
func TestPlanMethodFlags(t *testing.T) {
	o, err := parsePlanFlags([]string{"--add", "2", "--methode", "gravite", "--decroissance", "puissance:2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.params()
	if err != nil || p.Method != diag.MethodGravity || p.Decay.Kind != diag.DecayPower || p.Decay.Beta != 2 {
		t.Errorf("plan gravite puissance:2: %v %v, %v", p.Method, p.Decay, err)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--add", "2", "--methode", "3sfca"}, "poids de sélection"},
		{[]string{"--add", "2", "--normaliser"}, "accès moyen"},
		{[]string{"--add", "2", "--methode", "2sfca", "--decroissance", "aucune"}, "bassin binaire"},
	} {
		_, err := parsePlanFlags(c.args, io.Discard)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: %v, want a usage error containing %q", c.args, err, c.msg)
		}
	}
}
