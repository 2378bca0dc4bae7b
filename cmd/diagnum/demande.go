package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"sync/atomic"

	"diagnum/data"
	"diagnum/diag"
)

// registerDemande declares --demande (the demand layer's file) on fs,
// for every command that takes it: the diagnostic, the plan and serve.
func registerDemande(fs *flag.FlagSet, file *string) {
	fs.StringVar(file, "demande", "", "")
}

// loadDemand reads the --demande layer (nil without the flag); a bad
// unit stops the run with the file, line and column in French.
func (o *options) loadDemand(ctx context.Context, pr *progress) (*data.DemandLayer, error) {
	return loadDemandFile(ctx, userFile{o.demande, o.demande}, pr)
}

// loadDemandFile reads the demand layer of file (path "": none) with
// data.LoadDemand, its place in French (frenchLocation).
func loadDemandFile(ctx context.Context, f userFile, pr *progress) (*data.DemandLayer, error) {
	if f.path == "" {
		return nil, nil
	}
	pr.step("chargement de la couche de demande")
	l, err := loadFile(ctx, f.path, func(r io.Reader) (*data.DemandLayer, error) {
		return data.LoadDemand(f.name, r)
	})
	if err != nil {
		return nil, fmt.Errorf("couche de demande (--demande) : %w", frenchLocation(err))
	}
	return l, nil
}

// baselines counts the calls of options.baseline, where the measures of
// a run start (tests: a bad input is refused before them).
var baselines atomic.Int64

// baseline computes the national baseline of ds and, with --demande,
// measures it on the layer (loadDemand, demandWeights, applyDemand): the
// one path of the diagnostic and of the planner.
func (o *options) baseline(ctx context.Context, pr *progress, ds *data.Dataset, params diag.Params) (*diag.Baseline, *data.DemandLayer, *diag.DemandSummary, error) {
	baselines.Add(1)
	layer, err := o.loadDemand(ctx, pr)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := demandWeights(o.weights, params.Weights, ds, layer); err != nil {
		return nil, nil, nil, err
	}
	b, err := diag.NewBaseline(ctx, ds, params)
	if err != nil {
		return nil, nil, nil, err
	}
	var s *diag.DemandSummary
	if layer != nil {
		pr.step("mesures sur la couche de demande")
		if s, err = applyDemand(ctx, b, ds, layer, notes(o.stderr, o.quiet)); err != nil {
			return nil, nil, nil, err
		}
	}
	if o.strict {
		if err := strictIndicators(b.Result.Indicators); err != nil {
			return nil, nil, nil, err
		}
	}
	return b, layer, s, nil
}

// demandWeights refuses a --weights file naming part_65_plus (accepted
// with --demande, see load) when neither the layer has ages nor the data
// have that column: its weight would be ignored.
func demandWeights(file string, w map[string]float64, ds *data.Dataset, layer *data.DemandLayer) error {
	if _, ok := w[data.ColPart65Plus]; !ok || (ds.Indicators != nil && ds.Indicators.Column(data.ColPart65Plus) >= 0) {
		return nil
	}
	if layer != nil && slices.ContainsFunc(layer.Units, func(u data.DemandUnit) bool { return u.HasAges }) {
		return nil
	}
	return fmt.Errorf("poids de l'indice de fragilité (--weights) : fichier %s : indicateur %q absent des données : la couche --demande n'a pas d'âges (Ind_65_79 et Ind_80p, ou population_65_plus) ; ajoutez-le avec --indicators, ou corrigez son nom", file, data.ColPart65Plus)
}

// applyDemand measures the units of layer, puts their figures into b's
// result (diag.Baseline.ApplyDemand), adds their checks to ds.Checks (and
// the layer's part_65_plus to ds.Indicators when it has ages) and
// says on console what the layer gave and what it rejected.
func applyDemand(ctx context.Context, b *diag.Baseline, ds *data.Dataset, layer *data.DemandLayer, console io.Writer) (*diag.DemandSummary, error) {
	s, err := measureDemand(ctx, b, layer)
	if err != nil {
		return nil, err
	}
	if s.Table != nil { // the layer's part_65_plus, for the Communes sheet
		ds.Indicators = s.Table
	}
	ds.Checks = append(ds.Checks, s.Checks...)
	fmt.Fprintf(console, "%s : %d unités (%s), %.10g hab., rattachées à %d communes\n",
		layer.File, len(layer.Units), layer.Format, s.Pop, len(s.Communes))
	announceRejected(console, layer.File, s.Checks)
	return s, nil
}

// computeWithDemand is diag.Compute, measured on layer when there is one
// (its checks are those of the main run, not repeated).
func computeWithDemand(ctx context.Context, ds *data.Dataset, p diag.Params, layer *data.DemandLayer) (*diag.Result, error) {
	if layer == nil {
		return diag.Compute(ctx, ds, p)
	}
	b, err := diag.NewBaseline(ctx, ds, p)
	if err != nil {
		return nil, err
	}
	if err := remeasure(ctx, b, layer); err != nil {
		return nil, err
	}
	return b.Result, nil
}

// remeasure measures b on layer again (nil: nothing), after a change of
// the sites or the supply: the checks of the layer, already listed by
// applyDemand, are not repeated.
func remeasure(ctx context.Context, b *diag.Baseline, layer *data.DemandLayer) error {
	if layer == nil {
		return nil
	}
	_, err := measureDemand(ctx, b, layer)
	return err
}

// measureDemand measures the units of layer (diag.Baseline.Demand) and
// puts their figures into b's result (diag.Baseline.ApplyDemand): the one
// routine of applyDemand and remeasure.
func measureDemand(ctx context.Context, b *diag.Baseline, layer *data.DemandLayer) (*diag.DemandSummary, error) {
	s, err := b.Demand(ctx, layer)
	if err != nil {
		return nil, err
	}
	b.ApplyDemand(s)
	return s, nil
}
