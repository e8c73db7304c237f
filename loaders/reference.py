"""Reference data (committees, posts, roles, outcomes) read from ontology/*.ttl.

Parsers keep names as written; this module says which committee a prefecture's name
means and which post an alias stands for (本部長 → 警察本部長), so that one fact is one node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote, urlsplit

from rdflib import Graph, Literal, URIRef

from committee_kg.data import ONTOLOGY_DIR, SHAPES_DIR

from .vocab import CKG, RDF, RDFS, SKOS, Minter

ONTOLOGY_FILE = "ckg.ttl"
TOPICS_FILE = "topics.ttl"  # the topic scheme has a graph of its own
# Endings of words that name a police post (部長, 課長, 監察官 …); used for posts that the
# reference data does not list yet, which validation then reports as a warning.
POST_ENDING = re.compile(
    r"(本部長|部長|局長|課長|室長|官|参事官|所長|隊長|署長|次長|理事官|調査官|総監|校長|[^\s]{1,3}監|長補佐|長代理)$"
)
BRACKETED = re.compile(r"^(?P<core>.*?)(?P<note>[(（][^()（）]*[)）])?$")


@dataclass(frozen=True)
class Committee:
    code: str
    label_ja: str
    label_en: str
    prefecture: str  # 山口県, or "" for the national commission
    prefecture_en: str  # Yamaguchi


class Reference:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.committees: dict[str, Committee] = {}
        for c in graph.subjects(RDF.type, CKG.Committee):
            code = str(graph.value(c, CKG.prefectureCode) or "")
            notation = str(graph.value(c, SKOS.notation) or code)
            self.committees[notation] = Committee(
                code=notation,
                label_ja=_label(graph, c, "ja"),
                label_en=_label(graph, c, "en"),
                prefecture=_label(graph, c, "ja", CKG.prefectureName),
                prefecture_en=_label(graph, c, "en", CKG.prefectureName),
            )
        self.posts: dict[str, str] = {}  # any label → canonical post name
        for p in graph.subjects(RDF.type, SKOS.Concept):
            if "/id/post/" not in str(p):
                continue
            canonical = _label(graph, p, "ja", SKOS.prefLabel)
            self.posts[canonical] = canonical
            for alt in graph.objects(p, SKOS.altLabel):
                if isinstance(alt, Literal) and alt.language == "ja":
                    self.posts[str(alt)] = canonical

    def committee_by_name(self, name: str) -> str | None:
        """「福井県公安委員会」 or 「福井県」 → JP-18."""
        name = name.strip()
        for c in self.committees.values():
            if name in (c.label_ja, c.prefecture) and c.code.count("-") <= 1:
                return c.code
        for c in self.committees.values():
            if c.label_ja and name == c.label_ja:
                return c.code
        return None

    def committee_from_url(self, url: str) -> str | None:
        """The commission a page's address names: its host (www.pref.yamaguchi.lg.jp, a
        mirror's www-pref-hiroshima-lg-jp.cache.example, npsc.go.jp, npa.go.jp), or its
        decoded path (a document stored under its title 「福岡県公安委員会…」)."""
        parts = urlsplit(url)
        labels = re.split(r"[.\-]", (parts.hostname or "").lower())
        if "npsc" in labels or ("npa" in labels and "go" in labels):
            return "JP"
        for c in self.committees.values():
            name = c.prefecture_en.lower()
            if name and name in labels and c.code.count("-") == 1:
                return c.code
        path = unquote(parts.path + "?" + parts.query)
        # an archive's copy: 「https://web.archive.org/web/2019/https://www.pref.shiga.lg.jp/…」
        inner = re.search(r"https?:/+(?P<host>[A-Za-z0-9.\-]+)", path)
        if inner and (code := self.committee_from_url("https://" + inner["host"])):
            return code
        return self.committee_named_in(re.sub(r"[\s\-_/.?]", "", path))

    def committee_named_in(self, text: str) -> str | None:
        """The first 「X県公安委員会」 or 「国家公安委員会」 text names."""
        best = None
        for c in self.committees.values():
            i = text.find(c.label_ja) if c.label_ja else -1
            if i >= 0 and (best is None or (i, -len(c.label_ja)) < best[:2]):
                best = (i, -len(c.label_ja), c.code)
        return best[2] if best else None

    def canonical_post(self, written: str) -> str:
        return self.posts.get(written, written)

    def is_known_post(self, written: str) -> bool:
        return written in self.posts

    def looks_like_post(self, written: str) -> bool:
        core = BRACKETED.match(written.strip())["core"].strip()  # 「審議官(…担当)」
        return (
            self.is_known_post(written)
            or self.is_known_post(core)
            or bool(POST_ENDING.search(core))
        )

    def post_ending(self, entry: str, named: bool = False) -> str | None:
        """The post an attendance entry names, a bracketed note kept with it (「審議官(警備局
        担当)」): the entry itself when it reads as a post; in a list that writes each
        official's name before the post (``named``: 「栗生長官、松本次長」), the longest known
        post it ends with — only the post becomes a node."""
        m = BRACKETED.match(entry.strip())
        core, note = m["core"].strip(), m["note"] or ""
        if named:
            known = [p for p in self.posts if core.endswith(p) and len(core) - len(p) <= 4]
            if known:
                return max(known, key=len) + note
        # a post's name is short, but may hold a 「・」 (「匿名・流動型犯罪グループ対策本部対策監」)
        short = len(core.rsplit("・", 1)[-1]) <= 16 and len(core) <= 32
        if self.is_known_post(core) or (POST_ENDING.search(core) and short):
            return core + note
        return None

    def names_before_posts(self, entries: list[str]) -> bool:
        """Whether a list writes a personal name before each post (「栗生長官、松本次長」):
        most entries are a known post with one to four characters before it, few are posts
        on their own."""
        cores = [BRACKETED.match(x.strip())["core"].strip() for x in entries if x.strip()]
        if not cores:
            return False
        bare = sum(self.is_known_post(c) for c in cores)
        named = sum(
            not self.is_known_post(c)
            and any(c.endswith(p) and 1 <= len(c) - len(p) <= 4 for p in self.posts)
            for c in cores
        )
        return named > bare and named * 2 >= len(cores)

    def prefectures(self) -> list[str]:
        return sorted({c.prefecture for c in self.committees.values() if c.prefecture}, key=len)


def _label(graph: Graph, node, lang: str, prop=None) -> str:
    props = [prop] if prop else [SKOS.prefLabel, RDFS.label]
    for pr in props:
        for o in graph.objects(node, pr):
            if isinstance(o, Literal) and o.language == lang:
                return str(o)
    return ""


@cache
def reference_graph() -> Graph:
    """Every reference file of ontology/ (not the ontology, not the topics) as one graph."""
    g = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if path.name not in (ONTOLOGY_FILE, TOPICS_FILE):
            g.parse(path)
    return g


@cache
def rebased(graph: Graph, base: str) -> Graph:
    """Reference data or the topic scheme under another base. Sessions name committees,
    posts, roles and topics under their store's base (``to_rdf``'s minter), so the reference
    data must be there too: under the default base, a custom base's sessions would join no
    label of a post, and validation would warn of an unknown post for every officer."""
    default, ours = Minter().id, Minter(base).id
    if default == ours:
        return graph

    def move(term):
        if isinstance(term, URIRef) and term.startswith(default):
            return URIRef(ours + term[len(default) :])
        return term

    out = Graph()
    for triple in graph:
        out.add(tuple(move(t) for t in triple))
    return out


@cache
def topics_graph() -> Graph:
    path = ONTOLOGY_DIR / TOPICS_FILE
    return Graph().parse(path) if path.exists() else Graph()


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / ONTOLOGY_FILE)


@cache
def shapes_graph() -> Graph:
    """Every file of shapes/ in one graph (validation, and the ontology's documentation)."""
    g = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(path)
    return g


@cache
def reference() -> Reference:
    return Reference(reference_graph())
