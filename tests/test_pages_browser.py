"""A page for each kind of node in a real browser (Debian's Chromium driven by Playwright;
issue 6, point 7): it renders with its heading and sections, runs no script at all (the
session whose titles and remarks carry <script> and onerror= included: no dialog opens),
asks nothing of any other host, and logs no console error. Each page is photographed;
set CKG_SCREENSHOTS=DIR to keep the pictures and look at them."""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import pytest

from committee_kg.server.publish.dcat import Metadata
from committee_kg.server.publish.dump import dump
from committee_kg.server.store.store import Snapshot

from .support.browser import ARGS, CHROMIUM
from .support.pages import HOSTILE_MEETING, HOSTILE_TITLE
from .support.server import start_server, stop_server

pytestmark = pytest.mark.slow  # a real browser (Chromium) on a served store

playwright = pytest.importorskip("playwright.sync_api")
BASE = "https://w3id.org/committee-kg/"
ID = BASE + "id/"
SOURCE = "source/ff74c2001542da159ec7159c84842e15fe689b2a233e0c4049e3616875d9a2c3"

# one node of every kind, and what its page must show
PAGES = {
    "meeting": ("meeting/JP-35/2025-04-09", ["出席者", "議事", "決定事項", "上田委員"]),
    "committee": ("committee/JP-35", ["山口県公安委員会", "会議"]),
    "member": ("member/JP-35/上田", ["上田委員", "2025-04-09"]),
    "unnamed member": ("meeting/JP-32/2019-10-17/speaker/member", ["委員"]),
    "officer": ("officer/JP-35/警務部長", ["警務部長", "2025-04-09"]),
    "report": ("meeting/JP-35/2025-04-09/item/1", ["令和6年中の交通事故死者数の推移"]),
    "decision": ("meeting/JP-35/2025-04-09/item/3", ["警察職員の派遣に関する援助要求"]),
    "consultation": ("meeting/JP-35/2025-04-09/item/7", ["活動方針"]),
    "remark": ("meeting/JP-35/2025-04-09/remark/2", ["生活安全部長"]),
    "dispatch request": ("meeting/JP-35/2025-04-09/dispatch-request/JP-34", ["援助要求"]),
    "appeal": ("appeal/JP-35/警察本部長/2019-05-10/1", ["審査請求"]),
    "agreement": ("agreement/2025-02-19/島根県警察+株式会社出雲データサービス", ["協定"]),
    "membership": ("meeting/JP-35/2025-04-09/membership/上田", ["上田"]),
    "topic": ("topic/cybercrime", ["サイバー犯罪"]),
    "outcome": ("outcome/決裁", ["決裁"]),
    "place": ("place/山口県警察本部公安委員会室", ["山口県警察本部公安委員会室"]),
    "source document": (SOURCE + "?start=809&end=896", ["県内の中小企業では"]),
    "passage": (SOURCE + "/passage/809-896", ["県内の中小企業では"]),
    "dataset": ("dataset", ["公安委員会会議録の知識グラフ", "void:triples"]),
}


@pytest.fixture(scope="module")
def server(marked_up_store, tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (scripts/test.sh installs it)")
    work = tmp_path_factory.mktemp("pages-browser")
    store = marked_up_store
    proc, url = start_server(store, "--workers", "1", "--dumps", str(work / "dumps"))
    dump(Snapshot(store), work / "dumps", Metadata.from_settings(BASE, public_url=url + "/"))
    yield url
    assert "Traceback" not in stop_server(proc)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    keep = os.environ.get("CKG_SCREENSHOTS")
    path = Path(keep) if keep else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def visit(browser, url: str, shot: Path, expect_status: int = 200):
    """Open url; return (page text, requests, console errors, dialogs, scripts on the page)."""
    requests: list[str] = []
    problems: list[str] = []
    dialogs: list[str] = []
    page = browser.new_page(locale="ja-JP", viewport={"width": 1200, "height": 900})
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    response = page.goto(url)
    assert response.status == expect_status, url
    page.wait_for_load_state("load")
    page.screenshot(path=str(shot), full_page=True)
    text = page.inner_text("body")
    scripts = page.evaluate("document.scripts.length")
    heading = page.locator("h1").first
    assert heading.is_visible(), url
    page.close()
    return text, requests, problems, dialogs, scripts


def looks_drawn(path: Path) -> None:
    """The screenshot is a page, not a blank: many colours, dark text on a light ground."""
    from PIL import Image

    with Image.open(path) as im:
        grey = im.convert("L")
        lo, hi = grey.getextrema()
        assert hi > 200 and lo < 80, path
        assert len(grey.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 16, path


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_a_page_for_each_kind_of_node(server, browser, shots, kind):
    path, words = PAGES[kind]
    target, _, query = path.partition("?")
    url = server + "/id/" + urllib.parse.quote(target) + (f"?{query}" if query else "")
    shot = shots / f"{kind.replace(' ', '-')}.png"
    text, requests, problems, dialogs, scripts = visit(browser, url, shot)
    for w in words:
        assert w in text, (kind, w)
    hosts = {urllib.parse.urlsplit(u).hostname for u in requests if not u.startswith("data:")}
    assert hosts == {"127.0.0.1"}, requests
    assert problems == [] and dialogs == [] and scripts == 0
    looks_drawn(shot)


def test_markup_in_the_minutes_is_shown_as_text_and_never_runs(server, browser, shots):
    for suffix in ("", "/item/2", "/remark/3"):
        url = server + "/id/" + urllib.parse.quote(HOSTILE_MEETING[len(ID) :] + suffix)
        shot = shots / f"hostile{suffix.replace('/', '-')}.png"
        text, _, problems, dialogs, scripts = visit(browser, url, shot)
        assert dialogs == [] and scripts == 0 and problems == [], suffix
        if suffix in ("", "/item/2"):
            assert HOSTILE_TITLE in text, suffix
    assert "onerror" in visit(browser, url, shots / "hostile-remark.png")[0]


def test_the_ontology_the_dumps_and_a_missing_iri(server, browser, shots):
    text, _, problems, _, scripts = visit(browser, server + "/ontology", shots / "ontology.png")
    assert "ckg:Meeting" in text and "SHACL" in text and problems == [] and scripts == 0
    text, _, problems, _, _ = visit(browser, server + "/dumps/", shots / "dumps.png")
    assert "dataset.nt.gz" in text and problems == []
    url = server + "/id/" + urllib.parse.quote("meeting/JP-35/2025-04-10")
    text, _, problems, _, _ = visit(browser, url, shots / "not-found.png", expect_status=404)
    assert "山口県公安委員会 2025-04-09" in text
    assert all("404" in p for p in problems)  # the browser notes the status, nothing else
    looks_drawn(shots / "ontology.png")
