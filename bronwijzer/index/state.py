"""Small files beside the Chroma folder that say what happened to the index.

Chroma keeps every generation in one SQLite file, so when that file is damaged or gone the
manifest cannot say what was there. These records live outside it, in the data folder:

- ``index.json``: the last generation an ingest switched on (so an empty or missing index
  afterwards is reported as a loss, not as "no index yet");
- ``ingest-running.json``: written when an ingest starts, removed when it ends, so a run
  that was killed is found and reported at the next start;
- ``backups.json``: where ``python -m ingest --backup`` wrote its backups, so a damaged
  index can name the one to restore and readers can answer from it meanwhile.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bronwijzer.errors import IndexWriteError
from bronwijzer.settings import Settings

BUILT_MARKER = "index.json"
RUN_MARKER = "ingest-running.json"
BACKUP_LIST = "backups.json"
_BACKUP_MANIFEST = "backup.json"  # written by ingest.backup in each backup folder
_SCRATCH = re.compile(r"\..+\.[0-9a-f]{32}\.tmp")  # see write_atomically


def when(timestamp: float) -> str:
    """A moment as the app shows it: '5-12-2025 17:11' in local time."""
    moment = time.localtime(timestamp)
    return f"{moment.tm_mday}-{moment.tm_mon}-{moment.tm_year} {time.strftime('%H:%M', moment)}"


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target under a hidden scratch name (`_SCRATCH`), then rename: a
    reader never sees half a file, and a crash leaves the old file or the new one."""
    scratch = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with scratch.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, path)
    finally:
        scratch.unlink(missing_ok=True)


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(data, indent=2).encode("utf-8"))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable or cut short: as if not there
        return None


@dataclass(frozen=True)
class BuiltIndex:
    """The last generation an ingest switched on in this data folder."""

    generation: str
    created: float
    count: int


def record_built(
    settings: Settings, generation: str, count: int, created: float | None = None
) -> None:
    data = {"generation": generation, "created": created or time.time(), "count": count}
    _write_json(settings.data_dir / BUILT_MARKER, data)


def built_before(settings: Settings) -> BuiltIndex | None:
    data = _read_json(settings.data_dir / BUILT_MARKER)
    if not isinstance(data, dict) or not data.get("generation"):
        return None
    return BuiltIndex(str(data["generation"]), float(data["created"]), int(data["count"]))


def run_started(settings: Settings) -> float | None:
    """Mark an ingest as running; returns the start of an earlier run that never ended."""
    earlier = run_interrupted(settings)
    _write_json(settings.data_dir / RUN_MARKER, {"started": time.time(), "pid": os.getpid()})
    return earlier


def run_ended(settings: Settings) -> None:
    (settings.data_dir / RUN_MARKER).unlink(missing_ok=True)


def run_interrupted(settings: Settings) -> float | None:
    """When the run marked as running started (only meaningful under the writer lock)."""
    data = _read_json(settings.data_dir / RUN_MARKER)
    if data is None and (settings.data_dir / RUN_MARKER).exists():
        return (settings.data_dir / RUN_MARKER).stat().st_mtime  # cut off while written
    return float(data["started"]) if isinstance(data, dict) and "started" in data else None


def leftover_files(settings: Settings) -> list[Path]:
    """Scratch files a killed writer leaves: '.<name>.<hex>.tmp' in the data and corpus
    folders, and a half-copied corpus from a restore ('<corpus>.herstel-<time>')."""
    found: list[Path] = []
    for folder in (settings.data_dir, settings.corpus_dir):
        if folder.is_dir():
            found += [p for p in folder.glob(".*.tmp") if _SCRATCH.fullmatch(p.name)]
    corpus = settings.corpus_dir.resolve()
    if corpus.parent.is_dir():
        found += sorted(corpus.parent.glob(f"{corpus.name}.herstel-*"))
    return found


@dataclass(frozen=True)
class BackupRecord:
    folder: Path
    created: float
    chunks: int


def record_backup(settings: Settings, folder: Path, chunks: int) -> None:
    data = _read_json(settings.data_dir / BACKUP_LIST)
    entries = data if isinstance(data, list) else []
    entries.append({"folder": str(folder), "created": time.time(), "chunks": chunks})
    _write_json(settings.data_dir / BACKUP_LIST, entries)


def latest_backup(settings: Settings) -> BackupRecord | None:
    """The newest recorded backup whose folder is still there."""
    data = _read_json(settings.data_dir / BACKUP_LIST)
    for entry in reversed(data if isinstance(data, list) else []):
        folder = Path(str(entry.get("folder", "")))
        if (folder / _BACKUP_MANIFEST).is_file() and (folder / "chroma").is_dir():
            return BackupRecord(folder, float(entry["created"]), int(entry.get("chunks", 0)))
    return None


def repair_hint(settings: Settings) -> str:
    """How to get a whole index back: the newest backup if one was recorded, or a rebuild."""
    backup = latest_backup(settings)
    if backup is None:
        return (
            "Bouw de index opnieuw met `python -m ingest` of zet een backup terug met "
            "`python -m ingest --restore MAP`."
        )
    return (
        f"Herstel met `python -m ingest --restore {backup.folder}` (backup van "
        f"{when(backup.created)}) of bouw opnieuw met `python -m ingest`."
    )


def short_reason(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return text.split("error returned from database: ")[-1][:200]


_FULL = ("disk is full", "no space left", "quota")


def write_failure(settings: Settings, exc: BaseException) -> IndexWriteError:
    """One Dutch line for a write that failed (disk full, I/O error); nothing was switched."""
    code = getattr(exc, "errno", None)
    text = short_reason(exc)
    try:
        free_mb = shutil.disk_usage(settings.data_dir).free / 1e6
    except OSError:
        free_mb = None
    full = code in (errno.ENOSPC, errno.EDQUOT) or any(word in text.lower() for word in _FULL)
    if full or (free_mb is not None and free_mb < 50):
        space = f"nog {free_mb:.0f} MB vrij; " if free_mb is not None else ""
        what, todo = f"De schijf is vol ({space}{text})", "Maak ruimte vrij"
    elif code == errno.EFBIG:
        what, todo = f"Een bestand mag niet groter worden ({text})", "Verhoog de limiet"
    else:
        what = f"Schrijven in '{settings.data_dir}' is mislukt ({text})"
        todo = "Controleer of de schijf vol of schrijfbaar is"
    return IndexWriteError(
        f"{what}; de vorige index blijft in gebruik. {todo} en draai `python -m ingest` opnieuw."
    )
