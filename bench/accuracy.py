"""Field accuracy of the loaders: on our example documents against their hand-written
expectations (examples/**/*.expected.json), and on the development set of real published
minutes against its gold labels (``../shared/real-minutes``, skipped when absent), both with
the commission given (``committee``) and with only the document and its URL (``alone``),
and once more with every document read by the generic reader (as if no layout were known).

Scalar fields score 1 when right; list fields score matched / max(expected, found), so
both a missed and an invented element count against the loader; a document the loader
refuses scores 0 and is listed. The seed-layout examples
are also read from PDFs made from them (reportlab), to score the PDF path.

Run: .venv/bin/python bench/accuracy.py [--examples-only]
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from committee_kg.loaders.pipeline import read  # noqa: E402
from committee_kg.loaders.summary import fold, summarize  # noqa: E402

FIELDS = (
    "date",
    "header",
    "times",
    "officers",
    "members",
    "items",
    "presenters",
    "remarks",
    "appeals",
    "dispatch",
    "agreements",
)
GOAL = 0.95
# examples/minutes and examples/heldout are in the seed's layout; heldout was labelled
# before any loader read it (examples/heldout/README.md), so its row is the honest one
LAYOUT_OF_DIRECTORY = {
    "minutes": "yamaguchi-kaigiroku",
    "heldout": "yamaguchi-kaigiroku, held-out",
}


def list_score(expected: list, found: list) -> float:
    if not expected and not found:
        return 1.0
    hits = sum(1 for a, b in zip(expected, found, strict=False) if a == b)
    return hits / max(len(expected), len(found))


def scores(expected: dict, actual: dict) -> dict[str, float]:
    def item_key(i):
        return (i["position"], i["kind"], i["title"], i["local_number"], i["outcome"])

    return {
        "date": float(
            expected["date"] == actual["date"] and expected["committee"] == actual["committee"]
        ),
        "header": float(all(expected[k] == actual[k] for k in ("kind", "weekday", "places"))),
        "times": float((expected["start"], expected["end"]) == (actual["start"], actual["end"])),
        "officers": list_score(expected["officers_present"], actual["officers_present"]),
        "members": list_score(expected["members"], actual["members"])
        * float(expected["chair"] == actual["chair"]),
        "items": list_score(
            [item_key(i) for i in expected["items"]], [item_key(i) for i in actual["items"]]
        ),
        "presenters": list_score(
            [i["presenters"] for i in expected["items"]], [i["presenters"] for i in actual["items"]]
        ),
        "remarks": list_score(expected["remarks"], actual["remarks"]),
        "appeals": list_score(expected["appeals"], actual["appeals"]),
        "dispatch": list_score(expected["dispatch_requests"], actual["dispatch_requests"]),
        "agreements": list_score(expected["agreements"], actual["agreements"]),
    }


def documents():
    """(layout label, document, expectations) for every example with expectations."""
    for exp in sorted((ROOT / "examples").rglob("*.expected.json")):
        if exp.name == "seed.expected.json":
            seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
            if seeds:
                yield "seed (real, text)", seeds[0], exp
            continue
        doc = next(
            p
            for p in exp.parent.iterdir()
            if p.name.startswith(exp.name.removesuffix(".expected.json") + ".")
            and not p.name.endswith(".json")
        )
        layout = LAYOUT_OF_DIRECTORY.get(exp.parent.name, exp.parent.name)
        yield layout, doc, exp


def main() -> None:
    table: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    errors: list[str] = []
    pdf_dir = Path(tempfile.mkdtemp())
    from tests.support.pdfs import minutes_pdf  # the tests' PDF maker: the same PDFs

    for layout, doc, exp in documents():
        expected = fold(json.loads(exp.read_text(encoding="utf-8")))
        runs = [(layout, doc)]
        if layout.startswith("yamaguchi-kaigiroku"):
            runs.append((f"{layout} (PDF)", minutes_pdf(doc, pdf_dir / (doc.stem + ".pdf"))))
        for label, path in runs:
            try:
                found = scores(expected, summarize(read(path)))
            except Exception as exc:  # a document the loader refuses scores 0 everywhere
                errors.append(f"{label}: {doc.name}: {type(exc).__name__}: {exc}")
                found = dict.fromkeys(FIELDS, 0.0)
            for field, value in found.items():
                table[label][field].append(value)
    width = max(len(k) for k in table) + 2
    print(f"{'layout':<{width}}{'docs':>5}" + "".join(f"{f:>11}" for f in FIELDS))
    failing = []
    for label, cols in sorted(table.items()):
        n = len(cols["date"])
        row = [sum(cols[f]) / n for f in FIELDS]
        failing += [(label, f) for f, v in zip(FIELDS, row, strict=True) if v < GOAL]
        print(f"{label:<{width}}{n:>5}" + "".join(f"{v:>11.3f}" for v in row))
    print(f"goal: every field >= {GOAL}; below it: {failing or 'none'}")
    for line in errors:
        print(f"refused: {line}")
    if "--examples-only" not in sys.argv:
        real_minutes_tables()


def real_minutes_tables() -> None:
    """The development set, per layout and field, in both modes (tests/support/real_minutes.py)."""
    from tests.support import real_minutes

    if not real_minutes.available():
        print("\nreal minutes: ../shared/real-minutes is not here; skipped")
        return
    fields = real_minutes.scorer().FIELDS
    runs = [(mode, None) for mode in real_minutes.MODES] + [("committee", "generic")]
    for mode, loader in runs:
        by_layout, overall, refused = real_minutes.score_set(mode, loader)
        label = f"real minutes, --mode {mode}" + (
            f", every document read by {loader}" if loader else ""
        )
        print(f"\n{label}")
        print(f"{'layout':26}" + "".join(f"{f:>10}" for f in fields))
        for layout in sorted(by_layout):
            cells = by_layout[layout]
            print(
                f"{layout:26}"
                + "".join(f"{cells[f]:10.2f}" if f in cells else f"{'-':>10}" for f in fields)
            )
        n = len(real_minutes.documents())
        print(
            f"{f'all ({n} documents)':26}"
            + "".join(f"{overall[f]:10.2f}" if f in overall else f"{'-':>10}" for f in fields)
        )
        print(f"refused: {len(refused)} of {n}")
        for line in refused:
            print(f"  {line}")


if __name__ == "__main__":
    main()
