package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
	"diagnum/geo/route"

	"github.com/paulmach/orb"
)

// travelTimer sets params.Timer from --osrm or --temps; without either
// the model of params is used.
func (o *options) travelTimer(ctx context.Context, ds *data.Dataset, t diag.Territory, params *diag.Params, pr *progress) error {
	n := 0
	for _, s := range []string{o.osrm, o.temps, o.osm} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("%w: --osrm, --temps et --osm s'excluent : choisir une seule source de temps", errUsage)
	}
	if o.tempsUnit != "" && o.tempsUnit != data.UnitMinutes && o.tempsUnit != data.UnitSeconds {
		return fmt.Errorf("%w: --temps-unite %q : minutes ou secondes", errUsage, o.tempsUnit)
	}
	if o.parametres != "" {
		if o.osrm != "" {
			return fmt.Errorf("%w: --parametres (modèle calé) et --osrm s'excluent", errUsage)
		}
		if err := o.loadParametres(ctx, ds, params); err != nil {
			return err
		}
	}
	switch {
	case o.osrm != "":
		if !(o.osrmTimeout > 0 && o.osrmTotal > 0) {
			return fmt.Errorf("%w: --osrm-timeout et --osrm-timeout-total doivent être des durées positives (par ex. 60s, 30m)", errUsage)
		}
		tm, err := geo.NewOSRM(o.osrm, geo.OSRMOptions{Timeout: o.osrmTimeout, RunTimeout: o.osrmTotal,
			Unreachable: o.osrmUnreach, Progress: pr.counter("requêtes OSRM")})
		if err != nil {
			return fmt.Errorf("%w: --osrm : %v", errUsage, err)
		}
		params.Timer = tm
	case o.osm != "":
		pr.step("graphe routier " + o.osm)
		tm, err := o.loadOSM(ctx, params)
		if err != nil {
			return err
		}
		params.Timer = tm
	case o.temps != "":
		tm, err := o.loadTemps(ctx, ds, t, params)
		if err != nil {
			return err
		}
		params.Timer = tm
	}
	return nil
}

// loadParametres reads --parametres: the overall row replaces --detour
// and --speed; rows per density class make the timer a geo.ClassModel
// (unless --temps gives the times: the table's fallback then uses the
// overall row).
func (o *options) loadParametres(ctx context.Context, ds *data.Dataset, params *diag.Params) error {
	tp, err := loadFile(ctx, o.parametres, func(r io.Reader) (*data.TravelParams, error) {
		return data.LoadTravelParams(o.parametres, r)
	})
	if err != nil {
		return fmt.Errorf("paramètres %s : %w", o.parametres, err)
	}
	model := func(class string, m data.ModelParams) (geo.Model, error) {
		q := *params
		q.Detour, q.SpeedKmh, q.Timer = m.Detour, m.SpeedKmh, nil
		if err := q.Validate(); err != nil {
			return geo.Model{}, fmt.Errorf("paramètres %s, classe %s : %w", o.parametres, class, err)
		}
		return geo.Model{Detour: m.Detour, SpeedKmh: m.SpeedKmh}, nil
	}
	all, err := model(data.ClassAll, tp.All)
	if err != nil {
		return err
	}
	params.Detour, params.SpeedKmh = all.Detour, all.SpeedKmh
	if len(tp.ByClass) == 0 {
		return nil
	}
	cm := geo.ClassModel{All: all, ByClass: map[int]geo.Model{}, Class: diag.DensityClasses(ds), Source: o.parametres}
	for c, m := range tp.ByClass {
		if cm.ByClass[c], err = model(strconv.Itoa(c), m); err != nil {
			return err
		}
	}
	params.Timer = cm
	return nil
}

// loadOSM builds the road graph of the --osm extract. The extract is
// read with ctx too (readFileCtx): ReadPBF stops on ctx, but its
// decoder's Close waits for the goroutine reading r, which only a read
// that fails once ctx is done frees when r is a FIFO still open.
func (o *options) loadOSM(ctx context.Context, params *diag.Params) (*route.Timer, error) {
	var g *route.Graph
	var info route.Info
	err := readFileCtx(ctx, o.osm, func(r io.Reader) error {
		var err error
		g, info, err = route.ReadPBF(ctx, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("extrait OpenStreetMap %s : %w", o.osm, err)
	}
	p := params.WithDefaults()
	return route.NewTimer(g, route.TimerOptions{Name: o.osm, Info: info, Model: geo.Model{Detour: p.Detour, SpeedKmh: p.SpeedKmh}}), nil
}

// readTemps reads the --temps table; its rejected rows go to Contrôles
// (or refuse it under --strict).
func (o *options) readTemps(ctx context.Context, ds *data.Dataset) (*data.TravelTable, error) {
	tab, err := loadChecked(ctx, o.temps, ds, o.strict, func(r io.Reader) (*data.TravelTable, data.Checks, error) {
		return data.LoadTravelTable(o.temps, r, data.TravelTableOptions{Unit: o.tempsUnit, Known: ds.KnownCode})
	})
	if err != nil {
		return nil, fmt.Errorf("temps %s : %w", o.temps, err)
	}
	return tab, nil
}

// loadTemps reads the --temps table and makes its timer.
func (o *options) loadTemps(ctx context.Context, ds *data.Dataset, t diag.Territory, params *diag.Params) (*geo.Table, error) {
	tab, err := o.readTemps(ctx, ds)
	if err != nil {
		return nil, err
	}
	communes := make(map[string]orb.Point, len(ds.Communes))
	inScope := make(map[string]bool)
	for i := range ds.Communes {
		c := &ds.Communes[i]
		if c.HasPoint {
			communes[c.Code] = c.Point
		}
		if t.Contains(c.Dep, c.Region) {
			inScope[c.Code] = true
		}
	}
	sites := make(map[string]orb.Point, len(ds.Sites))
	for _, s := range ds.Sites {
		sites[s.ID] = s.Point
	}
	p := params.WithDefaults()
	return geo.NewTable(tab, geo.TableOptions{
		Name: o.temps, Communes: communes, Sites: sites,
		Model:  geo.Model{Detour: p.Detour, SpeedKmh: p.SpeedKmh},
		Strict: o.tempsStrict, InScope: func(code string) bool { return inScope[code] },
	}), nil
}

// timerChecks reports, after the computation, the travel times a table
// did not hold (a Warning in Contrôles and a console line).
func timerChecks(params diag.Params, stderr io.Writer, quiet bool) data.Checks {
	if rt, ok := params.Timer.(*route.Timer); ok {
		return routeChecks(rt, stderr, quiet)
	}
	tab, ok := params.Timer.(*geo.Table)
	if !ok {
		return nil
	}
	st := tab.Stats()
	if !quiet {
		fmt.Fprintf(stderr, "temps : %d temps calculés, %d lus dans la table, %d absents remplacés par le modèle (%d pour des communes du territoire)\n",
			st.Asked, st.Asked-st.Missing, st.Missing, st.MissingInScope)
	}
	if st.Missing == 0 {
		return nil
	}
	var c data.Checks
	c.Warn(&data.ParseError{File: tab.Name(), Err: fmt.Errorf(
		"%w : %d temps de trajet sur %d étaient absents de la table et ont été calculés avec le modèle (%d depuis des communes du territoire ; %d communes d'origine)",
		data.ErrMissingTime, st.Missing, st.Asked, st.MissingInScope, st.Origins)})
	return c
}

// routeChecks reports the times of --osm left to the model (places more
// than route.MaxSnapKm from every road of the extract).
func routeChecks(rt *route.Timer, stderr io.Writer, quiet bool) data.Checks {
	asked, unrouted := rt.Stats()
	if !quiet {
		fmt.Fprintf(stderr, "temps : %d temps calculés, %d sur le graphe routier, %d hors de l'extrait remplacés par le modèle\n",
			asked, asked-unrouted, unrouted)
	}
	if unrouted == 0 {
		return nil
	}
	var c data.Checks
	c.Warn(&data.ParseError{File: rt.Name(), Err: fmt.Errorf(
		"%w : %d temps de trajet sur %d concernent un lieu à plus de %g km de toute route de l'extrait et ont été calculés avec le modèle",
		data.ErrMissingTime, unrouted, asked, route.MaxSnapKm)})
	return c
}
