package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

const serveUsageText = `diagnum serve — l'application web locale du diagnostic

Usage :
  diagnum serve [--port N] [--adresse ADRESSE] [--demande FICHIER]

Ouvre sur ce poste un tableau de bord dans le navigateur : choix du
territoire et des paramètres, dépôt de vos fichiers de lieux et
d'indicateurs (lignes rejetées listées dans la page), carte et tableaux,
simulation (un clic sur une commune ajoute un poste, un clic sur un lieu
compté le retire, annulation), planificateur, et téléchargement du
classeur, du CSV, des couches GeoJSON, du rapport HTML et du fichier de
scénario (relu par diagnum plan --scenario).

  --port N             port d'écoute (défaut : 8080 ; 0 : un port libre)
  --adresse ADRESSE    adresse d'écoute (défaut : 127.0.0.1, ce poste seulement).
                       Une autre adresse (par ex. 0.0.0.0) ouvre l'application
                       au réseau : à ne faire que délibérément, sur un réseau de confiance.
  --calculs N          calculs simultanés au plus (défaut : 2)
  --demande FICHIER    couche de demande plus fine que la commune (carreaux INSEE de
                       200 m, IRIS ou points), comme diagnum --demande : chaque calcul
                       de l'application y est mesuré (colonne part_couverte), le
                       planificateur compte sa population

Limites : fichier déposé ≤ 10 Mio, requête ≤ 32 Mio ; 200 sessions au plus,
fermées après 2 h d'inactivité ; calcul interrompu après 2 min ou quand le
navigateur abandonne la requête. Les fichiers déposés ne sont écrits que dans
un dossier temporaire, supprimé à l'arrêt (Ctrl-C).
`

// Limits of the server (documented in serveUsageText and the README).
const (
	maxUploadBytes  = 10 << 20 // one uploaded file
	maxRequestBytes = 32 << 20 // one request body
	maxSessions     = 200
	sessionIdle     = 2 * time.Hour
	computeTimeout  = 2 * time.Minute
)

// serveOptions are the settings of `diagnum serve`.
type serveOptions struct {
	port    int
	address string
	slots   int
	demande string // the demand layer's file (--demande), "" for none
}

func parseServeFlags(args []string, stderr io.Writer) (*serveOptions, error) {
	o := &serveOptions{}
	fs := flag.NewFlagSet("diagnum serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.IntVar(&o.port, "port", 8080, "")
	fs.StringVar(&o.address, "adresse", "127.0.0.1", "")
	fs.IntVar(&o.slots, "calculs", 2, "")
	registerDemande(fs, &o.demande)
	if err := parseArgs(fs, args, stderr, serveUsageText, "serve : "); err != nil {
		return nil, err
	}
	switch {
	case o.port < 0 || o.port > 65535:
		return nil, fmt.Errorf("%w: serve : --port %d hors de 0–65535", errUsage, o.port)
	case o.slots < 1 || o.slots > 64:
		return nil, fmt.Errorf("%w: serve : --calculs %d hors de 1–64", errUsage, o.slots)
	case net.ParseIP(o.address) == nil && o.address != "localhost":
		return nil, fmt.Errorf("%w: serve : --adresse %q n'est pas une adresse IP", errUsage, o.address)
	}
	return o, nil
}

// runServe runs `diagnum serve` until ctx is cancelled (Ctrl-C).
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	ds, err := embedded()
	if err != nil {
		return fmt.Errorf("données intégrées : %w", err)
	}
	layer, err := loadDemandFile(ctx, userFile{o.demande, o.demande}, newProgress(stderr, false))
	if err != nil {
		return err
	}
	srv, err := newServer(ds, o.slots)
	if err != nil {
		return err
	}
	defer srv.close()
	srv.layer = layer
	if layer != nil {
		fmt.Fprintf(stderr, "%s : %d unités (%s), mesurées à chaque calcul\n", layer.File, len(layer.Units), layer.Format)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(o.address, strconv.Itoa(o.port)))
	if err != nil {
		return fmt.Errorf("serve : écoute sur %s:%d : %w", o.address, o.port, err)
	}
	if !loopbackHost(o.address) {
		srv.loopback = false
		fmt.Fprintf(stderr, "ATTENTION : diagnum serve écoute sur %s, accessible depuis le réseau ; toute personne qui l'atteint peut l'utiliser et y déposer des fichiers.\n", o.address)
	}
	fmt.Fprintf(stdout, "diagnum serve : ouvrir http://%s/ dans le navigateur (Ctrl-C pour arrêter)\n", ln.Addr())
	hs := &http.Server{
		Handler:           srv.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      computeTimeout + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve : %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(shut)
	fmt.Fprintln(stderr, "diagnum serve : arrêté ; fichiers déposés supprimés")
	return nil
}

// uploadDir creates the temporary folder of the uploads.
func uploadDir() (string, error) {
	dir, err := os.MkdirTemp("", "diagnum-serve-*")
	if err != nil {
		return "", fmt.Errorf("serve : dossier temporaire : %w", err)
	}
	return dir, nil
}
