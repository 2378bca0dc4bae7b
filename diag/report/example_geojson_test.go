package report_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"

	"github.com/paulmach/orb"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/report"
)

func ExampleWriteGeoJSON() {
	ds := &data.Dataset{Communes: []data.Commune{{
		Code: "23001",
		// A clockwise triangle: written counter-clockwise, closed, 6 decimals.
		Polygon: orb.MultiPolygon{{{{1.9, 46.1}, {2.0, 46.0}, {1.8, 46.0}, {1.9, 46.1}}}},
	}}}
	communes := []diag.CommuneResult{{
		Code: "23001", Name: "Ahun", Dep: "23", EPCI: "200034825", Population: 1394,
		NearestMin: math.Inf(1), NearestSite: -1, // no counted site: null
		Fragility: 70, Gap: 1.23456789, Rank: 1,
	}}
	sites := []diag.SiteResult{{Site: data.Site{ID: "s4", Name: "France Services d'Ahun",
		Kind: data.KindFranceServices, Point: orb.Point{1.93333333, 46.08}, FTE: 1, Commune: "23001"}}}
	if err := report.WriteGeoJSON(os.Stdout, communes, ds, sites); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"type":"FeatureCollection","features":[
	// {"type":"Feature","id":"23001","geometry":{"type":"MultiPolygon","coordinates":[[[[1.9,46.1],[1.8,46],[2,46],[1.9,46.1]]]]},"properties":{"code_insee":"23001","nom":"Ahun","code_departement":"23","code_epci":"200034825","population":1394,"nb_sites":0,"etp_conseillers":0,"etp_cnfs":0,"conseillers_pour_10k":0,"temps_site_proche_min":null,"couvert":0,"acces_e2sfca_pour_10k":0,"indice_fragilite":70,"score_ecart":1.234568,"rang":1,"part_couverte":0,"layer":"communes"}},
	// {"type":"Feature","geometry":{"type":"Point","coordinates":[1.933333,46.08]},"properties":{"id":"s4","nom":"France Services d'Ahun","type":"france-services","etp":1,"etp_retenu":0,"code_insee":"23001","compte":0,"layer":"sites"}}
	// ]}
}

func ExampleRenderMap() {
	ds := &data.Dataset{Communes: []data.Commune{
		{Code: "23001", Zone: "metro", Point: orb.Point{1.95, 46.09}, HasPoint: true},
		{Code: "23096", Zone: "metro", Point: orb.Point{1.87, 46.17}, HasPoint: true},
	}}
	in := report.MapInput{
		Title:    "Score d'écart — Creuse (23)",
		Communes: []diag.CommuneResult{{Code: "23001", Population: 1394, Gap: 40}, {Code: "23096", Population: 12942, Gap: 5}},
		Dataset:  ds,
		Width:    800, Height: 600,
	}
	pngData, svgData, err := report.RenderMap(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(pngData))
	fmt.Println(cfg.Width, cfg.Height, err)
	fmt.Println(bytes.Contains(svgData, []byte("Score d&#39;écart — Creuse (23)")))
	// Output:
	// 800 600 <nil>
	// true
}
