// Package report writes the outputs of a diagnostic: the Excel workbook
// (WriteWorkbook), the communes CSV export (WriteCSV), the GeoJSON layers
// (WriteGeoJSON, WriteSitesGeoJSON) and the map picture (RenderMap), each
// to an io.Writer. The command (cmd/diagnum, outputs.go) writes them to
// temporary files renamed together at the end, so an interrupted run
// never leaves a half-written file.
//
// The workbook's sheets depend on the territory level (SheetNames): a
// région workbook ranks its départements, a France workbook the régions
// and every département. Synthèse embeds the map picture (Input.MapPNG).
// The Recommandations sheet shows the placement plan (Input.Plan,
// WriteRecommandations), or how to run the planner; a plan over several
// départements also gets their table and the map of the posts added per
// département (PlanMapInput, Input.PlanMap).
//
// It is the only package of diagnum that imports excelize. Every text of
// the workbook is in French, except the original (technical) message of
// each check, shown beside its French category and explanation. Outputs
// are deterministic: rows follow the order of the slices given (never a
// map's), the document dates come from Input.Date, and the workbook's zip
// entries are written in a fixed order, so the same input gives the same
// bytes. Large sheets are streamed (excelize's StreamWriter).
package report
