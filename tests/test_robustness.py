"""Whatever the document, the loaders return minutes or raise one of our typed errors — never
anything else, and never hang (issue 5, point 7)."""

from __future__ import annotations

import random
import signal
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committee_kg.loaders.errors import CommitteeKGError
from committee_kg.loaders.pipeline import convert

from .support import example_files

SECONDS_PER_DOCUMENT = 5
CORPUS = [p.read_text(encoding="utf-8") for p in example_files()]


@contextmanager
def time_limit(seconds: int):
    """A "did not hang" bound on this process's processor time, which other load on the
    machine leaves alone (its own clock, apart from the one convert keeps: SIGPROF)."""

    def stop(signum, frame):
        raise TimeoutError(f"a document took more than {seconds} s of processor time")

    old = signal.signal(signal.SIGVTALRM, stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, old)


def survive(path) -> None:
    with time_limit(SECONDS_PER_DOCUMENT):
        try:
            conv = convert(path)
        except CommitteeKGError:
            return
        assert conv.graph is not None


def mutate(text: str, rng: random.Random) -> str:
    """Damage a document the ways real ones are damaged: cut, dropped or doubled lines,
    stray characters, lost separators."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(6)
        k = rng.randrange(len(lines)) if lines else 0
        if op == 0 and lines:
            del lines[k]
        elif op == 1 and lines:
            lines.insert(k, lines[k])
        elif op == 2 and lines:
            line = lines[k]
            cut = rng.randrange(len(line) + 1)
            lines[k] = line[:cut] + rng.choice("「」()、。第1⑴○委員から旨\x00\ufffd") + line[cut:]
        elif op == 3:
            lines = lines[: rng.randrange(len(lines) + 1)]
        elif op == 4 and lines:
            lines[k] = lines[k].replace("時", "").replace("日", "")
        elif op == 5 and lines:
            rng.shuffle(lines[k : k + 3])
    return "\n".join(lines)


@pytest.mark.slow  # 60 damaged documents
@pytest.mark.parametrize("seed", range(60))
def test_fuzzed_minutes(seed, tmp_path):
    rng = random.Random(seed)
    doc = tmp_path / "fuzzed.txt"
    doc.write_text(mutate(rng.choice(CORPUS), rng), encoding="utf-8")
    survive(doc)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(
            "第12⑴()「」、。公安委員会長部課から旨の発言説明があった令和元年月日時分自至午後\n "
        ),
        max_size=400,
    )
)
def test_arbitrary_minutes_like_text(tmp_path, text):
    doc = tmp_path / "random.txt"
    doc.write_text("公 安 委 員 会 会 議 録\n" + text, encoding="utf-8")
    survive(doc)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(tmp_path, data):
    doc = tmp_path / "random.bin"
    doc.write_bytes(data)
    survive(doc)


def test_a_cut_off_document_is_partial_not_fatal(tmp_path):
    text = CORPUS[0]
    doc = tmp_path / "cut.txt"
    doc.write_text(text[: len(text) // 2], encoding="utf-8")
    conv = convert(doc)
    assert conv.graph is not None
    assert any("cut off" in w for w in conv.warnings)
