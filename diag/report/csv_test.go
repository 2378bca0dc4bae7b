package report

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"diagnum/diag"
)

func TestWriteCSVBytes(t *testing.T) {
	in := smallInput()
	// 01005: no counted site (+Inf time → empty field); 01004: unknown
	// fragility (NaN → empty), Per10k = 2/15934×10,000 = 1.2551776… → 1.255178,
	// Access10k 1.0987654321 → 1.098765.
	cs := []diag.CommuneResult{in.Result.Communes[3], in.Result.Communes[2]}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, cs); err != nil {
		t.Fatal(err)
	}
	want := "\xEF\xBB\xBF" +
		"code_insee,nom,code_departement,code_epci,population,nb_sites,etp_conseillers,etp_cnfs,conseillers_pour_10k," +
		"temps_site_proche_min,couvert,acces_e2sfca_pour_10k,indice_fragilite,score_ecart,rang,part_couverte\r\n" +
		"01005,Ambérieux-en-Dombes,01,200069193,1906,0,0.000000,0.000000,0.000000,,0,0.000000,55.250000,2.750000,2,0.000000\r\n" +
		"01004,Ambérieu-en-Bugey,01,240100883,15934,1,2.000000,0.000000,1.255178,0.000000,1,1.098765,,0.400000,4,1.000000\r\n"
	if got := buf.String(); got != want {
		t.Errorf("WriteCSV:\n got %q\nwant %q", got, want)
	}
}

func TestWriteCSVQuoting(t *testing.T) {
	// RFC 4180: a field with a comma or a quote is quoted, quotes doubled.
	cs := []diag.CommuneResult{{Code: "2A004", Name: `Ajaccio, "la cité"`, Dep: "2A", Rank: 1}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, cs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\r\n")
	want := `2A004,"Ajaccio, ""la cité""",2A,,0,0,0.000000,0.000000,0.000000,0.000000,0,0.000000,0.000000,0.000000,1,0.000000`
	if len(lines) != 3 || lines[1] != want || lines[2] != "" {
		t.Errorf("lines = %q, want row %q", lines, want)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 2 || recs[1][1] != cs[0].Name {
		t.Errorf("read back %q, %v", recs, err)
	}
}

func TestFormatMeasure(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0.000000"},
		{math.Copysign(0, -1), "0.000000"},
		{-1e-9, "0.000000"},       // rounds to -0: written 0
		{-0.0000006, "-0.000001"}, // rounds away from zero
		{1.0000005, "1.000001"},   // 1.0000005 is stored as 1.00000050000000003…
		{2.0 / 3, "0.666667"},
		{12345678.5, "12345678.500000"},
		{math.NaN(), ""},
		{math.Inf(1), ""},
		{math.Inf(-1), ""},
	}
	for _, tt := range tests {
		if got := formatMeasure(tt.v); got != tt.want {
			t.Errorf("formatMeasure(%v) = %q, want %q", tt.v, got, tt.want)
		}
		r, ok := roundMeasure(tt.v)
		if ok != (tt.want != "") || ok && formatMeasure(r) != tt.want {
			t.Errorf("roundMeasure(%v) = %v, %v; want the value of %q", tt.v, r, ok, tt.want)
		}
	}
}
