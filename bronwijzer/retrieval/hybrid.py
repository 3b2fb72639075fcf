"""Hybrid retrieval: dense (Chroma via llama-index) and Dutch-stemmed BM25 (bm25s), fused."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import bm25s
import numpy as np
from llama_index.core import VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import MetadataMode, NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import FilterOperator, MetadataFilter, MetadataFilters
from llama_index.vector_stores.chroma import ChromaVectorStore

from bronwijzer.index.generations import Generation
from bronwijzer.index.rows import read_rows
from bronwijzer.index.store import IndexStore
from bronwijzer.settings_sections import RetrievalSettings
from bronwijzer.text.normalize import TOKEN_PATTERN, FoldingStemmer
from bronwijzer.types import Chunk, Passage

log = logging.getLogger(__name__)


def chunk_to_node(chunk: Chunk) -> TextNode:
    """The llama-index node for a chunk; the document is its SOURCE (ref_doc_id)."""
    node = TextNode(id_=chunk.chunk_id, text=chunk.text, metadata=chunk.metadata())
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=chunk.doc.doc_id)
    # The section heading is embedded and matched with the text (a list under a heading
    # is found by the heading's words), once: not again where the text opens with it. The
    # document title and other metadata are not.
    embedded = {"section"} if chunk.embedded_heading else set()
    node.excluded_embed_metadata_keys = [k for k in node.metadata if k not in embedded]
    node.excluded_llm_metadata_keys = list(node.metadata)
    node.metadata_template = "{value}"
    node.text_template = "{metadata_str}\n\n{content}"
    return node


def reciprocal_rank_fusion(
    rankings: Sequence[tuple[Sequence[str], float]], k: float
) -> dict[str, float]:
    """Weighted RRF: sum over rankings of weight / (k + rank), rank starting at 1."""
    fused: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (k + rank)
    return fused


class HybridRetriever:
    """Retrieval over one index generation; rebuilt when a newer generation is activated."""

    def __init__(
        self,
        store: IndexStore,
        generation: Generation,
        embedding: BaseEmbedding,
        settings: RetrievalSettings,
    ) -> None:
        self.generation = generation
        self.settings = settings
        collection = store.collection(generation.name)
        rows = read_rows(collection, ["documents", "metadatas"])
        self.chunks: dict[str, Chunk] = {}
        for chunk_id, text, meta in zip(
            rows["ids"], rows["documents"] or [], rows["metadatas"] or [], strict=True
        ):
            self.chunks[chunk_id] = Chunk.from_metadata(chunk_id, text or "", dict(meta))
        ordered = sorted(self.chunks.values(), key=lambda c: (c.doc.doc_id, c.order))
        self._by_position = {(c.doc.doc_id, c.order): c for c in ordered}
        self._stemmer = FoldingStemmer()
        self._ids = [c.chunk_id for c in ordered]
        self._doc_of = [c.doc.doc_id for c in ordered]
        self._lexical_k = min(settings.candidates, len(ordered))
        self._bm25: bm25s.BM25 | None = None
        if ordered:
            # What BM25 matches is what is embedded: the text, and its heading where set.
            texts = [
                chunk_to_node(c).get_content(metadata_mode=MetadataMode.EMBED) for c in ordered
            ]
            self._bm25 = bm25s.BM25()
            self._bm25.index(
                bm25s.tokenize(
                    texts,
                    stopwords="nl",
                    stemmer=self._stemmer,
                    token_pattern=TOKEN_PATTERN,
                    show_progress=False,
                ),
                show_progress=False,
            )
        self._index = VectorStoreIndex.from_vector_store(
            ChromaVectorStore(chroma_collection=collection), embed_model=embedding
        )

    def documents(self) -> list[str]:
        return sorted(set(self._doc_of))

    def neighbour(self, chunk: Chunk, step: int) -> Chunk | None:
        return self._by_position.get((chunk.doc.doc_id, chunk.order + step))

    def retrieve(
        self,
        question: str,
        doc_ids: Sequence[str] | None = None,
        lexical_query: str | None = None,
        limit: int | None = None,
    ) -> list[Passage]:
        """The best passages for a question, fused from dense and BM25 rankings.

        `lexical_query` is what BM25 matches (the question with extra words, say); the
        embedding always sees the question as asked. `limit` passages are returned
        (default: `top_k`).
        """
        if not self.chunks:
            return []
        wanted = set(doc_ids) if doc_ids else None
        dense = self._dense(question, wanted)
        lexical = self._lexical(lexical_query or question, wanted)
        fused = reciprocal_rank_fusion(
            [
                ([cid for cid, _ in dense], self.settings.dense_weight),
                ([cid for cid, _ in lexical], self.settings.bm25_weight),
            ],
            k=self.settings.rrf_k,
        )
        dense_scores = dict(dense)
        bm25_scores = dict(lexical)
        ranked = sorted(fused.items(), key=lambda item: -item[1])[: limit or self.settings.top_k]
        return [
            Passage(
                chunk=self.chunks[cid],
                score=score,
                dense_score=dense_scores.get(cid),
                bm25_score=bm25_scores.get(cid),
            )
            for cid, score in ranked
            if cid in self.chunks
        ]

    def _dense(self, question: str, wanted: set[str] | None) -> list[tuple[str, float]]:
        filters = None
        if wanted is not None:
            filters = MetadataFilters(
                filters=[
                    MetadataFilter(key="doc_id", value=sorted(wanted), operator=FilterOperator.IN)
                ]
            )
        retriever = self._index.as_retriever(
            similarity_top_k=min(self.settings.candidates, len(self.chunks)), filters=filters
        )
        results = retriever.retrieve(question)
        # ChromaVectorStore reports exp(-distance); with cosine space that is exp(cos - 1).
        return [(r.node.node_id, 1.0 + math.log(max(r.score or 1e-9, 1e-9))) for r in results]

    def lexical(
        self, question: str, doc_ids: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """The BM25 ranking alone: (chunk id, score), best first."""
        return self._lexical(question, set(doc_ids) if doc_ids else None)

    def _lexical(self, question: str, wanted: set[str] | None) -> list[tuple[str, float]]:
        if self._bm25 is None:
            return []
        mask = None
        if wanted is not None:
            mask = np.array([int(doc in wanted) for doc in self._doc_of])
            if not mask.any():
                return []
        # The question keeps bm25s's default (English) stopword list, as llama-index's
        # BM25Retriever tokenised it; Dutch stopwords are not in the index anyway.
        query = bm25s.tokenize(
            question, stemmer=self._stemmer, token_pattern=TOKEN_PATTERN, show_progress=False
        )
        found, scores = self._bm25.retrieve(
            query, k=self._lexical_k, show_progress=False, weight_mask=mask
        )
        return [
            (self._ids[int(i)], float(score))
            for i, score in zip(found[0], scores[0], strict=True)
            if score > 0
        ]
