package report

import (
	"fmt"
	"math"
	"time"

	"diagnum/data"
	"diagnum/diag"
)

// fixtureDate is the generation date of the test workbooks.
var fixtureDate = time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)

// smallResult is a diagnostic written by hand, not computed: six real
// communes (codes, names, départements, régions and 2025 populations of
// the COG as in decoupage-administratif/communes.json; EPCI codes as
// published), with made-up measures chosen to exercise the report:
// leading-zero codes, a commune with no counted site within reach (+Inf time),
// an unknown fragility (NaN), an uncovered commune.
//
// Territory: département 01 (Ain), région 84; 03001 is in the région but
// not the département, 23001 in another région (75).
func smallResult() *diag.Result {
	inf := math.Inf(1)
	cs := []diag.CommuneResult{
		{Code: "01001", Name: "L'Abergement-Clémenciat", Dep: "01", Region: "84", EPCI: "200069193", Population: 860,
			NearestMin: 18.75, NearestSite: 0, Covered: true, Access10k: 2.5, Fragility: 42, Gap: 1.2, Rank: 3},
		{Code: "01002", Name: "L'Abergement-de-Varey", Dep: "01", Region: "84", EPCI: "240100883", Population: 270,
			NearestMin: 31.4, NearestSite: 0, Access10k: 0, Fragility: 61.5, Gap: 3.1, Rank: 1},
		// Per10k = 2 / 15934 × 10,000 = 1.255177607631480…; CSV 1.255178
		{Code: "01004", Name: "Ambérieu-en-Bugey", Dep: "01", Region: "84", EPCI: "240100883", Population: 15934,
			NbSites: 1, FTE: 2, Per10k: 2.0 / 15934 * 10000, NearestMin: 0, NearestSite: 0, Covered: true,
			Access10k: 1.0987654321, Fragility: math.NaN(), Gap: 0.4, Rank: 4},
		{Code: "01005", Name: "Ambérieux-en-Dombes", Dep: "01", Region: "84", EPCI: "200069193", Population: 1906,
			NearestMin: inf, NearestSite: -1, Access10k: 0, Fragility: 55.25, Gap: 2.75, Rank: 2},
		{Code: "03001", Name: "Abrest", Dep: "03", Region: "84", EPCI: "200071140", Population: 2915,
			NbSites: 1, FTE: 1, Per10k: 1.0 / 2915 * 10000, NearestMin: 0, NearestSite: 1, Covered: true,
			Access10k: 3, Fragility: 30, Gap: 0.1, Rank: 5},
		{Code: "23001", Name: "Ahun", Dep: "23", Region: "75", EPCI: "200034825", Population: 1394,
			NearestMin: 95, NearestSite: 1, Access10k: 0.5, Fragility: 70, Gap: 4, Rank: 6},
	}
	site := func(id, name string, k data.SiteKind, fte float64, commune string, counted bool, other float64) diag.SiteResult {
		s := diag.SiteResult{Site: data.Site{ID: id, Name: name, Kind: k, FTE: fte, Commune: commune, INSEE: commune,
			Source: "test", Date: "2025-06-30"}, Counted: counted, NearestOtherMin: other}
		if counted {
			s.SupplyFTE = fte
		}
		return s
	}
	r := &diag.Result{
		Params:   diag.Params{ThresholdMin: 30, Detour: 1.3, SpeedKmh: 50, Supply: []data.SiteKind{data.KindCNFS}},
		Communes: cs,
		Sites: []diag.SiteResult{
			site("s1", "Médiathèque d'Ambérieu", data.KindCNFS, 2, "01004", true, 95.5),
			site("s2", "Mairie d'Abrest", data.KindCNFS, 1, "03001", true, 95.5),
			site("s3", "Espace public numérique", data.KindMediation, 0, "01001", false, 18.75),
			site("s4", "France Services d'Ahun", data.KindFranceServices, 1, "23001", false, inf),
		},
	}
	r.EPCI = []diag.Rollup{
		rollupOf(cs, diag.LevelEPCI, "200034825", "CC Creuse Sud Ouest"),
		rollupOf(cs, diag.LevelEPCI, "200069193", "CC de la Dombes"),
		rollupOf(cs, diag.LevelEPCI, "200071140", "CA Vichy Communauté"),
		rollupOf(cs, diag.LevelEPCI, "240100883", "CC de la Plaine de l'Ain"),
	}
	r.Deps = []diag.Rollup{rollupOf(cs, diag.LevelDepartement, "01", "Ain"),
		rollupOf(cs, diag.LevelDepartement, "03", "Allier"), rollupOf(cs, diag.LevelDepartement, "23", "Creuse")}
	r.Regions = []diag.Rollup{rollupOf(cs, diag.LevelRegion, "75", "Nouvelle-Aquitaine"),
		rollupOf(cs, diag.LevelRegion, "84", "Auvergne-Rhône-Alpes")}
	r.France = rollupOf(cs, diag.LevelFrance, "", "France")
	// The checks of diag.Compute, in its words, kinds and subjects: s2
	// reaches nobody (made up), s3 declares 01002 but lies in 01001, 01005
	// has no location (as its +Inf time says).
	r.Checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckNoReach, Site: "s2", Err: &data.ParseError{
		File: "sites (test)", Column: "code_insee",
		Err: fmt.Errorf("%w : le lieu s2 n'atteint aucune population en 30 minutes : R_j = 0", data.ErrBadValue)}})
	r.Checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckPlacement, Site: "s3", Err: &data.ParseError{
		File: "sites.csv", Line: 7, Column: "code_insee",
		Err: fmt.Errorf("%w : le lieu s3 déclare le code INSEE 01002 (code actuel 01002) mais se trouve dans la commune 01001", data.ErrBadValue)}})
	r.Checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckNoLocation, Commune: "01005", Err: &data.ParseError{
		File: "communes", Column: "code_insee",
		Err: fmt.Errorf("%w : la commune 01005 n'a ni point ni contour : pas de temps de trajet, non couverte, accès 0", data.ErrBadCoordinate)}})
	return r
}

// rollupOf aggregates the communes of cs in the area, with the formulas
// documented on diag.Rollups (a test-side copy: the report only shows
// roll-ups, it does not compute them).
func rollupOf(cs []diag.CommuneResult, level, code, name string) diag.Rollup {
	r := diag.Rollup{Level: level, Code: code, Name: name}
	var acc float64
	for i := range cs {
		c := &cs[i]
		if !rollupContains(&r, c) {
			continue
		}
		r.Population += c.Population
		r.Communes++
		r.NbSites += c.NbSites
		r.FTE += c.FTE
		if c.Covered {
			r.CoveredPop += c.Population
		}
		acc += float64(c.Population) * c.Access10k
	}
	r.Uncovered = r.Population - r.CoveredPop
	if r.Population > 0 {
		r.Per10k = r.FTE / float64(r.Population) * 10000
		r.Coverage = float64(r.CoveredPop) / float64(r.Population)
		r.MeanAccess10k = acc / float64(r.Population)
	}
	return r
}

// smallInput is the report input of département 01 over smallResult:
// its communes in rank order 01002, 01005, 01001, 01004.
func smallInput() Input {
	in := Input{
		View: smallView(diag.Departements("01")),
		Sources: []data.Source{
			{Name: "cog", Title: "Découpage administratif", Producer: "INSEE, Etalab", Date: "2025-01-01",
				Licence: "Licence Ouverte 2.0", Attribution: "INSEE, Code officiel géographique 2025", File: "communes.csv.gz"},
			{Name: "cnfs", Title: "Conseillers numériques", Producer: "ANCT", Date: "2025-06-30",
				Licence: "Licence Ouverte 2.0", Attribution: "ANCT, cartographie nationale", File: "sites.csv.gz"},
		},
		Version: "v0.1.0-test", Date: fixtureDate, Dataset: smallDataset(),
	}
	in.Checks.Reject(&data.ParseError{File: "sites.csv", Line: 12, Column: "latitude",
		Err: fmt.Errorf("%w: %q", data.ErrBadNumber, "4S,2")})
	in.Checks.Reject(&data.ParseError{File: "indicateurs.csv", Err: data.ErrEmptyFile})
	return in
}

// smallDataset holds the QPV and FRR flags of smallResult's communes, as
// in the shared files: anct-zonages-2025/qpv2024_qpv_communes.csv lists
// QN00103M "Les Courbes De L'Albarine" in 01004 and no QPV in the five
// others; frr-2025/frr_communes_subset.csv classifies 23001 (codefrr 5)
// and covers neither the Ain nor the Allier (FRR unknown there).
func smallDataset() *data.Dataset {
	ind := data.NewIndicators(data.ColQPV, data.ColFRR)
	qpv, frr := ind.Column(data.ColQPV), ind.Column(data.ColFRR)
	for _, code := range []string{"01001", "01002", "01004", "01005", "03001", "23001"} {
		v := 0.0
		if code == "01004" {
			v = 1
		}
		ind.Set(code, qpv, v)
	}
	ind.Set("23001", frr, 1)
	return &data.Dataset{Indicators: ind}
}

// smallView is the view of t over smallResult (diag.Result.View): for
// département 01 its communes in rank order 01002, 01005, 01001, 01004
// (Gap 3.1, 2.75, 1.2, 0.4), the Ain's roll-up, the région 84's and
// France's.
func smallView(t diag.Territory) diag.View {
	v, err := smallResult().View(t)
	if err != nil {
		panic(err)
	}
	return *v
}

// franceInput is the France-level report input over smallResult, with
// the départements and régions ranked: communes by Gap 4, 3.1, 2.75,
// 1.2, 0.4, 0.1.
func franceInput() Input {
	in := smallInput()
	in.View = smallView(diag.France())
	return in
}

// rollupContains reports whether commune c belongs to the area of r.
func rollupContains(r *diag.Rollup, c *diag.CommuneResult) bool {
	switch r.Level {
	case diag.LevelEPCI:
		return c.EPCI == r.Code
	case diag.LevelDepartement:
		return c.Dep == r.Code
	case diag.LevelRegion:
		return c.Region == r.Code
	}
	return r.Level == diag.LevelFrance
}
