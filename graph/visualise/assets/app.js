/* cpkg pages: one script for the overview, network, lineage, actor and timeline pages.
 *
 * All data comes from the JSON block #cpkg-data (read with JSON.parse, never evaluated).
 * Every element is built with createElement/textContent: no data ever reaches innerHTML
 * (the page's Content-Security-Policy requires Trusted Types, so such a call would throw),
 * links get an href only when they are http(s), and tooltips are plain text in our own
 * element (vis-network's `title` popups are not used).
 *
 * Time rule (computed in Python, see graph/visualise/data.py): a fact shows on day D
 * when its window [from, until] contains D (open ends are open); an undated fact always
 * shows and its line is dashed; an actor shows when it is alive on D (a party between its
 * founding and its rename or dissolution) and has a shown line, or no dated lines, or a
 * stated beginning (a party known to exist on D stays on the map without lines).
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("cpkg-data").textContent);
  var PAGE = DATA.page;
  var SITE = !!DATA.site;
  var PANEL_LIMIT = 200;
  var ROW_STEP = 400;

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /* An href only for http(s); anything else (javascript:, data:, relative) is shown as text. */
  function safeUrl(u) {
    if (typeof u !== "string") return null;
    var t = u.trim();
    if (!/^https?:\/\//i.test(t)) return null;
    try {
      var p = new URL(t);
      return (p.protocol === "http:" || p.protocol === "https:") ? p.href : null;
    } catch (e) { return null; }
  }

  function norm(s) {
    return String(s || "").normalize("NFC").toLowerCase()
      .replace(/[\u200b\u200c\u200d\ufeff]/g, "").replace(/[\s\u00a0]+/g, " ").trim();
  }

  function entityHref(id) { return "entity.html#" + encodeURIComponent(id); }

  /* ---------------------------------------------------------------- indexes */

  var actors = new Map();
  DATA.actors.forEach(function (a) { actors.set(a.id, a); });
  var facts = DATA.facts;
  var sources = DATA.sources;
  var typeInfo = new Map();
  DATA.types.forEach(function (t) { typeInfo.set(t.name, t); });
  var catInfo = new Map();
  DATA.categories.forEach(function (c) { catInfo.set(c.key, c); });

  var factsOf = new Map();
  var neighbours = new Map();
  var datedActor = new Set();
  function push(map, k, v) { var l = map.get(k); if (!l) { l = []; map.set(k, l); } l.push(v); }
  facts.forEach(function (f, i) {
    push(factsOf, f.s, i);
    if (f.o && f.o !== f.s) {
      push(factsOf, f.o, i);
      push(neighbours, f.s, f.o);
      push(neighbours, f.o, f.s);
      if (f.w) { datedActor.add(f.s); datedActor.add(f.o); }
    }
  });

  var net = DATA.net || { nodes: [], edges: [], options: {} };
  var netNodeById = new Map();
  net.nodes.forEach(function (n) { netNodeById.set(n.id, n); });
  var edgeById = new Map();
  net.edges.forEach(function (e) { edgeById.set(e.id, e); });

  var state = {
    types: new Set(DATA.types.map(function (t) { return t.name; })),
    cats: new Set(DATA.categories.map(function (c) { return c.key; })),
    party: "",
    partySet: null,
    asOf: null,
    focus: null,
    focusSet: null,
    centre: null,
    rows: ROW_STEP
  };

  /* ---------------------------------------------------------------- dates */

  var DAY = 86400000;
  function dayNumber(iso) {
    return Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY);
  }
  function isoOf(n) { return new Date(n * DAY).toISOString().slice(0, 10); }

  function factAt(f, d) {
    if (!f.w) return true;
    return (!f.w[0] || f.w[0] <= d) && (!f.w[1] || d <= f.w[1]);
  }
  function aliveAt(a, d) {
    if (!a || !a.life) return true;
    return (!a.life[0] || a.life[0] <= d) && (!a.life[1] || d <= a.life[1]);
  }
  function detainedAt(a, d) {
    if (!a || !a.jail || !d) return false;
    return a.jail.some(function (p) { return (!p[0] || p[0] <= d) && (!p[1] || d <= p[1]); });
  }
  function dateText(f) {
    if (f.a || f.b) {
      if (f.a && f.b) return f.a + " \u2013 " + f.b;
      return f.a ? "from " + f.a : "until " + f.b;
    }
    return f.d || "undated";
  }

  /* ---------------------------------------------------------------- text bits */

  function label(id) { var a = actors.get(id); return a ? a.label : id; }
  function typeLabel(t) { var i = typeInfo.get(t); return i ? i.label : t; }

  function swatch(type) {
    var t = typeInfo.get(type);
    var s = el("span", "swatch", t ? t.glyph : "\u25cf");
    s.style.color = t ? t.color : "#999";
    s.setAttribute("aria-hidden", "true");
    return s;
  }

  function actorButton(id) {
    var b = el("button", "actor-link", label(id));
    b.type = "button";
    b.dataset.actor = id;
    var a = actors.get(id);
    if (a) b.prepend(swatch(a.type));
    b.addEventListener("click", function () { chooseActor(id); });
    return b;
  }

  function sourceBlock(f) {
    var box = el("div", "source");
    var s = typeof f.src === "number" ? sources[f.src] : null;
    if (!s) { box.append(el("span", "missing", "source not recorded")); return box; }
    box.append(el("span", "src-label", "Source: "));
    box.append(el("span", "publisher", s.publisher || "unknown publisher"));
    box.append(document.createTextNode(", "));
    box.append(el("span", "published", s.published || "undated"));
    var href = safeUrl(s.url);
    var text = s.title || s.url || s.id;
    box.append(document.createTextNode(" \u2014 "));
    if (href) {
      var link = el("a", "src-link", text);
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      box.append(link);
    } else {
      box.append(el("span", "src-title", text));
      if (s.url) box.append(el("span", "src-url", " (" + s.url + ")"));
    }
    return box;
  }

  function factItem(f) {
    var li = el("li", "fact");
    li.dataset.fact = f.id;
    var head = el("div", "fact-head");
    head.append(el("span", "when" + (f.w ? "" : " undated"), dateText(f)));
    var cat = catInfo.get(f.cat);
    if (cat) head.append(el("span", "cat cat-" + f.cat, cat.label));
    if (f.st) head.append(el("span", "badge", f.st));
    if (f.x) head.append(el("span", "badge", "expected"));
    if (f.f) head.append(el("span", "badge", "former"));
    if (typeof f.c === "number") head.append(el("span", "badge", "confidence " + f.c));
    li.append(head);
    var line = el("div", "fact-line");
    line.append(actorButton(f.s), " ", el("span", "kind", f.k), " ");
    if (f.o) line.append(actorButton(f.o));
    if (f.v !== undefined && f.v !== null) {
      line.append(" ", actors.has(f.v) ? actorButton(f.v) : el("span", "value", f.v));
    }
    li.append(line);
    if (f.n) li.append(el("div", "note", "Note: " + f.n));
    li.append(sourceBlock(f));
    if (f.q) li.append(el("blockquote", "quote", "\u201c" + f.q + "\u201d"));
    return li;
  }

  function factList(indices) {
    var ul = el("ul", "facts");
    var shown = 0;
    function more() {
      var stop = Math.min(indices.length, shown + PANEL_LIMIT);
      for (; shown < stop; shown++) ul.append(factItem(facts[indices[shown]]));
      if (shown < indices.length) {
        var li = el("li", "more");
        var b = el("button", "", "Show " + Math.min(PANEL_LIMIT, indices.length - shown) + " more of " + (indices.length - shown));
        b.type = "button";
        b.addEventListener("click", function () { li.remove(); more(); });
        li.append(b);
        ul.append(li);
      }
    }
    more();
    return ul;
  }

  /* ---------------------------------------------------------------- side panel */

  var panel = $("panel");

  function showActor(id) {
    panel.replaceChildren();
    var a = actors.get(id);
    var h = el("h2", "panel-title");
    if (a) h.append(swatch(a.type));
    h.append(document.createTextNode(label(id)));
    panel.append(h);
    if (a) {
      panel.append(el("p", "type", typeLabel(a.type)));
      if (a.aliases && a.aliases.length) panel.append(el("p", "aliases", "Also called: " + a.aliases.join(", ")));
      if (a.desc) panel.append(el("p", "desc", a.desc));
      if (a.life) panel.append(el("p", "life", "On the map " + (a.life[0] ? "from " + a.life[0] : "") + (a.life[1] ? " until " + a.life[1] : "")));
      if (a.jail) {
        panel.append(el("p", "life", "In detention: " + a.jail.map(function (p) {
          return (p[0] || "?") + " \u2013 " + (p[1] || "no release reported");
        }).join("; ")));
      }
    }
    var actions = el("div", "actions");
    if (PAGE !== "index") {
      var fb = el("button", "focus-btn", "Focus on its neighbourhood");
      fb.type = "button";
      fb.addEventListener("click", function () { setFocus(id); });
      actions.append(fb);
    }
    if (PAGE === "entity" && id !== state.centre && netNodeById.has(id)) {
      var cb = el("button", "centre-btn", "Put it at the centre");
      cb.type = "button";
      cb.addEventListener("click", function () { goCentre(id); });
      actions.append(cb);
    }
    if (SITE && PAGE !== "entity") {
      var link = el("a", "page-link", "Open its page");
      link.href = entityHref(id);
      actions.append(link);
    }
    if (PAGE !== "index" && PAGE !== "timeline" && !netNodeById.has(id)) {
      actions.append(el("span", "note", "Not drawn on this page."));
    } else if (nodesDS && nodesDS.get(id) && nodesDS.get(id).hidden) {
      actions.append(el("span", "note", "Hidden by the current filters."));
    }
    panel.append(actions);
    var mine = factsOf.get(id) || [];
    panel.append(el("h3", "", mine.length + (mine.length === 1 ? " fact" : " facts") + ", in date order"));
    panel.append(factList(mine));
    panel.scrollTop = 0;
  }

  function showEdge(eid) {
    var e = edgeById.get(eid);
    if (!e) return;
    panel.replaceChildren();
    var h = el("h2", "panel-title");
    h.append(actorButton(e.from), document.createTextNode(" \u2014 "), actorButton(e.to));
    panel.append(h);
    panel.append(el("h3", "", e.facts.length + (e.facts.length === 1 ? " fact" : " facts") + " on this line"));
    panel.append(factList(e.facts));
    panel.scrollTop = 0;
  }

  /* ---------------------------------------------------------------- filters */

  function hops(start, k) {
    var seen = new Set([start]);
    var ring = [start];
    for (var i = 0; i < k; i++) {
      var next = [];
      ring.forEach(function (a) {
        (neighbours.get(a) || []).forEach(function (b) { if (!seen.has(b)) { seen.add(b); next.push(b); } });
      });
      ring = next;
    }
    return seen;
  }

  function setFocus(id) {
    state.focus = id;
    state.focusSet = id ? hops(id, 1) : null;
    $("unfocus").disabled = !state.focus && !state.party;
    refresh();
    if (id) showActor(id);
  }

  function setParty(id) {
    state.party = id;
    state.partySet = id ? hops(id, 1) : null;
    $("party").value = id;
    $("unfocus").disabled = !state.focus && !state.party;
    refresh();
  }

  function nodePasses(id) {
    var a = actors.get(id);
    if (!a || !state.types.has(a.type)) return false;
    if (state.partySet && !state.partySet.has(id)) return false;
    if (state.focusSet && !state.focusSet.has(id)) return false;
    if (state.asOf && !aliveAt(a, state.asOf)) return false;
    return true;
  }

  /* ---------------------------------------------------------------- graph pages */

  var network = null, nodesDS = null, edgesDS = null;
  var drawStarted = 0, draws = [];   // how long each drawing took, in ms (for benchmarks)
  var current = { nodes: [], edges: [] };   // what is in the DataSets now
  var hiddenNow = new Map();

  function computeVisible() {
    var ok = new Map();
    current.nodes.forEach(function (n) { ok.set(n.id, nodePasses(n.id)); });
    var shownEdges = new Set();
    var touched = new Set();
    var d = state.asOf;
    current.edges.forEach(function (e) {
      if (!ok.get(e.from) || !ok.get(e.to)) return;
      if (d && !e.facts.some(function (i) { return factAt(facts[i], d); })) return;
      shownEdges.add(e.id);
      touched.add(e.from);
      touched.add(e.to);
    });
    var shownNodes = new Set();
    current.nodes.forEach(function (n) {
      if (!ok.get(n.id)) return;
      var a = actors.get(n.id);
      var stated = a && a.life && a.life[0];   // a party known to exist then stays, lines or not
      if (d && datedActor.has(n.id) && !touched.has(n.id) && !stated) return;
      shownNodes.add(n.id);
    });
    return { nodes: shownNodes, edges: shownEdges };
  }

  function statusGraph(v) {
    var bits = ["Showing " + v.nodes.size + " of " + current.nodes.length + " actors and " +
      v.edges.size + " of " + current.edges.length + " lines"];
    if (PAGE === "entity" && state.centre) bits.push("around " + label(state.centre) + " (two steps)");
    if (state.focus) bits.push("next to " + label(state.focus));
    if (state.party) bits.push("linked to " + label(state.party));
    if (state.asOf) {
      bits.push("as it stood on " + state.asOf);
      var held = 0;
      v.nodes.forEach(function (id) { if (detainedAt(actors.get(id), state.asOf)) held++; });
      if (held) bits.push(held + " in detention");
    }
    setStatus(bits.join(", ") + (current.note || ""));
    document.body.dataset.visibleNodes = String(v.nodes.size);
    document.body.dataset.visibleEdges = String(v.edges.size);
  }

  function refreshGraph() {
    var v = computeVisible();
    var nUp = [], eUp = [];
    current.nodes.forEach(function (n) {
      var h = !v.nodes.has(n.id);
      if (hiddenNow.get("n:" + n.id) !== h) { hiddenNow.set("n:" + n.id, h); nUp.push({ id: n.id, hidden: h }); }
    });
    current.edges.forEach(function (e) {
      var h = !v.edges.has(e.id);
      if (hiddenNow.get("e:" + e.id) !== h) {
        hiddenNow.set("e:" + e.id, h);
        if (!linesPending) eUp.push({ id: e.id, hidden: h });   // pending lines take it when added
      }
    });
    current.nodes.forEach(function (n) {
      var a = actors.get(n.id);
      if (!a || !a.jail) return;
      var det = detainedAt(a, state.asOf);
      if (hiddenNow.get("d:" + n.id) === det) return;
      hiddenNow.set("d:" + n.id, det);
      nUp.push(detentionLook(n, a, det));
    });
    if (nUp.length) nodesDS.update(nUp);
    if (eUp.length) edgesDS.update(eUp);
    statusGraph(v);
  }

  /* a person in detention on the slider's date: thick dark ring and "(in detention)" */
  function detentionLook(n, a, det) {
    var t = typeInfo.get(a.type);
    var c = t ? t.color : "#999";
    var base = netNodeById.get(n.id);
    return { id: n.id, label: (base ? base.label : a.label) + (det ? " (in detention)" : ""), borderWidth: det ? 5 : 1,
      color: { background: c, border: det ? "#111111" : c, highlight: { background: c, border: "#111111" } } };
  }

  var pending = false;
  function refresh() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      if (PAGE === "timeline") renderTimeline(); else if (network) refreshGraph();
    });
  }

  function setStatus(text) { $("status").textContent = text; }

  var tip = $("tip");
  function showTip(text, pointer) {
    tip.textContent = text;
    tip.hidden = false;
    tip.style.left = Math.round(pointer.x + 14) + "px";
    tip.style.top = Math.round(pointer.y + 14) + "px";
  }
  function hideTip() { tip.hidden = true; }

  function nodeTip(id) {
    var a = actors.get(id);
    if (!a) return id;
    var t = a.label + " \u2014 " + typeLabel(a.type);
    if (a.aliases && a.aliases.length) t += " (also: " + a.aliases.slice(0, 3).join(", ") + ")";
    return t + " \u00b7 " + a.deg + (a.deg === 1 ? " fact" : " facts");
  }
  function edgeTip(eid) {
    var e = edgeById.get(eid);
    if (!e) return "";
    var f = facts[e.facts[0]];
    var t = label(e.from) + " " + f.k + " " + label(e.to) + " \u00b7 " + dateText(f);
    if (e.facts.length > 1) t += " (+" + (e.facts.length - 1) + " more)";
    return t;
  }

  /* lineage page: one column per year, drawn under the graph */
  function drawAxis(ctx) {
    var ax = DATA.axis;
    if (!ax) return;
    ctx.save();
    ctx.font = "bold 15px system-ui, sans-serif";
    ctx.textBaseline = "top";
    ctx.textAlign = "center";
    ax.columns.forEach(function (c) {
      ctx.strokeStyle = "#e3e3e3";
      ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(c.x, ax.top + 24); ctx.lineTo(c.x, ax.bottom); ctx.stroke();
      ctx.fillStyle = c.label === "undated" ? "#999" : "#555";
      ctx.fillText(c.label, c.x, ax.top);
    });
    ctx.restore();
  }

  /* Fill the DataSets with each item's hidden flag already set, then draw once. */
  function load(nodes, edges, note) {
    current = { nodes: nodes, edges: edges, note: note || "" };
    var v = computeVisible();
    hiddenNow = new Map();
    nodes.forEach(function (n) { n.hidden = !v.nodes.has(n.id); hiddenNow.set("n:" + n.id, n.hidden); });
    edges.forEach(function (e) { e.hidden = !v.edges.has(e.id); hiddenNow.set("e:" + e.id, e.hidden); });
    nodes.forEach(function (n) {
      var a = actors.get(n.id);
      if (!a || !a.jail) return;
      var det = detainedAt(a, state.asOf);
      hiddenNow.set("d:" + n.id, det);
      if (det) Object.assign(n, detentionLook(n, a, det), { hidden: n.hidden });
    });
    if (!network) {
      // a big graph draws its actors first and its lines right after (in slices of
      // LINE_SLICE), so that the page shows and answers before the lines arrive
      var later = DATA.big ? edges : null;
      nodesDS = new vis.DataSet(nodes);
      edgesDS = new vis.DataSet(later ? [] : edges);
      initNetwork();
      network.setData({ nodes: nodesDS, edges: edgesDS });
      // vis-network fits the view itself in setData; ours (with a margin, and top-aligned for
      // a tall lineage) replaces it before the first drawing, which waits for the next frame
      var view = viewFor(nodes);
      if (view) network.moveTo(view);
      if (later) network.once("afterDrawing", function () { addLines(later, 0); });
      else linesDone();
    } else {
      nodesDS.clear();
      edgesDS.clear();
      nodesDS.add(nodes);
      edgesDS.add(edges);
      var again = viewFor(nodes);
      if (again) network.moveTo(again);
    }
    statusGraph(v);
  }

  var LINE_SLICE = 50000;
  var linesPending = false;
  function addLines(edges, from) {
    linesPending = true;
    setTimeout(function () {
      var slice = edges.slice(from, from + LINE_SLICE);
      slice.forEach(function (e) { e.hidden = hiddenNow.get("e:" + e.id); });
      edgesDS.add(slice);
      var next = from + LINE_SLICE;
      if (next < edges.length) {
        setStatus("Drawing the lines\u2026 " + next + " of " + edges.length);
        addLines(edges, next);
      } else {
        linesPending = false;
        linesDone();
      }
    }, 0);
  }
  function linesDone() { document.documentElement.dataset.linesDone = "1"; }

  /* the scale and centre that fit the shown actors in the drawing area, with a margin */
  function viewFor(nodes) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (n) {
      if (n.hidden || typeof n.x !== "number") return;
      if (n.x < x0) x0 = n.x; if (n.x > x1) x1 = n.x;
      if (n.y < y0) y0 = n.y; if (n.y > y1) y1 = n.y;
    });
    if (x0 === Infinity) return null;
    if (DATA.axis) { y0 = Math.min(y0, DATA.axis.top); y1 = Math.max(y1, DATA.axis.bottom); }
    var box = $("graph");
    var w = Math.max(box.clientWidth, 100), h = Math.max(box.clientHeight, 100);
    var scale = Math.min(w / (x1 - x0 + 300), h / (y1 - y0 + 140), 1.5);
    if (DATA.axis && scale < 0.35) {
      // a tall lineage: fit its width (readable), start at the top; scroll down for more
      scale = Math.min(w / (x1 - x0 + 300), 1.5);
      return { position: { x: (x0 + x1) / 2, y: y0 - 40 + h / 2 / scale }, scale: scale, animation: false };
    }
    return { position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false };
  }

  function initNetwork() {
    network = new vis.Network($("graph"), {}, net.options);
    network.on("click", function (p) {
      hideTip();
      if (p.nodes.length) showActor(p.nodes[0]);
      else if (p.edges.length) showEdge(p.edges[0]);
    });
    network.on("doubleClick", function (p) {
      if (!p.nodes.length) return;
      if (PAGE === "entity") goCentre(p.nodes[0]); else setFocus(p.nodes[0]);
    });
    network.on("hoverNode", function (p) { showTip(nodeTip(p.node), p.pointer.DOM); });
    network.on("hoverEdge", function (p) { showTip(edgeTip(p.edge), p.pointer.DOM); });
    network.on("blurNode", hideTip);
    network.on("blurEdge", hideTip);
    network.on("dragStart", hideTip);
    if (DATA.axis) network.on("beforeDrawing", drawAxis);
    network.on("beforeDrawing", function () { drawStarted = performance.now(); });
    network.on("afterDrawing", function () { draws.push(Math.round(performance.now() - drawStarted)); });
    network.once("afterDrawing", markReady);
  }

  function selectOnGraph(id) {
    if (!network || !nodesDS.get(id)) return false;
    var n = nodesDS.get(id);
    if (n.hidden && (state.focus || state.party)) { state.focus = null; state.focusSet = null; setParty(""); refreshGraph(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(1, network.getScale()), animation: false });
    return true;
  }

  /* entity page: a ring layout of the chosen actor's neighbourhood, two steps out */
  var RING_MAX = 1500;
  function goCentre(id) {
    if (location.hash.slice(1) !== encodeURIComponent(id)) location.hash = encodeURIComponent(id);
    else setCentre(id);
  }
  function setCentre(id) {
    if (!netNodeById.has(id)) return;
    state.centre = id;
    state.focus = null; state.focusSet = null;
    var ring1 = (neighbours.get(id) || []).filter(function (x, i, arr) { return x !== id && netNodeById.has(x) && arr.indexOf(x) === i; });
    ring1.sort(function (a, b) { return label(a).localeCompare(label(b)); });
    var seen = new Set([id].concat(ring1));
    var ring2 = [];
    ring1.forEach(function (a) {
      var kids = (neighbours.get(a) || []).filter(function (b) { return !seen.has(b) && netNodeById.has(b); });
      kids.forEach(function (b) { if (!seen.has(b)) { seen.add(b); ring2.push(b); } });
    });
    var note = "";
    if (ring1.length + ring2.length > RING_MAX) { note = " (" + ring2.length + " actors two steps out are left out: too many to draw)"; ring2 = []; }
    var pos = new Map();
    pos.set(id, [0, 0]);
    var radius = 0;
    [ring1, ring2].forEach(function (ring) {
      if (!ring.length) return;
      radius = Math.max(radius + 190, ring.length * 44 / (2 * Math.PI));
      ring.forEach(function (n, i) {
        var t = 2 * Math.PI * i / ring.length - Math.PI / 2;
        pos.set(n, [radius * Math.cos(t), radius * Math.sin(t)]);
      });
    });
    var nodes = [];
    pos.forEach(function (p, n) {
      var base = netNodeById.get(n);
      nodes.push({ id: n, label: base.label, group: base.group, value: base.value, x: p[0], y: p[1] });
    });
    var edges = [];
    net.edges.forEach(function (e) {
      if (!pos.has(e.from) || !pos.has(e.to)) return;
      var copy = Object.assign({}, e);
      if (e.from !== id && e.to !== id) delete copy.label;
      edges.push(copy);
    });
    load(nodes, edges, note);
    network.selectNodes([id]);
    $("entity-select").value = id;
    showActor(id);
  }

  /* ---------------------------------------------------------------- timeline page */

  function factPasses(f) {
    var ids = f.o ? [f.s, f.o] : [f.s];
    for (var i = 0; i < ids.length; i++) {
      var a = actors.get(ids[i]);
      if (a && !state.types.has(a.type)) return false;
    }
    if (!state.cats.has(f.cat)) return false;
    if (state.partySet && !ids.some(function (x) { return state.partySet.has(x); })) return false;
    if (state.focus && ids.indexOf(state.focus) < 0 && f.v !== state.focus) return false;
    if (state.asOf && f.w && f.w[0] && f.w[0] > state.asOf) return false;
    return true;
  }

  function renderTimeline() {
    var list = $("list");
    list.replaceChildren();
    var rows = [];
    for (var i = 0; i < facts.length; i++) if (factPasses(facts[i])) rows.push(i);
    var ol = el("ol", "timeline");
    var year = null;
    var stop = Math.min(rows.length, state.rows);
    for (var k = 0; k < stop; k++) {
      var f = facts[rows[k]];
      var y = (f.w[0] || f.w[1] || "").slice(0, 4);
      if (y !== year) { year = y; ol.append(el("li", "year", y)); }
      ol.append(factItem(f));
    }
    list.append(ol);
    if (rows.length > stop) {
      var b = el("button", "more", "Show " + Math.min(ROW_STEP, rows.length - stop) + " more of " + (rows.length - stop));
      b.type = "button";
      b.addEventListener("click", function () { state.rows += ROW_STEP; renderTimeline(); });
      list.append(b);
    }
    var bits = ["Showing " + rows.length + " of " + facts.length + " dated facts"];
    if (state.focus) bits.push("about " + label(state.focus));
    if (state.party) bits.push("linked to " + label(state.party));
    if (state.asOf) bits.push("up to " + state.asOf);
    setStatus(bits.join(", "));
    document.body.dataset.visibleRows = String(rows.length);
  }

  /* ---------------------------------------------------------------- overview page */

  function table(headers, rows) {
    var t = el("table", "data");
    var tr = el("tr");
    headers.forEach(function (h) { tr.append(el("th", "", h)); });
    var thead = el("thead"); thead.append(tr); t.append(thead);
    var tb = el("tbody");
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (c) { var td = el("td"); if (c instanceof Node) td.append(c); else td.textContent = c === null || c === undefined ? "" : String(c); row.append(td); });
      tb.append(row);
    });
    t.append(tb);
    return t;
  }

  function renderIndex() {
    var list = $("list");
    var s = DATA.summary;
    list.append(el("h2", "", "In the graph"));
    var counts = [["actors", s.actors], ["facts", s.facts], ["relations between actors", s.relations],
      ["dated facts", s.dated], ["facts with the quoted words", s.quoted], ["sources", s.sources]];
    if (s.triples) counts.push(["RDF triples", s.triples]);
    if (s.namedGraphs) counts.push(["named graphs (one per source)", s.namedGraphs]);
    list.append(table(["what", "how many"], counts));
    list.append(el("h2", "", "Pages"));
    var pages = el("ul", "pages");
    [["network.html", "Network", "every actor and every relation, with a time slider"],
     ["lineage.html", "Lineage", "parties in time: renames, mergers, alliances, dissolutions, and their key people"],
     ["entity.html", "Actors", "one actor at a time: its facts in date order and its neighbourhood"],
     ["timeline.html", "Timeline", "events in date order: convictions, dissolutions, elections, visits, meetings"]
    ].forEach(function (p) {
      var li = el("li");
      var a = el("a", "", p[1]); a.href = p[0];
      li.append(a, document.createTextNode(": " + p[2]));
      pages.append(li);
    });
    list.append(pages);
    list.append(el("h2", "", "Sources"));
    list.append(table(["title", "publisher", "published", "facts"], sources.map(function (src) {
      var href = safeUrl(src.url);
      var title = src.title || src.url || src.id;
      var cell;
      if (href) { cell = el("a", "src-link", title); cell.href = href; cell.target = "_blank"; cell.rel = "noopener noreferrer"; }
      else cell = el("span", "", title + (src.url ? " (" + src.url + ")" : ""));
      return [cell, src.publisher || "", src.published || "undated", src.facts || 0];
    })));
    list.append(el("h2", "", "Facts by kind"));
    list.append(table(["kind", "predicate", "facts"], s.byPredicate));
    panel.replaceChildren(el("p", "hint", "Type a name or an alias in the search box to open that actor's page: its facts in date order, each with its source."));
    setStatus(s.actors + " actors, " + s.facts + " facts from " + s.sources + " sources");
    markReady();
  }

  /* ---------------------------------------------------------------- controls */

  var searchKeys = DATA.actors.map(function (a) {
    return { id: a.id, keys: [a.label].concat(a.aliases || []).map(norm), names: [a.label].concat(a.aliases || []) };
  });

  function search(q) {
    q = norm(q);
    if (!q) return [];
    var starts = [], contains = [];
    for (var i = 0; i < searchKeys.length; i++) {
      var s = searchKeys[i];
      for (var j = 0; j < s.keys.length; j++) {
        var at = s.keys[j].indexOf(q);
        if (at < 0) continue;
        (at === 0 ? starts : contains).push({ id: s.id, via: j === 0 ? null : s.names[j] });
        break;
      }
      if (starts.length >= 20) break;
    }
    return starts.concat(contains).slice(0, 20);
  }

  function chooseActor(id) {
    $("search-results").replaceChildren();
    if (PAGE === "entity" && netNodeById.has(id)) { goCentre(id); return; }
    if (PAGE === "timeline") { setFocus(id); return; }
    if (PAGE === "index") { if (SITE) location.href = entityHref(id); return; }
    selectOnGraph(id);
    showActor(id);
  }

  function initSearch() {
    var input = $("search"), out = $("search-results");
    function update() {
      out.replaceChildren();
      search(input.value).forEach(function (m) {
        var li = el("li");
        var a = actors.get(m.id);
        var item;
        if (PAGE === "index" && SITE) { item = el("a", "result"); item.href = entityHref(m.id); }
        else { item = el("button", "result"); item.type = "button"; item.addEventListener("click", function () { chooseActor(m.id); }); }
        item.dataset.actor = m.id;
        if (a) item.append(swatch(a.type));
        item.append(document.createTextNode(label(m.id)));
        if (m.via) item.append(el("span", "via", " (" + m.via + ")"));
        if (a) item.append(el("span", "via", " \u00b7 " + typeLabel(a.type)));
        li.append(item);
        out.append(li);
      });
      if (input.value.trim() && !out.childElementCount) out.append(el("li", "none", "No actor by that name"));
    }
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        var first = search(input.value)[0];
        if (first) { ev.preventDefault(); chooseActor(first.id); }
      } else if (ev.key === "Escape") { input.value = ""; update(); }
    });
  }

  function initLegend() {
    var box = $("legend");
    box.append(el("h2", "", "Legend"));
    var ul = el("ul", "types");
    DATA.types.forEach(function (t) {
      var li = el("li");
      var lab = el("label");
      if (PAGE !== "index") {
        var cb = el("input");
        cb.type = "checkbox";
        cb.checked = true;
        cb.dataset.type = t.name;
        cb.addEventListener("change", function () {
          if (cb.checked) state.types.add(t.name); else state.types.delete(t.name);
          refresh();
        });
        lab.append(cb);
      }
      lab.append(swatch(t.name), document.createTextNode(t.label + " (" + t.count + ")"));
      li.append(lab);
      ul.append(li);
    });
    box.append(ul);
    if (DATA.relations && DATA.relations.length) {
      box.append(el("h3", "", "Lines"));
      var rl = el("ul", "relations");
      DATA.relations.forEach(function (r) {
        var li = el("li");
        var bar = el("span", "bar");
        bar.style.background = r.color;
        li.append(bar, document.createTextNode(r.label));
        rl.append(li);
      });
      box.append(rl);
    }
    if (PAGE === "timeline") {
      box.append(el("h3", "", "Kinds of event"));
      var cl = el("ul", "cats");
      DATA.categories.forEach(function (c) {
        var li = el("li");
        var lab = el("label");
        var cb = el("input");
        cb.type = "checkbox"; cb.checked = true; cb.dataset.cat = c.key;
        cb.addEventListener("change", function () {
          if (cb.checked) state.cats.add(c.key); else state.cats.delete(c.key);
          state.rows = ROW_STEP;
          refresh();
        });
        lab.append(cb, el("span", "cat cat-" + c.key, c.label));
        li.append(lab);
        cl.append(li);
      });
      box.append(cl);
    }
    if (PAGE !== "index" && PAGE !== "timeline") {
      var notes = el("ul", "notes");
      notes.append(el("li", "", "Dashed line: no source dates it; it is shown at every date."));
      notes.append(el("li", "", "Thick dark ring: in detention on the slider's date."));
      notes.append(el("li", "", "Click an actor or line for its facts and sources; double-click to focus."));
      box.append(notes);
    }
  }

  function initParty() {
    var sel = $("party");
    var parties = DATA.actors.filter(function (a) { return a.type === "PoliticalParty" && (PAGE !== "index"); });
    parties.sort(function (a, b) { return a.label.localeCompare(b.label); });
    parties.forEach(function (p) { var o = el("option", "", p.label); o.value = p.id; sel.append(o); });
    sel.addEventListener("change", function () { state.rows = ROW_STEP; setParty(sel.value); });
    if (!parties.length) $("party-ctl").hidden = true;
  }

  function initSlider() {
    var range = DATA.range;
    var ctl = $("asof-ctl"), slider = $("asof"), on = $("asof-on"), out = $("asof-date");
    if (!range || PAGE === "index") { ctl.hidden = true; return; }
    var lo = dayNumber(range.min), hi = dayNumber(range.max);
    if (DATA.asOf) { lo = Math.min(lo, dayNumber(DATA.asOf)); hi = Math.max(hi, dayNumber(DATA.asOf)); }
    slider.min = "0";
    slider.max = String(hi - lo);
    slider.value = String(hi - lo);
    function apply() {
      state.asOf = on.checked ? isoOf(lo + (+slider.value)) : null;
      out.textContent = state.asOf || "all dates";
      state.rows = ROW_STEP;
      refresh();
    }
    slider.addEventListener("input", function () { on.checked = true; apply(); });
    on.addEventListener("change", apply);
    if (DATA.asOf) {
      slider.value = String(dayNumber(DATA.asOf) - lo);
      on.checked = true;
      state.asOf = DATA.asOf;
      out.textContent = DATA.asOf;
    }
  }

  function initEntitySelect() {
    var sel = $("entity-select");
    $("entity-ctl").hidden = false;
    var byType = new Map();
    DATA.actors.forEach(function (a) { if (netNodeById.has(a.id)) push(byType, a.type, a); });
    DATA.types.forEach(function (t) {
      var list = byType.get(t.name);
      if (!list) return;
      var g = el("optgroup");
      g.label = t.label;
      list.sort(function (a, b) { return a.label.localeCompare(b.label); });
      list.forEach(function (a) { var o = el("option", "", a.label); o.value = a.id; g.append(o); });
      sel.append(g);
    });
    sel.addEventListener("change", function () { goCentre(sel.value); });
  }

  function markReady() {
    if (PAGE === "index" || PAGE === "timeline") linesDone();
    document.documentElement.dataset.ready = "1";
    document.documentElement.dataset.readyMs = String(Math.round(performance.now()));
  }

  /* ---------------------------------------------------------------- start */

  function start() {
    initLegend();
    initSearch();
    initParty();
    initSlider();
    $("unfocus").addEventListener("click", function () {
      state.focus = null; state.focusSet = null;
      setParty("");
    });
    if (PAGE === "index") {
      $("graph").hidden = true; $("list").hidden = false;
      $("focus-ctl").hidden = true; $("party-ctl").hidden = true;
      renderIndex();
      return;
    }
    if (PAGE === "timeline") {
      $("graph").hidden = true; $("list").hidden = false;
      renderTimeline();
      markReady();
      return;
    }
    if (PAGE === "entity") {
      initEntitySelect();
      window.addEventListener("hashchange", function () {
        var id = decodeURIComponent(location.hash.slice(1));
        if (netNodeById.has(id)) setCentre(id);
      });
      var wanted = decodeURIComponent(location.hash.slice(1));
      setCentre(netNodeById.has(wanted) ? wanted : DATA.focus);
      return;
    }
    load(net.nodes, net.edges);
  }

  /* A read-only hook for automated checks (browser tests, benchmarks): where an actor is
     drawn on screen and whether it is shown.  It exposes nothing the page does not show. */
  Object.defineProperty(window, "cpkgPage", { value: Object.freeze({
    screenPosition: function (id) {
      if (!network || !nodesDS.get(id)) return null;
      var p = network.getPositions([id])[id];
      return network.canvasToDOM(p);
    },
    lineBetween: function (a, b) {
      var found = null;
      current.edges.forEach(function (e) {
        if (!found && ((e.from === a && e.to === b) || (e.from === b && e.to === a))) found = e.id;
      });
      return found;
    },
    lineScreenPosition: function (id) {
      var e = network && network.body.edges[id];
      return e ? network.canvasToDOM(e.edgeType.getPoint(0.5)) : null;
    },
    isShown: function (id) {
      if (!network) return null;
      var n = nodesDS.get(id);
      return n ? !n.hidden : null;
    },
    centre: function () { return state.centre; },
    scale: function () { return network ? network.getScale() : null; },
    drawings: function () { return draws.slice(); }
  }) });

  try {
    start();
  } catch (err) {
    setStatus("This page could not start: " + (err && err.message ? err.message : String(err)));
    throw err;
  }
})();
