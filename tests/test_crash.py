"""Crash safety: a re-index killed with SIGKILL halfway, and a damaged active generation."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.store import IndexStore
from ingest import sync

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Geldt het eigen risico bij de nieuwe betaaltitel?"


_FILLER = " ".join(
    ["De partijen leggen de afspraak vast in een overeenkomst en bespreken die elk jaar."] * 7
)


def long_document(paragraphs: int) -> str:
    """Distinct paragraphs of ~90 words: one chunk each, so embedding takes several batches."""
    parts = []
    for i in range(paragraphs):
        parts.append(f"Afspraak {i} over de zorgaanbieder en verzekeraar nummer {i}. {_FILLER}")
    return "\n\n".join(parts) + "\n"


def kill_when_embedding(settings: Settings) -> int:
    """Run `python -m ingest` and SIGKILL it once the first batch is in the new generation."""
    env = {
        **os.environ,
        "BRONWIJZER_CORPUS_DIR": str(settings.corpus_dir),
        "BRONWIJZER_DATA_DIR": str(settings.data_dir),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 300
    try:
        # The 'inbedden' bar first appears after one batch was added to the new generation.
        while b"inbedden" not in seen:
            assert time.monotonic() < deadline, seen[-2000:]
            ready, _, _ = select.select([proc.stderr], [], [], 1.0)
            if ready:
                data = os.read(proc.stderr.fileno(), 65536)
                assert data, f"ingest ended before embedding: {seen[-2000:]!r}"
                seen += data
        proc.send_signal(signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(60)
        proc.stderr.close()
    return proc.returncode


def test_killed_reindex_leaves_previous_index_answering_and_next_run_completes(
    tiny_settings: Settings,
) -> None:
    first = sync(tiny_settings).generation
    before = KnowledgeBase(tiny_settings).answer(QUESTION)
    assert not before.abstained and before.citations

    (tiny_settings.corpus_dir / "groot.txt").write_text(long_document(48), encoding="utf-8")
    assert kill_when_embedding(tiny_settings) == -signal.SIGKILL

    store = IndexStore(tiny_settings)
    active = store.active()
    assert active is not None and active.name == first
    partial = [g for g in store.generations() if g != first]
    assert len(partial) == 1, "the killed run had started a new generation"
    total = store.collection(first).count() + 48
    assert 0 < store.collection(partial[0]).count() < total, "killed halfway"

    after = KnowledgeBase(tiny_settings).answer(QUESTION)
    assert after.generation == before.generation == first
    assert after.text == before.text
    assert after.citations == before.citations
    assert "groot.txt" not in {d.doc_id for d in KnowledgeBase(tiny_settings).documents()}

    report = sync(tiny_settings)  # the lock died with the process: the next run completes
    assert report.changed and report.chunks_added == 48
    store = IndexStore(tiny_settings)
    assert set(store.generations()) == {first, report.generation}  # partial one dropped
    assert store.collection(report.generation).count() == total
    assert "groot.txt" in {d.doc_id for d in KnowledgeBase(tiny_settings).documents()}
