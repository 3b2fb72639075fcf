"""Write the wanted chunks into a new index generation and switch it on.

A chunk already in the active generation is copied with its vector; one whose metadata
alone changed keeps its vector under the new metadata; only new text is embedded. The new
generation is switched on once it holds every chunk; until then the active one answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from chromadb.api.models.Collection import Collection
from chromadb.errors import ChromaError
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import BaseNode, MetadataMode
from llama_index.vector_stores.chroma import ChromaVectorStore

from bronwijzer.errors import BronwijzerError, IndexDamagedError
from bronwijzer.index.embedding import load_embedding
from bronwijzer.index.generations import Generation
from bronwijzer.index.rows import read_rows
from bronwijzer.index.store import IndexStore
from bronwijzer.retrieval.hybrid import chunk_to_node
from bronwijzer.settings import Settings
from bronwijzer.types import Chunk
from ingest.metadata import METADATA_KEYS
from ingest.report import IngestReport, Progress

log = logging.getLogger(__name__)

_EMBED_BATCH = 16
_COMPARED_KEYS = (*METADATA_KEYS, "section", "order", "page_starts", "doc_id")


@dataclass
class _Plan:
    """Where each chunk of the new generation comes from."""

    active: Generation | None
    keep_previous: bool
    existing: dict[str, dict[str, Any]]  # chunk id -> metadata in the active generation
    kept_from_failed: set[str]  # of files that fail to read now: kept as indexed before
    same: list[str]
    updated: list[str]  # same text, new metadata: not embedded again
    added: list[str]
    removed: list[str]


def write_generation(
    settings: Settings,
    store: IndexStore,
    report: IngestReport,
    wanted: dict[str, Chunk],
    failed_docs: set[str],
    progress: Progress | None,
    embedding: BaseEmbedding | None,
) -> None:
    """Write the wanted chunks into a new generation and switch it on (hold the lock)."""
    keep_previous = _recover(store, report)
    plan = _plan(settings, store, keep_previous, wanted, failed_docs)
    _tally(plan, report)
    if not report.changed and plan.active is not None:
        report.generation = plan.active.name
        return
    if embedding is None:
        embedding = load_embedding(settings.embed_model, settings.embeddings)
    target = store.new_generation()
    try:
        _fill(store, target, plan, wanted, embedding, progress)
    except BaseException:
        _discard(store, target)
        raise
    store.activate(target.name, settings.embedding_id, keep_previous=plan.keep_previous)
    store.drop_stale(keep_previous=plan.active.name if plan.active else None)
    report.generation = target.name


def _recover(store: IndexStore, report: IngestReport) -> bool:
    """Whether the active generation may be kept as the previous one."""
    try:
        store.recover()  # a damaged active generation: back to the kept previous one
    except IndexDamagedError:  # and none to go back to: build anew, drop the damaged one
        damaged = store.active()
        report.notices.append(
            f"De index {damaged.name if damaged else ''} was beschadigd en er was geen "
            "bruikbare vorige versie; er is een nieuwe opgebouwd."
        )
        return False
    return True


def _plan(
    settings: Settings,
    store: IndexStore,
    keep_previous: bool,
    wanted: dict[str, Chunk],
    failed_docs: set[str],
) -> _Plan:
    active = store.active() if keep_previous else None
    existing = _indexed_metadata(settings, store, active)
    # A file that fails to read now keeps what was indexed of it before.
    kept_from_failed = {i for i, m in existing.items() if m.get("doc_id") in failed_docs}
    same, updated = _compare(existing, wanted)
    return _Plan(
        active=active,
        keep_previous=keep_previous,
        existing=existing,
        kept_from_failed=kept_from_failed,
        same=same,
        updated=updated,
        added=[i for i in wanted if i not in existing],
        removed=[i for i in existing if i not in wanted and i not in kept_from_failed],
    )


def _indexed_metadata(
    settings: Settings, store: IndexStore, active: Generation | None
) -> dict[str, dict[str, Any]]:
    """Per chunk id its metadata in the active generation, if made with today's model."""
    if active is None or active.embed_model != settings.embedding_id:
        return {}
    rows = read_rows(store.collection(active.name), ["metadatas"])
    return {i: dict(m) for i, m in zip(rows["ids"], rows["metadatas"] or [], strict=True)}


def _compare(
    existing: dict[str, dict[str, Any]], wanted: dict[str, Chunk]
) -> tuple[list[str], list[str]]:
    """The wanted ids already indexed: (with the same metadata, with new metadata)."""
    same: list[str] = []
    updated: list[str] = []
    for i in wanted:
        if i in existing:
            unchanged = _comparable(existing[i]) == _comparable(wanted[i].metadata())
            (same if unchanged else updated).append(i)
    return same, updated


def _comparable(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: meta.get(k) for k in _COMPARED_KEYS}


def _tally(plan: _Plan, report: IngestReport) -> None:
    kept = plan.kept_from_failed
    report.documents += len({plan.existing[i]["doc_id"] for i in kept})
    report.chunks_kept = len(plan.same) + len(kept)
    report.chunks_added, report.chunks_updated = len(plan.added), len(plan.updated)
    report.chunks_removed = len(plan.removed)
    report.changed = plan.active is None or bool(plan.added or plan.updated or plan.removed)


def _fill(
    store: IndexStore,
    target: Collection,
    plan: _Plan,
    wanted: dict[str, Chunk],
    embedding: BaseEmbedding,
    progress: Progress | None,
) -> None:
    """Copy, relabel and embed every chunk of the plan into ``target``; then count them."""
    vector_store = ChromaVectorStore(chroma_collection=target)
    if plan.active is not None and plan.existing:
        source = store.collection(plan.active.name)
        store.copy_rows(source, target, [*plan.same, *sorted(plan.kept_from_failed)])
        if plan.updated:
            _relabel(source, vector_store, [wanted[i] for i in plan.updated])
    _embed(vector_store, [wanted[i] for i in plan.added], embedding, progress)
    expected = len(wanted) + len(plan.kept_from_failed)
    if target.count() != expected:
        raise BronwijzerError(
            f"Nieuwe index onvolledig ({target.count()} van {expected} chunks); "
            "de vorige index blijft actief."
        )


def _relabel(source: Collection, vector_store: ChromaVectorStore, chunks: list[Chunk]) -> None:
    """Same text, new metadata: keep the stored vector, write new metadata."""
    old = source.get(ids=[c.chunk_id for c in chunks], include=["embeddings"])
    vectors_old = old["embeddings"]
    assert vectors_old is not None
    stored = dict(zip(old["ids"], vectors_old, strict=True))
    relabelled: list[BaseNode] = []
    for chunk in chunks:
        node = chunk_to_node(chunk)
        node.embedding = [float(x) for x in stored[chunk.chunk_id]]
        relabelled.append(node)
    vector_store.add(relabelled)


def _embed(
    vector_store: ChromaVectorStore,
    chunks: list[Chunk],
    embedding: BaseEmbedding,
    progress: Progress | None,
) -> None:
    for start in range(0, len(chunks), _EMBED_BATCH):
        nodes: list[BaseNode] = [chunk_to_node(c) for c in chunks[start : start + _EMBED_BATCH]]
        vectors = embedding.get_text_embedding_batch(
            [n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes]
        )
        for node, vector in zip(nodes, vectors, strict=True):
            node.embedding = vector
        vector_store.add(nodes)
        if progress:
            progress("inbedden", min(start + _EMBED_BATCH, len(chunks)), len(chunks))


def _discard(store: IndexStore, target: Collection) -> None:
    """Drop an unfinished generation; the next run drops it when that fails too."""
    try:
        store.client.delete_collection(target.name)
    except (ChromaError, OSError) as exc:  # e.g. the disk is full; the next run drops it
        log.warning("Onvolledige index %s niet verwijderd (%s)", target.name, exc)
