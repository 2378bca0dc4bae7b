package source

import (
	"bytes"
	"io"
	"sort"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/internal/fuzztest"
)

// realCOG loads the COG 2025 extract: communes, départements, régions, EPCI.
func realCOG(t testing.TB) *COG {
	t.Helper()
	c, err := ReadCOGCommunes("cog-communes.json", realExtract(t, "cog-communes.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		file string
		read func(string, io.Reader) error
	}{{"cog-departements.json", c.ReadDepartements}, {"cog-regions.json", c.ReadRegions}, {"cog-epci.json", c.ReadEPCI}} {
		if err := s.read(s.file, realExtract(t, s.file)); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestReadCOGReal(t *testing.T) {
	c := realCOG(t)
	// Counted with python3 on testdata/real/cog-communes.json (see
	// PROVENANCE.md): 269 communes actuelles, population 3,858,686; the
	// 255 of département 23 hold 115,527 inhabitants.
	pop, n23, pop23 := 0, 0, 0
	for _, x := range c.Communes {
		pop += x.Population
		if x.Dep == "23" {
			n23++
			pop23 += x.Population
		}
	}
	if len(c.Communes) != 269 || pop != 3_858_686 || n23 != 255 || pop23 != 115_527 {
		t.Errorf("got %d communes, population %d, %d in 23 with %d; want 269, 3858686, 255, 115527",
			len(c.Communes), pop, n23, pop23)
	}
	if !sort.SliceIsSorted(c.Communes, func(i, j int) bool { return c.Communes[i].Code < c.Communes[j].Code }) {
		t.Error("communes not sorted by code")
	}
	want := map[string]data.Commune{
		"23096": {Code: "23096", Name: "Guéret", Dep: "23", Region: "75", EPCI: "200034825", Zone: "metro", Population: 12_955},
		"75056": {Code: "75056", Name: "Paris", Dep: "75", Region: "11", Zone: "metro", Population: 2_103_778},
		"97601": {Code: "97601", Name: "Acoua", Dep: "976", Region: "06", Zone: "drom", Population: 5_192},
		"98901": {Code: "98901", Name: "Île de Clipperton", Dep: "989", Region: "989", Zone: "com"}, // no population in the file
	}
	for _, x := range c.Communes {
		if w, ok := want[x.Code]; ok {
			if x.Code != w.Code || x.Name != w.Name || x.Dep != w.Dep || x.Region != w.Region ||
				x.EPCI != w.EPCI || x.Zone != w.Zone || x.Population != w.Population {
				t.Errorf("commune %s = %+v, want %+v", x.Code, x, w)
			}
			delete(want, x.Code)
		}
	}
	if len(want) > 0 {
		t.Errorf("communes not found: %v", want)
	}
}

func TestReadCOGRenamed(t *testing.T) {
	c := realCOG(t)
	// 66 codes in the extract (python3: délégué/associé codes that are not
	// communes actuelles, the 45 arrondissements, and anciensCodes).
	if len(c.Renamed) != 66 {
		t.Errorf("len(Renamed) = %d, want 66", len(c.Renamed))
	}
	for from, to := range map[string]string{
		"75101": "75056", "75120": "75056", "13201": "13055", "69381": "69123", // arrondissements
		"23023": "23149", // commune déléguée Blaudeix → Parsac
		"23121": "23109", // anciensCodes of Linard-Malval
		"93059": "93066", // Pierrefitte-sur-Seine merged into Saint-Denis on 2025-01-01
		"60455": "60694", // déléguée of 60694 wins over the anciensCodes of 60054
		"55273": "55386", // associée of 55386 wins over the anciensCodes of 55245
		"20004": "2A004", // Corsican code before 1976
	} {
		if got := c.Renamed[from]; got != to {
			t.Errorf("Renamed[%s] = %q, want %s", from, got, to)
		}
	}
	res := c.Resolver()
	for _, x := range c.Communes {
		if _, ok := c.Renamed[x.Code]; ok {
			t.Errorf("commune actuelle %s is a key of Renamed", x.Code)
		}
		if got, ok := res(x.Code); !ok || got != x.Code {
			t.Errorf("res(%s) = %s, %v", x.Code, got, ok)
		}
	}
	if _, ok := res("85165"); ok {
		t.Error("85165 (not in the extract) resolved")
	}
}

func TestReadCOGDivisionsAndEPCI(t *testing.T) {
	c := realCOG(t)
	// The extract's communes span 13 départements (incl. the COM 975 and
	// 989) and 11 régions; departements.json has 109 entries, regions.json
	// 26, so 96 + 15 entries are dropped with a Warning. epci.json holds the
	// 10 EPCI with a member in 23; 59 of their 314 members are outside the
	// extract (Warnings). All counted with python3.
	if len(c.Departements) != 13 || len(c.Regions) != 11 || len(c.EPCIs) != 10 {
		t.Errorf("got %d départements, %d régions, %d EPCI; want 13, 11, 10",
			len(c.Departements), len(c.Regions), len(c.EPCIs))
	}
	if w := c.Checks.Count(data.Warning); w != 96+15+59 || c.Checks.Count(data.Rejected) != 0 {
		t.Errorf("checks: %d warnings (want 170), %d rejected", w, c.Checks.Count(data.Rejected))
	}
	d := c.Departements[sort.Search(len(c.Departements), func(i int) bool { return c.Departements[i].Code >= "23" })]
	if d != (data.Departement{Code: "23", Name: "Creuse", Region: "75", ChefLieu: "23096"}) {
		t.Errorf("département 23 = %+v", d)
	}
	members := 0
	for _, e := range c.EPCIs {
		members += len(e.Members)
	}
	withEPCI := 0
	for _, x := range c.Communes {
		if x.EPCI != "" {
			withEPCI++
		}
	}
	if members != 255 || withEPCI != 255 {
		t.Errorf("%d members, %d communes with an EPCI; want 255, 255", members, withEPCI)
	}
}

func TestReadCOGMalformed(t *testing.T) {
	const good = `{"code":"23096","nom":"Guéret","type":"commune-actuelle","zone":"metro","departement":"23","region":"75","population":12955}`
	tests := []struct {
		name, in string
		err      error // the error of the call, nil when it succeeds
		line     int   // line of the error or of the first check
		rejected int
		warnings int
	}{
		{"not an array", `{"code":"23096"}`, data.ErrBadValue, 1, 0, 0},
		{"truncated", "[\n" + good + ",\n", data.ErrBadValue, 2, 0, 0},
		{"syntax", "[\n" + good + ",\n{\"code\":}\n]", data.ErrBadValue, 3, 0, 0},
		{"empty array", "[]", data.ErrEmptyFile, 0, 0, 0},
		{"empty file", "  \n", data.ErrEmptyFile, 0, 0, 0},
		{"trailing data", "[" + good + "] x", data.ErrBadValue, 1, 0, 0},
		{"only bad rows", `[{"code":"ABCDE","type":"commune-actuelle"}]`, data.ErrEmptyFile, 0, 1, 0},
		{"population as text", "[\n" + good + ",\n" + strings.Replace(good, "12955", `"12"`, 1) + "\n]", nil, 3, 1, 0},
		{"bad code", "[\n" + good + ",\n" + strings.Replace(good, `"23096"`, `"2309X"`, 1) + "\n]", nil, 3, 1, 0},
		{"unknown type", "[\n" + good + ",\n" + strings.Replace(good, "commune-actuelle", "commune", 1) + "\n]", nil, 3, 1, 0},
		{"bad zone", "[\n" + good + ",\n" + strings.Replace(strings.Replace(good, "metro", "mars", 1), "23096", "23001", 1) + "\n]", nil, 3, 1, 0},
		{"duplicate", "[\n" + good + ",\n" + good + "\n]", nil, 3, 1, 0},
		{"chefLieu unknown", "[\n" + good + ",\n" + `{"code":"23023","type":"commune-deleguee","chefLieu":"23149"}` + "\n]", nil, 3, 0, 1},
		{"no population", "[\n" + strings.Replace(good, `,"population":12955`, "", 1) + "\n]", nil, 2, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ReadCOGCommunes("c.json", strings.NewReader(tt.in))
			if tt.err != nil {
				assertParseError(t, err, "c.json", tt.err, tt.line, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Checks.Count(data.Rejected) != tt.rejected || c.Checks.Count(data.Warning) != tt.warnings {
				t.Fatalf("checks %v, want %d rejected, %d warnings", c.Checks, tt.rejected, tt.warnings)
			}
			if got := c.Checks[0].Err; got.File != "c.json" || got.Line != tt.line {
				t.Errorf("check at %s:%d, want line %d", got.File, got.Line, tt.line)
			}
			if len(c.Communes) != 1 || c.Communes[0].Code != "23096" {
				t.Errorf("communes %+v", c.Communes)
			}
		})
	}
}

func TestReadEPCIMalformed(t *testing.T) {
	c, err := ReadCOGCommunes("c.json", strings.NewReader(`[
{"code":"23096","nom":"Guéret","type":"commune-actuelle","zone":"metro","departement":"23","region":"75","population":1},
{"code":"23001","nom":"Ajain","type":"commune-actuelle","zone":"metro","departement":"23","region":"75","population":1}
]`))
	if err != nil {
		t.Fatal(err)
	}
	err = c.ReadEPCI("e.json", strings.NewReader(`[
{"code":"12345","nom":"bad siren","membres":[]},
{"code":"200034825","nom":"A","type":"CA","membres":[{"code":"23096"},{"code":"99999"}]},
{"code":"200067189","nom":"B","type":"CC","membres":[{"code":"23096"},{"code":"1001"},{"code":"23001"}]}
]`))
	if err != nil {
		t.Fatal(err)
	}
	// Line 2: bad SIREN (rejected); line 3: 99999 unknown; line 4: 23096
	// already in A, 01001 unknown (padded "1001").
	var got []string
	for _, ch := range c.Checks {
		got = append(got, ch.Err.Error())
	}
	if len(c.Checks) != 4 || c.Checks.Count(data.Rejected) != 1 || c.Checks[0].Err.Line != 2 || c.Checks[3].Err.Line != 4 {
		t.Errorf("checks:\n%s", strings.Join(got, "\n"))
	}
	if len(c.EPCIs) != 2 || c.Communes[0].EPCI != "200067189" || c.Communes[1].EPCI != "200034825" {
		t.Errorf("EPCIs %+v, communes %+v", c.EPCIs, c.Communes)
	}
}

// FuzzCOG feeds communes.json-like input to ReadCOGCommunes: it must
// return an error or a COG whose communes are valid, sorted and unique and
// whose Renamed targets are communes.
func FuzzCOG(f *testing.F) {
	real := realExtractBytes(f, "cog-communes.json")
	f.Add(real)
	lines := bytes.SplitAfter(real, []byte("\n"))
	f.Add(bytes.Join(append(lines[:30:30], []byte("]")), nil))
	f.Add([]byte(`[{"code":"75101","type":"arrondissement-municipal","commune":"75056"}]`))
	f.Add([]byte(`[{"code":"1001","nom":"x","type":"commune-actuelle","zone":"metro","departement":"01","region":"84","anciensCodes":["20004"]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ReadCOGCommunes("fuzz.json", bytes.NewReader(b))
		if fuzztest.Refused[*data.ParseError](t, err) {
			return
		}
		known := map[string]bool{}
		for i, x := range c.Communes {
			if _, err := data.NormINSEE(x.Code); err != nil || x.Name == "" || x.Population < 0 {
				t.Fatalf("invalid commune %+v", x)
			}
			if i > 0 && c.Communes[i-1].Code >= x.Code {
				t.Fatalf("communes not sorted or repeated at %s", x.Code)
			}
			known[x.Code] = true
		}
		for from, to := range c.Renamed {
			if known[from] || !known[to] {
				t.Fatalf("Renamed[%s] = %s", from, to)
			}
		}
	})
}
