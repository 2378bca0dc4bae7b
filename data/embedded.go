package data

import (
	"bytes"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// The embedded default data set, produced by `make data` (data/gen) from
// the open data described in data/SOURCES.md. Files ending in .zst are
// zstd-compressed, those ending in .gz gzip-compressed; the others are
// UTF-8 CSV, or binary in the formats of tablebin.go and polybin.go (no
// text to parse, no allocation per row):
//
//	communes.bin.zst      code_insee,nom,code_departement,code_region,code_epci,zone,population,
//	                      latitude,longitude in the binary format of WriteCommunesBin, in
//	                      code order
//	departements.csv      code,nom,code_region,chef_lieu
//	regions.csv           code,nom
//	epci.csv              code,nom,type
//	anciens_codes.csv.zst ancien_code,code_insee
//	sites.bin.zst         the sites (id,nom,type,latitude,longitude,etp,code_insee,code_postal,
//	                      siret,source,date of the sites CSV format, and the line) in the
//	                      binary format of WriteSitesBin
//	sites_communes.csv.gz id,commune,controle,declare,km: for every site of sites.bin.zst
//	                      as LoadSitesCSV keeps it, in order, where diag.Assign places
//	                      it and the check it gives (Placement: Site.Commune and
//	                      Placed, Dataset.Placements)
//	indicateurs.bin.zst   the indicators table (LoadIndicatorsCSV of the CSV that make
//	                      data builds) in the binary format of WriteIndicatorsBin
//	polygones.bin         commune polygons (COG 2025 codes) in the compact format of
//	                      WritePolygonsBin, not compressed
//	sources.csv           name,titre,producteur,date,licence,attribution,fichier
//	references.csv        territoire,indicateur,valeur,source,date,note: published
//	                      figures to check the data against (Dataset.References)
//	controles.csv.zst     domaine,gravite,type,fichier,ligne,colonne,site,commune,motif:
//	                      the rows of the source files that make data rejected or
//	                      flagged, with their kind (CheckKind.String) and subject;
//	                      domaine "lieux" for the sites (Dataset.SiteChecks), else
//	                      "communes"
//
//go:embed embed
var embedded embed.FS

// embeddedFS returns the embedded default data set as a file system rooted
// at its folder.
func embeddedFS() fs.FS {
	sub, err := fs.Sub(embedded, "embed")
	if err != nil {
		panic(err) // the folder is compiled in
	}
	return sub
}

// LoadEmbedded loads the embedded default data set.
func LoadEmbedded() (*Dataset, error) {
	return loadDir(embeddedFS(), func() ([]byte, error) {
		// The bytes of the binary, read-only: decodePolygonsBin only
		// reads them.
		return unsafe.Slice(unsafe.StringData(polygonsBin), len(polygonsBin)), nil
	})
}

// polygonsBin is polygones.bin of embedded, decoded in place, where
// embed.FS would copy its 6.7 MB out first (the linker stores the bytes
// once for both).
//
//go:embed embed/polygones.bin
var polygonsBin string

// LoadDir loads a data set stored in the embedded format from fsys, on
// three goroutines: the polygons (the longest); the tables that depend
// on nothing else (indicators, sites, sources, checks, references); the
// administrative tables, then the placements, which need the communes
// and the sites, then the polygons attached to the communes. An error is
// the first in that order: administrative tables, the others, the
// placements, the polygons.
func LoadDir(fsys fs.FS) (*Dataset, error) {
	return loadDir(fsys, func() ([]byte, error) { return readEmbedded(fsys, polygonsFile) })
}

// loadDir is LoadDir with the polygons' bytes given by polygons.
func loadDir(fsys fs.FS, polygons func() ([]byte, error)) (*Dataset, error) {
	type decoded struct {
		polys []codePolygon
		err   error
	}
	polyDone := make(chan decoded, 1)
	go func() {
		var d decoded
		var b []byte
		if b, d.err = polygons(); d.err == nil {
			d.polys, d.err = decodePolygonsBin(polygonsFile, b)
		}
		polyDone <- d
	}()
	side := &Dataset{}
	sideDone := make(chan error, 1)
	go func() {
		sideDone <- loadSteps(fsys, side, loadEmbeddedIndicators, loadEmbeddedSites, loadEmbeddedSources,
			loadEmbeddedControls, loadEmbeddedReferences)
	}()
	ds := &Dataset{Renamed: map[string]string{}}
	err := loadSteps(fsys, ds, loadEmbeddedRegions, loadEmbeddedDeps, loadEmbeddedEPCI, loadEmbeddedCommunes,
		loadEmbeddedRenamed)
	if sideErr := <-sideDone; err == nil {
		err = sideErr
	}
	if err == nil {
		ds.Indicators, ds.Sites, ds.Sources, ds.References = side.Indicators, side.Sites, side.Sources, side.References
		ds.Checks, ds.SiteChecks = side.Checks, side.SiteChecks
		err = loadEmbeddedPlacements(fsys, ds)
	}
	if d := <-polyDone; err == nil {
		if err = d.err; err == nil {
			attachEmbeddedPolygons(ds, d.polys)
		}
	}
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// loadSteps runs the steps on ds in order, up to the first error.
func loadSteps(fsys fs.FS, ds *Dataset, steps ...func(fs.FS, *Dataset) error) error {
	for _, step := range steps {
		if err := step(fsys, ds); err != nil {
			return err
		}
	}
	return nil
}

// loadEmbeddedIndicators reads indicateurs.bin.zst (WriteIndicatorsBin).
func loadEmbeddedIndicators(fsys fs.FS, ds *Dataset) error {
	b, err := readEmbedded(fsys, indicatorsFile)
	if err == nil {
		ds.Indicators, err = decodeIndicatorsBin(indicatorsFile, b)
	}
	return err
}

// loadEmbeddedSites reads sites.bin.zst (WriteSitesBin: the sites as
// LoadSitesCSV read them when make data wrote them, with no check).
func loadEmbeddedSites(fsys fs.FS, ds *Dataset) error {
	b, err := readEmbedded(fsys, sitesFile)
	if err == nil {
		ds.Sites, err = decodeSitesBin(sitesFile, b)
	}
	return err
}

// loadEmbeddedPlacements sets the placement make data stored for each
// site (sites_communes.csv.gz, when present: Site.Commune and Placed, and
// Dataset.Placements for those with a check) and marks the data set's
// sites as placed (Dataset.PlacedSites). The file lists the sites in order.
func loadEmbeddedPlacements(fsys fs.FS, ds *Dataset) error {
	const name = "sites_communes.csv.gz"
	if _, err := fs.Stat(fsys, name); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	t, c, err := readEmbeddedTable(fsys, name, "id", "commune", "controle", "declare", "km")
	if err != nil {
		return err
	}
	if len(t.Records) != len(ds.Sites) {
		return &ParseError{File: t.File, Err: fmt.Errorf("%w : %d lignes pour %d lieux", ErrBadValue, len(t.Records), len(ds.Sites))}
	}
	checks := map[string]PlaceCheck{}
	for k, n := range placeCheckNames {
		checks[n] = PlaceCheck(k)
	}
	ds.Placements = map[string]Placement{}
	for i, r := range t.Records {
		s := &ds.Sites[i]
		fail := func(col string, err error) error {
			return &ParseError{File: t.File, Line: r.Line, Column: col, Err: err}
		}
		if id := r.Field(c[0]); id != s.ID {
			return fail("id", fmt.Errorf("%w : lieu %q là où sites.bin.zst a %q", ErrBadValue, id, s.ID))
		}
		p := Placement{Commune: r.Field(c[1]), Declared: r.Field(c[3])}
		for _, code := range [...]string{p.Commune, p.Declared} {
			if code != "" && !ds.isCommune(code) { // most sites have no declared code to look up
				return fail("commune", fmt.Errorf("%w : lieu %s placé dans %q, qui n'est pas une commune", ErrBadCode, s.ID, code))
			}
		}
		var ok bool
		if p.Check, ok = checks[r.Field(c[2])]; !ok {
			return fail("controle", fmt.Errorf("%w : %q n'est pas un contrôle de rattachement", ErrBadValue, r.Field(c[2])))
		}
		if km := r.Field(c[4]); km != "" {
			if p.Km, err = strconv.ParseFloat(km, 64); err != nil {
				return fail("km", fmt.Errorf("%w : %v", ErrBadNumber, err))
			}
		}
		if (p.Commune == "") != (p.Check == PlaceOutside || p.Check == PlaceUnplaced) {
			return fail("commune", fmt.Errorf("%w : lieu %s : commune %q avec le contrôle %q", ErrBadValue, s.ID, p.Commune, p.Check))
		}
		s.Commune, s.Placed = p.Commune, true
		if p.Check != PlaceOK {
			ds.Placements[s.ID] = p
		}
	}
	ds.PlacedSites = true
	return nil
}

// polygonsFile is the embedded polygons' file (WritePolygonsBin).
const polygonsFile = "polygones.bin"

// readEmbedded returns the bytes of name in fsys, decompressed when its
// name ends in .zst (zstd) or .gz (gzip).
func readEmbedded(fsys fs.FS, name string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, name)
	if err == nil {
		switch {
		case strings.HasSuffix(name, ".zst"):
			b, err = unzstd(b)
		case strings.HasSuffix(name, ".gz"):
			b, err = gunzip(b)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("données intégrées %s : %w", name, err)
	}
	return b, nil
}

// unzstd decompresses a zstd stream: about 5 times as fast as gzip's
// inflate, which was a fifth of the embedded set's loading time.
func unzstd(b []byte) ([]byte, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.DecodeAll(b, nil)
}

// gunzip decompresses a gzip stream into a buffer of the size its
// trailer gives (up to 256 MiB), so that it is not grown by copies.
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	size := 0
	if n := len(b); n >= 4 {
		size = int(min(binary.LittleEndian.Uint32(b[n-4:]), 256<<20))
	}
	out := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err = out.ReadFrom(zr)
	return out.Bytes(), err
}

// openTable reads name in fsys (readEmbedded) and passes it to fn.
func openTable(fsys fs.FS, name string, fn func(string, io.Reader) error) error {
	b, err := readEmbedded(fsys, name)
	if err != nil {
		return err
	}
	return fn(name, bytes.NewReader(b))
}

// readEmbeddedTable reads a CSV of the embedded set with required columns.
func readEmbeddedTable(fsys fs.FS, name string, cols ...string) (*Table, []int, error) {
	var t *Table
	var idx []int
	err := openTable(fsys, name, func(n string, r io.Reader) error {
		var err error
		if t, err = ReadTable(n, r); err != nil {
			return err
		}
		idx, err = t.Require(cols...)
		return err
	})
	return t, idx, err
}

// eachEmbeddedRow reads the CSV name of the embedded set with the
// required columns cols and calls fn with each record and the indexes of
// cols, until fn fails.
func eachEmbeddedRow(fsys fs.FS, name string, cols []string, fn func(r Record, c []int) error) error {
	t, c, err := readEmbeddedTable(fsys, name, cols...)
	if err != nil {
		return err
	}
	for _, r := range t.Records {
		if err := fn(r, c); err != nil {
			return err
		}
	}
	return nil
}

// loadEmbeddedReferences reads references.csv, when the set has one.
func loadEmbeddedReferences(fsys fs.FS, ds *Dataset) error {
	if _, err := fs.Stat(fsys, "references.csv"); err != nil {
		return nil
	}
	const name = "references.csv"
	return eachEmbeddedRow(fsys, name, []string{"territoire", "indicateur", "valeur", "source", "date", "note"}, func(r Record, c []int) error {
		v, err := strconv.ParseFloat(r.Field(c[2]), 64)
		if err != nil {
			return &ParseError{File: name, Line: r.Line, Column: "valeur", Err: fmt.Errorf("%w : %v", ErrBadNumber, err)}
		}
		ds.References = append(ds.References, Reference{Territory: r.Field(c[0]), Measure: r.Field(c[1]), Value: v,
			Source: r.Field(c[3]), Date: r.Field(c[4]), Note: r.Field(c[5])})
		return nil
	})
}

func loadEmbeddedRegions(fsys fs.FS, ds *Dataset) error {
	return eachEmbeddedRow(fsys, "regions.csv", []string{"code", "nom"}, func(r Record, c []int) error {
		ds.Regions = append(ds.Regions, Region{Code: r.Field(c[0]), Name: r.Field(c[1])})
		return nil
	})
}

func loadEmbeddedDeps(fsys fs.FS, ds *Dataset) error {
	return eachEmbeddedRow(fsys, "departements.csv", []string{"code", "nom", "code_region", "chef_lieu"}, func(r Record, c []int) error {
		ds.Departements = append(ds.Departements, Departement{
			Code: r.Field(c[0]), Name: r.Field(c[1]), Region: r.Field(c[2]), ChefLieu: r.Field(c[3])})
		return nil
	})
}

func loadEmbeddedEPCI(fsys fs.FS, ds *Dataset) error {
	return eachEmbeddedRow(fsys, "epci.csv", []string{"code", "nom", "type"}, func(r Record, c []int) error {
		ds.EPCIs = append(ds.EPCIs, EPCI{Code: r.Field(c[0]), Name: r.Field(c[1]), Kind: r.Field(c[2])})
		return nil
	})
}

// The embedded communes', indicators' and sites' files (tablebin.go).
const (
	communesFile   = "communes.bin.zst"
	indicatorsFile = "indicateurs.bin.zst"
	sitesFile      = "sites.bin.zst"
)

func loadEmbeddedCommunes(fsys fs.FS, ds *Dataset) error {
	b, err := readEmbedded(fsys, communesFile)
	if err == nil {
		ds.Communes, err = decodeCommunesBin(communesFile, b)
	}
	if err != nil {
		return err
	}
	members := map[string][]string{}
	for _, cm := range ds.Communes {
		if cm.EPCI != "" {
			members[cm.EPCI] = append(members[cm.EPCI], cm.Code)
		}
	}
	for i := range ds.EPCIs {
		ds.EPCIs[i].Members = members[ds.EPCIs[i].Code]
	}
	return nil
}

func loadEmbeddedRenamed(fsys fs.FS, ds *Dataset) error {
	return eachEmbeddedRow(fsys, "anciens_codes.csv.zst", []string{"ancien_code", "code_insee"}, func(r Record, c []int) error {
		ds.Renamed[r.Field(c[0])] = r.Field(c[1])
		return nil
	})
}

// attachEmbeddedPolygons gives the communes of ds their polygon from
// polys (polygones.bin, in code order, as ds.Communes) and sets
// ds.PolygonsTileFrance.
func attachEmbeddedPolygons(ds *Dataset, polys []codePolygon) {
	found, i := 0, 0
	for _, cp := range polys {
		for i < len(ds.Communes) && ds.Communes[i].Code < cp.code {
			i++
		}
		if i < len(ds.Communes) && ds.Communes[i].Code == cp.code {
			ds.Communes[i].Polygon = cp.polygon
			found++
		}
	}
	ds.PolygonsTileFrance = found >= NationalPolygonsMin
}

// NationalPolygonsMin is the number of commune polygons from which a data
// set's polygons are taken to tile France (Dataset.PolygonsTileFrance):
// the embedded national set has one for every commune of metropolitan
// France and the DROM but the 11 created since 2019 (COG 2018 folded into
// COG 2025);
// a set of a few départements has far fewer.
const NationalPolygonsMin = 34000

func loadEmbeddedSources(fsys fs.FS, ds *Dataset) error {
	return eachEmbeddedRow(fsys, "sources.csv", []string{"name", "titre", "producteur", "date", "licence", "attribution", "fichier"}, func(r Record, c []int) error {
		ds.Sources = append(ds.Sources, Source{Name: r.Field(c[0]), Title: r.Field(c[1]), Producer: r.Field(c[2]),
			Date: r.Field(c[3]), Licence: r.Field(c[4]), Attribution: r.Field(c[5]), File: r.Field(c[6])})
		return nil
	})
}

// CommuneIndex returns the position of the commune with the given code in
// ds.Communes (sorted by code).
func (ds *Dataset) CommuneIndex(code string) (int, bool) {
	i := sort.Search(len(ds.Communes), func(i int) bool { return ds.Communes[i].Code >= code })
	return i, i < len(ds.Communes) && ds.Communes[i].Code == code
}

// Resolve maps a declared code to a current commune code by ResolveINSEE:
// itself when it is a commune, its successor when it is an old code or an
// arrondissement.
func (ds *Dataset) Resolve(code string) (string, bool) {
	return ResolveINSEE(code, ds.isCommune, ds.Renamed)
}

// isCommune reports whether code is a commune of ds.
func (ds *Dataset) isCommune(code string) bool {
	_, ok := ds.CommuneIndex(code)
	return ok
}

// KnownCode reports whether code is a commune or a code that maps to one.
func (ds *Dataset) KnownCode(code string) bool {
	_, ok := ds.Resolve(code)
	return ok
}

// loadEmbeddedControls reads the checks that make data recorded on the
// source files, with their kind and subject, so the report lists them
// with the checks of this run.
func loadEmbeddedControls(fsys fs.FS, ds *Dataset) error {
	const name = "controles.csv.zst"
	cols := []string{"domaine", "gravite", "type", "fichier", "ligne", "colonne", "site", "commune", "motif"}
	return eachEmbeddedRow(fsys, name, cols, func(r Record, c []int) error {
		line, err := strconv.Atoi(r.Field(c[4]))
		if err != nil {
			return &ParseError{File: name, Line: r.Line, Column: "ligne", Err: fmt.Errorf("%w : %v", ErrBadNumber, err)}
		}
		kind, ok := parseCheckKind(r.Field(c[2]))
		if !ok {
			return &ParseError{File: name, Line: r.Line, Column: "type", Err: fmt.Errorf("%w : type de contrôle inconnu %q", ErrBadValue, r.Field(c[2]))}
		}
		x := Check{Severity: Warning, Kind: kind, Site: r.Field(c[6]), Commune: r.Field(c[7]),
			Err: &ParseError{File: r.Field(c[3]), Line: line, Column: r.Field(c[5]), Err: errors.New(r.Field(c[8]))}}
		if r.Field(c[1]) == "rejet" {
			x.Severity = Rejected
		}
		if r.Field(c[0]) == "lieux" {
			ds.SiteChecks = append(ds.SiteChecks, x)
		} else {
			ds.Checks = append(ds.Checks, x)
		}
		return nil
	})
}
