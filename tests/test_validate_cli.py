"""`committee-kg validate FILE...`: the report a person reads, the standard report in Turtle,
and the exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from .support import EXAMPLES

pytestmark = pytest.mark.slow  # the command line as processes

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = "https://w3id.org/committee-kg/shapes#"
TEMPLATE = EXAMPLES / "JP-35_2025-04-09.txt"


def validate(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "committee_kg.server.cli", "validate", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def absent_speaker(tmp_path) -> Path:
    """The template with one remark given to a member not listed as present."""
    text = TEMPLATE.read_text(encoding="utf-8")
    assert text.count("岡本委員から、") == 2
    path = tmp_path / "absent_speaker.txt"
    path.write_text(text.replace("岡本委員から、", "藤田委員から、", 1), encoding="utf-8")
    return path


def test_a_valid_session_says_so_and_exits_0():
    run = validate(TEMPLATE)
    assert run.returncode == 0, run.stderr
    assert "session https://w3id.org/committee-kg/id/meeting/JP-35/2025-04-09: valid" in run.stdout


def test_a_refused_session_names_node_rule_value_and_passage(absent_speaker):
    run = validate(TEMPLATE, absent_speaker)
    assert run.returncode == 3
    out = run.stdout.splitlines()
    verdicts = [line for line in out if not line.startswith("  ")]
    assert verdicts[0].endswith("valid, 0 violation(s), 0 warning(s)")
    assert f"{absent_speaker}: session" in verdicts[1] and "INVALID, 1 violation(s)" in verdicts[1]
    (finding,) = [line for line in out if line.startswith("  violation:")]
    assert "/meeting/JP-35/2025-04-09/remark/1" in finding  # which node
    assert f"rule {SHAPES}SpeakerAttended" in finding  # which rule
    assert "value 'https://w3id.org/committee-kg/id/member/JP-35/藤田'" in finding  # the value
    assert "passage 「藤田委員から、" in finding  # the source, quoted


def test_the_standard_report_in_turtle(absent_speaker):
    run = validate("--format", "ttl", absent_speaker)
    assert run.returncode == 3
    assert "@prefix sh: <http://www.w3.org/ns/shacl#>" in run.stdout  # readable, not ns1:
    report = Graph().parse(data=run.stdout, format="turtle")
    (node,) = report.subjects(URIRef(str(SH) + "conforms"), None)
    assert report.value(node, SH.conforms) == Literal(False)
    shapes = {report.value(r, SH.sourceShape) for r in report.objects(node, SH.result)}
    assert URIRef(SHAPES + "SpeakerAttended") in shapes


def test_the_standard_report_of_a_valid_session():
    run = validate("--format", "ttl", TEMPLATE)
    assert run.returncode == 0, run.stderr
    report = Graph().parse(data=run.stdout, format="turtle")
    assert set(report.objects(None, SH.conforms)) == {Literal(True)}
    assert not set(report.objects(None, SH.result))


def test_a_session_without_its_date_is_a_clear_error(tmp_path):
    broken = tmp_path / "nodate.txt"
    text = TEMPLATE.read_text(encoding="utf-8")
    broken.write_text(text.replace("令和７年４月９日", "", 1), encoding="utf-8")
    run = validate(broken)
    assert run.returncode == 2
    assert "nodate.txt" in run.stderr and "date" in run.stderr
