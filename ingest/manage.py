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
import json
import multiprocessing
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bronwijzer.errors import BronwijzerError, DocumentError
from bronwijzer.index.state import write_atomically
from bronwijzer.settings import Settings
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.sync import IngestReport, Progress, chunk_file, corpus_files, document_info, sync

# One writer per process: two uploads in the same app never interleave. Other processes
# are kept out by the index's file lock inside sync().
_WRITE_LOCK = threading.Lock()

METADATA_KEYS = ("title", "date", "publisher", "kind", "status", "reference", "source_url")
_MAX_NAME_CHARS = 120
_TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
# Signatures of binary formats that must not pass as text under a text name.
_BINARY_MAGIC = {
    b"%PDF-": "een PDF",
    b"PK\x03\x04": "een ZIP- of Office-bestand",
    b"MZ": "een Windows-programma",
    b"\x7fELF": "een programma",
    b"\xd0\xcf\x11\xe0": "een oud Office-bestand (.doc/.xls)",
    b"\x89PNG": "een afbeelding (PNG)",
    b"\xff\xd8\xff": "een afbeelding (JPEG)",
}


def safe_filename(name: str) -> str:
    """A plain file name for the corpus: no folders, no hidden files, no odd characters."""
    base = re.split(r"[\\/]", name.strip())[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, suffix = ascii_name.rpartition(".")
    if not dot:
        stem, suffix = ascii_name, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip(".-_ ")
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix).lower()
    if not stem:
        raise DocumentError(
            f"'{name}': ongeldige bestandsnaam. Gebruik letters, cijfers, '-' of '_'."
        )
    stem = stem[: _MAX_NAME_CHARS - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def _check_content(name: str, data: bytes, settings: Settings) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(s.lstrip(".").upper() for s in SUPPORTED_SUFFIXES if s != ".htm")
        raise DocumentError(
            f"{name}: bestandstype '{suffix or '(geen)'}' is niet toegestaan. "
            f"Toegestaan: {allowed}."
        )
    if not data:
        raise DocumentError(f"{name}: het bestand is leeg (0 bytes).")
    limit = int(settings.max_file_mb * 1_000_000)
    if len(data) > limit:
        raise DocumentError(
            f"{name}: te groot ({len(data) / 1e6:.1f} MB; maximaal {settings.max_file_mb:g} MB)."
        )
    if suffix in _TEXT_SUFFIXES:
        for magic, what in _BINARY_MAGIC.items():
            if data.startswith(magic):
                raise DocumentError(
                    f"{name}: de naam zegt {suffix[1:].upper()}, maar de inhoud is {what}. "
                    "Geef het bestand de juiste extensie."
                )


def _cap_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # not on Windows: the time limit still holds
        return
    cap = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def _read_upload(path: Path, settings: Settings, sender: Connection) -> None:
    """Reading process: chunk the upload under the memory cap and send back the outcome."""
    _cap_memory(settings.limits.parse_memory_mb)
    out_of_memory = False
    try:
        outcome = ("ok", str(len(chunk_file(path, document_info(path, {}), settings))))
    except DocumentError as exc:
        outcome = ("refused", str(exc))
    except MemoryError:
        out_of_memory = True  # answered below, once the except block let go of the frames
    except Exception as exc:  # any parser crash on a broken file is a refusal, not an error
        outcome = ("refused", f"{path.name}: het bestand kan niet worden gelezen ({exc}).")
    if out_of_memory:
        outcome = ("refused", _out_of_memory(path.name, settings))
    sender.send(outcome)
    sender.close()


def _out_of_memory(name: str, settings: Settings) -> str:
    return (
        f"{name}: het lezen had meer dan {settings.limits.parse_memory_mb} MB geheugen nodig; "
        "het bestand is niet toegevoegd."
    )


def _reading_context() -> multiprocessing.context.BaseContext:
    """Processes forked from a small server process: fast to start, and never a fork of a
    process with threads (the app's)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Imported once, in the server; with __main__ among them no child imports it again.
    context.set_forkserver_preload(["__main__", __name__])
    return context


def _check_readable(name: str, data: bytes, settings: Settings) -> None:
    """Read and chunk the upload in a scratch folder, in its own process, within limits.

    Runs outside the write lock; after settings.limits.parse_timeout_s the process is killed
    and the upload refused, so a hostile file never holds up the next upload.
    """
    timeout = settings.limits.parse_timeout_s
    context = _reading_context()
    with tempfile.TemporaryDirectory(prefix="bronwijzer-upload-") as scratch:
        path = Path(scratch) / name
        path.write_bytes(data)
        receiver, sender = context.Pipe(duplex=False)
        worker = context.Process(  # type: ignore[attr-defined]
            target=_read_upload, args=(path, settings, sender), name="bronwijzer-lezen"
        )
        worker.start()
        sender.close()  # the worker holds the other end; its exit makes recv() see EOF
        try:
            if not receiver.poll(timeout):
                raise DocumentError(
                    f"{name}: het lezen duurde langer dan {timeout:g} s; het bestand is niet "
                    "toegevoegd. Controleer het bestand of splits het op in kleinere delen."
                )
            try:
                outcome, detail = receiver.recv()
            except EOFError:
                worker.join()
                # A process that dies without an answer ran out of memory (or crashed).
                raise DocumentError(
                    f"{_out_of_memory(name, settings)} (Het leesproces stopte met code "
                    f"{worker.exitcode}.)"
                ) from None
        finally:
            if worker.is_alive():
                worker.kill()
            worker.join()
            receiver.close()
    if outcome != "ok":
        raise DocumentError(detail)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _duplicate_of(settings: Settings, data: bytes, ignore: set[str]) -> str | None:
    digest = _digest(data)
    for path in corpus_files(settings):
        same_size = path.stat().st_size == len(data)
        if path.name not in ignore and same_size and _digest(path.read_bytes()) == digest:
            return path.name
    return None


def _read_metadata_raw(settings: Settings) -> tuple[dict[str, Any], bytes | None]:
    path = settings.corpus_dir / settings.metadata_file
    if not path.exists():
        return {}, None
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BronwijzerError(f"{path}: geen geldige JSON ({exc}). Herstel het bestand.") from exc
    if not isinstance(data, dict):
        raise BronwijzerError(f"{path}: verwacht een object met per bestandsnaam de metadata.")
    return data, raw


def _write_metadata(settings: Settings, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomically(settings.corpus_dir / settings.metadata_file, text.encode("utf-8"))


def clean_metadata(metadata: Mapping[str, Any] | None) -> dict[str, str]:
    """The known metadata fields as trimmed strings; empty fields are left out."""
    values = {key: " ".join(str((metadata or {}).get(key) or "").split()) for key in METADATA_KEYS}
    return {key: value[:500] for key, value in values.items() if value}


@contextmanager
def _restorable(settings: Settings, names: list[str]) -> Iterator[None]:
    """Snapshot files and metadata.json; put them back if the block raises."""
    saved = {}
    for name in names:
        path = settings.corpus_dir / name
        saved[name] = path.read_bytes() if path.exists() else None
    _, metadata_raw = _read_metadata_raw(settings)
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
    _check_content(name, data, settings)
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
    _check_content(name, data, settings)
    _check_new(settings, name, data)  # cheap refusals before the file is read
    _check_readable(name, data, settings)  # outside the lock: other uploads go on meanwhile
    with _WRITE_LOCK:
        settings.corpus_dir.mkdir(parents=True, exist_ok=True)
        _check_new(settings, name, data)  # again: another upload may have come in since
        entries, _ = _read_metadata_raw(settings)
        with _restorable(settings, [name]):
            write_atomically(settings.corpus_dir / name, data)
            if fields := clean_metadata(metadata):
                _write_metadata(settings, {**entries, name: fields})
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
    _check_readable(name, data, settings)  # outside the lock: other uploads go on meanwhile
    with _WRITE_LOCK:
        _check_version(settings, doc_id, filename, data)  # again: it may have changed since
        old = _existing(settings, doc_id)
        entries, _ = _read_metadata_raw(settings)
        with _restorable(settings, [old.name, name]):
            write_atomically(settings.corpus_dir / name, data)
            if name != old.name:
                old.unlink()
            fields = {**entries.pop(old.name, {}), **clean_metadata(metadata)}
            if name != old.name or clean_metadata(metadata):
                _write_metadata(settings, {**entries, name: fields} if fields else entries)
            return _sync_checked(settings, name, progress)


def delete_document(
    settings: Settings, doc_id: str, progress: Progress | None = None
) -> IngestReport:
    """Remove a document from the corpus and the index."""
    with _WRITE_LOCK:
        path = _existing(settings, doc_id)
        entries, _ = _read_metadata_raw(settings)
        with _restorable(settings, [path.name]):
            path.unlink()
            if entries.pop(path.name, None) is not None:
                _write_metadata(settings, entries)
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
        entries, _ = _read_metadata_raw(settings)
        fields = clean_metadata(metadata)
        if entries.get(path.name, {}) == fields:
            raise DocumentError(f"{path.name}: de gegevens zijn niet veranderd.")
        with _restorable(settings, []):
            updated = {**entries, path.name: fields} if fields else dict(entries)
            if not fields:
                updated.pop(path.name, None)
            _write_metadata(settings, updated)
            return _sync_checked(settings, path.name, progress)


def reindex(settings: Settings, progress: Progress | None = None) -> IngestReport:
    """Sync the index with the corpus folder (first index, or after hand edits)."""
    with _WRITE_LOCK:
        return sync(settings, progress=progress)
