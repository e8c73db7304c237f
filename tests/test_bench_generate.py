"""The benchmark's corpus generator (bench/generate.py): deterministic, in six published
layouts (each file read by the reader meant for its layout, without a warning, giving back
the facts the generator drew), and varied across the 48 commissions and 20 years, with the
facts the catalogue queries ask about."""

from __future__ import annotations

import sys
from collections import Counter

import pytest

from committee_kg.loaders.pipeline import convert
from committee_kg.loaders.validate import validate

from .support import ROOT

sys.path.insert(0, str(ROOT))
from bench.generate import COMMITTEES, LAYOUTS, corpus, file_name, generate

pytestmark = pytest.mark.slow  # the benchmark's corpus generator: hundreds of sessions read


def test_the_same_n_gives_the_same_bytes(tmp_path):
    a = generate(60, tmp_path / "a")
    b = generate(60, tmp_path / "b")
    assert [p.name for p, _ in a] == [p.name for p, _ in b]
    assert all(pa.read_bytes() == pb.read_bytes() for (pa, _), (pb, _) in zip(a, b, strict=True))
    assert len({p.name for p, _ in a}) == 60  # no two sessions share an IRI


def test_generated_sessions_read_cleanly_and_vary(tmp_path):
    files = generate(480, tmp_path / "corpus")
    assert len({code for _, code in files}) == len(COMMITTEES) == 48
    years = Counter(int(p.name.split("_")[1][:4]) for p, _ in files)
    facts = Counter()
    for path, code in files[::4]:  # a quarter of them, to keep the test fast
        conv = convert(path, committee=code)
        assert conv.warnings == [], (path.name, conv.warnings)
        m = conv.minutes
        facts["remarks"] += len(m.remarks)
        facts["unnamed"] += sum(r.speaker.kind == "unnamed" for r in m.remarks)
        facts["officer answers"] += sum(r.reply_to is not None for r in m.remarks)
        for item in m.items:
            facts["appeals"] += len(item.appeals)
            facts["rulings"] += item.outcome == "裁決書決裁"
            facts["dispatch"] += len(item.dispatch_requests)
            facts["agreements"] += item.agreement is not None
    assert min(years) == 2006 and max(years) >= 2023 and len(years) >= 10  # 2006–2025 at N=5000
    assert all(facts[k] > 0 for k in ("remarks", "unnamed", "officer answers", "appeals"))
    assert all(facts[k] > 0 for k in ("rulings", "dispatch", "agreements")), facts
    sample = convert(files[0][0], committee=files[0][1])
    assert validate(sample.graph).conforms


def test_every_layout_is_read_by_its_reader_and_gives_back_the_facts(tmp_path):
    n = 192  # four sessions a commission (2006, 2011, 2015–16, 2020): every layout, both forms
    written = generate(n, tmp_path / "corpus")
    sessions = list(corpus(n))
    assert [(p.name, code) for p, code in written] == [(file_name(s), s.code) for s in sessions]
    files = [p for p, _ in written]
    assert {s.layout for s in sessions} == set(LAYOUTS)

    def texts(layout):
        pairs = zip(files, sessions, strict=True)
        return [p.read_text("utf-8") for p, s in pairs if s.layout == layout]

    assert {"，" in t for t in texts("hiroshima")} == {True, False}  # before 2020 and after
    assert {"個別会議" in t for t in texts("mie")} == {True, False}  # after 2019 and before
    for path, s in zip(files, sessions, strict=True):
        conv = convert(path, committee=s.code)
        m = conv.minutes
        assert (m.loader, conv.warnings) == (LAYOUTS[s.layout].reader, []), path.name
        assert validate(conv.graph).conforms, path.name
        read_back = (
            m.date,
            len(m.items),
            Counter(item.kind for item in m.items),
            sum(r.speaker.kind != "officer" for r in m.remarks),  # the members' (named or not)
            sum(r.reply_to is not None for r in m.remarks),  # the officers' answers to them
        )
        meant = (
            s.day,
            s.items,
            Counter(s.kinds),
            len(s.exchanges),
            sum(x.answer is not None for x in s.exchanges),
        )
        assert read_back == meant, (path.name, s.layout)
