"""Topic tagging: agenda items and remarks against the SKOS scheme in ontology/topics.ttl.

Matching is on SudachiPy's normalized lemmas of the shortest units, not on surface strings,
so that inflections, spelling variants and compounds match (取り組む/取組む, 詐欺 inside
還付金詐欺, 運転免許 inside 運転免許証). A label matches where its words occur in a row —
as written, with a の put between them or left out (会計の監査 for 会計監査), or passing over
a word coordinated with ・ (子ども・高齢者安全 for 子どもの安全), the last two a little less
sure — or, for a label of several content words, where all of them occur as whole words in
one sentence in any order (「運転免許証とマイナンバーカードの一体化」 matches
マイナンバーカードと運転免許証の一体化). Real titles are cut and run together: the first word
of a title may have lost its first character to extraction (転免許の停止処分), and a run of
katakana the dictionary does not know may hold a label's last word (青パトキャラバン); a label
of several words still matches there. Officers' posts are masked first, so that 交通規制課長
does not tag 交通規制. Words count for the most specific label that covers them: a word inside
a longer compound that is another topic's label is part of it (交通 in 交通安全運動), and
words where a narrower topic's label is found count for the narrower topic, not for a broader
one found on them too (猟銃の所持許可の取消し is 猟銃). Each tag keeps the words that matched
(their offsets in the normalized text) and a confidence; a broader topic is dropped where a
narrower one of it is tagged.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef

from .model import Minutes, Span
from .normalize import normalize
from .reference import POST_ENDING, reference, topics_graph
from .vocab import SKOS

FUNCTION_POS = ("助詞", "助動詞", "補助記号", "記号", "空白")
# How sure a match makes us, by where it is found; several labels of one topic add up.
WEIGHT = {"title": 0.9, "description": 0.55, "discussion": 0.45, "remark": 0.6}
TAGGER_VERSION = "3"
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
GLUED = 0.75  # and one found with a の put in or left out, or across a coordinated word
SCATTER_WINDOW = 4  # tokens beyond the label's own length that may come between its words
MAX_TAGS = 3  # per item or remark: the best-supported topics
SENTENCE_END = "。\n!?"
LOOSE = {"等"}  # a suffix as loose as a particle: 小型無人機等の飛行 is 小型無人機の飛行
GLUE = {"の", "・", "「", "」", "『", "』", *LOOSE}  # may stand between a label's words
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
    surface: str
    start: int
    end: int
    content: bool  # not a particle, auxiliary, symbol or 等
    oov: bool  # not in the dictionary: a guessed word, often a run of katakana


def _token(m, offset: int) -> Token:
    lemma = m.normalized_form()
    content = m.part_of_speech()[0] not in FUNCTION_POS and lemma not in LOOSE
    oov = m.is_oov() and not m.surface().isdigit()  # a number is no run of letters
    return Token(lemma, m.surface(), offset + m.begin(), offset + m.end(), content, oov)


def tokens(text: str, offset: int = 0) -> list[Sentence]:
    """The sentences of text, offsets shifted by ``offset``: each as the dictionary's longest
    words and as their shortest units. Labels are found on the shortest units, so that a
    label matches inside a compound the dictionary keeps whole (運転免許 in 運転免許証, 初任科
    in 初任科生); their words found scattered count only as whole words (委員会 in
    公安委員会 is not a word of its own)."""
    from sudachipy import SplitMode

    sentences: list[Sentence] = [Sentence()]
    for m in _tokenizer().tokenize(text):
        if m.surface() and m.surface()[-1] in SENTENCE_END:
            sentences.append(Sentence())
            continue
        if not m.surface().strip():
            continue
        sentences[-1].add(_token(m, offset), [_token(u, offset) for u in m.split(SplitMode.A)])
    return [s for s in sentences if s.tokens]


def _start(span: Span) -> int:
    return span.start


def _inside(part: str, word: str, where) -> bool:
    """part is a shorter piece of word, at its start (str.startswith) or end (str.endswith)."""
    return len(part) < len(word) and where(word, part)


class Hit(NamedTuple):
    label: Label
    spans: tuple[Span, ...]  # the matched words
    sure: float  # 1 for the label as written; less found with a の or scattered


class Sentence:
    """A sentence's tokens (shortest units) and words (longest), with where each content
    token is, for finding labels fast."""

    def __init__(self):
        self.tokens: list[Token] = []  # the shortest units
        self.words: list[int] = []  # where the content tokens are in tokens
        self.at: dict[str, list[int]] = defaultdict(list)  # lemma → its places in words
        self.oov: list[int] = []  # places in words of tokens the dictionary does not know
        self.units: list[Token] = []  # the longest words
        self.unit_of: list[int] = []  # for each token, the longest word it is part of
        self.unit_lemmas: set[str] = set()

    def add(self, word: Token, parts: list[Token]) -> None:
        self.units.append(word)
        self.unit_lemmas.add(word.lemma)
        for t in parts or [word]:
            if t.content:
                self.at[t.lemma].append(len(self.words))
                if t.oov:
                    self.oov.append(len(self.words))
                self.words.append(len(self.tokens))
            self.tokens.append(t)
            self.unit_of.append(len(self.units) - 1)

    def word(self, j: int) -> Token:
        return self.tokens[self.words[j]]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: fast in sets
class Label:
    topic: URIRef
    text: str
    words: tuple[Token, ...]  # the content words, in order
    joints: tuple[frozenset[str], ...]  # what the label has between each word and the next
    # the particles before its first word and after its last, which must be there too
    edges: tuple[tuple[str, ...], tuple[str, ...]]
    lemmas: frozenset[str]  # the content lemmas
    units: frozenset[str]  # the content lemmas of its longest words (to find it scattered)
    width: int  # how many longest words its scattered words may spread over
    compound: bool = False  # one compound word: no particle between its words

    def find(self, sentence: Sentence, title_start: bool = False) -> Hit | None:
        """Where the label occurs in a sentence: whole (its words in a row, with or without
        a の between them or across a coordinated word), or (several content words)
        scattered in any order."""
        for j in self.starts(sentence, title_start):
            at = self.align(sentence, j)
            found = at and self.whole(sentence.tokens, at, title_start and j == 0)
            if found:
                return Hit(self, *found)
        units = self.units
        if len(units) >= 2 and units <= sentence.unit_lemmas:
            # all content words within a short stretch of one sentence, in any order
            for i, t in enumerate(sentence.units):
                if t.lemma not in units:
                    continue
                first: dict[str, Token] = {}
                for u in sentence.units[i : i + self.width]:
                    if u.lemma in units:
                        first.setdefault(u.lemma, u)
                if len(first) == len(units):
                    spans = sorted((Span(u.start, u.end) for u in first.values()), key=_start)
                    return Hit(self, tuple(spans), SCATTERED)
        return None

    def starts(self, sentence: Sentence, title_start: bool) -> list[int]:
        """The content words where the label's first word may be: as written, and (a label
        of several words) where it is the end of a word the dictionary does not know or, at
        the start of a title, what is left of it once its first character is lost."""
        at = sentence.at.get(self.words[0].lemma, [])
        if len(self.words) == 1:
            return at
        first = self.words[0].surface
        more = [j for j in sentence.oov if _inside(first, sentence.word(j).surface, str.endswith)]
        if (
            title_start
            and sentence.words
            and _inside(sentence.word(0).surface, first, str.endswith)
        ):
            more.append(0)
        return sorted({*at, *more}) if more else at

    def align(self, sentence: Sentence, j: int) -> list[int] | None:
        """The tokens the label's words would stand on, its first on content word j: the
        content words that follow, passing over a word coordinated with the one before
        (子ども・高齢者安全 holds 子どもの安全 as well as 高齢者の安全)."""
        tokens, words, unit = sentence.tokens, sentence.words, sentence.unit_of
        at, q = [words[j]], j + 1
        for w in self.words[1:]:
            while (
                q + 1 < len(words)
                and tokens[words[q]].lemma != w.lemma
                and tokens[words[q] - 1].lemma == "・"
            ):
                coordinated = unit[words[q]]
                while q < len(words) and unit[words[q]] == coordinated:
                    q += 1
            if q >= len(words):
                return None
            at.append(words[q])
            q += 1
        return at

    def whole(
        self, sentence: list[Token], at: list[int], title_start: bool
    ) -> tuple[tuple[Span, ...], float] | None:
        """The label's words on the sentence's content words ``at``, only glue between them,
        and how sure that makes us: less where the glue is not the label's own (会計の監査 for
        the label 会計監査, 援助要求 for 援助の要求). A の put between two words of the label
        joins them only where it joins whole words: in 来日外国人犯罪の情勢 the の joins
        来日外国人犯罪 and 情勢, not 犯罪 and 情勢 (犯罪情勢).

        A label of several words may also begin inside the first word and end inside the
        last: the title's first word may have lost its first character to extraction
        (転免許の停止処分 is 運転免許の停止処分), and a word the dictionary does not know is
        often a run of katakana written together (青パトキャラバン holds 青パト)."""
        last = len(self.words) - 1
        start, end = sentence[at[0]].start, sentence[at[-1]].end
        before, after = self.edges  # ながら運転 is not any 運転
        if before:
            if tuple(t.lemma for t in sentence[max(at[0] - len(before), 0) : at[0]]) != before:
                return None
            start = sentence[at[0] - len(before)].start
        if after:
            if tuple(t.lemma for t in sentence[at[-1] + 1 : at[-1] + 1 + len(after)]) != after:
                return None
            end = sentence[at[-1] + len(after)].end
        sure = 1.0
        for k, (i, w) in enumerate(zip(at, self.words, strict=True)):
            t = sentence[i]
            if k:
                between = {
                    sentence[g].lemma
                    for g in range(at[k - 1] + 1, i)
                    if not sentence[g].content  # else passed over by align: coordinated
                }
                own = self.joints[k - 1]
                if between - own - GLUE or (
                    between - own and at[0] and sentence[at[0] - 1].content
                ):
                    return None
                if between != own:
                    sure = GLUED
            if t.lemma == w.lemma:
                continue
            if not last:
                return None
            if k == 0 and title_start and _inside(t.surface, w.surface, str.endswith):
                continue  # a cut first word: the evidence is what is left of it
            if k == 0 and t.oov and _inside(w.surface, t.surface, str.endswith):
                start = t.end - len(w.surface)
                continue
            if k == last and t.oov and _inside(w.surface, t.surface, str.startswith):
                end = t.start + len(w.surface)
                continue
            return None
        if any(sentence[g].content for g in range(at[0], at[-1] + 1) if g not in at):
            # over a coordinated word: the label's words, not one stretch that holds another
            # topic's words (ストーカー・DV事案 is ストーカー事案 and DV事案)
            spans = [Span(sentence[i].start, sentence[i].end) for i in at]
            return (Span(start, spans[0].end), *spans[1:-1], Span(spans[-1].start, end)), sure
        return (Span(start, end),), sure


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
        # a post followed by 会議 names a meeting of those officers (署長会議), not an officer
        posts_re = "|".join(map(re.escape, names)) + "|" + POST_WORD.pattern
        self.posts = re.compile(f"(?:{posts_re})(?!会議)")

    def add(self, concept: URIRef, text: str) -> None:
        sentences = tokens(text)
        toks = [t for s in sentences for t in s.tokens]
        if not toks:
            return
        units = frozenset(u.lemma for s in sentences for u in s.units if u.content)
        width = sum(len(s.units) for s in sentences) + SCATTER_WINDOW
        words = tuple(t for t in toks if t.content) or tuple(toks)
        at = [toks.index(w) for w in words]
        joints = tuple(frozenset(t.lemma for t in toks[a + 1 : b]) for a, b in pairwise(at))
        edges = tuple(
            tuple(t.lemma for t in part if t.lemma not in LOOSE)
            for part in (toks[: at[0]], toks[at[-1] + 1 :])
        )
        compound = len(toks) > 1 and all(t.content or t.lemma in LOOSE for t in toks)
        lemmas = frozenset(t.lemma for t in words)
        label = Label(concept, text, words, joints, edges, lemmas, units, width, compound)
        self.labels.append(label)
        for lemma in label.lemmas:
            self.by_lemma[lemma].append(label)

    def mask(self, text: str) -> str:
        """Officers' posts blanked out (same length, so offsets hold)."""
        return self.posts.sub(lambda m: "　" * len(m.group(0)), text)

    def match(self, text: str, offset: int, title: bool = False) -> dict[URIRef, list[Hit]]:
        """Topic → the labels found in text (each with the spans of its words). ``title``:
        the text is a title, whose first word may have lost its first character."""
        found: dict[URIRef, list[Hit]] = defaultdict(list)
        for n, sentence in enumerate(tokens(self.mask(text), offset)):
            start = title and n == 0
            # a label is found only where its words are, but for the first and the last of
            # several, which may be cut or inside an unknown word (see Label.whole)
            seen = Counter(lb for lemma in sentence.at for lb in self.by_lemma.get(lemma, ()))
            loose = 2 if start or sentence.oov else 0
            hits = [
                hit
                for lb, k in seen.items()
                if k >= len(lb.lemmas) - (loose if len(lb.words) > 1 else 0)
                and (hit := lb.find(sentence, start))
            ]
            # a word inside a longer compound that is another topic's label is part of that
            # compound, not a mention of its own (交通 in 交通安全運動, 人材育成 in
            # サイバーセキュリティ人材育成, 防犯 in 防犯ボランティア)
            compounds = [
                (h.label.topic, h.spans[0]) for h in hits if h.label.compound and len(h.spans) == 1
            ]
            for hit in hits:
                if not all(
                    any(
                        topic != hit.label.topic
                        and w.start <= s.start
                        and s.end <= w.end
                        and w.end - w.start > s.end - s.start
                        for topic, w in compounds
                    )
                    for s in hit.spans
                ):
                    found[hit.label.topic].append(hit)
        return found

    def specific(self, found):
        """Where a narrower topic's label is found whole over words that a broader topic
        of it is found on too, the words say the narrower topic, and the broader topic's
        label there counts for the narrower one: 猟銃の所持許可の取消し is about 猟銃, not
        also about 銃砲刀剣類 in general; 大規模イベントの雑踏警備 is 雑踏警備."""
        out = {t: list(hits) for t, hits in found.items()}
        for t, hits in found.items():
            words = [h.spans[0] for h in hits if len(h.spans) == 1]  # found whole
            for up in self.broader[t] & found.keys():
                for hit in found[up]:
                    if hit in out[up] and any(
                        s.start < w.end and w.start < s.end for s in hit.spans for w in words
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
        named: set[URIRef] = set()  # found whole by a label of several words
        for topic, spans in (known or {}).items():
            score[topic] = 1.0  # stated by the structure: as sure as a title
            evidence[topic].extend(spans)
        for where, part, offset in parts:
            found = self.match(part, max(offset, 0), where == "title")
            for topic, hits in self.specific(found).items():
                scattered = set()
                for hit in hits:
                    # two labels found scattered over the very same words are one finding
                    # (公安委員会宛て文書 and 公安委員会宛ての文書)
                    if hit.sure == SCATTERED:
                        if hit.spans in scattered:
                            continue
                        scattered.add(hit.spans)
                    # words found apart count for less than the label found whole;
                    # several labels (or places) of one topic add up: 1 - Π(1 - w)
                    w = WEIGHT[where] * hit.sure
                    score[topic] = 1 - (1 - score[topic]) * (1 - w)
                    if len(hit.spans) == 1 and len(hit.label.words) > 1:
                        named.add(topic)
                    evidence[topic].extend(hit.spans)
        kept = {t for t in score if score[t] >= THRESHOLD}
        # the most specific topics: a broader one stays only if better supported
        kept -= {up for t in kept for up in self.broader[t] if score.get(up, 0) <= score[t]}
        # a top concept (犯罪, 交通) only when none of its own narrower topics fits, and next
        # to topics of other branches only when named by more than one general word (運転免許
        # stays next to 裁決; 交通 in 交通関係の許可事務 is not a topic of its own)
        kept -= {up for t in kept for up in self.broader[t] & self.top}
        if kept - self.top:
            kept -= self.top - named
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
