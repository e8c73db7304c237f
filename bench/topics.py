"""Precision and recall of topic tagging, on three sets of hand-labelled agenda items (exact
topic match: a broader or a sibling topic counts as wrong):

- examples/topics.gold.json: the agenda items of every example document (and of the seed
  session in ../shared/seeds), tagged from the parsed minutes — titles, summaries and the
  remarks made on each item. The tagger's weights were tuned on this set.
- examples/topics.heldout.json: agenda items written for the check (a title and a one-line
  summary each), labelled before the tagger was run on them and not used for tuning; the
  figures on it say how well the tuning carries over to items the tagger has not seen.
- examples/topics.titles.json: titles alone, written for the check the way real minutes
  write them (short, run together, some with the first character lost to PDF extraction),
  labelled before the tagger was run on them and not used for tuning.
- ../shared/real-minutes/topics.json (skipped when absent): real agenda-item titles of many
  commissions, labelled by hand from the title alone. Real titles are short and worded as
  each commission words them; the goal is both figures >= 0.9 here too. Its labels were
  made against an older scheme: with --against REV, the figures are also given with the
  tags of concepts that REV's scheme lacks set aside (no label could name them).

--against REV also builds the tagger of another git revision (its loaders/topics.py with its
own ontology/topics.ttl), scores it on the same sets and times both on the same sessions and
titles in this run, so that a speed ratio does not depend on the machine's mood.

Run: .venv/bin/python bench/topics.py [-v] [--against main]
     (-v lists every item tagged otherwise)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Graph  # noqa: E402

from committee_kg.loaders.pipeline import read  # noqa: E402
from committee_kg.loaders.reference import reference  # noqa: E402
from committee_kg.loaders.topics import tagger  # noqa: E402

TOPIC = "https://w3id.org/committee-kg/id/topic/"
SEED = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
REAL = ROOT.parent / "shared" / "real-minutes" / "topics.json"


class Score:
    def __init__(self, name: str, verbose: bool = False):
        self.name, self.tp, self.fp, self.fn, self.items = name, 0, 0, 0, 0
        self.verbose = verbose

    def add(self, where: str, got: set[str], want: set[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        self.items += 1
        if self.verbose and got != want:
            print(f"{where}: missed {sorted(want - got)}, extra {sorted(got - want)}")

    def figures(self) -> tuple[float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r

    def report(self) -> None:
        p, r = self.figures()
        print(
            f"{self.name}: items {self.items}, gold tags {self.tp + self.fn}, "
            f"predicted {self.tp + self.fp}"
        )
        print(f"{self.name}: precision {p:.3f}  recall {r:.3f}  (goal: both >= 0.9)")


def slugs(tags) -> set[str]:
    return {str(t.topic)[len(TOPIC) :] for t in tags}


def gold_sessions() -> list[tuple[str, object, dict]]:
    """(document, parsed minutes, labels by item position) of examples/topics.gold.json."""
    gold = json.loads((ROOT / "examples" / "topics.gold.json").read_text(encoding="utf-8"))
    out = []
    for doc, labels in gold.items():
        if doc == "seed":
            if not SEED:
                continue
            path = SEED[0]
        else:
            path = ROOT / doc
        out.append((doc, read(path), labels))
    return out


def gold_set(tg, sessions, verbose=False) -> Score:
    score = Score("gold", verbose)
    for doc, minutes, labels in sessions:
        tags = tg.tag(minutes)
        for pos, want in labels.items():
            got = slugs(x for x in tags if x.target == "item" and x.position == int(pos))
            score.add(f"{doc} item {pos}", got, set(want))
    return score


def item_set(tg, name: str, items, verbose=False, known: set[str] | None = None) -> Score:
    """Score the items; with ``known``, tags of other concepts are left out."""
    score = Score(name, verbose)
    for n, item in enumerate(items, 1):
        got = slugs(tg.tag_item(item["title"], item.get("body")))
        score.add(
            f"{name} {n} 「{item['title']}」", got & known if known else got, set(item["topics"])
        )
    return score


def concepts(tg) -> set[str]:
    """The concepts a tagger knows (those with a label)."""
    return {str(lb.topic)[len(TOPIC) :] for lb in tg.labels}


def timings(taggers, sessions, titles, rounds: int) -> dict[str, tuple[float, float]]:
    """CPU seconds per session and per title of each tagger: the best of rounds taken in
    turn, so that each tagger is timed under the same conditions and the least disturbed
    by the rest of the machine."""
    best = {name: [float("inf"), float("inf")] for name, _ in taggers}
    for _ in range(rounds):
        for name, tg in taggers:
            work = (
                lambda tg=tg: [tg.tag(m) for _, m, _ in sessions],
                lambda tg=tg: [tg.tag_item(t) for t in titles],
            )
            for k, run in enumerate(work):
                t = time.process_time()
                run()
                best[name][k] = min(best[name][k], time.process_time() - t)
    return {name: (s / len(sessions), t / len(titles)) for name, (s, t) in best.items()}


def tagger_at(rev: str):
    """The Tagger of another revision, over that revision's own scheme."""

    def show(path: str) -> str:
        return subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:{path}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    name = "committee_kg.loaders._topics_at_" + "".join(c if c.isalnum() else "_" for c in rev)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader=None))
    module.__package__ = "committee_kg.loaders"  # its relative imports read today's other modules
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(show("loaders/topics.py"), f"{rev}:loaders/topics.py", "exec"), module.__dict__)
    scheme = Graph().parse(data=show("ontology/topics.ttl"), format="turtle")
    return module.Tagger(scheme, list(reference().posts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", action="store_true", help="list every item tagged otherwise")
    ap.add_argument("--against", metavar="REV", help="also score and time the tagger of REV")
    ap.add_argument("--rounds", type=int, default=5, help="timing rounds (the best counts)")
    args = ap.parse_args()

    sessions = gold_sessions()
    heldout = json.loads((ROOT / "examples" / "topics.heldout.json").read_text(encoding="utf-8"))
    titles = json.loads((ROOT / "examples" / "topics.titles.json").read_text(encoding="utf-8"))
    real = json.loads(REAL.read_text(encoding="utf-8"))["items"] if REAL.exists() else None
    taggers = [("this tree", tagger())]
    if args.against:
        taggers.append((args.against, tagger_at(args.against)))

    some = [i["title"] for i in real or titles["items"]]
    for name, tg in taggers:
        print(f"== {name}")
        gold_set(tg, sessions, args.v).report()
        item_set(tg, "held-out", heldout["items"], args.v).report()
        item_set(tg, "titles", titles["items"], args.v).report()
        if real is None:
            print(f"real titles: skipped ({REAL} is not here)")
        else:
            item_set(tg, "real titles", real, args.v).report()
            if tg is not taggers[-1][1]:
                aside = f"real titles, concepts {args.against} lacks set aside"
                item_set(tg, aside, real, known=concepts(taggers[-1][1])).report()
    times = timings(taggers, sessions, some, args.rounds)
    for name, (per_session, per_title) in times.items():
        print(
            f"tagging time, {name}: {per_session * 1000:.2f} ms per session, "
            f"{per_title * 1000:.3f} ms per title (CPU)"
        )
    if args.against:
        (s1, t1), (s0, t0) = times.values()
        print(
            f"speed, this tree / {args.against}: "
            f"{s1 / s0:.2f}x per session, {t1 / t0:.2f}x per title"
        )


if __name__ == "__main__":
    main()
