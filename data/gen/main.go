// Command gen rebuilds the embedded default data set (data/embed) from the
// open data sets of the shared data folder. It is the `make data` step,
// the only code that reads that folder; its output is committed, so a
// fresh clone needs nothing else. The output is byte-for-byte reproducible
// (fixed order, gzip without timestamps).
//
//	go run ./data/gen -shared <shared data folder> -out data/embed   (make data)
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"diagnum/data"
	"diagnum/data/source"

	"github.com/klauspost/compress/zstd"

	"github.com/paulmach/orb"
)

func main() {
	shared := flag.String("shared", "", "folder of the shared open data (required)")
	out := flag.String("out", "data/embed", "output folder")
	flag.Parse()
	if *shared == "" {
		fmt.Fprintln(os.Stderr, "gen : -shared est requis (le dossier des données ouvertes partagées)")
		os.Exit(2)
	}
	if err := run(*shared, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen :", err)
		os.Exit(1)
	}
}

// gen holds the state of one generation.
type gen struct {
	in, out string
	cog     *source.COG
	res     source.Resolver
	checks  data.Checks
	// siteChecks are the checks about the sites (see controls).
	siteChecks data.Checks
}

func run(in, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// Files of earlier formats, which the embedded set would carry along.
	for _, old := range []string{"communes.csv.gz", "indicateurs.csv.gz", "polygones.bin.gz", "sites.csv.gz",
		"communes.bin.gz", "indicateurs.bin.gz", "sites.bin.gz", "anciens_codes.csv.gz", "controles.csv.gz"} {
		if err := os.Remove(filepath.Join(out, old)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	g := &gen{in: in, out: out}
	steps := []func() error{g.admin, g.polygons, g.points, g.indicators, g.sites, g.sources, g.controls, g.placements}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// open opens a shared file; its name in errors and checks is the path
// relative to the shared folder.
func (g *gen) read(rel string, fn func(name string, r io.Reader) error) error {
	f, err := os.Open(filepath.Join(g.in, rel))
	if err != nil {
		return err
	}
	defer f.Close()
	return fn(rel, f)
}

// readChecked reads file rel with load into *dst, appends the checks of
// the reading to *checks and returns the file's name.
func readChecked[T any](g *gen, rel string, load func(string, io.Reader) (T, data.Checks, error), dst *T, checks *data.Checks) (string, error) {
	err := g.read(rel, func(n string, r io.Reader) (err error) {
		var c data.Checks
		*dst, c, err = load(n, r)
		*checks = append(*checks, c...)
		return err
	})
	return rel, err
}

func (g *gen) admin() error {
	dir := "decoupage-administratif/"
	err := g.read(dir+"communes.json", func(n string, r io.Reader) (err error) {
		g.cog, err = source.ReadCOGCommunes(n, r)
		return err
	})
	if err != nil {
		return err
	}
	for _, s := range []struct {
		file string
		fn   func(string, io.Reader) error
	}{{"departements.json", g.cog.ReadDepartements}, {"regions.json", g.cog.ReadRegions}, {"epci.json", g.cog.ReadEPCI}} {
		if err := g.read(dir+s.file, s.fn); err != nil {
			return err
		}
	}
	g.checks = append(g.checks, g.cog.Checks...)
	g.res = g.cog.Resolver()
	if err := g.writeCSV("regions.csv", []string{"code", "nom"}, len(g.cog.Regions), func(i int) []string {
		r := g.cog.Regions[i]
		return []string{r.Code, r.Name}
	}); err != nil {
		return err
	}
	if err := g.writeCSV("departements.csv", []string{"code", "nom", "code_region", "chef_lieu"}, len(g.cog.Departements), func(i int) []string {
		d := g.cog.Departements[i]
		return []string{d.Code, d.Name, d.Region, d.ChefLieu}
	}); err != nil {
		return err
	}
	if err := g.writeCSV("epci.csv", []string{"code", "nom", "type"}, len(g.cog.EPCIs), func(i int) []string {
		e := g.cog.EPCIs[i]
		return []string{e.Code, e.Name, e.Kind}
	}); err != nil {
		return err
	}
	old := slices.Sorted(maps.Keys(g.cog.Renamed))
	return g.writeCSV("anciens_codes.csv.zst", []string{"ancien_code", "code_insee"}, len(old), func(i int) []string {
		return []string{old[i], g.cog.Renamed[old[i]]}
	})
}

var pointRows map[string]source.PointRow

func (g *gen) points() error {
	const file = "communes-points-2024/communes_points.csv"
	err := g.read(file, func(n string, r io.Reader) error {
		rows, checks, err := source.ReadCommunePoints(n, r)
		if err != nil {
			return err
		}
		g.checks = append(g.checks, checks...)
		var fc data.Checks
		pointRows, fc = source.FoldPoints(n, rows, g.res)
		g.checks = append(g.checks, fc...)
		g.checks = append(g.checks, source.MergePoints(n, g.cog.Communes, pointRows)...)
		return nil
	})
	if err == nil {
		err = g.chefsLieux()
	}
	if err != nil {
		return err
	}
	g.checks = append(g.checks, source.PlaceRestored("communes", g.cog.Communes, source.RestoredParents)...)
	return g.writeWith("communes.bin.zst", func(w io.Writer) error { return data.WriteCommunesBin(w, g.cog.Communes) })
}

// chefsLieux makes the town hall (chef-lieu, IGN ADMIN EXPRESS) the
// representative point of every commune that has one (34,862 of the
// 34,969 communes), so that a large commune's point sits in its town, not
// at its centre (Kourou's centre point is 31.5 km from the town). The
// rule for the others: Paris, Lyon and Marseille keep the point folded
// from their arrondissements (FoldPoints), the 6 Meuse villages without a
// town hall keep their communes-points-2024 point, the communes restored
// since 2018 that no source locates get the point of the commune that held
// them (source.PlaceRestored, after the polygons are attached), and the 94
// communes of the COM have none.
func (g *gen) chefsLieux() error {
	return g.read("chefs-lieux/chefs-lieux-cog2025.csv", func(n string, r io.Reader) error {
		pts, checks, err := source.LoadChefsLieux(n, r)
		if err != nil {
			return err
		}
		g.checks = append(g.checks, checks...)
		for i := range g.cog.Communes {
			c := &g.cog.Communes[i]
			if pt, ok := pts[c.Code]; ok {
				c.Point, c.HasPoint = pt, true
			}
		}
		return nil
	})
}

// nationalPolygons is the file of all the communes of France (COG 2018);
// without it (a cut-down shared folder) the per-département files are read.
const nationalPolygons = "france-geojson/communes-france-2018.geojson.gz"

// polygons writes the commune polygons of france-geojson, with codes
// folded into COG 2025 (a merged commune's MultiPolygon holds the
// polygons of the communes it absorbed, through anciensCodes), simplified
// (simplifyPolygons, PolygonToleranceDeg) and oriented as RFC 7946
// requires, in the compact polygon format (data.WritePolygonsBin). It
// attaches them to the communes, so that the places of advisors are
// located by point in polygon.
func (g *gen) polygons() error {
	files := []string{nationalPolygons}
	if _, err := os.Stat(filepath.Join(g.in, nationalPolygons)); err != nil {
		paths, err := filepath.Glob(filepath.Join(g.in, "france-geojson/communes/communes-*.geojson"))
		if err != nil {
			return err
		}
		sort.Strings(paths)
		files = files[:0]
		for _, p := range paths {
			rel, _ := filepath.Rel(g.in, p)
			files = append(files, rel)
		}
	}
	all := map[string]orb.MultiPolygon{}
	for _, rel := range files {
		err := g.read(rel, func(n string, r io.Reader) error {
			if strings.HasSuffix(n, ".gz") {
				zr, err := gzip.NewReader(r)
				if err != nil {
					return fmt.Errorf("%s : %w", n, err)
				}
				defer zr.Close()
				r = zr
			}
			polys, err := source.ReadPolygons(n, r)
			if err != nil {
				return err
			}
			folded, checks := source.FoldPolygons(n, polys, g.res)
			g.checks = append(g.checks, checks...)
			for code, mp := range folded {
				all[code] = source.OrientRFC7946(simplifyPolygons(mp, PolygonToleranceDeg))
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	source.AttachPolygons(g.cog.Communes, all)
	return g.writeWith("polygones.bin", func(w io.Writer) error { return data.WritePolygonsBin(w, all) })
}

func (g *gen) communeIndex(code string) (int, bool) {
	cs := g.cog.Communes
	i := sort.Search(len(cs), func(i int) bool { return cs[i].Code >= code })
	return i, i < len(cs) && cs[i].Code == code
}

func (g *gen) indicators() error {
	in := source.IndicatorInputs{Points: pointRows}
	z := "anct-zonages-2025/"
	var err error
	if in.QPVFile, err = readChecked(g, z+"qpv2024_qpv_communes.csv", source.ReadQPVCommunes, &in.QPV, &g.checks); err != nil {
		return err
	}
	if in.DensityFile, err = readChecked(g, z+"grille_densite.csv", source.ReadDensity, &in.Density, &g.checks); err != nil {
		return err
	}
	if in.FRRFile, err = readChecked(g, "frr-2025/frr_communes_subset.csv", source.ReadFRR, &in.FRR, &g.checks); err != nil {
		return err
	}
	t, c := source.BuildIndicators(g.cog.Communes, g.res, in)
	g.checks = append(g.checks, c...)
	// The table a run reads is the one LoadIndicatorsCSV makes of the
	// table as CSV (a row per commune, empty cells missing), stored in
	// binary.
	var csvText bytes.Buffer
	cols := append([]string{"code_insee"}, t.Columns...)
	cs := g.cog.Communes
	if err := data.WriteCSV(&csvText, "indicateurs.csv", data.CSVPlain, cols, len(cs), func(i int) []string {
		row := []string{cs[i].Code}
		for col := range t.Columns {
			v, ok := t.Get(cs[i].Code, col)
			if ok {
				row = append(row, ff(v))
			} else {
				row = append(row, "")
			}
		}
		return row
	}); err != nil {
		return err
	}
	ind := data.NewIndicators()
	checks, err := data.LoadIndicatorsCSV("indicateurs.csv", &csvText, ind)
	if err == nil && len(checks) > 0 {
		err = fmt.Errorf("indicateurs : %d contrôles en relisant la table : %v", len(checks), checks[0].Err)
	}
	if err != nil {
		return err
	}
	return g.writeWith("indicateurs.bin.zst", func(w io.Writer) error { return data.WriteIndicatorsBin(w, ind) })
}

func ff(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// writeCSV writes a CSV file (gzipped when name ends in .gz).
func (g *gen) writeCSV(name string, header []string, n int, row func(int) []string) error {
	var buf bytes.Buffer
	if err := data.WriteCSV(&buf, name, data.CSVPlain, header, n, row); err != nil {
		return err
	}
	return g.writeFile(name, buf.Bytes())
}

// writeFile writes b to out/name, gzipped (without timestamp) when name
// ends in .gz, zstd-compressed (one frame, best compression, one
// goroutine: the same bytes at each run) when it ends in .zst.
func (g *gen) writeFile(name string, b []byte) error {
	switch {
	case strings.HasSuffix(name, ".gz"):
		var z bytes.Buffer
		zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
		if err != nil {
			return err
		}
		if _, err := zw.Write(b); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		b = z.Bytes()
	case strings.HasSuffix(name, ".zst"):
		zw, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
		if err != nil {
			return err
		}
		b = zw.EncodeAll(b, nil)
		if err := zw.Close(); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(g.out, name), b, 0o644)
}
