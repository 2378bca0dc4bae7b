package diag

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"diagnum/data"
	"diagnum/geo"
)

// Sentinel errors of the package, for errors.Is.
var (
	// ErrBadParams reports parameters that cannot be used (negative or
	// non-finite threshold, speed or detour).
	ErrBadParams = errors.New("diag: invalid parameters")
	// ErrUnknownTerritory reports a territory code with no commune.
	ErrUnknownTerritory = errors.New("diag: unknown territory")
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

// DefaultIndicators lists the indicator columns of the fragility index,
// in their documented order. Every indicator grows with fragility:
//
//	qpv           0/1, the commune contains a quartier prioritaire (QPV); it
//	              stands for "share of the population living in a QPV",
//	              which no open source gives per commune
//	frr           0/1, the commune is classed France Ruralités Revitalisation
//	densite       INSEE density grid, 1–7 (7 = most rural)
//	taux_chomage  unemployment rate, 0–1
//	part_65_plus  share of inhabitants aged 65 or more, 0–1
//	ifn_score     La MedNum digital-fragility index (IFN), > 100 = more fragile
var DefaultIndicators = []string{"qpv", "frr", "densite", "taux_chomage", "part_65_plus", "ifn_score"}

// DefaultWeights returns the default weights of the fragility index: 1
// for every indicator except ifn_score, weighted 2 because it is the only
// indicator that measures digital fragility itself.
func DefaultWeights() map[string]float64 {
	w := make(map[string]float64, len(DefaultIndicators))
	for _, n := range DefaultIndicators {
		w[n] = 1
	}
	w["ifn_score"] = 2
	return w
}

// Defaults returns the default parameters: a 30-minute threshold, the
// travel-time model at 1.3 detour and 50 km/h, conseiller numérique sites
// as supply, France Services sites counted as 1 FTE each when they are
// included, and the default fragility weights.
func Defaults() Params {
	return Params{
		ThresholdMin: DefaultThresholdMin,
		Detour:       DefaultDetour,
		SpeedKmh:     DefaultSpeedKmh,
		Supply:       []data.SiteKind{data.KindCNFS},
		FTEPerSite:   map[data.SiteKind]float64{data.KindFranceServices: 1},
		Weights:      DefaultWeights(),
	}
}

// WithDefaults returns p with every zero field set to its default (see
// Defaults) and Weights merged over the default weights (MergeWeights).
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
	p.Weights = MergeWeights(p.Weights)
	return p
}

// MergeWeights returns the fragility weights in effect when w overrides
// the defaults: DefaultWeights, with the weight of every indicator that w
// names replaced (0 leaves it out; a column that is not a default
// indicator is added). w is not modified; nil gives the defaults.
func MergeWeights(w map[string]float64) map[string]float64 {
	m := DefaultWeights()
	for k, v := range w {
		m[k] = v
	}
	return m
}

// Validate reports parameters that cannot be used, wrapping ErrBadParams:
// a threshold outside [MinThresholdMin, MaxThresholdMin], and without a
// Timer a speed outside [MinSpeedKmh, MaxSpeedKmh] or a detour outside
// [MinDetour, MaxDetour]; an FTE per site outside [0, MaxFTEPerSite].
// NaN is outside every range.
func (p Params) Validate() error {
	in := func(name string, v, lo, hi float64) error {
		if !(v >= lo && v <= hi) {
			return fmt.Errorf("%w: %s = %v, want a number in [%g, %g]", ErrBadParams, name, v, lo, hi)
		}
		return nil
	}
	if err := in("threshold (minutes)", p.ThresholdMin, MinThresholdMin, MaxThresholdMin); err != nil {
		return err
	}
	if p.Timer == nil {
		if err := in("detour", p.Detour, MinDetour, MaxDetour); err != nil {
			return err
		}
		if err := in("speed (km/h)", p.SpeedKmh, MinSpeedKmh, MaxSpeedKmh); err != nil {
			return err
		}
	}
	for k, v := range p.FTEPerSite {
		if err := in(fmt.Sprintf("FTE per %s site", k), v, 0, MaxFTEPerSite); err != nil {
			return err
		}
	}
	return nil
}

// timer returns the travel-time model in use.
func (p Params) timer() geo.TravelTimer {
	if p.Timer != nil {
		return p.Timer
	}
	return geo.Model{Detour: p.Detour, SpeedKmh: p.SpeedKmh}
}

// counts reports whether sites of kind k count as supply.
func (p Params) counts(k data.SiteKind) bool {
	for _, s := range p.Supply {
		if s == k {
			return true
		}
	}
	return false
}

// LoadWeights reads fragility weights from a CSV file with the columns
// `indicateur` and `poids` (any separator and encoding data.ReadTable
// accepts; decimal commas allowed). A weight must be a finite number ≥ 0;
// 0 leaves the indicator out. name is used in error messages, which are
// *data.ParseError values.
func LoadWeights(name string, r io.Reader) (map[string]float64, error) {
	t, err := data.ReadTable(name, r)
	if err != nil {
		return nil, err
	}
	idx, err := t.Require("indicateur", "poids")
	if err != nil {
		return nil, err
	}
	w := map[string]float64{}
	for _, rec := range t.Records {
		ind := strings.ToLower(rec.Field(idx[0]))
		if ind == "" {
			return nil, &data.ParseError{File: name, Line: rec.Line, Column: "indicateur",
				Err: fmt.Errorf("%w: empty indicator name", data.ErrBadValue)}
		}
		if _, dup := w[ind]; dup {
			return nil, &data.ParseError{File: name, Line: rec.Line, Column: "indicateur",
				Err: fmt.Errorf("%w: indicator %q listed twice", data.ErrDuplicate, ind)}
		}
		v, err := parseWeight(rec.Field(idx[1]))
		if err != nil {
			return nil, &data.ParseError{File: name, Line: rec.Line, Column: "poids", Err: err}
		}
		w[ind] = v
	}
	if len(w) == 0 {
		return nil, &data.ParseError{File: name, Err: fmt.Errorf("%w: no weight", data.ErrEmptyFile)}
	}
	return w, nil
}

func parseWeight(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", data.ErrBadNumber, s)
	}
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: weight %q must be a finite number ≥ 0", data.ErrBadValue, s)
	}
	return v, nil
}
