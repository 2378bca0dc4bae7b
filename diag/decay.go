package diag

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"diagnum/data"
)

// DecayKind names a distance-decay kernel W(t) of the floating catchment
// methods (Params.Decay). The zero value is the Gaussian kernel.
type DecayKind int

// Decay kernels. Every kernel is 0 beyond the catchment d0 (the coverage
// threshold, Params.ThresholdMin): pairs farther than d0 are never found.
//
//	DecayGaussian     W(t) = Kernel(t, d0) (Dai 2010), W(0) = 1, W(d0) = 0
//	DecaySteps        W(t) = w_s for the first step s with t ≤ m_s, 0 beyond
//	                  the last step (PySAL's E2SFCA weights
//	                  "10=1,20=0.68,30=0.22": 1 up to 10 min, 0.68 up to 20,
//	                  0.22 up to 30)
//	DecayNone         W(t) = 1 (binary catchment)
//	DecayPower        W(t) = max(t, MinGravityMin)^(−β) (MinGravityMin = 1 min,
//	                  so W ≤ 1 and a site in the commune itself, t = 0, is
//	                  not infinitely close)
//	DecayExponential  W(t) = exp(−β·t), t in minutes
const (
	DecayGaussian DecayKind = iota
	DecaySteps
	DecayNone
	DecayPower
	DecayExponential
)

// Bounds of the decay parameters: β of DecayPower and DecayExponential in
// (0, MaxDecayBeta]; step bounds in (0, MaxThresholdMin] minutes,
// increasing, with weights in [0, 1]; at most MaxDecaySteps steps.
const (
	MaxDecayBeta  = 10.0
	MaxDecaySteps = 20
	// MinGravityMin is the minimum travel time, in minutes, of the power
	// kernel (and so of the gravity method): t^(−β) is taken at
	// max(t, MinGravityMin).
	MinGravityMin = 1.0
)

// Step is one step of DecaySteps: W = Weight for travel times up to
// UpToMin minutes (after the previous step's bound).
type Step struct {
	UpToMin, Weight float64
}

// Decay is a distance-decay kernel: Params.Decay. Its zero value is the
// Gaussian kernel, the default.
type Decay struct {
	Kind  DecayKind
	Beta  float64 // DecayPower, DecayExponential
	Steps []Step  // DecaySteps, by increasing UpToMin
}

// Weight returns W(t) of the kernel for a travel time t (minutes) and a
// catchment d0: 0 when t > d0 or t is NaN.
func (k Decay) Weight(t, d0 float64) float64 {
	if !(t <= d0) {
		return 0
	}
	switch k.Kind {
	case DecaySteps:
		for _, s := range k.Steps {
			if t <= s.UpToMin {
				return s.Weight
			}
		}
		return 0
	case DecayNone:
		return 1
	case DecayPower:
		return math.Pow(max(t, MinGravityMin), -k.Beta)
	case DecayExponential:
		return math.Exp(-k.Beta * t)
	}
	return Kernel(t, d0)
}

// String returns the kernel as --decroissance writes it (ParseDecay reads
// it back).
func (k Decay) String() string {
	switch k.Kind {
	case DecaySteps:
		parts := make([]string, len(k.Steps))
		for i, s := range k.Steps {
			parts[i] = strconv.FormatFloat(s.UpToMin, 'g', -1, 64) + "=" + strconv.FormatFloat(s.Weight, 'g', -1, 64)
		}
		return "paliers:" + strings.Join(parts, ",")
	case DecayNone:
		return "aucune"
	case DecayPower:
		return "puissance:" + strconv.FormatFloat(k.Beta, 'g', -1, 64)
	case DecayExponential:
		return "exponentielle:" + strconv.FormatFloat(k.Beta, 'g', -1, 64)
	}
	return "gaussienne"
}

// validate checks the parameters of the kernel against their bounds.
func (k Decay) validate() error {
	switch k.Kind {
	case DecayGaussian, DecayNone:
		return nil
	case DecayPower, DecayExponential:
		if !(k.Beta > 0 && k.Beta <= MaxDecayBeta) {
			return fmt.Errorf("%w : décroissance β = %v, attendu un nombre dans ]0, %g]", ErrBadParams, k.Beta, MaxDecayBeta)
		}
		return nil
	case DecaySteps:
		if len(k.Steps) == 0 || len(k.Steps) > MaxDecaySteps {
			return fmt.Errorf("%w : %d paliers de décroissance, attendu de 1 à %d", ErrBadParams, len(k.Steps), MaxDecaySteps)
		}
		prev := 0.0
		for _, s := range k.Steps {
			if !(s.UpToMin > prev && s.UpToMin <= MaxThresholdMin) || !(s.Weight >= 0 && s.Weight <= 1) {
				return fmt.Errorf("%w : palier de décroissance %v=%v, attendu des bornes croissantes dans ]0, %g] et des poids dans [0, 1]",
					ErrBadParams, s.UpToMin, s.Weight, MaxThresholdMin)
			}
			prev = s.UpToMin
		}
		return nil
	}
	return fmt.Errorf("%w : type de décroissance inconnu %d", ErrBadParams, k.Kind)
}

// ParseDecay reads a kernel as --decroissance gives it: "gaussienne",
// "aucune", "paliers:10=1,20=0.68,30=0.22" (bounds in minutes, increasing;
// weights in [0, 1]; decimal commas are not accepted inside the list),
// "puissance:β" or "exponentielle:β" (β in (0, MaxDecayBeta]). Errors wrap
// data.ErrBadValue with a French message.
func ParseDecay(s string) (Decay, error) {
	bad := func(format string, a ...any) (Decay, error) {
		return Decay{}, frError{fmt.Sprintf(format, a...), data.ErrBadValue}
	}
	name, arg, hasArg := strings.Cut(strings.TrimSpace(s), ":")
	name = strings.ToLower(strings.TrimSpace(name))
	arg = strings.TrimSpace(arg)
	var k Decay
	switch name {
	case "gaussienne", "aucune":
		if hasArg {
			return bad("décroissance %q : %s ne prend pas de paramètre", s, name)
		}
		if name == "aucune" {
			k.Kind = DecayNone
		}
		return k, nil
	case "puissance", "exponentielle":
		k.Kind = DecayPower
		if name == "exponentielle" {
			k.Kind = DecayExponential
		}
		b, err := strconv.ParseFloat(arg, 64)
		if !hasArg || err != nil || !(b > 0 && b <= MaxDecayBeta) {
			return bad("décroissance %q : %s:β attend un β dans ]0, %g], par ex. %s:1", s, name, MaxDecayBeta, name)
		}
		k.Beta = b
		return k, nil
	case "paliers":
		k.Kind = DecaySteps
		if !hasArg || arg == "" {
			return bad("décroissance %q : paliers attend une liste minutes=poids, par ex. paliers:10=1,20=0.68,30=0.22", s)
		}
		for _, part := range strings.Split(arg, ",") {
			m, w, ok := strings.Cut(part, "=")
			up, err1 := strconv.ParseFloat(strings.TrimSpace(m), 64)
			wt, err2 := strconv.ParseFloat(strings.TrimSpace(w), 64)
			if !ok || err1 != nil || err2 != nil {
				return bad("décroissance %q : palier %q illisible, minutes=poids attendu (par ex. 10=1)", s, part)
			}
			k.Steps = append(k.Steps, Step{UpToMin: up, Weight: wt})
		}
		if err := k.validate(); err != nil {
			return bad("décroissance %q : au plus %d paliers, bornes croissantes dans ]0, %g] minutes et poids dans [0, 1]",
				s, MaxDecaySteps, MaxThresholdMin)
		}
		return k, nil
	}
	return bad("décroissance %q inconnue : gaussienne, paliers:10=1,20=0.68,30=0.22, aucune, puissance:β ou exponentielle:β", s)
}
