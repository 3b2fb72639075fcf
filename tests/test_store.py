"""Index generations and the single-writer lock, on real Chroma in a temp dir."""

from __future__ import annotations

import pytest
from locking import writer_held

from bronwijzer.errors import IndexBusyError, IndexMissingError
from bronwijzer.index.store import IndexStore
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from ingest import sync


def test_no_index_says_how_to_make_one(tiny_settings: Settings) -> None:
    with pytest.raises(IndexMissingError, match="python -m ingest"):
        KnowledgeBase(tiny_settings).answer("Geldt het eigen risico?")


def test_a_change_switches_generation_and_keeps_one_backup(tiny_settings: Settings) -> None:
    first = sync(tiny_settings).generation
    (tiny_settings.corpus_dir / "notitie.md").write_text(
        "# Notitie\n\nDe Jeugdwet valt buiten de betaaltitel.\n", encoding="utf-8"
    )
    second = sync(tiny_settings).generation
    assert second != first
    store = IndexStore(tiny_settings)
    assert store.active() is not None and store.active().name == second  # type: ignore[union-attr]
    assert set(store.generations()) == {first, second}  # the previous one stays as backup
    (tiny_settings.corpus_dir / "notitie.md").unlink()
    third = sync(tiny_settings).generation
    assert set(IndexStore(tiny_settings).generations()) == {second, third}


def test_reader_moves_to_new_generation(tiny_settings: Settings) -> None:
    sync(tiny_settings)
    kb = KnowledgeBase(tiny_settings)
    before = kb.generation
    assert "notitie.md" in {d.doc_id for d in kb.documents()}
    (tiny_settings.corpus_dir / "notitie.md").unlink()
    sync(tiny_settings)
    assert kb.generation != before
    assert "notitie.md" not in {d.doc_id for d in kb.documents()}


def test_second_writer_gets_a_clear_message(tiny_settings: Settings) -> None:
    with writer_held(tiny_settings), pytest.raises(IndexBusyError, match="ander proces"):
        sync(tiny_settings)
    assert sync(tiny_settings).changed  # free again: the first real run indexes
