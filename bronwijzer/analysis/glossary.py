"""Glossary: abbreviations and defined terms, extracted from the indexed passages themselves.

Built from whatever chunks are indexed, so a newly added document extends it. An entry cites
the sentence that defines or first explains the term (per document, `definitions`) and lists
where it is used.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bronwijzer.analysis.clause import TermMatcher
from bronwijzer.retrieval.definitions import (
    PATTERN_RANK,
    Definition,
    best_first,
    candidates,
    definition_at,
    keep_stronger,
    sentence_at,
)
from bronwijzer.text.normalize import folded, sentence_spans
from bronwijzer.types import Chunk

_ABBR_TOKEN = re.compile(r"\b[A-Z][A-Za-z]{1,4}\b")


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


def build_glossary(chunks: Sequence[Chunk], min_uses: int = 2) -> list[GlossaryEntry]:
    """The glossary of a set of chunks, sorted by term (case-insensitive)."""
    ordered = sorted(chunks, key=lambda c: (c.doc.doc_id, c.order))
    found: dict[str, dict[str, Definition]] = {}  # folded term -> doc_id -> best definition
    spellings: dict[str, Counter[str]] = {}
    expansions: dict[str, str] = {}
    for chunk in ordered:
        for term, expansion, pattern, start, end in candidates(chunk):
            key = folded(term.lower())
            spellings.setdefault(key, Counter())[term] += 1
            if expansion:
                expansions.setdefault(key, expansion)
            keep_stronger(found.setdefault(key, {}), chunk, pattern, start, end)
    _add_undefined_abbreviations(ordered, found, spellings)

    entries = []
    for key, per_doc in found.items():
        uses, seen = _uses(_display(spellings[key]), ordered)
        term = _display(seen + spellings[key], abbreviation=key in expansions)
        if len(uses) < min_uses and all(PATTERN_RANK[d.pattern] > 1 for d in per_doc.values()):
            continue
        entries.append(
            GlossaryEntry(term, expansions.get(key, ""), best_first(per_doc.values()), uses)
        )
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
                start, end = sentence_at(chunk, m.start(), spans)
                per_doc[chunk.doc.doc_id] = definition_at(chunk, "eerste gebruik", start, end)


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
