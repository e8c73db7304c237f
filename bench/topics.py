"""Precision and recall of topic tagging on the agenda items of every example document,
against the hand-labelled topics in examples/topics.gold.json (exact topic match: a broader
or a sibling topic counts as wrong).

Run: .venv/bin/python bench/topics.py [-v]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.pipeline import read  # noqa: E402
from loaders.topics import tagger  # noqa: E402

TOPIC = "https://w3id.org/committee-kg/id/topic/"
SEED = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))


def main() -> None:
    gold = json.loads((ROOT / "examples" / "topics.gold.json").read_text(encoding="utf-8"))
    tg = tagger()
    tp = fp = fn = items = 0
    elapsed = 0.0
    for doc, labels in gold.items():
        if doc == "seed":
            if not SEED:
                continue
            path = SEED[0]
        else:
            path = ROOT / doc
        minutes = read(path)
        t = time.perf_counter()
        tags = tg.tag(minutes)
        elapsed += time.perf_counter() - t
        for pos, want in labels.items():
            got = {
                str(x.topic)[len(TOPIC) :]
                for x in tags
                if x.target == "item" and x.position == int(pos)
            }
            want = set(want)
            tp, fp, fn, items = (
                tp + len(got & want),
                fp + len(got - want),
                fn + len(want - got),
                items + 1,
            )
            if "-v" in sys.argv and got != want:
                print(f"{doc} item {pos}: missed {sorted(want - got)}, extra {sorted(got - want)}")
    print(f"items {items}, gold tags {tp + fn}, predicted {tp + fp}")
    print(f"precision {tp / (tp + fp):.3f}  recall {tp / (tp + fn):.3f}  (goal: both >= 0.9)")
    print(f"tagging time {elapsed / len(gold) * 1000:.1f} ms per session")


if __name__ == "__main__":
    main()
