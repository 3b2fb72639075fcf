"""The needle questions of the scale bench, asked one by one: latency, where each needle's
passage ranked, and whether dense search alone would have found it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.retrieval.term_question import defined_term
from eval.synthetic import Needle


def needle_rank(needle: Needle, texts: list[str]) -> int | None:
    for rank, text in enumerate(texts, start=1):
        if needle.sentence in " ".join(text.split()):
            return rank
    return None


def dense_check(kb: KnowledgeBase, found: list[tuple[Needle, str]]) -> dict[str, int]:
    """For needles whose passage answer() found: does Chroma's dense search return it among
    the candidates, and if not, is its stored vector nearer than the last one returned?"""
    collection = kb.store.collection(kb.generation)
    k = kb.settings.retrieval.candidates
    returned = nearer_but_missed = 0
    for needle, chunk_id in found:
        question = np.array(kb.embedding.get_query_embedding(needle.question))
        hits = collection.query(query_embeddings=[question.tolist()], n_results=k)
        if chunk_id in hits["ids"][0]:
            returned += 1
            continue
        stored = collection.get(ids=[chunk_id], include=["embeddings"])["embeddings"]
        assert stored is not None
        vector = np.array(stored[0])
        distance = 1 - question @ vector / (np.linalg.norm(question) * np.linalg.norm(vector))
        distances = hits["distances"]
        assert distances is not None
        nearer_but_missed += bool(distance < distances[0][-1])
    return {"dense_returned": returned, "dense_nearer_but_missed": nearer_but_missed}


@dataclass
class NeedleRun:
    """What the needle questions gave: latencies, and in the first round where each
    needle's passage ranked and which retriever found it."""

    latencies: list[float] = field(default_factory=list)
    definition_latencies: list[float] = field(default_factory=list)
    ranks: list[int | None] = field(default_factory=list)
    passages_found: list[tuple[Needle, str]] = field(default_factory=list)
    by_dense: int = 0
    by_bm25: int = 0

    def ask(self, kb: KnowledgeBase, needle: Needle, first_round: bool) -> None:
        started = time.perf_counter()
        answer = kb.answer(needle.question)
        self.latencies.append((time.perf_counter() - started) * 1000)
        if defined_term(needle.question):
            self.definition_latencies.append(self.latencies[-1])
        if not first_round:
            return
        rank = needle_rank(needle, [p.chunk.text for p in answer.passages])
        self.ranks.append(rank)
        if rank is None:
            return
        passage = answer.passages[rank - 1]
        chunk = passage.chunk
        holding = next(
            cid
            for cid, a, b in chunk.pieces()
            if needle.sentence in " ".join(chunk.text[a:b].split())
        )
        self.passages_found.append((needle, holding))
        self.by_dense += passage.dense_score is not None
        self.by_bm25 += passage.bm25_score is not None
