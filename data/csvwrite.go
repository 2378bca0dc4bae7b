package data

import (
	"encoding/csv"
	"fmt"
	"io"
)

// CSVStyle is how WriteCSV lays out a file.
type CSVStyle int

const (
	// CSVPlain is ',' as separator, "\n" line ends, UTF-8 without BOM:
	// the files diagnum reads back (sites, scenarios, plans).
	CSVPlain CSVStyle = iota
	// CSVExcel is CSVPlain with a UTF-8 BOM and "\r\n" line ends, which
	// Excel opens as UTF-8: the outputs meant for a spreadsheet.
	CSVExcel
)

// WriteCSV writes header and then n records, row(i) giving record i,
// with encoding/csv in style, and flushes them; every error is returned
// as « écriture <what> : <err> ». Every CSV output is written by it.
func WriteCSV(w io.Writer, what string, style CSVStyle, header []string, n int, row func(i int) []string) error {
	if style == CSVExcel {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return fmt.Errorf("écriture %s : %w", what, err)
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = style == CSVExcel
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("écriture %s : %w", what, err)
	}
	for i := range n {
		if err := cw.Write(row(i)); err != nil {
			return fmt.Errorf("écriture %s : %w", what, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("écriture %s : %w", what, err)
	}
	return nil
}
