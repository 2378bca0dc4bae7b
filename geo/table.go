package geo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
)

// ErrTimeMissing reports, in strict mode, a pair absent from a table.
var ErrTimeMissing = errors.New("temps de trajet absent de la table")

// PairTimes is a travel-time table keyed by codes (data.TravelTable):
// minutes from an origin commune to a destination commune or site.
type PairTimes interface {
	CommuneMinutes(origin, dest string) (float64, bool)
	SiteMinutes(origin, id string) (float64, bool)
	// Each calls fn for every pair with a time.
	Each(fn func(origin, dest string, site bool, minutes float64))
}

// TableOptions configure NewTable.
type TableOptions struct {
	Name string // the table's file, for messages and the report
	// Communes holds the representative point of each commune (the points
	// the diagnostic uses), for the intra-commune term and the bound.
	Communes map[string]orb.Point
	// Sites holds the point of each site id, for the bound of tables
	// whose destinations are sites.
	Sites map[string]orb.Point
	// Model gives the intra-commune term and the times of absent pairs.
	Model Model
	// Strict refuses an absent pair whose origin is in scope instead of
	// computing it with the model.
	Strict bool
	// InScope tells whether an origin commune belongs to the reported
	// territory (absent pairs are counted apart); nil = every commune.
	InScope func(code string) bool
}

// Table is a TravelTimer reading a travel-time table. The time from a
// place s to a place d is
//
//	t(s, d) = e(s) + T[c(s)][id(d)]            when the table has d's site id
//	t(s, d) = e(s) + T[c(s)][c(d)] + e(d)      else, with the communes of s and d
//
// where c(x) is the commune of x, T the table (origin → destination, as
// given: an asymmetric table is honoured) and e(x) the intra-commune
// term: the model time from x to the representative point of its
// commune (0 for a commune's own point). A pair absent from the table
// takes the model time Model.Minutes(s, d) and is counted (Stats), or is
// refused (ErrTimeMissing) in strict mode when its origin is in scope.
type Table struct {
	*tableData
	asked, missing, missingIn atomic.Int64
	mu                        sync.Mutex
	missingOrigins            map[string]bool
}

// tableData is what a Table and its Recount share.
type tableData struct {
	pt   PairTimes
	opt  TableOptions
	vmax float64 // km/h, an upper bound of every speed the table implies
}

// Recount implements Recounter: the same table and times, with counts
// (Stats, Describe) of its own.
func (t *Table) Recount() TravelTimer {
	return &Table{tableData: t.tableData, missingOrigins: map[string]bool{}}
}

// NewTable returns the timer over pt. Its lower bound MinMinutes uses the
// largest speed the table implies between the given points (crow-fly km
// over minutes), at least the model's SpeedKmh / Detour.
func NewTable(pt PairTimes, opt TableOptions) *Table {
	opt.Model = opt.Model.WithDefaults()
	t := &Table{tableData: &tableData{pt: pt, opt: opt}, missingOrigins: map[string]bool{}}
	t.vmax = opt.Model.SpeedKmh / opt.Model.Detour
	pt.Each(func(origin, dest string, site bool, minutes float64) {
		a, ok := opt.Communes[origin]
		if !ok {
			return
		}
		b, ok := opt.Communes[dest]
		if site {
			b, ok = opt.Sites[dest]
		}
		if !ok {
			return
		}
		if km := HaversineKm(a, b); km > 0 {
			t.vmax = max(t.vmax, km/minutes*60) // minutes = 0: +Inf
		}
	})
	t.vmax *= 1 + 1e-9
	return t
}

// MinMinutes returns km / vmax × 60 (0 when the table implies no bound).
func (t *Table) MinMinutes(km float64) float64 {
	if math.IsInf(t.vmax, 1) {
		return 0
	}
	return km / t.vmax * 60
}

// ReachKm returns minutes / 60 × vmax.
func (t *Table) ReachKm(minutes float64) float64 { return minutes / 60 * t.vmax }

// Times implements TravelTimer. It checks ctx between rows.
func (t *Table) Times(ctx context.Context, src, dst []Place) ([][]float64, error) {
	return pairTimes(ctx, src, dst, t.minutes)
}

// minutes is t(s, d) of the type comment.
func (t *Table) minutes(s, d Place) (float64, error) {
	t.asked.Add(1)
	if s.Commune != "" {
		if d.ID != "" {
			if v, ok := t.pt.SiteMinutes(s.Commune, d.ID); ok {
				return t.intra(s) + v, nil
			}
		}
		if d.Commune != "" {
			if v, ok := t.pt.CommuneMinutes(s.Commune, d.Commune); ok {
				return t.intra(s) + v + t.intra(d), nil
			}
		}
	}
	return t.absent(s, d)
}

// intra returns e(x), the model time from x to its commune's point.
func (t *Table) intra(x Place) float64 {
	c, ok := t.opt.Communes[x.Commune]
	if !ok || c == x.Point {
		return 0
	}
	return t.opt.Model.Minutes(x.Point, c)
}

// absent counts an absent pair and returns its model time.
func (t *Table) absent(s, d Place) (float64, error) {
	in := s.Commune != "" && (t.opt.InScope == nil || t.opt.InScope(s.Commune))
	if in && t.opt.Strict {
		return 0, fmt.Errorf("%w : %s : pas de temps pour %s → %s (--temps-strict)", ErrTimeMissing, t.opt.Name, orUnknown(s.Commune), placeName(d))
	}
	t.missing.Add(1)
	if in {
		t.missingIn.Add(1)
	}
	t.mu.Lock()
	t.missingOrigins[s.Commune] = true
	t.mu.Unlock()
	return t.opt.Model.Minutes(s.Point, d.Point), nil
}

func orUnknown(code string) string {
	if code == "" {
		return "(commune inconnue)"
	}
	return code
}

// placeName names a destination: its site id, else its commune.
func placeName(d Place) string {
	if d.ID != "" {
		return "lieu " + d.ID
	}
	return orUnknown(d.Commune)
}

// TableStats counts the times a Table gave.
type TableStats struct {
	Asked          int64 // times computed
	Missing        int64 // of which absent from the table (model time)
	MissingInScope int64 // of which from an origin in scope
	Origins        int   // distinct origin communes with an absent pair
}

// Stats returns the counts so far.
func (t *Table) Stats() TableStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return TableStats{Asked: t.asked.Load(), Missing: t.missing.Load(), MissingInScope: t.missingIn.Load(), Origins: len(t.missingOrigins)}
}

// Describe implements Describer.
func (t *Table) Describe() Method {
	st := t.Stats()
	m := t.opt.Model
	return Method{Road: true, Text: fmt.Sprintf(
		"temps routiers lus dans la table %s (origine → destination, table asymétrique respectée) ; %d temps calculés, dont %d lus dans la table et %d absents de la table (%d pour des communes du territoire, %d communes d'origine) remplacés par le modèle vol d'oiseau × détour (détour = %s, vitesse = %s km/h) ; lieu situé hors du point de sa commune : temps de la commune + terme intra-communal = temps du modèle entre le lieu et le point de sa commune",
		t.opt.Name, st.Asked, st.Asked-st.Missing, st.Missing, st.MissingInScope, st.Origins, FrNumber(m.Detour), FrNumber(m.SpeedKmh))}
}

// Name returns the table's file name.
func (t *Table) Name() string { return t.opt.Name }
