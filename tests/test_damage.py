"""A damaged or lost index, a full disk and a killed ingest: named in Dutch, never a traceback.

Everything is real: the Chroma file is cut short or emptied on disk, the ingest runs in a
subprocess under a file-size limit or is killed with SIGKILL, and the app is AppTest.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bronwijzer.errors import IndexLostError
from bronwijzer.index.state import RUN_MARKER
from bronwijzer.index.store import IndexStore
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from ingest import sync
from ingest.backup import restore
from tests.apphelpers import ADMIN_PASSWORD, APP, open_documents, start
from tests.commands import ROOT, kill_when_embedding, long_document, settings_env

QUESTION = "Geldt het eigen risico bij de nieuwe betaaltitel?"


def run(
    settings: Settings, *args: str, file_limit: int | None = None
) -> subprocess.CompletedProcess:
    """Run a module of this project on ``settings`` in a fresh process."""

    def limit_file_size() -> None:
        # Writes past the limit then fail with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        assert file_limit is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=settings_env(settings),
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limit_file_size if file_limit else None,
    )


def sqlite_file(settings: Settings) -> Path:
    return settings.chroma_dir / "chroma.sqlite3"


def cut_in_half(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The CLI failed with exactly one 'Fout:' line and no traceback; that line."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-3000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("Fout:")]
    assert len(lines) == 1, done.stderr[-3000:]
    return lines[0]


# -- a damaged SQLite file ---------------------------------------------------------------------
def test_truncated_database_is_one_line_and_ingest_rebuilds(app_env: Settings) -> None:
    cut_in_half(sqlite_file(app_env))

    line = one_error_line(run(app_env, "bronwijzer", "ask", QUESTION))
    assert "De index in" in line and "is beschadigd" in line
    assert "python -m ingest" in line and "--restore" in line

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("is beschadigd" in e for e in errors), errors

    rebuilt = run(app_env, "ingest")
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    assert "Traceback" not in rebuilt.stderr
    assert "De index was beschadigd" in rebuilt.stdout and "apart gezet" in rebuilt.stdout
    assert list(app_env.data_dir.glob("chroma.beschadigd-*")), "kept aside, not deleted"
    answered = run(app_env, "bronwijzer", "ask", QUESTION)
    assert answered.returncode == 0, answered.stderr[-3000:]
    assert "Bronnen:" in answered.stdout


def test_damaged_database_answers_from_the_backup_until_restored(
    app_index: Settings, app_site: Settings, tmp_path: Path
) -> None:
    before = KnowledgeBase(app_index).answer(QUESTION)  # app_site is a copy of it
    assert not before.abstained
    folder = tmp_path / "backup"
    # In another process, so that this one opens the damaged file fresh.
    made = run(app_site, "ingest", "--backup", str(folder))
    assert made.returncode == 0, made.stderr[-3000:]
    cut_in_half(sqlite_file(app_site))

    kb = KnowledgeBase(app_site)
    during = kb.answer(QUESTION)
    assert during.text == before.text and during.citations == before.citations
    assert kb.notice is not None
    assert "is beschadigd" in kb.notice and "de backup van" in kb.notice
    assert f"python -m ingest --restore {folder}" in kb.notice

    told = restore(app_site, folder)
    assert "apart gezet" in told and "hersteld" in told
    after = kb.answer(QUESTION)  # the same knowledge base leaves the backup by itself
    assert kb.notice is None
    assert after.text == before.text
    assert IndexStore(app_site).active().name == after.generation  # type: ignore[union-attr]


# -- an emptied SQLite file --------------------------------------------------------------------
def test_emptied_database_is_reported_as_loss_not_as_no_index(app_env: Settings) -> None:
    sqlite_file(app_env).write_bytes(b"")

    with pytest.raises(IndexLostError, match="verdwenen of leeg, terwijl er eerder een index"):
        KnowledgeBase(app_env).documents()
    line = one_error_line(run(app_env, "bronwijzer", "ask", QUESTION))
    assert "verdwenen of leeg" in line and "nog geen index" not in line

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert any("verdwenen of leeg" in e.value for e in at.error), [e.value for e in at.error]
    assert not any("nog geen index" in i.value for i in at.info)


# -- a full disk -------------------------------------------------------------------------------
def test_full_disk_during_ingest_is_one_line_and_the_old_index_stays(
    tiny_settings: Settings,
) -> None:
    first = sync(tiny_settings).generation
    before = KnowledgeBase(tiny_settings).answer(QUESTION)
    (tiny_settings.corpus_dir / "groot.txt").write_text(long_document(48), encoding="utf-8")

    # Room for small files but not for the 48 new chunks in the database.
    limit = sqlite_file(tiny_settings).stat().st_size + 16_384
    line = one_error_line(run(tiny_settings, "ingest", file_limit=limit))
    assert "de vorige index blijft in gebruik" in line, line
    assert "python -m ingest" in line

    store = IndexStore(tiny_settings)
    assert store.active().name == first  # type: ignore[union-attr]
    after = KnowledgeBase(tiny_settings).answer(QUESTION)
    assert after.generation == first and after.text == before.text
    report = sync(tiny_settings)  # with room again the next run completes
    assert report.changed and report.chunks_added == 48


# -- an ingest killed halfway ------------------------------------------------------------------
def test_killed_ingest_is_reported_and_cleaned_by_the_next_run(tiny_settings: Settings) -> None:
    first = sync(tiny_settings).generation
    (tiny_settings.corpus_dir / "groot.txt").write_text(long_document(48), encoding="utf-8")
    scratch = tiny_settings.corpus_dir / f".groot.txt.{'a' * 32}.tmp"  # as a killed upload
    scratch.write_bytes(b"half")
    assert kill_when_embedding(tiny_settings) == -signal.SIGKILL
    assert (tiny_settings.data_dir / RUN_MARKER).exists()
    assert len(IndexStore(tiny_settings).generations()) == 2

    done = run(tiny_settings, "ingest")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "De vorige indexering (gestart" in done.stdout
    assert "is afgebroken; de index van" in done.stdout and "is nog in gebruik" in done.stdout
    assert "Restanten zijn opgeruimd (1 onvolledige indexversie(s), 1 tijdelijk" in done.stdout
    assert not scratch.exists() and not (tiny_settings.data_dir / RUN_MARKER).exists()
    store = IndexStore(tiny_settings)
    active = store.active()
    assert active is not None and set(store.generations()) == {first, active.name}

    again = run(tiny_settings, "ingest")  # reported once
    assert "afgebroken" not in again.stdout


def test_documents_page_tells_the_admin_about_a_killed_ingest(admin_env: Settings) -> None:
    first = IndexStore(admin_env).active()
    assert first is not None
    (admin_env.corpus_dir / "groot.txt").write_text(long_document(48), encoding="utf-8")
    assert kill_when_embedding(admin_env) == -signal.SIGKILL
    assert len(IndexStore(admin_env).generations()) == 2

    at = open_documents(start(timeout=120), ADMIN_PASSWORD)
    warnings = [w.value for w in at.warning]
    assert any("De vorige indexering" in w and "afgebroken" in w for w in warnings), warnings
    assert not (admin_env.data_dir / RUN_MARKER).exists()
    assert IndexStore(admin_env).generations() == [first.name]  # the partial one dropped
    assert IndexStore(admin_env).active() == first
