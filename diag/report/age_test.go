package report

import (
	"strings"
	"testing"
	"time"

	"diagnum/data"
)

// TestAgeMonths: the end of a source's date, and its age in whole months
// at a run date (counted by hand on a calendar).
func TestAgeMonths(t *testing.T) {
	run := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		date   string
		months int
		ok     bool
	}{
		{"2024-08-01", 27, true}, // 2 years + 3 months; the 29th is after the 1st
		{"2022-12", 46, true},    // end 2022-12-31: 4 years − 1 month = 47 steps, the 29th is before the 31st
		{"2021", 58, true},       // end 2021-12-31: 59 steps less one
		{"2021–2022", 46, true},  // the latest year: 2022-12-31
		{"COG 2025", 10, true},   // 2025-12-31: 11 steps less one
		{"2026-11-29", 0, true},
		{"2027", 0, true}, // in the future: 0
		{"inconnue", 0, false},
	} {
		got, ok := AgeMonths(tc.date, run)
		if got != tc.months || ok != tc.ok {
			t.Errorf("AgeMonths(%q) = %d, %v; want %d, %v", tc.date, got, ok, tc.months, tc.ok)
		}
	}
}

// TestStaleAdvisorSources: only the advisor sources older than 12 months
// get a warning.
func TestStaleAdvisorSources(t *testing.T) {
	src := []data.Source{
		{Name: "cnfs-2022", Title: "Lieux d'activité des conseillers numériques", Date: "2022"},
		{Name: "cnfs-lieux", Title: "Lieux récents", Date: "2026-01"},
		{Name: "france-services", Title: "France services", Date: "2024-08-01"},
	}
	run := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	w := staleAdvisorSources(src, run)
	if len(w) != 1 || !strings.Contains(w[0], "« Lieux d'activité des conseillers numériques » datent de 2022, soit 46 mois") {
		t.Errorf("warnings %q", w)
	}
	// 2026-01-31 → 2026-11-29: 9 months (not stale); on 2027-02-01: 12, still not; 2027-03-01: 13.
	for _, tc := range []struct {
		run  time.Time
		want int
	}{{time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), 1}, {time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), 2}} {
		if got := len(staleAdvisorSources(src, tc.run)); got != tc.want {
			t.Errorf("run %v: %d warnings, want %d", tc.run, got, tc.want)
		}
	}
}

// TestStaleEmbeddedAdvisorData: on the embedded data, a diagnostic of
// 29 November 2026 warns about exactly the two advisor sources: the
// 2023 list of posts (2023-04-05, 43 months) and the places of December
// 2022 (2022-12-02, 47 months); the France Services list (2024-08-01,
// 27 months old) is not an advisor source.
func TestStaleEmbeddedAdvisorData(t *testing.T) {
	ds, err := data.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	w := staleAdvisorSources(ds.Sources, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
	if len(w) != 2 || !strings.Contains(w[0], "datent de 2023-04-05, soit 43 mois") ||
		!strings.Contains(w[1], "datent de 2022-12-02, soit 47 mois") {
		t.Errorf("warnings %q", w)
	}
}
