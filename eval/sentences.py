"""Where the sentence that answers stands among the candidate sentences of an answer
(python -m eval sentences).

An extractive answer quotes sentences of the top passages, best first by the share of the
question's key-term weight they hold and their passage's score (`KnowledgeBase.evidence`).
This measures how far that order goes: for each answerable gold question, the rank of the
first candidate that holds or is part of a gold quote, in that order and in the order of
the embedding model's similarity to the question. 'among candidates' is the ceiling of any
re-ordering of these sentences; a sentence model (an endpoint's) is to be compared with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bronwijzer.knowledge import KnowledgeBase
from eval.metrics import holds_gold, load_jsonl


@dataclass(frozen=True)
class SentenceRanks:
    id: str
    candidates: int
    by_score: int | None  # 0-based rank of the first answering sentence, the answer's order
    by_similarity: int | None  # the same in the order of the embedding's similarity


def sentence_ranks(kb: KnowledgeBase, gold_path: Path) -> list[SentenceRanks]:
    """The ranks of the answering sentence for each answerable question of a gold file."""
    out = []
    for item in load_jsonl(gold_path):
        quotes = [g["quote"] for g in item.get("gold", [])]
        if not quotes:
            continue
        passages = kb.retrieve(item["question"])
        _, sentences = kb.evidence(item["question"], passages)
        answers = [holds_gold(s.text, quotes) for s in sentences]
        similarity = _similarities(kb, item["question"], [s.text for s in sentences])
        by_similarity = sorted(range(len(sentences)), key=lambda i: -similarity[i])
        out.append(
            SentenceRanks(
                item["id"],
                len(sentences),
                _first(answers),
                _first([answers[i] for i in by_similarity]),
            )
        )
    return out


def _similarities(kb: KnowledgeBase, question: str, texts: list[str]) -> list[float]:
    if not texts:
        return []
    query = np.asarray(kb.embedding.get_query_embedding(question))
    vectors = np.asarray(kb.embedding.get_text_embedding_batch(texts))
    norms = np.linalg.norm(vectors, axis=1) * np.linalg.norm(query)
    return [float(x) for x in vectors @ query / np.where(norms == 0, 1.0, norms)]


def _first(flags: list[bool]) -> int | None:
    return next((i for i, flag in enumerate(flags) if flag), None)


def summarise(ranks: list[SentenceRanks]) -> dict[str, float]:
    """Shares of questions whose answering sentence is first, in the top 3, a candidate."""
    n = max(len(ranks), 1)
    by_score = [r.by_score for r in ranks]
    by_similarity = [r.by_similarity for r in ranks]

    def within(found: list[int | None], depth: int) -> float:
        return sum(rank is not None and rank < depth for rank in found) / n

    return {
        "questions": len(ranks),
        "first_by_score": within(by_score, 1),
        "top3_by_score": within(by_score, 3),
        "first_by_similarity": within(by_similarity, 1),
        "top3_by_similarity": within(by_similarity, 3),
        "among_candidates": sum(rank is not None for rank in by_score) / n,
        "candidates_p50": float(np.median([r.candidates for r in ranks])) if ranks else 0.0,
    }
