package plan

import "testing"

// TestSwapNote: what the workbook and the summary say of --echanges:
// nothing when it was not asked for, why it was skipped beyond
// MaxSwapWork (10 posts × 200,001 candidates), or the exchanges made.
func TestSwapNote(t *testing.T) {
	picks := make([]Pick, 10)
	for _, c := range []struct {
		p    Plan
		want string
	}{
		{Plan{Picks: picks, Candidates: 50}, ""},
		{Plan{Swap: true, Picks: picks, Candidates: 200_001}, "échanges 1 pour 1 non faits : 10 postes × 200001 candidats dépasse 2000000"},
		{Plan{Swap: true, Picks: picks, Candidates: 50}, "échanges 1 pour 1 : aucun n'améliore le plan, qui reste emboîté"},
		{Plan{Swap: true, Swapped: 2, Picks: picks, Candidates: 50}, "échanges 1 pour 1 : 2 échange(s) ; le plan n'est plus le début du plan de N + k postes"},
	} {
		if got := c.p.SwapNote(); got != c.want {
			t.Errorf("Swap %v, %d swapped, %d candidates: %q, want %q", c.p.Swap, c.p.Swapped, c.p.Candidates, got, c.want)
		}
	}
}
