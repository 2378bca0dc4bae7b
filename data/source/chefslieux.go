package source

import (
	"fmt"
	"io"
	"strings"

	"diagnum/data"

	"github.com/paulmach/orb"
)

// LoadChefsLieux reads the town-hall (chef-lieu) point of each commune
// (chefs-lieux-cog2025.csv: code_insee, lon, lat, …; IGN ADMIN EXPRESS COG
// CARTO 2020 via comhisto) and returns them by INSEE code. A row with
// empty lon and lat (a commune without a town hall or a collectivity
// without geography) is skipped silently: it is the file's way of saying
// "no point". A row with a malformed code or unusable coordinates is
// rejected; a repeated code is rejected.
func LoadChefsLieux(name string, r io.Reader) (map[string]orb.Point, data.Checks, error) {
	t, idx, err := readTable("des chefs-lieux", name, r, "code_insee", "lon", "lat")
	if err != nil {
		return nil, nil, err
	}
	out := map[string]orb.Point{}
	var checks data.Checks
	for _, rec := range t.Records {
		rw := siteRow{file: name, line: rec.Line}
		lon, lat := strings.TrimSpace(rec.Field(idx[1])), strings.TrimSpace(rec.Field(idx[2]))
		if lon == "" && lat == "" {
			continue
		}
		code, err := data.NormINSEE(rec.Field(idx[0]))
		if err != nil {
			checks.Reject(rw.err("code_insee", err))
			continue
		}
		if _, dup := out[code]; dup {
			checks.Reject(rw.err("code_insee", fmt.Errorf("%w : la commune %s a déjà un point", data.ErrDuplicate, code)))
			continue
		}
		pt, perr := placePoint(lat, lon, rw)
		if perr != nil {
			checks.Reject(perr)
			continue
		}
		out[code] = pt
	}
	if len(out) == 0 {
		return nil, checks, noneKept("des chefs-lieux", name, "aucun point")
	}
	return out, checks, nil
}
