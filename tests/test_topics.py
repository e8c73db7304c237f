"""Topic tagging: variants and compounds match, posts do not, every tag shows its words."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import URIRef

from loaders.model import AgendaItem, Minutes, Span
from loaders.normalize import normalize
from loaders.pipeline import convert
from loaders.reference import topics_graph
from loaders.topics import tagger
from loaders.vocab import CKG, DCTERMS, OA, RDF, SKOS

from .conftest import EXAMPLES

TOPIC = "https://w3id.org/committee-kg/id/topic/"


def topics_of(title: str, description: str = "") -> set[str]:
    text = normalize(f"{title}\n{description}")
    m = Minutes(document=None, text=text, loader="test", loader_version="0")
    item = AgendaItem(1, "Report", None, title, Span(0, len(text.text)))
    item.description = description or None
    m.items.append(item)
    return {str(t.topic)[len(TOPIC) :] for t in tagger().tag(m)}


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("マイナ免許証の交付状況", "my-number-driving-licence"),
        ("マイナンバーカードと運転免許証の一体化について", "my-number-driving-licence"),
        ("運転免許証とマイナンバーカードの一体化", "my-number-driving-licence"),  # word order
        ("特殊詐欺の被害状況", "special-fraud"),
        ("還付金詐欺が増えている", "special-fraud"),  # a compound
        ("ランサムウェアによる被害", "ransomware"),
        ("猟銃の所持許可の取消し", "hunting-guns"),
    ],
)
def test_variants_and_compounds_match(title, topic):
    assert topic in topics_of(title)


def test_an_officers_post_is_not_a_topic():
    assert "traffic-regulation" not in topics_of("専決状況", "交通規制課長から報告を受けた。")
    assert "traffic-regulation" in topics_of("交通規制の見直し")


def test_the_police_named_without_a_post_is_not_masked():
    # the reference data lists 警察 and 警察本部 as how minutes name the police when no post
    # is stated; they are not posts, and the labels built on 警察 must still match
    assert "women-in-police" in topics_of("女性警察官の採用について")
    assert "police-station-reorganisation" in topics_of("警察署の再編について")
    assert "mutual-assistance" in topics_of("警察職員の派遣について")


def test_a_word_inside_another_topics_compound_is_that_compounds():
    got = topics_of("サイバーセキュリティ人材育成に関する協定")
    assert "cybersecurity" in got and "police-training" not in got  # not 人材育成 alone
    assert topics_of("交通安全運動の実施") == {"traffic-safety-campaigns"}  # not 交通


@pytest.mark.parametrize(
    ("title", "narrower", "broader"),
    [
        ("猟銃の所持許可の取消し", "hunting-guns", "firearms-control"),
        ("大規模イベントの雑踏警備について", "crowd-control", "major-event-security"),
    ],
)
def test_words_that_say_a_narrower_topic_do_not_also_say_its_broader_one(title, narrower, broader):
    got = topics_of(title)
    assert narrower in got and broader not in got


def test_a_standalone_item_is_tagged_as_an_item_of_a_session_is():
    title, body = "特殊詐欺の被害状況について", "還付金詐欺の被害が増えているとの報告があった。"
    [tag] = tagger().tag_item(title, body)
    assert str(tag.topic) == TOPIC + "special-fraud"
    assert (tag.target, tag.position) == ("item", 1)
    assert {str(t.topic)[len(TOPIC) :] for t in tagger().tag_item(title, body)} == topics_of(
        title, body
    )
    text = f"{title}\n{body}"
    assert {text[s.start : s.end] for s in tag.evidence} >= {"特殊詐欺", "還付金詐欺"}


def test_tags_in_the_graph_carry_evidence_and_confidence():
    conv = convert(EXAMPLES / "JP-35_2019-06-12.txt")
    g, text = conv.graph, conv.minutes.text.text
    item = URIRef(str(conv.meeting) + "/item/1")
    fraud = URIRef(TOPIC + "special-fraud")
    assert (item, DCTERMS.subject, fraud) in g
    [ann] = [a for a in g.subjects(OA.hasBody, fraud) if (a, OA.hasTarget, item) in g]
    assert (ann, OA.motivatedBy, OA.classifying) in g
    assert 0.6 <= float(g.value(ann, CKG.confidence)) <= 1
    quotes = set()
    for passage in g.objects(ann, CKG.evidence):
        for sel in g.objects(passage, OA.hasSelector):
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                s, e = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
                quotes.add(text[s:e])
    assert "詐欺" in "".join(quotes)


def test_the_scheme_is_well_formed():
    g = topics_graph()
    concepts = set(g.subjects(SKOS.inScheme, URIRef(TOPIC[:-1])))
    assert len(concepts) >= 80
    for c in concepts:
        langs = {lit.language for lit in g.objects(c, SKOS.prefLabel)}
        assert {"ja", "en"} <= langs, c
        assert {lit.language for lit in g.objects(c, SKOS.definition)} >= {"ja", "en"}, c
        for up in g.objects(c, SKOS.broader):
            assert (up, SKOS.narrower, c) in g
    alts = Counter(str(o) for o in g.objects(None, SKOS.altLabel))
    assert [a for a, n in alts.items() if n > 1] == []


def test_suggest_lists_uncovered_compounds_seen_in_several_sessions():
    from loaders.topics import suggest

    texts = [
        ("s1", "落書き被害の防止について説明を受けた。特殊詐欺の被害が増えた。"),
        ("s2", "駅前の落書き被害が多い。特殊詐欺の対策を進める。"),
        ("s3", "落書き被害は一件のみ。"),
    ]
    phrases = {p: (n, s) for p, n, s in suggest(texts)}
    assert phrases["落書き被害"] == (3, 3)
    assert "特殊詐欺" not in phrases  # a topic covers it already


def test_topics_command_reads_the_store(tmp_path):
    import subprocess
    import sys

    store = tmp_path / "s"
    files = sorted(EXAMPLES.glob("*.txt"))
    run = [sys.executable, "-m", "server.cli"]
    subprocess.run([*run, "ingest", "--store", store, *files], check=True, capture_output=True)
    out = subprocess.run(
        [*run, "topics", "--suggest", "--store", store], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert out[0] == "phrase\toccurrences\tsessions"
    assert len(out) > 1
