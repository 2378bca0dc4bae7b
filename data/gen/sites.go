package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"diagnum/data"
	"diagnum/data/source"
	"diagnum/diag"

	"github.com/paulmach/orb"
)

// sites loads every site source, places the 2023 advisor posts at the
// 2022-12 places, adds data·inclusion's lieux in the standard des lieux
// except those of the sources already read (StandardDuplicateSources; a
// lieu without coordinates at its commune's chef-lieu, communeLocator),
// validates each source against the territories and the COG, counts
// once a place listed by two sources (source.CrossSourceDuplicates), and
// writes sites.bin.zst (writeSites).
func (g *gen) sites() error {
	known := func(code string) bool { _, ok := g.res(code); return ok }
	var all []data.Site
	files := map[string]string{} // source -> its file, for the checks
	add := func(file string, sites []data.Site, checks data.Checks, err error) error {
		if err != nil {
			return err
		}
		g.siteChecks = append(g.siteChecks, checks...)
		kept, vc := data.ValidateSites(file, sites, known)
		g.siteChecks = append(g.siteChecks, vc...)
		all = append(all, kept...)
		for _, s := range kept {
			if _, ok := files[s.Source]; !ok {
				files[s.Source] = file
			}
		}
		return nil
	}
	const fsFile = "anct-france-services/liste-fs-20240801.csv"
	if err := g.read(fsFile, func(n string, r io.Reader) error {
		s, c, err := source.LoadFranceServices(n, r)
		return add(n, s, c, err)
	}); err != nil {
		return err
	}
	cnfs, err := g.advisors()
	if err != nil {
		return err
	}
	if err := add("cnfs-lieux-2022-12 + cnfs-structures-2023", cnfs, nil, nil); err != nil {
		return err
	}
	for _, src := range []struct {
		file string
		load func(string, io.Reader) ([]data.Site, data.Checks, error)
	}{
		{"cartographie-nationale-hinaura/lieux_hinaura_2021.json", source.LoadHinaura},
		{"portrea-mediation-numerique/locations.geojson", source.LoadPortrea},
		{"data-inclusion-2023/lieux-20230206.json", func(n string, r io.Reader) ([]data.Site, data.Checks, error) {
			return source.LoadStandardLieuxAt(n, r, source.StandardDuplicateSources, g.communeLocator())
		}},
	} {
		if err := g.read(src.file, func(n string, r io.Reader) error {
			s, c, err := src.load(n, r)
			return add(n, s, c, err)
		}); err != nil {
			return err
		}
	}
	all, dups := source.CrossSourceDuplicates(files, all, g.siteCommunes(all))
	g.siteChecks = append(g.siteChecks, dups...)
	return g.writeSites(all)
}

// writeSites writes sites.bin.zst: the sites as LoadSitesCSV reads them
// from the sites CSV that WriteSitesCSV makes of them (ids and names made
// formula-safe, numbers in their shortest form), which must give no
// check, since every source was validated.
func (g *gen) writeSites(all []data.Site) error {
	var text bytes.Buffer
	if err := data.WriteSitesCSV(&text, all); err != nil {
		return err
	}
	ds := &data.Dataset{Communes: g.cog.Communes, Renamed: g.cog.Renamed}
	read, checks, err := data.LoadSitesCSV("sites.csv", &text, data.SitesOptions{Known: ds.KnownCode, Checked: true})
	if err == nil && len(checks) > 0 {
		err = fmt.Errorf("lieux : %d contrôles en relisant leur CSV, dont %v", len(checks), checks[0].Err)
	}
	if err != nil {
		return err
	}
	return g.writeWith("sites.bin.zst", func(w io.Writer) error { return data.WriteSitesBin(w, read) })
}

// siteCommunes returns the commune each site lies in (diag.Assign: point
// in polygon), "" when none.
func (g *gen) siteCommunes(sites []data.Site) []string {
	ds := &data.Dataset{Communes: g.cog.Communes, Renamed: g.cog.Renamed, Sites: slices.Clone(sites)}
	assigned, _ := diag.Assign(ds)
	out := make([]string, len(sites))
	for i := range sites {
		out[i] = assigned[i].Commune
	}
	return out
}

// advisors places the 2023 advisor posts (cnfs-structures-2023) at the
// places where advisors work (cnfs-lieux-2022-12, with the place ↔ advisor
// links) by source.AllocateAdvisors; a place without coordinates is put
// at its commune's chef-lieu (communeLocator, as data·inclusion's lieux).
// A structure is first given the
// representative point of its declared commune, and each place the commune
// it lies in (diag.Assign), for the distance rule and for the structures
// without a place.
func (g *gen) advisors() ([]data.Site, error) {
	const (
		stFile    = "cnfs-structures-2023/structures-20230405.csv"
		placeFile = "cnfs-lieux-2022-12/lieux.csv"
		linkFile  = "cnfs-lieux-2022-12/conseillers_lieux.csv"
	)
	var (
		structures []source.Structure
		places     []source.AdvisorPlace
		links      []source.AdvisorLink
	)
	_, err := readChecked(g, stFile, source.LoadStructures2023, &structures, &g.siteChecks)
	if err == nil {
		_, err = readChecked(g, placeFile, func(n string, r io.Reader) ([]source.AdvisorPlace, data.Checks, error) {
			return source.LoadAdvisorPlacesAt(n, r, g.communeLocator())
		}, &places, &g.siteChecks)
	}
	if err == nil {
		_, err = readChecked(g, linkFile, source.LoadAdvisorLinks, &links, &g.siteChecks)
	}
	if err != nil {
		return nil, err
	}
	g.placeStructures(structures)
	if err := g.references(structures); err != nil {
		return nil, err
	}
	g.placeCommunes(places)
	sites, checks := source.AllocateAdvisors(structures, places, links, source.AdvisorOptions{
		File: stFile, PlacesFile: placeFile, Source: source.SourceCNFS2023})
	g.siteChecks = append(g.siteChecks, checks...)
	sites, checks = source.MergeSamePlaces(placeFile, sites)
	g.siteChecks = append(g.siteChecks, checks...)
	return sites, nil
}

// placeCommunes sets the commune each place lies in (Site.Commune).
func (g *gen) placeCommunes(places []source.AdvisorPlace) {
	ds := &data.Dataset{Communes: g.cog.Communes, Renamed: g.cog.Renamed, Sites: make([]data.Site, len(places))}
	for i, p := range places {
		ds.Sites[i] = p.Site
	}
	assigned, _ := diag.Assign(ds)
	for i := range places {
		places[i].Site.Commune = assigned[i].Commune
	}
}

// placements writes sites_communes.csv.gz: where diag.Assign places each
// embedded site, as a run loads the written data set, and the check that
// placement gives (diag.Placements), so that a run places none of them
// again and lists the same checks. It runs last, on the files written.
func (g *gen) placements() error {
	const name = "sites_communes.csv.gz"
	if err := os.Remove(filepath.Join(g.out, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	ds, err := data.LoadDir(os.DirFS(g.out))
	if err != nil {
		return err
	}
	placed := diag.Placements(ds)
	return g.writeCSV(name, []string{"id", "commune", "controle", "declare", "km"}, len(placed), func(i int) []string {
		p := &placed[i]
		km := ""
		if p.Check == data.PlaceOffshore {
			km = ff(p.Km)
		}
		return []string{ds.Sites[i].ID, p.Commune, p.Check.String(), p.Declared, km}
	})
}

// controls writes the checks found while generating, so that the report
// lists the rows of the source files that were rejected or flagged. The
// domaine column tells the checks about the sites ("lieux"), which no
// longer apply when a user replaces the embedded sites, from the others
// ("communes"); type is the check's kind (data.CheckKind.String), site
// and commune the subject it concerns.
func (g *gen) controls() error {
	all := append(slices.Clone(g.checks), g.siteChecks...)
	header := []string{"domaine", "gravite", "type", "fichier", "ligne", "colonne", "site", "commune", "motif"}
	return g.writeCSV("controles.csv.zst", header, len(all), func(i int) []string {
		c := all[i]
		domain := "communes"
		if i >= len(g.checks) {
			domain = "lieux"
		}
		sev := "avertissement"
		if c.Severity == data.Rejected {
			sev = "rejet"
		}
		reason := ""
		if c.Err.Err != nil {
			reason = c.Err.Err.Error()
		}
		return []string{domain, sev, c.Kind.String(), c.Err.File, strconv.Itoa(c.Err.Line), c.Err.Column, c.Site, c.Commune, reason}
	})
}

// placeStructures gives a structure without coordinates the point of its
// declared commune (its code mapped to COG 2025), so that its posts are
// not lost when no place matches it (source.AllocateAdvisors warns then).
func (g *gen) placeStructures(structures []source.Structure) {
	for i := range structures {
		s := &structures[i]
		if s.HasPoint || s.INSEE == "" {
			continue
		}
		code, ok := g.res(s.INSEE)
		if !ok {
			continue
		}
		j, ok := g.communeIndex(code)
		if !ok || !g.cog.Communes[j].HasPoint {
			continue
		}
		s.Point, s.HasPoint, s.INSEE = g.cog.Communes[j].Point, true, code
	}
}

// Measures of references.csv.
const (
	refPosts     = "postes_cnfs"          // advisor posts granted (COSELEC)
	refRecruited = "conseillers_recrutes" // advisors recruited
)

// references writes references.csv: the published figures the embedded
// advisor supply is checked against. Per département, the posts of the
// 2023 list (structures-20230405.csv) summed by the département of each
// structure's declared commune (COG 2025); nationally, the list's total,
// the advisors recruited at 1 December 2022 and the 2021 wave.
func (g *gen) references(structures []source.Structure) error {
	const (
		list = "ANCT – liste des structures et postes validés en comité de sélection (structures-20230405.csv)"
		date = "2023-04-05"
	)
	byDep := map[string]float64{}
	total := 0.0
	for _, s := range structures {
		total += s.Posts
		if j, ok := g.communeIndex(s.INSEE); ok {
			byDep[g.cog.Communes[j].Dep] += s.Posts
		}
	}
	rows := [][]string{}
	for _, d := range g.cog.Departements {
		note := "postes des structures dont la commune déclarée est dans le département"
		rows = append(rows, []string{d.Code, refPosts, ff(byDep[d.Code]), list, date, note})
	}
	rows = append(rows,
		[]string{"France", refPosts, ff(total), list, date, "total de la liste, y compris les collectivités d'outre-mer"},
		[]string{"France", refRecruited, "3956", "Conseil scientifique du numérique pour tous (CSNP), avis 2022-08, d'après l'ANCT", "2022-12-01",
			"conseillers recrutés ; un tiers n'avait pas encore déclaré de lieu d'activité en décembre 2022"},
		[]string{"23", refPosts + "_csnp", "14", "Conseil scientifique du numérique pour tous (CSNP), avis 2022-08", "2022-12-31",
			"postes de conseillers numériques de la Creuse fin 2022"},
		[]string{"59", refPosts + "_csnp", "124", "Conseil scientifique du numérique pour tous (CSNP), avis 2022-08", "2022-12-31",
			"postes de conseillers numériques du Nord fin 2022"},
		[]string{"France", refPosts + "_2021", "2138", "ANCT – Conseillers numériques France Services, structures retenues (cnfs.json)", "2021",
			"première vague, l'ancienne offre par défaut"},
	)
	return g.writeCSV("references.csv", []string{"territoire", "indicateur", "valeur", "source", "date", "note"}, len(rows),
		func(i int) []string { return rows[i] })
}

// communeLocator finds the commune of a lieu without coordinates (for
// source.LoadStandardLieuxAt and source.LoadAdvisorPlacesAt): its INSEE code mapped to COG 2025 (g.res);
// else its postcode and city name: the name, "CEDEX" and what follows it
// removed and folded (data.NormName: "LE MANS CEDEX 2" → "le mans"), must
// name exactly one commune of the postcode's département (its first two
// digits, three overseas; 20 is Corsica, 2A or 2B). The point is the
// commune's representative point, its chef-lieu (see chefsLieux); a
// commune without one places nothing.
func (g *gen) communeLocator() source.CommuneLocator {
	byDepName := map[[2]string][]int{}
	for i, c := range g.cog.Communes {
		k := [2]string{c.Dep, data.NormName(c.Name)}
		byDepName[k] = append(byDepName[k], i)
	}
	return func(insee, postcode, city string) (string, orb.Point, bool) {
		j := -1
		if code, ok := g.res(insee); insee != "" && ok {
			j, ok = g.communeIndex(code)
			if !ok {
				j = -1
			}
		}
		if j < 0 && len(postcode) == 5 && city != "" {
			name := data.NormName(city)
			if i := strings.Index(name, "cedex"); i >= 0 {
				name = strings.TrimSpace(name[:i])
			}
			var found []int
			for _, dep := range postcodeDeps(postcode) {
				found = append(found, byDepName[[2]string{dep, name}]...)
			}
			if len(found) == 1 {
				j = found[0]
			}
		}
		if j < 0 || !g.cog.Communes[j].HasPoint {
			return "", orb.Point{}, false
		}
		return g.cog.Communes[j].Code, g.cog.Communes[j].Point, true
	}
}

// postcodeDeps returns the départements a postcode may belong to: its
// first two digits, three overseas (97x), 2A and 2B for Corsica (20).
func postcodeDeps(postcode string) []string {
	switch {
	case strings.HasPrefix(postcode, "97"):
		return []string{postcode[:3]}
	case strings.HasPrefix(postcode, "20"):
		return []string{"2A", "2B"}
	}
	return []string{postcode[:2]}
}
