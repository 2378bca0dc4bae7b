package source

import (
	"fmt"

	"diagnum/data"

	"github.com/paulmach/orb/planar"
)

// RestoredParents maps each commune restored (rétablie) after the 2018
// polygons to the commune nouvelle whose 2018 territory held it (COG
// events): Sannerville left Saline (now Troarn, 14712) in 2025; Celles,
// Chalinargues, Chavagnac and Sainte-Anastasie left Neussargues en
// Pinatelle (now Neussargues-Moissac, 15141) in 2025; L'Oie and
// Sainte-Florence left Essarts-en-Bocage (85084) in 2024. The COG does
// not record the link (no anciensCodes), hence this table.
var RestoredParents = map[string]string{
	"14666": "14712",
	"15031": "15141", "15035": "15141", "15047": "15141", "15171": "15141",
	"85165": "85084", "85212": "85084",
}

// PlaceRestored applies the rule for the communes of parents (child →
// parent, see RestoredParents) that no source locates, and names each
// case in a Warning (ErrBadCoordinate) about the child:
//
//   - a child without a point gets its parent's point (the parent's town
//     hall), the nearest located place of the 2018 territory that held
//     it: its travel times are approximate, off by the few kilometres
//     between the two villages;
//   - a child without a polygon keeps none (no source draws it): its
//     territory lies inside its parent's polygon, so places there are
//     assigned to the parent by point in polygon, and the child is shown
//     by its point (GeoJSON layer, maps).
//
// A child with a point that falls outside its parent's polygon is
// warned too (the table would be wrong). Children or parents absent from
// communes, and children with both point and polygon, are left alone.
func PlaceRestored(file string, communes []data.Commune, parents map[string]string) data.Checks {
	idx := make(map[string]int, len(communes))
	for i := range communes {
		idx[communes[i].Code] = i
	}
	var checks data.Checks
	for i := range communes {
		c := &communes[i]
		pj, ok := parents[c.Code]
		if !ok || (c.HasPoint && len(c.Polygon) > 0) {
			continue
		}
		j, ok := idx[pj]
		if !ok {
			continue
		}
		p := &communes[j]
		warn := func(format string, a ...any) {
			checks.Add(data.Check{Severity: data.Warning, Commune: c.Code, Err: &data.ParseError{File: file, Column: "code_insee",
				Err: fmt.Errorf("%w : "+format, append([]any{data.ErrBadCoordinate}, a...)...)}})
		}
		if !c.HasPoint && p.HasPoint {
			c.Point, c.HasPoint = p.Point, true
			warn("la commune %s %s, rétablie après 2018, n'a de point dans aucune source : elle reçoit le point de la mairie de %s %s, la commune dont le territoire de 2018 la contenait ; ses temps de trajet sont approchés (quelques km)",
				c.Code, c.Name, p.Code, p.Name)
		}
		if len(c.Polygon) == 0 {
			warn("la commune %s %s, rétablie après 2018, n'a pas de polygone propre : son territoire est dans le polygone de %s %s, à laquelle les lieux qui s'y trouvent sont rattachés ; elle est représentée par son point",
				c.Code, c.Name, p.Code, p.Name)
			if c.HasPoint && len(p.Polygon) > 0 && c.Point != p.Point && !planar.MultiPolygonContains(p.Polygon, c.Point) {
				warn("la commune %s %s : son point est hors du polygone de %s %s, qui devrait le contenir", c.Code, c.Name, p.Code, p.Name)
			}
		}
	}
	return checks
}
