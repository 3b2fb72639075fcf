"""Crash safety: a re-index killed with SIGKILL halfway, and a damaged active generation."""

from __future__ import annotations

import dataclasses
import json
import logging
import signal
import sqlite3
import subprocess
import sys

import pytest

from bronwijzer.errors import IndexDamagedError
from bronwijzer.index.store import IndexStore
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from ingest import sync
from tests.apphelpers import indexed
from tests.commands import ROOT, kill_when_embedding, long_document, settings_env

QUESTION = "Geldt het eigen risico bij de nieuwe betaaltitel?"


def assert_next_run_completes(settings: Settings, first: str, total: int) -> None:
    """The lock died with the killed process: the next run adds all 48 and drops the rest."""
    report = sync(settings)
    assert report.changed and report.chunks_added == 48
    store = IndexStore(settings)
    assert set(store.generations()) == {first, report.generation}  # partial one dropped
    assert store.collection(report.generation).count() == total
    assert "groot.txt" in indexed(settings)


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
    kept = store.collection(first).count()
    # killed halfway: the rows it copied and some, not all, of the new document's 48
    assert kept < store.collection(partial[0]).count() < kept + 48

    after = KnowledgeBase(tiny_settings).answer(QUESTION)
    assert after.generation == before.generation == first
    assert after.text == before.text
    assert after.citations == before.citations
    assert "groot.txt" not in indexed(tiny_settings)

    assert_next_run_completes(tiny_settings, first, kept + 48)


# -- a damaged active generation --------------------------------------------------------------
_WRITE_TWO_GENERATIONS = """
import dataclasses, json, random, sys
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.index.store import IndexStore
from ingest import sync

def summary(answer):
    citations = [dataclasses.asdict(c) for c in answer.citations]
    return {"generation": answer.generation, "text": answer.text, "citations": citations}

settings = Settings()
sync(settings)
answer = KnowledgeBase(settings).answer(sys.argv[1])
# A newer generation large enough that Chroma writes its HNSW files to disk (over 1000 rows).
store = IndexStore(settings)
target = store.new_generation()
rnd = random.Random(7)
for start in range(0, 1200, 400):
    target.add(
        ids=[f"r{i}" for i in range(start, start + 400)],
        embeddings=[[rnd.random() for _ in range(384)] for _ in range(400)],
        documents=["rij"] * 400,
    )
store.activate(target.name, settings.embed_model)
print(json.dumps({"answer": summary(answer), "damaged": target.name}, default=str))
"""


def truncate_hnsw_files(settings: Settings, name: str) -> int:
    """Cut the on-disk HNSW files of one collection to a third, as a killed write can."""
    db = sqlite3.connect(settings.chroma_dir / "chroma.sqlite3")
    try:
        (segment,) = db.execute(
            "SELECT s.id FROM segments s JOIN collections c ON s.collection = c.id "
            "WHERE c.name = ? AND s.scope = 'VECTOR'",
            (name,),
        ).fetchone()
    finally:
        db.close()
    files = [p for p in (settings.chroma_dir / segment).iterdir() if p.stat().st_size]
    for path in files:
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 3)
    return len(files)


def test_damaged_active_generation_falls_back_to_the_backup_and_ingest_repairs(
    tiny_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Written in another process, so that this one opens the damaged files fresh.
    done = subprocess.run(
        [sys.executable, "-c", _WRITE_TWO_GENERATIONS, QUESTION],
        cwd=ROOT,
        env=settings_env(tiny_settings),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    written = json.loads(done.stdout.strip().splitlines()[-1])
    damaged = written["damaged"]
    before = written["answer"]
    assert truncate_hnsw_files(tiny_settings, damaged) >= 3

    store = IndexStore(tiny_settings)
    active = store.active()
    assert active is not None and active.name == damaged and active.previous
    assert store.damage(active) is not None

    with caplog.at_level(logging.WARNING, logger="bronwijzer.index.store"):
        after = KnowledgeBase(tiny_settings).answer(QUESTION)
    assert after.generation == before["generation"] == active.previous
    assert after.text == before["text"]
    citations = [dataclasses.asdict(c) for c in after.citations]
    assert json.loads(json.dumps(citations, default=str)) == before["citations"]
    assert any("beschadigd" in r.getMessage() and damaged in r.getMessage() for r in caplog.records)
    assert IndexStore(tiny_settings).active().name == damaged  # type: ignore[union-attr]

    report = sync(tiny_settings)  # the writer switches back to the backup, then syncs
    assert not report.changed and report.generation == before["generation"]
    assert IndexStore(tiny_settings).active().name == before["generation"]  # type: ignore[union-attr]

    (tiny_settings.corpus_dir / "notitie.md").unlink()
    report = sync(tiny_settings)
    assert report.changed
    assert set(IndexStore(tiny_settings).generations()) == {before["generation"], report.generation}


def test_missing_rows_count_as_damage(tiny_settings: Settings) -> None:
    sync(tiny_settings)
    store = IndexStore(tiny_settings)
    active = store.active()
    assert active is not None and active.count and store.damage(active) is None
    collection = store.collection(active.name)
    collection.delete(ids=collection.get(limit=1)["ids"])
    assert "van de" in str(store.damage(active))
    with pytest.raises(IndexDamagedError, match="python -m ingest"):
        KnowledgeBase(tiny_settings).answer(QUESTION)  # no backup: say how to rebuild
