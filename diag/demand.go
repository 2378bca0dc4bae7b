package diag

import (
	"context"
	"math"

	"diagnum/data"
)

// CommuneDemand is the coverage of one commune measured on a demand layer
// finer than the commune (INSEE's 200 m grid cells, data.GridCell): each
// cell is placed in its commune as a site is (Assign: polygon, else the
// nearest commune point) and timed from its own centre to the nearest
// counted site.
//
//	Pop        = Σ P_c over the commune's cells (Ind)
//	CoveredPop = Σ P_c over its cells with t_c ≤ threshold
//	Share      = CoveredPop / Pop (part_couverte, 0–1; 0 when Pop = 0)
//	MeanMin    = Σ P_c·t_c / Pop (+Inf when a populated cell has no site,
//	             NaN when Pop = 0)
type CommuneDemand struct {
	Commune         int // index in the data set's communes
	Cells           int
	Pop, CoveredPop float64
	Share, MeanMin  float64
}

// DemandCoverage measures the coverage of the baseline's communes on the
// cells: one CommuneDemand per commune holding at least one cell, by
// increasing commune index. Cells that no commune takes are counted in
// the returned checks (Assign's checks), never dropped silently.
func (b *Baseline) DemandCoverage(ctx context.Context, cells []data.GridCell) ([]CommuneDemand, data.Checks, error) {
	sites := make([]data.Site, len(cells))
	for i, c := range cells {
		sites[i] = data.Site{ID: c.ID, Point: c.Point}
	}
	placed, checks := b.Assign(sites)
	byComm := communeIndex(b.e.ds)
	acc := map[int]*CommuneDemand{}
	th := b.e.d0
	for i, c := range cells {
		k, ok := byComm[placed[i].Commune]
		if !ok {
			continue // unplaced: in checks
		}
		_, t, err := b.NearestSite(ctx, c.Point)
		if err != nil {
			return nil, checks, err
		}
		d := acc[k]
		if d == nil {
			d = &CommuneDemand{Commune: k}
			acc[k] = d
		}
		d.Cells++
		d.Pop += c.Pop
		if t <= th {
			d.CoveredPop += c.Pop
		}
		if c.Pop > 0 {
			d.MeanMin += c.Pop * t
		}
	}
	out := make([]CommuneDemand, 0, len(acc))
	for k := range len(b.e.ds.Communes) {
		d, ok := acc[k]
		if !ok {
			continue
		}
		if d.Pop > 0 {
			d.Share, d.MeanMin = d.CoveredPop/d.Pop, d.MeanMin/d.Pop
		} else {
			d.MeanMin = math.NaN()
		}
		out = append(out, *d)
	}
	return out, checks, nil
}
