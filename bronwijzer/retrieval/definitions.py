"""Definitions found in the indexed passages: the general Dutch forms that define, spell out
or explain a term ('Met X wordt bedoeld …', 'Wet langdurige zorg (Wlz)', 'zogenoemd X'), and
the chunks where a term stands in a defining position.

The patterns are general definitional forms, not a list of known terms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from bronwijzer.text.normalize import fold, folded, sentence_spans, stopwords
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


def date_key(date: str) -> int:
    """A document date ('2023-11-29', '2021') as a number that sorts in time; 0 when none."""
    digits = re.sub(r"\D", "", date)[:8]
    return int(digits.ljust(8, "0")) if digits else 0


def best_first(definitions: Iterable[Definition]) -> list[Definition]:
    """The strongest kind of definition first; of one kind, the newest document's first."""
    return sorted(definitions, key=lambda d: (PATTERN_RANK[d.pattern], -date_key(d.date)))


def keep_stronger(
    per_doc: dict[str, Definition], chunk: Chunk, pattern: str, start: int, end: int
) -> None:
    """Record the definition at chunk.text[start:end] for its document unless the document
    already has one of a stronger kind."""
    old = per_doc.get(chunk.doc.doc_id)
    if old is None or PATTERN_RANK[pattern] < PATTERN_RANK[old.pattern]:
        per_doc[chunk.doc.doc_id] = definition_at(chunk, pattern, start, end)


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


def sentence_at(chunk: Chunk, offset: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
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


def candidates(chunk: Chunk) -> Iterable[tuple[str, str, str, int, int]]:
    """(term, expansion, pattern, sentence start, sentence end) found in one chunk."""
    text = chunk.text
    spans = sentence_spans(text)
    for m in _ABBR_AFTER_NAME.finditer(text):
        name = expansion_before(text[: m.start()], m["abbr"])
        if name:
            yield (m["abbr"], name, "voluit", *sentence_at(chunk, m.start(), spans))
    for m in _NAME_AFTER_ABBR.finditer(text):
        name = m["name"].strip()
        if _spells(folded(name.lower()), folded(m["abbr"].lower())):
            yield (m["abbr"], name, "voluit", *sentence_at(chunk, m.start(), spans))
    yield from _explanations(chunk, spans)


def _explanations(
    chunk: Chunk, spans: list[tuple[int, int]]
) -> Iterable[tuple[str, str, str, int, int]]:
    """Candidates that say what a term means: definitions and explanations."""
    text = chunk.text
    for pattern in (_MEANT, _HEREAFTER):
        for m in pattern.finditer(text):
            yield (m["term"], "", "definitie", *sentence_at(chunk, m.start(), spans))
    for start, end in spans:
        head = _IS_A.match(text[start:end])
        if head and head["term"].split()[0].lower() not in stopwords():
            yield (head["term"], "", "uitleg", start, end)
    for m in _SO_CALLED.finditer(text):
        start, end = sentence_at(chunk, m.start(), spans)
        following = [s for s in spans if s[0] >= end][:1]  # the explanation comes next
        yield (m["term"], "", "uitleg", start, following[0][1] if following else end)


def definition_at(chunk: Chunk, pattern: str, start: int, end: int) -> Definition:
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
            if folded(found.lower()) == key:
                keep_stronger(best, chunk, pattern, start, end)
    return best_first(best.values())
