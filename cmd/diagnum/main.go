// Command diagnum writes the territorial diagnostic of digital inclusion
// of a French département, région or of France: where the digital
// advisors are, who can reach them, where the fragile populations are,
// and which communes are under-covered. Run `diagnum --help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	ownEmbedded.Store(true) // one command per process: its run may change the embedded data set
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	interrupted := ctx.Err() != nil // read before stop, which cancels ctx
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, context.Canceled) && interrupted:
		// Ctrl-C, SIGTERM or SIGHUP: outputs are written all or nothing.
		// The step that was stopped stays named; Go's "context canceled" is said in French.
		where := strings.ReplaceAll(err.Error(), context.Canceled.Error(), "arrêt demandé (Ctrl-C ou signal)")
		fmt.Fprintf(os.Stderr, "diagnum: interrompu (%s) ; aucun fichier n'a été écrit ni modifié\n", where)
		os.Exit(130)
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "diagnum:", err)
		if len(os.Args) > 1 && os.Args[1] == "plan" {
			fmt.Fprintln(os.Stderr, "Voir : diagnum plan --help")
		} else {
			fmt.Fprintln(os.Stderr, "Voir : diagnum --help")
		}
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "diagnum: erreur :", err)
		if c := osCause(err); c != "" {
			fmt.Fprintln(os.Stderr, "Cause :", c)
		}
		os.Exit(1)
	}
}

// osCause explains in French the system errors whose own text (from the
// operating system, in English) ends a message: disk full, permission
// denied, file not found, read-only file system; "" for other errors.
func osCause(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "disque plein : libérer de la place ou écrire dans un autre dossier"
	case errors.Is(err, syscall.EROFS):
		return "système de fichiers en lecture seule : écrire dans un autre dossier"
	case errors.Is(err, fs.ErrPermission):
		return "permission refusée : vérifier les droits sur le fichier ou le dossier"
	case errors.Is(err, fs.ErrNotExist):
		return "fichier ou dossier introuvable : vérifier le chemin"
	}
	return ""
}
