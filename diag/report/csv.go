package report

import (
	"io"
	"math"
	"strconv"

	"diagnum/data"
	"diagnum/diag"
)

// csvDecimals is the number of decimals of the measures in the CSV export.
const csvDecimals = 6

// WriteCSV writes the communes as CSV (RFC 4180): UTF-8 with a byte-order
// mark, comma separator, CRLF line ends, fields quoted only when needed,
// the header CSVHeader, then one row per commune in the order given (the
// caller passes the territory's communes sorted by rang).
//
// Codes (INSEE, département, EPCI) are written as text, leading zeros
// kept. population, nb_sites and rang are integers. couvert is 1 or 0.
// The other measures are decimals with a dot and exactly 6 decimals
// (strconv 'f' format, correctly rounded; -0 is written as 0). A measure
// that is not a finite number is an empty field: temps_site_proche_min
// when no counted site exists (+Inf), indice_fragilite when no indicator
// is known (NaN).
func WriteCSV(w io.Writer, communes []diag.CommuneResult) error {
	return WriteCSVColumns(w, communes, CommuneColumns)
}

// WriteCSVColumns is WriteCSV with the columns cols (Input.CSVColumns:
// CommuneColumns, then part_65_plus when known), their names as header.
func WriteCSVColumns(w io.Writer, communes []diag.CommuneResult, cols []CommuneColumn) error {
	header := make([]string, len(cols))
	for i := range cols {
		header[i] = cols[i].Name
	}
	return data.WriteCSV(w, "du CSV", data.CSVExcel, header, len(communes), func(i int) []string {
		return columnsRecord(&communes[i], cols)
	})
}

// csvRecord returns the CSV fields of one commune, in CSVHeader order.
func csvRecord(c *diag.CommuneResult) []string { return columnsRecord(c, CommuneColumns) }

// columnsRecord returns the CSV fields of one commune in the columns cols.
func columnsRecord(c *diag.CommuneResult, cols []CommuneColumn) []string {
	rec := make([]string, len(cols))
	for i := range cols {
		rec[i] = cols[i].csvField(c)
	}
	return rec
}

// formatMeasure formats v with csvDecimals decimals, "" when v is NaN or
// infinite.
func formatMeasure(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', csvDecimals, 64)
	if s == "-0."+zeros {
		s = s[1:]
	}
	return s
}

const zeros = "000000" // csvDecimals zeros

// roundMeasure returns v rounded exactly as formatMeasure writes it, so
// the workbook and the CSV hold the same numbers; NaN and ±Inf come back
// as ok == false.
func roundMeasure(v float64) (r float64, ok bool) {
	s := formatMeasure(v)
	if s == "" {
		return 0, false
	}
	r, err := strconv.ParseFloat(s, 64)
	return r, err == nil
}
