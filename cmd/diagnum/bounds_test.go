package main

import (
	"errors"
	"strings"
	"testing"
)

// TestParameterBounds walks the flag cases of issue 15 §1 and 17 §6 and
// the bad method flags (--methode, --decroissance, --normaliser): each
// command line is refused as a usage error (exit 2) with a French
// message naming the flag, before any file is written.
func TestParameterBounds(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--threshold", "1e9"}, "--threshold 1e+09 hors des bornes (attendu : un temps en minutes entre 1 et 240)"},
		{[]string{"--threshold", "1e-300"}, "--threshold 1e-300 hors des bornes"},
		{[]string{"--threshold", "0.5"}, "--threshold 0.5 hors des bornes"},
		{[]string{"--threshold", "241"}, "--threshold 241 hors des bornes"},
		{[]string{"--threshold", "NaN"}, "--threshold NaN hors des bornes"},
		{[]string{"--threshold", "-Inf"}, "--threshold -Inf hors des bornes"},
		{[]string{"--speed", "1e308"}, "--speed 1e+308 hors des bornes (attendu : une vitesse en km/h entre 5 et 150)"},
		{[]string{"--speed", "1e-300"}, "--speed 1e-300 hors des bornes"},
		{[]string{"--speed", "4.9"}, "--speed 4.9 hors des bornes"},
		{[]string{"--detour", "1e-300"}, "--detour 1e-300 hors des bornes (attendu : un facteur de détour entre 1 et 3)"},
		{[]string{"--detour", "0.99"}, "--detour 0.99 hors des bornes"},
		{[]string{"--detour", "3.01"}, "--detour 3.01 hors des bornes"},
		{[]string{"--etp", "cnfs=1e300"}, "--etp cnfs=1e300 hors des bornes (attendu : un ETP par lieu entre 0 et 100)"},
		{[]string{"--etp", "france-services=-1"}, "--etp france-services=-1 hors des bornes"},
		{[]string{"--etp", "mediation=NaN"}, "--etp mediation=NaN hors des bornes"},
		{[]string{"--dept", ""}, "--dept : code de département vide"},
		{[]string{"--dept", "  "}, "--dept : code de département vide"},
		{[]string{"--region", ""}, "--region : code de région vide"},
		{[]string{"--region", "99"}, `--region : code inconnu "99"`},
		{[]string{"--region", "7"}, `--region : code inconnu "07"`},
		{[]string{"--dept", "96"}, `--dept`},
		{[]string{"--dept", "23", "--region", "75"}, "choisir un seul territoire"},
		{[]string{"plan", "--add", "0"}, "--add 0 hors des bornes (attendu : un nombre de postes entre 1 et 100000)"},
		{[]string{"plan", "--add", "-5"}, "--add -5 hors des bornes"},
		{[]string{"plan", "--add", "100001"}, "--add 100001 hors des bornes"},
		{[]string{"plan", "--add", "3", "--threshold", "1e9"}, "--threshold 1e+09 hors des bornes"},
		{[]string{"plan", "--add", "3", "--region", ""}, "--region : code de région vide"},
		{[]string{"plan", "--add", "3", "--region", "99"}, `--region : code inconnu "99"`},
		// --methode and --decroissance: unknown names, out-of-bounds β,
		// kernels that do not go with the method, and what plan refuses.
		{[]string{"--methode", "4sfca"}, "méthode \"4sfca\" inconnue"},
		{[]string{"--decroissance", "gauss"}, "décroissance \"gauss\" inconnue"},
		{[]string{"--decroissance", "puissance:0"}, "β dans ]0, 10]"},
		{[]string{"--decroissance", "exponentielle:NaN"}, "β dans ]0, 10]"},
		{[]string{"--decroissance", "paliers:20=1,10=0.5"}, "bornes croissantes"},
		{[]string{"--methode", "2sfca", "--decroissance", "aucune"}, "bassin binaire"},
		{[]string{"--methode", "gravite", "--decroissance", "exponentielle:1"}, "puissance:β"},
		{[]string{"plan", "--add", "2", "--methode", "3sfca"}, "poids de sélection"},
		{[]string{"plan", "--add", "2", "--normaliser"}, "accès moyen"},
		{[]string{"plan", "--add", "2", "--methode", "2sfca", "--decroissance", "aucune"}, "bassin binaire"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, err := run(t, tc.args...)
			if !errors.Is(err, errUsage) {
				t.Fatalf("err = %v, want a usage error (exit 2)", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tc.want)
			}
			wantNoFiles(t, ".", "usage error")
		})
	}
}

// TestParameterBoundsAccepted: the bounds themselves are accepted, and
// --dept 1 is Ain (01).
func TestParameterBoundsAccepted(t *testing.T) {
	if _, err := run(t, "--dept", "23", "--threshold", "240", "--speed", "5", "--detour", "3", "--etp", "france-services=100", "--out", "-"); err != nil {
		t.Errorf("upper bounds: %v", err)
	}
	// The lower bounds on Ain, given as 1.
	if _, err := run(t, "--dept", "1", "--threshold", "1", "--speed", "150", "--detour", "1", "--etp", "cnfs=0", "--csv", "ain.csv", "--out", "-"); err != nil {
		t.Fatal(err)
	}
	if b := readFile(t, "ain.csv"); !strings.Contains(string(b), "\n01053,Bourg-en-Bresse,01,") {
		t.Errorf("--dept 1 does not report Ain (01053 Bourg-en-Bresse missing)")
	}
}
