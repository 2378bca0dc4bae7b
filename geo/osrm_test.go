package geo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

var _ TravelTimer = (*OSRM)(nil)

// fakeOSRM speaks the Table service: durations are the Model's minutes ×
// 60, and null for destinations south of 80° S (unreachable).
type fakeOSRM struct {
	t         *testing.T
	maxCoords int
	requests  atomic.Int32
}

func (f *fakeOSRM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	pts, src, dst, err := parseTableRequest(r)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"code": "InvalidQuery", "message": err.Error()})
		return
	}
	if len(pts) > f.maxCoords {
		f.t.Errorf("request with %d coordinates, limit %d", len(pts), f.maxCoords)
	}
	m := DefaultModel()
	durations := make([][]*float64, len(src))
	for i, s := range src {
		durations[i] = make([]*float64, len(dst))
		for j, d := range dst {
			if pts[d][1] < -80 {
				continue
			}
			sec := m.Minutes(pts[s], pts[d]) * 60
			durations[i][j] = &sec
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"code": "Ok", "durations": durations})
}

// parseTableRequest decodes /table/v1/driving/{lon,lat;…}?sources=…&destinations=…
func parseTableRequest(r *http.Request) (pts []orb.Point, src, dst []int, err error) {
	// OSRM separates indexes with literal ';', which url.ParseQuery
	// rejects: split the raw query by hand.
	q := map[string]string{}
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		q[k] = v
	}
	coords, ok := strings.CutPrefix(r.URL.Path, "/table/v1/driving/")
	if !ok || q["annotations"] != "duration" {
		return nil, nil, nil, errors.New("bad path or annotations")
	}
	for _, c := range strings.Split(coords, ";") {
		lon, lat, _ := strings.Cut(c, ",")
		x, err1 := strconv.ParseFloat(lon, 64)
		y, err2 := strconv.ParseFloat(lat, 64)
		if err1 != nil || err2 != nil {
			return nil, nil, nil, errors.New("bad coordinate " + c)
		}
		pts = append(pts, orb.Point{x, y})
	}
	if src, err = parseIndexes(q["sources"], len(pts)); err != nil {
		return nil, nil, nil, err
	}
	dst, err = parseIndexes(q["destinations"], len(pts))
	return pts, src, dst, err
}

func parseIndexes(s string, n int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ";") {
		i, err := strconv.Atoi(f)
		if err != nil || i < 0 || i >= n {
			return nil, errors.New("bad index " + f)
		}
		out = append(out, i)
	}
	return out, nil
}

// roundPoints rounds to 6 decimals, as sent in URLs, so the fake server
// sees exactly the test's points.
func roundPoints(pts []orb.Point) []orb.Point {
	for i, p := range pts {
		pts[i] = orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
	}
	return pts
}

func TestOSRMTimesBatched(t *testing.T) {
	fake := &fakeOSRM{t: t, maxCoords: 40}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	o, err := NewOSRM(srv.URL+"/", OSRMOptions{MaxCoords: 40, Unreachable: true})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	src := roundPoints(randomPoints(rng, 150))
	dst := roundPoints(randomPoints(rng, 70))
	dst[3] = orb.Point{10, -85} // unreachable: null in the answer
	got, err := o.Times(context.Background(), placesOf(src), placesOf(dst))
	if err != nil {
		t.Fatal(err)
	}
	// Blocks of 20 sources × 20 destinations: ⌈150/20⌉ × ⌈70/20⌉ = 8 × 4.
	if n := fake.requests.Load(); n != 32 {
		t.Errorf("%d requests, want 32", n)
	}
	m := DefaultModel()
	for i := range src {
		for j := range dst {
			want := m.Minutes(src[i], dst[j])
			if j == 3 || want > OSRMMaxMinutes { // null or absurd: unreachable
				want = math.Inf(1)
			}
			if got[i][j] != want && math.Abs(got[i][j]-want) > 1e-9 {
				t.Fatalf("t[%d][%d] = %v, want %v", i, j, got[i][j], want)
			}
		}
	}
	if got, err := o.Times(context.Background(), placesOf(nil), placesOf(dst)); err != nil || len(got) != 0 {
		t.Errorf("no sources: %v, %v", got, err)
	}
	if fake.requests.Load() != 32 {
		t.Errorf("an empty matrix sent a request")
	}
	// Recount: the same server and times, its requests counted apart.
	rc := Recount(o).(*OSRM)
	row, err := rc.Times(context.Background(), placesOf(src[:1]), placesOf(dst[:30]))
	if err != nil || !slices.Equal(row[0], got[0][:30]) {
		t.Errorf("Recount: %v, %v; want %v", row, err, got[0][:30])
	}
	if sent, answered := rc.Requests(); sent != 1 || answered != 1 || fake.requests.Load() != 33 {
		t.Errorf("Recount: %d sent, %d answered (server: %d); want 1, 1 (33)", sent, answered, fake.requests.Load())
	}
	if sent, answered := o.Requests(); sent != 32 || answered != 32 {
		t.Errorf("after the Recount's times: %d sent, %d answered; want 32, 32 still", sent, answered)
	}
	// 130 km at 130 km/h is 60 min; ReachKm is the inverse.
	if o.MinMinutes(130) != 60 || o.ReachKm(60) != 130 {
		t.Errorf("MinMinutes(130) = %v, ReachKm(60) = %v", o.MinMinutes(130), o.ReachKm(60))
	}
}

// TestOSRMRecountProgress: Progress, shared by a client and its
// Recounts (the offers of Synthèse run beside the diagnostic), counts the
// requests answered by all of them, each count 1 … N once, so the count
// on the terminal does not start again at each copy's; each copy's
// Requests stay its own.
func TestOSRMRecountProgress(t *testing.T) {
	srv := httptest.NewServer(&fakeOSRM{t: t, maxCoords: 4})
	defer srv.Close()
	counts := make(chan int64, 100)
	o, err := NewOSRM(srv.URL, OSRMOptions{MaxCoords: 4, Unreachable: true, Progress: func(n int64) { counts <- n }})
	if err != nil {
		t.Fatal(err)
	}
	rc := Recount(o).(*OSRM)
	pts := placesOf(roundPoints(randomPoints(rand.New(rand.NewPCG(7, 8)), 6)))
	// 6 × 1 in blocks of 3 × 1: 2 requests each, then 2 more for o.
	for _, x := range []*OSRM{o, rc, o} {
		if _, err := x.Times(context.Background(), pts, pts[:1]); err != nil {
			t.Fatal(err)
		}
	}
	close(counts)
	var seen []int64
	for n := range counts {
		seen = append(seen, n)
	}
	slices.Sort(seen)
	if want := []int64{1, 2, 3, 4, 5, 6}; !slices.Equal(seen, want) {
		t.Errorf("Progress saw %v, want %v", seen, want)
	}
	if s, a := o.Requests(); s != 4 || a != 4 {
		t.Errorf("client: %d sent, %d answered; want 4, 4", s, a)
	}
	if s, a := rc.Requests(); s != 2 || a != 2 {
		t.Errorf("Recount: %d sent, %d answered; want 2, 2", s, a)
	}
}

// refusingAddr returns the address of a TCP socket bound to a port of
// 127.0.0.1 that does not listen, kept until t ends: a connection to it
// is refused, and no other process can take the port meanwhile (closing a
// server and dialling its port again could reach whatever took it).
func refusingAddr(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return "127.0.0.1:" + strconv.Itoa(sa.(*syscall.SockaddrInet4).Port)
}

func TestOSRMUnreachable(t *testing.T) {
	base := "http://" + refusingAddr(t)
	o, err := NewOSRM(base, OSRMOptions{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.Times(context.Background(), placesOf([]orb.Point{notreDame}), placesOf([]orb.Point{gueret}))
	if !errors.Is(err, ErrOSRMUnreachable) || !strings.HasPrefix(err.Error(), "osrm : impossible de joindre "+base+" : connexion refusée") {
		t.Errorf("err = %v", err)
	}
}

func TestOSRMErrorAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		kind   error
		msg    string
	}{
		{"invalid-query", 400, `{"code":"InvalidQuery","message":"Query string malformed close to position 3"}`,
			ErrOSRMRefused, "osrm : SRV : HTTP 400 Bad Request : InvalidQuery : Query string malformed close to position 3"},
		{"not-ok-200", 200, `{"code":"NoTable","message":"no table"}`, ErrOSRMRefused, `osrm : SRV : code "NoTable" : no table`},
		{"http-500", 500, `<html>oops</html>`, ErrOSRMRefused, "osrm : SRV : HTTP 500 Internal Server Error"},
		{"bad-json", 200, `{"code":"Ok","durations":[[1,`, ErrOSRMMalformed, "osrm : SRV : réponse JSON mal formée : unexpected EOF"},
		{"rows", 200, `{"code":"Ok","durations":[[1,2]]}`, ErrOSRMMalformed, "osrm : SRV : durations a 1 ligne(s), attendu 2"},
		{"cols", 200, `{"code":"Ok","durations":[[1,2],[3]]}`, ErrOSRMMalformed, "osrm : SRV : ligne 1 de durations : 1 colonne(s), attendu 2"},
		{"negative", 200, `{"code":"Ok","durations":[[1,2],[3,-4]]}`, ErrOSRMMalformed,
			"osrm : SRV a répondu une durée négative (-4 s) de 1.871700,46.170000 à 1.871700,46.170000 : mauvais extrait ou mauvais profil ? (--osrm-injoignable marque ces paires inaccessibles)"},
		{"null", 200, `{"code":"Ok","durations":[[1,null],[3,4]]}`, ErrOSRMMalformed,
			"osrm : SRV a répondu aucun itinéraire (null) de 2.349900,48.853000 à 1.871700,46.170000 : mauvais extrait ou mauvais profil ? (--osrm-injoignable marque ces paires inaccessibles)"},
		{"absurd", 200, `{"code":"Ok","durations":[[1e308,1],[3,4]]}`, ErrOSRMMalformed,
			"osrm : SRV a répondu 1e+308 s, plus de 24 h de 2.349900,48.853000 à 2.349900,48.853000 : mauvais extrait ou mauvais profil ? (--osrm-injoignable marque ces paires inaccessibles)"},
		{"no-durations", 200, `{"code":"Ok"}`, ErrOSRMMalformed, "osrm : SRV : durations a 0 ligne(s), attendu 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			o, err := NewOSRM(srv.URL, OSRMOptions{})
			if err != nil {
				t.Fatal(err)
			}
			pts := []orb.Point{notreDame, gueret}
			_, err = o.Times(context.Background(), placesOf(pts), placesOf(pts))
			if want := strings.ReplaceAll(tt.msg, "SRV", srv.URL); !errors.Is(err, tt.kind) || err.Error() != want {
				t.Errorf("err = %q, want %q (%v)", err, tt.msg, tt.kind)
			}
		})
	}
}

func TestOSRMNullAndContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"code":"Ok","durations":[[null,90],[0,null]]}`))
	}))
	defer srv.Close()
	o, _ := NewOSRM(srv.URL, OSRMOptions{Unreachable: true})
	pts := []orb.Point{notreDame, gueret}
	got, err := o.Times(context.Background(), placesOf(pts), placesOf(pts))
	if err != nil {
		t.Fatal(err)
	}
	// 90 s = 1.5 min; null = unreachable = +Inf.
	if !math.IsInf(got[0][0], 1) || got[0][1] != 1.5 || got[1][0] != 0 || !math.IsInf(got[1][1], 1) {
		t.Errorf("got %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := o.Times(ctx, placesOf(pts), placesOf(pts)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	if _, err := o.Times(context.Background(), placesOf([]orb.Point{{math.NaN(), 1}}), placesOf(pts)); err == nil {
		t.Error("NaN source accepted")
	}
}

func TestNewOSRMRejects(t *testing.T) {
	tests := []struct {
		url string
		opt OSRMOptions
	}{
		{"localhost:5000", OSRMOptions{}},
		{"ftp://host", OSRMOptions{}},
		{"http://", OSRMOptions{}},
		{"http://host/?x=1", OSRMOptions{}},
		{"http://host", OSRMOptions{MaxCoords: 1}},
		{"http://host", OSRMOptions{Profile: "car/../x"}},
		{"http://host", OSRMOptions{Timeout: -time.Second}},
		{"http://host", OSRMOptions{MaxSpeedKmh: -1}},
	}
	for _, tt := range tests {
		if _, err := NewOSRM(tt.url, tt.opt); err == nil {
			t.Errorf("NewOSRM(%q, %+v) accepted", tt.url, tt.opt)
		}
	}
}

func FuzzOSRMResponse(f *testing.F) {
	f.Add([]byte(`{"code":"Ok","durations":[[0,60],[60,null]]}`), uint8(2), uint8(2))
	f.Add([]byte(`{"code":"Ok","durations":[[1.5e3]]}`), uint8(1), uint8(1))
	f.Add([]byte(`{"code":"InvalidQuery","message":"x"}`), uint8(1), uint8(1))
	f.Add([]byte(`{"code":"Ok","durations":[[1e400]]}`), uint8(1), uint8(1))
	f.Add([]byte(`{"code":"Ok","durations":null}`), uint8(0), uint8(3))
	// A whole answer as osrm-routed writes it (fields of the Table service
	// in the OSRM HTTP API docs): Guéret and Boussac to the France services
	// of Boussac, with waypoints and the distances annotation.
	f.Add([]byte(`{"code":"Ok","sources":[{"hint":"mfUBgP___38AAAAAAAAAAA","distance":12.3,"name":"Avenue de la Sénatorerie","location":[1.871,46.171]},`+
		`{"hint":"k_YBgP___38AAAAA","distance":3.9,"name":"Place de l'Hôtel de Ville","location":[2.216669,46.34908]}],`+
		`"destinations":[{"hint":"k_YBgP___38AAAAA","distance":3.9,"name":"","location":[2.216669,46.34908]}],`+
		`"durations":[[2112.4],[0]],"distances":[[38211.7],[0]]}`), uint8(2), uint8(1))
	f.Fuzz(func(t *testing.T, body []byte, ns, nd uint8) {
		rows, cols := int(ns%8), int(nd%8)
		got, err := decodeTable(bytes.NewReader(body), http.StatusOK, rows, cols)
		if err != nil {
			if !errors.Is(err, ErrOSRMRefused) && !errors.Is(err, ErrOSRMMalformed) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		if len(got) != rows {
			t.Fatalf("%d rows, want %d", len(got), rows)
		}
		for _, row := range got {
			if len(row) != cols {
				t.Fatalf("%d columns, want %d", len(row), cols)
			}
			for _, v := range row {
				if math.IsNaN(v) {
					t.Fatalf("bad duration %v", v)
				}
			}
		}
	})
}
