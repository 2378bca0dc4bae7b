package source

import (
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"

	"github.com/paulmach/orb"
)

// TestLoadStandardLieux reads the extract of data·inclusion's national
// file (testdata/lieux-standard, 22 objects, counted with python3): 19
// lieux of postcodes 352xx (cd35 9, dora 1, conseiller-numerique 9), 2
// siao lieux without coordinates, 1 Hinaura lieu. Skipping the sources
// the embedded data already hold (conseiller-numerique, Hinaura) leaves
// the 10 cd35 and dora lieux, all mediation, and 2 rejections.
func TestLoadStandardLieux(t *testing.T) {
	const file = "../../testdata/lieux-standard/lieux_352.json"
	open := func() *os.File {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	sites, checks, err := LoadStandardLieux("lieux.json", open(), StandardDuplicateSources)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 10 {
		t.Fatalf("got %d sites, want 10", len(sites))
	}
	for _, s := range sites {
		if s.Kind != data.KindMediation || s.Source != SourceStandard || !strings.HasPrefix(s.ID, "std-") || s.FTE != 0 {
			t.Errorf("site %+v: want a mediation site std-… of source %s, FTE 0", s, SourceStandard)
		}
	}
	first := sites[0]
	if first.ID != "std-cd35-1595" || first.INSEE != "35238" || first.Name != "Collectif Handicap 35 - Rennes" ||
		first.Point[1] != 48.0836757184 {
		t.Errorf("first site %+v", first)
	}
	rejected, skipWarn := 0, 0
	for _, c := range checks {
		switch {
		case c.Severity == data.Rejected && errors.Is(c.Err, data.ErrBadCoordinate):
			rejected++
			if c.Err.Line != 20 && c.Err.Line != 21 {
				t.Errorf("rejection at object %d, want 20 or 21 (siao)", c.Err.Line)
			}
		case errors.Is(c.Err, data.ErrDuplicate) && strings.Contains(c.Err.Error(), "conseiller-numerique : 9, Hinaura : 1"):
			skipWarn++
		}
	}
	if rejected != 2 || skipWarn != 1 {
		t.Errorf("checks %v: want 2 rejections (no coordinates) and 1 skip count", checks)
	}
	// Without skip, the 9 advisors' places come in as cnfs (labels CNFS).
	all, _, err := LoadStandardLieux("lieux.json", open(), nil)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[data.SiteKind]int{}
	for _, s := range all {
		kinds[s.Kind]++
	}
	if len(all) != 20 || kinds[data.KindCNFS] != 9 || kinds[data.KindMediation] != 11 {
		t.Errorf("without skip: %d sites, kinds %v; want 20: 9 cnfs, 11 mediation", len(all), kinds)
	}
}

// TestStandardKind: the national labels give the kind.
func TestStandardKind(t *testing.T) {
	for labels, want := range map[string]data.SiteKind{
		"": data.KindMediation, "CNFS": data.KindCNFS, "CNFS;France Services": data.KindCNFS,
		"Aidants Connect;France Services": data.KindFranceServices, "Aidants Connect": data.KindMediation,
	} {
		if got := standardKind(labels); got != want {
			t.Errorf("standardKind(%q) = %v, want %v", labels, got, want)
		}
	}
}

func FuzzLoadStandardLieux(f *testing.F) {
	fuzztest.Seed(f, "../../testdata/lieux-standard", "lieux_352.json")
	f.Add([]byte(`[{"id":"a","source":"Hinaura"},{"id":"b","labels_nationaux":["CNFS"],"latitude":48.1,"longitude":"-1,6"}]`))
	fuzzLieux(f, func(n string, r io.Reader) ([]data.Site, data.Checks, error) {
		return LoadStandardLieux(n, r, StandardDuplicateSources)
	})
}

// TestLoadStandardLieuxAt: the 2 siao lieux of the extract give no
// coordinates but declare Toulouse (31555): with a locator that knows
// Toulouse they are kept at its point, each named in a Warning of kind
// CheckCommunePoint at its object (20, 21); with one that knows nothing
// they are rejected as before.
func TestLoadStandardLieuxAt(t *testing.T) {
	const file = "../../testdata/lieux-standard/lieux_352.json"
	toulouse := orb.Point{1.4437, 43.6045}
	for _, knows := range []bool{true, false} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		var asked []string
		locate := func(insee, postcode, city string) (string, orb.Point, bool) {
			asked = append(asked, insee+" "+postcode+" "+city)
			return "31555", toulouse, knows && insee == "31555"
		}
		sites, checks, err := LoadStandardLieuxAt("lieux.json", f, StandardDuplicateSources, locate)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"31555 31300 Toulouse", "31555 31400 Toulouse"}; !slices.Equal(asked, want) {
			t.Errorf("asked %q, want %q", asked, want)
		}
		placed := map[int]bool{}
		for _, c := range checks {
			if c.Kind == data.CheckCommunePoint && c.Severity == data.Warning && c.Commune == "31555" &&
				strings.Contains(c.Err.Error(), "placé au chef-lieu de sa commune 31555, pas de coordonnées") {
				placed[c.Err.Line] = true
			}
		}
		var atToulouse []string
		for _, s := range sites {
			if s.Point == toulouse && s.INSEE == "31555" {
				atToulouse = append(atToulouse, s.ID)
			}
		}
		switch {
		case knows && (len(sites) != 12 || !slices.Equal(atToulouse, []string{"std-siao-1000", "std-siao-1002"}) || !placed[20] || !placed[21] || checks.Count(data.Rejected) != 0):
			t.Errorf("locator knows Toulouse: %d sites (want 12), at Toulouse %v, warnings at %v, %d rejected", len(sites), atToulouse, placed, checks.Count(data.Rejected))
		case !knows && (len(sites) != 10 || len(placed) != 0 || checks.Count(data.Rejected) != 2):
			t.Errorf("locator knows nothing: %d sites (want 10), %d placed, %d rejected (want 2)", len(sites), len(placed), checks.Count(data.Rejected))
		}
	}
}
