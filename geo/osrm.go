package geo

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/paulmach/orb"
)

// Sentinel errors of the OSRM client, for errors.Is. The underlying
// error (e.g. context.DeadlineExceeded) is wrapped as well.
var (
	ErrOSRMUnreachable = errors.New("serveur OSRM injoignable")
	ErrOSRMRefused     = errors.New("requête OSRM refusée")
	ErrOSRMMalformed   = errors.New("réponse OSRM mal formée")
)

// Defaults of OSRMOptions.
const (
	DefaultOSRMProfile     = "driving"
	DefaultOSRMMaxCoords   = 100 // osrm-routed's default --max-table-size
	DefaultOSRMTimeout     = 60 * time.Second
	DefaultOSRMRunTimeout  = 30 * time.Minute
	DefaultOSRMMaxSpeedKmh = 130.0
	DefaultOSRMConcurrency = 4
	DefaultOSRMRetries     = 3
)

// OSRMMaxMinutes is the largest duration accepted in an answer (24 h): a
// longer one, like null or a negative one, is nonsense from a car
// profile on a French extract.
const OSRMMaxMinutes = 24 * 60.0

// maxOSRMBody bounds the size of a response body (a 100-coordinate table
// is about 100 KB).
const maxOSRMBody = 32 << 20

// OSRMOptions configure NewOSRM. Zero fields take the defaults above.
type OSRMOptions struct {
	Profile   string // routing profile in the URL, default "driving"
	MaxCoords int    // coordinates per request (sources + destinations), default 100, at least 2
	// Timeout bounds each request from connection to the last byte of
	// the body (a server that hangs or drips bytes fails at it); default
	// 60 s.
	Timeout time.Duration
	// RunTimeout bounds all the requests of the timer together, from its
	// first request; default 30 min.
	RunTimeout  time.Duration
	MaxSpeedKmh float64 // speed of MinMinutes, default 130 km/h
	// Concurrency is the number of requests in flight at most, over every
	// Times call; default 4.
	Concurrency int
	// Retries is the number of retries of a request answered 429 or 503
	// (after RetryBase, 2·RetryBase, 4·RetryBase, … or the server's
	// Retry-After, at most 10 s, within the run's deadline); default 3, so
	// a run sends at most 1 + Retries times the requests it needs.
	Retries   int
	RetryBase time.Duration // default 0.5 s
	// Unreachable marks a null or absurd duration (more than
	// OSRMMaxMinutes) as no route (+Inf) instead of failing.
	Unreachable bool
	// Progress, when set, is called after each answered request with the
	// number answered so far by the client and its Recounts (from several
	// goroutines).
	Progress func(done int64)
	Client   *http.Client // nil: http.DefaultClient (deadlines come from the context)
}

// OSRM is a TravelTimer backed by an OSRM server's Table service
// (http://project-osrm.org/docs/v5.24.0/api/#table-service):
//
//	GET {base}/table/v1/{profile}/{lon,lat;...}?sources=…&destinations=…&annotations=duration
//
// Durations (seconds) become minutes. Large matrices are split into
// requests of at most MaxCoords points, sent Concurrency at a time. The
// first request that fails (after its retries) ends every later call
// with the same error, so a run stops at the first failure; a null,
// negative or absurd duration is such a failure, naming the server and
// the pair (unless Unreachable).
type OSRM struct {
	*osrmRun
	sent     atomic.Int64
	answered atomic.Int64
}

// osrmRun is what an OSRM client and its Recount share: the server, the
// requests in flight, the run's deadline and its first failure, and the
// count of answered requests that Progress shows.
type osrmRun struct {
	base   string
	opt    OSRMOptions
	client *http.Client
	sem    chan struct{}
	// progressed counts the requests answered by the client and its
	// Recounts: Progress shows the run's work, one count that only
	// grows, not each copy's answered (which would start again at 1).
	progressed atomic.Int64

	start    sync.Once
	deadline time.Time // of the run, set at the first request
	mu       sync.Mutex
	failed   error
}

// Recount implements Recounter: the same server, limits, deadline and
// failure, with request counts (Requests, Describe) of its own; Progress
// counts the requests of both.
func (o *OSRM) Recount() TravelTimer { return &OSRM{osrmRun: o.osrmRun} }

var profileRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// NewOSRM checks baseURL (http or https, with a host) and the options; it
// does not contact the server.
func NewOSRM(baseURL string, opt OSRMOptions) (*OSRM, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("osrm : adresse de base %q illisible : %w", baseURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("osrm : adresse de base %q incorrecte : attendu http(s)://hôte[:port][/chemin]", baseURL)
	}
	opt = opt.withDefaults()
	switch {
	case !profileRE.MatchString(opt.Profile):
		return nil, fmt.Errorf("osrm : profil %q incorrect (lettres, chiffres, _ ou -)", opt.Profile)
	case opt.MaxCoords < 2:
		return nil, fmt.Errorf("osrm : MaxCoords %d < 2 (au moins 2 coordonnées par requête)", opt.MaxCoords)
	case opt.Timeout < 0 || opt.RunTimeout < 0:
		return nil, fmt.Errorf("osrm : délai négatif %v / %v", opt.Timeout, opt.RunTimeout)
	case !(opt.MaxSpeedKmh > 0) || math.IsInf(opt.MaxSpeedKmh, 0):
		return nil, fmt.Errorf("osrm : vitesse maximale MaxSpeedKmh %v incorrecte (attendu un nombre positif fini)", opt.MaxSpeedKmh)
	case opt.Concurrency < 1 || opt.Retries < 0:
		return nil, fmt.Errorf("osrm : Concurrency %d ou Retries %d incorrect (attendu Concurrency ≥ 1 et Retries ≥ 0)", opt.Concurrency, opt.Retries)
	}
	o := &OSRM{osrmRun: &osrmRun{base: strings.TrimRight(baseURL, "/"), opt: opt, client: opt.Client, sem: make(chan struct{}, opt.Concurrency)}}
	if o.client == nil {
		o.client = http.DefaultClient
	}
	return o, nil
}

func (opt OSRMOptions) withDefaults() OSRMOptions {
	opt.Profile = cmp.Or(opt.Profile, DefaultOSRMProfile)
	opt.MaxCoords = cmp.Or(opt.MaxCoords, DefaultOSRMMaxCoords)
	opt.Timeout = cmp.Or(opt.Timeout, DefaultOSRMTimeout)
	opt.RunTimeout = cmp.Or(opt.RunTimeout, DefaultOSRMRunTimeout)
	opt.MaxSpeedKmh = cmp.Or(opt.MaxSpeedKmh, DefaultOSRMMaxSpeedKmh)
	opt.Concurrency = cmp.Or(opt.Concurrency, DefaultOSRMConcurrency)
	opt.Retries = cmp.Or(opt.Retries, DefaultOSRMRetries)
	opt.RetryBase = cmp.Or(opt.RetryBase, 500*time.Millisecond)
	return opt
}

// MinMinutes returns km / MaxSpeedKmh × 60: no road trip beats the
// straight line driven at motorway speed.
func (o *OSRM) MinMinutes(km float64) float64 { return km / o.opt.MaxSpeedKmh * 60 }

// ReachKm returns minutes / 60 × MaxSpeedKmh, the inverse of MinMinutes.
func (o *OSRM) ReachKm(minutes float64) float64 { return minutes / 60 * o.opt.MaxSpeedKmh }

// Requests returns the number of requests sent (retries included) and
// answered so far.
func (o *OSRM) Requests() (sent, answered int64) { return o.sent.Load(), o.answered.Load() }

// Describe implements Describer.
func (o *OSRM) Describe() Method {
	sent, _ := o.Requests()
	return Method{Road: true, Text: fmt.Sprintf("temps routiers donnés par le serveur OSRM %s (service table, profil %s, %d requêtes), en minutes", o.base, o.opt.Profile, sent)}
}

// Times implements TravelTimer: one request per block of the matrix, at
// most Concurrency in flight.
func (o *OSRM) Times(ctx context.Context, srcPlaces, dstPlaces []Place) ([][]float64, error) {
	src, dst := placePoints(srcPlaces), placePoints(dstPlaces)
	if err := checkPoints("source", src); err != nil {
		return nil, err
	}
	if err := checkPoints("destination", dst); err != nil {
		return nil, err
	}
	if err := o.failure(); err != nil {
		return nil, err
	}
	t := make([][]float64, len(src))
	for i := range t {
		t[i] = make([]float64, len(dst))
	}
	ns, nd := blockSizes(len(src), len(dst), o.opt.MaxCoords)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for i := 0; i < len(src); i += ns {
		for j := 0; j < len(dst); j += nd {
			s, d := src[i:min(i+ns, len(src))], dst[j:min(j+nd, len(dst))]
			wg.Go(func() {
				block, err := o.table(ctx, s, d)
				if err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
				for k, row := range block {
					copy(t[i+k][j:], row)
				}
			})
		}
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return t, nil
}

// failure returns the error of the first failed request, if any.
func (o *OSRM) failure() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.failed
}

// fail records err as the run's failure (the first one stays) and
// returns the recorded one. A cancellation of the caller is not a
// failure of the server.
func (o *OSRM) fail(ctx context.Context, err error) error {
	if ctx.Err() != nil && !errors.Is(err, ErrOSRMUnreachable) {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failed == nil {
		o.failed = err
	}
	return o.failed
}

// checkPoints rejects non-finite coordinates before any request.
func checkPoints(what string, pts []orb.Point) error {
	for i, p := range pts {
		if !finite(p) {
			return fmt.Errorf("osrm : %s %d : coordonnée incorrecte %v", what, i, p)
		}
	}
	return nil
}

// blockSizes splits a request budget of max coordinates between sources
// and destinations, favouring a balanced split.
func blockSizes(nsrc, ndst, limit int) (ns, nd int) {
	nd = min(ndst, limit/2)
	ns = min(nsrc, limit-nd)
	nd = min(ndst, limit-ns)
	return max(ns, 1), max(nd, 1)
}

// table asks for one block: sources s, destinations d, retrying on 429
// and 503; any other failure is recorded as the run's failure.
func (o *OSRM) table(ctx context.Context, s, d []orb.Point) ([][]float64, error) {
	select {
	case o.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("osrm : %w", ctx.Err())
	}
	defer func() { <-o.sem }()
	if err := o.failure(); err != nil {
		return nil, err
	}
	o.start.Do(func() { o.deadline = time.Now().Add(o.opt.RunTimeout) })
	for attempt := 0; ; attempt++ {
		t, retryAfter, err := o.once(ctx, s, d)
		if err == nil {
			o.answered.Add(1)
			if n := o.progressed.Add(1); o.opt.Progress != nil {
				o.opt.Progress(n)
			}
			return t, nil
		}
		if retryAfter < 0 || attempt == o.opt.Retries {
			return nil, o.fail(ctx, err)
		}
		wait := min(max(retryAfter, o.opt.RetryBase<<attempt), 10*time.Second)
		if time.Now().Add(wait).After(o.deadline) {
			return nil, o.fail(ctx, err)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, fmt.Errorf("osrm : %w", ctx.Err())
		}
	}
}

// once sends one request. retryAfter ≥ 0 marks an answer worth retrying
// (429, 503), with the server's Retry-After when given; -1 otherwise.
func (o *OSRM) once(ctx context.Context, s, d []orb.Point) (t [][]float64, retryAfter time.Duration, err error) {
	if err := ctx.Err(); err != nil {
		return nil, -1, fmt.Errorf("osrm : %w", err)
	}
	deadline := time.Now().Add(o.opt.Timeout)
	run := false
	if o.deadline.Before(deadline) {
		deadline, run = o.deadline, true
	}
	rctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, o.tableURL(s, d), nil)
	if err != nil {
		return nil, -1, fmt.Errorf("osrm : %w", err)
	}
	o.sent.Add(1)
	resp, err := o.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, -1, fmt.Errorf("osrm : %w", ctx.Err())
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, -1, &osrmError{ErrOSRMUnreachable, fmt.Sprintf("osrm : impossible de joindre %s : %s%s", o.base, netReason(err), o.deadlineNote(rctx, run)), err}
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		retryAfter = 0
		if sec, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && sec >= 0 {
			retryAfter = time.Duration(min(sec, 10)) * time.Second
		}
		return nil, retryAfter, &osrmError{ErrOSRMRefused, fmt.Sprintf("osrm : %s : HTTP %d %s, nouvelles tentatives épuisées", o.base, resp.StatusCode, http.StatusText(resp.StatusCode)), nil}
	}
	t, err = decodeTable(io.LimitReader(resp.Body, maxOSRMBody), resp.StatusCode, len(s), len(d))
	if err != nil && ctx.Err() == nil && rctx.Err() != nil {
		return nil, -1, &osrmError{ErrOSRMUnreachable, fmt.Sprintf("osrm : lecture de la réponse de %s : %s%s", o.base, netReason(rctx.Err()), o.deadlineNote(rctx, run)), rctx.Err()}
	}
	if err != nil {
		return nil, -1, o.named(err)
	}
	if err := o.checkDurations(t, s, d); err != nil {
		return nil, -1, err
	}
	return t, -1, nil
}

// named puts the server in an error's message: "osrm : BASE : …".
func (o *OSRM) named(err error) error {
	var oe *osrmError
	if !errors.As(err, &oe) {
		return err
	}
	return &osrmError{oe.kind, "osrm : " + o.base + " : " + strings.TrimPrefix(oe.msg, "osrm : "), oe.err}
}

// deadlineNote says which deadline ran out.
func (o *OSRM) deadlineNote(rctx context.Context, run bool) string {
	switch {
	case rctx.Err() == nil:
		return ""
	case run:
		return fmt.Sprintf(" (les requêtes de ce calcul ont pris plus de %v au total)", o.opt.RunTimeout)
	}
	return fmt.Sprintf(" (pas de réponse complète en %v)", o.opt.Timeout)
}

// netReason says in French why a request to the server failed, keeping
// the system's own text (in English) in parentheses for the technicians.
func netReason(err error) string {
	var dns *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "délai dépassé"
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connexion refusée, aucun serveur n'écoute à cette adresse (%v)", err)
	case errors.As(err, &dns):
		return fmt.Sprintf("nom d'hôte introuvable (%v)", err)
	}
	return fmt.Sprintf("erreur réseau (%v)", err)
}

// checkDurations refuses a negative duration, and a null (+Inf here) or
// absurd one (more than OSRMMaxMinutes) unless Unreachable maps them to
// +Inf, naming the server and the first bad pair.
func (o *OSRM) checkDurations(t [][]float64, s, d []orb.Point) error {
	for i, row := range t {
		for j, v := range row {
			if v >= 0 && v <= OSRMMaxMinutes {
				continue
			}
			if v > 0 && o.opt.Unreachable {
				row[j] = math.Inf(1)
				continue
			}
			what := "aucun itinéraire (null)"
			switch {
			case v < 0:
				what = fmt.Sprintf("une durée négative (%v s)", v*60)
			case !math.IsInf(v, 1):
				what = fmt.Sprintf("%v s, plus de 24 h", v*60)
			}
			return &osrmError{ErrOSRMMalformed, fmt.Sprintf("osrm : %s a répondu %s de %.6f,%.6f à %.6f,%.6f : mauvais extrait ou mauvais profil ? (--osrm-injoignable marque ces paires inaccessibles)",
				o.base, what, s[i][0], s[i][1], d[j][0], d[j][1]), nil}
		}
	}
	return nil
}

// tableURL builds the Table service URL for sources s then destinations d.
func (o *OSRM) tableURL(s, d []orb.Point) string {
	var b strings.Builder
	b.WriteString(o.base + "/table/v1/" + o.opt.Profile + "/")
	for k, p := range append(append([]orb.Point(nil), s...), d...) {
		if k > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatFloat(p[0], 'f', 6, 64) + "," + strconv.FormatFloat(p[1], 'f', 6, 64))
	}
	b.WriteString("?sources=" + indexList(0, len(s)))
	b.WriteString("&destinations=" + indexList(len(s), len(d)))
	b.WriteString("&annotations=duration")
	return b.String()
}

// indexList returns "from;from+1;…" with n entries.
func indexList(from, n int) string {
	parts := make([]string, n)
	for k := range parts {
		parts[k] = strconv.Itoa(from + k)
	}
	return strings.Join(parts, ";")
}

// osrmError carries a clean message, a sentinel and the underlying error.
type osrmError struct {
	kind error
	msg  string
	err  error
}

func (e *osrmError) Error() string { return e.msg }
func (e *osrmError) Unwrap() []error {
	if e.err == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.err}
}

// tableResponse is the part of a Table service answer that is used.
type tableResponse struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Durations [][]*float64 `json:"durations"`
}

// decodeTable reads a Table answer with HTTP status status and returns
// the ns × nd matrix in minutes (null → +Inf; negative durations are
// kept for checkDurations). Errors wrap ErrOSRMRefused (HTTP status
// other than 200, or code other than "Ok") or ErrOSRMMalformed (bad
// JSON, wrong matrix size).
func decodeTable(r io.Reader, status, ns, nd int) ([][]float64, error) {
	var tr tableResponse
	jerr := json.NewDecoder(r).Decode(&tr)
	if status != http.StatusOK {
		msg := fmt.Sprintf("osrm : HTTP %d %s", status, http.StatusText(status))
		if jerr == nil && tr.Code != "" {
			msg += " : " + tr.Code + " : " + tr.Message
		}
		return nil, &osrmError{ErrOSRMRefused, msg, nil}
	}
	if jerr != nil {
		return nil, &osrmError{ErrOSRMMalformed, "osrm : réponse JSON mal formée : " + jerr.Error(), jerr}
	}
	if tr.Code != "Ok" {
		return nil, &osrmError{ErrOSRMRefused, fmt.Sprintf("osrm : code %q : %s", tr.Code, tr.Message), nil}
	}
	return durationsToMinutes(tr.Durations, ns, nd)
}

// durationsToMinutes checks the matrix shape and converts seconds.
func durationsToMinutes(ds [][]*float64, ns, nd int) ([][]float64, error) {
	malformed := func(format string, a ...any) error {
		return &osrmError{ErrOSRMMalformed, "osrm : " + fmt.Sprintf(format, a...), nil}
	}
	if len(ds) != ns {
		return nil, malformed("durations a %d ligne(s), attendu %d", len(ds), ns)
	}
	t := make([][]float64, ns)
	for i, row := range ds {
		if len(row) != nd {
			return nil, malformed("ligne %d de durations : %d colonne(s), attendu %d", i, len(row), nd)
		}
		t[i] = make([]float64, nd)
		for j, v := range row {
			switch {
			case v == nil:
				t[i][j] = math.Inf(1)
			default: // negative: refused by checkDurations, which names the pair
				t[i][j] = *v / 60
			}
		}
	}
	return t, nil
}

// placePoints returns the points of places.
func placePoints(places []Place) []orb.Point {
	pts := make([]orb.Point, len(places))
	for i, p := range places {
		pts[i] = p.Point
	}
	return pts
}
