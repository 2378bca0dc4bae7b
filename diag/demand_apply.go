package diag

import (
	"fmt"
	"math"
	"slices"

	"diagnum/data"
)

// DemandTolerance is the relative difference between the population a
// demand layer gives a commune and its legal population beyond which a
// check explains it (DemandChecks): 10 %, and at least
// DemandToleranceInhabitants inhabitants.
const (
	DemandTolerance            = 0.10
	DemandToleranceInhabitants = 20
)

// checkDemandUnplaced: unit u of file lies in no commune (rejected).
func checkDemandUnplaced(file string, u *data.DemandUnit) data.Check {
	return data.Check{Severity: data.Rejected, Kind: data.CheckDemandPlacement, Err: &data.ParseError{File: file, Line: u.Line,
		Err: fmt.Errorf("%w: unité %s (%.5f, %.5f, %g hab.) dans aucune commune française : non comptée",
			data.ErrOutsideFrance, u.ID, u.Point[1], u.Point[0], u.Pop)}}
}

// demandChecks returns the checks of the population conservation of a
// demand layer:
//
//   - one Warning for the whole layer: its units, its population, the
//     legal population of the communes it touches, the difference, the
//     units rejected and those placed from just off a polygon;
//   - one Warning per commune whose layer population Pop differs from its
//     legal population L by more than DemandTolerance·L and
//     DemandToleranceInhabitants, naming the likely cause: Pop < L/2, the
//     layer covers part of the commune; Pop > 3L/2, units of neighbours
//     placed by their point; otherwise a difference of vintage and scope
//     (Filosofi counts people of fiscal households, the legal population
//     counts communities too) or units across the boundary.
func demandChecks(ds *data.Dataset, s *DemandSummary) data.Checks {
	var checks data.Checks
	file := s.Layer.File
	var legal float64
	for _, d := range s.Communes {
		c := &ds.Communes[d.Commune]
		L := float64(max(c.Population, 0))
		legal += L
		diff := d.Pop - L
		if math.Abs(diff) <= DemandTolerance*L || math.Abs(diff) < DemandToleranceInhabitants {
			continue
		}
		cause := "écart de millésime ou de champ (les carreaux Filosofi ne comptent que les personnes des ménages fiscaux, la population municipale légale compte aussi les communautés) ou unités à cheval sur la limite communale, rattachées par leur point"
		switch {
		case d.Pop < L/2:
			cause = "la couche ne couvre sans doute qu'une partie de la commune (unités absentes du fichier ou commune au bord de la couche)"
		case d.Pop > 1.5*L:
			cause = "des unités d'une commune voisine sont rattachées à celle-ci par leur point (carreau ou IRIS à cheval sur la limite)"
		}
		checks.Add(data.Check{Severity: data.Warning, Kind: data.CheckDemandConservation, Commune: c.Code, Err: &data.ParseError{File: file,
			Err: fmt.Errorf("%w: commune %s (%s) : %s hab. dans la couche pour %d hab. légaux (écart %+.0f, %+.1f %%) : %s",
				data.ErrBadValue, c.Code, c.Name, fmtPop(d.Pop), c.Population, diff, 100*diff/L, cause)}})
	}
	total := fmt.Sprintf("couche %s (%s) : %d unités, %s hab. ; les %d communes où tombent ses unités ont %s hab. légaux (écart %+.0f)",
		s.Layer.Format, file, len(s.Layer.Units), fmtPop(s.Pop), len(s.Communes), fmtPop(legal), s.Pop-s.UnplacedPop-legal)
	if s.Unplaced > 0 {
		total += fmt.Sprintf(" ; %d unités (%s hab.) hors de toute commune, non comptées", s.Unplaced, fmtPop(s.UnplacedPop))
	}
	if s.Offshore > 0 {
		total += fmt.Sprintf(" ; %d unités hors de tout contour communal, à moins de %g km d'une commune (côte, interstice), rattachées à celle-ci", s.Offshore, OffshoreKm)
	}
	checks = append(data.Checks{{Severity: data.Warning, Kind: data.CheckDemandConservation,
		Err: &data.ParseError{File: file, Err: fmt.Errorf("%w: %s", data.ErrBadValue, total)}}}, checks...)
	return checks
}

// fmtPop writes a population that may hold halves (INSEE's grid).
func fmtPop(p float64) string {
	return fmt.Sprintf("%.10g", math.Round(p*10)/10)
}

// ApplyDemand puts the figures of s into the baseline's Result. Every
// commune holding units of population > 0 takes its demand figures
// (CommuneDemand); the other communes stay measured at their point, their
// access A_k taken from s.Access (the ratios R_j changed with the
// demand):
//
//	part_couverte         = Share (1 or 0 from couvert at commune level)
//	temps_site_proche_min = MeanMin, the population-weighted mean time
//	couvert               = MeanMin ≤ threshold
//	acces_…_pour_10k      = s.Access × 10,000 (population-weighted access of
//	                        the units, or A_k)
//	indice_fragilite      = s.Fragility when the layer has ages
//	                        (demandFragility), else unchanged
//	score_ecart           = GapShare(P, F, A, part_couverte, Amed)
//
// with P the legal population and Amed the median of s.Access over the
// populated communes; the sites take s.R and s.ReachPop, and ranks and
// roll-ups are computed again. The baseline keeps the layer's units as
// its demand points (DemandPoints, PointCatchmentsOf), which the planner
// counts.
func (b *Baseline) ApplyDemand(s *DemandSummary) {
	res := b.Result
	amed := b.e.medianAccess(s.Access)
	if s.Fragility != nil {
		res.Indicators = s.Indicators
	}
	for k := range res.Communes {
		c := &res.Communes[k]
		if c.NoGeography {
			continue
		}
		if s.Fragility != nil {
			c.Fragility = s.Fragility[k]
		}
		c.Access10k = s.Access[k] * 10000
		c.Gap = Gap(c.Population, c.Fragility, s.Access[k], c.Covered, amed)
	}
	for _, d := range s.Communes {
		c := &res.Communes[d.Commune]
		if c.NoGeography || !(d.Pop > 0) {
			continue
		}
		c.DemandUnits, c.Share = d.Units, d.Share
		c.NearestMin, c.Covered = d.MeanMin, d.MeanMin <= b.e.d0
		c.Gap = GapShare(c.Population, c.Fragility, d.Access, d.Share, amed)
	}
	res.Sites = slices.Clone(res.Sites) // the engine keeps its own R_j
	for j := range res.Sites {
		if res.Sites[j].Counted {
			res.Sites[j].R, res.Sites[j].ReachPop = s.R[j], s.ReachPop[j]
		}
	}
	rankCommunes(res.Communes)
	res.EPCI, res.Deps, res.Regions, res.France = Rollups(b.e.ds, res.Communes)
	b.keepDemand(s)
}
