package main

import (
	"context"
	"fmt"
	"io"

	"diagnum/data"
	"diagnum/diag"
)

// loadDemand reads the --demande layer (nil without the flag); a bad
// unit stops the run with the file, line and column in French.
func (o *options) loadDemand(ctx context.Context, pr *progress) (*data.DemandLayer, error) {
	if o.demande == "" {
		return nil, nil
	}
	pr.step("chargement de la couche de demande")
	var l *data.DemandLayer
	err := readFileCtx(ctx, o.demande, func(r io.Reader) error {
		var err error
		l, err = data.LoadDemand(o.demande, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("couche de demande (--demande) : %w", frenchLocation(err))
	}
	return l, nil
}

// applyDemand measures the units of layer, puts their figures into b's
// result (diag.Baseline.ApplyDemand), adds their checks to ds.Checks and
// says on console what the layer gave and what it rejected.
func applyDemand(ctx context.Context, b *diag.Baseline, ds *data.Dataset, layer *data.DemandLayer, console io.Writer) (*diag.DemandSummary, error) {
	s, err := b.Demand(ctx, layer)
	if err != nil {
		return nil, err
	}
	b.ApplyDemand(s)
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
	s, err := b.Demand(ctx, layer)
	if err != nil {
		return nil, err
	}
	b.ApplyDemand(s)
	return b.Result, nil
}
