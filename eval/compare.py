"""Bronwijzer against the baselines a user would otherwise build (python -m eval compare).

(a) BM25 alone over Bronwijzer's own chunks; (b) the plain llama-index pipeline of an
afternoon: SimpleDirectoryReader, SentenceSplitter defaults, VectorStoreIndex on Chroma
with the same embedding model, top-k; (c) Bronwijzer. All three answer the same gold
questions in one run and are scored with the same metrics.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings
from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
from llama_index.core.node_parser import SentenceSplitter
from llama_index.vector_stores.chroma import ChromaVectorStore

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from eval.metrics import aggregate, load_jsonl, score_question

Predictor = Callable[[str, str], dict[str, Any]]  # (question id, question) -> prediction


def _passages_prediction(
    question_id: str, texts: list[tuple[str, str]], latency_ms: float
) -> dict[str, Any]:
    """A baseline never abstains and cites its top passage."""
    return {
        "id": question_id,
        "answer": texts[0][1] if texts else "",
        "abstained": False,
        "citations": [{"doc": texts[0][0], "text": texts[0][1]}] if texts else [],
        "retrieved": [{"doc": doc, "text": text} for doc, text in texts],
        "latency_ms": latency_ms,
    }


def bm25_only(kb: KnowledgeBase) -> Predictor:
    retriever = kb.retriever()

    def predict(question_id: str, question: str) -> dict[str, Any]:
        started = time.perf_counter()
        ranked = retriever.lexical(question)[: kb.settings.retrieval.top_k]
        texts = [(retriever.chunks[c].doc.doc_id, retriever.chunks[c].text) for c, _ in ranked]
        return _passages_prediction(question_id, texts, (time.perf_counter() - started) * 1000)

    return predict


def plain_llama_index(settings: Settings, kb: KnowledgeBase, workdir: Path) -> Predictor:
    """The pipeline from the llama-index starter docs, with the same (offline) model."""
    documents = SimpleDirectoryReader(
        str(settings.corpus_dir), exclude=[settings.metadata_file], filename_as_id=True
    ).load_data()
    client = chromadb.PersistentClient(
        path=str(workdir), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.create_collection("plain", embedding_function=None)
    index = VectorStoreIndex.from_documents(
        documents,
        storage_context=StorageContext.from_defaults(
            vector_store=ChromaVectorStore(chroma_collection=collection)
        ),
        embed_model=kb.embedding,
        transformations=[SentenceSplitter()],
    )
    retriever = index.as_retriever(similarity_top_k=settings.retrieval.top_k)

    def predict(question_id: str, question: str) -> dict[str, Any]:
        started = time.perf_counter()
        results = retriever.retrieve(question)
        texts = [
            (Path(r.node.metadata.get("file_name", "")).name, r.node.get_content()) for r in results
        ]
        return _passages_prediction(question_id, texts, (time.perf_counter() - started) * 1000)

    return predict


def compare(settings: Settings, gold_path: Path) -> dict[str, dict[str, float]]:
    """Metrics per system on one gold file, all measured in this run."""
    gold = load_jsonl(gold_path)
    kb = KnowledgeBase(settings)
    kb.answer("warm-up")
    workdir = Path(tempfile.mkdtemp(prefix="bronwijzer-plain-"))
    try:
        systems: dict[str, Predictor] = {
            "bm25": bm25_only(kb),
            "llama-index": plain_llama_index(settings, kb, workdir),
            "bronwijzer": lambda qid, q: kb.answer(q).to_prediction(qid),
        }
        table = {}
        for name, predict in systems.items():
            predict("warm-up", "warm-up")
            results = [score_question(g, predict(g["id"], g["question"])) for g in gold]
            table[name] = aggregate(results)
        return table
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def format_table(table: dict[str, dict[str, float]]) -> str:
    systems = list(table)
    metrics = [m for m in next(iter(table.values())) if m != "questions"]
    lines = [f"{'metric':26}" + "".join(f"{s:>13}" for s in systems)]
    for metric in metrics:
        cells = []
        for system in systems:
            value = table[system][metric]
            cells.append(f"{value:13.0f}" if metric.endswith("_ms") else f"{value:13.3f}")
        lines.append(f"{metric:26}" + "".join(cells))
    return "\n".join(lines)
