"""Index generations and the single-writer lock, on real Chroma in a temp dir."""

from __future__ import annotations

import pytest
from locking import writer_held

from bronwijzer.errors import IndexBusyError, IndexMissingError
from bronwijzer.index.rows import read_rows
from bronwijzer.index.store import IndexStore
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import IndexSettings, Settings
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


def test_a_new_generation_carries_the_configured_hnsw_graph(tiny_settings: Settings) -> None:
    index = IndexSettings(hnsw_m=24, hnsw_construction_ef=150, hnsw_search_ef=320)
    store = IndexStore(tiny_settings.model_copy(update={"index": index}))
    name = store.new_generation().name
    # read back from Chroma through a fresh client, as a reader would open it
    hnsw = IndexStore(tiny_settings).collection(name).configuration_json["hnsw"]
    assert hnsw["space"] == "cosine"
    assert (hnsw["max_neighbors"], hnsw["ef_construction"], hnsw["ef_search"]) == (24, 150, 320)


def test_the_hnsw_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRONWIJZER_INDEX__HNSW_SEARCH_EF", "400")
    monkeypatch.setenv("BRONWIJZER_INDEX__HNSW_M", "48")
    index = Settings.load().index
    assert (index.hnsw_search_ef, index.hnsw_m, index.hnsw_space) == (400, 48, "cosine")
    assert Settings().index == IndexSettings(hnsw_search_ef=400, hnsw_m=48)


def test_an_index_built_with_chroma_defaults_is_still_read(tiny_settings: Settings) -> None:
    sync(tiny_settings)
    store = IndexStore(tiny_settings)
    active = store.require_active()
    old = store.client.create_collection(  # as new_generation made them before the settings
        "bronwijzer_g1", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    store.copy_rows(
        store.collection(active.name), old, read_rows(store.collection(active.name), [])["ids"]
    )
    store.activate(old.name, active.embed_model)
    kb = KnowledgeBase(tiny_settings)
    assert kb.generation == old.name
    assert old.configuration_json["hnsw"]["max_neighbors"] == 16
    assert kb.retrieve("Geldt het eigen risico?")
