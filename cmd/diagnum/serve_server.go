package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"diagnum/data"
)

// server is the web app of `diagnum serve`: the embedded data loaded
// once (never modified), the sessions, and a cap on the computations
// running at once.
type server struct {
	base  *data.Dataset
	dir   string        // temporary folder of the uploads, removed by close
	slots chan struct{} // one token per computation running
	// loopback: the server listens on a loopback address only, so every
	// request must name a loopback host (a page of another site whose
	// name was rebound to 127.0.0.1 is refused).
	loopback bool
	// layer is the demand layer of --demande (nil: none), read once and
	// shared by the sessions, never modified.
	layer *data.DemandLayer

	mu       sync.Mutex
	sessions map[string]*session
	now      func() time.Time
}

func newServer(ds *data.Dataset, slots int) (*server, error) {
	dir, err := uploadDir()
	if err != nil {
		return nil, err
	}
	return &server{base: ds, dir: dir, slots: make(chan struct{}, slots), loopback: true, sessions: map[string]*session{}, now: time.Now}, nil
}

// close removes the uploaded files.
func (s *server) close() error { return os.RemoveAll(s.dir) }

// cookieName is the session cookie; csrfHeader carries the session's
// CSRF token on every state-changing request.
const (
	cookieName = "diagnum_session"
	csrfHeader = "X-Diagnum-Jeton"
)

// handler returns the routes, behind the security checks.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page)
	mux.HandleFunc("POST /api/calcul", s.api(s.calcul))
	mux.HandleFunc("POST /api/ajout", s.api(s.ajout))
	mux.HandleFunc("POST /api/suppression", s.api(s.suppression))
	mux.HandleFunc("POST /api/plan", s.api(s.planifier))
	mux.HandleFunc("POST /api/annuler", s.api(s.annuler))
	mux.HandleFunc("GET /telecharger/{fichier}", s.download)
	return s.guard(mux)
}

// guard sets the security headers, refuses cross-origin state-changing
// requests, caps the body size, and turns a panic into a plain message
// (no stack reaches the client).
func (s *server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		if s.loopback && !loopbackHost(r.Host) {
			http.Error(w, "hôte refusé : l'application ne répond qu'à 127.0.0.1 ou localhost", http.StatusMisdirectedRequest)
			return
		}
		defer func() {
			if v := recover(); v != nil {
				log.Printf("diagnum serve : %s %s : erreur interne (panic) : %v", r.Method, r.URL.Path, v)
				jsonError(w, http.StatusInternalServerError, "erreur interne du serveur ; la requête n'a pas abouti")
			}
		}()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if !sameOrigin(r) {
				jsonError(w, http.StatusForbidden, "requête refusée : elle ne vient pas de la page de l'application (contrôle d'origine)")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether the Host header names this machine:
// localhost or a loopback IP, with or without a port.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin reports whether a state-changing request comes from a page
// of this server: its Origin header, or else its Referer, must name the
// request's own host; Sec-Fetch-Site, when sent, must be same-origin.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		origin = r.Header.Get("Referer")
	}
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err == nil && u.Scheme == "http" && u.Host == r.Host
}

// session returns the session of the request's cookie, or nil.
func (s *server) session(r *http.Request) *session {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[c.Value]
	if ss != nil {
		ss.last = s.now()
	}
	return ss
}

// newSession creates a session, with its uploads folder under the
// server's, and sets its cookie. When the server holds maxSessions, the
// sessions idle for sessionIdle are closed first (their folders
// removed); if none is, the new one is refused.
func (s *server) newSession(w http.ResponseWriter) (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for id, ss := range s.sessions {
		if now.Sub(ss.last) > sessionIdle {
			_ = os.RemoveAll(ss.dir)
			delete(s.sessions, id)
		}
	}
	if len(s.sessions) >= maxSessions {
		return nil, errors.New("trop de sessions ouvertes sur ce serveur ; réessayer plus tard")
	}
	id, csrf := randomToken(), randomToken()
	dir := filepath.Join(s.dir, id[:16])
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, fmt.Errorf("dossier de session : %w", err)
	}
	ss := newSession(s.base, dir, csrf, now)
	ss.layer, ss.startLayer = s.layer, s.layer
	s.sessions[id] = ss
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return ss, nil
}

// randomToken returns 128 random bits in hexadecimal.
func randomToken() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b[:])
}

// api wraps a state-changing handler: it needs a session and its CSRF
// token, and one computation slot (waiting for one until the client goes
// away); the computation is cancelled when the client goes away or after
// computeTimeout.
func (s *server) api(fn func(ctx context.Context, ss *session, r *http.Request) (*reply, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ss := s.session(r)
		if ss == nil {
			jsonError(w, http.StatusForbidden, "session inconnue ou expirée : recharger la page")
			return
		}
		if tok := r.Header.Get(csrfHeader); subtle.ConstantTimeCompare([]byte(tok), []byte(ss.csrf)) != 1 {
			jsonError(w, http.StatusForbidden, "jeton de sécurité absent ou invalide : recharger la page")
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), computeTimeout)
		defer cancel()
		select {
		case s.slots <- struct{}{}:
			defer func() { <-s.slots }()
		case <-ctx.Done():
			jsonError(w, http.StatusServiceUnavailable, "serveur occupé : trop de calculs en cours, réessayer")
			return
		}
		ss.mu.Lock()
		defer ss.mu.Unlock()
		rep, err := fn(ctx, ss, r)
		if err != nil {
			var ue *userError
			var mbe *http.MaxBytesError
			switch {
			case errors.As(err, &ue):
				jsonError(w, http.StatusBadRequest, ue.msg)
			case errors.As(err, &mbe):
				jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("requête trop volumineuse : %d Mio au plus", maxRequestBytes>>20))
			case errors.Is(err, context.DeadlineExceeded):
				jsonError(w, http.StatusServiceUnavailable, "calcul trop long, interrompu")
			case errors.Is(err, context.Canceled):
				// The client went away: nobody reads the answer.
			default:
				log.Printf("diagnum serve: %s: %v", r.URL.Path, err)
				jsonError(w, http.StatusInternalServerError, "le calcul a échoué : "+err.Error())
			}
			return
		}
		writeJSON(w, http.StatusOK, rep)
	}
}

// userError is a bad request, with its message for the page.
type userError struct{ msg string }

func (e *userError) Error() string { return e.msg }

func badRequest(format string, a ...any) error { return &userError{fmt.Sprintf(format, a...)} }

func jsonError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"erreur": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
