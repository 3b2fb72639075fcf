"""Clause view: every passage in the corpus that contains a term, with its variants.

A term matches as a plain substring of the accent-, case- and OCR-folded text (so 'Wlz'
finds OCR 'WIz', 'eigen risico' finds 'eigen-risico' and 'eigenrisicodrager'), and word by
word on Dutch stems (so 'contractvereisten' finds 'contractvereiste').
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bronwijzer.answering.export import escape_markdown
from bronwijzer.errors import QuestionError
from bronwijzer.text.normalize import FoldingStemmer, folded
from bronwijzer.types import Chunk, DocumentInfo

# Abbreviations this short ('Jw', 'Wmo') only match at the start of a word: folded 'iw'
# also occurs inside 'bijwerken'.
_SHORT_TERM = 4
_WORD = re.compile(r"\w+")
_BETWEEN_WORDS = r"[\s\-‐–/]*"


@dataclass(frozen=True)
class ClauseHit:
    """One passage containing the term; spans are (start, end) offsets in chunk.text."""

    chunk: Chunk
    spans: tuple[tuple[int, int], ...]

    @property
    def page(self) -> int:
        return self.chunk.page_at(self.spans[0][0])

    def snippet(self, context: int = 120) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The text around the hits (whole words) and the spans shifted into it."""
        text = self.chunk.text
        start = max(0, self.spans[0][0] - context)
        end = min(len(text), self.spans[-1][1] + context)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        return text[start:end], tuple((a - start, b - start) for a, b in self.spans)

    def matched(self) -> list[str]:
        return [self.chunk.text[a:b] for a, b in self.spans]


@dataclass(frozen=True)
class DocumentClauses:
    """The hits of one document, in reading order."""

    doc: DocumentInfo
    hits: list[ClauseHit]


class TermMatcher:
    """Finds a term, its inflections and spelling/OCR variants in a text."""

    def __init__(self, term: str, stemmer: FoldingStemmer | None = None) -> None:
        words = _WORD.findall(term)
        if not words or not "".join(words).strip():
            raise QuestionError("Geef een term om naar te zoeken, bijv. 'eigen risico'.")
        self.term = " ".join(words)
        self._stemmer = stemmer or FoldingStemmer()
        keys = [re.escape(folded(w.lower())) for w in words]
        body = _BETWEEN_WORDS.join(keys)
        short = len("".join(keys)) <= _SHORT_TERM
        self._pattern = re.compile(rf"(?<!\w){body}" if short else body)
        self._stems = self._stemmer.stemWords([w.lower() for w in words])

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = [m.span() for m in self._pattern.finditer(folded(text))]
        found.extend(self._stem_spans(text))
        return merge_spans(found)

    def _stem_spans(self, text: str) -> list[tuple[int, int]]:
        tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        stems = self._stemmer.stemWords([t[2].lower() for t in tokens])
        n = len(self._stems)
        return [
            (tokens[i][0], tokens[i + n - 1][1])
            for i in range(len(tokens) - n + 1)
            if stems[i : i + n] == self._stems
        ]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching (start, end) spans joined, in text order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def find_clause(
    term: str, chunks: Sequence[Chunk], documents: Sequence[DocumentInfo] | None = None
) -> list[DocumentClauses]:
    """Every chunk containing the term, grouped per document (in the order of `documents`,
    else by title) and in reading order inside each document."""
    matcher = TermMatcher(term)
    by_doc: dict[str, list[ClauseHit]] = {}
    infos: dict[str, DocumentInfo] = {}
    for chunk in sorted(chunks, key=lambda c: (c.doc.doc_id, c.order)):
        spans = matcher.spans(chunk.text)
        if spans:
            by_doc.setdefault(chunk.doc.doc_id, []).append(ClauseHit(chunk, tuple(spans)))
            infos[chunk.doc.doc_id] = chunk.doc
    order = [d.doc_id for d in documents] if documents else sorted(infos)
    order += [d for d in sorted(infos) if d not in order]
    return [DocumentClauses(infos[d], by_doc[d]) for d in order if d in by_doc]


def highlight(
    text: str,
    spans: Sequence[tuple[int, int]],
    before: str,
    after: str,
    escape: Callable[[str], str] = str,
) -> str:
    """The text with each span wrapped in before/after markers, every piece escaped apart
    (so escaping cannot shift a span)."""
    out, last = [], 0
    for start, end in spans:
        out += [escape(text[last:start]), before, escape(text[start:end]), after]
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def to_markdown(term: str, groups: Sequence[DocumentClauses]) -> str:
    """The clause view as a Markdown document (term in bold, one quote per passage)."""
    total = sum(len(g.hits) for g in groups)
    lines = [f"# Clausule: {term}", "", f"{total} passages in {len(groups)} documenten.", ""]
    for group in groups:
        doc = group.doc
        meta = ", ".join(x for x in (doc.date, doc.kind, doc.status) if x)
        lines += [f"## {escape_markdown(doc.title)}" + (f" ({meta})" if meta else ""), ""]
        for hit in group.hits:
            section = escape_markdown(hit.chunk.section)
            where = f"p. {hit.page}" + (f", § {section}" if section else "")
            bold = highlight(hit.chunk.text, hit.spans, "**", "**", escape_markdown)
            body = " ".join(bold.split())
            lines += [f"- {where}", "", f"  > {body}", ""]
    return "\n".join(lines)


def to_json(groups: Sequence[DocumentClauses]) -> list[dict[str, object]]:
    """Flat list of passages: doc, title, date, page, section, text, matched."""
    return [
        {
            "doc": g.doc.doc_id,
            "title": g.doc.title,
            "date": g.doc.date,
            "status": g.doc.status,
            "page": hit.page,
            "pages": hit.chunk.pages,
            "section": hit.chunk.section or None,
            "text": hit.chunk.text,
            "matched": hit.matched(),
            "spans": [list(s) for s in hit.spans],
        }
        for g in groups
        for hit in g.hits
    ]
