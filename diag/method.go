package diag

import (
	"fmt"
	"strings"

	"diagnum/data"
)

// Method names the accessibility method (Params.Method). The zero value is
// E2SFCA. With P_i the population of commune i, S_j the supply (FTE) of
// counted site j, t_ij the travel time and W_ij = W(t_ij) the weight of
// the pair (0 when t_ij > d0, the threshold):
//
//	MethodE2SFCA  W = Params.Decay (Luo & Qi 2009, Gaussian by default)
//	              R_j = S_j / Σ_k P_k·W_kj
//	              A_i = Σ_j R_j·W_ij
//	Method2SFCA   the same with the binary catchment W_ij = 1 for t_ij ≤ d0
//	              (Luo & Wang 2003); Params.Decay must be its zero value
//	Method3SFCA   Wan, Zou & Sternberg 2012: selection weights
//	              G_ij = W_ij / Σ_k W_ik (0 when the sum is 0), then
//	              R_j = S_j / Σ_k G_kj·P_k·W_kj
//	              A_i = Σ_j G_ij·R_j·W_ij
//	MethodGravity the two steps of E2SFCA with the gravity weight
//	              W_ij = max(t_ij, MinGravityMin)^(−β) (Joseph & Bantock
//	              1982, PySAL's gravity); β is the one of Params.Decay,
//	              which must be DecayPower or its zero value (then β = 1).
//	              Pairs beyond d0 are not counted (truncated gravity).
//
// R_j = 0 when its denominator is 0 (no population within reach, or only
// zero weights: a Warning names the site). Every method distributes the
// supply exactly (for 3SFCA because Σ_j G_ij·R_j·W_ij·P_i summed over i
// gives back Σ_j R_j·Σ_k G_kj·P_k·W_kj):
//
//	Σ_i A_i·P_i = Σ_j S_j over the sites with a non-empty catchment;
//
// the FTE of a site whose catchment is empty are distributed to no one.
// With Params.Normalize, A_i is divided by the population-weighted mean
// Ā = Σ_i P_i·A_i / Σ_i P_i over all loaded communes that have a point
// (PySAL's normalize=True), so the mean access is 1 (10,000 in the
// per-10k column).
type Method int

// Accessibility methods.
const (
	MethodE2SFCA Method = iota
	Method2SFCA
	Method3SFCA
	MethodGravity
)

// String returns the method as --methode writes it.
func (m Method) String() string {
	switch m {
	case Method2SFCA:
		return "2sfca"
	case Method3SFCA:
		return "3sfca"
	case MethodGravity:
		return "gravite"
	}
	return "e2sfca"
}

// ParseMethod reads --methode: 2sfca, e2sfca, 3sfca or gravite (any case).
// Errors wrap data.ErrBadValue with a French message.
func ParseMethod(s string) (Method, error) {
	for _, m := range []Method{Method2SFCA, MethodE2SFCA, Method3SFCA, MethodGravity} {
		if strings.EqualFold(strings.TrimSpace(s), m.String()) {
			return m, nil
		}
	}
	return 0, frError{fmt.Sprintf("méthode %q inconnue : 2sfca, e2sfca, 3sfca ou gravite", s), data.ErrBadValue}
}

// kernel returns the decay kernel the method uses: the binary one for
// 2SFCA, the power kernel for the gravity method (β = 1 by default),
// Params.Decay otherwise.
func (p Params) kernel() Decay {
	switch p.Method {
	case Method2SFCA:
		return Decay{Kind: DecayNone}
	case MethodGravity:
		if p.Decay.Kind == DecayGaussian {
			return Decay{Kind: DecayPower, Beta: 1}
		}
	}
	return p.Decay
}

// weight returns W(t) of the method and kernel in use, for the catchment
// d0 = ThresholdMin.
func (p Params) weight(t float64) float64 {
	return p.kernel().Weight(t, p.ThresholdMin)
}

// validateMethod checks the method, the kernel and their combination.
func (p Params) validateMethod() error {
	switch {
	case p.Method < MethodE2SFCA || p.Method > MethodGravity:
		return fmt.Errorf("%w : méthode inconnue %d", ErrBadParams, p.Method)
	case p.Method == Method2SFCA && p.Decay.Kind != DecayGaussian:
		return fmt.Errorf("%w : la méthode 2SFCA a un bassin binaire, décroissance %s donnée", ErrBadParams, p.Decay)
	case p.Method == MethodGravity && p.Decay.Kind != DecayGaussian && p.Decay.Kind != DecayPower:
		return fmt.Errorf("%w : la méthode gravitaire prend une décroissance puissance, %s donnée", ErrBadParams, p.Decay)
	}
	return p.Decay.validate()
}
