package data

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// Commune is a commune actuelle of the Code officiel géographique.
type Commune struct {
	Code       string           // INSEE code, 5 characters ("01001", "2A004", "97411")
	Name       string           // official name
	Dep        string           // département code ("01", "2A", "974")
	Region     string           // région code ("84")
	EPCI       string           // SIREN of the EPCI, "" when the commune belongs to none
	Zone       string           // "metro", "drom" or "com"
	Population int              // legal municipal population (COG)
	Point      orb.Point        // representative point, WGS84 lon/lat
	HasPoint   bool             // false when no point is known
	Polygon    orb.MultiPolygon // nil when no polygon is loaded
}

// The zones of a commune (Commune.Zone).
const (
	ZoneMetro = "metro" // metropolitan France
	ZoneDROM  = "drom"  // overseas départements and régions (971–976)
	ZoneCOM   = "com"   // overseas collectivities (975, 977, 978, 98x): no geography
)

// Departement is a French département.
type Departement struct {
	Code     string
	Name     string
	Region   string
	ChefLieu string // INSEE code of the prefecture commune
}

// Region is a French région.
type Region struct {
	Code string
	Name string
}

// EPCI is an établissement public de coopération intercommunale.
type EPCI struct {
	Code    string // SIREN
	Name    string
	Kind    string   // CC, CA, CU, METRO, MET69
	Members []string // INSEE codes of member communes
}

// SiteKind is the kind of a place where people get digital help.
type SiteKind uint8

// The kinds of sites. Their text form is the `type` column of the sites CSV.
const (
	KindUnknown        SiteKind = iota
	KindCNFS                    // conseiller numérique (France Services) place
	KindFranceServices          // France Services site
	KindMediation               // lieu de médiation numérique
	KindOther                   // any other place
)

// Kinds lists the valid kinds in their canonical order.
var Kinds = []SiteKind{KindCNFS, KindFranceServices, KindMediation, KindOther}

// String returns the code used in files: cnfs, france-services, mediation, autre.
func (k SiteKind) String() string {
	switch k {
	case KindCNFS:
		return "cnfs"
	case KindFranceServices:
		return "france-services"
	case KindMediation:
		return "mediation"
	case KindOther:
		return "autre"
	}
	return "inconnu"
}

// Label returns the French label shown in reports.
func (k SiteKind) Label() string {
	switch k {
	case KindCNFS:
		return "Conseiller numérique"
	case KindFranceServices:
		return "France Services"
	case KindMediation:
		return "Lieu de médiation numérique"
	case KindOther:
		return "Autre"
	}
	return "Inconnu"
}

// sitesKindAliases maps folded type texts (lower case, no accents, spaces
// and underscores as '-') to kinds, beyond the canonical codes.
var sitesKindAliases = map[string]SiteKind{
	"conseiller-numerique": KindCNFS, "conseillers-numeriques": KindCNFS, "cnfs": KindCNFS,
	"france-services": KindFranceServices, "france-service": KindFranceServices,
	"franceservices": KindFranceServices, "fs": KindFranceServices,
	"mediation": KindMediation, "mediation-numerique": KindMediation,
	"lieu-de-mediation-numerique": KindMediation,
	"autre":                       KindOther, "other": KindOther,
}

// ParseKind parses a kind of site, wherever one is written: the `type`
// column of a sites file and the command's --supply and --etp. It accepts
// the codes of SiteKind.String and a few spellings found in real files,
// case and accents ignored: "CNFS", "Conseiller numérique", "France
// Services", "France_Services", "FS", "Médiation numérique", "Lieu de
// médiation numérique", "other".
func ParseKind(s string) (SiteKind, bool) {
	if k, ok := sitesKindAliases[s]; ok { // already a key (the embedded sites): no folding
		return k, true
	}
	key := strings.Join(strings.FieldsFunc(frFold(s), func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "-")
	k, ok := sitesKindAliases[key]
	return k, ok
}

// Site is a place where people can meet a digital advisor.
type Site struct {
	ID   string
	Name string
	Kind SiteKind
	// Placed marks an embedded site whose Commune is the assignment that
	// make data stored (sites_communes.csv.gz): diag.Assign keeps it, and
	// the check of Dataset.Placements, when the data set's PlacedSites is
	// set. Loaders of user files never set it. (Beside Kind, the two
	// bytes share one word of the struct.)
	Placed   bool
	Point    orb.Point // WGS84 lon/lat
	FTE      float64   // advisor full-time equivalents located here (0 = access point only)
	INSEE    string    // declared INSEE commune code, "" if none
	Postcode string    // declared postcode, "" if none
	SIRET    string    // host structure SIRET, "" if unknown
	Source   string    // short source name (see Sources)
	Date     string    // date of the record, YYYY-MM-DD, "" if unknown
	Commune  string    // INSEE code assigned by the spatial join ("" before)
	// Line is where the record stands in its source file, for the checks:
	// the line of a CSV record or where a GeoJSON feature starts; 0 when
	// unknown (it is not written by WriteSitesCSV).
	Line int
}

// SameRecord reports whether s and o are the same site, wherever each was
// read: every field but Line.
func (s Site) SameRecord(o Site) bool {
	s.Line = o.Line
	return s == o
}

// Indicators is a per-commune table of named numeric columns. A missing
// value is NaN and stays missing: it is never read as 0.
type Indicators struct {
	Columns []string // column names, in order
	// Stored by column: vals[col][row] is the value of the commune of
	// that row (NaN when missing); row maps INSEE codes to rows. A reader
	// resolves a commune's row once (Rows) and then reads plain arrays.
	row  map[string]int32
	vals [][]float64
}

// NewIndicators returns an empty table with the given columns.
func NewIndicators(columns ...string) *Indicators {
	return &Indicators{Columns: append([]string(nil), columns...), row: map[string]int32{},
		vals: make([][]float64, len(columns))}
}

// Column returns the index of the named column, or -1.
func (t *Indicators) Column(name string) int {
	for i, c := range t.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

// AddColumn adds a column (all values missing) and returns its index. An
// existing column of that name is returned as is.
func (t *Indicators) AddColumn(name string) int {
	if i := t.Column(name); i >= 0 {
		return i
	}
	t.Columns = append(t.Columns, name)
	t.vals = append(t.vals, nanSlice(len(t.row)))
	return len(t.Columns) - 1
}

// nanSlice returns n NaNs.
func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

// rowOf returns the row of code, adding one (all values missing) when
// the code has none.
func (t *Indicators) rowOf(code string) int32 {
	if t.row == nil {
		t.row = map[string]int32{}
	}
	r, ok := t.row[code]
	if !ok {
		r = int32(len(t.row))
		t.row[code] = r
		for c := range t.vals {
			t.vals[c] = append(t.vals[c], math.NaN())
		}
	}
	return r
}

// Set stores v for commune code in column col (an index from Column).
func (t *Indicators) Set(code string, col int, v float64) {
	r := t.rowOf(code)
	for len(t.vals) <= col {
		t.vals = append(t.vals, nanSlice(len(t.row)))
	}
	t.vals[col][r] = v
}

// Get returns the value of column col for commune code, and false when it is missing.
func (t *Indicators) Get(code string, col int) (float64, bool) {
	r, ok := t.row[code]
	if !ok {
		return math.NaN(), false
	}
	return t.At(r, col)
}

// Rows returns the row of each code (-1 for a code without values), for
// At: one map lookup per commune instead of one per value read.
func (t *Indicators) Rows(codes []string) []int32 {
	rows := make([]int32, len(codes))
	for i, c := range codes {
		rows[i] = t.Row(c)
	}
	return rows
}

// Row returns the row of code for At, -1 when it has no values.
func (t *Indicators) Row(code string) int32 {
	if r, ok := t.row[code]; ok {
		return r
	}
	return -1
}

// At returns the value of column col in row r (from Rows), and false when
// it is missing (r < 0, col out of range, NaN).
func (t *Indicators) At(r int32, col int) (float64, bool) {
	if r < 0 || col < 0 || col >= len(t.vals) || int(r) >= len(t.vals[col]) || math.IsNaN(t.vals[col][r]) {
		return math.NaN(), false
	}
	return t.vals[col][r], true
}

// Codes returns the number of communes with at least one row.
func (t *Indicators) Len() int { return len(t.row) }

// Source describes one input data set, for the Sources sheet.
type Source struct {
	Name        string // short name, e.g. "france-services"
	Title       string // French title
	Producer    string
	Date        string // date or vintage of the data
	Licence     string
	Attribution string
	File        string
}

// Reference is a published figure the embedded data can be checked
// against (the « Validation des données » sheet), with where it comes from.
type Reference struct {
	Territory string  // département code, or "France"
	Measure   string  // e.g. "postes_cnfs": advisor posts granted
	Value     float64 // the published figure
	Source    string  // who published it, and in which document
	Date      string  // date of the figure, YYYY-MM-DD
	Note      string  // how to read it, or why the embedded figure may differ
}

// Placement is where diag.Assign places a site, and the check that
// placement gives; make data stores it for the embedded sites.
type Placement struct {
	Commune string     // INSEE code; "" when the site is refused
	Check   PlaceCheck // PlaceOK when the placement gives no check
	// Declared is, for PlaceDisagree, the commune actuelle of the site's
	// declared code ("" when it names none).
	Declared string
	// Km is, for PlaceOffshore, the distance to the polygon of Commune.
	Km float64
}

// PlaceCheck is the check a placement gives (see diag.Assign).
type PlaceCheck uint8

// The checks of a placement; their names are the controle column of
// sites_communes.csv.gz.
const (
	PlaceOK       PlaceCheck = iota // no check
	PlaceDisagree                   // the polygon's commune is not the declared one
	PlaceNearest                    // declared code unknown: commune of the nearest point
	PlaceOffshore                   // in no polygon, within diag.OffshoreKm of one
	PlaceOutside                    // in no polygon and far from all: refused
	PlaceUnplaced                   // no usable point nor known code: refused
)

var placeCheckNames = [...]string{"", "contour", "code-inconnu", "cote", "hors-france", "non-place"}

// String is the name of the check in sites_communes.csv.gz.
func (c PlaceCheck) String() string {
	if int(c) < len(placeCheckNames) {
		return placeCheckNames[c]
	}
	return fmt.Sprintf("PlaceCheck(%d)", c)
}

// Dataset is everything a diagnostic needs.
type Dataset struct {
	Communes     []Commune // sorted by Code
	Departements []Departement
	Regions      []Region
	EPCIs        []EPCI
	Sites        []Site
	Indicators   *Indicators
	// Renamed maps codes that are no longer communes actuelles (merged
	// communes, arrondissements municipaux) to the current commune.
	Renamed map[string]string
	Sources []Source
	// PolygonsTileFrance is true when the commune polygons cover all of
	// France (the embedded national set): a point in none of them is off
	// a coast, in a sliver between them, or abroad (see diag.Assign).
	PolygonsTileFrance bool
	// PlacedSites is true when the Commune of the sites marked Placed was
	// assigned by make data against these very Communes, polygons and
	// Renamed codes (LoadDir of the embedded set): diag.Assign then keeps
	// it instead of placing the site again. Whoever changes the communes,
	// their polygons or Renamed must clear it.
	PlacedSites bool
	// Placements are the stored placements of the Placed sites whose
	// placement gives a check, by site ID (the others give none).
	Placements map[string]Placement
	// References are the published figures to check the data against
	// (references.csv of the embedded set; nil when absent).
	References []Reference
	Checks     Checks
	// SiteChecks are the checks about Sites found when the embedded sites
	// were made from their source files; they go with the sites when a
	// user replaces them.
	SiteChecks Checks
}

// The columns of the per-commune indicator table built by source.BuildIndicators
// (make data) and read back from the embedded indicateurs.csv.gz.
//
//	column        meaning                                          source                                   unit
//	nb_qpv        number of distinct quartiers prioritaires (QPV)  ANCT QPV 2024 list by commune            count ≥ 0
//	              touching the commune
//	qpv           1 when the commune has at least one QPV, else 0  same                                     0/1
//	frr           1 when classified France Ruralités               ANCT Observatoire des territoires, FRR   0/1
//	              Revitalisation (codefrr ≠ 0), else 0             2025 (only the départements listed)
//	densite       INSEE grille communale de densité, 7 levels      ANCT / INSEE grille de densité, COG 2025 ordinal 1–7
//	              (1 = grands centres urbains … 7 = rural à
//	              habitat très dispersé, see source.DensityLevels)
//	taux_chomage  unemployed / labour force, aged 15–64            INSEE comparateur de territoires 2021    ratio 0–1
//	                                                               (communes-points-2024)
//	ifn_score     Indice de fragilité numérique, base 100 =        La MedNum IFN 2020 (user-supplied only)  index
//	              régional average, > 100 = more fragile
//	part_65_plus  share of inhabitants aged 65 and over            INSEE RP 2016 via La MedNum IFN 2020     ratio 0–1
//
// nb_qpv and qpv are 0, a true zero, for every commune of metropolitan
// France and the DROM absent from the QPV list: that list is national
// (every QPV of the 2024 decree that has a commune), so a commune missing
// from it has no QPV. They stay missing for the collectivités d'outre-mer,
// which the list does not cover. frr, by contrast, is missing (never 0)
// for a commune not in the FRR file, since the file covers a subset of
// départements. The other columns are missing where their source has no
// value.
const (
	ColNbQPV       = "nb_qpv"
	ColQPV         = "qpv"
	ColFRR         = "frr"
	ColDensite     = "densite"
	ColTauxChomage = "taux_chomage"
	ColIFNScore    = "ifn_score"
	ColPart65Plus  = "part_65_plus"
)
