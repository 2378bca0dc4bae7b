package plan

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"diagnum/data"
	"diagnum/diag"
)

func TestZoneOf(t *testing.T) {
	for dep, want := range map[string]Zone{
		"23": ZoneMetropole, "2A": ZoneMetropole, "974": ZoneReunionMayotte, "976": ZoneReunionMayotte,
		"971": ZoneAntillesGuyane, "972": ZoneAntillesGuyane, "973": ZoneAntillesGuyane, "": ZoneMetropole,
	} {
		if got := ZoneOf(dep); got != want {
			t.Errorf("ZoneOf(%q) = %s, want %s", dep, got, want)
		}
	}
}

// TestLoadCosts reads costs files: each row overrides a default amount.
func TestLoadCosts(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[CostKey]float64 // amounts that differ from the defaults
		err      error
		line     int
	}{
		{"one amount", "zone,employeur,montant\nmetropole,public,55000\n",
			map[CostKey]float64{{ZoneMetropole, EmployerPublic}: 55000}, nil, 0},
		{"labels, semicolons, decimal comma", "zone;employeur;montant\nLa Réunion et Mayotte;privé;60000,5\n",
			map[CostKey]float64{{ZoneReunionMayotte, EmployerPrivate}: 60000.5}, nil, 0},
		{"both employers", "zone,employeur,montant\nantilles-guyane,,71000\n",
			map[CostKey]float64{{ZoneAntillesGuyane, EmployerPublic}: 71000, {ZoneAntillesGuyane, EmployerPrivate}: 71000}, nil, 0},
		{"unknown zone", "zone,employeur,montant\nmetropole,public,1\nlune,public,2\n", nil, data.ErrBadValue, 3},
		{"unknown employer", "zone,employeur,montant\nmetropole,etat,2\n", nil, data.ErrBadValue, 2},
		{"negative", "zone,employeur,montant\nmetropole,public,-2\n", nil, data.ErrBadValue, 2},
		{"huge", "zone,employeur,montant\nmetropole,public,1e300\n", nil, data.ErrBadValue, 2},
		{"just over 10 M€", "zone,employeur,montant\nmetropole,public,10000000.01\n", nil, data.ErrBadValue, 2},
		{"not a number", "zone,employeur,montant\nmetropole,public,beaucoup\n", nil, data.ErrBadNumber, 2},
		{"twice", "zone,employeur,montant\nmetropole,public,1\nhexagone,public,2\n", nil, data.ErrDuplicate, 3},
		{"missing column", "zone,montant\nmetropole,1\n", nil, data.ErrMissingColumn, 1},
		{"no row", "zone,employeur,montant\n", nil, data.ErrEmptyFile, 0},
	}
	for _, tc := range tests {
		got, err := LoadCosts("couts.csv", strings.NewReader(tc.in))
		if tc.err != nil {
			var pe *data.ParseError
			if !errors.Is(err, tc.err) || !errors.As(err, &pe) || pe.Line != tc.line {
				t.Errorf("%s: error %v, want %v at line %d", tc.name, err, tc.err, tc.line)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := DefaultCosts()
		for k, v := range tc.want {
			want[k] = v
		}
		for k, v := range want {
			if got.PerPost(k.Zone, k.Employer) != v {
				t.Errorf("%s: %v = %v, want %v", tc.name, k, got.PerPost(k.Zone, k.Employer), v)
			}
		}
	}
}

// TestPlanCosts: the subsidy of each post follows its zone and the
// employer. La Réunion: 3 posts × 67,500 € = 202,500 €; Creuse with a
// private employer: 2 × 32,000 € = 64,000 €.
func TestPlanCosts(t *testing.T) {
	_, b := parallelNational(t)
	p := mustRun(t, b, Options{Territory: diag.Departements("974"), Add: 3})
	if len(p.Picks) != 3 || p.TotalCost() != 202500 {
		t.Fatalf("974: %d posts, %.0f €, want 3 and 202500", len(p.Picks), p.TotalCost())
	}
	lines := p.CostLines()
	if len(lines) != 1 || lines[0].Zone != ZoneReunionMayotte || lines[0].Posts != 3 || lines[0].Total != 202500 {
		t.Errorf("974 cost lines %+v", lines)
	}
	p = mustRun(t, b, Options{Territory: creuse, Add: 2, Employer: EmployerPrivate})
	if p.TotalCost() != 64000 {
		t.Errorf("Creuse, private: %.0f €, want 64000", p.TotalCost())
	}
}

// TestMedianTracker checks the running median of growing values against
// stat.Quantile(0.5, stat.Empirical) recomputed from scratch.
func TestMedianTracker(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 10, 101, 1000} {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(r.IntN(20)) // many ties
		}
		m := newMedianTracker(v)
		for step := range 3 * n {
			if step > 0 {
				i := r.IntN(n)
				v[i] += float64(r.IntN(5)) * r.Float64()
				m.raise(i, v[i])
			}
			s := slices.Clone(v)
			slices.Sort(s)
			if want := stat.Quantile(0.5, stat.Empirical, s, nil); m.median() != want {
				t.Fatalf("n=%d step %d: median %v, want %v", n, step, m.median(), want)
			}
		}
	}
	if m := newMedianTracker(nil); m.median() != 0 {
		t.Errorf("empty median %v", m.median())
	}
}
