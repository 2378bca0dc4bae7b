package report

import (
	"diagnum/data"
	"diagnum/diag"
)

// notInformed is the text of an unknown QPV or FRR flag, or of a share
// that no known flag supports.
const notInformed = "non renseigné"

// zonage reads the QPV and FRR flags of the communes from the indicator
// table of Input.Dataset. A flag is 1 (in a QPV commune, FRR-classified)
// or 0; it is unknown when the column or the value is missing: FRR is
// only known in the départements that its source covers.
type zonage struct {
	ind      *data.Indicators
	qpv, frr int // column indices, -1 when absent
}

// newZonage returns the flags of ds; a nil ds knows no flag.
func newZonage(ds *data.Dataset) zonage {
	z := zonage{qpv: -1, frr: -1}
	if ds == nil || ds.Indicators == nil {
		return z
	}
	z.ind = ds.Indicators
	z.qpv, z.frr = z.ind.Column(data.ColQPV), z.ind.Column(data.ColFRR)
	return z
}

// flag returns the flag of column col for commune code, and false when
// it is unknown.
func (z zonage) flag(col int, code string) (set, ok bool) {
	if z.ind == nil || col < 0 || code == "" {
		return false, false
	}
	v, ok := z.ind.Get(code, col)
	return ok && v > 0, ok
}

// flagCell returns the oui/non cell of a commune's flag, or the text
// notInformed when it is unknown.
func (b *book) flagCell(col int, code string) any {
	set, ok := b.zn.flag(col, code)
	if !ok {
		return notInformed
	}
	return cell(b.st.yesNo, yesNo(set))
}

// zoneShare counts the sites of an area by a flag of their commune.
type zoneShare struct {
	sites   int // sites of the area
	known   int // of which the commune's flag is known
	flagged int // of which the flag is set
}

// value returns flagged / known, or notInformed when no flag is known.
func (z zoneShare) value() any {
	if z.known == 0 {
		return notInformed
	}
	return measure(float64(z.flagged) / float64(z.known))
}

// zoneShares counts, over the sites assigned to a commune satisfying in
// (only the counted ones when counted is true), those whose commune has
// flag col.
func (b *book) zoneShares(in func(*diag.CommuneResult) bool, counted bool, col int) zoneShare {
	var z zoneShare
	r := b.in.Result
	for i := range r.Sites {
		s := &r.Sites[i]
		ci, ok := b.idx[s.Commune]
		if !ok || !in(&r.Communes[ci]) || counted && !s.Counted {
			continue
		}
		z.sites++
		set, known := b.zn.flag(col, s.Commune)
		if known {
			z.known++
			if set {
				z.flagged++
			}
		}
	}
	return z
}
