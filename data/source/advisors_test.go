package source

import (
	"diagnum/geo"

	"diagnum/data"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// place is a CNFS place of employer e at (lon, lat) in commune code.
func place(id, e, siret string, lon, lat float64, code string) AdvisorPlace {
	return AdvisorPlace{Employer: e, Site: data.Site{ID: id, Name: id, Kind: data.KindCNFS, SIRET: siret, Point: orb.Point{lon, lat}, Commune: code}}
}

func fteByID(sites []data.Site) map[string]float64 {
	m := map[string]float64{}
	for _, s := range sites {
		m[s.ID] += s.FTE
	}
	return m
}

func TestAllocateAdvisors(t *testing.T) {
	gueret := orb.Point{1.8717, 46.1714}
	const siret = "22230962700016"
	st := func(posts float64) []Structure {
		return []Structure{{ID: "cn23-" + siret, SIRET: siret, Posts: posts, INSEE: "23096", Point: gueret, HasPoint: true}}
	}
	three := []AdvisorPlace{
		place("p1", "E", siret, 1.87, 46.17, "23096"),
		place("p2", "E", "", 1.60, 46.23, "23176"),
		place("p3", "E", "", 2.17, 45.96, "23008"),
	}
	tests := []struct {
		name   string
		posts  float64
		places []AdvisorPlace
		links  []AdvisorLink
		want   map[string]float64 // hand-computed from the formula of AllocateAdvisors
	}{
		{"an advisor with 3 places gives 1/3 FTE to each", 1, three,
			[]AdvisorLink{{"p1", "E", "a"}, {"p2", "E", "a"}, {"p3", "E", "a"}},
			map[string]float64{"p1": 1.0 / 3, "p2": 1.0 / 3, "p3": 1.0 / 3}},
		{"posts beyond the declared advisors are spread over the places", 4, three,
			// a: 1 at p1; b: ½ at p1, ½ at p2; n = 2, the 2 other posts → ⅔ each.
			[]AdvisorLink{{"p1", "E", "a"}, {"p1", "E", "b"}, {"p2", "E", "b"}},
			map[string]float64{"p1": 1.5 + 2.0/3, "p2": 0.5 + 2.0/3, "p3": 2.0 / 3}},
		{"more declared advisors than posts count P/n each", 1, three,
			// a at p1, b at p2: n = 2 > P = 1, each counts ½.
			[]AdvisorLink{{"p1", "E", "a"}, {"p2", "E", "b"}},
			map[string]float64{"p1": 0.5, "p2": 0.5, "p3": 0}},
		{"no declared advisor: posts split evenly", 3, three, nil,
			map[string]float64{"p1": 1, "p2": 1, "p3": 1}},
		{"an advisor's places of another employer count in k", 1,
			append(append([]AdvisorPlace(nil), three[:2]...), place("q", "F", "", 1.7, 46.1, "23001")),
			// a declared p1 and q (employer F, no structure): k = 2, ½ at p1; the
			// other ½ post is spread over p1 and p2 (¼ each). q keeps 0.
			[]AdvisorLink{{"p1", "E", "a"}, {"q", "F", "a"}},
			map[string]float64{"p1": 0.75, "p2": 0.25, "q": 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sites, _ := AllocateAdvisors(st(tc.posts), tc.places, tc.links, AdvisorOptions{})
			got := fteByID(sites)
			for id, w := range tc.want {
				if math.Abs(got[id]-w) > 1e-12 {
					t.Errorf("%s: got %v, want %v", id, got[id], w)
				}
			}
			if len(sites) != len(tc.places) {
				t.Errorf("got %d sites, want the %d places", len(sites), len(tc.places))
			}
		})
	}
}

// TestAllocateAdvisorsFar: a SIRET match 400 km away, in another
// département, is refused and named; the posts go to the commune point.
func TestAllocateAdvisorsFar(t *testing.T) {
	rennes := orb.Point{-1.6778, 48.1173}
	st := []Structure{{ID: "cn23-1", Name: "ASSO RENNES", SIRET: "12345678900011", Posts: 2, INSEE: "35238", Point: rennes, HasPoint: true}}
	places := []AdvisorPlace{
		place("cadillac", "E", "12345678900011", -0.4318, 44.6406, "33081"), // Cadillac (33), 398 km (haversine)
		place("vitre", "E", "", -1.2093, 48.1236, "35360"),                  // same département, 35 km
	}
	m := MatchAdvisors(st, places, AdvisorOptions{})
	if m[0].Rule != MatchSIRET || fmt.Sprint(m[0].Places) != "[1]" || fmt.Sprint(m[0].Far) != "[0]" {
		t.Fatalf("match %+v, want SIRET, places [1], far [0]", m[0])
	}
	if d := geo.HaversineKm(rennes, places[0].Site.Point); d < 390 || d > 410 {
		t.Fatalf("Rennes–Cadillac %v km, want about 400", d)
	}
	sites, checks := AllocateAdvisors(st, places, nil, AdvisorOptions{})
	got := fteByID(sites)
	if got["cadillac"] != 0 || got["vitre"] != 2 {
		t.Errorf("FTE %v, want all 2 posts at vitre", got)
	}
	if len(checks) != 1 || checks[0].Kind != data.CheckFarMatch || checks[0].Severity != data.Warning ||
		!strings.Contains(checks[0].Err.Error(), "(le plus loin : cadillac, à 398 km)") {
		t.Errorf("checks %v, want the 400 km place named", checks)
	}
	// Far and alone: the posts go to the structure's commune point.
	sites, checks = AllocateAdvisors(st, places[:1], nil, AdvisorOptions{})
	got = fteByID(sites)
	if got["cn23-1"] != 2 || got["cadillac"] != 0 || len(checks) != 3 {
		t.Errorf("FTE %v, checks %v: want 2 posts at the commune point and 3 warnings (far, at its commune, employer unclaimed)", got, checks)
	}
	// The same place within 50 km of the structure is kept even across a
	// border (here: declared in 33 but 35 km away).
	near := []AdvisorPlace{place("x", "E", "12345678900011", -1.2093, 48.1236, "33063")}
	if m := MatchAdvisors(st, near, AdvisorOptions{}); len(m[0].Places) != 1 {
		t.Errorf("a place 35 km away is far: %+v", m[0])
	}
}

// TestAllocateAdvisorsConserves checks on random cases that the posts of
// each structure are conserved: running the structures one at a time
// (oracle: each alone must give Σ FTE = P_s) and together gives, place by
// place, the sum of the single runs.
func TestAllocateAdvisorsConserves(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for iter := range 200 {
		var places []AdvisorPlace
		for j := range 1 + rng.IntN(12) {
			siret := ""
			if rng.IntN(2) == 0 {
				siret = fmt.Sprintf("1000000000%04d", rng.IntN(4))
			}
			places = append(places, place(fmt.Sprint("p", j), fmt.Sprint("E", rng.IntN(3)), siret,
				2+rng.Float64(), 46+rng.Float64(), "23001"))
		}
		var links []AdvisorLink
		for range rng.IntN(15) {
			p := places[rng.IntN(len(places))]
			links = append(links, AdvisorLink{p.Site.ID, p.Employer, fmt.Sprint("a", rng.IntN(6))})
		}
		var st []Structure
		for i := range 1 + rng.IntN(4) {
			st = append(st, Structure{ID: fmt.Sprint("s", i), SIRET: fmt.Sprintf("1000000000%04d", rng.IntN(5)),
				Posts: float64(1 + rng.IntN(5)), INSEE: "23001", Point: orb.Point{2.5, 46.5}, HasPoint: true})
		}
		all, _ := AllocateAdvisors(st, places, links, AdvisorOptions{})
		sum := map[string]float64{}
		for i := range st {
			one, _ := AllocateAdvisors(st[i:i+1], places, links, AdvisorOptions{})
			total := 0.0
			for _, s := range one {
				total += s.FTE
				sum[s.ID] += s.FTE
			}
			if math.Abs(total-st[i].Posts) > 1e-9 {
				t.Fatalf("case %d structure %d: Σ FTE %v, want its %v posts", iter, i, total, st[i].Posts)
			}
		}
		for id, f := range fteByID(all) {
			if math.Abs(f-sum[id]) > 1e-9 {
				t.Fatalf("case %d site %s: %v together, %v as the sum of single runs", iter, id, f, sum[id])
			}
		}
	}
}

func TestMergeSamePlaces(t *testing.T) {
	pt := orb.Point{1.535949, 46.201079}
	in := []data.Site{
		{ID: "a", Name: "Mairie", Kind: data.KindCNFS, Point: pt, FTE: 0.5},
		{ID: "b", Name: "MAIRIE ", Kind: data.KindCNFS, Point: pt, FTE: 0.25},
		{ID: "c", Name: "Mairie", Kind: data.KindCNFS, Point: orb.Point{1.5, 46.2}, FTE: 1},
	}
	out, checks := MergeSamePlaces("lieux.csv", in)
	if len(out) != 2 || out[0].ID != "a" || out[0].FTE != 0.75 || out[1].ID != "c" || len(checks) != 1 {
		t.Errorf("got %+v, %v", out, checks)
	}
}

// TestAdvisorPlaceAtChefLieu: real rows of cnfs-lieux-2022-12 lieux.csv
// (columns cut to those read). The Creuse département council
// (SIRET 22230962700016, here 3 posts) has three places: its head office
// in Guéret, a Mairie in Saint-Priest-la-Feuille, and Bourganeuf's town
// hall, given without coordinates. Advisor a1 declared Guéret and
// Bourganeuf (1/2 each), a2 the Mairie (1). With the locator, Bourganeuf
// is placed at its chef-lieu (23030) and named in a Warning; by hand,
// n = 2, the extra post is spread over 3 places: Guéret 1/2 + 1/3,
// Mairie 1 + 1/3, Bourganeuf 1/2 + 1/3. Without it, Bourganeuf is
// rejected and a1's half there is not counted: n = 3/2, extra 3/4 over 2
// places: Guéret 1/2 + 3/4, Mairie 1 + 3/4. The Meudon place, whose city
// is no commune name, is rejected both times. Σ FTE = 3 posts either way.
func TestAdvisorPlaceAtChefLieu(t *testing.T) {
	const in = "id,structureId,nom,pivot,code_postal,commune,latitude,longitude,date_maj\n" +
		"62ab14b38255a806e299c84f,60461fe0871498b5cec20856,CONSEIL DEPARTEMENTAL DE LA CREUSE,22230962700016,23000,GUERET,46.171691,1.866846,2022-11-29\n" +
		"6333f766ac7aea06f2f9fe3b,60461fe0871498b5cec20856,Mairie,00000000000000,23300,SAINT-Priest La Feuille,46.201079,1.535949,2022-09-28\n" +
		"638755ca0830e306f21edc89,60461fe0871498b5cec20856,COMMUNE DE BOURGANEUF,21230300200019,23400,BOURGANEUF,,,2022-11-30\n" +
		"63243192ac7aea06f2f98c5d,60461fde871498b5cec20817,Médiathèque Meudon la forêt,00000000000000,92360,Meudon la forêt,,,2022-09-16\n"
	const (
		gueret = "cn22-62ab14b38255a806e299c84f"
		mairie = "cn22-6333f766ac7aea06f2f9fe3b"
		bourg  = "cn22-638755ca0830e306f21edc89"
		e      = "60461fe0871498b5cec20856"
	)
	bourganeuf := orb.Point{1.7547, 45.9539}
	var asked []string
	locate := func(insee, postcode, city string) (string, orb.Point, bool) {
		asked = append(asked, insee+"|"+postcode+"|"+city)
		return "23030", bourganeuf, postcode == "23400" && city == "BOURGANEUF"
	}
	st := []Structure{{ID: "cn23-22230962700016", Name: "DEPARTEMENT DE LA CREUSE", SIRET: "22230962700016", Posts: 3,
		INSEE: "23096", Point: orb.Point{1.8717, 46.1714}, HasPoint: true}}
	links := []AdvisorLink{{gueret, e, "a1"}, {bourg, e, "a1"}, {mairie, e, "a2"}}
	for _, tc := range []struct {
		locate CommuneLocator
		want   map[string]float64
		asked  string
	}{
		{locate, map[string]float64{gueret: 0.5 + 1.0/3, mairie: 1 + 1.0/3, bourg: 0.5 + 1.0/3}, "[|23400|BOURGANEUF |92360|Meudon la forêt]"},
		{nil, map[string]float64{gueret: 0.5 + 0.75, mairie: 1 + 0.75}, "[]"},
	} {
		asked = nil
		places, checks, err := LoadAdvisorPlacesAt("lieux.csv", strings.NewReader(in), tc.locate)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(asked) != tc.asked {
			t.Errorf("locator asked %q, want %s", asked, tc.asked)
		}
		if len(places) != len(tc.want) {
			t.Fatalf("%d places, want %d: %+v", len(places), len(tc.want), places)
		}
		var placedAt, rejected []int
		for _, c := range checks {
			switch {
			case c.Severity == data.Warning && c.Kind == data.CheckCommunePoint && c.Site == bourg && c.Commune == "23030" &&
				strings.Contains(c.Err.Error(), "lieu "+bourg+" (COMMUNE DE BOURGANEUF) placé au chef-lieu de sa commune 23030, pas de coordonnées"):
				placedAt = append(placedAt, c.Err.Line)
			case c.Severity == data.Rejected && errors.Is(c.Err, data.ErrBadCoordinate):
				rejected = append(rejected, c.Err.Line)
			}
		}
		if tc.locate != nil {
			b := places[2].Site
			if b.ID != bourg || b.Point != bourganeuf || b.INSEE != "23030" || b.Postcode != "23400" || b.SIRET != "21230300200019" ||
				fmt.Sprint(placedAt) != "[4]" || fmt.Sprint(rejected) != "[5]" ||
				!strings.Contains(checks[len(checks)-1].Err.Error(), `code postal "92360", commune "Meudon la forêt") n'a pas pu être retrouvée`) {
				t.Errorf("Bourganeuf %+v, placed at lines %v, rejected %v, checks %v", b, placedAt, rejected, checks)
			}
		} else if len(placedAt) != 0 || fmt.Sprint(rejected) != "[4 5]" {
			t.Errorf("no locator: placed at lines %v, rejected %v, want none and [4 5]", placedAt, rejected)
		}
		sites, _ := AllocateAdvisors(st, places, links, AdvisorOptions{})
		got, sum := fteByID(sites), 0.0
		for id, w := range tc.want {
			if math.Abs(got[id]-w) > 1e-12 {
				t.Errorf("locator %v: FTE at %s = %v, want %v", tc.locate != nil, id, got[id], w)
			}
			sum += got[id]
		}
		if math.Abs(sum-3) > 1e-12 {
			t.Errorf("Σ FTE %v, want the 3 posts", sum)
		}
	}
}
