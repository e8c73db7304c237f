/* The query editor (YASGUI from the package): completion from our own vocabulary, the
   query catalogue as a menu, a notice when a result was cut, and a query the server could
   not parse shown as its message with the line and column marked in the query. Every URL
   comes from the page (url_for), so the editor works under a proxy's sub-path; no request
   leaves this server. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("ckg-config").textContent);
  var lang = config.lang === "en" ? "en" : "ja";
  var TEXT = {
    ja: {
      cut: function (n) { return "結果は " + n + " 行で打ち切られました（LIMIT と OFFSET で続きを読めます）。"; },
      problem: "クエリを実行できませんでした",
      at: function (line, column) { return line + " 行目 " + column + " 文字目"; },
      params: "パラメータ", setThem: "VALUES の行で指定します。", example: "例"
    },
    en: {
      cut: function (n) { return "The result was cut at " + n + " rows (page through it with LIMIT and OFFSET)."; },
      problem: "The query could not be run",
      at: function (line, column) { return "Line " + line + ", column " + column; },
      params: "Parameters", setThem: "Set them in the VALUES line.", example: "e.g."
    }
  };
  var text = TEXT[lang];
  var endpoint = new URL(config.endpoint, document.baseURI).href;
  var prefixLines = Object.keys(config.prefixes).map(function (p) {
    return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
  });
  var Yasqe = Yasgui.Yasqe;

  // completion from our vocabulary and prefixes only: the LOV-backed "class" and "property"
  // completers and the prefix.cc list are replaced (no request leaves the page's server)
  Yasqe.forkAutocompleter("class", { name: "ckg-class", bulk: true, get: config.vocabulary.classes, persistenceId: null });
  Yasqe.forkAutocompleter("property", { name: "ckg-property", bulk: true, get: config.vocabulary.properties, persistenceId: null });
  Yasqe.forkAutocompleter("prefixes", { name: "ckg-prefixes", get: prefixLines.map(function (l) { return l.slice(7); }), persistenceId: null });
  Yasqe.defaults.autocompleters = ["ckg-prefixes", "variables", "ckg-class", "ckg-property"];
  Yasqe.defaults.prefixCcApi = null;
  // tall enough for the prefixes and the query under them (300 px showed the prefixes alone
  // at 1366×900); a default, as each tab gives the editor its own height, or none
  Yasqe.defaults.editorHeight = "430px";

  function el(tag, content, cls) {
    var e = document.createElement(tag);
    if (content) { e.textContent = content; }
    if (cls) { e.className = cls; }
    return e;
  }

  // the server answers a failed query with a problem document (RFC 9457); YASR would show
  // its JSON as it came: it is shown as a message instead
  function problemOf(message) {
    try {
      var doc = JSON.parse(message);
      return doc && typeof doc === "object" && doc.detail ? doc : null;
    } catch (e) {
      return null;
    }
  }
  Yasgui.Yasr.defaults.errorRenderers = [function (error) {
    var doc = problemOf(error && error.text);
    if (!doc) { return Promise.resolve(undefined); }
    var box = el("div", null, "ckg-problem");
    box.appendChild(el("h3", text.problem + " (" + doc.status + " " + doc.title + ")"));
    if (doc.line) { box.appendChild(el("p", text.at(doc.line, doc.column), "where")); }
    box.appendChild(el("p", doc.detail, "detail"));
    return Promise.resolve(box);
  }];

  var yasgui = new Yasgui(document.getElementById("editor"), {
    persistenceId: "committee-kg",
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    corsProxy: undefined,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    // result tables name datatypes and IRIs by our prefixes (xsd:integer, not the whole IRI)
    yasr: { prefixes: config.prefixes },
    yasqe: {
      value: prefixLines.join("\n") + "\n\nSELECT ?meeting ?date (COUNT(?item) AS ?items) WHERE {\n" +
        "  ?meeting a ckg:Meeting ; dcterms:date ?date ; ckg:agendaItem ?item .\n" +
        "} GROUP BY ?meeting ?date ORDER BY ?date\n"
    }
  });

  // tabs kept from an earlier visit (local storage) may point elsewhere: bring them home
  Object.keys(yasgui._tabs).forEach(function (id) { yasgui._tabs[id].setEndpoint(endpoint); });

  // the place the parser named, marked in the query until it is edited
  function clearMark(yasqe) {
    var m = yasqe.__ckgMark;
    if (!m) { return; }
    yasqe.removeLineClass(m.line, "background", "ckg-error-line");
    m.marks.forEach(function (mark) { mark.clear(); });
    yasqe.__ckgMark = null;
  }

  function markProblem(yasqe, doc) {
    clearMark(yasqe);
    if (!doc.line || doc.line > yasqe.lineCount()) { return; }
    var line = doc.line - 1;
    var length = yasqe.getLine(line).length;
    var ch = Math.min(Math.max(doc.column - 1, 0), length);
    var marks = [];
    if (ch < length) {
      marks.push(yasqe.markText({ line: line, ch: ch }, { line: line, ch: ch + 1 },
        { className: "ckg-error-at", title: doc.detail }));
    } else {  // at the end of the line: a mark where the missing part would go
      var end = el("span", null, "ckg-error-end");
      end.title = doc.detail;
      marks.push(yasqe.setBookmark({ line: line, ch: ch }, { widget: end }));
    }
    yasqe.addLineClass(line, "background", "ckg-error-line");
    yasqe.__ckgMark = { line: line, marks: marks };
    yasqe.scrollIntoView({ line: line, ch: ch }, 40);
  }

  var notice = document.getElementById("notice");
  function watch(tab) {
    var yasqe = tab.getYasqe && tab.getYasqe();
    if (!yasqe || yasqe.__ckgWatched) { return; }
    yasqe.__ckgWatched = true;
    yasqe.on("change", function () { clearMark(yasqe); });
    yasqe.on("queryResponse", function (_y, response) {
      if (response instanceof Error) {
        notice.style.display = "none";
        var doc = problemOf(response.message);
        if (doc) { markProblem(yasqe, doc); }
        return;
      }
      clearMark(yasqe);
      var headers = response && response.headers;
      var cut = headers && headers.get && headers.get("X-Committee-KG-Truncated") === "true";
      notice.style.display = cut ? "block" : "none";
      if (cut) { notice.textContent = text.cut(headers.get("X-Committee-KG-Rows")); }
    });
  }
  watch(yasgui.getTab());
  yasgui.on("tabSelect", function (_y, id) { setTimeout(function () { watch(yasgui.getTab(id)); }, 0); });
  yasgui.on("tabAdd", function (_y, id) { setTimeout(function () { watch(yasgui.getTab(id)); }, 0); });

  // the query catalogue (queries/*.rq) as a menu: choosing one opens it in its own tab
  var select = document.getElementById("catalogue-select");
  var description = document.getElementById("description");
  var byName = {};
  fetch(new URL(config.catalogue, document.baseURI)).then(function (r) { return r.json(); }).then(function (list) {
    list.forEach(function (q) {
      byName[q.name] = q;
      var opt = el("option", q.title[lang] || q.title.ja);
      opt.value = q.name;
      select.appendChild(opt);
    });
  });
  select.addEventListener("change", function () {
    var q = byName[select.value];
    if (!q) { description.textContent = ""; return; }
    description.textContent = q.description[lang] + (q.params.length ? "  — " + text.params + ": " +
      q.params.map(function (p) { return "?" + p.name + (p.example ? " (" + text.example + " " + p.example + ")" : ""); }).join(", ") +
      " — " + text.setThem : "");
    var existing = Object.keys(yasgui._tabs).filter(function (id) { return yasgui._tabs[id].getName() === q.name; });
    var tab = existing.length ? yasgui.selectTabId(existing[0]) : yasgui.addTab(true, { name: q.name });
    tab.setEndpoint(endpoint);
    tab.setQuery(q.query);
    watch(tab);
  });
})();
