package main

import (
	"strings"
	"testing"
)

// TestPlanCandidatesGeoJSON: a GeoJSON --candidates file is told by its
// content even under a name that says nothing (issue 17: it was read as
// CSV, « bare " »); its candidate in Paris, outside Creuse, is refused
// and counted, and the post goes to one of the two Creuse candidates.
func TestPlanCandidatesGeoJSON(t *testing.T) {
	cands := writeTemp(t, "candidats.txt", `{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[1.8717,46.1713]},"properties":{"id":"gueret","nom":"Guéret","type":"cnfs"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[2.0672,45.9571]},"properties":{"id":"aubusson","nom":"Aubusson","type":"cnfs"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[2.3522,48.8566]},"properties":{"id":"paris","nom":"Paris","type":"cnfs"}}
]}`)
	stderr, err := run(t, "plan", "--dept", "23", "--add", "1", "--candidates", cands, "--csv", "plan.csv", "--out", "-")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	rows := readPlanCSV(t, "plan.csv")
	if len(rows) != 1 || rows[0]["id"] != "gueret" && rows[0]["id"] != "aubusson" {
		t.Errorf("plan.csv %v, want one post at a Creuse candidate", rows)
	}
	if !strings.Contains(stderr, "candidats.txt : 1 lieu(x) refusé(s) (hors du territoire") {
		t.Errorf("console %q does not count the candidate outside the territory", stderr)
	}
}
