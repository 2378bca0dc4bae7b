package data_test

import (
	"fmt"
	"strings"

	"diagnum/data"
)

// A sites file as a French spreadsheet saves it: semicolons, decimal
// commas, a code that lost its leading zero. Bad rows are not dropped
// silently: each one is a check naming the file, line and column.
func ExampleLoadSitesCSV() {
	input := `id;nom;type;latitude;longitude;etp;code_insee
fs-137;France services Boussac;France Services;46,34908;2,216669;;23031
cn-1;Médiathèque de Bourg;cnfs;46,2052;5,2255;0,5;1053
cn-2;Mairie;cnfs;2,166036;45,955593;1;23008
cn-3;Centre social;cnfs;6536148;648541;1;
`
	sites, checks, err := data.LoadSitesCSV("sites.csv", strings.NewReader(input), data.SitesOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sites {
		fmt.Printf("%s %s lat %.5f lon %.5f FTE %g INSEE %s\n", s.ID, s.Kind, s.Point.Lat(), s.Point.Lon(), s.FTE, s.INSEE)
	}
	for _, c := range checks {
		fmt.Println(c.Err)
	}
	// Output:
	// fs-137 france-services lat 46.34908 lon 2.21667 FTE 1 INSEE 23031
	// cn-1 cnfs lat 46.20520 lon 5.22550 FTE 0.5 INSEE 01053
	// sites.csv:4: colonne "latitude" : latitude et longitude semblent inversées : lieu "cn-2" : latitude 2.166036, longitude 45.955593 n'est dans aucun territoire français, mais relèverait de France métropolitaine une fois inversées
	// sites.csv:5: colonne "latitude" : coordonnée invalide : latitude 6.536148e+06, longitude 648541 ressemble à des mètres Lambert-93 (ou une autre projection), pas à des degrés WGS84
}
