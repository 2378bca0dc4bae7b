package source

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"diagnum/data"
)

// SourceStandard is the short source name (Site.Source) of the sites read
// from a file of the "standard des lieux de médiation numérique".
const SourceStandard = "standard-lieux"

var standardFormat = lieuFormat{"lieux (standard des lieux de médiation numérique)", "std-", SourceStandard, data.KindMediation}

// Sources of a data·inclusion / cartographie nationale export that
// duplicate files the embedded data already read: the places of the
// conseillers numériques (cnfs-lieux-2022-12) and Hinaura's lieux
// (cartographie-nationale-hinaura). make data skips them
// (LoadStandardLieux's skip).
var StandardDuplicateSources = []string{"conseiller-numerique", "Hinaura"}

// LoadStandardLieux reads a JSON array of lieux in the "standard des lieux
// de médiation numérique" (schema v0 of the cartographie nationale's
// national export; data·inclusion's lieux-20230206.json): id, nom,
// pivot, code_insee, code_postal, latitude, longitude, labels_nationaux,
// source, date_maj… Each object becomes a Site with ID "std-<id>",
// Source SourceStandard, FTE 0 (the FTE of its kind applies,
// diag.Params.FTEPerSite), SIRET from `pivot`, INSEE from `code_insee`,
// and a kind from `labels_nationaux` (';'-separated): cnfs when it holds
// "CNFS", else france-services when it holds "France Services", else
// mediation. Objects whose `source` is in skip (case-insensitive) are
// skipped and counted in one Warning (ErrDuplicate). An object without
// coordinates is rejected (ErrBadCoordinate), as in the other lieux
// files. In the Checks, Line is the 1-based number of the object in the
// array; contact fields (courriel, telephone) are never read.
func LoadStandardLieux(name string, r io.Reader, skip []string) ([]data.Site, data.Checks, error) {
	items, err := readJSONArray(name, r)
	if err != nil {
		return nil, nil, fmt.Errorf("chargement %s : %w", standardFormat.what, err)
	}
	var checks data.Checks
	skipped := map[string]int{}
	sites := jsonItems(name, "objet JSON", items, &checks, func(raw json.RawMessage, row siteRow) (data.Site, string, bool, *data.ParseError) {
		obj, perr := decodeJSONObject(raw, row)
		if perr != nil {
			return data.Site{}, "", false, perr
		}
		src, _ := obj.Text("source")
		for _, s := range skip {
			if strings.EqualFold(src, s) {
				skipped[s]++
				return data.Site{}, "", false, nil
			}
		}
		st, perr := lieuSite(obj, nil, row, standardFormat, &checks)
		labels, _ := obj.Text("labels_nationaux")
		st.Kind = standardKind(labels)
		return st, st.ID, true, perr
	})
	warnSkipped(name, skip, skipped, &checks)
	return lieuxResult(name, standardFormat, sites, checks)
}

// standardKind returns the kind of a lieu from its national labels.
func standardKind(labels string) data.SiteKind {
	kind := data.KindMediation
	for _, l := range strings.Split(labels, ";") {
		switch strings.ToLower(strings.TrimSpace(l)) {
		case "cnfs", "conseiller numérique", "conseillers numériques":
			return data.KindCNFS
		case "france services", "france service":
			kind = data.KindFranceServices
		}
	}
	return kind
}
