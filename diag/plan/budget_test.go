package plan

import (
	"testing"
)

// TestBudget: with a budget of 275,000 € and public posts at 50,000 €
// (mainland), 5 posts are planned, the first 5 of the plan without a
// budget (one zone: gain per euro orders as gain), for 250,000 €. With
// every post at 70,000 € (a costs table), the same budget pays 3 posts.
func TestBudget(t *testing.T) {
	_, b := parallelNational(t)
	free := mustRun(t, b, Options{Territory: creuse, Add: 5})
	p := mustRun(t, b, Options{Territory: creuse, Budget: 275000})
	if len(p.Picks) != 5 || p.TotalCost() != 250000 || p.Budget != 275000 {
		t.Fatalf("%d posts for %v €", len(p.Picks), p.TotalCost())
	}
	for k := range p.Picks {
		if p.Picks[k].Site != free.Picks[k].Site {
			t.Errorf("pick %d: %s, without budget %s", k+1, p.Picks[k].Site.ID, free.Picks[k].Site.ID)
		}
	}
	dear := DefaultCosts()
	for k := range dear {
		dear[k] = 70000
	}
	p = mustRun(t, b, Options{Territory: creuse, Budget: 275000, Costs: dear})
	if len(p.Picks) != 3 || p.TotalCost() != 210000 {
		t.Errorf("at 70,000 €: %d posts for %v €", len(p.Picks), p.TotalCost())
	}
}
