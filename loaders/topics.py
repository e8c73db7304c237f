"""Topic tagging: agenda items and remarks against the SKOS scheme in ontology/topics.ttl.

Matching is on SudachiPy's normalized lemmas, not on surface strings, so that inflections,
spelling variants and compounds match (取り組む/取組む, 詐欺 inside 還付金詐欺). A label
matches where its lemmas occur in a row, or — for a label of several content words — where
all of them occur in one sentence in any order (「運転免許証とマイナンバーカードの一体化」
matches マイナンバーカードと運転免許証の一体化). Officers' posts are masked first, so that
交通規制課長 does not tag 交通規制. Words count for the most specific label that covers
them: a word inside a longer compound that is another topic's label is part of it (交通 in
交通安全運動), and words where a narrower topic's label is found count for the narrower
topic, not for a broader one found on them too (猟銃の所持許可の取消し is 猟銃). Each tag
keeps the words that matched (their offsets in the normalized text) and a confidence; a
broader topic is dropped where a narrower one of it is tagged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef

from .model import Minutes, Span
from .normalize import normalize
from .reference import POST_ENDING, reference, topics_graph
from .vocab import SKOS

FUNCTION_POS = ("助詞", "助動詞", "補助記号", "記号", "空白")
# How sure a match makes us, by where it is found; several labels of one topic add up.
WEIGHT = {"title": 0.9, "description": 0.55, "discussion": 0.45, "remark": 0.6}
TAGGER_VERSION = "2"
THRESHOLD = 0.6
TOPIC_BASE = "https://w3id.org/committee-kg/id/topic/"
NAME_TOPICS = (  # a name the parser read (agreement party, advisory body) → its topic
    ("agreements-with-universities", r"大学|高等専門学校|研究所"),
    ("agreements-with-companies", r"株式会社|有限会社|合同会社|\(株\)|銀行|会社$"),
    ("agreements-with-public-bodies", r"[都道府県市町村]$|[都道府県市町村]役所|庁$|協会$|組合$"),
    ("information-disclosure", r"情報公開.*審査会"),
    ("personal-information-protection", r"個人情報.*審査会"),
)
SCATTERED = 0.5  # a label whose words occur in one sentence but not in a row counts for less
SCATTER_WINDOW = 4  # tokens beyond the label's own length that may come between its words
MAX_TAGS = 3  # per item or remark: the best-supported topics
SENTENCE_END = "。\n!?"
# posts not in the reference data still read as posts: 出雲警察署長, 少年課長 …
COMMITTEE = re.compile(r"公安委員会|[都道府県]警察")
POST_WORD = re.compile(r"[^\s、。「」()]{1,12}?(?:部長|課長|室長|署長|局長|監察官|会務官|参事官)")


@dataclass(frozen=True)
class Tag:
    target: str  # "item" or "remark"
    position: int  # the item's or remark's position in the session
    topic: URIRef
    evidence: tuple[Span, ...]  # the matched words, in the normalized text
    confidence: float


@cache
def _tokenizer():
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


@dataclass(frozen=True)
class Token:
    lemma: str
    start: int
    end: int
    content: bool  # not a particle, auxiliary or symbol


def tokens(text: str, offset: int = 0) -> list[list[Token]]:
    """Tokens of text grouped by sentence, offsets shifted by ``offset``."""
    tok = _tokenizer()
    sentences: list[list[Token]] = [[]]
    for m in tok.tokenize(text):
        if m.surface() and m.surface()[-1] in SENTENCE_END:
            sentences.append([])
            continue
        if not m.surface().strip():
            continue
        content = m.part_of_speech()[0] not in FUNCTION_POS
        sentences[-1].append(
            Token(m.normalized_form(), offset + m.begin(), offset + m.end(), content)
        )
    return [s for s in sentences if s]


@dataclass(frozen=True)
class Label:
    topic: URIRef
    text: str
    sequence: tuple[str, ...]  # every lemma, in order
    lemmas: frozenset[str]  # the content lemmas
    compound: bool = False  # one compound word: no particle between its words

    def find(self, sentence: list[Token]) -> tuple[Span, ...] | None:
        """Where the label occurs in a sentence: in a row, or (several content words) in
        any order."""
        n = len(self.sequence)
        lemmas = [t.lemma for t in sentence]
        for i in range(len(lemmas) - n + 1):
            if tuple(lemmas[i : i + n]) == self.sequence:
                return (Span(sentence[i].start, sentence[i + n - 1].end),)
        if len(self.lemmas) >= 2:
            # all content words within a short stretch of one sentence, in any order
            width = n + SCATTER_WINDOW
            for i, t in enumerate(sentence):
                if t.lemma not in self.lemmas:
                    continue
                first: dict[str, Token] = {}
                for u in sentence[i : i + width]:
                    if u.lemma in self.lemmas:
                        first.setdefault(u.lemma, u)
                if len(first) == len(self.lemmas):
                    return tuple(
                        sorted(
                            (Span(u.start, u.end) for u in first.values()), key=lambda s: s.start
                        )
                    )
        return None


class Tagger:
    def __init__(self, scheme: Graph, posts: list[str] = ()):
        self.labels: list[Label] = []
        self.by_lemma: dict[str, list[Label]] = defaultdict(list)
        self.broader: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.top = set(scheme.objects(None, SKOS.hasTopConcept))
        for concept in set(scheme.subjects(SKOS.inScheme, None)):
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for lit in scheme.objects(concept, prop):
                    if isinstance(lit, Literal) and lit.language == "ja":
                        self.add(concept, str(lit))
            for up in scheme.transitive_objects(concept, SKOS.broader):
                if up != concept:
                    self.broader[concept].add(up)
        # posts, and the divisions they head (交通規制課長 → 交通規制課); only names that end
        # as a post does: the reference data also lists how minutes name the police when no
        # post is stated (警察, 警察本部), and blanking those would blank 警察 out of
        # 女性警察官, 警察署の再編 and every other label built on it
        posts = [p for p in posts if POST_ENDING.search(p)]
        names = sorted(
            {*posts, *(p[:-1] for p in posts if p.endswith("課長"))}, key=len, reverse=True
        )
        self.posts = re.compile("|".join(map(re.escape, names)) + "|" + POST_WORD.pattern)

    def add(self, concept: URIRef, text: str) -> None:
        toks = [t for s in tokens(text) for t in s]
        if not toks:
            return
        lemmas = frozenset(t.lemma for t in toks if t.content) or frozenset(t.lemma for t in toks)
        compound = len(toks) > 1 and all(t.content for t in toks)
        label = Label(concept, text, tuple(t.lemma for t in toks), lemmas, compound)
        self.labels.append(label)
        for lemma in lemmas:
            self.by_lemma[lemma].append(label)

    def mask(self, text: str) -> str:
        """Officers' posts blanked out (same length, so offsets hold)."""
        return self.posts.sub(lambda m: "　" * len(m.group(0)), text)

    def match(self, text: str, offset: int) -> dict[URIRef, list[tuple[Label, tuple[Span, ...]]]]:
        """Topic → the labels found in text (each with the spans of its words)."""
        found: dict[URIRef, list[tuple[Label, tuple[Span, ...]]]] = defaultdict(list)
        for sentence in tokens(self.mask(text), offset):
            candidates = {lb for t in sentence for lb in self.by_lemma.get(t.lemma, ())}
            hits = [(lb, spans) for lb in candidates if (spans := lb.find(sentence))]
            # a word inside a longer compound that is another topic's label is part of that
            # compound, not a mention of its own (交通 in 交通安全運動, 人材育成 in
            # サイバーセキュリティ人材育成, 防犯 in 防犯ボランティア)
            compounds = [(lb.topic, sp[0]) for lb, sp in hits if lb.compound and len(sp) == 1]
            for label, spans in hits:
                if not all(
                    any(
                        topic != label.topic
                        and w.start <= s.start
                        and s.end <= w.end
                        and w.end - w.start > s.end - s.start
                        for topic, w in compounds
                    )
                    for s in spans
                ):
                    found[label.topic].append((label, spans))
        return found

    def specific(self, found):
        """Where a narrower topic's label is found whole over words that a broader topic
        of it is found on too, the words say the narrower topic, and the broader topic's
        label there counts for the narrower one: 猟銃の所持許可の取消し is about 猟銃, not
        also about 銃砲刀剣類 in general; 大規模イベントの雑踏警備 is 雑踏警備."""
        out = {t: list(hits) for t, hits in found.items()}
        for t, hits in found.items():
            words = [spans[0] for _, spans in hits if len(spans) == 1]  # found whole
            for up in self.broader[t] & found.keys():
                for hit in found[up]:
                    if hit in out[up] and any(
                        s.start < w.end and w.start < s.end for s in hit[1] for w in words
                    ):
                        out[up].remove(hit)
                        out[t].append(hit)
        return {t: hits for t, hits in out.items() if hits}

    def tag(self, minutes: Minutes) -> list[Tag]:
        text = minutes.text.text
        tags: list[Tag] = []
        for item in minutes.items:
            parts = [("title", item.title, text.find(item.title, item.span.start))]
            if item.description:
                parts.append(
                    ("description", item.description, text.find(item.description, item.span.start))
                )
            # what members raised about the item is part of what it is about
            parts += [
                ("discussion", r.text, text.find(r.text, r.span.start))
                for r in minutes.remarks
                if r.item == item.position
            ]
            tags += self._tags("item", item.position, parts, self.structural_topics(item, text))
        for r in minutes.remarks:
            tags += self._tags(
                "remark", r.position, [("remark", r.text, text.find(r.text, r.span.start))]
            )
        return tags

    def tag_item(
        self, title: str, description: str | None = None, discussion: Iterable[str] = ()
    ) -> list[Tag]:
        """Topics of one agenda item given as plain text — its title, the summary under it
        and what was said about it — tagged as an item of a session is (position 1;
        evidence offsets in the normalized parts joined by line breaks)."""
        parts, at = [], 0
        for where, part in [
            ("title", title),
            ("description", description),
            *(("discussion", r) for r in discussion),
        ]:
            if part:
                part = normalize(part, by_width=False).text
                parts.append((where, part, at))
                at += len(part) + 1
        return self._tags("item", 1, parts)

    def structural_topics(self, item, text: str) -> dict[URIRef, list[Span]]:
        """Topics the parsed structure states, whatever words the explanation uses: the kind
        of partner an agreement names (company, university, public body), and the kind of
        board that reviews an appeal (情報公開 / 個人情報保護 審査会)."""
        found: dict[URIRef, list[Span]] = defaultdict(list)
        names = [*(item.agreement.parties if item.agreement else [])]
        names += {a.advisory_body for a in item.appeals if a.advisory_body}
        for name in names:
            at = text.find(name, item.span.start)
            for kind, pattern in NAME_TOPICS:
                if at >= 0 and re.search(pattern, name):
                    found[URIRef(TOPIC_BASE + kind)].append(Span(at, at + len(name)))
        return found

    def _tags(self, target: str, position: int, parts, known=None) -> list[Tag]:
        score: dict[URIRef, float] = defaultdict(float)
        evidence: dict[URIRef, list[Span]] = defaultdict(list)
        for topic, spans in (known or {}).items():
            score[topic] = 1.0  # stated by the structure: as sure as a title
            evidence[topic].extend(spans)
        for where, part, offset in parts:
            for topic, hits in self.specific(self.match(part, max(offset, 0))).items():
                for _, spans in hits:
                    # words found apart count for less than the label found whole;
                    # several labels (or places) of one topic add up: 1 - Π(1 - w)
                    w = WEIGHT[where] * (1 if len(spans) == 1 else SCATTERED)
                    score[topic] = 1 - (1 - score[topic]) * (1 - w)
                    evidence[topic].extend(spans)
        kept = {t for t in score if score[t] >= THRESHOLD}
        # the most specific topics: a broader one stays only if better supported
        kept -= {up for t in kept for up in self.broader[t] if score.get(up, 0) <= score[t]}
        if kept - self.top:  # a top concept (犯罪, 交通) only when nothing narrower fits
            kept -= self.top
        kept = set(sorted(kept, key=lambda t: (-score[t], t))[:MAX_TAGS])
        return [
            Tag(
                target,
                position,
                topic,
                tuple(sorted(set(evidence[topic]), key=lambda s: s.start)),
                round(score[topic], 3),
            )
            for topic in sorted(kept)
        ]


@cache
def tagger() -> Tagger:
    """The tagger over the scheme of ontology/topics.ttl."""
    return Tagger(topics_graph(), list(reference().posts))


def tag(minutes: Minutes) -> list[Tag]:
    return tagger().tag(minutes)


# heads that make a compound about the minutes' bookkeeping, not about a subject
GENERIC_HEADS = {
    "状況",
    "結果",
    "中",
    "末",
    "内",
    "等",
    "とおり",
    "どおり",
    "概要",
    "改正",
    "予定",
    "実施",
    "期間",
    "期間中",
    "関係",
    "件数",
    "方針",
    "内容",
    "内容等",
}


def noun_phrases(text: str) -> list[str]:
    """Compounds of two or more nouns (自転車盗難, 高齢運転者対策): the candidates a scheme
    grows by. Single words are too generic (説明, 状況) to say what a session is about."""
    phrases, run = [], []
    for m in [*_tokenizer().tokenize(text), None]:
        pos = m.part_of_speech() if m else ("",)
        if m and pos[0] in ("名詞", "接尾辞") and pos[1] != "数詞" and not m.surface().isdigit():
            if pos[0] == "名詞" or run:  # a suffix (〜者, 〜化) only inside a compound
                run.append(m.surface())
            continue
        if len(run) >= 2 and run[-1] not in GENERIC_HEADS and len("".join(run)) >= 3:
            phrases.append("".join(run))
        run = []
    return phrases


def suggest(texts: list[tuple[str, str]], limit: int = 30, min_sessions: int = 2):
    """Frequent noun phrases that no topic covers yet: (phrase, occurrences, sessions).

    ``texts`` are (session, text) pairs. A phrase is covered when the tagger finds a topic
    in it; posts and words of one character are left out."""
    t = tagger()
    counts: dict[str, int] = defaultdict(int)
    sessions: dict[str, set[str]] = defaultdict(set)
    for session, text in texts:
        for phrase in noun_phrases(t.mask(text)):
            counts[phrase] += 1
            sessions[phrase].add(session)
    out = []
    for phrase in sorted(counts, key=lambda p: (-len(sessions[p]), -counts[p], p)):
        if len(sessions[phrase]) < min_sessions or t.match(phrase, 0) or COMMITTEE.search(phrase):
            continue
        out.append((phrase, counts[phrase], len(sessions[phrase])))
        if len(out) == limit:
            break
    return out
