"""Does a passage answer what was asked? Sentence scoring and answer-type checks.

Unanswerable questions here are near-misses on topic, so a retrieval-score threshold cannot
tell them apart. Instead each candidate sentence is checked for the question's key terms
(weighted by rarity) and, for 'how much', 'when', 'who' questions, for an expression of that
type (an amount, a date, an organisation).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from bronwijzer.analysis.glossary import focus_term
from bronwijzer.settings import RetrievalSettings
from bronwijzer.text.normalize import (
    WORD,
    FoldingStemmer,
    content_terms,
    detect_language,
    sentence_spans,
    stopwords,
)
from bronwijzer.types import Chunk, Passage

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|june|july|august|october"
)

# Expected answer type -> (question pattern, pattern a supporting sentence must contain)
# A name: 'NZa', 'IGJ', or a capitalised word within a sentence ('het Zorginstituut'). Not
# the law and agreement abbreviations a question is about, unless they name parties
# ('IZA-partijen'); not a thing named after one ('NZa-beleidsregel', 'WIz-zorg'); and not a
# law ('Wet …', 'Jeugdwet'): a law is no organisation.
_NAME = (
    r"\b(?!(?:Zvw|Wlz|WIz|Wmg|Wmo|Wpg|Jw|IZA|MBI|DOS)\b(?!-(?:partij|organisatie|instelling)))"
    r"(?![A-Z]\w*wet\b|Wet\b)"
    r"([A-Z][a-z]*[A-Z]\w*|[A-Z]{2,}\w*|(?<=[a-z,;] )[A-Z][a-z]{2,}(?:[- ][A-Z][a-z]+)*)"
    r"(?:-(?:partij|organisatie|instelling)\w*)?\b(?!-[a-z])"
)
# Who acts: the public bodies and roles of this domain, or a name
_AGENT = re.compile(
    r"\b(NZa|Zorginstituut|minister\w*|CIZ|IGJ|Autoriteit\w*|zorgverzeker\w+|"
    r"zorgkanto\w+|gemeente\w*|ministerie|Kamer|kabinet|staatssecretaris|"
    r"brancheorganisatie\w*|zorgaanbieder\w*|veldpartij\w*|werkgroep)\b|" + _NAME
)

ANSWER_TYPES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "amount": (
        re.compile(
            r"\b(bedrag\w*|euro'?s?|how much money|amount|budget van hoeveel)\b"
            # what something costs: 'Wat kost …', 'Hoe hoog is het tarief …', 'How much … cost'
            r"|\b(wat|hoeveel) (kost|kosten|kostte|kostten)\b|\bhoe duur\b"
            r"|\bhoe (hoog|groot)\b[^?]*?(tarie[fv]|bedrag|budget|vergoeding|prijs|prijzen|"
            r"kosten|premie|eigen risico|uitgaven)"
            r"|\bhow much\b[^?]*\b(cost|costs|spend|spent|pay|paid|budget)\b"
            r"|\bwhat (does|do|will|would)\b[^?]*\bcost\b"
            r"|\bhow (high|large|big)\b[^?]*\b(tariff|rate|fee|price|budget|deductible|premium)",
            re.I,
        ),
        re.compile(
            r"€\s*\d|\b\d+([.,]\d+)?\s*(euro|miljoen|miljard|mln|mld)\b"
            # nothing to pay is an amount too: 'geen eigen risico', 'kosteloos'
            r"|\b(kosteloos|gratis|free of charge)\b|\bgeen (eigen risico|eigen bijdrage|kosten)\b",
            re.I,
        ),
    ),
    "date": (
        re.compile(r"\b(op welke datum|welke datum|on what date|which date|exact date)\b", re.I),
        re.compile(
            rf"\b\d{{1,2}}\s+({_MONTHS})(\s+(19|20)\d{{2}})?\b|\b\d{{1,2}}-\d{{1,2}}-\d{{4}}\b",
            re.I,
        ),
    ),
    "time": (
        # not 'Wanneer mag/vindt/geldt …': that asks in which case, not at what time
        re.compile(
            r"\b(wanneer|vanaf wanneer|per wanneer|when|from when|by when)\b"
            r"(?!\s+(mag|mogen|moet|moeten|vindt|vinden|geldt|gelden|valt|vallen|is er sprake|"
            r"may|must|should)\b)"
            r"|\b(in )?welk jaar\b|\b(in )?(which|what) year\b",
            re.I,
        ),
        # a whole date is one expression: '4 oktober 2023', 'mei 2021', not 'oktober, 2023'
        re.compile(
            rf"\b(\d{{1,2}}\s+)?({_MONTHS})(\s+(19|20)\d{{2}})?\b|\b(19|20)\d{{2}}\b"
            r"|\b(jaar|jaren|maanden|years?)\b",
            re.I,
        ),
    ),
    "duration": (
        re.compile(r"\b(hoe ?lang|how long|voor hoeveel tijd)\b", re.I),
        re.compile(
            r"\b(\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|"
            r"one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+"
            r"(jaar|jaren|maanden|maand|weken|week|dagen|dag|years?|months?|weeks?|days?)\b",
            re.I,
        ),
    ),
    "frequency": (
        re.compile(r"\b(hoe vaak|hoe dikwijls|how often|how frequently)\b", re.I),
        re.compile(
            r"\b(jaarlijks\w*|maandelijks\w*|wekelijks\w*|tweejaarlijks\w*|periodiek\w*|"
            r"eenmalig\w*|(elk|ieder|per|eens per|één keer per|een keer per) (jaar|maand|week|"
            r"kwartaal)|\w+ keer|annual\w*|yearly|monthly|weekly|once|twice|every \w+)\b",
            re.I,
        ),
    ),
    "article": (
        re.compile(
            r"\b(welk(e)? (wets)?artikel\w*|op grond van welk (wets)?artikel|"
            r"which (article|section|legal basis)|what legal basis)\b",
            re.I,
        ),
        re.compile(r"\b(artikel|art\.|article)\s+\d+(\.\d+)*[a-z]?\b", re.I),
    ),
    "share": (
        re.compile(
            r"\b(welk percentage|welk deel|hoeveel procent|what share|what percentage|"
            r"what proportion|which share)\b",
            re.I,
        ),
        re.compile(
            r"\d+([.,]\d+)?\s*(%|procent|percent)|\b(helft|derde|kwart|half|third|quarter)\b",
            re.I,
        ),
    ),
    "count": (
        re.compile(r"\b(hoeveel(?! procent)|how many)\b", re.I),
        re.compile(r"\b\d+([.,]\d+)?\s*(%|procent|percent)?|\b(twee|drie|vier|vijf|tien)\b", re.I),
    ),
    "agent": (
        re.compile(r"^(wie|who)\b|\b(wie|who) (is|zijn|stelt|werkt|voert|beslist|decides)\b", re.I),
        _AGENT,
    ),
    "name": (
        re.compile(
            r"\b(welke?|which)\s+(\w+(?:\s+|-))?(organisaties?|brancheorganisaties?|instanties?|"
            r"zorgverzekeraars?|verzekeraars?|ziekenhuis|ziekenhuizen|regio'?s?|"
            r"organi[sz]ations?|authority|authorities|body|bodies|hospitals?|insurers?|"
            r"regions?|gemeenten?|municipalit(y|ies))(?!\w)",
            re.I,
        ),
        re.compile(_NAME),
    ),
    # 'Welke partijen …' is answered by a role ('zorgverzekeraars en zorgaanbieders') as
    # much as by a name ('het Zorginstituut')
    "party": (
        re.compile(r"\b(welke?|which)\s+(\w+(?:\s+|-))?(partij\w*|party|parties)(?!\w)", re.I),
        _AGENT,
    ),
}
# The types that ask which organisation: the name (or role) must stand where the question's
# event is, not anywhere in the passages (`_name_share`)
_WHICH_ORGANISATION = ("name", "party")

# A question that opens with one of these asks yes or no ('Mag het zorgkantoor met welk
# bedrag ...' is about whether, not how much): it expects no particular answer type.
_YES_NO = re.compile(
    r"^(mag|mogen|kan|kunnen|moet|moeten|is|zijn|geldt|gelden|valt|vallen|gaat|wordt|worden|"
    r"heeft|hebben|verandert|veranderen|zal|zullen|blijft|does|do|can|is|are|must|may|will|"
    r"should|has|have)\b",
    re.I,
)


def asks_yes_no(question: str) -> bool:
    return bool(_YES_NO.match(question.strip()))


def expected_types(question: str) -> list[str]:
    text = question.strip()
    if asks_yes_no(text):
        return []
    found = [name for name, (asks, _) in ANSWER_TYPES.items() if asks.search(text)]
    if "date" in found and "time" in found:
        found.remove("time")
    if "agent" in found and set(_WHICH_ORGANISATION) & set(found):
        found.remove("agent")
    if "amount" in found and "count" in found:  # 'Hoeveel kost …' asks an amount
        found.remove("count")
    return found


def has_type(text: str, kind: str, question: str = "") -> bool:
    """Does the text hold an expression of this type that the question does not already say?"""
    return bool(typed_expressions(text, kind, question))


def typed_expressions(text: str, kind: str, question: str = "") -> list[str]:
    """The expressions of this type in the text that the question does not already say."""
    return [m.group(0).strip() for m in typed_matches(text, kind, question)]


def typed_matches(text: str, kind: str, question: str = "") -> list[re.Match[str]]:
    """Where the text holds an expression of this type that the question does not already
    say; the first place of each expression."""
    asked = {w.lower() for w in WORD.findall(question)}
    found: dict[str, re.Match[str]] = {}
    for match in ANSWER_TYPES[kind][1].finditer(text):
        if _numbers_a_note_or_item(text, match.start(), match.end()):
            continue
        words = {w.lower() for w in WORD.findall(match.group(0))}
        if not words or not words <= asked:
            found.setdefault(match.group(0).strip(), match)
    return list(found.values())


_LABEL_BEFORE = re.compile(
    r"\b(artikel|art\.|lid|segment|nr\.?|nummer|hoofdstuk|paragraaf|bijlage|fase|stap|"
    r"versie|kamerstuk(ken)?|article|section|chapter|step|phase|no\.)\s*(\d+\s+)?$",
    re.I,
)


def _numbers_a_note_or_item(text: str, start: int, end: int) -> bool:
    """Is the number at text[start:end] a footnote mark, a list number or a label ('artikel
    58'), not a quantity?

    A footnote mark is glued to the word or full stop before it ('breed getoetst.1 Door',
    '(IZA).1'); a list number opens its line and is followed by a full stop ('1. Bevoegdheid').
    """
    if not text[start : start + 1].isdigit():
        return False
    before = text[start - 1] if start else ""
    if before.isalpha() or before in ".,;:)]":
        return True
    if _LABEL_BEFORE.search(text[max(0, start - 20) : start]):
        return True  # 'artikel 58', 'segment 3', 'nr. 812': a label, not a quantity
    opens_line = not text[text.rfind("\n", 0, start) + 1 : start].strip()
    return opens_line and text[end : end + 2] in {". ", ".\n", "."}


# 'Hoeveel weken …', 'how many responses …': the words that say what is counted
_HOW_MANY = re.compile(r"\b(?:hoeveel|how many)\s+((?:\w+\s+){0,2}\w+)", re.I)


def counted_terms(question: str, stemmer: FoldingStemmer) -> set[str]:
    """The stems of what a 'hoeveel X' question counts ('weken', 'open vragen'); empty when
    it asks no count of something."""
    asked = _HOW_MANY.search(question)
    return set(content_terms(asked.group(1), stemmer)) if asked else set()


def counts_of(text: str, nouns: set[str], stemmer: FoldingStemmer, question: str = "") -> list[str]:
    """The counts of what is counted in the text: a number followed, within three words, by
    one of `nouns`, read with the words up to it ('drie weken', 'vier open vragen')."""
    found: list[str] = []
    for match in typed_matches(text, "count", question):
        after = list(WORD.finditer(text[match.end() : match.end() + 60]))[:3]
        hits = [i for i, w in enumerate(after) if set(content_terms(w.group(0), stemmer)) & nouns]
        if hits:
            words = text[match.end() : match.end() + after[max(hits)].end()]
            found.append(" ".join(f"{match.group(0)} {words}".split()))
    return list(dict.fromkeys(found))


# Particles of Dutch separable verbs ('stelt … vast', 'voert … uit', 'stemt … af')
_PARTICLES = frozenset(
    {"aan", "af", "bij", "door", "in", "mee", "na", "om", "op", "over", "terug", "toe", "uit"}
    | {"vast", "voor", "weg", "samen", "vrij", "tegen", "neer", "binnen"}
)
_VOWELS = "aeiouy"


def _joined_forms(particle: str, verb: str) -> list[str]:
    """Forms of a split verb written as one word: infinitive, participle, noun in -ing."""
    if verb.endswith("en") and len(verb) > 4:  # 'stemmen' -> 'stem', 'voeren' -> 'voer'
        root = verb[:-2]
        if root[-1] == root[-2] and root[-1] not in _VOWELS:
            root = root[:-1]
    elif verb.endswith("t") and len(verb) > 3:  # 'stelt' -> 'stel'
        root = verb[:-1]
    else:
        root = verb
    stems = {root}
    if len(root) > 2 and root[-1] not in _VOWELS and root[-2] in _VOWELS:
        if root[-3] not in _VOWELS:
            stems.add(root + root[-1])  # 'stel' -> 'stell(en)'
        elif len(root) > 3 and root[-3] == root[-2]:
            stems.add(root[:-2] + root[-1])  # 'maak' -> 'mak(en)'
    forms = [particle + stem + suffix for stem in sorted(stems) for suffix in ("en", "ing")]
    return forms + [particle + "ge" + root + end for end in ("d", "t")] + [particle + root + "t"]


class TermWeights:
    """Inverse document frequency of folded stems over the indexed chunks."""

    def __init__(self, chunks: Iterable[Chunk], stemmer: FoldingStemmer) -> None:
        self.stemmer = stemmer
        df: Counter[str] = Counter()
        n = 0
        for chunk in chunks:
            n += 1
            df.update(set(content_terms(chunk.text, stemmer)))
        self.n = max(n, 1)
        self.df = df

    def idf(self, term: str) -> float:
        return math.log(1 + (self.n - self.df.get(term, 0) + 0.5) / (self.df.get(term, 0) + 0.5))

    def compound_parts(self, text: str) -> list[str]:
        """Words of the text unknown to the index, split into two known words where possible.

        Dutch glues words together ('groepsafstemming', 'samenwerkingskosten'); a question's
        compound is often absent from the documents while its parts are there. The split
        with the longest shorter part wins; a linking 's' or 'e' may end the first part.
        """
        parts: list[str] = []
        for word in WORD.findall(text.lower()):
            if len(word) < 8 or self.stemmer.stem(word) in self.df:
                continue
            best: tuple[int, str, str] | None = None
            for cut in range(3, len(word) - 2):
                left, right = word[:cut], word[cut:]
                if self.stemmer.stem(right) not in self.df:
                    continue
                lefts = [left, left[:-1]] if left.endswith(("s", "e")) and cut > 4 else [left]
                for first in lefts:
                    if self.stemmer.stem(first) in self.df:
                        candidate = (min(len(first), len(right)), first, right)
                        best = max(best, candidate) if best else candidate
            if best:
                parts += [best[1], best[2]]
        return parts

    def separable_verbs(self, text: str) -> list[str]:
        """Separable verbs of the text joined as the documents write them, where the index
        knows the joined word: 'stelt … vast' → 'vaststellen', 'vastgesteld'.

        A Dutch main clause splits the verb from its particle; documents mostly use the
        infinitive, participle or noun, one word ('vaststellen', 'uitgevoerd', 'afstemming').
        """
        words = WORD.findall(text.lower())
        particles = [w for w in words if w in _PARTICLES]
        found: dict[str, str] = {}  # stem -> the first form with it
        for particle in dict.fromkeys(particles):
            for verb in dict.fromkeys(words):
                if verb in _PARTICLES or len(verb) < 3 or verb in stopwords():
                    continue
                for form in _joined_forms(particle, verb):
                    stem = self.stemmer.stem(form)
                    if stem in self.df:
                        found.setdefault(stem, form)
        return list(found.values())

    def known(self, terms: Iterable[str]) -> list[str]:
        return [t for t in dict.fromkeys(terms) if t in self.df]

    def knows(self, word: str) -> bool:
        """Does an indexed passage use this word in some form: its stem, or its two parts
        as a compound?"""
        return self.stemmer.stem(word) in self.df or bool(self.compound_parts(word))

    def coverage(self, query_terms: list[str], text_terms: set[str]) -> float:
        """Share of the question's term weight that the text contains."""
        total = sum(self.idf(t) for t in query_terms)
        if total == 0:
            return 0.0
        return sum(self.idf(t) for t in query_terms if t in text_terms) / total


@dataclass(frozen=True)
class Sentence:
    passage_rank: int
    chunk: Chunk
    start: int
    end: int
    coverage: float  # share of the question's key-term weight in this sentence
    score: float

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    @property
    def piece_id(self) -> str:
        """The indexed chunk the sentence stands in (a passage may join two)."""
        return self.chunk.part_at(self.start)[0]

    def overlaps(self, other: Sentence) -> bool:
        """Do the two spans share characters (within the same passage)?"""
        return self.start < other.end and other.start < self.end


def body_spans(chunk: Chunk) -> Iterator[tuple[int, int]]:
    """Spans of a chunk's sentences that can be evidence (a heading is none)."""
    for start, end in sentence_spans(chunk.text):
        text = chunk.text[start:end]
        if len(text.split()) >= 4 and text not in chunk.section:
            yield start, end


# A sentence that refers back to a thing with a pronominal adverb: 'De beoordeling daarvan'
_REFERS_BACK = re.compile(r"\b(daar|hier)(aan|in|op|over|uit|van|toe)\b", re.I)


def _evidence_spans(chunk: Chunk, join_back: bool) -> Iterator[tuple[int, int]]:
    """The body sentences; with `join_back`, a sentence that refers back is joined with the
    one before it in its paragraph: 'Ook de regels voor mededinging, privacy en belastingen.
    De beoordeling daarvan is aan … de Belastingdienst' says who judges what only as one."""
    previous: tuple[int, int] | None = None
    for start, end in body_spans(chunk):
        joins = (
            join_back
            and previous is not None
            and "\n\n" not in chunk.text[previous[1] : start]
            and bool(_REFERS_BACK.search(chunk.text[start:end]))
        )
        yield (previous[0] if joins and previous else start), end
        previous = start, end


def score_sentences(
    passages: list[Passage],
    query_terms: list[str],
    weights: TermWeights,
    limit: int,
    join_back: bool = False,
) -> list[Sentence]:
    """Candidate answer sentences from the top passages, best first. `join_back`: a
    sentence that refers back is read with the one before it (for 'welke organisatie'
    questions, whose answer often names who does what the sentence before describes)."""
    if not passages:
        return []
    top = max(p.score for p in passages) or 1.0
    out: list[Sentence] = []
    for rank, passage in enumerate(passages[:limit]):
        prior = passage.score / top
        for start, end in _evidence_spans(passage.chunk, join_back):
            text = passage.chunk.text[start:end]
            cov = weights.coverage(query_terms, set(content_terms(text, weights.stemmer)))
            out.append(Sentence(rank, passage.chunk, start, end, cov, 0.65 * cov + 0.35 * prior))
    out.sort(key=lambda s: -s.score)
    return out


def rerank(
    passages: list[Passage],
    query_terms: list[str],
    weights: TermWeights,
    settings: RetrievalSettings,
    limit: int | None = None,
) -> list[Passage]:
    """Re-order fused passages by how much of the question they hold; return the top
    `limit` (default: top k).

    Fusion ranks by rank positions only, so passages on the topic tie closely. Scores become
    fusion / best possible fusion (0..1) plus the question's key-term coverage by the best
    sentence and by the whole passage. The first `rerank_depth` passages are re-ordered
    among themselves with the full coverage weight (the one that holds more of the question's
    rarer terms goes first); the passages down to `rerank_keep` keep their places; the rest
    of the fused pool competes for the remaining places with `rerank_tail_weight` times the
    coverage, so a passage that fusion ranked 20th but that holds the question's terms can
    still be among the ten shown. Scores are clamped so they never rise down the list.
    """
    top_k = limit or settings.top_k
    depth = min(settings.rerank_depth, len(passages))
    if (depth < 2 and not settings.rerank_tail_weight) or not query_terms:
        return passages[:top_k]
    best_fusion = (settings.dense_weight + settings.bm25_weight) / (settings.rrf_k + 1) or 1.0

    def coverage(chunk: Chunk) -> float:
        sentence = max(
            (
                weights.coverage(query_terms, set(content_terms(chunk.text[a:b], weights.stemmer)))
                for a, b in body_spans(chunk)
            ),
            default=0.0,
        )
        whole = weights.coverage(query_terms, set(content_terms(chunk.text, weights.stemmer)))
        return settings.rerank_sentence_weight * sentence + settings.rerank_passage_weight * whole

    keep = max(settings.rerank_keep, depth)
    fused = [replace(p, score=p.score / best_fusion) for p in passages]
    head = sorted(
        (replace(p, score=p.score + coverage(p.chunk)) for p in fused[:depth]),
        key=lambda p: -p.score,
    )
    tail = fused[keep:]
    if settings.rerank_tail_weight and len(tail) > 1:
        tail = sorted(
            (
                replace(p, score=p.score + settings.rerank_tail_weight * coverage(p.chunk))
                for p in tail
            ),
            key=lambda p: -p.score,
        )
    ranked = (head + fused[depth:keep] + tail)[:top_k]
    for i in range(1, len(ranked)):
        if ranked[i].score > ranked[i - 1].score:
            ranked[i] = replace(ranked[i], score=ranked[i - 1].score)
    return ranked


# How deep an English question's answer type is looked for: all the passages quoted from
# (`evidence_passages`). With 3, 'How many responses did the NZa receive?' abstained, as its
# '326 reacties' passage ranked fourth.
_TYPED_PASSAGES = 5


@dataclass(frozen=True)
class EvidenceCheck:
    """The features the abstention decision rests on; recorded for calibration."""

    passage_coverage: float  # best idf coverage of the question terms by one top passage
    sentence_coverage: float  # best idf coverage by one sentence
    typed_coverage: float  # best coverage by a sentence holding the expected answer type
    typed_present: bool  # a sentence of the top passages holds the expected answer type
    dense_top: float
    expected: tuple[str, ...]
    unknown_term: str = ""  # a term the question is about that no indexed passage uses
    topicless: bool = False  # no word of the question occurs in the index ('Wat is het?')
    # For 'welke organisatie …': the key-term weight of the best sentence holding a name,
    # as a share of the best sentence's. Nearly every passage names someone ('de NZa'), so
    # a name counts only where the question's event is: 'er vindt een evaluatie plaats'
    # names no one, and the names elsewhere do not say who evaluates.
    name_share: float = 1.0


def check_evidence(
    passages: list[Passage],
    sentences: list[Sentence],
    query_terms: list[str],
    weights: TermWeights,
    question: str,
) -> EvidenceCheck:
    passage_cov = max(
        (
            weights.coverage(query_terms, set(content_terms(p.chunk.text, weights.stemmer)))
            for p in passages[:3]
        ),
        default=0.0,
    )
    sentence_cov = max((s.coverage for s in sentences), default=0.0)
    expected = tuple(expected_types(question))
    # Each asked thing in some sentence: 'Hoeveel reacties ontving de NZa en wanneer hield
    # zij de consultatie?' is answered by two sentences, not one.
    holding = {k: _holding(sentences, k, question, weights.stemmer) for k in expected}
    typed_cov = min(
        (max((s.coverage for s in found), default=0.0) for found in holding.values()),
        default=sentence_cov,
    )
    # Any sentence of the top passages: for an English question the Dutch sentences share
    # no words with it, so their order says little.
    typed_present = all(
        any(s.passage_rank < _TYPED_PASSAGES for s in found) for found in holding.values()
    )
    dense_top = max((p.dense_score or 0.0 for p in passages[:3]), default=0.0)
    name_share = 1.0
    for kind in set(_WHICH_ORGANISATION) & set(expected):
        name_share = _name_share(sentences, holding[kind], question, query_terms, weights)
    return EvidenceCheck(
        passage_cov,
        sentence_cov,
        typed_cov,
        typed_present,
        dense_top,
        expected,
        unknown_term(question, weights),
        topicless=not query_terms,
        name_share=name_share,
    )


def _holding(
    sentences: list[Sentence], kind: str, question: str, stemmer: FoldingStemmer
) -> list[Sentence]:
    """The sentences that hold an expression of the asked type; for a Dutch 'hoeveel X', a
    number of X ('Hoeveel zorgaanbieders …' wants a number of zorgaanbieders)."""
    found = [s for s in sentences if has_type(s.text, kind, question)]
    nouns = counted_terms(question, stemmer) if kind == "count" else set()
    if nouns and detect_language(question) == "nl":
        found = [s for s in found if counts_of(s.text, nouns, stemmer, question)]
    return found


def _name_share(
    sentences: list[Sentence],
    named: list[Sentence],
    question: str,
    query_terms: list[str],
    weights: TermWeights,
) -> float:
    """The key-term weight of the best sentence that names someone, as a share of the best
    sentence's. The asked class ('zorgverzekeraar' in 'Welke zorgverzekeraar …') is no key
    term here: the name stands in its place, and every sentence about insurers holds it."""
    asked = next(
        (m for k in _WHICH_ORGANISATION if (m := ANSWER_TYPES[k][0].search(question))), None
    )
    slot = set(content_terms(asked.group(3), weights.stemmer)) if asked else set()
    terms = [t for t in query_terms if t not in slot]

    def coverage(sentence: Sentence) -> float:
        return weights.coverage(terms, set(content_terms(sentence.text, weights.stemmer)))

    best = max((coverage(s) for s in sentences), default=0.0)
    if not best:
        return 0.0
    return max((coverage(s) for s in named), default=0.0) / best


def unknown_event(question: str, weights: TermWeights) -> str:
    """The verb of a Dutch 'wanneer' / 'op welke datum' / 'welk bedrag' question when no
    indexed passage uses it in any form ('Wanneer stuurde de NZa …'); '' otherwise.

    Dutch puts the finite verb right after the question phrase, so that word names the
    event whose date or amount is asked; an auxiliary ('is', 'werd') is no such word.
    """
    for kind in ("time", "date", "amount"):
        asked = ANSWER_TYPES[kind][0].search(question)
        if asked is None:
            continue
        after = re.match(r"\s+([^\W\d_]{4,})\b", question[asked.end() :])
        word = after.group(1).lower() if after else ""
        if word and word not in stopwords() and not weights.knows(word):
            return word
    return ""


def unknown_term(question: str, weights: TermWeights) -> str:
    """The term a question quotes or asks the meaning of, when no indexed passage uses any
    of its words, nor the parts of it as a compound; '' otherwise.

    A question about 'populatiebekostiging' must not be answered from passages about
    'bekostiging': that the documents never use the term is the answer.
    """
    term = focus_term(question)
    terms = content_terms(term, weights.stemmer) if term else []
    if not terms or weights.known(terms) or weights.compound_parts(term):
        return ""
    return term
