// diagnum — interactive report. Every text from the data is set with
// textContent or as an attribute value, never parsed as HTML.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const fmt0 = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
  const fmt1 = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
  const fmt2 = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const fmtPct = new Intl.NumberFormat("fr-FR", { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

  // Measures the map can show: column, label, format, and whether a
  // higher value is worse (coloured darker).
  const MEASURES = [
    { col: "score_ecart", label: "Score d'écart (besoin × manque d'accès)", f: fmt0, worse: true },
    { col: "couvert", label: "Couverture (site compté à portée)", f: null, worse: false, binary: true },
    { col: "temps_site_proche_min", label: "Temps au site compté le plus proche (min)", f: fmt1, worse: true },
    { col: "acces_e2sfca_pour_10k", label: "Accès E2SFCA pour 10 000 hab.", f: fmt2, worse: false },
    { col: "indice_fragilite", label: "Indice de fragilité (0–100)", f: fmt1, worse: true },
    { col: "conseillers_pour_10k", label: "Conseillers pour 10 000 hab.", f: fmt2, worse: false },
  ];
  // Columns of the communes table.
  const TABLE = [
    ["rang", "Rang", fmt0], ["code_insee", "Code INSEE"], ["nom", "Commune"], ["code_epci", "EPCI"],
    ["population", "Population", fmt0], ["nb_sites", "Sites comptés", fmt0], ["etp_conseillers", "ETP", fmt2],
    ["conseillers_pour_10k", "Conseillers / 10 000 hab.", fmt2], ["temps_site_proche_min", "Temps au site (min)", fmt1],
    ["couvert", "Couverte"], ["acces_e2sfca_pour_10k", "Accès E2SFCA / 10 000", fmt2],
    ["indice_fragilite", "Fragilité", fmt1], ["score_ecart", "Score d'écart", fmt0],
  ];

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  };

  let D = null;            // the page data
  let col = {};            // column name -> index
  let shapes = [];         // SVG element per commune row (null when not drawn)
  let byCode = new Map();  // INSEE code -> row index
  let measure = MEASURES[0];
  let view = null;         // current viewBox [x, y, w, h]
  let chosen = -1;         // commune picked by search or click
  const state = { communesSort: { col: "rang", asc: true }, showAll: false, epciSort: { col: "couverture", asc: true } };

  const val = (r, c) => D.communes[r][col[c]];
  const label = (r) => val(r, "nom") + " (" + val(r, "code_insee") + ")";
  const show = (v, f) => (v === null || v === undefined ? "—" : f ? f.format(v) : String(v));

  // ---- classes (same rule as the workbook's map: empirical quantiles k/5)
  function classes(m) {
    if (m.binary) {
      const p = D.palettes[1];
      return { binary: true, colors: m.worse ? p : [p[1], p[0]], labels: ["non couverte", "couverte"] };
    }
    const v = [];
    for (let r = 0; r < D.communes.length; r++) {
      const x = val(r, m.col);
      if (typeof x === "number" && isFinite(x)) v.push(x);
    }
    if (!v.length) return { upper: [], colors: [], counts: [] };
    v.sort((a, b) => a - b);
    const up = [];
    for (let k = 1; k <= 5; k++) {
      const p = k / 5;
      let cum = 0, q = v[v.length - 1];
      for (let i = 0; i < v.length; i++) { cum += 1; if (cum >= p * v.length) { q = v[i]; break; } }
      if (!up.length || q > up[up.length - 1]) up.push(q);
    }
    let colors = D.palettes[up.length - 1].slice();
    if (!m.worse) colors.reverse();
    const counts = up.map(() => 0);
    for (const x of v) counts[classOf(up, x)]++;
    return { min: v[0], upper: up, colors: colors, counts: counts };
  }
  function classOf(up, x) {
    for (let i = 0; i < up.length; i++) if (x <= up[i]) return i;
    return up.length - 1;
  }
  function colorOf(cl, r) {
    const x = val(r, measure.col);
    if (cl.binary) return x === null ? D.sans_valeur : cl.colors[x ? 1 : 0];
    if (typeof x !== "number" || !cl.upper.length) return D.sans_valeur;
    return cl.colors[classOf(cl.upper, x)];
  }

  // ---- key figures
  function figures() {
    const t = $("table-chiffres");
    t.tHead.replaceChildren();
    t.tBodies[0].replaceChildren();
    const h = el("tr");
    h.append(el("th", "Indicateur", { scope: "col" }));
    for (const a of D.zones) h.append(el("th", a, { scope: "col" }));
    t.tHead.append(h);
    for (const f of D.chiffres) {
      const tr = el("tr");
      tr.append(el("th", f.libelle, { scope: "row" }));
      for (const v of f.valeurs) {
        let s = "—";
        if (typeof v === "number") s = f.format === "pourcentage" ? fmtPct.format(v) : f.format === "entier" ? fmt0.format(v) : fmt2.format(v);
        else if (typeof v === "string") s = v;
        tr.append(el("td", s));
      }
      t.tBodies[0].append(tr);
    }
  }

  // ---- map
  function drawMap() {
    const svg = $("svg-carte");
    svg.replaceChildren();
    shapes = new Array(D.communes.length).fill(null);
    const m = D.carte;
    if (!m) { $("note-carte").textContent = "Aucune commune du territoire n'a de contour ni de point : pas de carte."; return; }
    view = [0, 0, m.largeur, m.hauteur];
    svg.setAttribute("viewBox", view.join(" "));
    const g = document.createElementNS(SVG, "g");
    g.setAttribute("id", "communes-carte");
    const dots = document.createElementNS(SVG, "g");
    const few = D.communes.length <= 1500;
    let nPoly = 0, nDot = 0;
    for (let r = 0; r < D.communes.length; r++) {
      let s = null;
      if (m.formes[r]) {
        s = document.createElementNS(SVG, "path");
        s.setAttribute("d", m.formes[r]);
        s.setAttribute("fill-rule", "evenodd");
        g.append(s); nPoly++;
      } else if (m.points[r]) {
        s = document.createElementNS(SVG, "circle");
        s.setAttribute("cx", m.points[r][0]);
        s.setAttribute("cy", m.points[r][1]);
        // Area proportional to the population: 15 m of radius per √inhabitant.
        s.setAttribute("r", Math.max(m.largeur / 700, (Math.sqrt(val(r, "population") || 0) * 15) / m.unite).toFixed(1));
        dots.append(s); nDot++;
      }
      if (!s) continue;
      s.setAttribute("class", "commune");
      s.dataset.code = val(r, "code_insee");
      s.dataset.row = r;
      if (few) { s.setAttribute("tabindex", "0"); s.setAttribute("aria-label", label(r)); }
      shapes[r] = s;
    }
    svg.append(g, dots);
    const sg = document.createElementNS(SVG, "g");
    sg.setAttribute("id", "sites-carte");
    D.sites.forEach((st, i) => {
      if (!st.xy) return;
      const c = document.createElementNS(SVG, "circle");
      c.setAttribute("cx", st.xy[0]);
      c.setAttribute("cy", st.xy[1]);
      c.setAttribute("class", st.compte ? "site compte" : "site autre");
      c.setAttribute("stroke", D.types[st.type].couleur);
      if (st.compte) c.setAttribute("fill", D.types[st.type].couleur);
      c.dataset.site = i;
      sg.append(c);
    });
    (D.propositions || []).forEach((p, i) => {
      if (!p.xy) return;
      const t = document.createElementNS(SVG, "path");
      t.setAttribute("class", "proposition");
      t.dataset.pick = i;
      t.dataset.x = p.xy[0]; t.dataset.y = p.xy[1];
      sg.append(t);
    });
    svg.append(sg);
    const notes = [];
    notes.push(nPoly + " commune(s) dessinée(s) par leur contour, " + nDot + " par un cercle (contour non disponible) ; projection " + D.projection + ".");
    if (m.omises) notes.push(m.omises + " commune(s) non dessinée(s) (sans géométrie, ou outre-mer sur une carte de l'Hexagone) : elles figurent dans les tableaux.");
    $("note-carte").textContent = notes.join(" ");
    sizeMarks();
  }
  function paint() {
    const cl = classes(measure);
    for (let r = 0; r < shapes.length; r++) if (shapes[r]) shapes[r].setAttribute("fill", colorOf(cl, r));
    legend(cl);
  }
  function legend(cl) {
    const L = $("legende");
    L.replaceChildren(el("h3", measure.label));
    const ul = el("ul");
    const item = (color, text, cls) => {
      const li = el("li", null, cls ? { class: cls } : {});
      const sw = el("span", null, { class: "pastille", "aria-hidden": "true" });
      sw.style.background = color;
      li.append(sw, el("span", text));
      ul.append(li);
    };
    if (cl.binary) {
      item(cl.colors[0], cl.labels[0]); item(cl.colors[1], cl.labels[1]);
    } else {
      let lo = cl.min;
      cl.upper.forEach((u, i) => {
        item(cl.colors[i], show(lo, measure.f) + " – " + show(u, measure.f) + " (" + cl.counts[i] + ")", "classe");
        lo = u;
      });
    }
    item(D.sans_valeur, "sans valeur");
    L.append(ul, el("h3", "Lieux"));
    const ul2 = el("ul");
    D.types.forEach((k) => {
      const n = D.sites.filter((s) => D.types[s.type] === k);
      if (!n.length) return;
      const c = n.filter((s) => s.compte).length;
      const li = el("li");
      const sw = el("span", null, { class: c ? "rond plein" : "rond vide", "aria-hidden": "true" });
      sw.style.borderColor = k.couleur;
      if (c) sw.style.background = k.couleur;
      li.append(sw, el("span", k.libelle + " : " + c + " compté(s), " + (n.length - c) + " non compté(s)"));
      ul2.append(li);
    });
    const li = el("li");
    li.append(el("span", null, { class: "rond vide", "aria-hidden": "true" }), el("span", "cercle vide : lieu non compté dans l'offre"));
    ul2.append(li);
    if ((D.propositions || []).length) ul2.append(el("li", "★ poste proposé par le planificateur"));
    L.append(ul2);
  }
  function sizeMarks() {
    if (!D.carte) return;
    const k = view[2] / D.carte.largeur;
    // Markers shrink when there are many sites on the map (all France).
    const r0 = Math.max(4, Math.min(20, 20 * Math.sqrt(400 / Math.max(1, D.sites.length))));
    document.querySelectorAll("#sites-carte circle").forEach((c) => c.setAttribute("r", r0 * k));
    document.querySelectorAll("#sites-carte .proposition").forEach((t) => {
      const x = +t.dataset.x, y = +t.dataset.y, R = 30 * k, r = 12 * k;
      let d = "";
      for (let i = 0; i < 10; i++) {
        const a = Math.PI / 5 * i - Math.PI / 2, q = i % 2 ? r : R;
        d += (i ? "L" : "M") + (x + q * Math.cos(a)).toFixed(1) + " " + (y + q * Math.sin(a)).toFixed(1);
      }
      t.setAttribute("d", d + "z");
    });
    $("svg-carte").style.setProperty("--trait", (1.2 * k).toString());
  }
  function setView(v) {
    view = v;
    $("svg-carte").setAttribute("viewBox", v.map((x) => x.toFixed(1)).join(" "));
    sizeMarks();
  }
  function zoom(f, cx, cy) {
    if (!view) return;
    const w = Math.min(D.carte.largeur * 1.2, Math.max(D.carte.largeur / 200, view[2] * f));
    const h = view[3] * (w / view[2]);
    if (cx === undefined) { cx = view[0] + view[2] / 2; cy = view[1] + view[3] / 2; }
    setView([cx - (cx - view[0]) * (w / view[2]), cy - (cy - view[1]) * (h / view[3]), w, h]);
  }
  function svgPoint(ev) {
    const svg = $("svg-carte"), b = svg.getBoundingClientRect();
    const s = Math.max(view[2] / b.width, view[3] / b.height);
    const ox = view[0] + view[2] / 2 - (b.width * s) / 2, oy = view[1] + view[3] / 2 - (b.height * s) / 2;
    return [ox + (ev.clientX - b.left) * s, oy + (ev.clientY - b.top) * s];
  }

  // ---- tooltips
  function communeInfo(r) {
    const lines = [label(r), "Population : " + show(val(r, "population"), fmt0) + " — rang " + show(val(r, "rang"), fmt0)];
    lines.push("Couverte : " + (val(r, "couvert") ? "oui" : "non") + " ; temps au site le plus proche : " + show(val(r, "temps_site_proche_min"), fmt1) + " min");
    lines.push("Accès E2SFCA : " + show(val(r, "acces_e2sfca_pour_10k"), fmt2) + " pour 10 000 hab. ; fragilité : " + show(val(r, "indice_fragilite"), fmt1));
    lines.push("Score d'écart : " + show(val(r, "score_ecart"), fmt0) + " ; sites comptés : " + show(val(r, "nb_sites"), fmt0) + ", " + show(val(r, "etp_conseillers"), fmt2) + " ETP");
    return lines;
  }
  function siteInfo(i) {
    const s = D.sites[i];
    return [s.nom, D.types[s.type].libelle + (s.compte ? " — compté dans l'offre" : " — non compté dans l'offre"),
      "ETP : " + fmt2.format(s.etp) + " ; commune " + s.commune, "Identifiant : " + s.id];
  }
  function pickInfo(i) {
    const p = D.propositions[i];
    return ["Poste proposé n° " + p.rang + " : " + p.nom, "Commune : " + p.commune,
      "Nouveaux habitants couverts : " + fmt0.format(p.nouveaux_couverts) + " ; couverture cumulée " + fmtPct.format(p.couverture)];
  }
  function info(lines, ev) {
    const b = $("infobulle");
    b.replaceChildren(...lines.map((l, i) => el(i ? "div" : "strong", l)));
    b.classList.add("visible");
    if (ev && ev.clientX !== undefined) {
      const box = $("carte").getBoundingClientRect();
      b.style.left = Math.min(ev.clientX - box.left + 14, box.width - 300) + "px";
      b.style.top = ev.clientY - box.top + 14 + "px";
    }
  }
  function target(ev) {
    const t = ev.target;
    if (!t || !t.dataset) return null;
    if (t.dataset.row !== undefined) return { row: +t.dataset.row };
    if (t.dataset.site !== undefined) return { site: +t.dataset.site };
    if (t.dataset.pick !== undefined) return { pick: +t.dataset.pick };
    return null;
  }
  function describe(h, ev) {
    if (!h) return;
    if (h.row !== undefined) info(communeInfo(h.row), ev);
    else if (h.site !== undefined) info(siteInfo(h.site), ev);
    else info(pickInfo(h.pick), ev);
  }
  function choose(r, zoomTo) {
    if (chosen >= 0 && shapes[chosen]) shapes[chosen].classList.remove("choisie");
    chosen = r;
    if (r < 0) return;
    info(communeInfo(r));
    const s = shapes[r];
    if (!s) return;
    s.classList.add("choisie");
    s.parentNode.append(s);
    if (zoomTo) {
      const b = s.getBBox(), side = Math.max(b.width, b.height, D.carte.largeur / 25) * 3;
      setView([b.x + b.width / 2 - side / 2, b.y + b.height / 2 - side / 2, side, side]);
    }
  }
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return -1;
    const m = q.match(/\(([0-9ab]{5})\)\s*$/i);
    if (m && byCode.has(m[1].toUpperCase())) return byCode.get(m[1].toUpperCase());
    if (byCode.has(q.toUpperCase())) return byCode.get(q.toUpperCase());
    const norm = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    const nq = norm(q);
    let best = -1;
    for (let r = 0; r < D.communes.length; r++) {
      const n = norm(val(r, "nom"));
      if (n === nq) return r;
      if (best < 0 && n.startsWith(nq)) best = r;
    }
    if (best >= 0) return best;
    for (let r = 0; r < D.communes.length; r++) if (norm(val(r, "nom")).includes(nq)) return r;
    return -1;
  }

  // ---- tables
  // header draws the sortable head of a table: a click on a column sorts
  // by it (sort.col), reversing the order on a second click (sort.asc),
  // then redraws the table.
  function header(table, cols, sort, redraw) {
    const tr = el("tr");
    for (const c of cols) {
      const th = el("th", null, { scope: "col" });
      if (c[0] === sort.col) th.setAttribute("aria-sort", sort.asc ? "ascending" : "descending");
      const b = el("button", c[1], { type: "button", "data-col": c[0] });
      b.addEventListener("click", () => {
        sort.asc = sort.col === c[0] ? !sort.asc : true;
        sort.col = c[0];
        redraw();
      });
      th.append(b);
      tr.append(th);
    }
    table.tHead.replaceChildren(tr);
  }
  function compare(a, b) {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "fr");
  }
  function communesTable() {
    const t = $("table-communes");
    header(t, TABLE, state.communesSort, communesTable);
    const q = $("filtre-communes").value.trim().toLowerCase();
    const only = $("filtre-non-couvertes").checked;
    let rows = [];
    for (let r = 0; r < D.communes.length; r++) {
      if (only && val(r, "couvert")) continue;
      if (q && !(val(r, "nom").toLowerCase().includes(q) || val(r, "code_insee").toLowerCase().includes(q) || String(val(r, "code_epci")).includes(q))) continue;
      rows.push(r);
    }
    const c = state.communesSort.col, dir = state.communesSort.asc ? 1 : -1;
    rows.sort((a, b) => {
      const x = val(a, c), y = val(b, c);
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1;
      return dir * compare(x, y) || compare(val(a, "rang"), val(b, "rang"));
    });
    $("compte-communes").textContent = rows.length + " commune(s)";
    const limit = state.showAll ? rows.length : 500;
    $("plus-communes").hidden = rows.length <= limit;
    const body = document.createElement("tbody");
    for (const r of rows.slice(0, limit)) {
      const tr = el("tr", null, { "data-code": val(r, "code_insee") });
      for (const k of TABLE) {
        let v = val(r, k[0]);
        if (k[0] === "couvert") v = v ? "oui" : "non";
        const td = el("td", show(v, k[2]));
        if (k[2]) td.className = "nombre";
        tr.append(td);
      }
      tr.addEventListener("click", () => choose(r, true));
      body.append(tr);
    }
    t.tBodies[0].replaceWith(body);
  }
  const EPCI_COLS = [["nom", "EPCI"], ["code", "SIREN"], ["communes_territoire", "Communes du territoire", fmt0], ["communes", "Communes", fmt0],
    ["population", "Population", fmt0], ["sites", "Sites comptés", fmt0], ["etp", "ETP", fmt2], ["pour_10k", "Conseillers / 10 000 hab.", fmt2],
    ["couverture", "Taux de couverture", fmtPct], ["non_couverts", "Population non couverte", fmt0], ["acces", "Accès E2SFCA moyen", fmt2]];
  function epciTable() {
    const t = $("table-epci");
    header(t, EPCI_COLS, state.epciSort, epciTable);
    const q = $("filtre-epci").value.trim().toLowerCase();
    const rows = D.epci.filter((e) => !q || e.nom.toLowerCase().includes(q) || e.code.includes(q));
    const c = state.epciSort.col, dir = state.epciSort.asc ? 1 : -1;
    rows.sort((a, b) => dir * compare(a[c], b[c]) || compare(a.code, b.code));
    const body = document.createElement("tbody");
    for (const e of rows) {
      const tr = el("tr");
      for (const k of EPCI_COLS) {
        const td = el("td", show(e[k[0]], k[2]));
        if (k[2]) td.className = "nombre";
        tr.append(td);
      }
      body.append(tr);
    }
    t.tBodies[0].replaceWith(body);
  }
  function simpleTable(id, heads, rows) {
    const t = $(id);
    const h = el("tr");
    heads.forEach((x) => h.append(el("th", x, { scope: "col" })));
    t.tHead.replaceChildren(h);
    const body = document.createElement("tbody");
    for (const r of rows) {
      const tr = el("tr");
      r.forEach((x) => tr.append(el("td", x)));
      body.append(tr);
    }
    t.tBodies[0].replaceWith(body);
  }
  function zonesBlanches() {
    const rows = [];
    let pop = 0;
    for (let r = 0; r < D.communes.length; r++) {
      if (val(r, "couvert")) continue;
      pop += val(r, "population") || 0;
      rows.push(r);
    }
    rows.sort((a, b) => compare(val(b, "population"), val(a, "population")) || compare(val(a, "code_insee"), val(b, "code_insee")));
    $("resume-zb").textContent = rows.length + " commune(s) sans site compté à " + fmt1.format(D.seuil) + " min ou moins, " + fmt0.format(pop) + " habitant(s).";
    simpleTable("table-zb", ["Commune", "Code INSEE", "Population", "Temps au site le plus proche (min)", "Fragilité", "Rang"],
      rows.map((r) => [val(r, "nom"), val(r, "code_insee"), show(val(r, "population"), fmt0), show(val(r, "temps_site_proche_min"), fmt1), show(val(r, "indice_fragilite"), fmt1), show(val(r, "rang"), fmt0)]));
  }
  function proposals() {
    const p = D.propositions || [];
    $("propositions").hidden = !p.length;
    $("lien-propositions").hidden = !p.length;
    $("resume-plan").textContent = D.plan || "";
    simpleTable("table-propositions", ["N°", "Lieu", "Commune", "Nouveaux habitants couverts", "Habitants fragiles couverts", "Couverture cumulée", "Subvention (€)"],
      p.map((x) => [x.rang, x.nom, x.commune, fmt0.format(x.nouveaux_couverts), fmt0.format(x.nouveaux_fragiles), fmtPct.format(x.couverture), fmt0.format(x.cout)]));
  }
  function method() {
    const box = $("contenu-methodo");
    box.replaceChildren();
    for (const s of D.methode) {
      box.append(el("h3", s.Title));
      const dl = el("dl");
      for (const r of s.Rows) dl.append(el("dt", r.Name), el("dd", r.Text));
      box.append(dl);
    }
    simpleTable("table-sources", ["Source", "Titre", "Producteur", "Date", "Licence", "Mention"],
      (D.sources || []).map((s) => [s.nom, s.titre, s.producteur, s.date, s.licence, s.attribution]));
    const c = D.controles;
    $("resume-controles").textContent = c.rejetees + " ligne(s) rejetée(s), " + c.signalees + " signalée(s) (le classeur les liste toutes dans l'onglet Contrôles).";
    $("liste-controles").replaceChildren(...(c.premieres || []).map((m) => el("li", m)));
  }

  // ---- wiring
  function load(data) {
    D = data;
    col = {};
    D.colonnes.forEach((c, i) => (col[c] = i));
    byCode = new Map();
    D.communes.forEach((_, r) => byCode.set(val(r, "code_insee"), r));
    document.title = D.titre;
    $("titre").textContent = D.titre;
    $("genere").textContent = "Généré le " + D.date + " par diagnum " + D.version + ". Les mesures sont calculées sur toute la France, puis restituées pour le territoire.";
    const dl = $("liste-communes");
    dl.replaceChildren(...D.communes.slice(0, 5000).map((_, r) => el("option", null, { value: label(r) })));
    chosen = -1;
    figures();
    drawMap();
    paint();
    proposals();
    communesTable();
    epciTable();
    zonesBlanches();
    method();
  }
  // update replaces the measures, keeping the map's geometry and view
  // (the app sends new figures for the same territory).
  function update(data) {
    const v = view, c = chosen;
    if (!data.carte) data.carte = D.carte;
    load(data);
    if (v) setView(v);
    if (c >= 0 && c < D.communes.length) choose(c, false);
  }

  function init() {
    const sel = $("mesure");
    MEASURES.forEach((m, i) => sel.append(el("option", m.label, { value: m.col })));
    sel.addEventListener("change", () => { measure = MEASURES.find((m) => m.col === sel.value); paint(); });
    const svg = $("svg-carte");
    svg.addEventListener("mousemove", (ev) => describe(target(ev), ev));
    svg.addEventListener("focusin", (ev) => describe(target(ev)));
    svg.addEventListener("keydown", (ev) => {
      const step = view ? view[2] / 10 : 0;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (moves[ev.key] && ev.target === svg) { setView([view[0] + moves[ev.key][0], view[1] + moves[ev.key][1], view[2], view[3]]); ev.preventDefault(); }
      else if (ev.key === "+" || ev.key === "=") zoom(0.7);
      else if (ev.key === "-") zoom(1 / 0.7);
      else if (ev.key === "Enter" || ev.key === " ") {
        const h = target(ev);
        if (h) {
          // As a click: the commune is picked (and, in the app, the change made).
          if (h.row !== undefined) choose(h.row, false);
          svg.dispatchEvent(new CustomEvent("choix", { detail: h }));
          ev.preventDefault();
        }
      }
    });
    svg.addEventListener("wheel", (ev) => { ev.preventDefault(); const p = svgPoint(ev); zoom(ev.deltaY > 0 ? 1.25 : 0.8, p[0], p[1]); }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (ev) => { drag = { x: ev.clientX, y: ev.clientY, v: view.slice(), moved: false }; });
    svg.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const b = svg.getBoundingClientRect(), s = Math.max(view[2] / b.width, view[3] / b.height);
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
      if (drag.moved) setView([drag.v[0] - dx * s, drag.v[1] - dy * s, view[2], view[3]]);
    });
    svg.addEventListener("pointerup", (ev) => {
      const d = drag;
      drag = null;
      if (d && d.moved) return;
      const h = target(ev);
      if (!h) return;
      if (h.row !== undefined) choose(h.row, false);
      svg.dispatchEvent(new CustomEvent("choix", { detail: h }));
    });
    svg.addEventListener("pointerleave", () => (drag = null));
    $("zoom-plus").addEventListener("click", () => zoom(0.7));
    $("zoom-moins").addEventListener("click", () => zoom(1 / 0.7));
    $("zoom-tout").addEventListener("click", () => D.carte && setView([0, 0, D.carte.largeur, D.carte.hauteur]));
    $("voir-comptes").addEventListener("change", (e) => svg.classList.toggle("sans-comptes", !e.target.checked));
    $("voir-autres").addEventListener("change", (e) => svg.classList.toggle("sans-autres", !e.target.checked));
    const find = () => {
      const r = search($("recherche").value);
      if (r < 0) { info(["Aucune commune ne correspond à « " + $("recherche").value + " »."]); return; }
      choose(r, true);
    };
    $("recherche").addEventListener("change", find);
    $("recherche").addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); find(); } });
    $("filtre-communes").addEventListener("input", communesTable);
    $("filtre-non-couvertes").addEventListener("change", communesTable);
    $("plus-communes").addEventListener("click", () => { state.showAll = true; communesTable(); });
    $("filtre-epci").addEventListener("input", epciTable);
    const raw = $("donnees");
    if (raw.type !== "application/gzip") { load(JSON.parse(raw.textContent)); return; }
    // A large report holds its data gzip-compressed in base64 (URL
    // alphabet): unpacked here, with no network.
    if (typeof DecompressionStream === "undefined") {
      info(["Ce navigateur est trop ancien pour ouvrir ce rapport compressé : il faut Chrome ou Edge 80, Firefox 113, Safari 16.4 ou plus récent."]);
      return;
    }
    info(["Chargement des données…"]);
    const bin = atob(raw.textContent.trim().replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
      .then((txt) => { load(JSON.parse(txt)); $("infobulle").classList.remove("visible"); })
      .catch((e) => info(["Données du rapport illisibles : " + e.message]));
  }
  // ---- the app of diagnum serve: every change goes through the server,
  // which sends back the whole page's data.
  function app() {
    const token = document.querySelector('meta[name="diagnum-jeton"]').content;
    let busy = false;
    const say = (msg, error) => {
      const m = $("message");
      m.textContent = msg;
      m.classList.toggle("erreur", !!error);
    };
    const settings = (r) => {
      if (!r) return;
      $("niveau").value = r.niveau;
      $("code").value = r.code;
      $("seuil").value = r.seuil;
      document.querySelectorAll('input[name="offre"]').forEach((c) => (c.checked = (r.offre || []).includes(c.value)));
      $("lieux-seuls").checked = !!r.lieux_seuls;
    };
    const apply = (rep, fresh) => {
      if (fresh) load(rep.page); else update(rep.page);
      settings(rep.reglages);
      say(rep.message, false);
      const list = rep.rejets || [];
      $("rejets").hidden = !list.length;
      $("liste-rejets").replaceChildren(...list.map((x) => el("li", x)));
      $("modifs").textContent = rep.modifs ? rep.modifs + " modification(s) en cours" : "aucune modification";
      $("annuler").disabled = !rep.modifs;
    };
    async function send(url, body, fresh) {
      if (busy) return;
      busy = true;
      document.body.classList.add("calcul");
      say("Calcul en cours…", false);
      const t0 = performance.now();
      try {
        const opts = { method: "POST", headers: { "X-Diagnum-Jeton": token }, credentials: "same-origin", body: body };
        if (!(body instanceof FormData)) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body || {}); }
        const res = await fetch(url, opts);
        let rep = null;
        try { rep = await res.json(); } catch (e) { rep = { erreur: "réponse illisible du serveur (" + res.status + ")" }; }
        if (!res.ok || rep.erreur) { say(rep.erreur || "erreur " + res.status, true); return; }
        apply(rep, fresh);
        $("message").dataset.duree = Math.round(performance.now() - t0);
      } catch (e) {
        say("Le serveur ne répond pas : " + e.message, true);
      } finally {
        busy = false;
        document.body.classList.remove("calcul");
      }
    }
    settings(D.reglages);
    $("annuler").disabled = true;
    $("modifs").textContent = "aucune modification";
    $("svg-carte").addEventListener("choix", (ev) => {
      const h = ev.detail;
      if (h.row !== undefined) send("/api/ajout", { code: val(h.row, "code_insee") });
      else if (h.site !== undefined) {
        const s = D.sites[h.site];
        if (confirm("Retirer le lieu « " + s.nom + " » ?")) send("/api/suppression", { id: s.id });
      }
    });
    $("form-calcul").addEventListener("submit", (ev) => { ev.preventDefault(); send("/api/calcul", new FormData(ev.target), true); });
    $("form-plan").addEventListener("submit", (ev) => { ev.preventDefault(); send("/api/plan", { n: +$("n-postes").value }); });
    $("annuler").addEventListener("click", () => send("/api/annuler", {}));
    window.diagnum.send = send;
  }

  window.diagnum = { load: load, update: update, data: () => D, search: search, choose: choose };
  init();
  if (document.body.dataset.mode === "app") app();
})();
