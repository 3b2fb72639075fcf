"""python -m eval bench --scale N [N ...]: the pipeline at 1k-100k chunks, embedded and server.

For each size a synthetic corpus (eval/synthetic.py) is written and ingested with the real
ingest (python -m ingest's sync), then the real KnowledgeBase answers the needle questions.
Ingest and querying each run in a fresh process, so that memory is measured per process.
Embedding is approximated for the bulk (see eval/README.md, *Scale*); the real model's
throughput is measured on a sample and extrapolated.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.schema import MetadataMode

from bronwijzer.index.embedding import load_embedding
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.retrieval.hybrid import chunk_to_node
from bronwijzer.settings import Settings
from eval.chroma_server import ChromaServer, memory_kb
from eval.scale_needles import NeedleRun, dense_check
from eval.scale_report import row_line
from eval.synthetic import Needle, SentenceMeanEmbedding, real_sentences, write_corpus
from ingest.metadata import document_info, read_metadata
from ingest.sync import chunk_file, corpus_files, sync

MODES = ("embedded", "server")
_SAMPLE = 48  # chunks embedded for real to measure throughput and approximation quality
_WARM_UP = ["warm-up", "Wat is een sectoroverstijgende betaaltitel?"]


def _in_child(function: Any, *args: Any, threads: int = 0) -> Any:
    """Run function(*args) in a fresh interpreter: its memory is its own.

    ``threads`` > 0 sets OMP_NUM_THREADS there (the embedding engine's thread count).
    """
    before = os.environ.get("OMP_NUM_THREADS")
    if threads > 0:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # read once, when the child starts
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            return pool.submit(function, *args).result()
    finally:
        if before is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = before


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def _disk_mb(folder: Path) -> float:
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return round(size / 1_000_000, 1)


def ingest_synthetic(
    settings: Settings,
    pool: list[str],
    n_chunks: int,
    n_needles: int,
    seed: int,
    vectors: Path,
    needle_vectors: str,
) -> dict[str, Any]:
    """(child) Write the synthetic corpus and ingest it with sync(); timings and memory."""
    corpus = write_corpus(settings.corpus_dir, pool, n_chunks, n_needles, seed)
    real = load_embedding(settings.embed_model)
    embedder = SentenceMeanEmbedding(real, np.load(vectors), corpus, needle_vectors)
    started = time.perf_counter()
    report = sync(settings, embedding=embedder)
    seconds = time.perf_counter() - started
    embed_s = embedder.counts["real_s"] + embedder.counts["approximate_s"]
    return {
        "chunks": report.chunks_added,
        "ingest_s": round(seconds, 1),
        "ingest_without_embedding_s": round(seconds - embed_s, 1),
        "embedded_real": int(embedder.counts["real"]),
        "approximated": int(embedder.counts["approximated"]),
        "ingest_peak_rss_mb": _mb(memory_kb(os.getpid())["VmHWM"]),
        "needles": [asdict(n) for n in corpus.needles],
    }


def query_needles(
    settings: Settings, needles: list[Needle], rounds: int, server_pid: int | None
) -> dict[str, Any]:
    """(child) Load the knowledge base, then time answer() on every needle question."""
    load_before = os.getloadavg()[0]
    kb = KnowledgeBase(settings)
    started = time.perf_counter()
    _ = kb.embedding
    model_s = time.perf_counter() - started
    started = time.perf_counter()
    kb.answer(_WARM_UP[0])  # reads all chunks, builds BM25 and the term weights
    load_s = time.perf_counter() - started
    loaded_rss = memory_kb(os.getpid())["VmRSS"]
    started = time.perf_counter()
    kb.answer(_WARM_UP[1])  # waits for the definition finder (all texts folded once)
    first_definition_s = time.perf_counter() - started
    run = NeedleRun()
    for round_ in range(rounds):
        for needle in needles:
            run.ask(kb, needle, first_round=round_ == 0)
    latencies, ranks, found = run.latencies, run.ranks, [r for r in run.ranks if r is not None]
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    result = {
        "model_load_s": round(model_s, 1),
        "index_load_s": round(load_s, 1),
        "queries": len(latencies),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "first_definition_s": round(first_definition_s, 2),
        "definition_max_ms": round(max(run.definition_latencies, default=0.0), 1),
        "definition_questions": len(run.definition_latencies),
        "recall@1": round(sum(r <= 1 for r in found) / len(ranks), 3),
        "recall@5": round(sum(r <= 5 for r in found) / len(ranks), 3),
        "recall@10": round(len(found) / len(ranks), 3),
        "found_by_dense": run.by_dense,
        "found_by_bm25": run.by_bm25,
        "app_rss_mb": _mb(loaded_rss),
        "app_peak_rss_mb": _mb(memory_kb(os.getpid())["VmHWM"]),
        "loadavg": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        **dense_check(kb, run.passages_found),
    }
    if server_pid is not None:
        result["server_rss_mb"] = _mb(memory_kb(server_pid)["VmRSS"])
    return result


def embedding_sample(
    settings: Settings, pool: list[str], vectors: np.ndarray, folder: Path, seed: int
) -> dict[str, Any]:
    """Real-model throughput on _SAMPLE synthetic chunks, and how close the mean comes."""
    corpus = write_corpus(folder, pool, _SAMPLE, 0, seed + 1)
    here = settings.model_copy(update={"corpus_dir": folder})
    path = corpus_files(here)[0]
    chunks = chunk_file(path, document_info(path, read_metadata(here)), here)
    texts = [chunk_to_node(c).get_content(metadata_mode=MetadataMode.EMBED) for c in chunks]
    real = load_embedding(settings.embed_model)
    real.get_text_embedding_batch(texts[:2])  # warm
    started = time.perf_counter()
    exact = np.array(real.get_text_embedding_batch(texts))
    seconds = time.perf_counter() - started
    mean = SentenceMeanEmbedding(real, vectors, corpus)
    approx = np.array(mean.get_text_embedding_batch(texts))
    cosines = (exact * approx).sum(axis=1) / (
        np.linalg.norm(exact, axis=1) * np.linalg.norm(approx, axis=1)
    )
    return {
        "chunks": len(texts),
        "real_chunks_per_s": round(len(texts) / seconds, 2),
        "cosine_mean": round(float(cosines.mean()), 3),
        "cosine_min": round(float(cosines.min()), 3),
    }


@dataclass(frozen=True)
class ScaleOptions:
    """How the scale bench runs; every field is a flag of python -m eval bench --scale."""

    needles: int = 50
    rounds: int = 3
    seed: int = 0
    needle_vectors: str = "real"  # "real": whole passage by the model; "mean": like the bulk
    query_threads: int = 1  # OMP_NUM_THREADS of the querying process; 0 leaves it alone


def run_scale(
    settings: Settings,
    sizes: list[int],
    modes: list[str],
    options: ScaleOptions,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Every size in every mode; returns the rows of the table and the embedding sample."""
    scratch = keep or Path(tempfile.mkdtemp(prefix="bronwijzer-scale-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        pool = real_sentences(settings)
        real = load_embedding(settings.embed_model)
        started = time.perf_counter()
        vectors = np.array(real.get_text_embedding_batch(pool))
        sentence_s = time.perf_counter() - started
        np.save(scratch / "sentences.npy", vectors)
        sample = embedding_sample(settings, pool, vectors, scratch / "sample", options.seed)
        sample.update(sentences=len(pool), sentences_s=round(sentence_s, 1))
        rows = []
        for n in sizes:
            for mode in modes:
                rows.append(_one(settings, pool, n, mode, options, scratch))
                print(row_line(rows[-1]), flush=True)
        return {"options": asdict(options), "sample": sample, "rows": rows}
    finally:
        if keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


def _one(
    settings: Settings, pool: list[str], n: int, mode: str, options: ScaleOptions, scratch: Path
) -> dict[str, Any]:
    base = scratch / f"{n}-{mode}"
    shutil.rmtree(base, ignore_errors=True)
    dirs = {"corpus_dir": base / "corpus", "data_dir": base / "data", "chroma_host": None}
    run = settings.model_copy(update=dirs)
    server = None
    if mode == "server":
        server = ChromaServer(base / "chroma-server").start()
        run = run.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": server.port})
    try:
        ingested = _in_child(
            ingest_synthetic,
            run,
            pool,
            n,
            options.needles,
            options.seed,
            scratch / "sentences.npy",
            options.needle_vectors,
        )
        needles = [Needle(**n) for n in ingested.pop("needles")]
        queried = _in_child(
            query_needles,
            run,
            needles,
            options.rounds,
            server.pid if server else None,
            threads=options.query_threads,
        )
    finally:
        if server is not None:
            server.stop()
    index_dir = base / "chroma-server" if server else run.chroma_dir
    return {"target": n, "mode": mode, **ingested, **queried, "disk_mb": _disk_mb(index_dir)}
