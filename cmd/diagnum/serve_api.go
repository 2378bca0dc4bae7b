package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"diagnum/data"
	"diagnum/diag"
	"diagnum/diag/report"
	"diagnum/diag/report/htmlreport"
)

// page serves the dashboard, creating the session on the first visit.
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	ss := s.session(r)
	if ss == nil {
		var err error
		if ss, err = s.newSession(w); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-r.Context().Done():
		return
	}
	if err := ss.ensure(r.Context()); err != nil {
		http.Error(w, "le calcul a échoué : "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	pg := htmlreport.NewPage(&ss.cur.in)
	pg.Settings = ss.settings
	if err := htmlreport.WriteApp(w, pg, ss.csrf); err != nil {
		http.Error(w, "page : "+err.Error(), http.StatusInternalServerError)
	}
}

// calcul sets the territory, the parameters and the uploaded files from
// a multipart form, clears the changes and recomputes.
func (s *server) calcul(ctx context.Context, ss *session, r *http.Request) (*reply, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badRequest("formulaire illisible : %v", err)
	}
	form := map[string][]string{}
	files := map[string][]userFile{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, badRequest("formulaire illisible : %v", err)
		}
		name := part.FormName()
		if part.FileName() == "" {
			v, err := io.ReadAll(io.LimitReader(part, 1<<10))
			if err != nil {
				return nil, err
			}
			form[name] = append(form[name], string(v))
			continue
		}
		switch name {
		case "lieux", "indicateurs", "poids", "demande":
		default:
			return nil, badRequest("champ de fichier inconnu %q", name)
		}
		f, err := ss.save(part, name, len(files[name]))
		if err != nil {
			return nil, err
		}
		if f.path != "" {
			files[name] = append(files[name], f)
		}
	}
	return ss.configure(ctx, form, files)
}

// save writes an uploaded part into the session's folder under a name
// chosen here (the client's file name is only shown in messages); an
// empty part (no file chosen) gives a zero userFile.
func (ss *session) save(part *multipart.Part, field string, n int) (userFile, error) {
	shown := cleanName(part.FileName())
	ext := strings.ToLower(filepath.Ext(shown))
	switch ext {
	case ".csv", ".txt", ".tsv", ".geojson", ".json":
	default:
		ext = ".csv"
	}
	path := filepath.Join(ss.dir, fmt.Sprintf("%s-%d%s", field, n+1, ext))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return userFile{}, err
	}
	size, err := io.Copy(f, io.LimitReader(part, maxUploadBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return userFile{}, err
	case err != nil:
		return userFile{}, badRequest("fichier %s : envoi interrompu (%v)", shown, err)
	case size > maxUploadBytes:
		return userFile{}, badRequest("fichier %s trop volumineux : %d Mio au plus", shown, maxUploadBytes>>20)
	case size == 0:
		os.Remove(path)
		return userFile{}, nil
	}
	return userFile{name: shown, path: path}, nil
}

// cleanName returns the base name of a client's file name, printable
// and at most 80 characters, for messages.
func cleanName(s string) string {
	s = filepath.Base(strings.ReplaceAll(s, `\`, "/"))
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:80])
	}
	if s == "" || s == "." || s == "/" {
		s = "fichier"
	}
	return s
}

// configure applies the form: territory, threshold, supply kinds and
// files; on error the session keeps its previous state.
func (ss *session) configure(ctx context.Context, form map[string][]string, files map[string][]userFile) (*reply, error) {
	first := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	st := settings{Level: first("niveau"), Code: first("code"), Supply: form["offre"], SitesOnly: first("lieux_seuls") != ""}
	o := &options{detour: diag.DefaultDetour, speed: diag.DefaultSpeedKmh, threshold: diag.DefaultThresholdMin}
	switch st.Level {
	case "dept":
		o.dept = st.Code
	case "region":
		o.region = st.Code
	default:
		return nil, badRequest("niveau de territoire inconnu %q (dept ou region)", st.Level)
	}
	if v := first("seuil"); v != "" {
		f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil {
			return nil, badRequest("seuil %q : un nombre de minutes est attendu", v)
		}
		o.threshold = f
	}
	st.Seuil = o.threshold
	if len(st.Supply) == 0 {
		return nil, badRequest("choisir au moins un type de lieu compté dans l'offre")
	}
	o.supply = strings.Join(st.Supply, ",")
	t, err := o.territory()
	if err == nil {
		err = checkKnown(t, ss.base)
	}
	if err != nil {
		return nil, badRequest("%s", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
	}
	params, err := o.params()
	if err != nil {
		return nil, badRequest("%s", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
	}
	if st.SitesOnly && len(files["lieux"]) == 0 {
		return nil, badRequest("« ne compter que vos lieux » demande un fichier de lieux")
	}
	layer := ss.startLayer
	for _, f := range files["demande"] { // the last one (the form has one)
		if layer, err = loadDemandFile(ctx, f, newProgress(io.Discard, true)); err != nil {
			return nil, badRequest("%v", err)
		}
	}
	ds, err := ss.loadFiles(ctx, files, &params, siteRule{t: t, only: st.SitesOnly}, layer)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"lieux", "indicateurs", "poids", "demande"} {
		for _, f := range files[k] {
			st.Files = append(st.Files, f.name)
		}
	}
	oSettings, oTerr, oParams, oDS, oEdits, oUploads, oCur, oLayer := ss.settings, ss.terr, ss.params, ss.ds, ss.edits, ss.uploads, ss.cur, ss.layer
	ss.settings, ss.terr, ss.params, ss.ds, ss.edits, ss.layer = st, t, params, ds, nil, layer
	ss.uploads = ds.Checks[len(ss.base.Checks):]
	if err := ss.compute(ctx); err != nil {
		ss.settings, ss.terr, ss.params, ss.ds, ss.edits, ss.uploads, ss.cur, ss.layer = oSettings, oTerr, oParams, oDS, oEdits, oUploads, oCur, oLayer
		return nil, err
	}
	if d := ss.cur.in.Demand; d != nil && len(files["demande"]) > 0 {
		// The units of the uploaded layer in no commune, listed with the
		// rows of the other files (all its checks are in Contrôles).
		ss.uploads = slices.Concat(ss.uploads, slices.DeleteFunc(slices.Clone(d.Checks), func(c data.Check) bool { return c.Severity != data.Rejected }))
	}
	msg := fmt.Sprintf("Diagnostic de %s calculé.", report.Label(&ss.cur.in))
	if n := len(ss.uploads); n > 0 {
		msg += fmt.Sprintf(" %d ligne(s) de vos fichiers rejetée(s) ou signalée(s), listées ci-dessous.", n)
	}
	return ss.reply(msg), nil
}

// loadFiles returns the embedded data with the uploaded files, read by
// the loaders of the command line (the embedded data are not modified);
// the uploaded sites replace embedded ones as rule says, as --sites (and
// --sites-only) do. With a demand layer, the weights may name
// part_65_plus, as with --demande (demandWeights).
func (ss *session) loadFiles(ctx context.Context, files map[string][]userFile, params *diag.Params, rule siteRule, layer *data.DemandLayer) (*data.Dataset, error) {
	ds := *ss.base // shallow: what the files change is copied first
	ds.Checks = slices.Clone(ss.base.Checks)
	ds.SiteChecks = slices.Clone(ss.base.SiteChecks)
	if len(files["indicateurs"]) > 0 {
		ds.Indicators = ss.base.Indicators.Clone()
	}
	if err := addUserFiles(ctx, &ds, files["lieux"], files["indicateurs"], rule, nil); err != nil {
		return nil, badRequest("%v", err)
	}
	var extra []string
	if layer != nil {
		extra = append(extra, data.ColPart65Plus)
	}
	for _, f := range files["poids"] {
		w, err := loadWeights(ctx, f, &ds, extra...)
		if err == nil {
			err = demandWeights(f.name, w, &ds, layer)
		}
		if err != nil {
			return nil, badRequest("%v", err)
		}
		params.Weights = w
	}
	return &ds, nil
}

// ajout adds a post at the commune of the JSON body {"code": …}.
func (s *server) ajout(ctx context.Context, ss *session, r *http.Request) (*reply, error) {
	return editRequest(ctx, ss, r, func(req struct{ Code string }) (edit, string, error) {
		site, err := ss.newPost(req.Code)
		return edit{add: []data.Site{site}}, "Poste ajouté : " + site.Name + ".", err
	})
}

// suppression removes the site of the JSON body {"id": …}.
func (s *server) suppression(ctx context.Context, ss *session, r *http.Request) (*reply, error) {
	return editRequest(ctx, ss, r, func(req struct{ ID string }) (edit, string, error) {
		site, err := ss.site(req.ID)
		return edit{remove: []data.Site{site}}, "Lieu retiré : " + site.Name + ".", err
	})
}

// editRequest decodes the JSON body of r into a T (request), turns it
// into an edit and its message with change, applies the edit to the
// session (session.push) and replies the message.
func editRequest[T any](ctx context.Context, ss *session, r *http.Request, change func(T) (edit, string, error)) (*reply, error) {
	req, err := request[T](ctx, ss, r)
	if err != nil {
		return nil, err
	}
	e, msg, err := change(req)
	if err != nil {
		return nil, err
	}
	if err := ss.push(ctx, e); err != nil {
		return nil, err
	}
	return ss.reply(msg), nil
}

// request decodes the JSON body of r into a T and makes sure the
// session's diagnostic is computed (session.ensure).
func request[T any](ctx context.Context, ss *session, r *http.Request) (T, error) {
	var req T
	if err := decode(r, &req); err != nil {
		return req, err
	}
	return req, ss.ensure(ctx)
}

// planifier runs the planner for the JSON body {"n": …} posts.
func (s *server) planifier(ctx context.Context, ss *session, r *http.Request) (*reply, error) {
	req, err := request[struct{ N int }](ctx, ss, r)
	if err != nil {
		return nil, err
	}
	p, err := ss.runPlan(ctx, req.N)
	if err != nil {
		return nil, err
	}
	return ss.reply(fmt.Sprintf("Planificateur : %d poste(s) proposé(s) et ajouté(s) à la simulation.", len(p.Picks))), nil
}

// annuler pops the last change.
func (s *server) annuler(ctx context.Context, ss *session, r *http.Request) (*reply, error) {
	if len(ss.edits) == 0 {
		return nil, badRequest("aucune modification à annuler")
	}
	last := ss.edits[len(ss.edits)-1]
	ss.edits = ss.edits[:len(ss.edits)-1]
	if err := ss.compute(ctx); err != nil {
		ss.edits = append(ss.edits, last)
		return nil, err
	}
	return ss.reply("Dernière modification annulée."), nil
}

// decode reads a small JSON body.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
	if err := dec.Decode(v); err != nil {
		return badRequest("requête illisible : JSON attendu (%v)", err)
	}
	return nil
}

// download sends a file of the session's current figures.
func (s *server) download(w http.ResponseWriter, r *http.Request) {
	ss := s.session(r)
	if ss == nil {
		http.Error(w, "session inconnue ou expirée : recharger la page", http.StatusForbidden)
		return
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.cur == nil {
		http.Error(w, "aucun diagnostic calculé", http.StatusNotFound)
		return
	}
	in, code := ss.cur.in, territoryFileCode(ss.terr)
	var name, ctype string
	var write func(io.Writer) error
	switch r.PathValue("fichier") {
	case "classeur":
		name, ctype = "diagnostic-"+code+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		in.Map = func() []byte { return mapPicture(report.NewMapInput(&in, ss.cur.ds)) }
		write = func(w io.Writer) error { return report.WriteWorkbook(w, in) }
	case "csv":
		name, ctype = "communes-"+code+".csv", "text/csv; charset=utf-8"
		write = func(w io.Writer) error { return report.WriteCSVColumns(w, in.Communes, in.CSVColumns()) }
	case "geojson":
		name, ctype = "communes-"+code+".geojson", "application/geo+json"
		write = func(w io.Writer) error {
			return report.WriteGeoJSON(w, in.Communes, ss.cur.ds, in.SiteResults())
		}
	case "html":
		name, ctype = "diagnostic-"+code+".html", "text/html; charset=utf-8"
		write = func(w io.Writer) error { return htmlreport.Write(w, htmlreport.NewPage(&in), htmlreport.Static) }
	case "scenario":
		if ss.cur.sc == nil {
			http.Error(w, "aucune modification : pas de scénario à télécharger", http.StatusNotFound)
			return
		}
		name, ctype = "scenario-"+code+".csv", "text/csv; charset=utf-8"
		write = func(w io.Writer) error { _, err := w.Write(ss.cur.sc); return err }
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if err := write(w); err != nil {
		http.Error(w, "écriture du fichier : "+err.Error(), http.StatusInternalServerError)
	}
}

// territoryFileCode names the files of a territory: "23", "region-75".
func territoryFileCode(t diag.Territory) string {
	switch t.Level {
	case diag.LevelRegion:
		return "region-" + strings.Join(t.Codes, "-")
	case diag.LevelFrance:
		return "france"
	}
	return strings.Join(t.Codes, "-")
}
