"""/graph in a real browser (Debian's Chromium driven by Playwright; issue 7, point 5): the
page loads with no console error and no request leaving the server, draws as many nodes as
the API gives, a filter changes them as the API says, and a click opens the right resource
page. Screenshots go to the test's temporary directory (set GRAPH_SHOTS=DIR to keep them).
"""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .support.browser import ARGS, CHROMIUM
from .support.server import start_server, stop_server

pytestmark = pytest.mark.slow  # a real browser (Chromium) on a served store

playwright = pytest.importorskip("playwright.sync_api")
ID = "https://w3id.org/committee-kg/id/"
READY = "body[data-state=ready]"


@pytest.fixture(scope="module")
def server(example_store):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (scripts/test.sh installs it)")
    proc, url = start_server(example_store, "--workers", "1")
    yield url
    log = stop_server(proc)
    assert "Traceback" not in log, log


@pytest.fixture(scope="module")
def browser(server):
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server, tmp_path, request):
    """A page that records every request and every console error."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 850})
    page = context.new_page()
    page.requests, page.problems = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.shots = Path(os.environ.get("GRAPH_SHOTS") or tmp_path)
    page.shots.mkdir(parents=True, exist_ok=True)
    yield page
    context.close()


def api(server, view, **params):
    qs = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{server}/api/graph/{view}?{qs}", timeout=60) as r:
        return json.load(r)


def wait_drawn(page, loads: int) -> None:
    """Until the page has drawn its loads-th graph (it counts them)."""
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    for _ in range(300):
        if page.evaluate("window.ckgGraph.loads") >= loads and page.locator(READY).count():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the graph was not drawn")


def drawn(page) -> int:
    return page.evaluate("window.ckgGraph.cy.nodes('.data').length")


def only_local(server, requests):
    host = urllib.parse.urlsplit(server).hostname
    return {urllib.parse.urlsplit(u).hostname for u in requests if not u.startswith("data:")} == {
        host
    }


def test_the_page_draws_what_the_api_gives_and_asks_nothing_elsewhere(server, page):
    page.goto(server + "/graph")
    wait_drawn(page, 1)
    doc = api(server, "officers")
    assert drawn(page) == len(doc["nodes"]) > 100
    assert page.evaluate("window.ckgGraph.cy.edges().not('.guide').length") == len(doc["edges"])
    # positions are the server's: the browser computes no layout
    first = doc["nodes"][0]
    pos = page.evaluate(f"window.ckgGraph.cy.getElementById({json.dumps(first['id'])}).position()")
    assert (pos["x"], pos["y"]) == (first["x"], first["y"])
    assert "ノード" in page.locator("#status").inner_text()
    page.screenshot(path=page.shots / "graph-officers.png")
    assert page.problems == []
    assert only_local(server, page.requests), page.requests


def test_filters_change_the_drawing_as_the_api_says(server, page):
    page.goto(server + "/graph")
    wait_drawn(page, 1)
    page.select_option("#committee", "JP-32")
    wait_drawn(page, 2)
    assert drawn(page) == len(api(server, "officers", committee="JP-32")["nodes"])
    assert "committee=JP-32" in page.url
    # the period slider: from the month of the first 2025 session on
    months = page.evaluate(
        "Array.from({length: +document.getElementById('period-from').max + 1}, (_, k) => k)"
    )
    start = page.evaluate("window.ckgGraph.config.period.first").rsplit("-", 1)[0]
    index = next(k for k in months if _month(start, k) == "2025-01")
    page.evaluate(
        f"""(() => {{ const s = document.getElementById('period-from');
        s.value = '{index}'; s.dispatchEvent(new Event('change')); }})()"""
    )
    wait_drawn(page, 3)
    expected = api(server, "officers", committee="JP-32", **{"from": "2025-01"})
    assert drawn(page) == len(expected["nodes"]) > 0
    assert page.locator("#period-text").inner_text().startswith("2025-01")
    # a kind unticked: items gone, officers linked to topics directly
    for kind in ("report", "decision", "consultation"):
        page.uncheck(f"#kind-list input[value={kind}]")
    aggregate = api(
        server, "officers", committee="JP-32", kinds="officer,topic", **{"from": "2025-01"}
    )
    # three loads were asked for, each aborting the one before: the last one is drawn
    # (polled: the page's CSP allows no eval, which wait_for_function needs)
    for _ in range(200):
        if page.locator(READY).count() and "kinds=officer%2Ctopic" in page.url:
            break
        page.wait_for_timeout(50)
    assert drawn(page) == len(aggregate["nodes"])
    assert {e["kind"] for e in aggregate["edges"]} == {"officer–topic"}
    page.screenshot(path=page.shots / "graph-filtered.png")
    assert page.problems == []


def _month(first: str, k: int) -> str:
    y, m = map(int, first.split("-"))
    m += k
    return f"{y + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}"


def _click_node(page, node_id: str) -> None:
    """Centre the node, zoom in, and click where it is drawn."""
    box = page.locator("#cy").bounding_box()
    rendered = page.evaluate(
        f"""(() => {{ const cy = window.ckgGraph.cy;
        const n = cy.getElementById({json.dumps(node_id)});
        cy.zoom(2.5); cy.center(n); return n.renderedPosition(); }})()"""
    )
    page.mouse.move(box["x"] + rendered["x"], box["y"] + rendered["y"])
    page.wait_for_selector("#details:not([hidden])")
    page.mouse.click(box["x"] + rendered["x"], box["y"] + rendered["y"])


def test_a_click_opens_the_resource_page_and_a_second_the_source_passage(server, page):
    page.goto(server + "/graph?committee=JP-35")
    wait_drawn(page, 1)
    item = ID + "meeting/JP-35/2025-04-09/item/3"
    _click_node(page, item)
    page.wait_for_url("**/id/meeting/JP-35/2025-04-09/item/3")
    assert page.url == server + "/id/meeting/JP-35/2025-04-09/item/3"
    # the item's page quotes the minutes; its passage is one more click (issue 7: "reaches
    # the source passage in two clicks")
    quoted = page.locator("figure.passage mark").first
    assert "援助要求" in quoted.inner_text()
    page.screenshot(path=page.shots / "graph-click-item.png")
    page.locator("figure.passage a", has_text="この箇所").first.click()
    page.wait_for_url("**/passage/**")
    assert "/id/source/" in page.url
    assert "援助要求" in page.locator("body").inner_text()
    page.go_back()
    page.go_back()
    wait_drawn(page, 1)
    officer = ID + "officer/JP-35/生活安全部長"
    _click_node(page, officer)
    target = server + "/id/officer/JP-35/" + urllib.parse.quote("生活安全部長")
    page.wait_for_url(target)
    assert page.url == target


def test_hover_search_language_and_the_timeline(server, page):
    page.goto(server + "/graph?committee=JP-35")
    wait_drawn(page, 1)
    box = page.locator("#cy").bounding_box()
    rendered = page.evaluate(
        f"""(() => {{ const cy = window.ckgGraph.cy;
        const n = cy.getElementById({json.dumps(ID + "officer/JP-35/交通部長")});
        cy.zoom(2); cy.center(n); return n.renderedPosition(); }})()"""
    )
    page.mouse.move(box["x"] + rendered["x"], box["y"] + rendered["y"])
    page.wait_for_selector("#details:not([hidden])")
    assert page.locator("#d-label").inner_text() == "交通部長"
    facts = page.locator("#d-facts").inner_text()
    assert "会議の数" in facts and "最初 / 最後" in facts and "2019-" in facts
    page.screenshot(path=page.shots / "graph-hover.png")
    page.fill("#search", "援助要求")
    page.wait_for_selector("#matches button")
    assert page.evaluate("window.ckgGraph.cy.nodes('.match').length") >= 1
    # the site's language switch reloads the page as it is, in English
    page.click("header .lang a[data-lang=en]")
    page.wait_for_url("**lang=en*")
    wait_drawn(page, 1)
    assert page.locator("header.site a.home").inner_text() == "Commission minutes"
    label = page.evaluate(
        f"window.ckgGraph.cy.getElementById({json.dumps(ID + 'topic/traffic-accidents')})"
        ".data('label')"
    )
    assert label == "Traffic accidents"
    assert "committee=JP-35" in page.url
    # the appeals view is a timeline: the commission's lane, and one lane per appeal
    page.click("#views button[data-view=appeals]")
    wait_drawn(page, 2)
    nodes = api(server, "appeals", committee="JP-35")["nodes"]
    appeals = {n["appeal"] for n in nodes if n["kind"] != "session"}
    assert page.locator("#timeline .vis-labelset .vis-label").count() == 1 + len(appeals)
    assert page.evaluate("window.ckgGraph.timeline.itemsData.length") >= len(nodes)
    page.screenshot(path=page.shots / "graph-timeline.png")
    assert page.problems == []


def test_a_big_graph_draws_every_element_and_labels_what_is_zoomed_into(server, page):
    """A graph past 3,000 elements (here a random one written by the server's own code,
    as the benchmark's): every node and edge is drawn, only the largest nodes are labelled
    until the view is zoomed in, then the nodes in view get theirs; hover and click work."""
    from bench.graphs import synthetic

    body = synthetic(600, 3000)
    doc = json.loads(body)
    page.route(
        "**/api/graph/members*",
        lambda route: route.fulfill(body=body, content_type="application/json"),
    )
    page.goto(server + "/graph?view=members")
    wait_drawn(page, 1)
    assert any("/api/graph/members?compact=1" in u for u in page.requests)
    assert drawn(page) == len(doc["nodes"]) == 600
    assert page.evaluate("window.ckgGraph.cy.edges().length") == len(doc["links"]["source"])
    majors = page.evaluate("window.ckgGraph.cy.nodes('.major').length")
    assert 0 < majors < 40
    assert page.evaluate("window.ckgGraph.cy.nodes('.labelled').not('.major').length") == 0
    page.screenshot(path=page.shots / "graph-big.png")
    far = min(doc["nodes"], key=lambda n: n["x"])  # on the rim: no other node over it
    node = far["id"]
    rendered = page.evaluate(
        f"""(() => {{ const cy = window.ckgGraph.cy;
        const n = cy.getElementById({json.dumps(node)});
        cy.zoom(2); cy.center(n); return n.renderedPosition(); }})()"""
    )
    for _ in range(100):
        if page.evaluate("window.ckgGraph.cy.nodes('.labelled').length") > majors:
            break
        page.wait_for_timeout(50)
    labelled = page.evaluate(
        """(() => { const cy = window.ckgGraph.cy, e = cy.extent(), m = e.w / 10;
        return cy.nodes('.labelled').not('.major').map(n => {
          const p = n.position();
          return p.x >= e.x1 - m && p.x <= e.x2 + m && p.y >= e.y1 - m && p.y <= e.y2 + m; });
        })()"""
    )
    assert labelled and all(labelled)
    page.screenshot(path=page.shots / "graph-big-zoomed.png")
    box = page.locator("#cy").bounding_box()
    page.mouse.move(box["x"] + rendered["x"], box["y"] + rendered["y"])
    page.wait_for_selector("#details:not([hidden])")
    assert page.locator("#d-label").inner_text() == far["label"]["ja"]
    assert page.problems == []
    assert only_local(server, page.requests), page.requests
    # (a made-up member: its page is the store's 404, but the address is the right one)
    page.mouse.click(box["x"] + rendered["x"], box["y"] + rendered["y"])
    page.wait_for_url("**/" + far["href"])
