"""Chroma storage with index generations and a single writer.

Every re-index writes a new collection (a *generation*) beside the active one and then
switches a pointer kept in a small manifest collection: one metadata update, atomic in
Chroma's SQLite. Readers bind to one generation, so an answer never mixes old and new
chunks, and a writer killed halfway leaves the active generation untouched.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError
from filelock import FileLock, Timeout

from bronwijzer.errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexLostError,
    IndexMissingError,
    StoreUnavailableError,
)
from bronwijzer.index.serverlock import server_writer_lock
from bronwijzer.index.state import (
    BackupRecord,
    built_before,
    latest_backup,
    record_built,
    repair_hint,
    short_reason,
    when,
    write_failure,
)
from bronwijzer.settings import Settings

log = logging.getLogger(__name__)

_MANIFEST_SUFFIX = "_manifest"
_GEN_MARK = "_g"
_PAGE = 1000  # rows per Chroma request when copying a generation
# chromadb registers the shared System of a data folder before starting it, without a lock:
# a second thread opening the same folder meanwhile gets one that is not started ("Could not
# connect to tenant default_tenant"), as ten app sessions opening at once did. One opener
# at a time per process; once started, the System is shared and this costs nothing.
_OPEN_LOCK = threading.Lock()
# SQLite errors that say the disk refused a write, not that the file is damaged.
_NOT_DAMAGE = ("disk is full", "disk i/o error", "readonly", "read-only", "no space", "too large")
# Bumped when a damaged Chroma folder is set aside: clients opened on it before then reopen.
_EPOCH: dict[str, int] = {}


def make_client(settings: Settings) -> ClientAPI:
    """Embedded PersistentClient in the data folder, or an HttpClient in server mode.

    Telemetry is off either way; collections are always opened with
    ``embedding_function=None``, so Chroma's default embedding model is never used.
    """
    if settings.chroma_host:
        return _http_client(settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    with _OPEN_LOCK:
        try:
            return chromadb.PersistentClient(
                path=str(settings.chroma_dir),
                settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
            )
        except Exception:
            # A failed start leaves the System registered for this folder, unstarted;
            # every later open would get it. Forget it so that a repaired folder opens.
            _forget_system(settings.chroma_dir)
            raise


def _forget_system(chroma_dir: Path) -> None:
    system = SharedSystemClient._identifier_to_system.pop(str(chroma_dir), None)
    SharedSystemClient._identifier_to_refcount.pop(str(chroma_dir), None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # a System that never started cannot stop cleanly; it is dropped
            log.debug("Chroma System for %s did not stop cleanly", chroma_dir, exc_info=True)


def set_aside(settings: Settings) -> Path:
    """Move a damaged Chroma folder to '<chroma>.beschadigd-<time>' (kept, not deleted)."""
    with _OPEN_LOCK:
        _forget_system(settings.chroma_dir)
        _EPOCH[str(settings.chroma_dir)] = _EPOCH.get(str(settings.chroma_dir), 0) + 1
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = settings.chroma_dir.with_name(f"{settings.chroma_dir.name}.beschadigd-{stamp}")
    shutil.move(settings.chroma_dir, kept)
    log.info("Beschadigde index apart gezet in %s", kept)
    return kept


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

    def __init__(
        self, settings: Settings, client: ClientAPI | None = None, read_backup: bool = False
    ) -> None:
        """``read_backup``: for readers, answer from the newest recorded backup folder
        while the index itself is damaged or lost (``notice`` then says so)."""
        self.settings = settings
        self._client = client
        self._own_client = client is None
        self._epoch = 0
        self._prefix = settings.collection_prefix
        self._read_backup = read_backup
        self._marked = False  # index.json checked (see require_active)
        self._fallback: tuple[BackupRecord, tuple[int, int] | None] | None = None
        # What readers should be told: the index is damaged and an older copy is used.
        self.notice: str | None = None

    @property
    def client(self) -> ClientAPI:
        # Connected on first use: an unreachable server then raises where callers already
        # turn BronwijzerError into one clear line (CLI) or st.error (app).
        embedded = self.settings.chroma_host is None
        if embedded and self._own_client and self._fallback is None:
            epoch = _EPOCH.get(str(self.settings.chroma_dir), 0)
            if epoch != self._epoch:  # the folder was set aside and rebuilt meanwhile
                self._client, self._epoch = None, epoch
        if self._client is None:
            try:
                self._client = make_client(self.settings)
            except ChromaError as exc:
                if not embedded:
                    raise
                self._damaged_database(short_reason(exc), exc)
        assert self._client is not None
        return self._client

    def _damaged_database(self, problem: str, exc: BaseException | None = None) -> None:
        """Use the backup folder (readers) or raise IndexDamagedError naming the repair."""
        if exc is not None and any(word in problem.lower() for word in _NOT_DAMAGE):
            # A full or read-only disk is no damage: never set the database aside for it.
            raise write_failure(self.settings, exc) from exc
        if self._use_backup(f"De index is beschadigd: {problem}"):
            return
        raise IndexDamagedError(
            f"De index in '{self.settings.chroma_dir}' is beschadigd: {problem}. "
            f"{repair_hint(self.settings)}"
        ) from exc

    def _use_backup(self, what: str) -> bool:
        """Readers only: switch to the newest recorded backup when it reads back whole."""
        backup = latest_backup(self.settings) if self._read_backup else None
        if backup is None:
            return False
        copy = IndexStore(
            self.settings.model_copy(update={"data_dir": backup.folder, "chroma_host": None})
        )
        try:
            generation = copy.active()
            if generation is None or copy.damage(generation) is not None:
                return False
        except (IndexDamagedError, ChromaError):
            return False
        self._client, self._fallback = copy.client, (backup, self._primary_stamp())
        self.notice = (
            f"{what}; de backup van {when(backup.created)} uit '{backup.folder}' wordt "
            f"gebruikt. {repair_hint(self.settings)}"
        )
        log.info(self.notice)
        return True

    def _primary_stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.settings.chroma_dir / "chroma.sqlite3").stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _check_primary_again(self) -> None:
        """After a restore or rebuild the index itself changed: stop reading the backup."""
        if self._fallback is not None and self._fallback[1] != self._primary_stamp():
            self._client, self._fallback, self.notice = None, None, None

    # -- reading -------------------------------------------------------------------------
    def _manifest(self) -> Collection:
        try:
            return self.client.get_or_create_collection(
                self._prefix + _MANIFEST_SUFFIX, embedding_function=None
            )
        except httpx.TransportError as exc:  # server mode: stopped (e.g. for a backup)
            raise _unreachable(self.settings, exc) from exc
        except ChromaError as exc:
            if self.settings.chroma_host is not None or self._fallback is not None:
                raise
            self._damaged_database(short_reason(exc), exc)
            return self._manifest()  # now the backup's

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
            self.notice = (
                f"De index is beschadigd: {problem}; de vorige versie van "
                f"{when(backup.created)} wordt gebruikt. Herstel met `python -m ingest`."
            )
            return backup
        if self._fallback is None and self._use_backup(f"De index is beschadigd: {problem}"):
            return self.usable(self.require_active())
        raise IndexDamagedError(
            f"De index {generation.name} is beschadigd ({problem}) en er is geen bruikbare "
            f"vorige versie. {repair_hint(self.settings)}"
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
        self._check_primary_again()
        generation = self.active()
        built = built_before(self.settings) if generation is None or not self._marked else None
        if generation is not None:
            # an index built before index.json existed: recorded once, on its first read
            if not self._marked and built is None and self._fallback is None:
                try:
                    count = generation.count or 0
                    record_built(self.settings, generation.name, count, generation.created)
                except OSError:  # a read-only data folder: the loss check waits for ingest
                    log.debug("index.json not written", exc_info=True)
            self._marked = True
        elif built is not None and self._fallback is None:
            lost = (
                f"De index in '{self.settings.chroma_dir}' is verdwenen of leeg, terwijl er "
                f"eerder een index was ({built.count} chunks, gemaakt {when(built.created)})"
            )
            if self._use_backup(lost):
                return self.require_active()
            raise IndexLostError(f"{lost}. {repair_hint(self.settings)}")
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

    def activate(self, name: str, embed_model: str, keep_previous: bool = True) -> None:
        """Point readers at generation ``name``; one atomic metadata update.

        The manifest also records the row count (checked on load, see ``damage``) and the
        generation it replaces, the backup to fall back to (unless ``keep_previous`` is
        False: a damaged one). ``index.json`` beside it records that an index exists.
        """
        previous = self.active() if keep_previous else None
        if previous is not None and previous.name == name:
            previous = None
        pointer = self._pointer(name, embed_model, previous)
        self._manifest().modify(metadata=pointer)
        record_built(self.settings, name, int(pointer["count"]))

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


def open_for_writing(settings: Settings) -> tuple[IndexStore, list[str]]:
    """The store for a writer (hold the writer lock), and what it found wrong.

    A damaged Chroma database (embedded) is set aside, not deleted, so the writer starts
    on an empty one; an index that vanished after one was built is named as a loss.
    """
    store = IndexStore(settings)
    embedded = settings.chroma_host is None
    active: Generation | None = None
    try:
        active = store.active()
        # A damaged active generation: back to the kept previous one. Without one, an
        # embedded database is set aside whole (a damaged SQLite file breaks new writes
        # too); on a server, sync builds a new generation beside it.
        recovered = store.recover() if embedded else None
    except IndexDamagedError as exc:
        if not embedded:
            raise
        cause = exc.__cause__
        problem = short_reason(cause) if cause else (active and store.damage(active)) or str(exc)
        kept = set_aside(settings)
        return IndexStore(settings), [
            f"De index was beschadigd ({problem}); die is apart gezet in '{kept}'."
        ]
    if recovered:
        return store, [recovered]
    built = built_before(settings) if active is None else None
    if built is None:
        return store, []
    return store, [
        f"De index was verdwenen of leeg (eerder {built.count} chunks, gemaakt "
        f"{when(built.created)})."
    ]


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
