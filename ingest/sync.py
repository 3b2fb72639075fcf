"""Bring the index in line with the corpus folder: add, replace and remove documents.

Chunk ids hash the content, so an unchanged corpus embeds nothing. Changes are written
into a new index generation and switched on only when complete (see bronwijzer.store).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode, MetadataMode
from llama_index.vector_stores.chroma import ChromaVectorStore

from bronwijzer.embedding import load_embedding
from bronwijzer.errors import BronwijzerError, DocumentError
from bronwijzer.retrieve import chunk_to_node
from bronwijzer.settings import Settings
from bronwijzer.store import IndexStore, read_rows, writer_lock
from bronwijzer.types import Chunk, DocumentInfo

from .chunking import chunk_blocks
from .loaders import SUPPORTED_SUFFIXES, load
from .structure import to_blocks

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

    def summary(self) -> str:
        lines = [
            f"{self.documents} documenten; chunks: {self.chunks_added} toegevoegd, "
            f"{self.chunks_kept} ongewijzigd, {self.chunks_removed} verwijderd, "
            f"{self.chunks_updated} metadata bijgewerkt ({self.seconds:.1f} s)."
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
    loaded = load(path, max_bytes=int(settings.max_file_mb * 1_000_000))
    blocks = to_blocks(loaded)
    chunks = chunk_blocks(blocks, doc, settings.chunking.max_words, settings.chunking.min_words)
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

        store = IndexStore(settings)
        store.recover()  # a damaged active generation: back to the kept previous one
        active = store.active()
        existing: dict[str, dict[str, Any]] = {}
        if active is not None and active.embed_model == settings.embed_model:
            rows = read_rows(store.collection(active.name), ["metadatas"])
            existing = {
                i: dict(m) for i, m in zip(rows["ids"], rows["metadatas"] or [], strict=True)
            }
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
            report.seconds = time.perf_counter() - started
            return report

        if embedding is None:
            embedding = load_embedding(settings.embed_model)
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
                nodes: list[BaseNode] = [
                    chunk_to_node(wanted[i]) for i in added[start : start + batch]
                ]
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
            store.client.delete_collection(target.name)
            raise
        store.activate(target.name, settings.embed_model)
        store.drop_stale(keep_previous=active.name if active else None)
        report.generation = target.name
    report.seconds = time.perf_counter() - started
    return report
