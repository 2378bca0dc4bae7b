package report_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"diagnum/diag"
	"diagnum/diag/report"
)

func ExampleWriteCSV() {
	communes := []diag.CommuneResult{{
		Code: "01004", Name: "Ambérieu-en-Bugey", Dep: "01", EPCI: "240100883",
		Population: 15934, NbSites: 1, FTE: 2, Per10k: 2.0 / 15934 * 10000,
		NearestMin: 0, Covered: true, Access10k: 1.0987654321,
		Fragility: math.NaN(), // no indicator known: empty field
		Gap:       0.4, Rank: 1,
	}}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, communes); err != nil {
		fmt.Println(err)
		return
	}
	out := buf.String()
	fmt.Println("BOM:", strings.HasPrefix(out, "\uFEFF"), "CRLF lines:", strings.Count(out, "\r\n"))
	fmt.Print(strings.ReplaceAll(strings.TrimPrefix(out, "\uFEFF"), "\r\n", "\n"))
	// Output:
	// BOM: true CRLF lines: 2
	// code_insee,nom,code_departement,code_epci,population,nb_sites,etp_conseillers,etp_cnfs,conseillers_pour_10k,temps_site_proche_min,couvert,acces_e2sfca_pour_10k,indice_fragilite,score_ecart,rang,part_couverte
	// 01004,Ambérieu-en-Bugey,01,240100883,15934,1,2.000000,0.000000,1.255178,0.000000,1,1.098765,,0.400000,1,1.000000
}
