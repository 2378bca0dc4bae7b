package diag

import (
	"errors"
	"os"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/testmust"
	"diagnum/internal/testnum"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// creuseDataset builds département 23 from the real extracts: communes,
// populations (2021) and points from testdata/real/communes-points.csv,
// polygons (COG 2018) from testdata/real/communes-23-creuse.geojson, and
// the 21 France Services sites of testdata/sites-real/fs_23.csv (see the
// PROVENANCE.md of both folders). It reads the files with data.ReadTable
// and orb/geojson only, so that it does not depend on the loaders.
func creuseDataset(t *testing.T) *data.Dataset {
	t.Helper()
	ds := &data.Dataset{}
	pts := readTable(t, "real/communes-points.csv")
	col := tableCols(t, pts, "insee_com", "insee_dep", "insee_reg", "nom", "lat", "lng", "population_2021")
	for _, r := range pts.Records {
		if r.Field(col[1]) != "23" {
			continue
		}
		ds.Communes = append(ds.Communes, data.Commune{Code: r.Field(col[0]), Dep: "23", Region: r.Field(col[2]),
			Name: r.Field(col[3]), Point: orb.Point{testnum.Float(t, r.Field(col[5])), testnum.Float(t, r.Field(col[4]))}, HasPoint: true,
			Population: int(testnum.Float(t, r.Field(col[6])))})
	}
	raw, err := os.ReadFile("../testdata/real/communes-23-creuse.geojson")
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatal(err)
	}
	byCode := communeIndex(ds)
	for _, f := range fc.Features {
		i, ok := byCode[f.Properties.MustString("code", "")]
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			if ok {
				ds.Communes[i].Polygon = orb.MultiPolygon{g}
			}
		case orb.MultiPolygon:
			if ok {
				ds.Communes[i].Polygon = g
			}
		}
	}
	fs := readTable(t, "sites-real/fs_23.csv")
	col = tableCols(t, fs, "id_fs", "insee_com", "latitude", "longitude", "lib_fs")
	for _, r := range fs.Records {
		ds.Sites = append(ds.Sites, data.Site{ID: r.Field(col[0]), Name: r.Field(col[4]), Kind: data.KindFranceServices,
			INSEE: r.Field(col[1]), Point: orb.Point{testnum.Float(t, r.Field(col[3])), testnum.Float(t, r.Field(col[2]))}, Source: "france-services"})
	}
	return ds
}

// readTable reads rel, in the repository's testdata folder, with
// data.ReadTable.
func readTable(t *testing.T, rel string) *data.Table {
	t.Helper()
	f := openFixture(t, rel)
	tab, err := data.ReadTable(f.Name(), f)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func tableCols(t *testing.T, tab *data.Table, names ...string) []int {
	t.Helper()
	return testmust.Value(tab.Require(names...))(t)
}

// TestCreuseReal runs the measures on Creuse with its 21 France Services
// sites (1 FTE each) and a 15-minute threshold. The expected figures were
// computed with an independent python3 script (csv/json modules, math)
// on the same files: haversine (R = 6371.0088 km) × 1.3 / 50 × 60,
// even-odd ring test for the polygons, the Gaussian kernel and E2SFCA as
// documented:
//
//	256 communes (insee_dep = 23), 115,702 inhabitants (population_2021)
//	21 sites, every one inside the polygon of its declared commune (0
//	disagreements), 20 communes with a site
//	covered population 85,415; 53 communes beyond 15 minutes
//	Boussac (23031): A × 1e4 = 3.354897667813659, nearest 0.6097165355685725 min
//	Guéret (23096): nearest 16.407513643152605 min → A = 0, not covered
//	every site reaches someone (smallest Σ P·W = 836.56), so the mean
//	access is 21 / 115,702 × 1e4 = 1.8150075193168658
func TestCreuseReal(t *testing.T) {
	ds := creuseDataset(t)
	p := Params{ThresholdMin: 15, Supply: []data.SiteKind{data.KindFranceServices}}
	res, _ := againstNaive(t, ds, p)
	fr := res.France
	if fr.Communes != 256 || fr.Population != 115702 || fr.NbSites != 21 || fr.FTE != 21 || fr.CoveredPop != 85415 {
		t.Errorf("France = %+v", fr)
	}
	if len(res.Checks) != 0 {
		t.Errorf("checks: %v", res.Checks)
	}
	withSite, uncovered := 0, 0
	for _, c := range res.Communes {
		if c.NbSites > 0 {
			withSite++
		}
		if !c.Covered {
			uncovered++
		}
	}
	if withSite != 20 || uncovered != 53 {
		t.Errorf("%d communes with a site, %d uncovered; want 20, 53", withSite, uncovered)
	}
	idx := communeIndex(ds)
	b, g := res.Communes[idx["23031"]], res.Communes[idx["23096"]]
	if !closeRel(b.Access10k, 3.354897667813659, 1e-9) || !closeRel(b.NearestMin, 0.6097165355685725, 1e-9) || !b.Covered {
		t.Errorf("Boussac = %+v", b)
	}
	if g.Access10k != 0 || g.Covered || !closeRel(g.NearestMin, 16.407513643152605, 1e-9) {
		t.Errorf("Guéret = %+v", g)
	}
	if !closeRel(fr.MeanAccess10k, 1.8150075193168658, 1e-9) {
		t.Errorf("mean access %v", fr.MeanAccess10k)
	}
}

// TestCreuseDisagreement moves the declared code of a real site: the
// polygon wins and the disagreement is a Warning naming both codes.
func TestCreuseDisagreement(t *testing.T) {
	ds := creuseDataset(t)
	declared := ds.Sites[0].INSEE // 23031, Boussac
	ds.Sites[0].INSEE = "23096"
	sites, checks := Assign(ds)
	if sites[0].Commune != declared || len(checks) != 1 || checks[0].Severity != data.Warning {
		t.Fatalf("site in %s, checks %v", sites[0].Commune, checks)
	}
	want := "le lieu 137 déclare le code INSEE 23096 (code actuel 23096) mais se trouve dans la commune 23031"
	if got := checks[0].Err.Error(); !errors.Is(checks[0].Err, data.ErrBadValue) || !strings.HasPrefix(got, "sites (france-services)") || !strings.HasSuffix(got, want) {
		t.Errorf("check = %q\nwant %q in file sites (france-services)", got, want)
	}
}
