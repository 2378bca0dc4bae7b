// Package report writes the outputs of a diagnostic: the Excel workbook
// (WriteWorkbook), the communes CSV export (WriteCSV), both through
// WriteFileAtomic so an interrupted run never leaves a half-written file.
//
// It is the only package of diagnum that imports excelize. Every text of
// the workbook is in French. Outputs are deterministic: rows follow the
// order of the slices given (never a map's), the document dates come from
// Input.Date, and the workbook's zip entries are written in a fixed order,
// so the same input gives the same bytes.
package report
