"""Chroma storage with index generations and a single writer.

Every re-index writes a new collection (a *generation*) beside the active one and then
switches a pointer kept in a small manifest collection: one metadata update, atomic in
Chroma's SQLite. Readers bind to one generation, so an answer never mixes old and new
chunks, and a writer killed halfway leaves the active generation untouched.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from filelock import FileLock, Timeout

from .errors import IndexBusyError, IndexMissingError
from .settings import Settings

log = logging.getLogger(__name__)

_MANIFEST_SUFFIX = "_manifest"
_GEN_MARK = "_g"
_PAGE = 1000  # rows per Chroma request when copying a generation


def make_client(settings: Settings) -> ClientAPI:
    """Embedded PersistentClient in the data folder, telemetry off."""
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(settings.chroma_dir),
        settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
    )


@dataclass(frozen=True)
class Generation:
    """One complete, immutable version of the index."""

    name: str
    embed_model: str
    created: float


class IndexStore:
    """Handle on the Chroma client: which generation is active, and how to make a new one."""

    def __init__(self, settings: Settings, client: ClientAPI | None = None) -> None:
        self.settings = settings
        self.client = client or make_client(settings)
        self._prefix = settings.collection_prefix

    # -- reading -------------------------------------------------------------------------
    def _manifest(self) -> Collection:
        return self.client.get_or_create_collection(
            self._prefix + _MANIFEST_SUFFIX, embedding_function=None
        )

    def active(self) -> Generation | None:
        meta: dict[str, Any] = dict(self._manifest().metadata or {})
        name = meta.get("active")
        if not name:
            return None
        return Generation(
            name=str(name),
            embed_model=str(meta.get("embed_model", "")),
            created=float(meta.get("created", 0.0)),
        )

    def require_active(self) -> Generation:
        generation = self.active()
        if generation is None:
            raise IndexMissingError(
                f"Er is nog geen index in '{self.settings.data_dir}'. "
                "Maak die met: python -m ingest"
            )
        return generation

    def collection(self, name: str) -> Collection:
        return self.client.get_collection(name, embedding_function=None)

    def generations(self) -> list[str]:
        prefix = self._prefix + _GEN_MARK
        return sorted(c.name for c in self.client.list_collections() if c.name.startswith(prefix))

    # -- writing (hold the writer lock) ---------------------------------------------------
    def new_generation(self) -> Collection:
        name = f"{self._prefix}{_GEN_MARK}{time.time_ns()}"
        return self.client.create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )

    def copy_rows(self, source: Collection, target: Collection, ids: list[str]) -> None:
        """Copy rows with their stored embeddings: nothing is embedded again."""
        for start in range(0, len(ids), _PAGE):
            batch = source.get(
                ids=ids[start : start + _PAGE], include=["embeddings", "documents", "metadatas"]
            )
            if batch["ids"]:
                target.add(
                    ids=batch["ids"],
                    embeddings=batch["embeddings"],
                    documents=batch["documents"],
                    metadatas=batch["metadatas"],
                )

    def activate(self, name: str, embed_model: str) -> None:
        """Point readers at generation ``name``; one atomic metadata update."""
        self._manifest().modify(
            metadata={"active": name, "embed_model": embed_model, "created": time.time()}
        )

    def drop_stale(self, keep_previous: str | None) -> list[str]:
        """Delete generations other than the active one and the one before it (the backup)."""
        active = self.active()
        keep = {g for g in (active.name if active else None, keep_previous) if g}
        dropped = [name for name in self.generations() if name not in keep]
        for name in dropped:
            self.client.delete_collection(name)
        return dropped


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time: Chroma is thread-safe but not process-safe."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.data_dir / "write.lock"), timeout=0)
    try:
        with lock:
            yield
    except Timeout as exc:
        raise IndexBusyError(
            "Een ander proces werkt de index al bij (write.lock in "
            f"'{settings.data_dir}'). Probeer het zo opnieuw."
        ) from exc
