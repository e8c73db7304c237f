"""Bounded conversion (issue 16, problem 5): a file past any reading limit is refused whole,
with one line that names the file, the limit and where it was reached, exit code 2, and
nothing of it stored. The hostile inputs are built here, small, against small limits; the
same inputs at full size, and the linearity of each reading step, are measured by
bench/reading.py."""

from __future__ import annotations

import contextlib
import signal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from committee_kg.loaders.errors import CommitteeKGError, SourceTooLarge
from committee_kg.loaders.extract import extract
from committee_kg.loaders.limits import DEFAULT_LIMITS, Limits, time_limit
from committee_kg.loaders.pipeline import convert
from committee_kg.server.cli import main
from committee_kg.server.settings import SETTINGS, limits

from .support import EXAMPLES, example_files
from .support.pdfs import encoded_content_pdf, inflating_pdf, runlength_pdf, text_layer_pdf


def refused(path, **limit) -> SourceTooLarge:
    with pytest.raises(SourceTooLarge) as err:
        convert(path, limits=Limits(**limit))
    assert str(path) in str(err.value)
    return err.value


def test_a_file_past_the_size_limit_is_refused_unread(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("公安委員会\n" * 1000, encoding="utf-8")
    err = refused(big, max_source_bytes=10_000)
    assert "larger than 10,000 bytes (the max_source_bytes limit)" in str(err)
    assert extract(big, limits=Limits(max_source_bytes=20_000)).text  # under it: read


def test_a_text_past_the_length_limit_is_refused(tmp_path):
    long = tmp_path / "long.txt"
    long.write_text("委員から、「" + "説明を求める。" * 2000 + "」旨の発言があった。\n")
    err = refused(long, max_text_chars=5_000)
    assert "14,017 characters, more than 5,000 (the max_text_chars limit)" in str(err)


def test_a_web_page_past_the_length_limit_is_refused(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>" + "公安委員会の開催概要。" * 1000 + "</p></body></html>")
    assert "the max_text_chars limit" in str(refused(page, max_text_chars=5_000))


@pytest.mark.parametrize("filters", [1, 2], ids=["flate", "flate-over-flate"])
def test_a_pdf_whose_streams_inflate_past_the_limit_is_refused(filters, tmp_path):
    pdf = inflating_pdf(tmp_path / "bomb.pdf", 3_000_000, filters=filters)
    assert pdf.stat().st_size < 20_000
    err = refused(pdf, max_pdf_inflated_bytes=1_000_000)
    assert "inflate to more than 1,000,000 bytes (the max_pdf_inflated_bytes limit)" in str(err)
    assert err.where == "page 1"


def test_a_run_length_stream_is_charged_before_it_is_decoded(tmp_path):
    pdf = runlength_pdf(tmp_path / "runs.pdf", 2_000_000)
    assert "max_pdf_inflated_bytes" in str(refused(pdf, max_pdf_inflated_bytes=1_000_000))


def test_the_inflated_bytes_of_a_pdf_under_the_limit_are_read(tmp_path):
    pdf = inflating_pdf(tmp_path / "fine.pdf", 100_000)
    text = extract(pdf, limits=Limits(max_pdf_inflated_bytes=1_000_000)).text
    assert text.count("A") == 10_000


def test_a_pdf_with_more_pages_than_the_limit_is_refused(tmp_path):
    pages = [[f"第{k}頁"] for k in range(1, 6)]
    stated = text_layer_pdf(pages, tmp_path / "five.pdf")
    assert "more than 3 pages (it states 5)" in str(refused(stated, max_pdf_pages=3))
    # a page tree that understates its count is counted as it is read
    lying = text_layer_pdf(pages, tmp_path / "lying.pdf", stated_pages=1)
    assert "more than 3 pages (the max_pdf_pages limit)" in str(refused(lying, max_pdf_pages=3))


def test_a_pdf_drawing_more_characters_than_the_limit_is_refused_on_that_page(tmp_path):
    pages = [["公安委員会" * 10] * 10 for _ in range(3)]  # 500 characters a page
    err = refused(text_layer_pdf(pages, tmp_path / "m.pdf"), max_text_chars=700)
    assert "draws more than 700 characters (the max_text_chars limit)" in str(err)
    assert err.where == "page 2"


def test_a_document_past_the_time_limit_is_stopped_and_the_clock_put_back(tmp_path):
    long = tmp_path / "long.txt"
    long.write_text("第1 審議概要\n" + "委員から、「説明を求めたい。\n" * 40_000)
    before = signal.getsignal(signal.SIGPROF)
    err = refused(long, convert_timeout=0.2)
    assert "more than 0.2 s of processor time (the convert_timeout limit), stopped in" in str(err)
    assert signal.getsignal(signal.SIGPROF) is before
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_a_time_limit_inside_another_runs_under_the_outer_one():
    with time_limit(30, "outer"):
        installed = signal.getsignal(signal.SIGPROF)
        with time_limit(0.01, "inner"):
            sum(range(100_000))
        assert signal.getsignal(signal.SIGPROF) is installed


def test_the_command_line_refuses_with_one_line_and_exit_2(tmp_path, monkeypatch, capfd):
    big = tmp_path / "big.txt"
    big.write_text((EXAMPLES / "JP-35_2025-04-09.txt").read_text(encoding="utf-8"))
    monkeypatch.setenv("COMMITTEE_KG_MAX_SOURCE_BYTES", "1000")
    assert limits().max_source_bytes == 1000
    assert main(["convert", str(big)]) == 2
    out, err = capfd.readouterr()
    assert out == ""
    assert err == (
        f"committee-kg: {big}: the file is larger than 1,000 bytes (the max_source_bytes limit)\n"
    )


@pytest.mark.slow  # ingest, twice
def test_ingest_stores_nothing_of_a_refused_file(tmp_path, monkeypatch, capfd):
    store = tmp_path / "store"
    good = example_files()[0]
    assert main(["ingest", "--store", str(store), str(good)]) == 0
    generations = sorted((store / "generations").iterdir())
    current = (store / "CURRENT").read_text()
    bomb = inflating_pdf(tmp_path / "bomb.pdf", 3_000_000)
    monkeypatch.setenv("COMMITTEE_KG_MAX_PDF_INFLATED_BYTES", "1000000")
    assert main(["ingest", "--store", str(store), str(bomb), str(good)]) != 0
    err = capfd.readouterr().err
    assert f"{bomb}: page 1: the PDF's streams inflate to more than 1,000,000 bytes" in err
    assert "0 loaded, 1 unchanged" in err
    assert sorted((store / "generations").iterdir()) == generations
    assert (store / "CURRENT").read_text() == current
    assert [p.suffix for p in (store / "sources").iterdir()] == [".txt"]  # the good one only


def test_the_settings_table_holds_every_limit_with_the_loaders_defaults():
    table = {s.name: s.default for s in SETTINGS}
    assert limits() == DEFAULT_LIMITS
    for name, value in vars(DEFAULT_LIMITS).items():
        assert table[name] == value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(min_size=1, max_size=2000))
def test_arbitrary_stream_bytes_give_text_or_a_typed_error(tmp_path_factory, data):
    """Whatever a stream holds, the bounded decoders answer as pdfminer's own would: text,
    or one of our errors; never a hang or another exception."""
    pdf = encoded_content_pdf(tmp_path_factory.mktemp("s") / "s.pdf", data, ["FlateDecode"])
    with contextlib.suppress(CommitteeKGError):
        extract(pdf, limits=Limits(max_pdf_inflated_bytes=100_000))
