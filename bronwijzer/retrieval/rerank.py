"""Fused passages re-ordered by how much of the question they hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bronwijzer.retrieval.sentences import body_spans
from bronwijzer.retrieval.term_weights import TermWeights
from bronwijzer.settings_sections import RetrievalSettings
from bronwijzer.types import Chunk, Passage


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
        return _coverage(chunk, query_terms, weights, settings)

    keep = max(settings.rerank_keep, depth)
    fused = [replace(p, score=p.score / best_fusion) for p in passages]
    head = _by_score(replace(p, score=p.score + coverage(p.chunk)) for p in fused[:depth])
    tail = fused[keep:]
    if settings.rerank_tail_weight and len(tail) > 1:
        tail = _by_score(
            replace(p, score=p.score + settings.rerank_tail_weight * coverage(p.chunk))
            for p in tail
        )
    return _never_rising((head + fused[depth:keep] + tail)[:top_k])


def _coverage(
    chunk: Chunk, query_terms: list[str], weights: TermWeights, settings: RetrievalSettings
) -> float:
    """The question's key-term coverage by the passage's best sentence and by the whole."""
    sentence = max(
        (weights.text_coverage(query_terms, chunk.text[a:b]) for a, b in body_spans(chunk)),
        default=0.0,
    )
    whole = weights.text_coverage(query_terms, chunk.text)
    return settings.rerank_sentence_weight * sentence + settings.rerank_passage_weight * whole


def _by_score(passages: Iterable[Passage]) -> list[Passage]:
    return sorted(passages, key=lambda p: -p.score)


def _never_rising(ranked: list[Passage]) -> list[Passage]:
    """Scores clamped so that none is above the one before it."""
    for i in range(1, len(ranked)):
        if ranked[i].score > ranked[i - 1].score:
            ranked[i] = replace(ranked[i], score=ranked[i - 1].score)
    return ranked
