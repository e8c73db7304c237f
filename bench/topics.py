"""Precision and recall of topic tagging, on two sets of hand-labelled agenda items (exact
topic match: a broader or a sibling topic counts as wrong):

- examples/topics.gold.json: the agenda items of every example document (and of the seed
  session in ../shared/seeds), tagged from the parsed minutes — titles, summaries and the
  remarks made on each item. The tagger's weights were tuned on this set.
- examples/topics.heldout.json: agenda items written for the check (a title and a one-line
  summary each), labelled before the tagger was run on them and not used for tuning; the
  figures on it say how well the tuning carries over to items the tagger has not seen.

Run: .venv/bin/python bench/topics.py [-v]   (-v lists every item tagged otherwise)
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
VERBOSE = "-v" in sys.argv


class Score:
    def __init__(self, name: str):
        self.name, self.tp, self.fp, self.fn, self.items = name, 0, 0, 0, 0

    def add(self, where: str, got: set[str], want: set[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        self.items += 1
        if VERBOSE and got != want:
            print(f"{where}: missed {sorted(want - got)}, extra {sorted(got - want)}")

    def report(self) -> None:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        print(
            f"{self.name}: items {self.items}, gold tags {self.tp + self.fn}, "
            f"predicted {self.tp + self.fp}"
        )
        print(f"{self.name}: precision {p:.3f}  recall {r:.3f}  (goal: both >= 0.9)")


def slugs(tags) -> set[str]:
    return {str(t.topic)[len(TOPIC) :] for t in tags}


def gold_set(tg) -> tuple[Score, float]:
    gold = json.loads((ROOT / "examples" / "topics.gold.json").read_text(encoding="utf-8"))
    score, elapsed, sessions = Score("gold"), 0.0, 0
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
        sessions += 1
        for pos, want in labels.items():
            got = slugs(x for x in tags if x.target == "item" and x.position == int(pos))
            score.add(f"{doc} item {pos}", got, set(want))
    return score, elapsed / max(sessions, 1)


def heldout_set(tg) -> Score:
    path = ROOT / "examples" / "topics.heldout.json"
    score = Score("held-out")
    for n, item in enumerate(json.loads(path.read_text(encoding="utf-8"))["items"], 1):
        got = slugs(tg.tag_item(item["title"], item.get("body")))
        score.add(f"held-out {n} 「{item['title']}」", got, set(item["topics"]))
    return score


def main() -> None:
    tg = tagger()
    gold, per_session = gold_set(tg)
    heldout = heldout_set(tg)
    gold.report()
    print(f"tagging time {per_session * 1000:.1f} ms per session")
    heldout.report()


if __name__ == "__main__":
    main()
