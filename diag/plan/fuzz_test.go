package plan

import (
	"bytes"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"
)

// FuzzLoadScenario: any input gives a scenario or an error, never a
// panic; every check and the error are *data.ParseError values, and a
// scenario has something to do.
func FuzzLoadScenario(f *testing.F) {
	f.Add([]byte("id,nom,type,latitude,longitude,etp,action\nn1,M,cnfs,46.1,1.8,1,\nold,,,,,,suppression\n"))
	f.Add([]byte("id;action\nold;suppression\nold;suppression\n"))
	fuzztest.SeedCSV(f, "../../testdata")
	f.Fuzz(func(t *testing.T, in []byte) {
		sc, checks, err := LoadScenario("f.csv", bytes.NewReader(in), data.SitesOptions{})
		refused := fuzztest.Refused[*data.ParseError](t, err)
		for _, c := range checks {
			if c.Err == nil {
				t.Fatal("check without error")
			}
		}
		if !refused && len(sc.Add)+len(sc.Remove) == 0 {
			t.Fatal("empty scenario without error")
		}
	})
}

// FuzzLoadCosts: any input gives a table of finite amounts ≥ 0 or a
// *data.ParseError.
func FuzzLoadCosts(f *testing.F) {
	f.Add([]byte("zone,employeur,montant\nmetropole,public,55000\nantilles-guyane,,71000\n"))
	f.Add([]byte("zone;employeur;montant\nLa Réunion et Mayotte;privé;1,5\n"))
	fuzztest.SeedCSV(f, "../../testdata")
	f.Fuzz(func(t *testing.T, in []byte) {
		tab, err := LoadCosts("f.csv", bytes.NewReader(in))
		if fuzztest.Refused[*data.ParseError](t, err) {
			return
		}
		for k, v := range tab {
			if !(v >= 0) || !finite(v) {
				t.Fatalf("%v = %v", k, v)
			}
		}
	})
}
