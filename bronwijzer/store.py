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

from .errors import IndexBusyError, IndexMissingError, StoreUnavailableError
from .serverlock import server_writer_lock
from .settings import Settings

log = logging.getLogger(__name__)

_MANIFEST_SUFFIX = "_manifest"
_GEN_MARK = "_g"
_PAGE = 1000  # rows per Chroma request when copying a generation


def make_client(settings: Settings) -> ClientAPI:
    """Embedded PersistentClient in the data folder, or an HttpClient in server mode.

    Telemetry is off either way; collections are always opened with
    ``embedding_function=None``, so Chroma's default embedding model is never used.
    """
    if settings.chroma_host:
        return _http_client(settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(settings.chroma_dir),
        settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
    )


def _http_client(settings: Settings) -> ClientAPI:
    token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if token:
        # Chroma's own client-side token provider: 'Authorization: Bearer <token>'.
        chroma_settings = ChromaSettings(
            anonymized_telemetry=False,
            allow_reset=False,
            chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
            chroma_client_auth_credentials=token,
        )
    try:
        return chromadb.HttpClient(
            host=str(settings.chroma_host), port=settings.chroma_port, settings=chroma_settings
        )
    except (ValueError, ConnectionError) as exc:
        raise StoreUnavailableError(
            f"De Chroma-server op {settings.chroma_server} antwoordt niet of weigert de "
            f"toegang ({exc}). Start hem (chroma run --path MAP --host HOST --port POORT) of "
            "controleer BRONWIJZER_CHROMA_HOST, BRONWIJZER_CHROMA_PORT en BRONWIJZER_CHROMA_TOKEN."
        ) from exc


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
        self._client = client
        self._prefix = settings.collection_prefix

    @property
    def client(self) -> ClientAPI:
        # Connected on first use: an unreachable server then raises where callers already
        # turn BronwijzerError into one clear line (CLI) or st.error (app).
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

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
            where = (
                f"op de Chroma-server {self.settings.chroma_server}"
                if self.settings.chroma_server
                else f"in '{self.settings.data_dir}'"
            )
            raise IndexMissingError(f"Er is nog geen index {where}. Maak die met: python -m ingest")
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
    """One writer at a time: Chroma is thread-safe but not process-safe.

    Embedded: a file lock in the data folder. Server mode: that file lock (writers on this
    host) and a lock record on the Chroma server (writers on every host); see serverlock.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.data_dir / "write.lock"), timeout=0)
    try:
        with lock:
            if settings.chroma_server is None:
                yield
            else:
                with server_writer_lock(make_client(settings), settings):
                    yield
    except Timeout as exc:
        raise IndexBusyError(
            "Een ander proces werkt de index al bij (write.lock in "
            f"'{settings.data_dir}'). Probeer het zo opnieuw."
        ) from exc
