// Package source reads the raw open-data files of the national digital
// inclusion programmes (one adapter per file format) into the typed values
// of package data. Each loader returns its rows, the Checks of the rows it
// rejected or flagged, and an error only when the file cannot be used.
package source
