"""Candidate answer sentences: the body sentences of the top passages, scored by the share of
the question's key-term weight they hold and by their passage's retrieval score."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bronwijzer.retrieval.term_weights import TermWeights
from bronwijzer.text.normalize import sentence_spans
from bronwijzer.types import Chunk, Passage


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
            cov = weights.text_coverage(query_terms, passage.chunk.text[start:end])
            out.append(Sentence(rank, passage.chunk, start, end, cov, 0.65 * cov + 0.35 * prior))
    out.sort(key=lambda s: -s.score)
    return out
