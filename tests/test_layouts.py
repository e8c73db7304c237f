"""The contract every example document keeps, whatever its layout: it is read exactly as its
hand-written expectations say, by the loader of its own layout, which no other layout's
loader claims; and it becomes a meeting graph whose IRI follows from its facts."""

from __future__ import annotations

import json
import re

import pytest

from committee_kg.loaders.extract import extract
from committee_kg.loaders.normalize import normalize
from committee_kg.loaders.pipeline import convert, read
from committee_kg.loaders.reference import reference
from committee_kg.loaders.registry import MIN_CONFIDENCE, choose, loaders
from committee_kg.loaders.summary import fold, summarize

from .support import EXAMPLES, FIELDS, ROOT

LAYOUTS = ROOT / "examples" / "layouts"
HELDOUT = ROOT / "examples" / "heldout"  # labelled before the loaders read them (README there)


def documents() -> list[tuple[str, object]]:
    """(layout, document) for every example with expectations."""
    docs = [("yamaguchi-kaigiroku", p) for p in sorted(EXAMPLES.glob("*.txt"))]
    docs += [("yamaguchi-kaigiroku", p) for p in sorted(HELDOUT.glob("*.txt"))]
    for expected in sorted(LAYOUTS.glob("*/*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        [doc] = [
            p
            for p in expected.parent.iterdir()
            if p.stem == stem and p.suffix in (".txt", ".html", ".htm", ".pdf")
        ]
        docs.append((expected.parent.name, doc))
    return docs


DOCS = documents()
IDS = [f"{layout}/{doc.name}" for layout, doc in DOCS]


def expected(doc) -> dict:
    path = doc.with_name(doc.name.rsplit(".", 1)[0] + ".expected.json")
    return fold(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("layout", "doc"), DOCS, ids=IDS)
def test_document_matches_its_expectations(layout, doc):
    minutes = read(doc)
    assert minutes.loader == layout
    actual, want = summarize(minutes), expected(doc)
    for field in FIELDS:
        assert actual[field] == want[field], field
    # a complete document reads without a gap; a cut-off one says so
    assert not minutes.warnings or any("cut off" in w for w in minutes.warnings), minutes.warnings


@pytest.mark.parametrize(("layout", "doc"), DOCS, ids=IDS)
def test_only_its_own_layout_claims_it(layout, doc):
    document = extract(doc)
    text = normalize(document.text, by_width=document.media_type != "text/html")
    assert choose(document, text).name == layout
    for other in loaders():
        if other.name not in (layout, "generic"):
            assert other.recognise(text) < MIN_CONFIDENCE, other.name


@pytest.mark.parametrize(("layout", "doc"), DOCS, ids=IDS)
def test_document_becomes_its_meeting_graph(layout, doc):
    want = expected(doc)
    conv = convert(doc)
    suffix = f"-{want['kind']}" if want["kind"] else ""
    assert str(conv.meeting).endswith(f"/id/meeting/{want['committee']}/{want['date']}{suffix}")


def test_no_layout_but_the_seeds_claims_the_seed(seed_file):
    text = normalize(extract(seed_file).text)
    claims = [ld.name for ld in loaders() if ld.recognise(text) >= MIN_CONFIDENCE]
    assert claims in (["yamaguchi-kaigiroku"], ["generic", "yamaguchi-kaigiroku"])


def test_every_layout_has_examples():
    covered = {layout for layout, _ in DOCS}
    assert {ld.name for ld in loaders()} <= covered


SEED_LAYOUT = [(layout, doc) for layout, doc in DOCS if layout == "yamaguchi-kaigiroku"]


@pytest.mark.parametrize(("layout", "doc"), SEED_LAYOUT, ids=[d.name for _, d in SEED_LAYOUT])
def test_a_dispatch_request_says_what_the_staff_are_sent_to_do(layout, doc):
    """「…警備に従事させるため」「…警備に当たらせるため」「…交通整理に当たる警察官」: in the
    seed's layout the purpose is read, without the committees' names. (The web layouts
    seldom state it in the request's sentence.)"""
    requests = [r for i in read(doc).items for r in i.dispatch_requests]
    names = [c.label_ja for c in reference().committees.values() if c.label_ja]
    for r in requests:
        assert r.purpose, f"{doc.name}: no purpose for {r.requesting} → {r.requested}"
        assert not any(n in r.purpose for n in names), r.purpose


WORDINGS = {  # another wording of the same fact, as other minutes write it
    "付で": [("付けで", "付で"), ("付け及び", "付及び")],
    "がした処分": [("が行った処分", "がした処分")],
    "による処分": [("付けで警察本部長が行った処分", "付けの警察本部長による処分")],
    "委員より": [("委員から、「", "委員より、「")],
    "との発言": [
        ("」旨の発言があり", "」との発言があり"),
        ("」旨の発言があった", "」との発言があった"),
    ],
    "質問と回答": [
        ("」旨の発言があり", "」旨の質問があり"),
        ("」旨の説明があった。", "」旨の回答があった。"),
    ],
    "出席の上": [("同席の上", "出席の上")],
    "同席のもと": [("同席の上", "同席のもと")],
    "が同席し": [("同席の上、", "が同席し、")],
    "曜日": [(f"（{d}）", f"（{d}曜日）") for d in "月火水木金土日"],
    "報告があった": [("の報告を受けた。", "の報告があった。")],
    "説明があり": [("説明を受け、決裁した。", "説明があり、決裁した。")],
    "時ちょうど": [("時００分", "時")],
    # the members' line 「公 安 委 員  中村委員長、藤井委員、西村委員」
    "委員を、で": [(re.compile(r"(?m)(?<=委員) (?=\S+委員)"), "、")],
    "委員を・で": [(re.compile(r"(?m)(?<=委員) (?=\S+委員)"), "・")],
    "項目番号１．": [(re.compile(r"(?m)^([１-９])\s+(?=\S)"), r"\1．")],
    "項目番号（１）": [
        (re.compile(r"(?m)^(\s*)⑴"), r"\1（１）"),
        (re.compile(r"(?m)^(\s*)⑵"), r"\1（２）"),
    ],
    "箇条書き・": [("○ ", "・")],
    "西暦": [
        (re.compile(r"令和([０-９])年(?=[０-９]{1,2}月)"), lambda m: f"{2018 + int(m[1])}年"),
        (re.compile(r"令和元年(?=[０-９]{1,2}月)"), "2019年"),
        (re.compile(r"平成([０-９]{2})年(?=[０-９]{1,2}月)"), lambda m: f"{1988 + int(m[1])}年"),
    ],
}


@pytest.mark.parametrize("wording", WORDINGS)
def test_another_wording_of_the_same_facts_reads_alike(wording, tmp_path):
    touched = 0
    for _, doc in SEED_LAYOUT:
        text = reworded = doc.read_text(encoding="utf-8")
        for old, new in WORDINGS[wording]:
            if isinstance(old, re.Pattern):
                reworded = old.sub(new, reworded)
            else:
                reworded = reworded.replace(old, new)
        if reworded == text:
            continue
        touched += 1
        other = tmp_path / doc.name
        other.write_text(reworded, encoding="utf-8")
        assert summarize(read(other)) == summarize(read(doc)), doc.name
    assert touched >= 3  # the wording occurs in several examples
