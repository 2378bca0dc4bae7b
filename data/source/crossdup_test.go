package source

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"diagnum/data"
	"diagnum/geo"

	"github.com/paulmach/orb"
)

// TestCrossSourceDuplicates on a hand case in Guéret (23096), 0.0009° of
// latitude = 100.1 m (geo.HaversineKm):
//
//   - the France Services fs-1 and portrea's « France Services - Guéret »
//     40 m away: the same words; portrea's is removed, fs-1 kept;
//   - Hinaura's « Médiathèque de Guéret » and data·inclusion's
//     « MEDIATHEQUE GUERET » 20 m apart: data·inclusion's source is more
//     reliable, Hinaura's is removed;
//   - a cnfs place and a France Services of the same name at one point:
//     both kept (their FTE are different people);
//   - a portrea lieu with the SIRET of a cnfs place 60 m away, other name:
//     removed (same SIRET);
//   - the same name 101 m away, or in another commune (Sainte-Feyre,
//     23220) at 30 m, or of the same source: kept;
//   - « Mairie » and « Mairie de Guéret »: one significant word, kept.
func TestCrossSourceDuplicates(t *testing.T) {
	at := func(dlat float64) orb.Point { return orb.Point{1.8716, 46.1714 + dlat} }
	site := func(id, name string, k data.SiteKind, src string, dlat float64) data.Site {
		return data.Site{ID: id, Name: name, Kind: k, Source: src, Point: at(dlat), Line: len(id)}
	}
	sites := []data.Site{
		site("fs-1", "France services Guéret", data.KindFranceServices, SourceFranceServices, 0),
		site("portrea-1", "France Services - Guéret", data.KindMediation, SourcePortrea, 0.00036),
		site("hin-1", "Médiathèque de Guéret", data.KindMediation, SourceHinaura, 0.0020),
		site("std-cd23-1", "MEDIATHEQUE GUERET", data.KindMediation, SourceStandard, 0.00218),
		site("cn22-1", "Maison France Services Guéret", data.KindCNFS, SourceCNFSLieux, 0.0040),
		site("fs-2", "Maison France Services Guéret", data.KindFranceServices, SourceFranceServices, 0.0040),
		site("cn22-2", "Centre social", data.KindCNFS, SourceCNFSLieux, 0.0060),
		site("portrea-2", "Espace numérique", data.KindMediation, SourcePortrea, 0.00654),
		site("cn22-3", "Tiers-lieu La Quincaillerie", data.KindCNFS, SourceCNFSLieux, 0.0080),
		site("hin-2", "Tiers-lieu La Quincaillerie", data.KindMediation, SourceHinaura, 0.0089),
		site("hin-3", "Point numérique de la gare", data.KindMediation, SourceHinaura, 0.0100),
		site("std-cd23-2", "Point numerique gare", data.KindMediation, SourceStandard, 0.01027),
		site("hin-4", "Bibliothèque municipale", data.KindMediation, SourceHinaura, 0.0120),
		site("hin-5", "Bibliotheque municipale", data.KindMediation, SourceHinaura, 0.0120),
		site("std-cd23-3", "Mairie", data.KindMediation, SourceStandard, 0.0140),
		site("portrea-3", "Mairie de Guéret", data.KindMediation, SourcePortrea, 0.0140),
	}
	sites[6].SIRET, sites[7].SIRET = "21230096300017", "21230096300017"
	communes := make([]string, len(sites))
	for i := range communes {
		communes[i] = "23096"
	}
	communes[11] = "23220" // std-cd23-2 across the border
	if d := geo.HaversineKm(sites[8].Point, sites[9].Point); d <= data.CrossDuplicateKm {
		t.Fatalf("hand case: %g km, want just over %g", d, data.CrossDuplicateKm)
	}
	files := map[string]string{SourcePortrea: "portrea.geojson", SourceHinaura: "hinaura.json"}
	kept, checks := CrossSourceDuplicates(files, slices.Clone(sites), communes)
	var ids []string
	for _, s := range kept {
		ids = append(ids, s.ID)
	}
	want := []string{"fs-1", "std-cd23-1", "cn22-1", "fs-2", "cn22-2", "cn22-3", "hin-2", "hin-3", "std-cd23-2",
		"hin-4", "hin-5", "std-cd23-3", "portrea-3"}
	if !slices.Equal(ids, want) {
		t.Errorf("kept %v\nwant %v", ids, want)
	}
	wantChecks := map[string]string{"portrea-1": "fs-1", "hin-1": "std-cd23-1", "portrea-2": "cn22-2"}
	if len(checks) != len(wantChecks) {
		t.Errorf("%d checks, want %d: %v", len(checks), len(wantChecks), checks)
	}
	for _, c := range checks {
		keptID, ok := wantChecks[c.Site]
		if !ok || c.Severity != data.Rejected || c.Kind != data.CheckDuplicate || c.Commune != "23096" ||
			!errors.Is(c.Err, data.ErrDuplicate) || !strings.Contains(c.Err.Error(), "est sans doute le lieu "+keptID+" ") ||
			c.Err.File != files[sitesByID(sites)[c.Site].Source] || c.Err.Line != len(c.Site) {
			t.Errorf("check %+v: %v", c, c.Err)
		}
	}
}

// sitesByID indexes sites by ID.
func sitesByID(sites []data.Site) map[string]data.Site {
	m := make(map[string]data.Site, len(sites))
	for _, s := range sites {
		m[s.ID] = s
	}
	return m
}
