package source

import (
	"errors"
	"strings"
	"testing"

	"diagnum/data"
)

const s23Header = "Raison sociale;Commune INSEE;Département;Région;Nombre de conseillers validés par le COSELEC;Date de validation en comité de sélection;Type;SIRET;Code département;Adresse;Code commune INSEE;Code postal;Investissement financier estimatif total de l’Etat;ZRR;QPV;France services\n"

func TestLoadStructures2023(t *testing.T) {
	// Rows 2–3 are real rows of structures-20230405.csv (same SIRET, two
	// committees: 2 + 1 posts); row 4 is the Creuse département council.
	in := s23Header +
		"FABRIQUE GARE NUMERIQUE;Carpentras;Vaucluse;Provence-Alpes-Côte d'Azur;2;16/06/2021;privée;82917522300033;84;41 RUE PORTE DE MONTEUX 84200 CARPENTRAS;84031;84200;74858;non;oui;non\n" +
		"FABRIQUE GARE NUMERIQUE;Carpentras;Vaucluse;Provence-Alpes-Côte d'Azur;1;03/02/2022;privée;82917522300033;84;41 RUE PORTE DE MONTEUX 84200 CARPENTRAS;84031;84200;37429;non;oui;non\n" +
		"DEPARTEMENT DE LA CREUSE;Guéret;Creuse;Nouvelle-Aquitaine;9;14/04/2021;publique;22230962700016;23;4 PLACE LOUIS LACROCQ;23096;23000;450000;oui;non;non\n" +
		"SANS POSTE;Guéret;Creuse;Nouvelle-Aquitaine;0;14/04/2021;publique;22230962700024;23;x;23096;23000;0;oui;non;non\n" +
		"SANS SIRET;Bourg;Ain;Auvergne-Rhône-Alpes;1;14/04/2021;publique;;01;x;1053;1000;0;non;non;non\n"
	st, checks := readInline(t, LoadStructures2023, "s.csv", in)
	if len(st) != 2 {
		t.Fatalf("got %d structures, want 2: %+v", len(st), st)
	}
	want0 := Structure{ID: "cn23-82917522300033", Name: "FABRIQUE GARE NUMERIQUE", SIRET: "82917522300033",
		Posts: 3, INSEE: "84031", Postcode: "84200", Date: "2022-02-03", Line: 2}
	if st[0] != want0 {
		t.Errorf("got %+v\nwant %+v", st[0], want0)
	}
	if !st[1].Public || st[1].Posts != 9 || st[1].INSEE != "23096" {
		t.Errorf("Creuse: %+v", st[1])
	}
	if len(checks) != 2 || checks[0].Err.Line != 5 || checks[1].Err.Line != 6 ||
		!errors.Is(checks[0].Err, data.ErrBadValue) || checks[1].Err.Column != "SIRET" {
		t.Errorf("checks %v, want lines 5 (0 posts) and 6 (no SIRET)", checks)
	}
	if _, _, err := LoadStructures2023("s.csv", strings.NewReader("a;b\n1;2\n")); !errors.Is(err, data.ErrMissingColumn) {
		t.Errorf("missing columns: %v", err)
	}
}

func TestLoadAdvisorPlacesAndLinks(t *testing.T) {
	// Real rows of cnfs-lieux-2022-12 (Creuse), columns cut to those read,
	// plus one without coordinates and a duplicate id.
	in := "id,structureId,nom,pivot,code_postal,latitude,longitude,date_maj\n" +
		"62ab14b38255a806e299c84f,60461fe0871498b5cec20856,CONSEIL DEPARTEMENTAL DE LA CREUSE,22230962700016,23000,46.169029,1.869283,2022-06-16\n" +
		"6333f766ac7aea06f2f9fe3b,60461fe0871498b5cec20856,Mairie,00000000000000,23300,46.201079,1.535949,2022-09-28\n" +
		"x1,60461fe0871498b5cec20856,Sans point,00000000000000,23300,,,2022-09-28\n" +
		"6333f766ac7aea06f2f9fe3b,60461fe0871498b5cec20856,Mairie,00000000000000,23300,46.201079,1.535949,2022-09-28\n"
	places, checks := readInline(t, LoadAdvisorPlaces, "lieux.csv", in)
	if len(places) != 2 || len(checks) != 2 || checks[0].Err.Line != 4 || checks[1].Err.Line != 5 {
		t.Fatalf("places %+v checks %v", places, checks)
	}
	p := places[0]
	if p.Employer != "60461fe0871498b5cec20856" || p.Site.ID != "cn22-62ab14b38255a806e299c84f" || p.Site.SIRET != "22230962700016" ||
		p.Site.Point[1] != 46.169029 || p.Site.Kind != data.KindCNFS || p.Site.Date != "2022-06-16" || p.Site.Source != SourceCNFSLieux {
		t.Errorf("place %+v", p)
	}
	if places[1].Site.SIRET != "" {
		t.Errorf("all-zero pivot gives SIRET %q", places[1].Site.SIRET)
	}
	links, checks := readInline(t, LoadAdvisorLinks, "l.csv", "lieu_id,structureId,conseiller\n"+
		"62ab14b38255a806e299c84f,60461fe0871498b5cec20856,c0001\n62ab14b38255a806e299c84f,60461fe0871498b5cec20856,c0001\n,x,c0002\n")
	if len(links) != 1 || links[0] != (AdvisorLink{Place: "cn22-62ab14b38255a806e299c84f", Employer: "60461fe0871498b5cec20856", Advisor: "c0001"}) ||
		len(checks) != 2 || !errors.Is(checks[0].Err, data.ErrDuplicate) {
		t.Errorf("links %+v checks %v", links, checks)
	}
}

func FuzzLoaders(f *testing.F) {
	f.Add(s23Header + "A;B;C;D;1;01/01/2021;publique;22230962700016;23;x;23096;23000;1;non;non;non\n")
	f.Add("id,structureId,nom,pivot,code_postal,latitude,longitude,date_maj\na,b,c,0,23000,46,2,2022-01-01\n")
	f.Add("lieu_id,structureId,conseiller\na,b,c\n")
	f.Fuzz(func(t *testing.T, in string) {
		if st, _, err := LoadStructures2023("f", strings.NewReader(in)); err == nil {
			for _, s := range st {
				if !(s.Posts > 0) || len(s.SIRET) != 14 {
					t.Fatalf("bad structure %+v", s)
				}
			}
		}
		if ps, _, err := LoadAdvisorPlaces("f", strings.NewReader(in)); err == nil {
			for _, p := range ps {
				if p.Site.ID == "cn22-" || p.Site.Point[1] < -90 || p.Site.Point[1] > 90 {
					t.Fatalf("bad place %+v", p)
				}
			}
		}
		_, _, _ = LoadAdvisorLinks("f", strings.NewReader(in))
	})
}

// TestStructureNamePerson: a structure that is a person (SIRENE's
// "NOM*PRÉNOM/" form, here invented) loses its name; company names with a
// '/' or a '*' alone keep theirs.
func TestStructureNamePerson(t *testing.T) {
	for in, want := range map[string]string{
		"DUPONT*/JEAN  /":         PersonNameRemoved,
		"MARTIN*DURAND/MARIE /":   PersonNameRemoved,
		"ASSOCIATION A/B":         "ASSOCIATION A/B",
		"ESPACE *NUMERIQUE":       "ESPACE *NUMERIQUE",
		"FABRIQUE GARE NUMERIQUE": "FABRIQUE GARE NUMERIQUE",
		"*/ (étoile en tête) ":    "*/ (étoile en tête) ",
		"MONSIEUR JEAN DUPONT":    PersonNameRemoved,
		"Mme Marie Martin":        PersonNameRemoved,
		"M. Durand":               PersonNameRemoved,
		"Maison de services":      "Maison de services",
		"MADAME":                  "MADAME",
	} {
		if got := structureName(in); got != want {
			t.Errorf("structureName(%q) = %q, want %q", in, got, want)
		}
	}
	in := s23Header + "DUPONT*/JEAN  /;Metz;Moselle;Grand Est;1;14/04/2021;privée;12345678900011;57;x;57463;57000;0;non;non;non\n"
	st, _, err := LoadStructures2023("s.csv", strings.NewReader(in))
	if err != nil || len(st) != 1 || st[0].Name != PersonNameRemoved {
		t.Fatalf("got %+v, %v; want one structure named %q", st, err, PersonNameRemoved)
	}
}
