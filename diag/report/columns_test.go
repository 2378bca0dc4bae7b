package report

import (
	"slices"
	"testing"
)

// TestCommuneColumns: the column names are the CSV contract of the
// README (in this order), unique, and each column has the value its
// format writes.
func TestCommuneColumns(t *testing.T) {
	want := []string{
		"code_insee", "nom", "code_departement", "code_epci", "population",
		"nb_sites", "etp_conseillers", "etp_cnfs", "conseillers_pour_10k",
		"temps_site_proche_min", "couvert", "acces_e2sfca_pour_10k",
		"indice_fragilite", "score_ecart", "rang",
	}
	for _, name := range want {
		if !slices.Contains(CSVHeader, name) {
			t.Errorf("no column %s", name)
		}
	}
	seen := map[string]bool{}
	for i, col := range CommuneColumns {
		if seen[col.Name] {
			t.Errorf("column %s twice", col.Name)
		}
		seen[col.Name] = true
		if CSVHeader[i] != col.Name {
			t.Errorf("CSVHeader[%d] = %s, want %s", i, CSVHeader[i], col.Name)
		}
		var ok bool
		switch col.Format {
		case FormatCode, FormatText:
			ok = col.text != nil
		case FormatInteger, FormatThousands:
			ok = col.int != nil
		case FormatYesNo:
			ok = col.flag != nil
		case FormatDec1, FormatDec2:
			ok = col.num != nil
		}
		if !ok || col.Header == "" || col.Description == "" || col.Width <= 0 {
			t.Errorf("column %s: format %d without its value, header, description or width", col.Name, col.Format)
		}
	}
	if got := CSVHeader[:len(want)]; !slices.Equal(got, want) {
		t.Errorf("first columns %v, want %v", got, want)
	}
}
