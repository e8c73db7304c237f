"""The shapes are the contract of the data: every shape and rule catches what it is for.

Each case of tests/support/shape_cases.py breaks a valid converted session (one of
examples/minutes/*.txt, picked as the first that has what the case needs and does not trip
the shape already), and each test here asserts that the shape or rule the case is about
reports it, with its severity. A shape that stops
working therefore fails a test, and ``test_every_shape_has_a_case`` makes sure no shape
is left without one. The converted sessions themselves (seed and examples) must pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF

from committee_kg.loaders.reference import reference_graph, shapes_graph
from committee_kg.loaders.validate import Report, validate

from .support import ROOT
from .support.shape_cases import (
    CASES,
    CKG,
    CKGSH,
    ID,
    LAYOUT_EXAMPLES,
    SH,
    XSD,
    Case,
    W,
    _wrong_weekday,
    calendar_days,
    weekday_query,
)

# -- running them ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def baselines(example_conversions) -> dict[str, tuple[Graph, set[str]]]:
    """Each example's graph and the shapes it trips as converted (warnings only)."""
    out = {}
    for name, conversion in sorted(example_conversions.items()):
        report = validate(conversion.graph)
        out[name] = (conversion.graph, {f.shape for f in report.findings})
    return out


def broken(case: Case, baselines) -> tuple[str, Report]:
    """The first example the case can break without the shape firing already, broken."""
    shape = str(CKGSH[case.shape])
    for name, (graph, tripped) in baselines.items():
        if shape in tripped:
            continue
        g = Graph()
        g += graph
        try:
            case.mutate(g)
        except (LookupError, StopIteration):
            continue
        return name, validate(g)
    pytest.fail(f"no example has what {case.id} needs to break")


@pytest.mark.slow  # each of some 170 cases breaks a session through rdflib and validates it
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_shape_catches_its_break(case: Case, baselines):
    name, report = broken(case, baselines)
    shape = str(CKGSH[case.shape])
    hits = [f for f in report.findings if f.shape == shape]
    assert hits, f"{case.id} on {name}: not reported; got\n" + "\n".join(
        f.line() for f in report.findings
    )
    assert {f.severity for f in hits} == {case.severity}, [f.line() for f in hits]
    assert all(_reads_in_english(f.message, shape) for f in hits), [f.message for f in hits]
    if case.severity == "violation":
        assert not report.conforms


def _reads_in_english(message: str, shape: str) -> bool:
    """The message is the shape's English sh:message, with any {?var} filled in."""
    for template in shapes_graph().objects(URIRef(shape), SH.message):
        if template.language == "en":
            at = 0
            for part in re.split(r"\{[?$]\w+\}", str(template)):
                at = message.find(part, at)
                if at < 0:
                    break
                at += len(part)
            else:
                return "{?" not in message
    return False


def test_a_warning_alone_does_not_reject(baselines):
    graph = next(g for g, tripped in baselines.values() if not tripped)
    g = Graph()
    g += graph
    _wrong_weekday(g)
    report = validate(g)
    assert [f.shape for f in report.findings] == [str(CKGSH.WeekdayMatchesDate)]
    assert report.conforms


def test_findings_read_in_english_with_the_values_filled_in(baselines):
    _, report = broken(Case("WeekdayMatchesDate", W, _wrong_weekday, "x"), baselines)
    (finding,) = [f for f in report.findings if f.shape == str(CKGSH.WeekdayMatchesDate)]
    assert finding.message.startswith("The weekday printed, 「")
    assert "{?" not in finding.message
    assert finding.passage  # the date as written, quoted from the source


# -- the sessions we ship pass --------------------------------------------------------------


def test_seed_has_no_violation(seed_conversion):
    report = validate(seed_conversion.graph)
    assert report.conforms, "\n".join(f.line() for f in report.violations)


def test_every_example_session_has_no_violation(example_conversions):
    assert example_conversions, "examples/minutes/*.txt is empty"
    failures = {
        name: [f.line() for f in validate(c.graph).violations]
        for name, c in example_conversions.items()
    }
    assert not any(failures.values()), failures


@pytest.mark.parametrize("path", LAYOUT_EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_layout_examples_have_no_violation(path: Path):
    from committee_kg.loaders.errors import SessionIncomplete
    from committee_kg.loaders.pipeline import convert

    try:
        conversion = convert(path)
    except SessionIncomplete as e:
        pytest.skip(f"not a complete session: {e}")
    report = validate(conversion.graph)
    assert report.conforms, "\n".join(f.line() for f in report.violations)


def test_reference_data_has_no_finding():
    report = validate(reference_graph())
    assert not report.findings, "\n".join(f.line() for f in report.findings)


# -- the weekday rule is Zeller's congruence, checked day by day ----------------------------


@pytest.mark.slow  # some 2,000 days through rdflib's SPARQL, twice
@pytest.mark.parametrize("shift", [0, 3])
def test_weekday_rule_agrees_with_the_calendar(shift):
    """The right weekday passes, a wrong one is caught, on any day."""
    g = Graph()
    days = calendar_days()
    for day in days:
        m = URIRef(f"{ID}meeting/JP/{day.isoformat()}")
        g.add((m, DCTERMS.date, Literal(day, datatype=XSD.date)))
        g.add((m, CKG.weekday, Literal("月火水木金土日"[(day.weekday() + shift) % 7], lang="ja")))
    caught = {row.this for row in g.query(weekday_query())}
    assert len(caught) == (0 if shift == 0 else len(days))


# -- the shapes themselves -------------------------------------------------------------------


def _shape_nodes(g: Graph) -> set:
    """Every shape: typed, targeted, reached by sh:property/sh:node/sh:not/sh:or/qualified."""
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        shapes |= set(g.subjects(p, None))
    for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
        shapes |= set(g.objects(None, p))
    for p in (SH["or"], SH["and"], SH.xone):
        for head in g.objects(None, p):
            shapes |= set(Collection(g, head))
    return shapes


def test_every_shape_is_named_described_and_explained_in_both_languages():
    g = shapes_graph()
    problems = []
    for shape in sorted(_shape_nodes(g), key=str):
        if isinstance(shape, BNode) or not str(shape).startswith(str(CKGSH)):
            problems.append(f"{shape}: not an IRI under ckgsh:")
            continue
        for p in (SH.name, SH.description, SH.message):
            langs = sorted(o.language for o in g.objects(shape, p) if isinstance(o, Literal))
            if langs != ["en", "ja"]:
                problems.append(f"{shape}: {p.fragment} in {langs}, want one @ja and one @en")
    assert not problems, "\n".join(problems)


def _reporting_shapes(g: Graph) -> set[str]:
    """Shapes whose constraints report on their own (sh:sourceShape of a top-level result)."""
    grouping = {
        SH.property,
        SH.targetClass,
        SH.target,
        SH.name,
        SH.description,
        SH.message,
        SH.severity,
        RDF.type,
    }
    targeted = {s for p in (SH.targetClass, SH.target) for s in g.subjects(p, None)}
    candidates = targeted | {o for s in targeted for o in g.objects(s, SH.property)}
    return {str(s) for s in candidates if set(g.predicates(s, None)) - grouping}


def test_every_shape_has_a_case():
    tested = {str(CKGSH[c.shape]) for c in CASES}
    missing = _reporting_shapes(shapes_graph()) - tested
    assert not missing, sorted(missing)


def test_severities_are_explicit():
    g = shapes_graph()
    for shape in _reporting_shapes(g):
        assert g.value(URIRef(shape), SH.severity) in (SH.Violation, SH.Warning), shape
