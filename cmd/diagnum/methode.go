package main

import (
	"flag"
	"fmt"

	"diagnum/diag"
)

// methodOptions are the flags of the accessibility method of a diagnostic
// run: --methode, --decroissance and --normaliser (diag.Method, diag.Decay,
// Params.Normalize). The planner follows them, except 3sfca and
// --normaliser, which it refuses (diag/plan checkMethod).
type methodOptions struct {
	methode, decroissance string
	normaliser            bool
	method                diag.Method
	decay                 diag.Decay
}

// registerMethod declares the method flags on fs.
func (m *methodOptions) registerMethod(fs *flag.FlagSet) {
	fs.StringVar(&m.methode, "methode", "e2sfca", "")
	fs.StringVar(&m.decroissance, "decroissance", "", "")
	fs.BoolVar(&m.normaliser, "normaliser", false, "")
}

// checkMethod parses --methode and --decroissance and refuses (usage
// error, exit 2) an unknown name, a parameter outside its bounds, or a
// kernel that the method does not take.
func (m *methodOptions) checkMethod() error {
	var err error
	if m.method, err = diag.ParseMethod(m.methode); err != nil {
		return fmt.Errorf("%w: --methode : %v", errUsage, err)
	}
	if m.decroissance == "" {
		return nil
	}
	if m.decay, err = diag.ParseDecay(m.decroissance); err != nil {
		return fmt.Errorf("%w: --decroissance : %v", errUsage, err)
	}
	switch {
	case m.method == diag.Method2SFCA && m.decay.Kind != diag.DecayGaussian:
		return fmt.Errorf("%w: --decroissance %s : la méthode 2sfca a un bassin binaire (poids 1 jusqu'au seuil), sans décroissance ; utiliser --methode e2sfca", errUsage, m.decroissance)
	case m.method == diag.MethodGravity && m.decay.Kind != diag.DecayGaussian && m.decay.Kind != diag.DecayPower:
		return fmt.Errorf("%w: --decroissance %s : la méthode gravite prend une décroissance puissance:β (défaut puissance:1)", errUsage, m.decroissance)
	}
	return nil
}

// setMethod copies the method flags into p.
func (m *methodOptions) setMethod(p *diag.Params) {
	p.Method, p.Decay, p.Normalize = m.method, m.decay, m.normaliser
}
