package report

import (
	"io"
	"strconv"

	"diagnum/data"
)

// ChecksOverflow returns how many checks of in the Contrôles sheet cannot
// show (Excel's limit of 1,048,576 rows); 0 when all fit. The caller then
// writes them all with WriteChecksCSV beside the workbook and names that
// file in Input.ChecksCSV.
func ChecksOverflow(in Input) int {
	return max(0, len(in.Checks)+len(in.Result.Checks)-in.controlRows())
}

// controlRows is the cap of Contrôles: in.MaxControlRows, or
// maxControlRows.
func (in Input) controlRows() int {
	if in.MaxControlRows > 0 {
		return in.MaxControlRows
	}
	return maxControlRows
}

// ChecksCSVHeader is the header of WriteChecksCSV: the columns of Contrôles.
var ChecksCSVHeader = []string{"gravite", "fichier", "ligne", "colonne", "categorie", "concerne_le_territoire",
	"element_concerne", "explication", "message"}

// WriteChecksCSV writes every check of in, in the order and with the
// columns of the Contrôles sheet, as CSV (UTF-8 with BOM, ',' and CRLF,
// like WriteCSV; text cells through data.FormulaSafe).
func WriteChecksCSV(w io.Writer, in Input) error {
	if err := in.validate(); err != nil {
		return err
	}
	b := &book{in: &in, idx: communeIndex(in.Result), zn: newZonage(in.Dataset)}
	rows := b.checkRows()
	return data.WriteCSV(w, "du CSV des contrôles", data.CSVExcel, ChecksCSVHeader, len(rows), func(i int) []string {
		c := rows[i]
		rec := []string{severityLabel(c.Severity), "", "", "", categoryText[c.cat].label, whereLabel(c.where), c.what,
			categoryText[c.cat].explain, ""}
		if e := c.Err; e != nil {
			rec[1], rec[3] = e.File, e.Column
			if e.Line > 0 {
				rec[2] = strconv.Itoa(e.Line)
			}
			if e.Err != nil {
				rec[8] = e.Err.Error()
			}
		}
		for i := range rec {
			rec[i] = data.FormulaSafe(rec[i])
		}
		return rec
	})
}
