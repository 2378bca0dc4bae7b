package diag

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"diagnum/data"
	"diagnum/geo"
)

// Sentinel errors of the package, for errors.Is.
var (
	// ErrBadParams reports parameters that cannot be used (negative or
	// non-finite threshold, speed or detour).
	ErrBadParams = errors.New("paramètres incorrects")
	// ErrUnknownTerritory reports a territory code with no commune.
	ErrUnknownTerritory = errors.New("territoire inconnu")
	// ErrNoGeography reports a territory made of overseas collectivities
	// (COM) only: they have no geography and are not computed.
	ErrNoGeography = errors.New("pas de géographie")
)

// Defaults of the parameters.
const (
	DefaultThresholdMin = 30.0 // minutes
	DefaultDetour       = 1.3
	DefaultSpeedKmh     = 50.0
)

// Bounds of the parameters: Validate refuses values outside them. With
// them the longest search radius of the model, MaxThresholdMin/60 ×
// MaxSpeedKmh / MinDetour = 600 km, stays within mainland France.
const (
	MinThresholdMin, MaxThresholdMin = 1.0, 240.0 // minutes
	MinSpeedKmh, MaxSpeedKmh         = 5.0, 150.0 // km/h
	MinDetour, MaxDetour             = 1.0, 3.0
	MaxFTEPerSite                    = 100.0 // FTE counted per site of a kind (FTEPerSite)
)

// DefaultIndicators lists the named indicator columns of the fragility
// index, in their documented order, with their default weights in
// DefaultWeights. Every indicator grows with fragility. The embedded
// data hold nb_qpv, qpv, frr, densite and taux_chomage; the others are
// read from the user's files (--indicators):
//
//	qpv            0/1, the commune contains a quartier prioritaire (QPV); it
//	               stands for "share of the population living in a QPV",
//	               which no open source gives per commune
//	nb_qpv         number of QPV in the commune; weight 0 (qpv stands for it)
//	frr            0/1, the commune is classed France Ruralités Revitalisation;
//	               known in 11 départements only, so out of the default
//	               index (coverage rule of Fragility)
//	densite        INSEE density grid, 1–7 (7 = most rural)
//	taux_chomage   unemployment rate, 0–1
//	part_65_plus   share of inhabitants aged 65 or more, 0–1; no national open
//	               source with a stated licence exists, so it is not embedded
//	ifn_score      La MedNum digital-fragility index 2020 (IFN), > 100 = more
//	               fragile; weight 2, the only indicator of digital fragility
//	               itself
//	ifn_sans_thd, ifn_sans_4g, ifn_pauvrete, ifn_65_plus, ifn_non_scolarises
//	               the five components of the IFN 2023 (scores 0–10, 10 = most
//	               fragile: no very-high-speed broadband, no 4G, poverty, aged
//	               65+, little or no schooling); 0.4 each, so that together
//	               they weigh 2 as ifn_score does
//	ifn_total      the IFN 2023 total, the plain mean of the five components;
//	               weight 0 (it would count them twice)
var DefaultIndicators = []string{
	"qpv", "nb_qpv", "frr", "densite", "taux_chomage", "part_65_plus", "ifn_score",
	"ifn_sans_thd", "ifn_sans_4g", "ifn_pauvrete", "ifn_65_plus", "ifn_non_scolarises", "ifn_total",
}

// DefaultWeights returns the default weights of the named indicators
// (DefaultIndicators): 1, except nb_qpv and ifn_total 0, ifn_score 2 and
// each IFN 2023 component 0.4.
func DefaultWeights() map[string]float64 {
	w := make(map[string]float64, len(DefaultIndicators))
	for _, n := range DefaultIndicators {
		w[n] = 1
	}
	w["nb_qpv"], w["ifn_total"], w["ifn_score"] = 0, 0, 2
	for _, n := range []string{"ifn_sans_thd", "ifn_sans_4g", "ifn_pauvrete", "ifn_65_plus", "ifn_non_scolarises"} {
		w[n] = 0.4
	}
	return w
}

// The default FTE counted per site of a kind (Params.FTEPerSite), used
// when the kind counts as supply (the command's default offer counts
// every kind). Conseillers numériques have no
// default: each place keeps the FTE its advisors give it (the 2023 posts
// allocated over their places, source.AllocateAdvisors), so that the
// offer's cnfs total stays the posts granted.
//
//	france-services  1    a France Services site has at least two agents
//	                      trained to help with online procedures, among
//	                      other tasks: one FTE of digital help
//	mediation        0.5  a lieu de médiation numérique without a
//	                      conseiller numérique (library, association,
//	                      CCAS…): its staff or volunteers help part of
//	                      their time; no national figure exists, half an
//	                      FTE is the convention
//	autre            0.5  any other place (an Aidants Connect structure,
//	                      a user's place): the same convention
//
// --etp KIND=N replaces any of them.
const (
	DefaultFTEFranceServices = 1.0
	DefaultFTEMediation      = 0.5
	DefaultFTEOther          = 0.5
)

// Defaults returns the default parameters: a 30-minute threshold, the
// travel-time model at 1.3 detour and 50 km/h, conseiller numérique sites
// as supply, the FTE per kind above for the kinds a caller adds, and no
// user weight (the fragility index uses DefaultWeights). The command
// counts the whole offer by default (every kind, data.Kinds: its
// --supply), the library the conseillers numériques, so that a caller
// chooses the other kinds explicitly.
func Defaults() Params {
	return Params{
		ThresholdMin: DefaultThresholdMin,
		Detour:       DefaultDetour,
		SpeedKmh:     DefaultSpeedKmh,
		Supply:       []data.SiteKind{data.KindCNFS},
		FTEPerSite: map[data.SiteKind]float64{data.KindFranceServices: DefaultFTEFranceServices,
			data.KindMediation: DefaultFTEMediation, data.KindOther: DefaultFTEOther},
	}
}

// WithDefaults returns p with every zero field set to its default (see
// Defaults). Weights stay the user's: the fragility index merges them
// over DefaultWeights (NewFragility).
// Timer is left nil when unset: the model is then used.
func (p Params) WithDefaults() Params {
	d := Defaults()
	if p.ThresholdMin == 0 {
		p.ThresholdMin = d.ThresholdMin
	}
	if p.Detour == 0 {
		p.Detour = d.Detour
	}
	if p.SpeedKmh == 0 {
		p.SpeedKmh = d.SpeedKmh
	}
	if p.Supply == nil {
		p.Supply = d.Supply
	}
	if p.FTEPerSite == nil {
		p.FTEPerSite = d.FTEPerSite
	}
	return p
}

// Validate reports parameters that cannot be used, wrapping ErrBadParams:
// a threshold outside [MinThresholdMin, MaxThresholdMin], and without a
// Timer a speed outside [MinSpeedKmh, MaxSpeedKmh] or a detour outside
// [MinDetour, MaxDetour]; an FTE per site outside [0, MaxFTEPerSite]; an
// unknown method, a kernel outside its bounds or a method–kernel pair
// that does not go together (see Method).
// NaN is outside every range.
func (p Params) Validate() error {
	in := func(name string, v, lo, hi float64) error {
		if !(v >= lo && v <= hi) {
			return fmt.Errorf("%w : %s = %v, attendu un nombre dans [%g, %g]", ErrBadParams, name, v, lo, hi)
		}
		return nil
	}
	if err := in("seuil (minutes)", p.ThresholdMin, MinThresholdMin, MaxThresholdMin); err != nil {
		return err
	}
	if p.Timer == nil {
		if err := in("détour", p.Detour, MinDetour, MaxDetour); err != nil {
			return err
		}
		if err := in("vitesse (km/h)", p.SpeedKmh, MinSpeedKmh, MaxSpeedKmh); err != nil {
			return err
		}
	}
	for k, v := range p.FTEPerSite {
		if err := in(fmt.Sprintf("ETP par lieu %s", k), v, 0, MaxFTEPerSite); err != nil {
			return err
		}
	}
	return p.validateMethod()
}

// timer returns the travel-time model in use.
func (p Params) timer() geo.TravelTimer {
	if p.Timer != nil {
		return p.Timer
	}
	return geo.Model{Detour: p.Detour, SpeedKmh: p.SpeedKmh}
}

// supply is the supply rule, written once: S_j of a site of kind k whose
// file declares fte advisors is FTEPerSite[k] when set, else fte; counted
// is false when sites of kind k are not in Supply (then S_j = 0).
func (p Params) supply(k data.SiteKind, fte float64) (s float64, counted bool) {
	if !slices.Contains(p.Supply, k) {
		return 0, false
	}
	if v, ok := p.FTEPerSite[k]; ok {
		return v, true
	}
	return fte, true
}

// AdvisorFTE returns etp_cnfs per commune code: the FTE of the sites of
// kind cnfs (conseillers numériques) assigned to it, FTEPerSite[cnfs]
// when set, else the site's FTE, whether cnfs counts as supply or not;
// sites with a non-finite point or FTE are left out, as in the supply.
func AdvisorFTE(sites []SiteResult, p Params) map[string]float64 {
	out := map[string]float64{}
	for j := range sites {
		if fte, ok := advisorFTE(&sites[j].Site, p); ok {
			out[sites[j].Site.Commune] += fte
		}
	}
	return out
}

// advisorFTE is the share of site s in AdvisorFTE: its FTE and whether it
// counts there.
func advisorFTE(s *data.Site, p Params) (float64, bool) {
	if s.Kind != data.KindCNFS || s.Commune == "" || !finitePoint(s.Point) {
		return 0, false
	}
	fte := s.FTE
	if v, ok := p.FTEPerSite[data.KindCNFS]; ok {
		fte = v
	}
	return fte, fte >= 0 && !math.IsInf(fte, 0)
}

// LoadWeights reads fragility weights from a CSV file with the columns
// `indicateur` and `poids` (any separator and encoding data.ReadTable
// accepts; decimal commas allowed). Indicator names are lower-cased.
//
// Errors are *data.ParseError values naming the file, line and column,
// with a French reason wrapping a data sentinel: a weight that is not a
// finite number ≥ 0 (data.ErrBadNumber, data.ErrBadValue), an empty or
// repeated name, a name known returns false for (data.ErrUnknownIndicator;
// known nil accepts every name; a named indicator of DefaultIndicators
// given the weight 0 is always accepted, as it changes nothing), a file
// without a weight (data.ErrEmptyFile). 0 leaves an indicator out;
// CheckWeights refuses weights that leave the index without indicator.
func LoadWeights(name string, r io.Reader, known func(string) bool) (map[string]float64, error) {
	t, err := data.ReadTable(name, r)
	if err != nil {
		return nil, err
	}
	idx, err := t.Require("indicateur", "poids")
	if err != nil {
		return nil, err
	}
	w := map[string]float64{}
	lines := map[string]int{}
	for _, rec := range t.Records {
		ind := strings.ToLower(strings.TrimSpace(rec.Field(idx[0])))
		bad := func(col string, sentinel error, format string, a ...any) error {
			return &data.ParseError{File: name, Line: rec.Line, Column: col,
				Err: frError{fmt.Sprintf(format, a...), sentinel}}
		}
		if ind == "" {
			return nil, bad("indicateur", data.ErrBadValue, "nom d'indicateur vide")
		}
		if l, dup := lines[ind]; dup {
			return nil, bad("indicateur", data.ErrDuplicate, "indicateur %q déjà pondéré ligne %d", ind, l)
		}
		text := rec.Field(idx[1])
		v, err := data.ParseFloatFR(text)
		switch {
		case err != nil:
			return nil, bad("poids", data.ErrBadNumber, "poids %q illisible : un nombre ≥ 0 est attendu, par ex. 1 ou 0,5", text)
		case v < 0:
			return nil, bad("poids", data.ErrBadValue, "poids %q négatif : un poids est un nombre ≥ 0 (0 retire l'indicateur)", text)
		}
		_, named := DefaultWeights()[ind]
		if known != nil && !known(ind) && !(named && v == 0) {
			return nil, bad("indicateur", data.ErrUnknownIndicator,
				"indicateur %q absent des données : ajoutez-le avec --indicators, ou corrigez son nom", ind)
		}
		w[ind], lines[ind] = v, rec.Line
	}
	if len(w) == 0 {
		return nil, &data.ParseError{File: name, Column: "poids", Err: frError{"aucun poids dans le fichier", data.ErrEmptyFile}}
	}
	return w, nil
}

// CheckWeights reports, as a *data.ParseError naming the weights file
// name and wrapping data.ErrBadValue, weights w under which the fragility
// index of ds would have no indicator at all (the sum of the weights of
// the indicators that would take part is 0).
func CheckWeights(name string, ds *data.Dataset, w map[string]float64) error {
	if ds.Indicators == nil || len(ds.Indicators.Columns) == 0 || len(NewFragility(ds, w).Names) > 0 {
		return nil
	}
	return &data.ParseError{File: name, Column: "poids", Err: frError{
		"la somme des poids des indicateurs retenus est nulle : l'indice de fragilité n'aurait aucun indicateur", data.ErrBadValue}}
}

// frError is a French message for users that wraps a sentinel error.
type frError struct {
	msg      string
	sentinel error
}

func (e frError) Error() string { return e.msg }
func (e frError) Unwrap() error { return e.sentinel }
