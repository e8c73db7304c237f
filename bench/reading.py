"""Reading under hostile and large inputs: what each costs, and whether each step is linear.

hostile: each input of issue 16 (problem 5) at full size — a PDF whose content inflates to
1 GiB, 200 MB of text, 8 MB of random bytes as .html, 100,000 broken lines of one remark,
a page nested 100,000 <div> deep — converted by `committee-kg convert` in a process of its
own, capped at --seconds of wall time and --memory of address space so that an unbounded
reader cannot take the machine down. Prints wall and processor time, peak memory, exit
code and the first line of stderr. --root runs another checkout's code the same way (for
the figures before a change: `git archive main | tar -x -C /tmp/main`).

linear: extract, normalize and the whole conversion timed at n and 4n of each kind of large
input, beside a baseline in the same run that is linear by construction (hashing and
decoding the same bytes). A step linear in its input takes about 4x at 4n, as the baseline
does; a quadratic one 16x. Processor time, best of --repeat, so other load on the machine
counts little. Timing lives here, never in the tests.

Run: .venv/bin/python bench/reading.py [hostile|linear|both] [--root DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from committee_kg.loaders.errors import CommitteeKGError  # noqa: E402
from committee_kg.loaders.extract import extract  # noqa: E402
from committee_kg.loaders.normalize import normalize  # noqa: E402
from committee_kg.loaders.pipeline import convert  # noqa: E402
from tests.support.pdfs import inflating_pdf, text_layer_pdf  # noqa: E402

EXAMPLE = ROOT / "examples" / "minutes" / "JP-35_2025-09-10.txt"
REMARK_LINE = "委員から、「本件の運用について更に説明を求めたいが、その前に確かめたい点が"


# --- inputs --------------------------------------------------------------------------


def remark(path: Path, lines: int) -> Path:
    """One remark broken over ``lines`` lines, as a PDF text layer breaks it."""
    body = "\n".join([REMARK_LINE] * lines)
    path.write_text(f"公 安 委 員 会 会 議 録\n第1 審議概要\n{body}\n」旨の発言があった。\n")
    return path


def remarks(path: Path, count: int) -> Path:
    """One item whose text is ``count`` unquoted remarks, each answered (each remark's
    sentence is found by reading as far as it goes, never the rest of the item)."""
    turn = (
        "委員から、この点について改善を進めてほしい旨の発言があり、"
        "交通部長から、「検討する。」旨の回答があった。\n"
    )
    path.write_text(
        "茨城県公安委員会 定例会議\n令和7年6月11日(水)\n報告事項\n(1) 交通事故の状況について\n"
        "交通部長から報告があった。\n" + turn * count,
        encoding="utf-8",
    )
    return path


def repeated(path: Path, times: int) -> Path:
    """One of our example sessions, ``times`` over in one file."""
    path.write_text(EXAMPLE.read_text(encoding="utf-8") * times, encoding="utf-8")
    return path


def random_html(path: Path, size: int) -> Path:
    path.write_bytes(random.Random(size).randbytes(size))
    return path


def nested_html(path: Path, depth: int) -> Path:
    text = "令和7年6月11日 公安委員会の開催概要"
    path.write_text(f"<html><body>{'<div>' * depth}{text}{'</div>' * depth}</body></html>")
    return path


def pdf_pages(path: Path, pages: int) -> Path:
    """Our example session's lines, set 30 a page over ``pages`` pages of a PDF."""
    lines = [ln for ln in EXAMPLE.read_text(encoding="utf-8").split("\n") if ln.strip()]
    lines = (lines * (30 * pages // len(lines) + 1))[: 30 * pages]
    return text_layer_pdf([lines[k : k + 30] for k in range(0, len(lines), 30)], path)


def big_text(path: Path, size: int) -> Path:
    line = (REMARK_LINE + "」旨の発言があった。\n").encode()
    with path.open("wb") as f:
        for _ in range(size // len(line)):
            f.write(line)
    return path


# --- hostile: each in a process of its own -----------------------------------------------

HOSTILE = [
    ("PDF inflating to 1 GiB", "bomb.pdf", lambda p: inflating_pdf(p, 1 << 30)),
    ("200 MB of text", "big.txt", lambda p: big_text(p, 200_000_000)),
    ("8 MB of random bytes as .html", "random.html", lambda p: random_html(p, 8_000_000)),
    ("100,000 lines of one remark", "remark.txt", lambda p: remark(p, 100_000)),
    ("page nested 100,000 <div> deep", "nested.html", lambda p: nested_html(p, 100_000)),
]


CONVERT = "import sys; from server.cli import main; sys.exit(main())"


def run_capped(root: Path, source: Path, seconds: float, memory: int) -> dict:
    """`committee-kg convert` of the checkout at root, in a child capped in address space
    and killed at the wall-clock limit; its times and peak memory (from wait4: its own)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", CONVERT, "convert", str(source)],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=cap,
        )
        code: int | str
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - start > seconds:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                code = f"killed at {seconds:g} s"
                break
            time.sleep(0.05)
        proc.returncode = -1  # reaped here: Popen must not wait for it again
        wall = time.perf_counter() - start
        err.seek(0)
        said = err.read()
    lines = [line for line in said.splitlines() if line.strip()]
    ours = [line for line in lines if line.startswith("committee-kg:")]
    first = (ours or lines or [""])[0]
    if "MemoryError" in said:
        first = f"MemoryError at the {memory / 2**30:g} GiB cap"
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "code": code,
        "said": first[:150],
    }


def hostile(root: Path, seconds: float, memory: int) -> None:
    print(f"hostile inputs through {root} (cap {seconds:g} s, {memory / 2**30:g} GiB)")
    print(f"{'input':34} {'file':>10} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} exit  stderr")
    with tempfile.TemporaryDirectory() as tmp:
        for label, name, build in HOSTILE:
            source = build(Path(tmp) / name)
            r = run_capped(root, source, seconds, memory)
            print(
                f"{label:34} {source.stat().st_size / 1e6:8.1f}MB {r['wall']:7.1f} "
                f"{r['cpu']:7.1f} {r['peak_mb']:8.0f} {r['code']!s:5} {r['said']}"
            )
            source.unlink()


# --- linear: each step at n and 4n -------------------------------------------------------

KINDS = [  # name, builder, file suffix, n
    ("one remark, lines", remark, ".txt", 4_000),
    ("remarks in one item, remarks", remarks, ".txt", 1_000),
    ("an example session, times over", repeated, ".txt", 8),
    ("random bytes as .html, bytes", random_html, ".html", 200_000),
    ("page nested <div>, depth", nested_html, ".html", 2_500),
    ("PDF of our example's lines, pages", pdf_pages, ".pdf", 10),
]


def cpu(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def steps(path: Path) -> dict:
    """The functions timed for one input: the baseline, extract, normalize, convert (a
    text cut at a page's end is no whole session: converted up to the refusal)."""
    data = path.read_bytes()

    def baseline() -> None:  # linear by construction: hash and decode the bytes, 20 times
        for _ in range(20):
            hashlib.sha256(data).digest()
            data.decode("utf-8", errors="replace").splitlines()

    doc = extract(path)
    by_width = doc.media_type != "text/html"

    def converted() -> None:
        with contextlib.suppress(CommitteeKGError):  # random bytes: up to the refusal
            convert(path)

    return {
        "baseline": baseline,
        "extract": lambda: extract(path),
        "normalize": lambda: normalize(doc.text, by_width),
        "convert": converted,
    }


def linear(repeat: int) -> None:
    print("processor time at n and 4n (best of", repeat, "); ratio 4 is linear, 16 quadratic")
    print(f"{'input':32} {'n':>8} {'step':10} {'t(n) s':>8} {'t(4n) s':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, build, suffix, n in KINDS:
            small, large = (build(Path(tmp) / f"{k}{suffix}", k) for k in (n, 4 * n))
            timed_small, timed_large = steps(small), steps(large)
            for step in timed_small:
                a, b = cpu(timed_small[step], repeat), cpu(timed_large[step], repeat)
                print(f"{name:32} {n:8} {step:10} {a:8.3f} {b:8.3f} {b / max(a, 1e-9):6.1f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("what", nargs="?", choices=["hostile", "linear", "both"], default="both")
    p.add_argument("--root", type=Path, default=ROOT, help="checkout whose code converts")
    p.add_argument("--seconds", type=float, default=120.0, help="wall-clock cap per input")
    p.add_argument("--memory", type=float, default=6.0, help="address-space cap, GiB")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    if args.what in ("linear", "both"):
        linear(args.repeat)
    if args.what in ("hostile", "both"):
        hostile(args.root.resolve(), args.seconds, int(args.memory * 2**30))


if __name__ == "__main__":
    main()
