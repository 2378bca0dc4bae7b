package main

import (
	"bytes"
	"io"
)

// sourceRows are the data sets of the embedded default data (see
// data/SOURCES.md); the report's Sources sheet shows them.
var sourceRows = [][]string{
	{"cog", "Découpage administratif : communes, départements, régions, EPCI, populations légales", "INSEE (COG, populations légales), Etalab", "COG 2025", "Licence Ouverte 2.0",
		"INSEE – Code officiel géographique 2025 et populations légales, via Etalab (decoupage-administratif)", "decoupage-administratif/*.json"},
	{"communes-points", "Point représentatif et données socio-démographiques des communes", "INSEE (comparateur de territoires), La Poste ; compilation R. Carlier", "COG 2024, RP 2021", "Licence Ouverte 2.0",
		"INSEE COG 2024 & comparateur de territoires; La Poste base officielle des codes postaux; compilation R. Carlier (datas.fun)", "communes-points-2024/communes_points.csv"},
	{"france-geojson", "Contours simplifiés des communes (19, 23, 59, 62, 75, 87, 92, 93, 94, 974)", "IGN (ADMIN EXPRESS), INSEE ; mise en forme G. David", "COG 2018", "Licence Ouverte (Etalab)",
		"IGN – ADMIN EXPRESS COG 2018; INSEE COG 2018; mise en forme G. David (france-geojson)", "france-geojson/communes/*.geojson"},
	{"france-services", "Liste des structures France services", "ANCT, Banque des Territoires", "2024-08-01", "Licence Ouverte 2.0",
		"ANCT – Liste des structures France services, 01/08/2024", "anct-france-services/liste-fs-20240801.csv"},
	{"cnfs-2021", "Conseillers numériques France Services : structures retenues et postes", "ANCT", "2021", "Licence Ouverte 2.0",
		"ANCT – Conseillers numériques France Services, structures retenues, 2021", "anct-conseillers-numeriques/cnfs.json"},
	{"cnfs-2022", "Lieux d'activité des conseillers numériques", "ANCT", "2022", "Licence Ouverte 2.0",
		"ANCT – Conseiller numérique France Services, lieux d'activité (2022), via cartographie nationale", "cartographie-nationale-cnfs-2022/*.json"},
	{"hinaura", "Lieux de médiation numérique en Auvergne-Rhône-Alpes", "Hinaura, ANCT", "2021–2022", "Licence Ouverte 2.0",
		"ANCT – Cartographie nationale des lieux d'inclusion numérique, source Hinaura", "cartographie-nationale-hinaura/lieux_hinaura_2021.json"},
	{"portrea", "Lieux de médiation numérique du Nord et du Pas-de-Calais", "Les Assembleurs (portrea), data·inclusion, ANCT", "2017–2023", "Licence Ouverte 2.0",
		"Les Assembleurs (portrea) – lieux de médiation numérique, d'après la cartographie nationale (ANCT)", "portrea-mediation-numerique/locations.geojson"},
	{"zonages", "Communes comportant un QPV (liste 2024), grille communale de densité", "ANCT – Observatoire des territoires, INSEE", "COG 2025, QPV 2024", "Licence Ouverte 2.0",
		"ANCT – Observatoire des territoires / superposeur de zonages, COG 2025", "anct-zonages-2025/*.csv"},
	{"frr", "Classement France Ruralités Revitalisation (19, 23, 59, 62, 87, 93, DROM)", "ANCT, d'après DGCL", "communes 2025", "Licence Ouverte 2.0",
		"ANCT – Observatoire des territoires, classement FRR (d'après DGCL), communes 2025", "frr-2025/frr_communes_subset.csv"},
}

func (g *gen) sources() error {
	return g.writeCSV("sources.csv", []string{"name", "titre", "producteur", "date", "licence", "attribution", "fichier"},
		len(sourceRows), func(i int) []string { return sourceRows[i] })
}

// writeWith writes what fn produces to out/name.
func (g *gen) writeWith(name string, fn func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		return err
	}
	return g.writeFile(name, buf.Bytes())
}
