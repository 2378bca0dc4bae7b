package diag

import (
	"diagnum/data"
	"diagnum/geo"
)

// Params are the parameters of a diagnostic. Zero fields take the
// documented defaults through Defaults.
type Params struct {
	ThresholdMin float64 // coverage threshold and E2SFCA catchment d0, minutes (default 30)
	Detour       float64 // travel-time model detour factor (default 1.3)
	SpeedKmh     float64 // travel-time model speed, km/h (default 50)
	// Supply lists the site kinds that count as supply (default cnfs
	// only; the command's default is every kind, data.Kinds).
	Supply []data.SiteKind
	// FTEPerSite overrides the FTE of every site of a kind (default
	// France Services 1, mediation 0.5, autre 0.5: DefaultFTEFranceServices…).
	// A kind absent from the map keeps the FTE of its rows.
	FTEPerSite map[data.SiteKind]float64
	// Weights are the user's weights of the fragility index per indicator
	// column (lower case), overriding DefaultWeights; nil = none.
	Weights map[string]float64
	// Timer replaces the travel-time model (e.g. OSRM); nil = the model.
	Timer geo.TravelTimer
	// Method is the accessibility method (zero value E2SFCA, see Method).
	Method Method
	// Decay is the distance-decay kernel (zero value Gaussian, see Decay).
	Decay Decay
	// Normalize divides every access A_i by the population-weighted mean
	// access of all loaded communes (see Method).
	Normalize bool
}

// CommuneResult holds the measures of one commune. Field comments give
// the CSV column names.
type CommuneResult struct {
	Code        string  // code_insee
	Name        string  // nom
	Dep         string  // code_departement
	Region      string  // code_region
	EPCI        string  // code_epci
	Population  int     // population
	NbSites     int     // nb_sites: counted sites located in the commune
	FTE         float64 // etp_conseillers: FTE located in the commune
	FTECNFS     float64 // etp_cnfs: FTE of the conseiller-numérique sites alone (AdvisorFTE), counted or not
	Per10k      float64 // conseillers_pour_10k = FTE / population × 10,000 (0 when population is 0)
	NearestMin  float64 // temps_site_proche_min (+Inf when no counted site exists, or the commune has neither point nor polygon)
	NearestSite int     // index in Result.Sites of the nearest counted site, -1 if none
	Covered     bool    // couvert: NearestMin <= threshold
	// Share is the covered share of the population of the commune's
	// demand-layer units (Baseline.ApplyDemand), meaningful when
	// DemandUnits > 0; CoveredShare gives part_couverte in every case.
	Share float64
	// DemandUnits is the number of demand-layer units measured for the
	// commune (0: measured at its representative point).
	DemandUnits int
	Access10k   float64 // acces_e2sfca_pour_10k = A_i × 10,000
	Fragility   float64 // indice_fragilite, 0–100 (NaN when no indicator is known)
	Gap         float64 // score_ecart
	Rank        int     // rang within the reported territory, 1 = most under-covered; 0 = not ranked (NoGeography)
	// NoGeography marks a commune of an overseas collectivity (COM, zone
	// "com": 975, 977, 978, 98x), which has neither point nor polygon:
	// its measures are not computed (Gap 0, Fragility NaN), it takes no
	// part in any ranking or roll-up, and reports show it apart
	// (Result.COM).
	NoGeography bool
}

// SiteResult is a site with its assigned commune and supply figures.
type SiteResult struct {
	data.Site
	Counted         bool    // its kind counts as supply
	SupplyFTE       float64 // S_j used in the measures (0 when not counted)
	R               float64 // E2SFCA supply-to-demand ratio R_j
	ReachPop        float64 // Σ_k P_k·W(t_kj)
	NearestOtherMin float64 // travel time to the nearest other counted site (+Inf if none)
}

// Rollup is the aggregate of a set of communes (EPCI, département, région, France).
type Rollup struct {
	Level         string // "epci", "departement", "region", "france"
	Code          string
	Name          string
	Population    int
	Communes      int
	NbSites       int
	FTE           float64
	Per10k        float64 // FTE / population × 10,000
	CoveredPop    int
	Coverage      float64 // CoveredPop / Population
	Uncovered     int     // Population − CoveredPop
	MeanAccess10k float64 // population-weighted mean of Access10k
}

// Result is a whole diagnostic.
type Result struct {
	Params   Params
	Communes []CommuneResult // all communes, in data order (sorted by code)
	Sites    []SiteResult
	EPCI     []Rollup
	Deps     []Rollup
	Regions  []Rollup
	France   Rollup
	// COM sums the communes of the overseas collectivities (NoGeography),
	// kept out of every other roll-up: Population and Communes only.
	COM    Rollup
	Checks data.Checks // sites with an empty catchment, code/polygon disagreements, …
	// Indicators tells, for every indicator column of the data, its
	// coverage and its part in the fragility index (Fragility.Uses).
	Indicators []IndicatorUse
}

// CoveredShare returns part_couverte, the share of the commune's
// population within the threshold (0–1): Share when the commune was
// measured on a demand layer (DemandUnits > 0), else 1 or 0 from Covered.
func (c *CommuneResult) CoveredShare() float64 {
	switch {
	case c.DemandUnits > 0:
		return c.Share
	case c.Covered:
		return 1
	}
	return 0
}
