package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"diagnum/diag"
)

// Sheet names of the workbook.
const (
	SheetSynthese        = "Synthèse"
	SheetRegions         = "Régions"
	SheetDepartements    = "Départements"
	SheetCommunes        = "Communes"
	SheetEPCI            = "EPCI"
	SheetSites           = "Sites"
	SheetZonesBlanches   = "Zones blanches"
	SheetRecommandations = "Recommandations"
	SheetControles       = "Contrôles"
	SheetMethodologie    = "Méthodologie"
	SheetSources         = "Sources"
	SheetGraphiques      = "Graphiques"
)

// Sheets lists the sheets of every workbook, in tab order: a département
// workbook has exactly these; SheetNames gives the others.
var Sheets = []string{
	SheetSynthese, SheetCommunes, SheetEPCI, SheetSites, SheetZonesBlanches,
	SheetRecommandations, SheetControles, SheetMethodologie, SheetSources,
	SheetValidation, SheetGraphiques,
}

// SheetNames returns the sheets of the workbook of a territory level, in
// tab order: Sheets, with the rankings after Synthèse: Départements for a
// région (diag.LevelRegion), Régions then Départements for France.
func SheetNames(level string) []string {
	var ranks []string
	switch level {
	case diag.LevelRegion:
		ranks = []string{SheetDepartements}
	case diag.LevelFrance:
		ranks = []string{SheetRegions, SheetDepartements}
	}
	return slices.Concat(Sheets[:1], ranks, Sheets[1:])
}

// sheetFuncs writes each sheet, by name; build calls them in tab order.
var sheetFuncs = map[string]func(*book) error{
	SheetSynthese:        (*book).synthese,
	SheetRegions:         (*book).regions,
	SheetDepartements:    (*book).departements,
	SheetCommunes:        (*book).communes,
	SheetEPCI:            (*book).epci,
	SheetSites:           (*book).sites,
	SheetZonesBlanches:   (*book).zonesBlanches,
	SheetRecommandations: (*book).recommandations,
	SheetControles:       (*book).controles,
	SheetMethodologie:    (*book).methodologie,
	SheetSources:         (*book).sources,
	SheetValidation:      (*book).validation,
	SheetGraphiques:      (*book).graphiques,
}

// book is a workbook being written.
type book struct {
	f   *excelize.File
	st  styles
	in  *Input
	idx map[string]int // INSEE code -> index in in.Result.Communes
	zn  zonage
}

// WriteWorkbook writes the diagnostic workbook (.xlsx) of in to w. Its
// sheets are, in order (SheetNames): Synthèse (the territory, its région
// and France side by side, shares of sites in QPV and FRR communes, the
// map, the 10 most under-covered communes, the checks, the sources'
// dates), for a région or France the rankings of the Régions and
// Départements, Communes (every measure, sorted by rang), EPCI, Sites,
// Zones blanches (communes not covered), Recommandations, Contrôles
// (every check, grouped), Méthodologie (formulas and parameters), Sources
// and Graphiques (native bar charts). Large sheets are streamed, so memory stays bounded by
// the workbook's compressed size. The document's creation and
// modification dates are in.Date; nothing depends on the clock.
func WriteWorkbook(w io.Writer, in Input) error {
	if err := in.validate(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	b := &book{f: f, in: &in, idx: communeIndex(in.Result), zn: newZonage(in.Dataset)}
	if err := b.build(); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	if err := rezip(w, buf.Bytes()); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// build creates the sheets, styles and properties of the workbook.
func (b *book) build() error {
	var err error
	if b.st, err = newStyles(b.f); err != nil {
		return err
	}
	names := SheetNames(b.in.Territory.Level)
	if err := b.f.SetSheetName("Sheet1", names[0]); err != nil {
		return err
	}
	for _, name := range names[1:] {
		if _, err := b.f.NewSheet(name); err != nil {
			return err
		}
	}
	// Synthèse, which holds the map picture, is written last: the map may
	// still be drawing (Input.Map). Sheet order is set above.
	for _, name := range slices.Concat(names[1:], names[:1]) {
		if name == SheetSynthese && b.in.MapPNG == nil && b.in.Map != nil {
			b.in.MapPNG = b.in.Map()
		}
		if err := sheetFuncs[name](b); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	// Synthèse, the first sheet, is the active one by default. (Do not
	// call SetActiveSheet: it would parse every streamed sheet back.)
	return b.properties()
}

// properties sets the document properties, dated in.Date.
func (b *book) properties() error {
	date := b.in.Date.UTC().Format("2006-01-02T15:04:05Z")
	creator := strings.TrimSpace("diagnum " + b.in.Version)
	return b.f.SetDocProps(&excelize.DocProperties{
		Created:        date,
		Modified:       date,
		Creator:        creator,
		LastModifiedBy: creator,
		Title:          "Diagnostic de l'inclusion numérique — " + b.in.label(),
		Subject:        "Diagnostic territorial de l'inclusion numérique",
		Language:       "fr-FR",
	})
}

// rezip copies the zip archive src to w with its entries in reverse name
// order (excelize's own order for the parts it does not stream), without
// recompressing, and with the Default elements of [Content_Types].xml
// sorted. excelize writes streamed sheets, and those Default elements, in
// map order; rezip makes the bytes of the workbook depend on its content
// only.
func rezip(w io.Writer, src []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return err
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(b.Name, a.Name) })
	zw := zip.NewWriter(w)
	for _, zf := range files {
		if zf.Name == contentTypesPart {
			err = copyContentTypes(zw, zf)
		} else {
			err = copyRaw(zw, zf)
		}
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// contentTypesPart is the name of the content types part of a workbook.
const contentTypesPart = "[Content_Types].xml"

// copyRaw copies a zip entry without decompressing it.
func copyRaw(zw *zip.Writer, zf *zip.File) error {
	fw, err := zw.CreateRaw(&zf.FileHeader)
	if err != nil {
		return err
	}
	r, err := zf.OpenRaw()
	if err != nil {
		return err
	}
	_, err = io.Copy(fw, r)
	return err
}

// defaultElem matches a Default element of [Content_Types].xml.
var defaultElem = regexp.MustCompile(`<Default [^>]*(/>|></Default>)`)

// copyContentTypes copies the content types part with its Default
// elements sorted in place.
func copyContentTypes(zw *zip.Writer, zf *zip.File) error {
	r, err := zf.Open()
	if err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	r.Close()
	if err != nil {
		return err
	}
	loc := defaultElem.FindAllIndex(b, -1)
	elems := make([]string, len(loc))
	for i, l := range loc {
		elems[i] = string(b[l[0]:l[1]])
	}
	slices.Sort(elems)
	var out bytes.Buffer
	prev := 0
	for i, l := range loc {
		out.Write(b[prev:l[0]])
		out.WriteString(elems[i])
		prev = l[1]
	}
	out.Write(b[prev:])
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	_, err = fw.Write(out.Bytes())
	return err
}
