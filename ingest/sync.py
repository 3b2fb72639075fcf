"""Bring the index in line with the corpus folder: add, replace and remove documents.

Chunk ids hash the content, so an unchanged corpus embeds nothing. Changes are written
into a new index generation and switched on only when complete (see bronwijzer.index.store).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from chromadb.errors import ChromaError
from llama_index.core.base.embeddings.base import BaseEmbedding

from bronwijzer.errors import BronwijzerError, DocumentError, IndexBusyError
from bronwijzer.index.serverlock import writer_lock
from bronwijzer.index.state import (
    leftover_files,
    run_ended,
    run_interrupted,
    run_started,
    when,
    write_failure,
)
from bronwijzer.index.store import IndexStore
from bronwijzer.index.writing import open_for_writing
from bronwijzer.settings import Settings
from bronwijzer.types import Chunk, DocumentInfo
from ingest.chunking import chunk_blocks
from ingest.generation import write_generation
from ingest.loaders import SUPPORTED_SUFFIXES, load
from ingest.metadata import document_info, read_metadata
from ingest.report import IngestReport, Progress
from ingest.structure import to_blocks


def corpus_files(settings: Settings) -> list[Path]:
    if not settings.corpus_dir.is_dir():
        raise BronwijzerError(f"De corpusmap '{settings.corpus_dir}' bestaat niet.")
    return sorted(
        p
        for p in settings.corpus_dir.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name != settings.metadata_file
    )


def chunk_file(path: Path, doc: DocumentInfo, settings: Settings) -> list[Chunk]:
    """Read and chunk one file within settings.limits; DocumentError when it cannot. The
    same for `python -m ingest` and an upload (which runs it in a separate process)."""
    limits = settings.limits
    loaded = load(path, max_bytes=int(settings.max_file_mb * 1_000_000), limits=limits)
    chunking = settings.chunking
    chunks = chunk_blocks(
        to_blocks(loaded), doc, chunking.max_words, chunking.min_words, limits.max_chunks
    )
    if not chunks:
        raise DocumentError(f"{path.name}: er bleef na het opschonen geen tekst over.")
    return chunks


def sync(
    settings: Settings, progress: Progress | None = None, embedding: BaseEmbedding | None = None
) -> IngestReport:
    """Index the corpus folder into a new generation, under the writer lock.

    ``embedding`` replaces the model named in the settings (the scale bench passes a fast
    approximation of it); by default that model is loaded.
    """
    started = time.perf_counter()
    report = IngestReport()
    with writer_lock(settings):
        try:
            earlier = run_started(settings)
        except OSError as exc:
            raise write_failure(settings, exc) from exc
        try:
            _sync_locked(settings, report, earlier, progress, embedding)
        finally:
            run_ended(settings)
    report.seconds = time.perf_counter() - started
    return report


def _clean_interrupted(settings: Settings, store: IndexStore, started: float) -> str:
    """Drop what a killed run left (its unfinished generation, scratch files); say so."""
    active = store.active()
    dropped = store.drop_stale(keep_previous=active.previous if active else None)
    files = leftover_files(settings)
    for path in files:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    in_use = (
        f"de index van {when(active.created)} is nog in gebruik"
        if active
        else "er was nog geen index"
    )
    return (
        f"De vorige indexering (gestart {when(started)}) is afgebroken; {in_use}. "
        f"Restanten zijn opgeruimd ({len(dropped)} onvolledige indexversie(s), "
        f"{len(files)} tijdelijk(e) bestand(en))."
    )


def clean_interrupted(settings: Settings) -> str | None:
    """Report and clean up an ingest that was cut off (killed, power loss).

    None when there was none, or when an ingest is running right now (it holds the lock).
    """
    if run_interrupted(settings) is None:
        return None
    try:
        with writer_lock(settings):
            started = run_interrupted(settings)
            if started is None:
                return None
            message = _clean_interrupted(settings, IndexStore(settings), started)
            run_ended(settings)
            return message
    except IndexBusyError:
        return None


def _sync_locked(
    settings: Settings,
    report: IngestReport,
    interrupted: float | None,
    progress: Progress | None,
    embedding: BaseEmbedding | None,
) -> None:
    wanted, failed_docs = _read_corpus(settings, report, progress)
    try:
        store, found = open_for_writing(settings)  # a damaged database is set aside
        report.notices += found
        if interrupted is not None:
            report.notices.append(_clean_interrupted(settings, store, interrupted))
        write_generation(settings, store, report, wanted, failed_docs, progress, embedding)
    except (ChromaError, OSError) as exc:
        raise write_failure(settings, exc) from exc


def _read_corpus(
    settings: Settings, report: IngestReport, progress: Progress | None
) -> tuple[dict[str, Chunk], set[str]]:
    """The chunks of every file that reads, by id; and the names of the files that failed."""
    metadata = read_metadata(settings)
    wanted: dict[str, Chunk] = {}
    failed_docs: set[str] = set()
    files = corpus_files(settings)
    for done, path in enumerate(files, start=1):
        if progress:
            progress("lezen", done, len(files))
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.skipped.append((path.name, f"bestandstype '{path.suffix}' niet ondersteund"))
            continue
        try:
            chunks = chunk_file(path, document_info(path, metadata), settings)
        except DocumentError as exc:
            report.skipped.append((path.name, str(exc).removeprefix(f"{path.name}: ")))
            failed_docs.add(path.name)
            continue
        report.documents += 1
        wanted.update((c.chunk_id, c) for c in chunks)
    return wanted, failed_docs
