"""Running the project's commands as a user runs them, and killing an ingest halfway.

A plain module, not a test module: test files import from here, never from each other.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bronwijzer.settings import Settings

ROOT = Path(__file__).resolve().parent.parent

_FILLER = " ".join(
    ["De partijen leggen de afspraak vast in een overeenkomst en bespreken die elk jaar."] * 7
)


def settings_env(settings: Settings, **extra: str) -> dict[str, str]:
    """This process's environment with BRONWIJZER_* pointing at `settings`' folders."""
    return {
        **os.environ,
        "BRONWIJZER_CORPUS_DIR": str(settings.corpus_dir),
        "BRONWIJZER_DATA_DIR": str(settings.data_dir),
        **extra,
    }


def run(args: list[str], settings: Settings, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python <args>` in the repository root over `settings`' folders."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=settings_env(settings, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def long_document(paragraphs: int) -> str:
    """Distinct paragraphs of ~90 words: one chunk each, so embedding takes several batches."""
    parts = []
    for i in range(paragraphs):
        parts.append(f"Afspraak {i} over de zorgaanbieder en verzekeraar nummer {i}. {_FILLER}")
    return "\n\n".join(parts) + "\n"


def rows_per_collection(settings: Settings) -> dict[str, int]:
    """The rows each Chroma collection holds, read from its SQLite file without writing."""
    path = settings.chroma_dir / "chroma.sqlite3"
    if not path.exists():
        return {}
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = db.execute(
                "SELECT c.name, COUNT(e.id) FROM collections c "
                "JOIN segments s ON s.collection = c.id AND s.scope = 'METADATA' "
                "LEFT JOIN embeddings e ON e.segment_id = s.id GROUP BY c.name"
            ).fetchall()
        finally:
            db.close()
    except sqlite3.OperationalError:  # the writer holds the file this moment: read again
        return {}
    return {str(name): int(count) for name, count in rows}


def _embedded_a_batch(settings: Settings, before: dict[str, int]) -> bool:
    """A collection the run created holds more rows than any before it: the rows it copied
    from the active generation plus at least one newly embedded batch."""
    most = max(before.values(), default=0)
    now = rows_per_collection(settings)
    return any(count > most for name, count in now.items() if name not in before)


def kill_when_embedding(settings: Settings) -> int:
    """Run `python -m ingest` and SIGKILL it once a first batch is in the new generation."""
    before = rows_per_collection(settings)
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest"],
            cwd=ROOT,
            env=settings_env(settings),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        deadline = time.monotonic() + 300
        try:
            while not _embedded_a_batch(settings, before):
                assert time.monotonic() < deadline, "no batch embedded within 300 s"
                try:
                    proc.wait(timeout=0.05)  # returns only when the ingest ended: too early
                except subprocess.TimeoutExpired:
                    continue
                errors.seek(0)
                raise AssertionError(f"ingest ended before embedding: {errors.read()[-2000:]!r}")
            proc.send_signal(signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(60)
    return proc.returncode
