"""The site in a real browser (Debian's Chromium driven by Playwright; issue 18): every page
in both languages shares one layout whose header fits one row at 1366 px, logs no console
error and asks nothing of any other host; the search box finds a remark; the editor marks
a syntax error where the parser stopped; /ontology's example of an appeal's life runs in
the editor; the timeline's labels never overlap, at any zoom and density; the language
switch changes every visible string of /graph. One server and one browser for the module.
Every page is photographed at 1366×900: set CKG_SCREENSHOTS=DIR to keep the pictures and
look at them."""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

import pytest

from committee_kg.server.publish.dcat import Metadata
from committee_kg.server.publish.dump import dump
from committee_kg.server.store.store import Snapshot

from .support.browser import ARGS, CHROMIUM
from .support.server import start_server, stop_server

pytestmark = pytest.mark.slow  # a real browser (Chromium) on a served store

playwright = pytest.importorskip("playwright.sync_api")
BASE = "https://w3id.org/committee-kg/"
READY = "body[data-state=ready]"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
REMARK_WORDS = "相談窓口があることを"

# every kind of page, and the status it answers with
PAGES = {
    "start": ("/", 200),
    "search": ("/search?q=" + urllib.parse.quote("援助要求"), 200),
    "sparql": ("/sparql", 200),
    "graph-officers": ("/graph", 200),
    "graph-members": ("/graph?view=members", 200),
    "graph-dispatch": ("/graph?view=dispatch", 200),
    "graph-timeline": ("/graph?view=appeals", 200),
    "ontology": ("/ontology", 200),
    "dumps": ("/dumps/", 200),
    "meeting": ("/id/meeting/JP-35/2025-04-09", 200),
    "committee": ("/id/committee/JP-35", 200),
    "member": ("/id/" + urllib.parse.quote("member/JP-35/上田"), 200),
    "officer": ("/id/" + urllib.parse.quote("officer/JP-35/警務部長"), 200),
    "remark": ("/id/meeting/JP-35/2025-04-09/remark/2", 200),
    "appeal": ("/id/" + urllib.parse.quote("appeal/JP-35/警察本部長/2019-05-10/1"), 200),
    "topic": ("/id/topic/cybercrime", 200),
    "not-found": ("/id/meeting/JP-35/2025-04-10", 404),
    "bad-query": ("/sparql?query=" + urllib.parse.quote("SELECT * WHERE {\n  ?s ?p }"), 400),
}


@pytest.fixture(scope="module")
def server(example_store, tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (scripts/test.sh installs it)")
    work = tmp_path_factory.mktemp("site-browser")
    store = example_store
    proc, url = start_server(store, "--workers", "1", "--dumps", str(work / "dumps"))
    dump(Snapshot(store), work / "dumps", Metadata.from_settings(BASE, public_url=url + "/"))
    yield url
    assert "Traceback" not in stop_server(proc)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", *ARGS])
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    keep = os.environ.get("CKG_SCREENSHOTS")
    path = Path(keep) if keep else tmp_path_factory.mktemp("site-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page(browser):
    """A fresh browser profile (no cookie yet) at 1366×900 that records every request and
    every console error."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.requests, page.problems = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def settle(page, path: str) -> None:
    """Until the page has drawn what it draws with scripts."""
    if path.startswith("/graph"):
        page.wait_for_selector(READY, state="attached", timeout=30_000)
        page.wait_for_timeout(300)  # the frame after the drawing, for the screenshot
    elif path == "/sparql":
        page.wait_for_selector(".yasqe .CodeMirror")
        page.wait_for_selector("#catalogue-select option:nth-child(3)", state="attached")


def only_local(requests) -> bool:
    hosts = {urllib.parse.urlsplit(u).hostname for u in requests if not u.startswith("data:")}
    return hosts == {"127.0.0.1"}


def header_rows(page) -> int:
    """How many rows the site's header takes: its items, grouped by where they stand."""
    tops = page.evaluate(
        """Array.from(document.querySelectorAll('header.site > *'))
           .map(e => e.getBoundingClientRect()).map(r => [r.top, r.bottom])"""
    )
    rows = []
    for top, bottom in sorted(tops):
        if not rows or top >= rows[-1]:
            rows.append(bottom)
    return len(rows)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_is_one_site_in_either_language(server, page, shots, lang):
    for name, (path, status) in PAGES.items():
        page.problems.clear()
        sep = "&" if "?" in path else "?"
        response = page.goto(server + path + sep + "lang=" + lang)
        assert response.status == status, name
        settle(page, path)
        page.screenshot(path=str(shots / f"{name}.{lang}.png"))
        assert page.evaluate("document.documentElement.lang") == lang, name
        assert page.locator("header.site nav a").count() == 6, name
        assert header_rows(page) == 1, name
        chrome = page.locator("header.site").inner_text().replace("日本語", "")
        assert bool(JAPANESE.search(chrome)) == (lang == "ja"), (name, chrome)
        # the browser notes a page's own error status, and nothing else goes wrong
        expected = f"status of {status}"
        assert [p for p in page.problems if status == 200 or expected not in p] == [], name
    assert only_local(page.requests), page.requests
    # the choice is remembered: a page asked for without it comes in the same language
    page.goto(server + "/ontology")
    assert page.evaluate("document.documentElement.lang") == lang


def test_the_search_box_finds_a_remark(server, page):
    page.goto(server + "/")
    box = page.locator("form#search input[name=q]")
    assert box.evaluate("e => e === document.activeElement")  # it leads: focused at once
    box.fill(REMARK_WORDS)
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    hit = page.locator("li.hit.remark").first
    assert REMARK_WORDS in hit.locator("mark").inner_text()
    hit.locator(".hit-head a").click()
    page.wait_for_url("**/remark/*")
    assert REMARK_WORDS in page.locator("main").inner_text()
    assert page.problems == [] and only_local(page.requests)


# -- errors a person can read, and the appeal's life on /ontology ---------------------------

EDITOR = ".tabPanel.active .CodeMirror"


def editor_text(page) -> str:
    return page.evaluate(f"document.querySelector({json.dumps(EDITOR)}).CodeMirror.getValue()")


def run_query(page) -> None:
    page.locator(".yasqe_queryButton:visible").click()


def test_the_editor_marks_a_syntax_error_where_the_parser_stopped(server, page):
    page.goto(server + "/sparql?lang=en")
    settle(page, "/sparql")
    # the starting query is seen whole at 1366×900, under its prefixes
    assert page.evaluate(
        f"""() => {{ const cm = document.querySelector({json.dumps(EDITOR)}).CodeMirror;
             const shown = cm.getScrollInfo().clientHeight;
             return cm.heightAtLine(cm.lineCount(), 'local') <= shown; }}"""
    )
    page.evaluate(
        f"""q => document.querySelector({json.dumps(EDITOR)}).CodeMirror.setValue(q)""",
        "SELECT * WHERE {\n  ?s ?p }",
    )
    run_query(page)
    problem = page.locator(".ckg-problem:visible")
    problem.wait_for(timeout=15_000)
    assert "Line 2, column 10" in problem.inner_text()
    # the line is marked (0-based in CodeMirror), and the place in it: the end of the line,
    # where what is missing would go
    assert marked_lines(page) == [1]
    assert page.locator(f"{EDITOR} .ckg-error-end, {EDITOR} .ckg-error-at").count() == 1
    # the browser notes the 400 the endpoint answered, and nothing else goes wrong
    assert [p for p in page.problems if "status of 400" not in p] == []
    # editing the query takes the mark away
    page.locator(EDITOR).click()
    page.keyboard.type(" ")
    assert marked_lines(page) == []
    assert page.locator(f"{EDITOR} .ckg-error-end, {EDITOR} .ckg-error-at").count() == 0


def marked_lines(page) -> list[int]:
    return page.evaluate(
        f"""() => {{ const cm = document.querySelector({json.dumps(EDITOR)}).CodeMirror;
             return [...Array(cm.lineCount()).keys()]
               .filter(i => (cm.lineInfo(i).bgClass || '').includes('ckg-error-line')); }}"""
    )


def test_the_error_page_opens_the_query_in_the_editor_to_fix_it(server, page):
    query = "SELECT * WHERE {\n  ?s ?p }"
    page.goto(server + "/sparql?lang=en&query=" + urllib.parse.quote(query))
    page.locator("#fix-in-editor").click()
    settle(page, "/sparql")
    assert editor_text(page) == query


def test_the_ontology_s_example_of_an_appeal_s_life_runs_in_the_editor(server, page):
    """Issue 18 point 4: a researcher reaching ckg:Appeal on /ontology finds its life's
    dates and a query that reads them, one click from its answer."""
    page.goto(server + "/ontology?lang=en#Appeal")
    term = page.locator("article#Appeal")
    for local in ("receiptDate", "hearingDate", "opinionDate", "rulingDate"):
        assert term.locator(f"a[href='#{local}']").count() == 1, local
    example = term.locator(".example pre").inner_text()
    assert "ckg:rulingDate" in example
    term.locator(".example a").click()
    settle(page, "/sparql")
    assert editor_text(page).strip() == example.strip()
    run_query(page)
    page.locator(".yasr table:visible tbody tr").first.wait_for(timeout=15_000)
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('.yasr table tbody tr'))
             .map(tr => Array.from(tr.cells).map(td => td.innerText.trim()))"""
    )
    # the appeal disposed of on 2019-05-10: received 2019-06-12, ruled on 2019-08-21
    row = next(r for r in rows if any(c.endswith("/2019-05-10/1>") for c in r))
    assert any("2019-06-12" in c for c in row) and any("2019-08-21" in c for c in row), row
    assert page.problems == [] and only_local(page.requests)


# -- the timeline ---------------------------------------------------------------------------

OVERLAPS = """() => {
  const view = document.querySelector('#timeline .vis-center').getBoundingClientRect();
  const boxes = sel => Array.from(document.querySelectorAll(sel))
    .map(e => e.getBoundingClientRect())
    .filter(r => r.width > 0 && r.right > view.left && r.left < view.right &&
                 r.bottom > view.top && r.top < view.bottom);
  const clash = rs => {
    const out = [];
    for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) {
      const a = rs[i], b = rs[j];
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
          a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push([i, j]);
    }
    return out.length;
  };
  // an item with its label (a point's dot is an element of its own, inside the item)
  const items = boxes('#timeline .vis-item:not(.vis-background):not(.vis-dot)');
  return {items: items.length,
          clusters: document.querySelectorAll('#timeline .vis-cluster').length,
          itemClashes: clash(items),
          axisClashes: clash(boxes('#timeline .vis-time-axis .vis-text')),
          laneClashes: clash(boxes('#timeline .vis-labelset .vis-label'))};
}"""


def window(page, start: str, end: str) -> dict:
    """Show the timeline from start to end; what is drawn then, and what overlaps."""
    page.evaluate(
        """([a, b]) => new Promise(done => {
             const tl = window.ckgGraph.timeline;
             tl.once('changed', () => requestAnimationFrame(() => done()));
             tl.setWindow(a, b, {animation: false});
           })""",
        [start, end],
    )
    return page.evaluate(OVERLAPS)


def dense_appeals(sessions: int = 1500, appeals: int = 60) -> str:
    """An appeals view as the API gives it, for three commissions holding a session every
    few days for twenty years, and appeals whose events crowd one another."""
    nodes, first = [], date(2005, 1, 5)
    for k in range(sessions):
        day = (first + timedelta(days=k * 14 // 3)).isoformat()
        code = ("JP-35", "JP-32", "JP-34")[k % 3]
        nodes.append(
            {
                "id": f"s{k}",
                "kind": "session",
                "date": day,
                "committee": code,
                "label": {"ja": day, "en": day},
                "title": f"session {day}",
                "href": None,
            }
        )
    for a in range(appeals):
        start = first + timedelta(days=a * 120)
        appeal = f"{BASE}id/appeal/JP-35/警察本部長/{start.isoformat()}/1"
        for step, kind in enumerate(("appeal", "receipt", "hearing", "opinion", "ruling")):
            day = (start + timedelta(days=step * 9)).isoformat()
            nodes.append(
                {
                    "id": f"a{a}-{kind}",
                    "kind": kind,
                    "date": day,
                    "committee": "JP-35",
                    "appeal": appeal,
                    "disposed": start.isoformat(),
                    "authority": {"ja": "警察本部長", "en": "Chief of Police"},
                    "label": {"ja": f"{kind} {day}", "en": f"{kind} {day}"},
                    "href": None,
                }
            )
    return json.dumps(
        {"view": "appeals", "generation": "000001", "directed": False, "timeline": True,
         "filters": {}, "kinds": [], "id_base": BASE + "id/", "nodes": nodes,
         "links": {"kinds": [], "source": [], "target": [], "kind": [], "weight": []},
         "axes": [], "guides": [], "communities": 1,
         "total": {"nodes": len(nodes), "edges": 0}, "truncated": False, "max_nodes": 3000}
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_timeline_labels_never_overlap(server, page, shots, lang):
    page.goto(server + f"/graph?view=appeals&lang={lang}")
    settle(page, "/graph")
    api = json.loads(page.evaluate("JSON.stringify(window.ckgGraph.data)"))
    assert page.locator("#timeline .vis-item:not(.vis-background)").count() > 0
    events = [n for n in api["nodes"] if n["kind"] != "session"]
    assert events and {n["committee"] for n in api["nodes"]} >= {"JP-32", "JP-35"}
    # one lane per commission and one per appeal
    lanes = page.locator("#timeline .vis-labelset .vis-label").count()
    assert lanes == len({n["committee"] for n in api["nodes"]}) + len({n["appeal"] for n in events})
    words = set()  # the rulings' labels wherever they are drawn (only what is in view is)
    for start, end in (("2000-01-01", "2035-01-01"), ("2019-01-01", "2020-01-01"),
                       ("2019-04-01", "2019-07-01")):  # fmt: skip
        drawn = window(page, start, end)
        assert drawn["items"] and drawn["itemClashes"] == drawn["axisClashes"] == 0, drawn
        assert drawn["laneClashes"] == 0, drawn
        ruling = page.locator("#timeline .vis-item.kind-ruling .vis-item-content")
        words.update(ruling.all_inner_texts())
    # one language at a time: the event words and the axis are in the page's language
    assert words == {"裁決" if lang == "ja" else "ruling"}
    axis = " ".join(page.locator("#timeline .vis-time-axis .vis-text").all_inner_texts())
    assert bool(JAPANESE.search(axis)) == (lang == "ja"), axis
    page.screenshot(path=str(shots / f"timeline-zoomed.{lang}.png"))
    assert page.problems == [] and only_local(page.requests)


def test_a_dense_timeline_is_counted_together_and_still_never_overlaps(server, page, shots):
    body = dense_appeals()
    page.route(
        "**/api/graph/appeals*",
        lambda route: route.fulfill(body=body, content_type="application/json"),
    )
    page.goto(server + "/graph?view=appeals&lang=en")
    settle(page, "/graph")
    whole = window(page, "2004-06-01", "2026-01-01")
    assert whole["clusters"] > 0, whole  # twenty years of sessions: counted together
    assert whole["itemClashes"] == whole["axisClashes"] == whole["laneClashes"] == 0, whole
    page.screenshot(path=str(shots / "timeline-dense.png"))
    month = window(page, "2010-03-01", "2010-04-01")
    assert month["clusters"] == 0 and month["items"] > 0, month  # a month: every item
    assert month["itemClashes"] == month["axisClashes"] == 0, month
    assert page.problems == []


# -- the language switch of /graph ----------------------------------------------------------

VISIBLE_TEXT = """() => {
  const out = [];
  const seen = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length) &&
                    getComputedStyle(e).visibility !== 'hidden';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement, text = n.textContent.trim();
    if (!text || !seen(e) || e.closest('script, option, [lang="ja"][hreflang]')) continue;
    out.push(text);
  }
  document.querySelectorAll('input[placeholder]').forEach(i => seen(i) && out.push(i.placeholder));
  document.querySelectorAll('select').forEach(s => seen(s) && s.selectedOptions[0] &&
                                                   out.push(s.selectedOptions[0].text));
  return out;
}"""


def test_the_language_switch_changes_every_visible_string_of_the_graph_page(server, page):
    page.goto(server + "/graph?committee=JP-35&lang=ja")
    settle(page, "/graph")
    japanese = [s for s in page.evaluate(VISIBLE_TEXT) if JAPANESE.search(s)]
    assert len(japanese) > 20 and any("ノード" in s for s in japanese)  # the status line too
    page.locator("header .lang a[data-lang=en]").click()
    page.wait_for_url("**/graph?*lang=en*")
    settle(page, "/graph")
    assert "committee=JP-35" in page.url  # the same view, in the other language
    english = page.evaluate(VISIBLE_TEXT)
    assert [s for s in english if JAPANESE.search(s)] == []
    assert not set(japanese) & set(english)
    assert "nodes" in page.locator("#status").inner_text()
    # and the drawing's labels, where the data has them in English
    label = page.evaluate(
        f"window.ckgGraph.cy.getElementById({json.dumps(BASE + 'id/topic/traffic-accidents')})"
        ".data('label')"
    )
    assert label == "Traffic accidents"
    # remembered: the page opened again without asking is English
    page.goto(server + "/graph?view=dispatch")
    settle(page, "/graph")
    assert [s for s in page.evaluate(VISIBLE_TEXT) if JAPANESE.search(s)] == []
    assert page.problems == [] and only_local(page.requests)
