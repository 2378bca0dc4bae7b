package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"diagnum/data"
	"diagnum/diag"
)

const calibrerUsageText = `diagnum calibrer — caler le modèle vol d'oiseau × détour sur des temps routiers réels

Usage :
  diagnum calibrer --temps FICHIER [options]

Lit une table de temps routiers (mêmes formats que --temps du diagnostic), ajuste
le modèle t = distance à vol d'oiseau × détour / vitesse × 60 sur les couples de
communes de la table, pour toutes les communes et par classe de densité de la
commune d'origine (grille INSEE 1–7), affiche l'erreur |modèle − réel| (médiane,
90e centile) du modèle par défaut et du modèle calé, et la part des communes dont
la couverture au seuil change, puis écrit le fichier de paramètres à donner au
diagnostic et au planificateur avec --parametres.

Seul le rapport détour / vitesse se déduit des temps : le détour est gardé
(--detour, 1,3 par défaut) et la vitesse ajustée (médiane pondérée par la distance
des minutes par km, qui minimise la somme des écarts absolus).

Options :
  --temps FICHIER      la table de temps réels (obligatoire)
  --temps-unite UNITE  unité d'une matrice dont la 1re case ne la nomme pas : minutes ou secondes
  --out FICHIER        fichier de paramètres écrit (défaut : parametres-temps.csv ; « - » : sortie standard)
  --jusqua MINUTES     ne caler que sur les couples dont le temps réel est au plus MINUTES
                       (les trajets courts décident de la couverture ; défaut : tous)
  --threshold MINUTES  seuil de couverture comparé (défaut : 30)
  --detour, --speed    le modèle par défaut comparé (défaut : 1,3 et 50 km/h)
  --quiet              n'afficher que les erreurs
`

// calibrerOptions are the settings of diagnum calibrer.
type calibrerOptions struct {
	options
	jusqua float64
}

// runCalibrer runs `diagnum calibrer` with args (after "calibrer").
func runCalibrer(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := &calibrerOptions{}
	fs := flag.NewFlagSet("diagnum calibrer", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.register(fs)
	fs.Float64Var(&o.jusqua, "jusqua", 0, "")
	if err := parseArgs(fs, args, stderr, calibrerUsageText, "calibrer : "); err != nil {
		return err
	}
	o.visited(fs)
	switch {
	case o.temps == "":
		return fmt.Errorf("%w: calibrer : indiquer la table de temps réels (--temps FICHIER)", errUsage)
	case !(o.jusqua >= 0 && o.jusqua <= data.MaxTravelMinutes):
		return fmt.Errorf("%w: calibrer : --jusqua %v hors des bornes (0 à %g minutes)", errUsage, o.jusqua, data.MaxTravelMinutes)
	}
	if err := o.checkBounds(); err != nil {
		return err
	}
	params, err := o.params()
	if err != nil {
		return err
	}
	ds, err := embedded() // read once per process, as the other commands do
	if err != nil {
		return fmt.Errorf("données intégrées : %w", err)
	}
	ds = ds.Clone() // readTemps adds the table's checks to it
	tab, err := o.readTemps(ctx, ds)
	if err != nil {
		return err
	}
	c, err := diag.Calibrate(ctx, ds, tab, params, o.jusqua)
	if err != nil {
		return err
	}
	if !o.quiet {
		printCalibration(stderr, tab, c)
	}
	out := o.out
	if out == "" {
		out = "parametres-temps.csv"
	}
	set := newOutputs(ctx, stdout)
	defer set.abort()
	if err := set.write(out, func(w io.Writer) error { return data.WriteTravelParams(w, calibrationRows(c)) }); err != nil {
		return fmt.Errorf("paramètres %s : %w", out, err)
	}
	if err := set.commit(); err != nil {
		return err
	}
	if !o.quiet && out != "-" {
		fmt.Fprintf(stderr, "paramètres écrits dans %s (à donner au diagnostic et au planificateur avec --parametres %s)\n", out, out)
	}
	return nil
}

// calibrationRows are the rows of the parameters file: toutes, then each
// class with its own parameters.
func calibrationRows(c *diag.Calibration) []data.TravelParamsRow {
	row := func(class string, f diag.Fit) data.TravelParamsRow {
		return data.TravelParamsRow{Class: class, Params: data.ModelParams{Detour: f.Model.Detour, SpeedKmh: f.Model.SpeedKmh},
			Pairs: f.Pairs, MedianErr: f.MedianErr, P90Err: f.P90Err}
	}
	rows := []data.TravelParamsRow{row(data.ClassAll, c.Overall)}
	for _, f := range c.Classes {
		if f.Own {
			rows = append(rows, row(strconv.Itoa(f.Class), f))
		}
	}
	return rows
}

// printCalibration prints the fit and the error distribution.
func printCalibration(w io.Writer, tab *data.TravelTable, c *diag.Calibration) {
	fr := func(v float64, d int) string { return frFloat(v, d) }
	fmt.Fprintf(w, "Calage sur %d couples de communes de %s (%d couples écartés : commune inconnue ou sans point, même point, destination lieu)\n",
		c.All.Pairs, tab.File, c.Skipped)
	fmt.Fprintf(w, "Modèle par défaut : détour %s, vitesse %s km/h\n", fr(c.Default.Detour, 2), fr(c.Default.SpeedKmh, 1))
	fmt.Fprintf(w, "%-8s %9s %7s %9s   %-26s %s\n", "classe", "couples", "détour", "vitesse", "|erreur| calé méd. / p90", "défaut méd. / p90 (min)")
	line := func(name string, f diag.Fit, own string) {
		fmt.Fprintf(w, "%-8s %9d %7s %9s   %-26s %s\n", name, f.Pairs, fr(f.Model.Detour, 2), fr(f.Model.SpeedKmh, 1)+own,
			fr(f.MedianErr, 2)+" / "+fr(f.P90Err, 2), fr(f.DefMedianErr, 2)+" / "+fr(f.DefP90Err, 2))
	}
	line("toutes", c.Overall, "")
	for _, f := range c.Classes {
		own := ""
		if !f.Own {
			own = "*"
		}
		line(strconv.Itoa(f.Class), f, own)
	}
	fmt.Fprintf(w, "Par classe (chaque couple avec le modèle de la classe de son origine) : |erreur| médiane %s min, p90 %s min\n", fr(c.All.MedianErr, 2), fr(c.All.P90Err, 2))
	fmt.Fprintf(w, "Couverture à %s min des %d communes de la table (lieux de ces communes) : %s %% changent avec le modèle par défaut, %s %% avec le modèle calé\n",
		fr(c.ThresholdMin, 0), c.Communes, fr(100*c.CoverageDefault, 1), fr(100*c.CoverageFit, 1))
	for _, f := range c.Classes {
		if !f.Own {
			fmt.Fprintf(w, "* classe %d : moins de %d couples, paramètres de « toutes »\n", f.Class, diag.MinClassPairs)
		}
	}
}

// frFloat formats v with d decimals and a decimal comma.
func frFloat(v float64, d int) string {
	s := strconv.FormatFloat(v, 'f', d, 64)
	for i := range s {
		if s[i] == '.' {
			return s[:i] + "," + s[i+1:]
		}
	}
	return s
}
