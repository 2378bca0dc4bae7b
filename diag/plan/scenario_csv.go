package plan

import (
	"io"

	"diagnum/data"
)

// ScenarioHeader is the header of WriteScenarioCSV: the sites format's
// columns, then action and employeur (the first 13 columns of CSVHeader).
var ScenarioHeader = CSVHeader[:13]

// WriteScenarioCSV writes a scenario file that LoadScenario reads back:
// one ajout row per site of add, then one suppression row per site of
// remove (its columns copied from the site, only its id being read
// back). Separator ',', UTF-8 without BOM; coordinates and FTE in the
// shortest form that reads back to the same float64, so the scenario
// read back gives the very same figures. employer is written on every
// row ("" leaves the column empty).
func WriteScenarioCSV(w io.Writer, add, remove []data.Site, employer Employer) error {
	return data.WriteCSV(w, "du scénario", data.CSVPlain, ScenarioHeader, len(add)+len(remove), func(i int) []string {
		if i < len(add) {
			return scenarioFields(&add[i], ActionAdd, employer)
		}
		return scenarioFields(&remove[i-len(add)], ActionRemove, employer)
	})
}

// scenarioFields returns the columns of ScenarioHeader for site s, texts
// made formula-safe (data.FormulaSafe; LoadScenario restores them).
func scenarioFields(s *data.Site, action string, e Employer) []string {
	return []string{data.FormulaSafe(s.ID), data.FormulaSafe(s.Name), s.Kind.String(), exact(s.Point[1]), exact(s.Point[0]), exact(s.FTE), s.INSEE,
		s.Postcode, s.SIRET, data.FormulaSafe(s.Source), s.Date, action, string(e)}
}
