"""Chroma storage with index generations and a single writer.

Every re-index writes a new collection (a *generation*) beside the active one and then
switches a pointer kept in a small manifest collection: one metadata update, atomic in
Chroma's SQLite. Readers bind to one generation, so an answer never mixes old and new
chunks, and a writer killed halfway leaves the active generation untouched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError
from filelock import FileLock, Timeout

from .errors import IndexBusyError, IndexDamagedError, IndexMissingError, StoreUnavailableError
from .serverlock import server_writer_lock
from .settings import Settings

log = logging.getLogger(__name__)

_MANIFEST_SUFFIX = "_manifest"
_GEN_MARK = "_g"
_PAGE = 1000  # rows per Chroma request when copying a generation
# chromadb registers the shared System of a data folder before starting it, without a lock:
# a second thread opening the same folder meanwhile gets one that is not started ("Could not
# connect to tenant default_tenant"), as ten app sessions opening at once did. One opener
# at a time per process; once started, the System is shared and this costs nothing.
_OPEN_LOCK = threading.Lock()


def make_client(settings: Settings) -> ClientAPI:
    """Embedded PersistentClient in the data folder, or an HttpClient in server mode.

    Telemetry is off either way; collections are always opened with
    ``embedding_function=None``, so Chroma's default embedding model is never used.
    """
    if settings.chroma_host:
        return _http_client(settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    with _OPEN_LOCK:
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
        raise _unreachable(settings, exc) from exc


def _unreachable(settings: Settings, exc: Exception) -> StoreUnavailableError:
    return StoreUnavailableError(
        f"De Chroma-server op {settings.chroma_server} antwoordt niet of weigert de "
        f"toegang ({exc}). Start hem (chroma run --path MAP --host HOST --port POORT) of "
        "controleer BRONWIJZER_CHROMA_HOST, BRONWIJZER_CHROMA_PORT en BRONWIJZER_CHROMA_TOKEN."
    )


_READ_PAGE = 10_000  # rows per request when reading a whole generation


def read_rows(collection: Collection, include: list[str]) -> dict[str, list[Any]]:
    """All rows of a collection ('ids' and each included field), a page at a time.

    One get() of a large collection fails on a Chroma server ('too many SQL variables'
    beyond some 30,000 rows); pages keep every request small. Generations never change
    once written, so offsets are stable.
    """
    rows: dict[str, list[Any]] = {"ids": [], **{field: [] for field in include}}
    offset = 0
    while True:
        page = collection.get(include=include, limit=_READ_PAGE, offset=offset)  # type: ignore[arg-type]
        rows["ids"].extend(page["ids"])
        for field in include:
            rows[field].extend(page[field] or [])  # type: ignore[literal-required]
        if len(page["ids"]) < _READ_PAGE:
            return rows
        offset += _READ_PAGE


@dataclass(frozen=True)
class Generation:
    """One complete, immutable version of the index."""

    name: str
    embed_model: str
    created: float
    count: int | None = None  # rows when it was activated; None in manifests from before
    previous: str = ""  # the generation it replaced, kept as the backup


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
        try:
            return self.client.get_or_create_collection(
                self._prefix + _MANIFEST_SUFFIX, embedding_function=None
            )
        except httpx.TransportError as exc:  # server mode: stopped (e.g. for a backup)
            raise _unreachable(self.settings, exc) from exc

    def active(self) -> Generation | None:
        meta: dict[str, Any] = dict(self._manifest().metadata or {})
        name = meta.get("active")
        if not name:
            return None
        return Generation(
            name=str(name),
            embed_model=str(meta.get("embed_model", "")),
            created=float(meta.get("created", 0.0)),
            count=int(meta["count"]) if "count" in meta else None,
            previous=str(meta.get("previous", "")),
        )

    def backup(self) -> Generation | None:
        """The generation the active one replaced, if it is still kept."""
        meta: dict[str, Any] = dict(self._manifest().metadata or {})
        name = str(meta.get("previous", ""))
        if not name or name not in self.generations():
            return None
        return Generation(
            name=name,
            embed_model=str(meta.get("previous_embed_model", "")),
            created=float(meta.get("previous_created", 0.0)),
            count=int(meta["previous_count"]) if "previous_count" in meta else None,
        )

    def damage(self, generation: Generation) -> str | None:
        """What is wrong with a generation's collection, or None when it reads back whole.

        Chroma's on-disk HNSW files can be left broken by a killed process; that shows up
        as an error on opening, counting or querying the collection, or as missing rows.
        """
        try:
            collection = self.collection(generation.name)
            count = collection.count()
            if generation.count is not None and count != generation.count:
                return f"{count} van de {generation.count} chunks gevonden"
            if count:
                probe = collection.get(limit=1, include=["embeddings"])
                vectors = probe["embeddings"]
                if vectors is None or len(vectors) == 0:
                    return "geen vectoren opgeslagen"
                vector: Sequence[float] = [float(x) for x in vectors[0]]
                collection.query(query_embeddings=[vector], n_results=1)
        except ChromaError as exc:  # Chroma reports damaged files as its own errors
            return f"{type(exc).__name__}: {exc}"
        return None

    def usable(self, generation: Generation) -> Generation:
        """``generation`` when it reads back whole, else its backup, with a logged warning.

        For readers: it changes nothing on disk (a writer repairs, see ``recover``).
        """
        problem = self.damage(generation)
        if problem is None:
            return generation
        backup = self.backup() if generation.previous else None
        if backup is not None and backup.name == generation.previous and not self.damage(backup):
            log.warning(
                "Actieve index %s is beschadigd (%s); de vorige versie %s wordt gebruikt.",
                generation.name,
                problem,
                backup.name,
            )
            return backup
        raise IndexDamagedError(
            f"De index {generation.name} is beschadigd ({problem}) en er is geen bruikbare "
            "vorige versie. Maak hem opnieuw: python -m ingest"
        )

    def recover(self) -> str | None:
        """Switch back to the backup when the active generation is damaged (hold the lock).

        Returns a message when it did; the damaged generation is dropped by the next
        re-index. Raises IndexDamagedError when there is no usable backup either.
        """
        active = self.active()
        if active is None:
            return None
        usable = self.usable(active)
        if usable == active:
            return None
        self._manifest().modify(metadata=self._pointer(usable.name, usable.embed_model, None))
        message = f"Beschadigde index {active.name} vervangen door de vorige versie {usable.name}."
        log.warning(message)
        return message

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
        """Point readers at generation ``name``; one atomic metadata update.

        The manifest also records the row count (checked on load, see ``damage``) and the
        generation it replaces, the backup to fall back to.
        """
        previous = self.active()
        if previous is not None and previous.name == name:
            previous = None
        self._manifest().modify(metadata=self._pointer(name, embed_model, previous))

    def _pointer(
        self, name: str, embed_model: str, previous: Generation | None
    ) -> dict[str, str | int | float]:
        meta: dict[str, str | int | float] = {
            "active": name,
            "embed_model": embed_model,
            "created": time.time(),
            "count": self.collection(name).count(),
            "previous": previous.name if previous else "",
        }
        if previous is not None:
            meta["previous_embed_model"] = previous.embed_model
            meta["previous_created"] = previous.created
            if previous.count is not None:
                meta["previous_count"] = previous.count
        return meta

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
