package source

import (
	"errors"
	"os"
	"strings"
	"testing"

	"diagnum/data"
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
	if first.ID != "std-1595" || first.INSEE != "35238" || first.Name != "Collectif Handicap 35 - Rennes" ||
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
	if b, err := os.ReadFile("../../testdata/lieux-standard/lieux_352.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`[{"id":"a","source":"Hinaura"},{"id":"b","labels_nationaux":["CNFS"],"latitude":48.1,"longitude":"-1,6"}]`))
	fuzzLieux(f, func(n string, r *strings.Reader) ([]data.Site, data.Checks, error) {
		return LoadStandardLieux(n, r, StandardDuplicateSources)
	})
}
