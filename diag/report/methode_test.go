package report

import (
	"strings"
	"testing"

	"diagnum/diag"
)

// TestAccessFormulas: the Méthodologie rows name the formula of each
// method and kernel; the default (E2SFCA, Gaussian) keeps its three rows.
func TestAccessFormulas(t *testing.T) {
	text := func(p diag.Params) string {
		var b strings.Builder
		for _, r := range accessFormulas(p.WithDefaults()) {
			b.WriteString(r.name + ": " + r.text + "\n")
		}
		return b.String()
	}
	if rows := accessFormulas(diag.Defaults()); len(rows) != 3 || !strings.Contains(rows[0].text, "exp(−½(t/d0)²)") {
		t.Errorf("default rows: %+v", rows)
	}
	for _, c := range []struct {
		p    diag.Params
		want []string
	}{
		{diag.Params{Method: diag.Method2SFCA}, []string{"bassin binaire", "Accès 2SFCA A_i", "Σ_i A_i·P_i = Σ_j S_j"}},
		{diag.Params{Method: diag.Method3SFCA}, []string{"G_ij = W(t_ij) / Σ_k W(t_ik)", "Σ_k G_kj·P_k·W(t_kj)", "Accès 3SFCA"}},
		{diag.Params{Method: diag.MethodGravity}, []string{"max(t, 1 min)^(−1)", "Accès gravitaire"}},
		{diag.Params{Decay: diag.Decay{Kind: diag.DecaySteps, Steps: []diag.Step{{UpToMin: 10, Weight: 1}, {UpToMin: 20, Weight: 0.68}}}}, []string{"paliers:10=1,20=0.68"}},
		{diag.Params{Decay: diag.Decay{Kind: diag.DecayExponential, Beta: 0.5}}, []string{"exp(−β·t)", "β = 0,5"}},
		{diag.Params{Decay: diag.Decay{Kind: diag.DecayPower, Beta: 2}, Normalize: true}, []string{"^(−β), β = 2", "Normalisation", "10 000 = accès moyen"}},
	} {
		got := text(c.p)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%v %v: %q lacks %q", c.p.Method, c.p.Decay, got, w)
			}
		}
	}
}

// TestMethodPlacement: the placement rules give the distances of the
// constants make data applies (50 km, 100 m, 50 m).
func TestMethodPlacement(t *testing.T) {
	var b strings.Builder
	for _, r := range methodPlacement() {
		b.WriteString(r.name + ": " + r.text + "\n")
	}
	got := b.String()
	for _, w := range []string{"1/k ETP", "plus de 50 km", "100 m au plus", "50 m au plus", "chef-lieu"} {
		if !strings.Contains(got, w) {
			t.Errorf("placement rows lack %q:\n%s", w, got)
		}
	}
}
