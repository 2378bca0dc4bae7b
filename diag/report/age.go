package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"diagnum/data"
)

// MaxAdvisorAgeMonths is the age beyond which Synthèse warns that the
// advisor data may no longer describe the offer: 12 months before the
// date of the run.
const MaxAdvisorAgeMonths = 12

// sourceDate matches a date or vintage in a source's Date: 2024-08-01,
// 2022-12 or 2021 (the latest one is used: "2021–2022" is 2022).
var sourceDate = regexp.MustCompile(`\b((?:19|20)\d\d)(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?\b`)

// SourceEnd returns the last day the Date of a source covers: the day of
// a full date, the last day of a month, 31 December of a year alone, for
// the latest date in the text; ok is false when the text holds none.
func SourceEnd(date string) (end time.Time, ok bool) {
	for _, m := range sourceDate.FindAllStringSubmatch(date, -1) {
		y, _ := strconv.Atoi(m[1])
		var t time.Time
		switch {
		case m[3] != "":
			mo, _ := strconv.Atoi(m[2])
			d, _ := strconv.Atoi(m[3])
			t = time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		case m[2] != "":
			mo, _ := strconv.Atoi(m[2])
			t = time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC)
		default:
			t = time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		if !ok || t.After(end) {
			end, ok = t, true
		}
	}
	return end, ok
}

// AgeMonths returns the whole months from the end of date (SourceEnd) to
// run: 2022-12-31 → 2026-11-29 is 46. ok is false when date holds no
// date.
func AgeMonths(date string, run time.Time) (months int, ok bool) {
	end, ok := SourceEnd(date)
	if !ok {
		return 0, false
	}
	months = (run.Year()-end.Year())*12 + int(run.Month()) - int(end.Month())
	if run.Day() < end.Day() && !lastDay(run) {
		months--
	}
	return max(months, 0), true
}

// lastDay reports whether t is the last day of its month.
func lastDay(t time.Time) bool { return t.AddDate(0, 0, 1).Month() != t.Month() }

// IsAdvisorSource reports whether a source describes the conseillers
// numériques (their posts, structures or places): its name starts with
// "cnfs" or names the conseillers.
func IsAdvisorSource(s data.Source) bool {
	n := strings.ToLower(s.Name)
	return strings.HasPrefix(n, "cnfs") || strings.Contains(n, "conseiller")
}

// staleAdvisorSources returns the French warnings of Synthèse: one per
// advisor source more than MaxAdvisorAgeMonths older than run.
func staleAdvisorSources(sources []data.Source, run time.Time) []string {
	var out []string
	for _, s := range sources {
		if !IsAdvisorSource(s) {
			continue
		}
		if m, ok := AgeMonths(s.Date, run); ok && m > MaxAdvisorAgeMonths {
			title := s.Title
			if title == "" {
				title = s.Name
			}
			out = append(out, fmt.Sprintf("Attention : les données « %s » datent de %s, soit %d mois avant ce diagnostic (plus de %d mois) : l'offre de conseillers numériques a pu changer depuis.",
				title, s.Date, m, MaxAdvisorAgeMonths))
		}
	}
	return out
}
