"""A page read as HTML and the same page saved as its text read the same.

Crawlers and archives keep minutes as the text of the whole page: the site's menus,
breadcrumb, update dates and footer around the minutes, one line per block. The reading
must not depend on the HTML tags that let extract.py drop the chrome."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from committee_kg.loaders.pipeline import read
from committee_kg.loaders.summary import summarize

from .support import ROOT

PAGES = sorted((ROOT / "examples" / "layouts").glob("*/*.html"))
BLOCKS = [
    "p",
    "div",
    "li",
    "tr",
    "th",
    "td",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "table",
    "ul",
    "ol",
    "section",
    "header",
    "footer",
    "nav",
    "main",
    "article",
    "aside",
]


def page_as_text(html: bytes) -> str:
    """Every visible line of the page, chrome included, as a browser's 'save as text' has it."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (line.strip() for line in soup.get_text("").split("\n"))
    return "\n".join(line for line in lines if line) + "\n"


def test_there_are_pages_with_their_site_chrome():
    assert len(PAGES) >= 10
    text = page_as_text(PAGES[0].read_bytes())
    assert ">" in text or "ホーム" in text  # a breadcrumb or a menu came along


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_page_as_its_text_reads_as_the_page(page, tmp_path):
    as_text = tmp_path / (page.stem + ".txt")
    as_text.write_text(page_as_text(page.read_bytes()), encoding="utf-8")
    committee = read(page).committee or "JP"  # the canonical URL is in the HTML head only
    html = read(page, committee=committee)
    text = read(as_text, committee=committee)
    assert text.loader == html.loader
    assert summarize(text) == summarize(html)
