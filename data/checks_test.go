package data

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestKindOf: a loader's check gets its kind from the sentinel it wraps,
// in the order of kindSentinels (a duplicate coordinate is a duplicate).
func TestKindOf(t *testing.T) {
	tests := []struct {
		err  error
		want CheckKind
	}{
		{ErrDuplicate, CheckDuplicate},
		{fmt.Errorf("x: %w", ErrBadCoordinate), CheckCoordinate},
		{ErrSwappedLatLon, CheckCoordinate},
		{ErrOutsideFrance, CheckCoordinate},
		{fmt.Errorf("%w : lieu à Saint-Martin", ErrOutsideScope), CheckCoordinate},
		{ErrBadCode, CheckCode},
		{ErrUnknownINSEE, CheckUnknownCode},
		{fmt.Errorf("%w : %w", ErrDuplicate, ErrBadCoordinate), CheckDuplicate},
		{ErrBadValue, CheckOther},
		{ErrBadNumber, CheckOther},
		{errors.New("doublon : a message is not a sentinel"), CheckOther},
		{nil, CheckOther},
	}
	for _, tt := range tests {
		if got := kindOf(tt.err); got != tt.want {
			t.Errorf("kindOf(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
	var c Checks
	c.Warn(&ParseError{Err: ErrBadCode})
	c.Reject(&ParseError{Err: ErrDuplicate})
	c.Add(Check{Severity: Warning, Kind: CheckNoReach, Err: &ParseError{Err: ErrBadValue}})
	if c[0].Kind != CheckCode || c[1].Kind != CheckDuplicate || c[1].Severity != Rejected || c[2].Kind != CheckNoReach {
		t.Errorf("checks %+v", c)
	}
}

// TestCheckKindCodes: every kind has its own code, which parses back.
func TestCheckKindCodes(t *testing.T) {
	if len(CheckKinds) != int(nCheckKinds) {
		t.Fatalf("CheckKinds lists %d kinds of %d", len(CheckKinds), nCheckKinds)
	}
	seen := map[string]bool{}
	for _, k := range CheckKinds {
		code := k.String()
		if code == "" || seen[code] || strings.HasPrefix(code, "CheckKind(") {
			t.Errorf("kind %d: code %q empty, repeated or missing", k, code)
		}
		seen[code] = true
		if back, ok := parseCheckKind(code); !ok || back != k {
			t.Errorf("parseCheckKind(%q) = %v, %v", code, back, ok)
		}
	}
	if _, ok := parseCheckKind("Doublon"); ok {
		t.Error("parseCheckKind accepts an unknown code")
	}
	if got := CheckKind(200).String(); got != "CheckKind(200)" {
		t.Errorf("String of an unknown kind = %q", got)
	}
}

// TestSiteChecksNameTheSite: the checks of the sites loader carry their
// kind and the site they concern, whatever their message says.
func TestSiteChecksNameTheSite(t *testing.T) {
	in := "id,nom,type,latitude,longitude,code_insee,siret\n" +
		"a,Mairie,cnfs,46.1,2.1,,123\n" + // malformed SIRET: warning, code
		"b,Mairie,cnfs,46.1,2.1,,\n" + // same name 0 m away: duplicate
		"c,Poste,cnfs,2.1,46.1,,\n" + // swapped: rejected, coordinate
		"d,Gare,cnfs,46.2,2.2,23999,\n" // unknown code: warning
	_, checks, err := LoadSitesCSV("s.csv", strings.NewReader(in), SitesOptions{Known: testKnown})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		sev  Severity
		kind CheckKind
		site string
	}{
		{Warning, CheckCode, "a"},
		{Warning, CheckDuplicate, "b"},
		{Rejected, CheckCoordinate, "c"},
		{Warning, CheckUnknownCode, "d"},
	}
	if len(checks) != len(want) {
		t.Fatalf("%d checks, want %d: %v", len(checks), len(want), checkTexts(checks))
	}
	for i, w := range want {
		c := checks[i]
		if c.Severity != w.sev || c.Kind != w.kind || c.Site != w.site || c.Commune != "" {
			t.Errorf("check %d = %v %s site %q commune %q (%v), want %v %s site %q",
				i, c.Severity, c.Kind, c.Site, c.Commune, c.Err, w.sev, w.kind, w.site)
		}
	}
}
