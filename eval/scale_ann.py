"""python -m eval.scale_ann N [N ...]: Chroma's dense search against exact search.

For each size the scale bench's synthetic vectors (eval/synthetic.py: each chunk the
normalised mean of its real sentence vectors, needle passages embedded by the real model)
are stored in a generation made by IndexStore, once with Chroma's HNSW defaults and once
with the configured ``index`` settings. The needle questions (real model) are the
queries; recall@k is the share of the exact (numpy, brute-force cosine) top k that
Chroma returns. A changed search_ef is a new build: modify() records it, but a graph
already loaded keeps searching with the old one (chromadb 1.5).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from bronwijzer.index.embedding import load_embedding
from bronwijzer.index.rows import PAGE_ROWS
from bronwijzer.index.store import IndexStore
from bronwijzer.settings import IndexSettings, Settings
from eval.scale_report import format_ann
from eval.synthetic import SentenceMeanEmbedding, real_sentences, write_corpus

CHROMA_DEFAULTS = IndexSettings(hnsw_m=16, hnsw_construction_ef=100, hnsw_search_ef=100)


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def synthetic_vectors(
    model: BaseEmbedding, pool: list[str], sentences: np.ndarray, n: int, queries: int, folder: Path
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Chunk vectors (as the scale bench embeds them: `SentenceMeanEmbedding`), question
    vectors and the row of each question's needle passage."""
    corpus = write_corpus(folder, pool, n, queries, seed=0)
    texts = list(corpus.paragraphs)
    vectors = np.array(
        SentenceMeanEmbedding(model, sentences, corpus).get_text_embedding_batch(texts)
    )
    row_of = {
        corpus.needle_paragraphs[t]: row
        for row, t in enumerate(texts)
        if t in corpus.needle_paragraphs
    }
    questions = np.array([model.get_query_embedding(x.question) for x in corpus.needles])
    return _unit(vectors), _unit(questions), [row_of[x.sentence] for x in corpus.needles]


def ann_recall(
    settings: Settings,
    index: IndexSettings,
    vectors: np.ndarray,
    questions: np.ndarray,
    needle_rows: list[int],
    folder: Path,
) -> dict[str, Any]:
    """Build one generation with ``index``; recall@k of its search against exact search."""
    k = settings.retrieval.candidates
    exact = [set(row) for row in np.argsort(-(questions @ vectors.T), axis=1)[:, :k]]
    store = IndexStore(settings.model_copy(update={"data_dir": folder, "index": index}))
    collection = store.new_generation()
    started = time.perf_counter()
    for start in range(0, len(vectors), PAGE_ROWS):
        rows = range(start, min(start + PAGE_ROWS, len(vectors)))
        collection.add(ids=[str(r) for r in rows], embeddings=vectors[rows.start : rows.stop])
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    found = collection.query(query_embeddings=questions, n_results=k, include=[])["ids"]
    query_ms = (time.perf_counter() - started) * 1000 / len(questions)
    got = [{int(i) for i in ids} for ids in found]
    return {
        **index.model_dump(),
        "k": k,
        "recall": round(
            float(np.mean([len(g & e) / k for g, e in zip(got, exact, strict=True)])), 3
        ),
        "needles_exact": sum(r in e for r, e in zip(needle_rows, exact, strict=True)),
        "needles_found": sum(r in g for r, g in zip(needle_rows, got, strict=True)),
        "build_s": round(build_s, 1),
        "query_ms": round(query_ms, 2),
    }


def variants(configured: IndexSettings, search_efs: list[int]) -> list[IndexSettings]:
    """Chroma's defaults, the configured settings, and each with every other search_ef."""
    out = [CHROMA_DEFAULTS, configured]
    for ef in search_efs:
        out += [i.model_copy(update={"hnsw_search_ef": ef}) for i in (CHROMA_DEFAULTS, configured)]
    return list(dict.fromkeys(out))


def run(sizes: list[int], queries: int, search_efs: list[int], out: Path | None) -> None:
    settings = Settings.load()
    pool = real_sentences(settings)
    model = load_embedding(settings.embed_model)
    sentences = np.array(model.get_text_embedding_batch(pool))
    scratch = Path(tempfile.mkdtemp(prefix="bronwijzer-ann-"))
    results = []
    try:
        for n in sizes:
            vectors, questions, needles = synthetic_vectors(
                model, pool, sentences, n, queries, scratch / f"{n}-corpus"
            )
            for i, index in enumerate(variants(settings.index, search_efs)):
                row = ann_recall(settings, index, vectors, questions, needles, scratch / f"{n}-{i}")
                results.append({"chunks": len(vectors), **row})
                print(json.dumps(results[-1]), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(format_ann(results))
    if out is not None:
        out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--queries", type=int, default=50, help="needle questions")
    parser.add_argument("--search-ef", type=int, nargs="*", default=[])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    run(args.sizes, args.queries, args.search_ef, args.out)
