// Package data is the model of diagnum's inputs and the formats the
// command reads: communes, départements, régions, EPCI and sites (Dataset),
// the documented user formats (sites as CSV or GeoJSON, per-commune
// indicators), the validation of sites, and the embedded default data set
// that make data builds. The adapters for the raw open-data files that
// make data reads (COG, France Services, conseillers numériques, lieux de
// médiation, zonages, commune points and polygons) live in data/source.
//
// French files are read as they really come: ';', ',' or tab separators,
// decimal commas, UTF-8 with or without BOM or Windows-1252, quoted fields
// with newlines, and codes that lost their leading zero. A row that cannot
// be used is never dropped silently: it becomes a *ParseError naming the
// file, line and column, collected in a Checks list that the report shows.
package data
