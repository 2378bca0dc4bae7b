package main

import (
	"io"
	"testing"

	"diagnum/diag"
)

// TestMethodFlags: --methode, --decroissance and --normaliser reach
// diag.Params; without them the parameters are the defaults (E2SFCA,
// Gaussian). Bad names, out-of-bounds parameters and method–kernel pairs
// that do not go together are usage errors: TestParameterBounds.
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
}

// TestPlanMethodFlags: `diagnum plan` takes --methode and --decroissance
// into its parameters (the planner follows them); it refuses 3sfca and
// --normaliser with a French usage error saying why (TestParameterBounds).
func TestPlanMethodFlags(t *testing.T) {
	o, err := parsePlanFlags([]string{"--add", "2", "--methode", "gravite", "--decroissance", "puissance:2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.params()
	if err != nil || p.Method != diag.MethodGravity || p.Decay.Kind != diag.DecayPower || p.Decay.Beta != 2 {
		t.Errorf("plan gravite puissance:2: %v %v, %v", p.Method, p.Decay, err)
	}
}
