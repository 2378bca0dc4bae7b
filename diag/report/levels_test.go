package report

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"diagnum/diag"
)

func TestSheetNames(t *testing.T) {
	tests := []struct {
		level string
		want  []string
	}{
		{diag.LevelDepartement, Sheets},
		{diag.LevelRegion, slices.Concat([]string{SheetSynthese, SheetDepartements}, Sheets[1:])},
		{diag.LevelFrance, slices.Concat([]string{SheetSynthese, SheetRegions, SheetDepartements}, Sheets[1:])},
	}
	for _, tt := range tests {
		if got := SheetNames(tt.level); !slices.Equal(got, tt.want) {
			t.Errorf("SheetNames(%s) = %q, want %q", tt.level, got, tt.want)
		}
	}
	for _, in := range []Input{smallInput(), regionInput(), franceInput()} {
		f := openBook(t, writeBytes(t, in))
		if got, want := f.GetSheetList(), SheetNames(in.Territory.Level); !slices.Equal(got, want) {
			t.Errorf("%s workbook: sheets %q, want %q", in.Territory, got, want)
		}
	}
}

// regionInput is the report input of région 84 over smallResult.
func regionInput() Input {
	// Communes 01002, 01005, 01001, 01004, 03001; départements 01 and 03.
	in := smallInput()
	in.View = smallView(diag.Regions("84"))
	return in
}

func TestWorkbookZonage(t *testing.T) {
	// Sites: s1 cnfs counted in 01004 (QPV), s2 cnfs counted in 03001, s3
	// médiation in 01001, s4 France Services in 23001 (FRR); FRR known in
	// 23001 only (smallDataset). Shares over the sites whose commune's
	// flag is known: Ain QPV counted 1/1, all 1/2 (s1, s3); région
	// counted 1/2, all 1/3; France counted 1/2, all 1/4, FRR all 1/1 (s4).
	rows := rawRows(t, openBook(t, writeSmall(t)), SheetSynthese, 9)
	const no = notInformed
	for label, want := range map[string][]string{
		labelQPVCounted: {"1", "0.5", "0.5"},
		labelFRRCounted: {no, no, no},
		labelQPVAll:     {"0.5", "0.333333", "0.25"},
		labelFRRAll:     {no, no, "1"},
		labelFRRKnown:   {"0", "0", "1"},
	} {
		if got := findRow(t, rows, label)[1:4]; !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", label, got, want)
		}
	}
	findRow(t, rows, labelReference)
	// Without a dataset every flag is unknown.
	in := smallInput()
	in.Dataset = nil
	rows = rawRows(t, openBook(t, writeBytes(t, in)), SheetSynthese, 9)
	if got := findRow(t, rows, labelQPVAll)[1:4]; !slices.Equal(got, []string{no, no, no}) {
		t.Errorf("no dataset: %s = %q", labelQPVAll, got)
	}
	// Sites: the oui/non format on a known flag, text otherwise.
	f := openBook(t, writeSmall(t))
	if _, c := cellFormat(t, f, SheetSites, "I3"); c != customYesNo {
		t.Errorf("Sites!I3 (QPV of s1) format %q, want %q", c, customYesNo)
	}
	if typ, _ := f.GetCellType(SheetSites, "J3"); typ == excelize.CellTypeNumber {
		t.Errorf("Sites!J3 (FRR unknown) is a number, want the text %q", no)
	}
}

func TestWorkbookRankings(t *testing.T) {
	f := openBook(t, writeBytes(t, franceInput()))
	rows := rawRows(t, f, SheetDepartements, 18)
	// France: 3/23279 × 10,000 = 1.288715 advisors, coverage 19709/23279 =
	// 0.846643. Creuse 1394 inhabitants, none covered: 0 − 1.288715, ratio
	// 0, (0 − 0.846643) × 100 points. Ain 2/18970 × 10,000 = 1.054296,
	// 16794/18970 = 0.885293: 1.054296 − 1.288715 = −0.234419, ratio
	// 0.818099, +3.864967 points. Allier 1/2915 × 10,000 = 3.430532, all
	// covered: +2.141817, 2.661978, +15.33571 points.
	want := [][]string{
		{"1", "23", "Creuse", "Nouvelle-Aquitaine (75)", "1", "1394", "0", "0", "0", "-1.288715", "0", "1", "0", "0", "-84.66429", "1394"},
		{"2", "01", "Ain", "Auvergne-Rhône-Alpes (84)", "4", "18970", "1", "2", "1.054296", "-0.234419", "0.818099", "2", "16794", "0.885293", "3.864967", "2176"},
		{"3", "03", "Allier", "Auvergne-Rhône-Alpes (84)", "1", "2915", "1", "1", "3.430532", "2.141817", "2.661978", "3", "2915", "1", "15.33571", "0"},
	}
	for i, w := range want {
		if got := rows[i+1][:16]; !slices.Equal(got, w) {
			t.Errorf("Départements row %d:\n got %q\nwant %q", i+2, got, w)
		}
	}
	if !strings.HasPrefix(rows[5][0], "France : 1,29 conseillers pour 10 000 hab., taux de couverture 84,7 %") {
		t.Errorf("note under the table = %q", rows[5][0])
	}
	regs := rawRows(t, f, SheetRegions, 17)
	if got := []string{regs[1][1], regs[1][0], regs[2][1], regs[2][0], regs[2][13]}; !slices.Equal(got, []string{"75", "1", "84", "2", "5.392827"}) {
		t.Errorf("Régions = %q, want 75 rank 1, 84 rank 2 at +5.392827 points", got)
	}
	for ref, want := range map[string]string{"B2": "", "I2": "", "J2": customSigned2, "K2": "", "O2": customPoints} {
		if _, c := cellFormat(t, f, SheetDepartements, ref); c != want {
			t.Errorf("Départements!%s custom format %q, want %q", ref, c, want)
		}
	}
	if n, _ := cellFormat(t, f, SheetDepartements, "N2"); n != fmtPercent {
		t.Errorf("Départements!N2 format %d, want percent", n)
	}
	cf, err := f.GetConditionalFormats(SheetDepartements)
	if err != nil || len(cf["I2:I4"]) != 1 || len(cf["N2:N4"]) != 1 {
		t.Errorf("colour scales = %v, %v; want on I2:I4 and N2:N4", cf, err)
	}
	if p, _ := f.GetPanes(SheetDepartements); !p.Freeze {
		t.Error("Départements: header not frozen")
	}
}

func TestWorkbookRegionLevel(t *testing.T) {
	f := openBook(t, writeBytes(t, regionInput()))
	syn := rawRows(t, f, SheetSynthese, 9)
	// Two columns: the région and France (the région column is not repeated).
	if got := findRow(t, syn, labelPopulation)[1:4]; !slices.Equal(got, []string{"21885", "23279", ""}) {
		t.Errorf("population = %q, want région 21885, France 23279", got)
	}
	rows := rawRows(t, f, SheetDepartements, 17)
	// No région column; Ain (0.885293) before Allier (1).
	if got := []string{rows[1][1], rows[1][2], rows[1][12], rows[2][1]}; !slices.Equal(got, []string{"01", "Ain", "0.885293", "03"}) {
		t.Errorf("Départements = %q", got)
	}
	if cf, _ := f.GetConditionalFormats(SheetDepartements); len(cf["H2:H3"]) != 1 || len(cf["M2:M3"]) != 1 {
		t.Errorf("colour scales on %v, want H2:H3 and M2:M3", cf)
	}
}

func TestRankRollupsUnassessed(t *testing.T) {
	// A département none of whose communes has a travel time comes last,
	// unranked, however low its coverage.
	inf := math.Inf(1)
	r := &diag.Result{Communes: []diag.CommuneResult{
		{Code: "98701", Dep: "987", Region: "987", NearestMin: inf},
		{Code: "01001", Dep: "01", Region: "84", NearestMin: 12},
		{Code: "03001", Dep: "03", Region: "84", NearestMin: 40},
	}}
	b := &book{in: &Input{View: diag.View{Result: r}}}
	got := b.rankRollups([]diag.Rollup{
		{Level: diag.LevelDepartement, Code: "987", Coverage: 0},
		{Level: diag.LevelDepartement, Code: "01", Coverage: 1, Per10k: 0.5},
		{Level: diag.LevelDepartement, Code: "03", Coverage: 0.2, Per10k: 0.9},
	})
	var order []string
	for _, x := range got {
		order = append(order, x.Code, itoa(x.rank), itoa(x.rankPer))
	}
	if want := []string{"03", "1", "2", "01", "2", "1", "987", "0", "0"}; !slices.Equal(order, want) {
		t.Errorf("ranks = %q, want %q", order, want)
	}
}

// pngOf returns a blank PNG of w × h pixels.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWorkbookMapPicture(t *testing.T) {
	in := smallInput()
	in.MapPNG = pngOf(t, 1600, 1200)
	b := writeBytes(t, in)
	f := openBook(t, b)
	rows := rawRows(t, f, SheetSynthese, 9)
	at := slices.IndexFunc(rows, func(r []string) bool { return r[0] == "Carte du score d'écart par commune" })
	top := slices.IndexFunc(rows, func(r []string) bool { return strings.HasPrefix(r[0], "Les 10 communes") })
	ref, _ := excelize.CoordinatesToCellName(1, at+2)
	pics, err := f.GetPictures(SheetSynthese, ref)
	if err != nil || len(pics) != 1 {
		t.Fatalf("pictures at %s: %d, %v; want 1", ref, len(pics), err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(pics[0].File))
	if err != nil || cfg.Width != 1600 || cfg.Height != 1200 {
		t.Errorf("embedded picture: %dx%d, %v; want the 1600x1200 PNG", cfg.Width, cfg.Height, err)
	}
	// Scaled to 900 px wide: 900/1600 = 0.5625, 675 px high (9525 EMU a
	// pixel), 34 rows of 20 px, all left empty before the next section.
	// Synthèse is written last, so its drawing is the last one.
	if x := zipEntry(t, b, "xl/drawings/drawing2.xml"); !strings.Contains(x, `<xdr:ext cx="8572500" cy="6429375"`) {
		t.Errorf("picture extent not 900 x 675 px (8572500 x 6429375 EMU) in\n%s", x)
	}
	if top-(at+1) < 34 {
		t.Errorf("next section at row %d, %d rows under the picture: want 34 or more", top+1, top-(at+1))
	}
	if !bytes.Equal(b, writeBytes(t, in)) {
		t.Error("two writes with the same picture differ")
	}
	in.MapPNG = []byte("not a png")
	if err := WriteWorkbook(&bytes.Buffer{}, in); err == nil || !strings.Contains(err.Error(), "PNG") {
		t.Errorf("err = %v, want a not-a-PNG error", err)
	}
}
