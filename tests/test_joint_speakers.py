"""Several who speak or present together.

「生活安全部長及び刑事部長から、「…」旨の説明があった」 is one remark given by two
officers, not by one officer whose post is 「生活安全部長及び刑事部長」.
"""

from __future__ import annotations

import pytest
from rdflib import RDFS, Namespace, URIRef

from committee_kg.loaders.pipeline import convert
from committee_kg.loaders.validate import validate

from .support import EXAMPLES

CKG = Namespace("https://w3id.org/committee-kg/ontology#")
TEMPLATE = EXAMPLES / "JP-35_2025-04-09.txt"
ANSWER = "旨の発言があり、生活安全部長から、"  # the officer's answer to the member's question
OFFICER = "https://w3id.org/committee-kg/id/officer/JP-35/"
MEMBER = "https://w3id.org/committee-kg/id/member/JP-35/"
LAYOUTS = EXAMPLES.parent / "layouts"


def variant(tmp_path, source, old: str, new: str, encoding: str = "utf-8"):
    text = source.read_bytes().decode(encoding)
    assert text.count(old) == 1
    path = tmp_path / source.name
    path.write_bytes(text.replace(old, new).encode(encoding))
    return convert(path)


def read(tmp_path, old: str, new: str):
    return variant(tmp_path, TEMPLATE, old, new)


def speakers(conv, position: int) -> set[str]:
    remark = URIRef(f"{conv.meeting}/remark/{position}")
    return {str(s) for s in conv.graph.objects(remark, CKG.speaker)}


@pytest.mark.parametrize(
    ("who", "posts"),
    [
        ("生活安全部長及び刑事部長", ["生活安全部長", "刑事部長"]),
        ("生活安全部長と刑事部長", ["生活安全部長", "刑事部長"]),
        ("生活安全部長並びに刑事部長", ["生活安全部長", "刑事部長"]),
        # a list before 及び: the speaker pattern stops at the comma, the reading goes back
        ("生活安全部長、刑事部長及び交通部長", ["生活安全部長", "刑事部長", "交通部長"]),
    ],
)
def test_officers_answering_together_are_each_a_speaker(tmp_path, who, posts):
    conv = read(tmp_path, ANSWER, f"旨の発言があり、{who}から、")
    [remark] = [r for r in conv.minutes.remarks if r.position == 2]
    assert [remark.speaker.name, *(j.name for j in remark.joint)] == posts
    assert remark.reply_to == 1  # still the answer to the member's question
    assert speakers(conv, 2) == {OFFICER + p for p in posts}
    label = conv.graph.value(URIRef(f"{conv.meeting}/remark/2"), RDFS.label)
    assert str(label) == f"発言2（{'・'.join(posts)}）"
    assert not any("及び" in o for o in conv.graph.all_nodes() if isinstance(o, URIRef))
    report = validate(conv.graph)
    assert report.conforms, [f.line() for f in report.findings]
    # the remark's passage starts with the first of them
    assert remark.span.start == conv.minutes.text.text.index(f"{who}から、")


def test_members_speaking_together(tmp_path):
    conv = read(tmp_path, "上田委員長から、", "上田委員長及び松尾委員から、")
    [remark] = [r for r in conv.minutes.remarks if r.speaker.name == "上田"]
    assert [j.name for j in remark.joint] == ["松尾"]
    assert speakers(conv, remark.position) == {MEMBER + "上田", MEMBER + "松尾"}
    assert validate(conv.graph).conforms


def test_what_is_not_a_post_stays_one_speaker(tmp_path):
    """「県警察及び市」: neither part reads as a post or a member, so nothing is split."""
    conv = read(tmp_path, ANSWER, "旨の発言があり、県警察及び市から、")
    [remark] = [r for r in conv.minutes.remarks if r.position == 2]
    assert remark.speaker.name == "県警察及び市" and not remark.joint


def test_presenting_together(tmp_path):
    conv = read(tmp_path, "\n生活安全部長から、 \n", "\n生活安全部長及び刑事部長から、 \n")
    [item] = [i for i in conv.minutes.items if i.title == "サイバー犯罪対策の強化"]
    assert [p.post for p in item.presenters] == ["生活安全部長", "刑事部長"]
    node = URIRef(f"{conv.meeting}/item/{item.position}")
    assert {str(o) for o in conv.graph.objects(node, CKG.presentedBy)} == {
        OFFICER + "生活安全部長",
        OFFICER + "刑事部長",
    }
    [plain] = [i for i in convert(TEMPLATE).minutes.items if i.title == item.title]
    assert item.description == plain.description  # the explanation is read as before
    assert validate(conv.graph).conforms


@pytest.mark.parametrize(
    ("source", "old", "new", "encoding", "first", "joint"),
    [  # the NPSC page, a Mie page's label lines, the generic layout
        ("generic/JP_2024-05-16.html", "サイバー警察局長から、「業界団体",
         "サイバー警察局長及び生活安全局長から、「業界団体", "utf-8",
         "サイバー警察局長", ["生活安全局長"]),
        ("mie-web/JP-24_2017-05-18.html", "【警務部長】6月下旬", "【警務部長・交通部長】6月下旬",
         "shift_jis", "警務部長", ["交通部長"]),
        ("generic/JP-33_2024-07-03.txt", "森委員から「通学路", "森委員及び大野委員から「通学路",
         "utf-8", "森", ["大野"]),
    ],
)  # fmt: skip
def test_speaking_together_in_the_web_layouts(tmp_path, source, old, new, encoding, first, joint):
    conv = variant(tmp_path, LAYOUTS / source, old, new, encoding)
    [remark] = [r for r in conv.minutes.remarks if r.speaker.name == first]
    assert [j.name for j in remark.joint] == joint
    assert validate(conv.graph).conforms
