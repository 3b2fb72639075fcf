"""Add, replace and delete one document: validate first, then change the corpus, then sync.

The corpus folder stays the source of truth. An upload is checked completely (name, type,
size, content, duplicates, and that it can be read and chunked) before anything in the
corpus changes; the file and metadata.json are then written atomically and the index is
synced. When the sync fails, the previous file and metadata are put back, so what was
indexed before stays indexed and the corpus still matches it.

Reading and chunking an upload runs in a separate process, before the write lock is taken
and under a time and memory limit (settings.limits): a hostile file is stopped and refused
while other uploads go on.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bronwijzer.errors import DocumentError
from bronwijzer.index.state import write_atomically
from bronwijzer.settings import Settings
from ingest.metadata import clean_metadata, read_metadata_file, write_metadata
from ingest.report import IngestReport, Progress
from ingest.sandbox import check_readable
from ingest.sync import corpus_files, sync
from ingest.uploads import check_content, safe_filename

# One writer per process: two uploads in the same app never interleave. Other processes
# are kept out by the index's file lock inside sync().
_WRITE_LOCK = threading.Lock()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _duplicate_of(settings: Settings, data: bytes, ignore: set[str]) -> str | None:
    digest = _digest(data)
    for path in corpus_files(settings):
        same_size = path.stat().st_size == len(data)
        if path.name not in ignore and same_size and _digest(path.read_bytes()) == digest:
            return path.name
    return None


@contextmanager
def _restorable(settings: Settings, names: list[str]) -> Iterator[None]:
    """Snapshot files and metadata.json; put them back if the block raises."""
    saved = {}
    for name in names:
        path = settings.corpus_dir / name
        saved[name] = path.read_bytes() if path.exists() else None
    _, metadata_raw = read_metadata_file(settings)
    try:
        yield
    except BaseException:
        for name, content in saved.items():
            path = settings.corpus_dir / name
            if content is None:
                path.unlink(missing_ok=True)
            else:
                write_atomically(path, content)
        meta_path = settings.corpus_dir / settings.metadata_file
        if metadata_raw is None:
            meta_path.unlink(missing_ok=True)
        else:
            write_atomically(meta_path, metadata_raw)
        raise


def _sync_checked(settings: Settings, name: str | None, progress: Progress | None) -> IngestReport:
    report = sync(settings, progress=progress)
    for skipped, reason in report.skipped:
        if skipped == name:
            # The index kept what it had; undo the file change so the corpus matches it.
            raise DocumentError(f"{name}: {reason}")
    return report


def _existing(settings: Settings, doc_id: str) -> Path:
    path = settings.corpus_dir / safe_filename(doc_id)
    if path.name != doc_id or not path.is_file():
        raise DocumentError(f"Document '{doc_id}' staat niet in de corpusmap.")
    return path


def _check_new(settings: Settings, name: str, data: bytes) -> None:
    if name == settings.metadata_file or (settings.corpus_dir / name).exists():
        raise DocumentError(
            f"{name}: er staat al een document met deze naam. Kies 'Vervangen' om er een "
            "nieuwe versie van te maken, of geef het bestand een andere naam."
        )
    if not settings.corpus_dir.is_dir():
        return
    if (twin := _duplicate_of(settings, data, ignore=set())) is not None:
        raise DocumentError(f"{name}: dit document staat er al, als '{twin}'.")


def _check_version(settings: Settings, doc_id: str, filename: str, data: bytes) -> str:
    """The corpus name the new version of doc_id gets; refuses what cannot replace it."""
    suffix = Path(safe_filename(filename)).suffix.lower()
    old = _existing(settings, doc_id)
    name = old.stem + suffix
    check_content(name, data, settings)
    if name != old.name and (settings.corpus_dir / name).exists():
        raise DocumentError(f"{name}: er staat al een ander document met deze naam.")
    if _digest(old.read_bytes()) == _digest(data):
        raise DocumentError(f"{filename}: dit is dezelfde versie als '{old.name}'.")
    if (twin := _duplicate_of(settings, data, ignore={old.name})) is not None:
        raise DocumentError(f"{filename}: dit document staat er al, als '{twin}'.")
    return name


def add_document(
    settings: Settings,
    filename: str,
    data: bytes,
    metadata: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Add a new document to the corpus and index it."""
    name = safe_filename(filename)
    check_content(name, data, settings)
    _check_new(settings, name, data)  # cheap refusals before the file is read
    check_readable(name, data, settings)  # outside the lock: other uploads go on meanwhile
    with _WRITE_LOCK:
        settings.corpus_dir.mkdir(parents=True, exist_ok=True)
        _check_new(settings, name, data)  # again: another upload may have come in since
        entries, _ = read_metadata_file(settings)
        with _restorable(settings, [name]):
            write_atomically(settings.corpus_dir / name, data)
            if fields := clean_metadata(metadata):
                write_metadata(settings, {**entries, name: fields})
            return _sync_checked(settings, name, progress)


def replace_document(
    settings: Settings,
    doc_id: str,
    filename: str,
    data: bytes,
    metadata: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Replace a document with a new version; it keeps its name and metadata.

    The new version may be another format (a PDF for a TXT): the name then keeps its stem
    and takes the new extension, and the metadata moves along. Fields given in ``metadata``
    (a new date, a new status) update the stored ones.
    """
    name = _check_version(settings, doc_id, filename, data)
    check_readable(name, data, settings)  # outside the lock: other uploads go on meanwhile
    with _WRITE_LOCK:
        _check_version(settings, doc_id, filename, data)  # again: it may have changed since
        old = _existing(settings, doc_id)
        entries, _ = read_metadata_file(settings)
        with _restorable(settings, [old.name, name]):
            write_atomically(settings.corpus_dir / name, data)
            if name != old.name:
                old.unlink()
            fields = {**entries.pop(old.name, {}), **clean_metadata(metadata)}
            if name != old.name or clean_metadata(metadata):
                write_metadata(settings, {**entries, name: fields} if fields else entries)
            return _sync_checked(settings, name, progress)


def delete_document(
    settings: Settings, doc_id: str, progress: Progress | None = None
) -> IngestReport:
    """Remove a document from the corpus and the index."""
    with _WRITE_LOCK:
        path = _existing(settings, doc_id)
        entries, _ = read_metadata_file(settings)
        with _restorable(settings, [path.name]):
            path.unlink()
            if entries.pop(path.name, None) is not None:
                write_metadata(settings, entries)
            return _sync_checked(settings, None, progress)


def update_metadata(
    settings: Settings,
    doc_id: str,
    metadata: Mapping[str, Any],
    progress: Progress | None = None,
) -> IngestReport:
    """Change a document's title, date, kind or status; its text is not embedded again.

    Empty fields are removed (the title then falls back to the file name). A status such as
    'vervangen door …' is shown with every citation of the document.
    """
    with _WRITE_LOCK:
        path = _existing(settings, doc_id)
        entries, _ = read_metadata_file(settings)
        fields = clean_metadata(metadata)
        if entries.get(path.name, {}) == fields:
            raise DocumentError(f"{path.name}: de gegevens zijn niet veranderd.")
        with _restorable(settings, []):
            updated = {**entries, path.name: fields} if fields else dict(entries)
            if not fields:
                updated.pop(path.name, None)
            write_metadata(settings, updated)
            return _sync_checked(settings, path.name, progress)


def reindex(settings: Settings, progress: Progress | None = None) -> IngestReport:
    """Sync the index with the corpus folder (first index, or after hand edits)."""
    with _WRITE_LOCK:
        return sync(settings, progress=progress)
