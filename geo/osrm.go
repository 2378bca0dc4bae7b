package geo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Sentinel errors of the OSRM client, for errors.Is. The underlying
// error (e.g. context.DeadlineExceeded) is wrapped as well.
var (
	ErrOSRMUnreachable = errors.New("geo: osrm server unreachable")
	ErrOSRMRefused     = errors.New("geo: osrm request refused")
	ErrOSRMMalformed   = errors.New("geo: malformed osrm response")
)

// Defaults of OSRMOptions.
const (
	DefaultOSRMProfile     = "driving"
	DefaultOSRMMaxCoords   = 100
	DefaultOSRMTimeout     = 10 * time.Second
	DefaultOSRMMaxSpeedKmh = 130.0
)

// maxOSRMBody bounds the size of a response body (a 100-coordinate table
// is about 100 KB).
const maxOSRMBody = 32 << 20

// OSRMOptions configure NewOSRM. Zero fields take the defaults above.
type OSRMOptions struct {
	Profile     string        // routing profile in the URL, default "driving"
	MaxCoords   int           // coordinates per request (sources + destinations), default 100, at least 2
	Timeout     time.Duration // per request, default 10 s
	MaxSpeedKmh float64       // speed of MinMinutes, default 130 km/h
	Client      *http.Client  // nil: a client with Timeout
}

// OSRM is a TravelTimer backed by an OSRM server's Table service
// (http://project-osrm.org/docs/v5.24.0/api/#table-service):
//
//	GET {base}/table/v1/{profile}/{lon,lat;...}?sources=…&destinations=…&annotations=duration
//
// Durations (seconds) become minutes; null (unreachable) becomes +Inf.
// Large matrices are split into requests of at most MaxCoords points.
type OSRM struct {
	base   string
	opt    OSRMOptions
	client *http.Client
}

var profileRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// NewOSRM checks baseURL (http or https, with a host) and the options; it
// does not contact the server.
func NewOSRM(baseURL string, opt OSRMOptions) (*OSRM, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("osrm: bad base URL %q: %w", baseURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("osrm: bad base URL %q: want http(s)://host[:port][/path]", baseURL)
	}
	if opt.Profile == "" {
		opt.Profile = DefaultOSRMProfile
	}
	if opt.MaxCoords == 0 {
		opt.MaxCoords = DefaultOSRMMaxCoords
	}
	if opt.Timeout == 0 {
		opt.Timeout = DefaultOSRMTimeout
	}
	if opt.MaxSpeedKmh == 0 {
		opt.MaxSpeedKmh = DefaultOSRMMaxSpeedKmh
	}
	switch {
	case !profileRE.MatchString(opt.Profile):
		return nil, fmt.Errorf("osrm: bad profile %q", opt.Profile)
	case opt.MaxCoords < 2:
		return nil, fmt.Errorf("osrm: MaxCoords %d < 2", opt.MaxCoords)
	case opt.Timeout < 0:
		return nil, fmt.Errorf("osrm: negative timeout %v", opt.Timeout)
	case !(opt.MaxSpeedKmh > 0) || math.IsInf(opt.MaxSpeedKmh, 0):
		return nil, fmt.Errorf("osrm: bad MaxSpeedKmh %v", opt.MaxSpeedKmh)
	}
	o := &OSRM{base: strings.TrimRight(baseURL, "/"), opt: opt, client: opt.Client}
	if o.client == nil {
		o.client = &http.Client{Timeout: opt.Timeout}
	}
	return o, nil
}

// MinMinutes returns km / MaxSpeedKmh × 60: no road trip beats the
// straight line driven at motorway speed.
func (o *OSRM) MinMinutes(km float64) float64 { return km / o.opt.MaxSpeedKmh * 60 }

// ReachKm returns minutes / 60 × MaxSpeedKmh, the inverse of MinMinutes.
func (o *OSRM) ReachKm(minutes float64) float64 { return minutes / 60 * o.opt.MaxSpeedKmh }

// Times implements TravelTimer, one request per block of the matrix.
func (o *OSRM) Times(ctx context.Context, srcPlaces, dstPlaces []Place) ([][]float64, error) {
	src, dst := placePoints(srcPlaces), placePoints(dstPlaces)
	if err := checkPoints("source", src); err != nil {
		return nil, err
	}
	if err := checkPoints("destination", dst); err != nil {
		return nil, err
	}
	t := make([][]float64, len(src))
	for i := range t {
		t[i] = make([]float64, len(dst))
	}
	ns, nd := blockSizes(len(src), len(dst), o.opt.MaxCoords)
	for i := 0; i < len(src); i += ns {
		s := src[i:min(i+ns, len(src))]
		for j := 0; j < len(dst); j += nd {
			d := dst[j:min(j+nd, len(dst))]
			block, err := o.table(ctx, s, d)
			if err != nil {
				return nil, err
			}
			for k, row := range block {
				copy(t[i+k][j:], row)
			}
		}
	}
	return t, nil
}

// checkPoints rejects non-finite coordinates before any request.
func checkPoints(what string, pts []orb.Point) error {
	for i, p := range pts {
		if !finite(p) {
			return fmt.Errorf("osrm: %s %d: bad coordinate %v", what, i, p)
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

// table asks for one block: sources s, destinations d.
func (o *OSRM) table(ctx context.Context, s, d []orb.Point) ([][]float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("osrm: %w", err)
	}
	rctx, cancel := context.WithTimeout(ctx, o.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, o.tableURL(s, d), nil)
	if err != nil {
		return nil, fmt.Errorf("osrm: %w", err)
	}
	resp, err := o.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("osrm: %w", ctx.Err())
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &osrmError{ErrOSRMUnreachable, fmt.Sprintf("osrm: cannot reach %s: %v", o.base, err), err}
	}
	defer resp.Body.Close()
	t, err := decodeTable(io.LimitReader(resp.Body, maxOSRMBody), resp.StatusCode, len(s), len(d))
	if err != nil && ctx.Err() == nil && rctx.Err() != nil {
		return nil, &osrmError{ErrOSRMUnreachable, fmt.Sprintf("osrm: reading the answer of %s: %v", o.base, rctx.Err()), rctx.Err()}
	}
	return t, err
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
// the ns × nd matrix in minutes (null → +Inf). Errors wrap
// ErrOSRMRefused (HTTP status other than 200, or code other than "Ok")
// or ErrOSRMMalformed (bad JSON, wrong matrix size, negative duration).
func decodeTable(r io.Reader, status, ns, nd int) ([][]float64, error) {
	var tr tableResponse
	jerr := json.NewDecoder(r).Decode(&tr)
	if status != http.StatusOK {
		msg := fmt.Sprintf("osrm: HTTP %d %s", status, http.StatusText(status))
		if jerr == nil && tr.Code != "" {
			msg += ": " + tr.Code + ": " + tr.Message
		}
		return nil, &osrmError{ErrOSRMRefused, msg, nil}
	}
	if jerr != nil {
		return nil, &osrmError{ErrOSRMMalformed, "osrm: malformed JSON answer: " + jerr.Error(), jerr}
	}
	if tr.Code != "Ok" {
		return nil, &osrmError{ErrOSRMRefused, fmt.Sprintf("osrm: code %q: %s", tr.Code, tr.Message), nil}
	}
	return durationsToMinutes(tr.Durations, ns, nd)
}

// durationsToMinutes checks the matrix shape and converts seconds.
func durationsToMinutes(ds [][]*float64, ns, nd int) ([][]float64, error) {
	malformed := func(format string, a ...any) error {
		return &osrmError{ErrOSRMMalformed, "osrm: " + fmt.Sprintf(format, a...), nil}
	}
	if len(ds) != ns {
		return nil, malformed("durations has %d rows, want %d", len(ds), ns)
	}
	t := make([][]float64, ns)
	for i, row := range ds {
		if len(row) != nd {
			return nil, malformed("durations row %d has %d columns, want %d", i, len(row), nd)
		}
		t[i] = make([]float64, nd)
		for j, v := range row {
			switch {
			case v == nil:
				t[i][j] = math.Inf(1)
			case *v < 0:
				return nil, malformed("negative duration %v at [%d][%d]", *v, i, j)
			default:
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
