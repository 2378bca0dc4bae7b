package report

import (
	"strings"
	"testing"

	"diagnum/diag"
)

// TestAccessColumnNamesMethod: the access column's header and description
// name the method and kernel actually used, not the default's.
func TestAccessColumnNamesMethod(t *testing.T) {
	col := CommuneColumns[communeColumn("acces_e2sfca_pour_10k")]
	for _, c := range []struct {
		p            diag.Params
		header, desc string
	}{
		{diag.Params{}, "Accès E2SFCA pour 10 000 hab.", "accessibilité E2SFCA (décroissance gaussienne) × 10 000"},
		{diag.Params{Method: diag.Method2SFCA}, "Accès 2SFCA pour 10 000 hab.", "accessibilité 2SFCA (bassin binaire) × 10 000"},
		{diag.Params{Method: diag.Method3SFCA, Decay: diag.Decay{Kind: diag.DecayExponential, Beta: 0.1}}, "Accès 3SFCA pour 10 000 hab.",
			"accessibilité 3SFCA (décroissance exponentielle, β = 0,1) × 10 000"},
		{diag.Params{Method: diag.MethodGravity, Decay: diag.Decay{Kind: diag.DecayPower, Beta: 2}}, "Accès gravitaire pour 10 000 hab.",
			"accessibilité gravitaire (W = t^(−β), β = 2) × 10 000"},
	} {
		h, d := col.Describe(c.p)
		if h != c.header || !strings.HasPrefix(d, c.desc) {
			t.Errorf("%v: %q, %q; want %q, %q…", c.p.Method, h, d, c.header, c.desc)
		}
	}
	if h, d := CommuneColumns[communeColumn("part_couverte")].Describe(diag.Params{ThresholdMin: 20}); h != "Part couverte (≤ 20 min)" ||
		!strings.Contains(d, "à 20 minutes ou moins") {
		t.Errorf("part_couverte: %q, %q", h, d)
	}
}

// TestFrPop: populations with halves, in French notation.
func TestFrPop(t *testing.T) {
	for v, want := range map[float64]string{85808.5: "85\u00a0808,5", 91862: "91\u00a0862", -12511.5: "−12\u00a0511,5", 0.04: "0"} {
		if got := frPop(v); got != want {
			t.Errorf("frPop(%v) = %q, want %q", v, got, want)
		}
	}
}
