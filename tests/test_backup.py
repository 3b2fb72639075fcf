"""Backups: python -m ingest --backup / --restore, by a real round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from locking import writer_held

from bronwijzer.errors import BronwijzerError, IndexBusyError
from bronwijzer.index.store import IndexStore
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from ingest import sync
from ingest.__main__ import main as ingest_main
from ingest.backup import backup, restore

QUESTION = "Valt de Wmo onder de betaaltitel?"


def cli(settings: Settings, *args: str) -> int:
    return ingest_main(
        ["--corpus", str(settings.corpus_dir), "--data", str(settings.data_dir), *args]
    )


def doc_ids(kb: KnowledgeBase) -> set[str]:
    return {d.doc_id for d in kb.documents()}


def test_backup_and_restore_round_trip(
    tiny_settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bronwijzer.index.rows.PAGE_ROWS", 4)  # read and copy in several pages
    sync(tiny_settings)
    kb = KnowledgeBase(tiny_settings)
    before = kb.answer(QUESTION)
    assert "notitie.md" in {c.doc_id for c in before.citations}
    files_before = sorted(p.name for p in tiny_settings.corpus_dir.iterdir())

    assert cli(tiny_settings, "--backup", str(tmp_path / "bak")) == 0
    assert "Backup gemaakt" in capsys.readouterr().out

    (tiny_settings.corpus_dir / "notitie.md").unlink()  # a document lost, and re-indexed
    sync(tiny_settings)
    assert "notitie.md" not in doc_ids(kb)

    assert cli(tiny_settings, "--restore", str(tmp_path / "bak")) == 0
    assert "hersteld" in capsys.readouterr().out
    # The running reader moves to the restored generation without a restart.
    after = kb.answer(QUESTION)
    assert after.text == before.text and after.citations == before.citations
    assert after.generation != before.generation  # written as a new generation
    assert sorted(p.name for p in tiny_settings.corpus_dir.iterdir()) == files_before
    [kept] = tiny_settings.corpus_dir.parent.glob("corpus.voor-herstel-*")
    assert not (kept / "notitie.md").exists()  # the corpus it replaced is kept, not lost
    assert not sync(tiny_settings).changed  # index and corpus folder agree again


def test_restore_refuses_while_a_writer_holds_the_lock(
    tiny_settings: Settings, tmp_path: Path
) -> None:
    sync(tiny_settings)
    backup(tiny_settings, tmp_path / "bak")
    active = IndexStore(tiny_settings).active()
    with writer_held(tiny_settings):
        with pytest.raises(IndexBusyError, match="ander proces"):
            restore(tiny_settings, tmp_path / "bak")
        assert cli(tiny_settings, "--restore", str(tmp_path / "bak")) == 1
    assert IndexStore(tiny_settings).active() == active
    assert not list(tiny_settings.corpus_dir.parent.glob("corpus.*"))


def test_bad_backup_folders_are_refused_without_changes(
    tiny_settings: Settings, tmp_path: Path
) -> None:
    sync(tiny_settings)
    active = IndexStore(tiny_settings).active()
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "x.txt").write_text("bezet", encoding="utf-8")
    with pytest.raises(BronwijzerError, match="niet leeg"):
        backup(tiny_settings, tmp_path / "vol")
    with pytest.raises(BronwijzerError, match="geen Bronwijzer-backup"):
        restore(tiny_settings, tmp_path / "vol")
    assert IndexStore(tiny_settings).active() == active
