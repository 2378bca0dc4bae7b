package data

import "strings"

// formulaStarts are the first characters that make a spreadsheet read a
// text cell as a formula (OWASP's list for CSV injection).
const formulaStarts = "=+-@\t\r"

// FormulaSafe returns s ready for a CSV or GeoJSON cell that a
// spreadsheet may open: a text starting with '=', '+', '-', '@', a tab or
// a carriage return gets a leading apostrophe, which spreadsheets show as
// text and never evaluate (so "=HYPERLINK(…)" stays a name). Any other
// text comes back unchanged. Use it for text fields only, never for
// numbers (-1.5 is a number, not a formula).
func FormulaSafe(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// FormulaRestore undoes FormulaSafe: the loaders read the names they
// wrote back as the names they were given.
func FormulaRestore(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(formulaStarts, s[1]) >= 0 {
		return s[1:]
	}
	return s
}
