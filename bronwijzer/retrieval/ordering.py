"""The fused passages in the order a reader needs them, each with the text it continues;
for a definition question, the defining sentence to quote first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from bronwijzer.retrieval.definitions import Definition
from bronwijzer.retrieval.hybrid import HybridRetriever
from bronwijzer.retrieval.query import asks_about_proposal
from bronwijzer.retrieval.sentences import Sentence
from bronwijzer.text.domain import load_domain
from bronwijzer.types import Chunk, Passage


def decisions_first(question: str, passages: list[Passage], weight: float) -> list[Passage]:
    """Passages of documents that decide before those of proposals (status 'advies',
    'voorstel'), unless the question asks about the proposal (`asks_about_proposal`).

    Users ask what holds now; a proposal saying much the same words is not the rule. A
    proposal's passage keeps its place only when it scores clearly higher (`weight` < 1
    scales its score).
    """
    domain = load_domain()
    if asks_about_proposal(question, (p.chunk.doc for p in passages)):
        return passages

    def key(passage: Passage) -> float:
        proposal = domain.is_proposal(passage.chunk.doc.status)
        return passage.score * weight if proposal else passage.score

    return sorted(passages, key=lambda p: -key(p))


def definitions_first(
    passages: list[Passage],
    definitions: list[Definition],
    doc_ids: Sequence[str] | None,
    chunks: Mapping[str, Chunk],
) -> list[Passage]:
    """For 'what does X mean', the passages that define X (`definitions`) go first, with
    the top score.

    Ranking finds passages that use a term as readily as the one that defines it: a
    term that the documents are about ('betaaltitel') occurs in nearly every passage.
    The glossary knows which sentence defines it.
    """
    defining = [chunks[i] for i in _chunk_ids(definitions, doc_ids) if i in chunks]
    if not defining or not passages:
        return passages
    top = passages[0].score
    by_id = {p.chunk.chunk_id: p for p in passages}
    first = {c.chunk_id: Passage(c, top) for c in defining}
    first |= {i: replace(by_id[i], score=top) for i in first if i in by_id}
    return [*first.values(), *(p for p in passages if p.chunk.chunk_id not in first)]


def _chunk_ids(definitions: list[Definition], doc_ids: Sequence[str] | None) -> list[str]:
    """The chunks that hold the definitions, once each, in the documents asked about."""
    wanted = (d.chunk_id for d in definitions if not doc_ids or d.doc_id in doc_ids)
    return list(dict.fromkeys(wanted))


def with_continuations(
    passages: list[Passage], retriever: HybridRetriever, limit: int
) -> list[Passage]:
    """Each passage joined with a neighbouring chunk of its section when both fit in
    `limit` words: the one before it (that a section's middle continues), else the one
    after it (that a heading with its first paragraph leads into).

    Chunks end at paragraph boundaries, so a heading and its first paragraph can match
    a question while the answer is the list or paragraph after it, and a list item can
    match while what it is a list of comes before. A chunk already shown, on its own or
    joined, is not shown again.
    """
    shown: set[str] = set()
    out: list[Passage] = []

    def joins(chunk: Chunk, other: Chunk) -> bool:
        return (
            other.chunk_id not in shown
            and other.section == chunk.section
            and len(chunk.text.split()) + len(other.text.split()) <= limit
        )

    for passage in passages:
        chunk = passage.chunk
        if chunk.chunk_id in shown:
            continue
        shown.add(chunk.chunk_id)
        before = retriever.neighbour(chunk, -1)
        after = retriever.neighbour(chunk, 1)
        if before is not None and joins(chunk, before):
            shown.add(before.chunk_id)
            passage = replace(passage, chunk=before.followed_by(chunk))
        elif after is not None and joins(chunk, after):
            shown.add(after.chunk_id)
            passage = replace(passage, chunk=chunk.followed_by(after))
        out.append(passage)
    return out


def defining_sentence(
    definitions: list[Definition], passages: list[Passage], sentences: list[Sentence], limit: int
) -> Sentence | None:
    """For 'what does X mean', the sentence of the first `limit` passages that defines X,
    to be quoted first.

    Sentence scores count the question's words, and a definition ('Met betaaltitel
    wordt bedoeld een prestatie …') holds few of them besides the term.
    """
    for definition in definitions:
        for rank, passage in enumerate(passages[:limit]):
            chunk = passage.chunk
            start = chunk.text.find(definition.sentence)
            if start >= 0 and chunk.part_at(start)[0] == definition.chunk_id:
                end = start + len(definition.sentence)
                top = max(s.score for s in sentences)
                return Sentence(rank, chunk, start, end, sentences[0].coverage, top)
    return None
