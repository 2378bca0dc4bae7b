package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/geo"
)

// errUsage marks a command line that cannot be understood (exit code 2).
var errUsage = errors.New("ligne de commande incorrecte")

// options are the command-line settings of a diagnostic run.
type options struct {
	dept, region string
	france       bool
	out, csv     string
	geojson      string
	mapFile      string
	html         string
	sites        []string
	sitesOnly    bool      // --sites-only: the user's sites and no others
	stderr       io.Writer // console messages (rejected rows); nil: none
	indicators   []string
	weights      string
	demande      string // --demande: demand layer finer than the commune
	supply       string
	etp          string
	threshold    float64
	detour       float64
	speed        float64
	osrm         string
	temps        string
	tempsStrict  bool
	tempsUnit    string
	parametres   string
	osrmTimeout  time.Duration
	osrmTotal    time.Duration
	osrmUnreach  bool
	osm          string
	quiet        bool
	strict       bool
	version      bool
	set          map[string]bool // flags given on the command line
	methodOptions
}

// defaultSupply lists the codes of the kinds counted as supply when
// --supply is not given, by the command and by diagnum serve's first
// figures: the whole offer, every kind of data.Kinds (conseillers
// numériques, France Services, lieux de médiation, autres), each with its
// FTE per site (diag.DefaultFTEFranceServices …). The library's
// diag.Defaults counts the conseillers numériques alone, so that a
// caller of diag adds the other kinds knowingly.
func defaultSupply() []string {
	codes := make([]string, len(data.Kinds))
	for i, k := range data.Kinds {
		codes[i] = k.String()
	}
	return codes
}

// usageText is the help of the command; the kinds of sites come from
// data.Kinds.
var usageText = strings.NewReplacer(
	"@OFFRE@", strings.Join(defaultSupply(), ","),
).Replace(usageTemplate)

const usageTemplate = `diagnum — diagnostic territorial de l'inclusion numérique

Usage :
  diagnum [options]            le diagnostic d'un territoire (ci-dessous)
  diagnum plan [options]       où placer de nouveaux conseillers : diagnum plan --help
  diagnum calibrer --temps F   caler détour et vitesse sur des temps routiers réels :
                               diagnum calibrer --help
  diagnum serve [--port N]     l'application web locale (tableau de bord, simulation) :
                               diagnum serve --help

Sans option, diagnum produit le diagnostic de la Creuse (23) à partir des
données ouvertes intégrées (communes, populations légales, France Services,
conseillers numériques, lieux de médiation, QPV, FRR) et écrit le classeur
Excel diagnostic-23.xlsx dans le dossier courant.

Territoire (un seul à la fois) :
  --dept CODE          département, par ex. 23, 59, 2A, 974 (défaut : 23 ; 1 = 01)
  --region CODE        région, par ex. 75 (Nouvelle-Aquitaine), 32 (Hauts-de-France)
  --france             toute la France

Fichiers produits :
  --out FICHIER        classeur Excel (défaut : diagnostic-23.xlsx,
                       diagnostic-region-75.xlsx ou diagnostic-france.xlsx) ;
                       « - » : les mesures en CSV sur la sortie standard, sans classeur
  --csv FICHIER        mesures par commune en CSV (« - » : sortie standard)
  --geojson FICHIER    couche des communes pour QGIS (WGS84), et FICHIER-sites.geojson
                       pour les lieux
  --map FICHIER        carte du score d'écart : FICHIER.png et FICHIER.svg
  --html FICHIER       rapport interactif en un seul fichier HTML (carte, recherche,
                       tableaux triables), lisible hors ligne

Vos données (facultatif) :
  --sites FICHIER      vos lieux : CSV id,nom,type,latitude,longitude,etp,code_insee
                       ou GeoJSON (points, mêmes propriétés) ; type : cnfs,
                       france-services, mediation ou autre ; etp facultatif, 1 par
                       défaut. Répétable. Remplace, dans le territoire étudié
                       seulement, les lieux intégrés des types qu'il contient ;
                       ceux des territoires voisins restent.
  --sites-only         ne compter que vos lieux (aucun lieu intégré, nulle part)
  --indicators FICHIER indicateurs par commune : CSV code_insee + colonnes numériques
                       (virgule décimale acceptée). Répétable. S'ajoute aux indicateurs intégrés.
  --weights FICHIER    poids de l'indice de fragilité : CSV indicateur,poids
  --demande FICHIER    population plus fine que la commune, mesurée à son propre point
                       puis agrégée par commune (colonne part_couverte) : carreaux INSEE
                       de 200 m (Idcar_200m,Ind…), IRIS (code_iris,population,latitude,
                       longitude ou GeoJSON de polygones) ou points (id,latitude,longitude,
                       population). Les communes sans unité restent mesurées à leur point
  --strict             refuser vos fichiers au moindre problème de ligne (sinon les
                       lignes rejetées sont listées dans l'onglet Contrôles)

Méthode :
  --supply TYPES       types de lieux comptés comme offre, séparés par des virgules
                       (défaut : tous, @OFFRE@ ;
                       --supply cnfs pour les seuls conseillers numériques)
  --etp TYPE=N,...     ETP compté par lieu d'un type, de 0 à 100 (défaut :
                       france-services=1,mediation=0.5,autre=0.5 ; les lieux cnfs
                       gardent les ETP des postes répartis sur leurs lieux)
  --threshold MINUTES  temps d'accès jugé acceptable, de 1 à 240 (défaut : 30)
  --detour FACTEUR     détour de la route par rapport à la ligne droite, de 1 à 3 (défaut : 1.3)
  --speed KMH          vitesse moyenne en km/h, de 5 à 150 (défaut : 50)
  --osrm URL           calculer les temps de trajet avec un serveur OSRM (/table) ;
                       4 requêtes en parallèle au plus, 100 coordonnées par requête ;
                       la première requête en échec arrête l'exécution (429 et 503 :
                       3 nouvelles tentatives au plus, donc au plus 4 fois les requêtes utiles)
  --osrm-timeout DUREE délai maximal de chaque requête OSRM, connexion, en-têtes et
                       corps compris (défaut : 60s)
  --osrm-timeout-total DUREE  délai maximal de l'ensemble des requêtes (défaut : 30m)
  --osrm-injoignable   un temps nul (null) ou absurde (plus de 24 h) rendu par le serveur
                       marque le couple injoignable au lieu d'arrêter l'exécution
  --temps FICHIER      temps routiers d'un distancier (OSRM, r5r, Métric, PySAL…) :
                       CSV long origine,destination,minutes (ou secondes), ou matrice
                       (1re colonne : codes INSEE d'origine ; en-tête : destinations).
                       Origines : codes INSEE ; destinations : codes INSEE ou id de lieux.
                       Un couple absent est calculé par le modèle et compté (Contrôles)
  --temps-strict       refuser un couple absent de la table (origine dans le territoire)
  --temps-unite UNITE  unité d'une matrice dont la 1re case ne la nomme pas :
                       minutes ou secondes
  --osm FICHIER.osm.pbf  temps routiers calculés sans serveur sur un extrait OpenStreetMap
                       (par ex. la région téléchargée chez Geofabrik) : vitesses par classe
                       de route ou maxspeed, sens uniques ; communes et lieux rattachés au
                       nœud routier le plus proche (2 km au plus, sinon temps du modèle)
  --parametres FICHIER détour et vitesse calés par « diagnum calibrer » (toutes les
                       communes et par classe de densité) ; remplace --detour et --speed
  --methode NOM        mesure d'accessibilité : 2sfca (bassin binaire), e2sfca (défaut),
                       3sfca (Wan, Zou et Sternberg 2012) ou gravite (W = max(t, 1 min)^−β)
  --decroissance K     décroissance W(t) jusqu'au seuil : gaussienne (défaut), aucune,
                       paliers:10=1,20=0.68,30=0.22 (minutes=poids, poids de 0 à 1),
                       puissance:β ou exponentielle:β (β de 0 exclu à 10, t en minutes)
  --normaliser         diviser l'accès par sa moyenne pondérée par la population
                       (10 000 = accès moyen de la France)

Divers :
  --quiet              n'afficher que les erreurs
  --version            afficher la version
  -h, --help           cette aide

Exemples :
  diagnum --dept 59 --out nord.xlsx --csv nord.csv
  diagnum --region 75 --supply cnfs,france-services
  diagnum --dept 23 --sites mes-lieux.csv --threshold 20
`

// register declares the flags shared by the diagnostic and the planner:
// territory, outputs, data and method.
func (o *options) register(fs *flag.FlagSet) {
	fs.StringVar(&o.dept, "dept", "", "")
	fs.StringVar(&o.region, "region", "", "")
	fs.BoolVar(&o.france, "france", false, "")
	fs.StringVar(&o.out, "out", "", "")
	fs.StringVar(&o.csv, "csv", "", "")
	fs.StringVar(&o.html, "html", "", "")
	fs.Func("sites", "", func(s string) error { o.sites = append(o.sites, s); return nil })
	fs.BoolVar(&o.sitesOnly, "sites-only", false, "")
	fs.Func("indicators", "", func(s string) error { o.indicators = append(o.indicators, s); return nil })
	fs.StringVar(&o.weights, "weights", "", "")
	registerDemande(fs, &o.demande)
	fs.StringVar(&o.supply, "supply", strings.Join(defaultSupply(), ","), "")
	fs.StringVar(&o.etp, "etp", "", "")
	fs.Float64Var(&o.threshold, "threshold", diag.DefaultThresholdMin, "")
	fs.Float64Var(&o.detour, "detour", diag.DefaultDetour, "")
	fs.Float64Var(&o.speed, "speed", diag.DefaultSpeedKmh, "")
	fs.StringVar(&o.osrm, "osrm", "", "")
	fs.StringVar(&o.temps, "temps", "", "")
	fs.BoolVar(&o.tempsStrict, "temps-strict", false, "")
	fs.StringVar(&o.tempsUnit, "temps-unite", "", "")
	fs.StringVar(&o.parametres, "parametres", "", "")
	fs.DurationVar(&o.osrmTimeout, "osrm-timeout", geo.DefaultOSRMTimeout, "")
	fs.DurationVar(&o.osrmTotal, "osrm-timeout-total", geo.DefaultOSRMRunTimeout, "")
	fs.BoolVar(&o.osrmUnreach, "osrm-injoignable", false, "")
	fs.StringVar(&o.osm, "osm", "", "")
	fs.BoolVar(&o.quiet, "quiet", false, "")
	fs.BoolVar(&o.strict, "strict", false, "")
}

// parseFlags parses the arguments of a diagnostic run.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{stderr: stderr}
	fs := flag.NewFlagSet("diagnum", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.register(fs)
	fs.StringVar(&o.geojson, "geojson", "", "")
	fs.StringVar(&o.mapFile, "map", "", "")
	fs.BoolVar(&o.version, "version", false, "")
	o.registerMethod(fs)
	if err := parseArgs(fs, args, stderr, usageText, ""); err != nil {
		return nil, err
	}
	o.visited(fs)
	if err := o.checkTerritory(); err != nil {
		return nil, err
	}
	if err := o.checkMethod(); err != nil {
		return nil, err
	}
	return o, o.checkBounds()
}

// visited records the flags given on the command line in o.set.
func (o *options) visited(fs *flag.FlagSet) {
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
}

// checkTerritory refuses two territories or an empty code, and sets the
// default territory (--dept 23) when none is given. It also refuses
// --sites-only without a --sites file, which would count no site at all.
func (o *options) checkTerritory() error {
	if o.sitesOnly && len(o.sites) == 0 {
		return fmt.Errorf("%w: --sites-only demande au moins un fichier --sites (sinon aucun lieu ne serait compté)", errUsage)
	}
	n := 0
	for _, name := range []string{"dept", "region", "france"} {
		if o.set[name] {
			n++
		}
	}
	switch {
	case n > 1:
		return fmt.Errorf("%w: choisir un seul territoire parmi --dept, --region et --france", errUsage)
	case o.set["dept"] && strings.TrimSpace(o.dept) == "":
		return fmt.Errorf("%w: --dept : code de département vide (par ex. 23, 2A ou 974)", errUsage)
	case o.set["region"] && strings.TrimSpace(o.region) == "":
		return fmt.Errorf("%w: --region : code de région vide (par ex. 75 ou 84)", errUsage)
	case n == 0:
		o.dept = "23"
	}
	return nil
}

// checkBounds refuses a method parameter outside its bounds (diag.Params
// bounds; NaN and infinities are outside every range).
func (o *options) checkBounds() error {
	for _, b := range []struct {
		name   string
		v      float64
		lo, hi float64
		unit   string
	}{
		{"threshold", o.threshold, diag.MinThresholdMin, diag.MaxThresholdMin, "un temps en minutes"},
		{"speed", o.speed, diag.MinSpeedKmh, diag.MaxSpeedKmh, "une vitesse en km/h"},
		{"detour", o.detour, diag.MinDetour, diag.MaxDetour, "un facteur de détour"},
	} {
		if !(b.v >= b.lo && b.v <= b.hi) {
			return fmt.Errorf("%w: --%s %v hors des bornes (attendu : %s entre %g et %g)", errUsage, b.name, b.v, b.unit, b.lo, b.hi)
		}
	}
	return nil
}

// territory returns the territory asked for, with normalised codes.
func (o *options) territory() (diag.Territory, error) {
	switch {
	case o.france:
		return diag.France(), nil
	case o.region != "":
		code := strings.TrimSpace(o.region)
		if len(code) == 1 {
			code = "0" + code
		}
		return diag.Regions(code), nil
	}
	code, err := data.NormDep(o.dept)
	if err != nil {
		return diag.Territory{}, fmt.Errorf("%w: --dept %q : %v", errUsage, o.dept, err)
	}
	return diag.Departements(code), nil
}

// checkKnown refuses (usage error) a département or région code that
// the data does not know, listing the known ones.
func checkKnown(t diag.Territory, ds *data.Dataset) error {
	var known []string
	switch t.Level {
	case diag.LevelDepartement:
		for _, d := range ds.Departements {
			known = append(known, d.Code)
		}
	case diag.LevelRegion:
		for _, r := range ds.Regions {
			known = append(known, r.Code)
		}
	default:
		return nil
	}
	for _, c := range t.Codes {
		if !slices.Contains(known, c) {
			what := "--dept"
			if t.Level == diag.LevelRegion {
				what = "--region"
			}
			return fmt.Errorf("%w: %s : code inconnu %q (codes connus : %s)", errUsage, what, c, strings.Join(known, " "))
		}
	}
	return nil
}

// outPath returns the workbook path: --out, or a name from the territory.
func (o *options) outPath(t diag.Territory) string {
	return workbookPath(o.out, "diagnostic", t)
}

// workbookPath returns out when set, otherwise the default workbook name
// of a subcommand for territory t: prefix-france.xlsx,
// prefix-region-CODE.xlsx or prefix-CODE.xlsx (the first code).
func workbookPath(out, prefix string, t diag.Territory) string {
	if out != "" {
		return out
	}
	switch t.Level {
	case diag.LevelFrance:
		return prefix + "-france.xlsx"
	case diag.LevelRegion:
		return prefix + "-region-" + t.Codes[0] + ".xlsx"
	}
	return prefix + "-" + t.Codes[0] + ".xlsx"
}

// params returns the diagnostic parameters set by the flags.
func (o *options) params() (diag.Params, error) {
	p := diag.Defaults()
	p.ThresholdMin, p.Detour, p.SpeedKmh = o.threshold, o.detour, o.speed
	o.setMethod(&p)
	p.Supply = nil
	for _, s := range strings.Split(o.supply, ",") {
		k, ok := data.ParseKind(strings.TrimSpace(s))
		if !ok {
			return p, fmt.Errorf("%w: --supply : type de lieu inconnu %q (%s)", errUsage, s, strings.Join(defaultSupply(), ", "))
		}
		p.Supply = append(p.Supply, k)
	}
	if o.etp != "" {
		for _, kv := range strings.Split(o.etp, ",") {
			name, val, ok := strings.Cut(kv, "=")
			k, okKind := data.ParseKind(strings.TrimSpace(name))
			v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if !ok || !okKind || err != nil {
				return p, fmt.Errorf("%w: --etp : attendu TYPE=N, par ex. france-services=1, pas %q", errUsage, kv)
			}
			if !(v >= 0 && v <= diag.MaxFTEPerSite) {
				return p, fmt.Errorf("%w: --etp %s hors des bornes (attendu : un ETP par lieu entre 0 et %g)", errUsage, kv, diag.MaxFTEPerSite)
			}
			p.FTEPerSite[k] = v
		}
	}
	return p, p.Validate()
}

// flagMessages translates the messages of the flag package (Go's own, in
// English) for users: an unknown option, a missing or unreadable value.
var flagMessages = []struct {
	re *regexp.Regexp
	fr string
}{
	{regexp.MustCompile(`^flag provided but not defined: (-+\S*)$`), "option inconnue $1"},
	{regexp.MustCompile(`^flag needs an argument: (-+\S*)$`), "l'option $1 demande une valeur"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "option mal écrite : $1"},
	{regexp.MustCompile(`^invalid boolean value ("(?:[^"\\]|\\.)*") for (-\S+): .*$`), "valeur $1 incorrecte pour $2 : attendu true ou false"},
	{regexp.MustCompile(`^invalid boolean flag (\S+): .*$`), "valeur incorrecte pour -$1 : attendu true ou false"},
	{regexp.MustCompile(`^invalid value ("(?:[^"\\]|\\.)*") for flag (-\S+): parse error$`), "valeur $1 illisible pour $2"},
	{regexp.MustCompile(`^invalid value ("(?:[^"\\]|\\.)*") for flag (-\S+): value out of range$`), "valeur $1 hors des bornes pour $2"},
	{regexp.MustCompile(`^invalid value ("(?:[^"\\]|\\.)*") for flag (-\S+): (.*)$`), "valeur $1 incorrecte pour $2 : $3"},
}

// parseArgs parses args with fs, whose command takes no argument after
// its flags: -h or --help prints usage on stderr and returns
// flag.ErrHelp; a bad flag or an argument is an errUsage whose message
// starts with cmd ("" for the diagnostic, "plan : " for a subcommand).
func parseArgs(fs *flag.FlagSet, args []string, stderr io.Writer, usage, cmd string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usage)
			return err
		}
		return fmt.Errorf("%w: %s%s", errUsage, cmd, frFlagError(err))
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: %sargument inattendu %q", errUsage, cmd, fs.Arg(0))
	}
	return nil
}

// frFlagError returns the French message of an error of flag.Parse.
func frFlagError(err error) string {
	msg := err.Error()
	for _, m := range flagMessages {
		if m.re.MatchString(msg) {
			return m.re.ReplaceAllString(msg, m.fr)
		}
	}
	return msg
}

// runDate returns the date the outputs carry, and to which the ages of
// the data are counted: today (UTC), or, when the environment sets
// SOURCE_DATE_EPOCH (seconds since 1970-01-01 UTC, the convention of
// reproducible builds; empty is unset), that day, so that the same run
// on another day writes the same bytes. A value that is not such a
// number is an error.
func runDate() (time.Time, error) {
	t := time.Now()
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil || sec < 0 || sec > 253402300799 { // up to 9999-12-31
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH : « %s » n'est pas un nombre de secondes depuis le 1er janvier 1970 (UTC)", v)
		}
		t = time.Unix(sec, 0)
	}
	return t.UTC().Truncate(24 * time.Hour), nil
}
