/* The /graph page (issue 7): draws the graphs /api/graph/<view> computes, positions
   included (Cytoscape's preset layout: the browser only draws); the appeals view is a
   timeline (vis-timeline: lanes on a time axis, items stacked so that no two labels
   overlap, counted together where they crowd). One language at a time, the one the server
   rendered the page in: the switch reloads the page with the view kept in its address.
   Text from the minutes is put in the page with textContent only; every URL is relative
   to the app's root. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("graph-config").textContent);
  var VIEWS = {};
  config.views.forEach(function (v) { VIEWS[v.name] = v; });
  var COMMITTEES = {};
  config.committees.forEach(function (c) { COMMITTEES[c.code] = c; });
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  var TEXT = {
    ja: {
      title: "公安委員会 会議録 — 関係グラフ", sessions: "会議一覧", search: "検索",
      searchHint: "名前・題名で探す", period: "期間", committee: "委員会",
      allCommittees: "すべての委員会", kinds: "種類（凡例）", size: "大きさ",
      degree: "つながりの数", betweenness: "媒介中心性", colour: "色", byKind: "種類",
      byCommunity: "まとまり", download: "ダウンロード", fit: "全体を表示",
      clickHint: "クリックで詳細ページ（出典の一節）を開きます",
      loading: "読み込み中…", nodes: "ノード", edges: "エッジ", generation: "世代",
      matches: "件が一致", noMatch: "一致なし", sessionsCount: "会議の数",
      firstLast: "最初 / 最後", connected: "つながり", outcome: "結果", purpose: "目的",
      date: "日付", item: "議題", answer: "答え", body: "諮問先",
      hidden: "（非表示のとき隣どうしを直接結ぶ）",
      sizeNote: { degree: "大きさ: つながりの数（会議数で重み付け）",
        pagerank: "大きさ: PageRank", betweenness: "大きさ: 媒介中心性" },
      edgeNote: "線の太さ: その関係が述べられた会議の数",
      communityNote: "色: まとまり（Louvain 法）",
      timelineNote: "横軸は日付。委員会ごとに会議の段と、審査請求ごとの段（処分から裁決まで）。" +
        "混み合うところは件数にまとめて表示します（ダブルクリックで拡大）。",
      sessionsLane: function (n) { return "会議 " + n + " 件"; }, appealLane: function (who, day) { return "審査請求: " + who + " " + day + " 処分"; },
      cluster: function (n) { return n + " 件"; },
      day: function (d) { return (+d.slice(5, 7)) + "/" + (+d.slice(8, 10)); },
      truncated: function (shown, total) {
        return "表示しているのは " + total + " ノードのうち、つながりの多い " + shown +
          " ノードです。期間や委員会を絞ってください。";
      },
      empty: "この条件に当てはまるものはありません。"
    },
    en: {
      title: "Public safety commission minutes — relationship graphs", sessions: "Sessions",
      search: "Search", searchHint: "a name or a title", period: "Period",
      committee: "Commission", allCommittees: "All commissions", kinds: "Kinds (legend)",
      size: "Size", degree: "Connections", betweenness: "Betweenness", colour: "Colour",
      byKind: "Kind", byCommunity: "Community", download: "Download", fit: "Fit",
      clickHint: "Click to open its page (with the source passage)",
      loading: "Loading…", nodes: "nodes", edges: "edges", generation: "generation",
      matches: "matching", noMatch: "no match", sessionsCount: "Sessions",
      firstLast: "First / last", connected: "Connected", outcome: "Outcome",
      purpose: "Purpose", date: "Date", item: "Item", answer: "Answer", body: "Advisory body",
      hidden: "(hidden: its neighbours are linked directly)",
      sizeNote: { degree: "Size: connections (weighted by sessions)",
        pagerank: "Size: PageRank", betweenness: "Size: betweenness centrality" },
      edgeNote: "Edge width: number of sessions stating the link",
      communityNote: "Colour: community (Louvain)",
      timelineNote: "Across: the date. Per commission, a lane of its sessions and one for " +
        "each appeal (disposition to ruling); where items crowd they are counted together " +
        "(double-click to zoom in).",
      sessionsLane: function (n) { return n + (n === 1 ? " session" : " sessions"); },
      appealLane: function (who, day) { return "Appeal: " + who + ", " + day; },
      cluster: function (n) { return n + " items"; },
      day: function (d) { return MONTHS[+d.slice(5, 7) - 1] + " " + (+d.slice(8, 10)); },
      truncated: function (shown, total) {
        return "Showing the " + shown + " most connected of " + total +
          " nodes: narrow the period or the commission.";
      },
      empty: "Nothing matches these filters."
    }
  };

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  // the events of an appeal, as a lane's items name them
  var EVENT = {
    appeal: { ja: "処分", en: "disposition" }, received: { ja: "受付", en: "received" },
    receipt: { ja: "受理報告", en: "receipt reported" }, hearing: { ja: "審理", en: "hearing" },
    opinion: { ja: "答申", en: "opinion" }, ruling: { ja: "裁決", en: "ruling" }
  };

  // -- state, kept in the address so that Back returns to the same graph ------------------
  var params = new URLSearchParams(location.search);
  var state = {
    view: VIEWS[params.get("view")] ? params.get("view") : config.views[0].name,
    lang: config.lang === "en" ? "en" : "ja",
    from: params.get("from") || "",
    to: params.get("to") || "",
    committee: params.get("committee") || "",
    kinds: params.has("kinds") ? params.get("kinds").split(",").filter(Boolean) : null,
    size: params.get("size") || "degree",
    colour: params.get("colour") === "community" ? "community" : "kind"
  };
  var months = monthsOf(config.period.first, config.period.last);
  var cy = null;
  var timeline = null;
  var data = null;
  var byId = {};
  var pending = null;
  var api = window.ckgGraph = { config: config, state: state, cy: null, timeline: null,
    data: null, loads: 0 };

  function t(key) { return TEXT[state.lang][key]; }

  function monthsOf(first, last) {
    if (!first || !last) { return []; }
    var out = [];
    var y = +first.slice(0, 4), m = +first.slice(5, 7);
    var ly = +last.slice(0, 4), lm = +last.slice(5, 7);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(y + "-" + (m < 10 ? "0" : "") + m);
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function hrefOf(iri) {
    var base = config.id_base || (data && data.id_base);
    if (!iri || !base || iri.indexOf(base) !== 0) { return null; }
    return "id/" + iri.slice(base.length).split("/").map(encodeURIComponent).join("/");
  }

  function committeeName(code) {
    var c = COMMITTEES[code];
    if (!c) { return code; }
    return (state.lang === "en" ? c.label.en : c.label.ja) || c.label.ja || code;
  }

  function shortCommittee(code) {
    var c = COMMITTEES[code];
    if (!c || !c.label.ja) { return code; }
    return c.label.ja.replace(/公安委員会$/, "") || code;
  }

  // -- the controls -------------------------------------------------------------------------
  function buildViews() {
    var nav = document.getElementById("views");
    nav.textContent = "";
    config.views.forEach(function (v) {
      var b = el("button", v.label[state.lang] || v.label.ja);
      b.type = "button";
      b.dataset.view = v.name;
      b.setAttribute("aria-pressed", v.name === state.view ? "true" : "false");
      b.addEventListener("click", function () {
        if (state.view === v.name) { return; }
        state.view = v.name;
        state.kinds = null;
        buildViews();
        load();
      });
      nav.appendChild(b);
    });
    document.getElementById("description").textContent =
      VIEWS[state.view].description[state.lang];
  }

  function buildCommittees() {
    var select = document.getElementById("committee");
    while (select.options.length > 1) { select.remove(1); }
    config.committees.forEach(function (c) {
      var o = el("option", committeeName(c.code) + " (" + c.sessions + ")");
      o.value = c.code;
      select.appendChild(o);
    });
    select.value = state.committee;
  }

  function buildPeriod() {
    var from = document.getElementById("period-from");
    var to = document.getElementById("period-to");
    from.max = to.max = String(Math.max(months.length - 1, 0));
    var f = months.indexOf(state.from.slice(0, 7));
    var l = months.indexOf(state.to.slice(0, 7));
    from.value = String(f < 0 ? 0 : f);
    to.value = String(l < 0 ? months.length - 1 : l);
    showPeriod();
  }

  function periodFromSliders() {
    var a = +document.getElementById("period-from").value;
    var b = +document.getElementById("period-to").value;
    if (a > b) { var x = a; a = b; b = x; }
    state.from = a > 0 ? months[a] : "";
    state.to = b < months.length - 1 ? months[b] : "";
  }

  function showPeriod() {
    var a = +document.getElementById("period-from").value;
    var b = +document.getElementById("period-to").value;
    if (a > b) { var x = a; a = b; b = x; }
    document.getElementById("period-text").textContent =
      months.length ? months[a] + " – " + months[b] : "—";
  }

  function buildKinds() {
    var box = document.getElementById("kind-list");
    box.textContent = "";
    var counts = {};
    var shown = {};
    if (data && data.view === state.view) {
      data.kinds.forEach(function (k) { counts[k.name] = k.count; shown[k.name] = k.shown; });
    }
    VIEWS[state.view].kinds.forEach(function (k) {
      var label = el("label");
      var box1 = el("input");
      box1.type = "checkbox";
      box1.value = k.name;
      box1.checked = state.kinds ? state.kinds.indexOf(k.name) >= 0 :
        (k.name in shown ? shown[k.name] : k.default);
      box1.addEventListener("change", function () {
        state.kinds = Array.prototype.map.call(
          box.querySelectorAll("input:checked"), function (i) { return i.value; });
        load();
      });
      var swatch = el("span", null, "swatch");
      swatch.style.backgroundColor = k.colour;
      label.appendChild(box1);
      label.appendChild(swatch);
      var name = el("span", k.label[state.lang] || k.label.ja);
      if (k.connector) { name.title = t("hidden"); }
      label.appendChild(name);
      label.appendChild(el("span", k.name in counts ? counts[k.name] : "", "count"));
      box.appendChild(label);
    });
  }

  function applyText() {
    var notes = [];
    if (VIEWS[state.view].timeline) {
      notes.push(t("timelineNote"));
    } else {
      notes.push(t("sizeNote")[state.size] || "");
      notes.push(t("edgeNote"));
    }
    if (state.colour === "community") { notes.push(t("communityNote")); }
    document.getElementById("legend-notes").textContent = notes.join(" · ");
    document.getElementById("network-options").hidden = !!VIEWS[state.view].timeline;
  }

  // -- the request --------------------------------------------------------------------------
  function query(format, compact) {
    var q = new URLSearchParams();
    if (state.from) { q.set("from", state.from); }
    if (state.to) { q.set("to", state.to); }
    if (state.committee) { q.set("committee", state.committee); }
    if (state.kinds) { q.set("kinds", state.kinds.join(",")); }
    if (state.size !== "degree") { q.set("size", state.size); }
    if (format) { q.set("format", format); }
    if (compact) { q.set("compact", "1"); }  // edges as columns of node indices
    var s = q.toString();
    return "api/graph/" + encodeURIComponent(state.view) + (s ? "?" + s : "");
  }

  function remember() {
    var q = new URLSearchParams();
    q.set("view", state.view);
    if (state.from) { q.set("from", state.from); }
    if (state.to) { q.set("to", state.to); }
    if (state.committee) { q.set("committee", state.committee); }
    if (state.kinds) { q.set("kinds", state.kinds.join(",")); }
    if (state.size !== "degree") { q.set("size", state.size); }
    if (state.colour !== "kind") { q.set("colour", state.colour); }
    history.replaceState(null, "", "graph?" + q.toString());
    // the language switch reloads this view, as it is now, in the other language
    Array.prototype.forEach.call(document.querySelectorAll("header .lang a[data-lang]"), function (a) {
      a.href = "graph?" + q.toString() + "&lang=" + a.dataset.lang;
    });
    document.getElementById("dl-graphml").href = query("graphml");
    document.getElementById("dl-gexf").href = query("gexf");
    document.getElementById("dl-json").href = query();
  }

  function load() {
    remember();
    applyText();
    if (pending) { pending.abort(); }
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    document.body.classList.add("loading");
    document.body.dataset.state = "loading";
    document.getElementById("status").textContent = t("loading");
    var started = api.fetchStartedAt = performance.now();
    fetch(query(null, true), { signal: controller ? controller.signal : undefined,
      headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (res) {
        if (pending !== controller) { return; }
        pending = null;
        document.body.classList.remove("loading");
        if (!res.ok) {
          showNotice(res.body.detail || res.body.title || "error");
          document.body.dataset.state = "error";
          return;
        }
        api.fetchMs = performance.now() - started;
        withLibraries(function () {
          if (pending !== null) { return; }  // another load began
          if (res.body.timeline) { drawTimeline(res.body); } else { draw(res.body); }
        });
      })
      .catch(function (e) {
        if (e && e.name === "AbortError") { return; }
        document.body.classList.remove("loading");
        document.body.dataset.state = "error";
        showNotice(String(e));
      });
  }

  // graph.js runs before Cytoscape.js and vis-timeline (all deferred, so that the graph is
  // asked for at once): an answer that comes first waits for them
  function withLibraries(fn) {
    if (window.cytoscape && window.vis) { fn(); return; }
    document.addEventListener("DOMContentLoaded", fn);
  }

  function showNotice(text) {
    var n = document.getElementById("notice");
    n.textContent = text || "";
    n.hidden = !text;
  }

  // -- drawing ------------------------------------------------------------------------------
  function multiCommittee(nodes) {
    var seen = {};
    var k = 0;
    nodes.forEach(function (n) {
      if (n.committee && !seen[n.committee]) { seen[n.committee] = true; k += 1; }
    });
    return k > 1;
  }

  // a drawn label is cut by its width, not by the page's language: a Japanese title on the
  // English page (the minutes give most only in Japanese) is as wide as on the Japanese one
  var WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

  function labelOf(n, several) {
    var l = fullLabel(n, several);
    var room = LABEL_WIDTH, i = 0;
    for (; i < l.length; i += 1) {
      room -= WIDE.test(l[i]) ? 2 : 1;
      if (room < 0) { return l.slice(0, i - 1) + "…"; }
    }
    return l;
  }

  function fullLabel(n, several) {
    var l = state.lang === "en" ? (n.label.en || n.label.ja) : (n.label.ja || n.label.en);
    if (n.kind === "committee" && state.lang === "en") {
      // 「Hiroshima Prefectural Public Safety Commission」 would be cut to its first words
      l = l.replace(/(Prefectural )?Public Safety Commission$/, "PSC");
    }
    if (several && (n.kind === "officer" || n.kind === "member")) {
      if (state.lang === "ja") { l += "（" + shortCommittee(n.committee) + "）"; }
      else if (!n.label.en) { l += " (" + n.committee + ")"; }
    }
    return l || "";
  }

  function colourOf(n) {
    if (state.colour === "community") {
      return PALETTE[n.community] || "#aaaaaa";
    }
    return kindColour[n.kind] || "#888888";
  }

  var kindColour = {};
  var MAJOR = 25;
  var MAX_FIT_ZOOM = 1.3;
  var LABEL_WIDTH = 28;  // drawn labels are cut (a CJK glyph counts two); hover shows them whole
  var LABEL_ZOOM = 0.6;
  var LABEL_DELAY = 200;  // ms without a pan or a zoom before a big graph labels its nodes
  var LABEL_MAX = 200;

  function axisLabel(a) {
    if (a.role === "lane") { return committeeName(a.committee); }
    return a.label || "";
  }

  function style() {
    var font = '"Noto Sans CJK JP", "Noto Sans JP", sans-serif';
    return [
      // every property a selector sets costs Cytoscape some work on each element it applies
      // to, a big graph's nodes have no label until zoomed in (see draw), and the edges'
      // "curve-style": "haystack" is the default: set nowhere
      { selector: "node.data", style: {
        "width": "data(px)", "height": "data(px)", "background-color": "data(colour)",
        "border-width": 0.6, "border-color": "#ffffff" } },
      // Cytoscape measures a label letter by letter to wrap it ("text-wrap": ellipsis): a
      // second on a thousand nodes; labels are cut in labelOf instead, and big graphs draw
      // them without an outline
      { selector: "node.labelled", style: {
        "label": "data(label)", "font-family": font, "font-size": "data(fs)",
        "color": "#333", "text-valign": "bottom", "text-margin-y": 2,
        "min-zoomed-font-size": 7, "text-outline-color": "#ffffff",
        "text-outline-width": 1.5, "text-outline-opacity": 0.8 } },
      { selector: "node.labelled.plain", style: { "text-outline-width": 0 } },
      // the largest nodes and their labels on top of the others
      { selector: "node.major", style: { "min-zoomed-font-size": 0, "font-weight": "bold",
        "z-index": 10 } },
      { selector: "node.remark, node.session", style: { "min-zoomed-font-size": 11 } },
      { selector: "edge", style: {
        "width": "data(w)", "line-color": "#8f8f8f", "opacity": 0.6 } },
      { selector: "edge.directed", style: {
        "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#888",
        "line-color": "#999", "opacity": 0.8, "arrow-scale": 0.9 } },
      { selector: "edge.then", style: { "line-color": "#777", "opacity": 0.9,
        "curve-style": "straight", "target-arrow-shape": "triangle",
        "target-arrow-color": "#777", "arrow-scale": 0.7 } },
      { selector: "node.hover", style: { "border-width": 3, "border-color": "#222",
        "z-index": 20 } },
      { selector: "edge.hover", style: { "line-color": "#444", "opacity": 1,
        "target-arrow-color": "#444", "z-index": 19 } },
      { selector: "node.match", style: { "border-width": 3, "border-color": "#000" } },
      { selector: "node.faded", style: { "opacity": 0.15 } },
      { selector: "edge.faded", style: { "opacity": 0.05 } },
      { selector: "node.axis", style: {
        "background-opacity": 0, "border-width": 0, "width": 1, "height": 1,
        "label": "data(label)", "font-size": 13, "color": "#555", "events": "no",
        "text-valign": "center", "text-halign": "left", "text-margin-x": -6,
        "min-zoomed-font-size": 0 } },
      { selector: "node.axis.year", style: { "text-halign": "center",
        "text-valign": "top", "text-margin-x": 0 } },
      { selector: "edge.guide", style: { "line-color": "#e3e3e3", "width": 1,
        "curve-style": "straight", "events": "no", "opacity": 1 } }
    ];
  }

  function draw(body) {
    var drawStart = performance.now();
    data = api.data = body;
    byId = {};
    kindColour = {};
    body.kinds.forEach(function (k) { kindColour[k.name] = k.colour; });
    var several = multiCommittee(body.nodes);
    var links = body.links;
    var edgeCount = links.source.length;
    var big = body.nodes.length + edgeCount > 3000;
    var els = [];
    // the labels of the largest nodes show at any zoom, the others once zoomed in
    var sizes = body.nodes.map(function (n) { return n.size; }).sort(function (a, b) { return b - a; });
    var major = sizes.length ? sizes[Math.min(sizes.length, MAJOR) - 1] : 1;
    var connectors = {};
    VIEWS[body.view].kinds.forEach(function (k) { connectors[k.name] = k.connector; });
    body.nodes.forEach(function (n) {
      byId[n.id] = n;
      var px = 12 + 40 * n.size;
      var isMajor = n.size >= major && n.size > 0 && !connectors[n.kind] && !body.timeline;
      var cls = "data " + n.kind + (isMajor ? " major" : "") + (big ? " plain" : "") +
        (isMajor || !big ? " labelled" : "");
      els.push({ group: "nodes", classes: cls, position: { x: n.x, y: n.y },
        data: { id: n.id, label: labelOf(n, several), px: px,
          fs: Math.round(9 + px / 4), colour: colourOf(n) } });
    });
    (body.axes || []).forEach(function (a) {
      els.push({ group: "nodes", classes: "axis " + a.role, position: { x: a.x, y: a.y },
        selectable: false, grabbable: false,
        data: { id: "axis:" + a.id, label: axisLabel(a) } });
    });
    (body.guides || []).forEach(function (g, k) {
      els.push({ group: "edges", classes: "guide",
        data: { id: "guide:" + k, source: "axis:" + g.source, target: "axis:" + g.target } });
    });
    // the edges come as columns (compact=1): node indices, kind indices, weights
    var nodes = body.nodes;
    var then = links.kinds.indexOf("then");
    var plain = body.directed ? "directed" : "";
    for (var k = 0; k < edgeCount; k += 1) {
      els.push({ group: "edges", classes: links.kind[k] === then ? "then" : plain,
        data: { id: "e" + k, source: nodes[links.source[k]].id,
          target: nodes[links.target[k]].id, w: 0.6 + 1.6 * Math.log2(1 + links.weight[k]) } });
    }
    var built = performance.now();
    clear();
    document.getElementById("cy").hidden = false;
    cy = api.cy = cytoscape({
      container: document.getElementById("cy"),
      style: style(),
      layout: { name: "preset", fit: false },
      minZoom: 0.02,
      maxZoom: 6,
      boxSelectionEnabled: false,
      autoungrabify: true,
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      pixelRatio: big ? 1 : "auto"
    });
    // the elements are added once Cytoscape is made, not given to it: its (preset) layout
    // would set every node's position again, each with its events (some 15% of the time)
    cy.add(els);
    cy.fit(undefined, 30);
    if (cy.zoom() > MAX_FIT_ZOOM) {  // a small graph is not blown up to the whole stage
      cy.zoom(MAX_FIT_ZOOM);
      cy.center();
    }
    api.timing = { build: built - drawStart, cytoscape: performance.now() - built };
    if (big) {
      // a big graph labels its other nodes once it is zoomed in to read them: those in view,
      // when the view has stood still for a moment (so that the frames of a zoom or a pan
      // stay quick: measuring and drawing a thousand labels takes a second)
      cy.on("viewport", function (e) { labelSoon(e.cy); });
    }
    cy.on("mouseover", "node.data", function (e) { hover(e.target); });
    cy.on("mouseout", "node.data", function (e) {
      e.target.removeClass("hover");
      e.target.connectedEdges().removeClass("hover");
    });
    cy.on("tap", "node.data", function (e) { open(e.target.id()); });
    drawn(body, edgeCount);
    cy.one("render", function () {
      requestAnimationFrame(function () {
        api.loads += 1;
        api.readyAt = performance.now();
        api.timing.render = api.readyAt - drawStart - api.timing.build - api.timing.cytoscape;
        document.body.dataset.state = "ready";
      });
    });
    cy.resize();
  }

  function clear() {
    if (cy) { cy.destroy(); cy = api.cy = null; }
    if (timeline) { timeline.destroy(); timeline = api.timeline = null; }
    document.getElementById("cy").hidden = true;
    document.getElementById("timeline").hidden = true;
    showDetails(null);
  }

  // what every drawing ends with: the status line, the notices, the legend's counts
  function drawn(body, edgeCount) {
    var status = body.nodes.length + " " + t("nodes") + " · " + edgeCount + " " +
      t("edges") + " · " + t("generation") + " " + body.generation;
    document.getElementById("status").textContent = status;
    document.body.dataset.nodes = String(body.nodes.length);
    document.body.dataset.edges = String(edgeCount);
    if (body.truncated) {
      showNotice(TEXT[state.lang].truncated(body.nodes.length, body.total.nodes));
    } else {
      showNotice(body.nodes.length ? "" : t("empty"));
    }
    buildKinds();
    search(document.getElementById("search").value);
  }

  function ready() {
    requestAnimationFrame(function () {
      api.loads += 1;
      api.readyAt = performance.now();
      document.body.dataset.state = "ready";
    });
  }

  // -- the timeline (the appeals view) ----------------------------------------------------
  // Lanes per commission: its sessions, then one per appeal (disposition to ruling), each
  // appeal's span shaded behind its events. vis-timeline stacks items whose labels would
  // overlap and, past a few at one place, draws them as one item with their count.
  var CLUSTER_AT = 4;

  function textEl(text, cls) {
    return el("span", text, cls);
  }

  function appealLane(n) {
    var who = n.authority ? (n.authority[state.lang] || n.authority.ja) : "";
    return t("appealLane")(who, n.disposed || "");
  }

  function drawTimeline(body) {
    data = api.data = body;
    byId = {};
    clear();
    var box = document.getElementById("timeline");
    box.hidden = false;
    var groups = [];
    var items = [];
    var lanes = {};  // commission → { sessions: n, appeals: { iri: [first, last, a node] } }
    body.nodes.forEach(function (n) {
      byId[n.id] = n;
      var lane = lanes[n.committee] || (lanes[n.committee] = { sessions: 0, appeals: {} });
      if (n.kind === "session") {
        lane.sessions += 1;
        items.push({ id: n.id, group: "c " + n.committee, start: n.date, type: "point",
          content: textEl(t("day")(n.date)), className: "kind-session" });
        return;
      }
      var span = lane.appeals[n.appeal] || (lane.appeals[n.appeal] = [n.date, n.date, n]);
      if (n.date < span[0]) { span[0] = n.date; }
      if (n.date > span[1]) { span[1] = n.date; }
      items.push({ id: n.id, group: "a " + n.appeal, start: n.date, type: "point",
        content: textEl(EVENT[n.kind] ? EVENT[n.kind][state.lang] : n.kind),
        className: "kind-" + n.kind });
    });
    var order = 0;
    config.committees.concat([{ code: "" }]).forEach(function (c) {
      var codes = c.code ? [c.code] : Object.keys(lanes).filter(function (k) { return !COMMITTEES[k]; });
      codes.forEach(function (code) {
        var lane = lanes[code];
        if (!lane) { return; }
        var nested = [];
        Object.keys(lane.appeals).sort(function (a, b) {
          return lane.appeals[a][0] < lane.appeals[b][0] ? -1 : lane.appeals[a][0] > lane.appeals[b][0] ? 1 : 0;
        }).forEach(function (iri) {
          var span = lane.appeals[iri];
          nested.push("a " + iri);
          groups.push({ id: "a " + iri, order: order += 1, className: "lane-appeal", treeLevel: 2,
            content: textEl(appealLane(span[2])) });
          if (span[1] > span[0]) {
            items.push({ id: "span " + iri, group: "a " + iri, start: span[0], end: span[1],
              type: "background", className: "appeal-span" });
          }
        });
        // the commission's own lane holds its sessions; its appeals are nested below it
        groups.push({ id: "c " + code, order: order += 1, treeLevel: 1,
          nestedGroups: nested.length ? nested : undefined, showNested: true,
          className: "lane-committee",
          content: textEl(committeeName(code) + " · " + t("sessionsLane")(lane.sessions)) });
      });
    });
    var ja = state.lang === "ja";
    // the whole period, with room on the right for the labels of the last items
    var days = body.nodes.map(function (n) { return Date.parse(n.date); });
    var lo = Math.min.apply(null, days), hi = Math.max.apply(null, days);
    var pad = days.length ? (hi - lo) * 0.04 + 1000 * 60 * 60 * 24 * 45 : 0;
    timeline = api.timeline = new vis.Timeline(box, items, groups, {
      start: days.length ? lo - pad : undefined,
      end: days.length ? hi + 2 * pad : undefined,
      stack: true,
      cluster: { maxItems: CLUSTER_AT, showStipes: false, fitOnDoubleClick: true,
        titleTemplate: t("cluster")("{count}") },
      orientation: { axis: "top", item: "top" },
      groupOrder: "order",
      groupHeightMode: "auto",
      margin: { item: { horizontal: 6, vertical: 4 }, axis: 6 },
      zoomMin: 1000 * 60 * 60 * 24 * 10,
      zoomMax: 1000 * 60 * 60 * 24 * 366 * 40,
      showCurrentTime: false,
      selectable: true,
      // the page's language, not the browser's (vis-timeline's moment takes the latter)
      locale: state.lang,
      // ready once the drawing shows: vis-timeline keeps it hidden for its first frames
      onInitialDrawComplete: ready,
      tooltip: { followMouse: false },
      format: ja ? {
        minorLabels: { day: "D日", weekday: "D日", month: "M月", year: "YYYY年" },
        majorLabels: { day: "YYYY年M月", weekday: "YYYY年M月", month: "YYYY年", year: "" }
      } : undefined
    });
    timeline.on("itemover", function (p) { if (byId[p.item]) { showDetails(byId[p.item]); } });
    timeline.on("click", function (p) { if (p.item && byId[p.item]) { open(p.item); } });
    drawn(body, (body.links && body.links.source.length) || 0);
  }

  // (not in cy.scratch(): setting it restyles every element)
  var labelTimer = null;

  function labelSoon(c) {
    clearTimeout(labelTimer);
    if (c.zoom() > LABEL_ZOOM) {
      labelTimer = setTimeout(function () { labelInView(c); }, LABEL_DELAY);
    }
  }

  // the largest unlabelled nodes in view get their labels, LABEL_MAX at a time (the frame
  // that draws them costs ~0.2 s, and ~1 ms more a label), the others a moment later
  function labelInView(c) {
    if (c.destroyed() || c.zoom() <= LABEL_ZOOM) { return; }
    var e = c.extent();
    var m = e.w / 10;  // and those just outside, whose labels reach in
    var todo = c.nodes(".data").filter(function (node) {
      var p = node.position();
      return p.x >= e.x1 - m && p.x <= e.x2 + m && p.y >= e.y1 - m && p.y <= e.y2 + m &&
        !node.hasClass("labelled");
    });
    todo.sort(function (a, b) { return b.data("px") - a.data("px"); })
      .slice(0, LABEL_MAX).addClass("labelled");
    if (todo.length > LABEL_MAX) { labelSoon(c); }
  }

  function relabel() {
    if (!cy || !data) { return; }
    var several = multiCommittee(data.nodes);
    cy.batch(function () {
      cy.nodes(".data").forEach(function (node) {
        var n = byId[node.id()];
        node.data("label", labelOf(n, several));
        node.data("colour", colourOf(n));
      });
      (data.axes || []).forEach(function (a) {
        cy.getElementById("axis:" + a.id).data("label", axisLabel(a));
      });
    });
  }

  // -- hover details and click ------------------------------------------------------------
  function kindLabel(name) {
    var k = VIEWS[state.view].kinds.filter(function (x) { return x.name === name; })[0];
    return k ? (k.label[state.lang] || k.label.ja) : name;
  }

  function fact(dl, name, value) {
    if (value === undefined || value === null || value === "") { return; }
    dl.appendChild(el("dt", name));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }

  function sessionLink(day, iri) {
    var href = hrefOf(iri);
    if (!href) { return document.createTextNode(day || ""); }
    var a = el("a", day);
    a.href = href;
    return a;
  }

  function hover(node) {
    node.addClass("hover");
    node.connectedEdges().addClass("hover");
    showDetails(byId[node.id()]);
  }

  var shownNode = null;

  function showDetails(n) {
    shownNode = n || null;
    if (!n) { document.getElementById("details").hidden = true; return; }
    var box = document.getElementById("details");
    var other = state.lang === "en" ? n.label.ja : n.label.en;
    document.getElementById("d-label").textContent = fullLabel(n, false);
    var sub = kindLabel(n.kind);
    if (n.committee) { sub += " · " + committeeName(n.committee); }
    if (other && other !== fullLabel(n, false)) { sub += " · " + other; }
    document.getElementById("d-sub").textContent = sub;
    var dl = document.getElementById("d-facts");
    dl.textContent = "";
    if (n.outcome) { fact(dl, t("outcome"), n.outcome[state.lang] || n.outcome.ja); }
    if (n.title) { fact(dl, t("item"), n.title); }
    if (n.purpose) { fact(dl, t("purpose"), n.purpose); }
    if (n.body) { fact(dl, t("body"), n.body[state.lang] || n.body.ja); }
    if (n.date && !n.sessions) { fact(dl, t("date"), n.date); }
    if (n.sessions) {
      fact(dl, t("sessionsCount"), n.sessions);
      var span = el("span");
      span.appendChild(sessionLink(n.first, n.first_session));
      if (n.last_session !== n.first_session) {
        span.appendChild(document.createTextNode(" / "));
        span.appendChild(sessionLink(n.last, n.last_session));
      }
      fact(dl, t("firstLast"), span);
    }
    var parts = Object.keys(n.counts || {}).map(function (k) {
      return kindLabel(k) + " " + n.counts[k];
    });
    fact(dl, t("connected"), parts.join(", "));
    var text = n.text || "";
    if (n.answer) { text += "\n— " + t("answer") + ": " + n.answer; }
    document.getElementById("d-text").textContent = text;
    document.getElementById("d-hint").hidden = !n.href;
    box.hidden = false;
  }

  function open(id) {
    var n = byId[id];
    if (!n || !n.href) { return; }
    location.href = new URL(n.href, document.baseURI).href;
  }

  // -- search ---------------------------------------------------------------------------------
  function search(text) {
    var list = document.getElementById("matches");
    list.textContent = "";
    var needle = (text || "").trim().toLowerCase();
    if (timeline) { return searchTimeline(needle, list); }
    if (!cy) { return []; }
    // only from the elements that have them: Cytoscape restyles every element it is asked
    // to remove a class from, whether it had it or not (a third of a second on a big graph)
    cy.batch(function () {
      cy.elements(".match, .faded").removeClass("match faded");
    });
    if (!needle) { return []; }
    var found = cy.nodes(".data").filter(function (node) {
      var n = byId[node.id()];
      return ((n.label.ja || "") + "\u0000" + (n.label.en || "") + "\u0000" + (n.title || ""))
        .toLowerCase().indexOf(needle) >= 0;
    });
    cy.batch(function () {
      cy.elements().not(".axis, .guide").addClass("faded");
      found.removeClass("faded").addClass("match");
      found.connectedEdges().removeClass("faded");
    });
    list.appendChild(el("p", found.length ? found.length + " " + t("matches") : t("noMatch"),
      "note"));
    found.slice(0, 12).forEach(function (node) {
      var b = el("button", fullLabel(byId[node.id()], false));
      b.type = "button";
      b.addEventListener("click", function () {
        cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250 });
        showDetails(byId[node.id()]);
      });
      list.appendChild(b);
    });
    return found;
  }

  function matches(n, needle) {
    return ((n.label.ja || "") + "\u0000" + (n.label.en || "") + "\u0000" + (n.title || ""))
      .toLowerCase().indexOf(needle) >= 0;
  }

  function searchTimeline(needle, list) {
    var found = needle ? data.nodes.filter(function (n) { return matches(n, needle); }) : [];
    timeline.setSelection(found.map(function (n) { return n.id; }));
    if (!needle) { return []; }
    list.appendChild(el("p", found.length ? found.length + " " + t("matches") : t("noMatch"),
      "note"));
    found.slice(0, 12).forEach(function (n) {
      var b = el("button", fullLabel(n, false) + " · " + n.date);
      b.type = "button";
      b.addEventListener("click", function () { timeline.focus(n.id); showDetails(n); });
      list.appendChild(b);
    });
    return found;
  }

  // -- wiring ---------------------------------------------------------------------------------
  var searchTimer = null;
  document.getElementById("search").addEventListener("input", function (e) {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(e.target.value); }, 150);
  });
  document.getElementById("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      var found = search(e.target.value);
      if (found.length && timeline) {
        timeline.focus(found.map(function (n) { return n.id; }));
      } else if (found.length) {
        cy.animate({ fit: { eles: found, padding: 60 } }, { duration: 300 });
      }
    }
  });
  ["period-from", "period-to"].forEach(function (id) {
    var input = document.getElementById(id);
    input.addEventListener("input", showPeriod);
    input.addEventListener("change", function () { showPeriod(); periodFromSliders(); load(); });
  });
  document.getElementById("committee").addEventListener("change", function (e) {
    state.committee = e.target.value;
    load();
  });
  document.getElementById("size").addEventListener("change", function (e) {
    state.size = e.target.value;
    load();
  });
  document.getElementById("colour").addEventListener("change", function (e) {
    state.colour = e.target.value;
    remember();
    applyText();
    relabel();
  });
  document.getElementById("fit").addEventListener("click", function () {
    if (timeline) { timeline.fit(); }
    if (cy) { cy.animate({ fit: { eles: cy.elements(), padding: 30 } }, { duration: 250 }); }
  });
  document.getElementById("zoom-in").addEventListener("click", function () {
    if (timeline) { timeline.zoomIn(0.5); }
    if (cy) { cy.zoom({ level: cy.zoom() * 1.4, renderedPosition: center() }); }
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    if (timeline) { timeline.zoomOut(0.5); }
    if (cy) { cy.zoom({ level: cy.zoom() / 1.4, renderedPosition: center() }); }
  });
  function center() {
    var box = document.getElementById("cy");
    return { x: box.clientWidth / 2, y: box.clientHeight / 2 };
  }

  document.getElementById("size").value = state.size;
  document.getElementById("colour").value = state.colour;
  api.search = search;
  api.open = open;
  buildViews();
  buildCommittees();
  buildPeriod();
  buildKinds();
  load();
})();
