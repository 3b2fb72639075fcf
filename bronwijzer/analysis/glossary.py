"""Glossary: abbreviations and defined terms, extracted from the indexed passages themselves.

Built from whatever chunks are indexed, so a newly added document extends it. An entry cites
the sentence that defines or first explains the term (per document) and lists where it is
used. Patterns are general Dutch definitional forms, not a list of known terms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from bronwijzer.analysis.clause import TermMatcher, folded
from bronwijzer.text.normalize import fold, sentence_spans, stopwords
from bronwijzer.types import Chunk

# 'Wet langdurige zorg (Wlz)', 'macrobeheersinstrumenten (MBI's)'
_ABBR_AFTER_NAME = re.compile(r"\((?P<abbr>[A-Z][A-Za-z]{1,6})(?:['’]s)?\)")
# 'IZA (Integraal Zorgakkoord)'
_NAME_AFTER_ABBR = re.compile(r"\b(?P<abbr>[A-Z][A-Za-z]{1,6}) \((?P<name>[A-Z][^()]{3,80})\)")
# 'Met betaaltitel wordt bedoeld …', 'Onder zorg wordt verstaan …'
_MEANT = re.compile(
    r"\b(?:Met|Onder)\s+(?:de\s+|het\s+|een\s+)?(?P<term>\w[\w\-]*(?:\s+[\w\-]+){0,3}?)"
    r"\s+(?:wordt|worden)\s+(?:bedoeld|verstaan)\b"
)
# 'X (hierna: Y)'
_HEREAFTER = re.compile(r"\(hierna:?\s*(?:de\s+|het\s+)?(?P<term>[^)]{2,40})\)")
# 'Een sectoroverstijgende betaaltitel is een …' at the start of a sentence
_IS_A = re.compile(
    r"^(?:Een|De|Het)\s+(?P<term>\w[\w\-]*(?:\s+\w[\w\-]*){0,2}?)\s+(?:is|zijn|betekent)"
    r"\s+(?:een|de|het)\b"
)
# 'een zogenoemd contractvereiste. Betrokken partijen …' (explained in the next sentence)
_SO_CALLED = re.compile(r"\bzogenoemde?\s+(?P<term>\w[\w\-]{3,})")
_ABBR_TOKEN = re.compile(r"\b[A-Z][A-Za-z]{1,4}\b")

_QUOTE_REACH = 240  # characters of a run-on sentence kept around the defined term

# Strongest evidence first: an explicit definition beats an expansion beats a first use.
PATTERN_RANK = {"definitie": 0, "voluit": 1, "uitleg": 2, "eerste gebruik": 3}


@dataclass(frozen=True)
class Definition:
    """The passage that defines or first explains a term in one document."""

    doc_id: str
    title: str
    date: str
    page: int
    section: str
    sentence: str  # exact text from the chunk
    pattern: str  # a key of PATTERN_RANK
    chunk_id: str
    order: int


@dataclass(frozen=True)
class Use:
    doc_id: str
    title: str
    page: int
    section: str
    chunk_id: str


@dataclass
class GlossaryEntry:
    term: str
    expansion: str = ""  # the full name of an abbreviation
    definitions: list[Definition] = field(default_factory=list)  # best first
    uses: list[Use] = field(default_factory=list)

    @property
    def definition(self) -> Definition:
        return self.definitions[0]

    def to_dict(self) -> dict[str, object]:
        return {
            "term": self.term,
            "expansion": self.expansion or None,
            "definition": _definition_dict(self.definition),
            "other_definitions": [_definition_dict(d) for d in self.definitions[1:]],
            "uses": [
                {"doc": u.doc_id, "page": u.page, "section": u.section or None} for u in self.uses
            ],
        }


def _definition_dict(d: Definition) -> dict[str, object]:
    return {
        "doc": d.doc_id,
        "title": d.title,
        "date": d.date,
        "page": d.page,
        "section": d.section or None,
        "text": d.sentence,
        "pattern": d.pattern,
    }


def expansion_before(text: str, abbr: str) -> str:
    """The fewest words before '(ABBR)' whose letters spell the abbreviation in order,
    starting with its first letter ('Wet marktordening gezondheidszorg' for Wmg); or ''."""
    # A number may sit between name and abbreviation: 'Wet … ondersteuning 2015 (Wmo)'.
    words = re.findall(r"[\w\-]+", text)[-8:]
    key = folded(abbr.lower())
    for k in range(1, len(words) + 1):
        name = " ".join(words[-k:])
        if _spells(folded(name.lower()), key):
            return name
    return ""


def _spells(name: str, key: str) -> bool:
    if not name.startswith(key[0]):
        return False
    rest = iter(name[1:])
    return all(ch in rest for ch in key[1:])


def _sentence_at(chunk: Chunk, offset: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The sentence around offset, cut to whole words near it when it runs on (lists,
    tables and OCR make 'sentences' of a whole page)."""
    text = chunk.text
    start, end = next(((a, b) for a, b in spans if a <= offset < b), (0, len(text)))
    if offset - start > _QUOTE_REACH:
        start = text.find(" ", offset - _QUOTE_REACH, offset) + 1 or start
    if end - offset > 2 * _QUOTE_REACH:
        end = text.rfind(" ", offset, offset + 2 * _QUOTE_REACH) if " " in text[offset:] else end
        end = max(end, offset + 1)
    return start, end


def _candidates(chunk: Chunk) -> Iterable[tuple[str, str, str, int, int]]:
    """(term, expansion, pattern, sentence start, sentence end) found in one chunk."""
    text = chunk.text
    spans = sentence_spans(text)
    for m in _ABBR_AFTER_NAME.finditer(text):
        name = expansion_before(text[: m.start()], m["abbr"])
        if name:
            yield (m["abbr"], name, "voluit", *_sentence_at(chunk, m.start(), spans))
    for m in _NAME_AFTER_ABBR.finditer(text):
        name = m["name"].strip()
        if _spells(folded(name.lower()), folded(m["abbr"].lower())):
            yield (m["abbr"], name, "voluit", *_sentence_at(chunk, m.start(), spans))
    yield from _explanations(chunk, spans)


def _explanations(
    chunk: Chunk, spans: list[tuple[int, int]]
) -> Iterable[tuple[str, str, str, int, int]]:
    """Candidates that say what a term means: definitions and explanations."""
    text = chunk.text
    for pattern in (_MEANT, _HEREAFTER):
        for m in pattern.finditer(text):
            yield (m["term"], "", "definitie", *_sentence_at(chunk, m.start(), spans))
    for start, end in spans:
        head = _IS_A.match(text[start:end])
        if head and head["term"].split()[0].lower() not in stopwords():
            yield (head["term"], "", "uitleg", start, end)
    for m in _SO_CALLED.finditer(text):
        start, end = _sentence_at(chunk, m.start(), spans)
        following = [s for s in spans if s[0] >= end][:1]  # the explanation comes next
        yield (m["term"], "", "uitleg", start, following[0][1] if following else end)


def _definition(chunk: Chunk, pattern: str, start: int, end: int) -> Definition:
    return Definition(
        doc_id=chunk.doc.doc_id,
        title=chunk.doc.title,
        date=chunk.doc.date,
        page=chunk.page_at(start),
        section=chunk.section,
        sentence=chunk.text[start:end],
        pattern=pattern,
        chunk_id=chunk.chunk_id,
        order=chunk.order,
    )


def build_glossary(chunks: Sequence[Chunk], min_uses: int = 2) -> list[GlossaryEntry]:
    """The glossary of a set of chunks, sorted by term (case-insensitive)."""
    ordered = sorted(chunks, key=lambda c: (c.doc.doc_id, c.order))
    found: dict[str, dict[str, Definition]] = {}  # folded term -> doc_id -> best definition
    spellings: dict[str, Counter[str]] = {}
    expansions: dict[str, str] = {}
    for chunk in ordered:
        for term, expansion, pattern, start, end in _candidates(chunk):
            key = folded(term.lower())
            spellings.setdefault(key, Counter())[term] += 1
            if expansion:
                expansions.setdefault(key, expansion)
            per_doc = found.setdefault(key, {})
            old = per_doc.get(chunk.doc.doc_id)
            if old is None or PATTERN_RANK[pattern] < PATTERN_RANK[old.pattern]:
                per_doc[chunk.doc.doc_id] = _definition(chunk, pattern, start, end)
    _add_undefined_abbreviations(ordered, found, spellings)

    entries = []
    for key, per_doc in found.items():
        uses, seen = _uses(_display(spellings[key]), ordered)
        term = _display(seen + spellings[key], abbreviation=key in expansions)
        if len(uses) < min_uses and all(PATTERN_RANK[d.pattern] > 1 for d in per_doc.values()):
            continue
        definitions = sorted(
            per_doc.values(), key=lambda d: (PATTERN_RANK[d.pattern], -_date_key(d.date))
        )
        entries.append(GlossaryEntry(term, expansions.get(key, ""), definitions, uses))
    return sorted(entries, key=lambda e: e.term.lower())


def _add_undefined_abbreviations(
    chunks: Sequence[Chunk],
    found: dict[str, dict[str, Definition]],
    spellings: dict[str, Counter[str]],
) -> None:
    """Abbreviations used but never spelled out ('CIZ'): their first use explains them."""
    for chunk in chunks:
        spans: list[tuple[int, int]] | None = None
        for m in _ABBR_TOKEN.finditer(chunk.text):
            abbr = m.group()
            if not _is_abbreviation(abbr):
                continue
            key = folded(abbr.lower())
            spellings.setdefault(key, Counter())[abbr] += 1
            per_doc = found.setdefault(key, {})
            if chunk.doc.doc_id not in per_doc:
                spans = spans if spans is not None else sentence_spans(chunk.text)
                start, end = _sentence_at(chunk, m.start(), spans)
                per_doc[chunk.doc.doc_id] = _definition(chunk, "eerste gebruik", start, end)


def _display(spellings: Counter[str], abbreviation: bool = False) -> str:
    # OCR turns 'l' into 'I' ('WIz'): of the spellings, prefer the fewest capitals, but an
    # abbreviation starts with one ('Zvw', not a lower-case 'zvw' in a file name).
    def rank(s: str) -> tuple[bool, int, int, str]:
        return (
            abbreviation and not s[:1].isupper(),
            sum(ch.isupper() for ch in s),
            -spellings[s],
            s,
        )

    return min(spellings, key=rank)


def _date_key(date: str) -> int:
    digits = re.sub(r"\D", "", date)[:8]
    return int(digits.ljust(8, "0")) if digits else 0


def _is_abbreviation(term: str) -> bool:
    return sum(ch.isupper() for ch in term) >= 2


def _uses(term: str, chunks: Sequence[Chunk]) -> tuple[list[Use], Counter[str]]:
    """Where the term occurs (one use per chunk) and the spellings it occurs in."""
    matcher = TermMatcher(term)
    uses, seen = [], Counter[str]()
    for chunk in chunks:
        spans = matcher.spans(chunk.text)
        if _is_abbreviation(term):  # 'ZIN' is not 'in de zin van'
            spans = [(a, b) for a, b in spans if _is_abbreviation(chunk.text[a:b])]
        seen.update(chunk.text[a:b] for a, b in spans)
        if spans:
            page = chunk.page_at(spans[0][0])
            uses.append(Use(chunk.doc.doc_id, chunk.doc.title, page, chunk.section, chunk.chunk_id))
    return uses, seen


def lookup(glossary: Sequence[GlossaryEntry], term: str) -> GlossaryEntry | None:
    """The entry for a term in any spelling ('WIz' finds 'Wlz')."""
    key = folded(term.lower())
    return next((e for e in glossary if folded(e.term.lower()) == key), None)


def terms_in(text: str, glossary: Sequence[GlossaryEntry]) -> list[GlossaryEntry]:
    """The glossary entries whose term occurs in a text (an answer), in order of occurrence."""
    found = []
    for entry in glossary:
        spans = TermMatcher(entry.term).spans(text)
        if entry.expansion or _is_abbreviation(entry.term):  # 'Wmo', not a word inside one
            spans = [(a, b) for a, b in spans if text[a].isupper()]
        if spans:
            found.append((spans[0][0], entry.term.lower(), entry))
    return [entry for _, _, entry in sorted(found, key=lambda f: (f[0], f[1]))]


# Questions that ask what a term means. The term is what follows the marker, up to the
# question mark; a quoted term ('betaaltitel') wins. 'Wat is X' only counts when X is the
# whole rest of the question: 'Wat is de looptijd van de betaaltitel?' asks for a period.
_ARTICLE = r"(?:(?:een|de|het|a|an|the)\s+)?"
_DEFINITION_QUESTION = re.compile(
    r"^(?:wat\s+(?:verstaa?t|verstaan|bedoelt|bedoelen)\b.*?\b(?:onder|met)\s+"
    r"|wat\s+(?:wordt|worden)\b.*?\b(?:bedoeld|verstaan)\s+(?:met|onder)\s+"
    r"|wat\s+(?:betekent|betekenen|houdt)\s+"
    r"|wat\s+(?:is|zijn)\s+"
    r"|what\s+(?:is|are)\s+meant\s+by\s+"
    r"|what\s+(?:does|do)\b.*?\bmean\s+by\s+"
    r"|what\s+(?:is|are)\s+)" + _ARTICLE + r"(?P<term>[^?]{2,80}?)(?:\s+in)?\s*\??\s*$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"['‘’\"“”](?P<term>[^'‘’\"“”]{2,60})['‘’\"“”]")
# 'volgens de NZa een X', 'in de Kamerbrief het X': who says it, then the term
_QUALIFIER = re.compile(
    r"^(?:volgens|in|bij|according\s+to)\s+(?:(?:de|het|haar|zijn|the)\s+)?\S+(?:\s+\S+){0,3}?"
    r"\s+(?:een|de|het|a|an|the)\s+",
    re.I,
)


def defined_term(question: str) -> str:
    """The term a 'what does X mean' question asks about, or '' for any other question."""
    match = _DEFINITION_QUESTION.match(question.strip())
    if not match:
        return ""
    quoted = _QUOTED.search(question)
    return _tidy(quoted["term"] if quoted else _QUALIFIER.sub("", match["term"]))


def focus_term(question: str) -> str:
    """The term a question is about when it says so: quoted, or asked the meaning of."""
    quoted = _QUOTED.search(question)
    return _tidy(quoted["term"]) if quoted else defined_term(question)


def _tidy(term: str) -> str:
    return " ".join(term.strip(" '‘’\"“”.,").split())


class DefinitionFinder:
    """Finds what defines a term without reading every chunk.

    One accent-, case- and OCR-folded copy of all chunk texts is searched for the term in
    the positions the definition patterns look for ('met X wordt bedoeld', 'een X is een',
    'hierna: X', 'zogenoemd X'); only the few chunks found are split into sentences.
    Reading every chunk that holds a common term took seconds per question at 100,000
    chunks.
    """

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self._chunks = sorted(chunks, key=lambda c: (c.doc.doc_id, c.order))
        texts = [fold(c.text) for c in self._chunks]
        self._starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        self._text = "\x00".join(texts)

    def candidates(self, term: str) -> list[Chunk]:
        """The chunks where the term stands in a defining position (a superset of those
        `definitions_of` finds a definition in)."""
        key = r"\s+".join(re.escape(fold(w)) for w in term.split())
        if not key:
            return []
        found: set[int] = set()
        for pattern in (  # _MEANT, _IS_A, _HEREAFTER, _SO_CALLED; each starts with a
            # literal, which the regex engine scans for quickly ('zijn' folds to 'ziin')
            rf"{key}\s+(?:wordt|worden)\s+(?:bedoeid|verstaan)",
            rf"{key}\s+(?:is|ziin|betekent)\s+(?:een|de|het)\b",
            rf"hierna:?\s*(?:de\s+|het\s+)?{key}",
            rf"zogenoemde?\s+{key}",
        ):
            for match in re.finditer(pattern, self._text):
                found.add(bisect_right(self._starts, match.start()) - 1)
        return [self._chunks[i] for i in sorted(found)]

    def definitions(self, term: str) -> list[Definition]:
        """The strongest definition of a term per document, best first (`definitions_of`
        over the candidates)."""
        return definitions_of(term, self.candidates(term))


def definitions_of(term: str, chunks: Iterable[Chunk]) -> list[Definition]:
    """The strongest definition of a term per document, best first ('WIz' finds 'Wlz')."""
    key, quick = folded(term.lower()), fold(term)
    best: dict[str, Definition] = {}
    for chunk in sorted(chunks, key=lambda c: (c.doc.doc_id, c.order)):
        if quick not in fold(chunk.text):
            continue
        for found, _, pattern, start, end in _explanations(chunk, sentence_spans(chunk.text)):
            if folded(found.lower()) != key:
                continue
            old = best.get(chunk.doc.doc_id)
            if old is None or PATTERN_RANK[pattern] < PATTERN_RANK[old.pattern]:
                best[chunk.doc.doc_id] = _definition(chunk, pattern, start, end)
    return sorted(best.values(), key=lambda d: (PATTERN_RANK[d.pattern], -_date_key(d.date)))
