"""The conditions an eligibility answer lists: sentences of the deciding document that hold
a marker of obligation or condition (`[conditions]` in the domain file), gathered from the
passages found and from the sections whose heading announces conditions ('Voorwaarden')."""

from __future__ import annotations

from collections.abc import Iterable

from bronwijzer.retrieval.sentences import Sentence, body_spans
from bronwijzer.retrieval.term_weights import TermWeights
from bronwijzer.text.domain import Domain
from bronwijzer.types import Chunk


def condition_sentences(
    candidates: list[Sentence],
    section_chunks: Iterable[Chunk],
    doc_id: str,
    terms: list[str],
    weights: TermWeights,
    domain: Domain,
) -> list[Sentence]:
    """The condition sentences of one document, each once: those of its condition sections
    in reading order, then those among the candidates (best first)."""
    pattern = domain.condition_pattern
    found: list[Sentence] = []
    seen: set[str] = set()
    heading = domain.condition_heading_pattern
    for chunk in section_chunks:
        if chunk.doc.doc_id != doc_id or not heading.search(chunk.section):
            continue
        for start, end in body_spans(chunk):
            text = chunk.text[start:end]
            if text in seen or not pattern.search(text):
                continue
            seen.add(text)
            coverage = weights.text_coverage(terms, text)
            found.append(Sentence(99, chunk, start, end, coverage, 0.0))
    for sentence in candidates:
        mine = sentence.chunk.doc.doc_id == doc_id and sentence.text not in seen
        if mine and pattern.search(sentence.text):
            seen.add(sentence.text)
            found.append(sentence)
    return found
