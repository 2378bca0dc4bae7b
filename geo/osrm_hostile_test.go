package geo

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// hostile starts a server running h and counting requests.
func hostile(t *testing.T, h func(n int32, w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h(n.Add(1), w, r) }))
	t.Cleanup(srv.Close)
	return srv, &n
}

var twoPlaces = placesOf([]orb.Point{notreDame, gueret})

const okTable = `{"code":"Ok","durations":[[0,60],[60,0]]}`

// TestOSRMNeverHangs: a server that hangs before or after the headers,
// drips bytes or answers too late fails the request at its deadline
// (ErrOSRMUnreachable wrapping context.DeadlineExceeded), with a message
// naming the server and the deadline.
func TestOSRMNeverHangs(t *testing.T) {
	cases := map[string]func(n int32, w http.ResponseWriter, r *http.Request){
		"hangs before the headers": func(_ int32, w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		},
		"hangs after the headers": func(_ int32, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		},
		"drips": func(_ int32, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			w.Write([]byte(`{"code":"Ok","durations":[[`))
			for r.Context().Err() == nil {
				w.Write([]byte(" "))
				w.(http.Flusher).Flush()
				time.Sleep(10 * time.Millisecond)
			}
		},
		"too slow": func(_ int32, w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(time.Second):
				w.Write([]byte(okTable))
			case <-r.Context().Done():
			}
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv, _ := hostile(t, h)
			o, _ := NewOSRM(srv.URL, OSRMOptions{Timeout: 150 * time.Millisecond})
			start := time.Now()
			_, err := o.Times(context.Background(), twoPlaces, twoPlaces)
			if !errors.Is(err, ErrOSRMUnreachable) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), srv.URL) || !strings.Contains(err.Error(), "délai dépassé (pas de réponse complète en 150ms)") {
				t.Errorf("err = %v", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v past a 150 ms deadline", d)
			}
		})
	}
}

// TestOSRMRetries: 429 and 503 are retried a bounded number of times.
func TestOSRMRetries(t *testing.T) {
	srv, n := hostile(t, func(n int32, w http.ResponseWriter, r *http.Request) {
		if n <= 2 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(okTable))
	})
	o, _ := NewOSRM(srv.URL, OSRMOptions{RetryBase: time.Millisecond})
	got, err := o.Times(context.Background(), twoPlaces, twoPlaces)
	if err != nil || got[0][1] != 1 || n.Load() != 3 {
		t.Errorf("got %v, %v after %d requests; want 1 min after 3", got, err, n.Load())
	}
	srv, n = hostile(t, func(_ int32, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	o, _ = NewOSRM(srv.URL, OSRMOptions{RetryBase: time.Millisecond, Retries: 2})
	_, err = o.Times(context.Background(), twoPlaces, twoPlaces)
	if !errors.Is(err, ErrOSRMRefused) || !strings.Contains(err.Error(), "HTTP 503 Service Unavailable, nouvelles tentatives épuisées") || n.Load() != 3 {
		t.Errorf("err = %v after %d requests, want a refusal after 1 + 2 retries", err, n.Load())
	}
}

// TestOSRMFirstFailureEndsRun: once a request fails (here a null
// duration, as from a wrong extract), every later call fails at once
// with the same error and sends nothing: a nonsense server receives one
// request, not hundreds of thousands.
func TestOSRMFirstFailureEndsRun(t *testing.T) {
	srv, n := hostile(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"code":"Ok","durations":[[null,null],[null,null]]}`))
	})
	o, _ := NewOSRM(srv.URL, OSRMOptions{Concurrency: 1})
	_, first := o.Times(context.Background(), twoPlaces, twoPlaces)
	if !errors.Is(first, ErrOSRMMalformed) || !strings.Contains(first.Error(), "aucun itinéraire (null)") {
		t.Fatalf("err = %v", first)
	}
	for range 100 {
		if _, err := o.Times(context.Background(), twoPlaces, twoPlaces); err != first {
			t.Fatalf("later call: err = %v, want the first failure", err)
		}
	}
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1", n.Load())
	}
}

// TestOSRMRunDeadline: the run's requests stop at RunTimeout even when
// each answers within its own deadline.
func TestOSRMRunDeadline(t *testing.T) {
	srv, n := hostile(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
		fakeAnswer(w, r)
	})
	o, _ := NewOSRM(srv.URL, OSRMOptions{MaxCoords: 2, Concurrency: 1, RunTimeout: 300 * time.Millisecond})
	pts := placesOf(make([]orb.Point, 40)) // 40 × 40 blocks of 1 × 1
	start := time.Now()
	_, err := o.Times(context.Background(), pts, pts)
	if !errors.Is(err, ErrOSRMUnreachable) || !strings.Contains(err.Error(), "les requêtes de ce calcul ont pris plus de 300ms au total") {
		t.Errorf("err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second || n.Load() > 10 {
		t.Errorf("stopped after %v and %d requests", d, n.Load())
	}
}

// fakeAnswer answers a 1 × 1 table of 60 s.
func fakeAnswer(w http.ResponseWriter, _ *http.Request) {
	w.Write([]byte(`{"code":"Ok","durations":[[60]]}`))
}

// TestOSRMConcurrencyBounded: blocks go out in parallel, never more than
// Concurrency at once, even from several Times calls.
func TestOSRMConcurrencyBounded(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv, n := hostile(t, func(_ int32, w http.ResponseWriter, r *http.Request) {
		k := inFlight.Add(1)
		for p := peak.Load(); k > p && !peak.CompareAndSwap(p, k); p = peak.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		inFlight.Add(-1)
		fakeAnswer(w, r)
	})
	o, _ := NewOSRM(srv.URL, OSRMOptions{MaxCoords: 2, Concurrency: 3})
	pts := placesOf(make([]orb.Point, 6))
	done := make(chan error, 2)
	for range 2 {
		go func() { _, err := o.Times(context.Background(), pts, pts); done <- err }()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n.Load() != 72 || peak.Load() > 3 || peak.Load() < 2 {
		t.Errorf("%d requests (want 72), peak %d in flight (want 2–3)", n.Load(), peak.Load())
	}
	if sent, answered := o.Requests(); sent != 72 || answered != 72 {
		t.Errorf("Requests() = %d, %d", sent, answered)
	}
}
