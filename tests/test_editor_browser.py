"""The query editor in a real browser (Debian's Chromium driven by Playwright): it loads
from our server alone, runs a catalogue query and shows the result table — and no request
leaves 127.0.0.1, and the console stays free of errors (issue 4, point 3)."""

from __future__ import annotations

import os
import urllib.parse

import pytest

from .support.browser import ARGS, CHROMIUM
from .support.server import start_server, stop_server

pytestmark = pytest.mark.slow  # a real browser (Chromium) on a served store

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(example_store):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (scripts/test.sh installs it)")
    proc, url = start_server(example_store, "--workers", "2")
    yield url
    stop_server(proc)


def complete(page, line: str) -> list[str]:
    """Type a line into the active editor and ask for completion (Ctrl-Space)."""
    page.evaluate(
        """line => { const cm = document.querySelector('.tabPanel.active .CodeMirror').CodeMirror;
           cm.setValue('PREFIX ckg: <https://w3id.org/committee-kg/ontology#>\\n' +
                       'SELECT * WHERE {\\n  ' + line);
           cm.focus(); cm.setCursor({line: 2, ch: 2 + line.length}); }""",
        line,
    )
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hint")
    return page.evaluate(
        "Array.from(document.querySelectorAll('.CodeMirror-hint')).map(e => e.textContent)"
    )


def test_the_editor_runs_a_catalogue_query_and_shows_a_table(server):
    requests: list[str] = []
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="ja-JP")
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(server + "/sparql")
        page.wait_for_selector(".yasqe .CodeMirror")
        page.wait_for_function("document.querySelectorAll('#catalogue-select option').length > 12")
        page.select_option("#catalogue-select", "meetings-per-year")
        editor_text = page.evaluate(
            "document.querySelector('.tabPanel.active .CodeMirror').CodeMirror.getValue()"
        )
        assert "title@en: Meetings per commission per year" in editor_text
        page.locator(".yasqe_queryButton:visible").click()
        rows = page.locator(".yasr table tbody tr:visible")
        rows.first.wait_for(timeout=15_000)
        assert rows.count() == 4  # two commissions, two years each
        assert "JP-35" in page.locator(".yasr table:visible").inner_text()
        # completion offers our classes and properties, from the page itself
        assert complete(page, "?m a ckg:Mee") == ["ckg:Meeting"]
        assert complete(page, "?m ckg:agenda") == ["ckg:agendaItem", "ckg:agendaItemCount"]
        browser.close()
    hosts = {urllib.parse.urlsplit(u).hostname for u in requests if not u.startswith("data:")}
    assert hosts == {"127.0.0.1"}, requests
    assert problems == []
