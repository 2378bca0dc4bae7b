package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"

	"diagnum/data"
	"diagnum/data/source"
)

// sites loads every site source, splits the 2021 advisor posts over the
// 2022 places, validates each source against the territories and the COG,
// and writes sites.csv.gz in the sites CSV format.
func (g *gen) sites() error {
	known := func(code string) bool { _, ok := g.res(code); return ok }
	var all []data.Site
	add := func(file string, sites []data.Site, checks data.Checks, err error) error {
		if err != nil {
			return err
		}
		g.siteChecks = append(g.siteChecks, checks...)
		kept, vc := data.ValidateSites(file, sites, nil, known)
		g.siteChecks = append(g.siteChecks, vc...)
		all = append(all, kept...)
		return nil
	}
	const fsFile = "anct-france-services/liste-fs-20240801.csv"
	if err := g.read(fsFile, func(n string, r io.Reader) error {
		s, c, err := source.LoadFranceServices(n, r)
		return add(n, s, c, err)
	}); err != nil {
		return err
	}
	places, err := g.cnfsPlaces()
	if err != nil {
		return err
	}
	var structures []source.Structure
	const stFile = "anct-conseillers-numeriques/cnfs.json"
	if err := g.read(stFile, func(n string, r io.Reader) (err error) {
		var c data.Checks
		structures, c, err = source.LoadCNFSStructures(n, r)
		g.siteChecks = append(g.siteChecks, c...)
		return err
	}); err != nil {
		return err
	}
	g.placeStructures(stFile, structures)
	cnfs, pc := source.AllocatePosts(structures, places, source.PostOptions{File: stFile})
	// This batch mixes two place files and the structures: its checks name
	// the site id, not a line that would point into the wrong file.
	for i := range cnfs {
		cnfs[i].Line = 0
	}
	if err := add("cartographie-nationale-cnfs-2022 + "+stFile, cnfs, pc, nil); err != nil {
		return err
	}
	for _, src := range []struct {
		file string
		load func(string, io.Reader) ([]data.Site, data.Checks, error)
	}{
		{"cartographie-nationale-hinaura/lieux_hinaura_2021.json", source.LoadHinaura},
		{"portrea-mediation-numerique/locations.geojson", source.LoadPortrea},
	} {
		if err := g.read(src.file, func(n string, r io.Reader) error {
			s, c, err := src.load(n, r)
			return add(n, s, c, err)
		}); err != nil {
			return err
		}
	}
	return g.writeWith("sites.csv.gz", func(w io.Writer) error { return data.WriteSitesCSV(w, all) })
}

// cnfsPlaces loads the 2022 national places and the Île-de-France file,
// merged by id.
func (g *gen) cnfsPlaces() ([]data.Site, error) {
	var places []data.Site
	for _, file := range []string{
		"cartographie-nationale-cnfs-2022/lieux_cnfs_france_2022.json",
		"cartographie-nationale-cnfs-2022/lieux_cnfs_idf_2022.json",
	} {
		if err := g.read(file, func(n string, r io.Reader) error {
			s, c, err := source.LoadCNFSPlaces(n, r)
			if err != nil {
				return err
			}
			g.siteChecks = append(g.siteChecks, c...)
			places, _ = source.MergeSites(places, s)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return places, nil
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
	return g.writeCSV("controles.csv.gz", header, len(all), func(i int) []string {
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
// declared commune, so that its posts are not lost when no place matches
// it; each such case is a Warning.
func (g *gen) placeStructures(file string, structures []source.Structure) {
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
		s.Point, s.HasPoint = g.cog.Communes[j].Point, true
		g.siteChecks.Add(data.Check{Severity: data.Warning, Commune: code, Err: &data.ParseError{File: file, Column: "latitude",
			Err: fmt.Errorf("%w: structure %s (%s) has no coordinates: placed at the point of its commune %s",
				data.ErrBadCoordinate, s.ID, s.Name, code)}})
	}
}
