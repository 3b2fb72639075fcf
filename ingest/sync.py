"""Bring the index in line with the corpus folder: add, replace and remove documents.

Chunk ids hash the content, so an unchanged corpus embeds nothing. Changes are written
into a new index generation and switched on only when complete (see bronwijzer.index.store).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chromadb.errors import ChromaError
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode, MetadataMode
from llama_index.vector_stores.chroma import ChromaVectorStore

from bronwijzer.errors import BronwijzerError, DocumentError, IndexBusyError, IndexDamagedError
from bronwijzer.index.embedding import load_embedding
from bronwijzer.index.state import (
    leftover_files,
    run_ended,
    run_interrupted,
    run_started,
    when,
    write_failure,
)
from bronwijzer.index.store import (
    IndexStore,
    open_for_writing,
    read_rows,
    writer_lock,
)
from bronwijzer.retrieval.hybrid import chunk_to_node
from bronwijzer.settings import Settings
from bronwijzer.types import Chunk, DocumentInfo
from ingest.chunking import chunk_blocks
from ingest.loaders import SUPPORTED_SUFFIXES, load
from ingest.structure import to_blocks

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)
_META_KEYS = ("title", "date", "publisher", "kind", "status", "reference", "source_url")


@dataclass
class IngestReport:
    documents: int = 0
    chunks_added: int = 0
    chunks_kept: int = 0
    chunks_removed: int = 0
    chunks_updated: int = 0  # same text, new metadata: not embedded again
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    generation: str = ""
    changed: bool = False
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)  # what was found wrong and repaired

    def summary(self) -> str:
        lines = [
            *self.notices,
            f"{self.documents} documenten; chunks: {self.chunks_added} toegevoegd, "
            f"{self.chunks_kept} ongewijzigd, {self.chunks_removed} verwijderd, "
            f"{self.chunks_updated} metadata bijgewerkt ({self.seconds:.1f} s).",
        ]
        if not self.changed:
            lines.append("Index was al actueel: niets opnieuw ingebed.")
        for name, reason in self.skipped:
            lines.append(f"Overgeslagen: {name}: {reason}")
        return "\n".join(lines)


def read_metadata(settings: Settings) -> dict[str, dict[str, Any]]:
    path = settings.corpus_dir / settings.metadata_file
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BronwijzerError(f"{path}: geen geldige JSON ({exc}). Herstel het bestand.") from exc
    if not isinstance(data, dict):
        raise BronwijzerError(f"{path}: verwacht een object met per bestandsnaam de metadata.")
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def document_info(path: Path, metadata: dict[str, dict[str, Any]]) -> DocumentInfo:
    meta = metadata.get(path.name, {})
    values = {key: str(meta.get(key, "") or "") for key in _META_KEYS}
    values["title"] = values["title"] or path.stem.replace("-", " ").replace("_", " ")
    return DocumentInfo(doc_id=path.name, **values)


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


def _comparable(meta: dict[str, Any]) -> dict[str, Any]:
    keys = (*_META_KEYS, "section", "order", "page_starts", "doc_id")
    return {k: meta.get(k) for k in keys}


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

    try:
        store, found = open_for_writing(settings)  # a damaged database is set aside
        report.notices += found
        if interrupted is not None:
            report.notices.append(_clean_interrupted(settings, store, interrupted))
        _write(settings, store, report, wanted, failed_docs, progress, embedding)
    except (ChromaError, OSError) as exc:
        raise write_failure(settings, exc) from exc


def _write(
    settings: Settings,
    store: IndexStore,
    report: IngestReport,
    wanted: dict[str, Chunk],
    failed_docs: set[str],
    progress: Progress | None,
    embedding: BaseEmbedding | None,
) -> None:
    """Write the wanted chunks into a new generation and switch it on (hold the lock)."""
    keep_previous = True
    try:
        store.recover()  # a damaged active generation: back to the kept previous one
    except IndexDamagedError:  # and none to go back to: build anew, drop the damaged one
        damaged = store.active()
        report.notices.append(
            f"De index {damaged.name if damaged else ''} was beschadigd en er was geen "
            "bruikbare vorige versie; er is een nieuwe opgebouwd."
        )
        keep_previous = False
    active = store.active() if keep_previous else None
    existing: dict[str, dict[str, Any]] = {}
    if active is not None and active.embed_model == settings.embedding_id:
        rows = read_rows(store.collection(active.name), ["metadatas"])
        existing = {i: dict(m) for i, m in zip(rows["ids"], rows["metadatas"] or [], strict=True)}
    # A file that fails to read now keeps what was indexed of it before.
    kept_from_failed = {i for i, m in existing.items() if m.get("doc_id") in failed_docs}
    if kept_from_failed:
        report.documents += len({existing[i]["doc_id"] for i in kept_from_failed})

    same = [
        i
        for i in wanted
        if i in existing and _comparable(existing[i]) == _comparable(wanted[i].metadata())
    ]
    updated = [i for i in wanted if i in existing and i not in set(same)]
    added = [i for i in wanted if i not in existing]
    removed = [i for i in existing if i not in wanted and i not in kept_from_failed]
    report.chunks_kept = len(same) + len(kept_from_failed)
    report.chunks_added, report.chunks_updated = len(added), len(updated)
    report.chunks_removed = len(removed)
    report.changed = active is None or bool(added or updated or removed)
    if not report.changed and active is not None:
        report.generation = active.name
        return

    if embedding is None:
        embedding = load_embedding(settings.embed_model, settings.embeddings)
    target = store.new_generation()
    try:
        vector_store = ChromaVectorStore(chroma_collection=target)
        if active is not None and existing:
            source = store.collection(active.name)
            store.copy_rows(source, target, [*same, *sorted(kept_from_failed)])
            if updated:
                # Same text, new metadata: keep the stored vector, write new metadata.
                old = source.get(ids=updated, include=["embeddings"])
                vectors_old = old["embeddings"]
                assert vectors_old is not None
                stored = dict(zip(old["ids"], vectors_old, strict=True))
                relabelled: list[BaseNode] = []
                for chunk_id in updated:
                    relabel = chunk_to_node(wanted[chunk_id])
                    relabel.embedding = [float(x) for x in stored[chunk_id]]
                    relabelled.append(relabel)
                vector_store.add(relabelled)
        batch = 16
        for start in range(0, len(added), batch):
            nodes: list[BaseNode] = [chunk_to_node(wanted[i]) for i in added[start : start + batch]]
            vectors = embedding.get_text_embedding_batch(
                [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
            )
            for node, vector in zip(nodes, vectors, strict=True):
                node.embedding = vector
            vector_store.add(nodes)
            if progress:
                progress("inbedden", min(start + batch, len(added)), len(added))
        expected = len(wanted) + len(kept_from_failed)
        if target.count() != expected:
            raise BronwijzerError(
                f"Nieuwe index onvolledig ({target.count()} van {expected} chunks); "
                "de vorige index blijft actief."
            )
    except BaseException:
        try:
            store.client.delete_collection(target.name)
        except (ChromaError, OSError) as exc:  # e.g. the disk is full; the next run drops it
            log.warning("Onvolledige index %s niet verwijderd (%s)", target.name, exc)
        raise
    store.activate(target.name, settings.embedding_id, keep_previous=keep_previous)
    store.drop_stale(keep_previous=active.name if active else None)
    report.generation = target.name
