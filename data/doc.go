// Package data loads, validates and embeds the inputs of diagnum: the
// official list of communes (COG), their points and polygons, the places
// where digital advisors work (conseillers numériques, France Services,
// lieux de médiation numérique), and per-commune indicators.
//
// French files are read as they really come: ';', ',' or tab separators,
// decimal commas, UTF-8 with or without BOM or Windows-1252, quoted fields
// with newlines, and codes that lost their leading zero. A row that cannot
// be used is never dropped silently: it becomes a *ParseError naming the
// file, line and column, collected in a Checks list that the report shows.
package data
