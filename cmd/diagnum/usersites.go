package main

import (
	"bytes"
	"io"

	"diagnum/data"
	"diagnum/data/source"

	"github.com/paulmach/orb"
)

// sitesFormat is the format of a user's sites file.
type sitesFormat int

const (
	sitesPlain    sitesFormat = iota // the sites CSV or GeoJSON (data.LoadSites)
	sitesAidants                     // an Aidants Connect structures export
	sitesStandard                    // a JSON export in the standard des lieux de médiation numérique
)

// sniffHead is how much of a file sniffSites reads.
const sniffHead = 64 << 10

// sniffSites tells the format of the sites file r from its first bytes
// (data.PeekHead: the head of a pipe or FIFO is kept, not lost) and
// returns a reader of the whole file: an Aidants Connect export by its
// header (source.IsAidantsConnect), a standard des lieux export by a JSON
// array whose objects have the standard's `pivot` or `services` keys;
// anything else is a plain sites file.
func sniffSites(r io.Reader) (sitesFormat, io.Reader) {
	head, r := data.PeekHead(r, sniffHead)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	line, _, _ := bytes.Cut(head, []byte("\n"))
	switch {
	case source.IsAidantsConnect(string(line)):
		return sitesAidants, r
	case len(head) > 0 && head[0] == '[' && (bytes.Contains(head, []byte(`"pivot"`)) || bytes.Contains(head, []byte(`"services"`))):
		return sitesStandard, r
	}
	return sitesPlain, r
}

// loadUserSites reads one sites file of the user in format f. The
// Aidants Connect export has no coordinates: its structures are placed
// at the points of their communes (source.PlaceAtCommunes). Sites of the
// other two formats go through data.ValidateSites, as data.LoadSites's
// do.
func loadUserSites(name string, r io.Reader, f sitesFormat, ds *data.Dataset) ([]data.Site, data.Checks, error) {
	var (
		sites  []data.Site
		checks data.Checks
		err    error
	)
	switch f {
	case sitesAidants:
		sites, checks, err = source.LoadAidantsConnect(name, r)
		if err == nil {
			var more data.Checks
			sites, more = source.PlaceAtCommunes(name, sites, communePoint(ds))
			checks = append(checks, more...)
		}
	case sitesStandard:
		sites, checks, err = source.LoadStandardLieux(name, r, nil)
	default:
		return data.LoadSites(name, r, data.SitesOptions{Known: ds.KnownCode})
	}
	if err != nil {
		return nil, checks, err
	}
	kept, more := data.ValidateSites(name, sites, ds.KnownCode)
	return kept, append(checks, more...), nil
}

// communePoint returns the representative point of a commune of ds by
// its code (an old code is mapped to its successor), when it has one.
func communePoint(ds *data.Dataset) func(code string) (orb.Point, bool) {
	return func(code string) (orb.Point, bool) {
		if c, ok := ds.Resolve(code); ok {
			code = c
		}
		if i, ok := ds.CommuneIndex(code); ok && ds.Communes[i].HasPoint {
			return ds.Communes[i].Point, true
		}
		return orb.Point{}, false
	}
}
