"""The small data types that flow between the stages."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

_JOIN = "\n\n"  # between a chunk and the next one shown with it


def heading_to_embed(section: str, text: str) -> str:
    """The section heading that is embedded and matched with a chunk's text: none when the
    text already opens with it (the first chunk of a section), else the heading.

    Adding it to a text that starts with it would count its words twice, in the vector and
    in BM25, and pull such chunks towards any question that shares a word with a heading.
    """
    return "" if text.startswith(section) else section


@dataclass(frozen=True)
class DocumentInfo:
    """One source document and what the corpus metadata says about it."""

    doc_id: str  # the file name inside the corpus folder
    title: str
    date: str = ""
    publisher: str = ""
    kind: str = ""
    status: str = ""
    reference: str = ""
    source_url: str = ""

    def label(self) -> str:
        return f"{self.title} ({self.date})" if self.date else self.title


@dataclass(frozen=True)
class Chunk:
    """A passage of one document, as indexed."""

    chunk_id: str
    doc: DocumentInfo
    text: str
    section: str
    order: int  # position of the chunk inside its document
    # (character offset in text, page number) pairs: page of the text from that offset on
    page_starts: tuple[tuple[int, int], ...] = ((0, 1),)
    # (character offset in text, chunk id) of each indexed chunk a joined passage is made
    # of; empty for a chunk as indexed
    parts: tuple[tuple[int, str], ...] = ()

    @property
    def pages(self) -> list[int]:
        return sorted({p for _, p in self.page_starts})

    @property
    def embedded_heading(self) -> str:
        return heading_to_embed(self.section, self.text)

    def page_at(self, offset: int) -> int:
        page = self.page_starts[0][1]
        for start, p in self.page_starts:
            if start <= offset:
                page = p
        return page

    def followed_by(self, following: Chunk) -> Chunk:
        """This chunk and the one after it in its document as one passage (this one's id).

        A blank line joins them, so no sentence runs across the join; pages shift along.
        """
        offset = len(self.text) + len(_JOIN)
        return replace(
            self,
            text=self.text + _JOIN + following.text,
            page_starts=self.page_starts
            + tuple((offset + start, page) for start, page in following.page_starts),
            parts=self._parts() + tuple((offset + a, cid) for a, cid in following._parts()),
        )

    def _parts(self) -> tuple[tuple[int, str], ...]:
        return self.parts or ((0, self.chunk_id),)

    def pieces(self) -> list[tuple[str, int, int]]:
        """(chunk id, start, end) of each indexed chunk this passage is made of."""
        parts = self._parts()
        ends = [start - len(_JOIN) for start, _ in parts[1:]] + [len(self.text)]
        return [(chunk_id, start, end) for (start, chunk_id), end in zip(parts, ends, strict=True)]

    def part_at(self, offset: int) -> tuple[str, int, int]:
        """(chunk id, start, end) of the indexed chunk that holds this offset."""
        pieces = self.pieces()
        return next((p for p in reversed(pieces) if p[1] <= offset), pieces[0])

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as stored beside the vector (Chroma takes scalars only)."""
        return {
            "doc_id": self.doc.doc_id,
            "title": self.doc.title,
            "date": self.doc.date,
            "publisher": self.doc.publisher,
            "kind": self.doc.kind,
            "status": self.doc.status,
            "reference": self.doc.reference,
            "source_url": self.doc.source_url,
            "section": self.section,
            "order": self.order,
            "page_first": self.pages[0],
            "page_last": self.pages[-1],
            "page_starts": json.dumps(self.page_starts),
        }

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        doc = DocumentInfo(
            doc_id=str(meta["doc_id"]),
            title=str(meta.get("title", meta["doc_id"])),
            date=str(meta.get("date", "")),
            publisher=str(meta.get("publisher", "")),
            kind=str(meta.get("kind", "")),
            status=str(meta.get("status", "")),
            reference=str(meta.get("reference", "")),
            source_url=str(meta.get("source_url", "")),
        )
        starts = tuple((int(a), int(b)) for a, b in json.loads(str(meta["page_starts"])))
        return cls(
            chunk_id=chunk_id,
            doc=doc,
            text=text,
            section=str(meta.get("section", "")),
            order=int(meta.get("order", 0)),
            page_starts=starts,
        )


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its fused score and rank."""

    chunk: Chunk
    score: float
    dense_score: float | None = None
    bm25_score: float | None = None


@dataclass(frozen=True)
class Citation:
    """A quoted sentence with everything a reader needs to find it in the source."""

    number: int
    doc_id: str
    title: str
    date: str
    kind: str
    status: str
    page: int
    section: str
    quote: str  # the quoted sentence, exact text that occurs in the indexed passage
    passage: str  # the whole passage the quote comes from
    chunk_id: str
    # what the answer shows around the sentence: the stretch of its paragraph (holds quote)
    context: str = ""
    role: str = "support"  # 'lead', 'condition', 'support' or 'proposal'

    @property
    def shown(self) -> str:
        return self.context or self.quote

    def marked(self, before: str, after: str) -> str:
        """The shown context, one line, with the quoted sentence between the markers."""
        context = " ".join(self.shown.split())
        quote = " ".join(self.quote.split())
        at = context.find(quote)
        if at < 0:
            return context
        return f"{context[:at]}{before}{quote}{after}{context[at + len(quote) :]}"

    def label(self) -> str:
        parts = [self.title]
        if self.date:
            parts.append(self.date)
        parts.append(f"p. {self.page}")
        if self.section:
            parts.append(f"§ {self.section}")
        return ", ".join(parts)


@dataclass
class Answer:
    """What Bronwijzer answers to one question."""

    question: str
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    language: str = "nl"
    latency_ms: float = 0.0
    settings_hash: str = ""
    generation: str = ""  # the index generation that produced it
    verdict: str | None = None  # 'ja', 'nee' or 'onder voorwaarden' for a yes/no question
    path: str = "extractive"  # who wrote the answer: 'extractive' or 'model' (verified)
    model_notice: str = ""  # why the model's answer is not shown, when one was asked for
    dropped_claims: int = 0  # the model's claims left out: their quotes are not in the passage

    def to_prediction(self, question_id: str) -> dict[str, Any]:
        """The eval prediction format (shared/eval/README.md)."""
        return {
            "id": question_id,
            "answer": self.text,
            "abstained": self.abstained,
            "verdict": self.verdict,
            "path": self.path,
            "dropped_claims": self.dropped_claims,
            "citations": [
                {
                    "doc": c.doc_id,
                    "title": c.title,
                    "page": c.page,
                    "section": c.section or None,
                    "text": c.passage,  # the cited passage; the quoted sentence is in "quote"
                    "quote": c.shown,  # the sentence inside the paragraph shown with it
                }
                for c in self.citations
            ],
            "retrieved": [
                {"doc": p.chunk.doc.doc_id, "text": p.chunk.text, "score": round(p.score, 6)}
                for p in self.passages
            ],
            "latency_ms": round(self.latency_ms, 1),
            "settings_hash": self.settings_hash,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "verdict": self.verdict,
            "language": self.language,
            "citations": [asdict(c) for c in self.citations],
            "latency_ms": round(self.latency_ms, 1),
            "settings_hash": self.settings_hash,
        }
