"""Timing of ingest and of warm queries (python -m eval bench)."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from ingest import sync

from .metrics import load_jsonl


def bench(settings: Settings, gold_path: Path, rounds: int = 3) -> dict[str, float]:
    """Cold ingest into a temporary data folder, a no-op re-ingest, then warm queries."""
    scratch = Path(tempfile.mkdtemp(prefix="bronwijzer-bench-"))
    try:
        bench_settings = settings.model_copy(update={"data_dir": scratch})
        started = time.perf_counter()
        report = sync(bench_settings)
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        sync(bench_settings)
        reingest_s = time.perf_counter() - started

        kb = KnowledgeBase(bench_settings)
        started = time.perf_counter()
        kb.answer("warm-up")
        first_s = time.perf_counter() - started
        questions = [g["question"] for g in load_jsonl(gold_path)]
        latencies = []
        for _ in range(rounds):
            for question in questions:
                t = time.perf_counter()
                kb.answer(question)
                latencies.append((time.perf_counter() - t) * 1000)
        quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
        return {
            "chunks": float(report.chunks_added),
            "ingest_s": ingest_s,
            "reingest_noop_s": reingest_s,
            "first_query_s": first_s,
            "queries": float(len(latencies)),
            "query_p50_ms": quantiles[49],
            "query_p95_ms": quantiles[94],
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
