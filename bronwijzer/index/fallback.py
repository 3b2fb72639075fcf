"""Readers' fallback while the index itself is damaged or lost: the newest backup folder.

A reader answers from the backup (and says so) until the index's own database changes,
after a restore or a rebuild; writers never fall back, they repair.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chromadb.api import ClientAPI
from chromadb.errors import ChromaError

from bronwijzer.errors import BronwijzerError, IndexDamagedError
from bronwijzer.index.client import make_client
from bronwijzer.index.generations import MANIFEST_SUFFIX, active_from, damage
from bronwijzer.index.state import (
    BackupRecord,
    latest_backup,
    repair_hint,
    short_reason,
    when,
    write_failure,
)
from bronwijzer.settings import Settings

# SQLite errors that say the disk refused a write, not that the file is damaged.
_NOT_DAMAGE = ("disk is full", "disk i/o error", "readonly", "read-only", "no space", "too large")


def damaged_database_error(
    settings: Settings, problem: str, exc: BaseException | None
) -> BronwijzerError:
    """IndexDamagedError naming the repair; a write failure when the disk refused a write
    (a full or read-only disk is no damage: the database is never set aside for it)."""
    if exc is not None and any(word in problem.lower() for word in _NOT_DAMAGE):
        return write_failure(settings, exc)
    return IndexDamagedError(
        f"De index in '{settings.chroma_dir}' is beschadigd: {problem}. {repair_hint(settings)}"
    )


def embedded_at(settings: Settings, folder: Path) -> Settings:
    """The same settings over an embedded Chroma in ``folder``/chroma (a backup folder)."""
    return settings.model_copy(update={"data_dir": folder, "chroma_host": None})


def database_stamp(settings: Settings) -> tuple[int, int] | None:
    """Modification time and size of the index's own database, None when it is missing."""
    try:
        stat = (settings.chroma_dir / "chroma.sqlite3").stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@dataclass(frozen=True)
class Fallback:
    """A backup folder in use, and the index's database as it was when it was taken."""

    backup: BackupRecord
    stamp: tuple[int, int] | None
    notice: str

    @classmethod
    def taken(cls, settings: Settings, backup: BackupRecord, what: str) -> Fallback:
        notice = (
            f"{what}; de backup van {when(backup.created)} uit '{backup.folder}' wordt "
            f"gebruikt. {repair_hint(settings)}"
        )
        return cls(backup, database_stamp(settings), notice)

    def outdated(self, settings: Settings) -> bool:
        """The index's own database changed (restored or rebuilt): stop reading the backup."""
        return self.stamp != database_stamp(settings)


def open_backup(settings: Settings, what: str) -> tuple[ClientAPI, Fallback] | None:
    """The newest recorded backup folder's client, when its active generation reads back
    whole; ``what`` (the problem with the index itself) starts the notice."""
    backup = latest_backup(settings)
    if backup is None:
        return None
    there = embedded_at(settings, backup.folder)
    try:
        client = make_client(there)
        manifest = client.get_or_create_collection(
            settings.collection_prefix + MANIFEST_SUFFIX, embedding_function=None
        )
        generation = active_from(dict(manifest.metadata or {}))
        if generation is None or damage(client, generation) is not None:
            return None
    except ChromaError as exc:
        error = damaged_database_error(there, short_reason(exc), exc)
        if not isinstance(error, IndexDamagedError):
            raise error from exc  # the disk refused: no damage, and no backup either
        return None
    return client, Fallback.taken(settings, backup, what)
