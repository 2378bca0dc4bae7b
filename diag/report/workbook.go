package report

import (
	"fmt"
	"io"
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
	zip *partZip
	st  styles
	in  *Input
	idx map[string]int // INSEE code -> index in in.Result.Communes
	zn  zonage
	// communeCols are the columns of the Communes sheet
	// (sheetCommuneColumns), set once.
	communeCols []CommuneColumn
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
	// The archive goes straight to w, not to the buffer excelize
	// writes it to (which stays empty): the national workbook is 8 MB.
	z := newPartZip(w).(*partZip)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
	b := &book{f: f, zip: z, in: &in, idx: communeIndex(in.Result), zn: newZonage(in.Dataset)}
	if err := b.build(); err != nil {
		return fmt.Errorf("écriture du classeur : %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("écriture du classeur : %w", err)
	}
	if buf.Len() > 0 { // zip64 headers: not for a workbook under 4 GiB
		return fmt.Errorf("écriture du classeur : %d octets inattendus après l'archive", buf.Len())
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
	// Synthèse, which holds the map picture and the offers, is written
	// last: the map may still be drawing (Input.Map), the offers being
	// computed (Input.OffersFunc). Sheet order is set above.
	for _, name := range slices.Concat(names[1:], names[:1]) {
		if name == SheetSynthese && b.in.MapPNG == nil && b.in.Map != nil {
			b.in.MapPNG = b.in.Map()
		}
		if name == SheetSynthese && b.in.Offers == nil && b.in.OffersFunc != nil {
			if b.in.Offers, err = b.in.OffersFunc(); err != nil {
				return err
			}
		}
		if err := sheetFuncs[name](b); err != nil {
			return fmt.Errorf("feuille %s : %w", name, err)
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
