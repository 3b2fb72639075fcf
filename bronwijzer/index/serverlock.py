"""The single-writer lock: a file lock in the data folder, and in server mode a lock
record on the Chroma server itself.

App processes on several hosts share one Chroma server. A file lock only reaches the
processes of one host (and is unreliable on network file systems), so the lock lives where
the index lives: creating a collection is atomic on the server (names are unique), and the
collection ``<prefix>_writer`` is the lock. Whoever creates it holds it and deletes it
when done; its metadata says who holds it.

A writer that dies holding the lock leaves the record behind. A writer on the same host
removes it once that process is gone, holding a second record (``<prefix>_writer_clearing``)
meanwhile, so that two writers never both clear it and both take the lock; a record left
by a process on another host is removed with ``python -m ingest --unlock``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from chromadb.api import ClientAPI
from chromadb.errors import ChromaError, NotFoundError, UniqueConstraintError
from filelock import FileLock, Timeout

from bronwijzer.errors import IndexBusyError
from bronwijzer.index.client import make_client
from bronwijzer.settings import Settings

log = logging.getLogger(__name__)

LOCK_SUFFIX = "_writer"
_CLEARING = "_clearing"  # appended to the lock's name: the record of whoever clears it


@dataclass(frozen=True)
class LockHolder:
    """The process that holds the writer lock, as recorded on the server."""

    host: str
    pid: int
    since: float

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.since))
        return f"host {self.host}, pid {self.pid}, sinds {when}"


def lock_name(settings: Settings) -> str:
    return settings.collection_prefix + LOCK_SUFFIX


def lock_holder(client: ClientAPI, settings: Settings) -> LockHolder | None:
    """Who holds the server-mode writer lock, or None when it is free."""
    try:
        record = client.get_collection(lock_name(settings), embedding_function=None)
    except NotFoundError:
        return None
    meta = dict(record.metadata or {})
    return LockHolder(
        host=str(meta.get("host", "?")),
        pid=int(meta.get("pid", 0) or 0),
        since=float(meta.get("since", 0.0) or 0.0),
    )


def remove_lock(client: ClientAPI, settings: Settings) -> LockHolder | None:
    """Delete the lock record (after a crashed writer); returns whom it named."""
    holder = lock_holder(client, settings)
    for name in (lock_name(settings), lock_name(settings) + _CLEARING):
        with contextlib.suppress(NotFoundError):  # released in the meantime
            client.delete_collection(name)
    return holder


_CREATE_ATTEMPTS = 3


def _try_create(client: ClientAPI, name: str) -> bool:
    """Create the record ``name``; False when it exists (creation is atomic on the server).

    A clash with a record that is gone by the time we look (its holder released it in
    between) is tried again, a few times: the lock is free, not busy.
    """
    me = {"host": socket.gethostname(), "pid": os.getpid(), "since": time.time()}
    for _ in range(_CREATE_ATTEMPTS):
        try:
            client.create_collection(name, embedding_function=None, metadata=me)
            return True
        except ChromaError as exc:
            if _exists(client, name):
                return False
            if not _is_clash(exc):
                raise  # not a name clash: let the real error through
    return False


def _is_clash(error: ChromaError) -> bool:
    """Did creating fail because the name exists? Chroma's server reports that as a plain
    ChromaError ('Collection [name] already exists'), an embedded client as
    UniqueConstraintError."""
    return isinstance(error, UniqueConstraintError) or "already exists" in str(error)


def _exists(client: ClientAPI, name: str) -> bool:
    try:
        client.get_collection(name, embedding_function=None)
    except NotFoundError:
        return False
    return True


def _clear_and_acquire(client: ClientAPI, settings: Settings, stale: LockHolder) -> bool:
    """Replace the record of a stopped process by ours; one clearer at a time."""
    clearing = lock_name(settings) + _CLEARING
    if not _try_create(client, clearing):
        return False
    try:
        if lock_holder(client, settings) != stale:
            return False  # cleared and taken by someone else meanwhile
        log.warning("Writer lock of a stopped process removed (%s)", stale.describe())
        client.delete_collection(lock_name(settings))
        return _try_create(client, lock_name(settings))
    finally:
        client.delete_collection(clearing)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # exists, owned by someone else
    return False


@contextmanager
def server_writer_lock(client: ClientAPI, settings: Settings) -> Iterator[None]:
    """Hold the lock record on the Chroma server; IndexBusyError when someone else does."""
    acquired = _try_create(client, lock_name(settings))
    if not acquired:
        holder = lock_holder(client, settings)
        if holder and holder.host == socket.gethostname() and _process_gone(holder.pid):
            acquired = _clear_and_acquire(client, settings, holder)
        if not acquired:
            holder = lock_holder(client, settings) or holder
            named = holder.describe() if holder else "onbekend"
            raise IndexBusyError(
                f"Een ander proces werkt de index al bij ({named}; schrijfslot "
                f"'{lock_name(settings)}' op de Chroma-server {settings.chroma_server}). "
                "Probeer het zo opnieuw. Draait dat proces niet meer, verwijder het slot dan "
                "met: python -m ingest --unlock"
            )
    try:
        yield
    finally:
        try:
            client.delete_collection(lock_name(settings))
        except Exception:  # the index itself is complete; only the record stays behind
            log.warning(
                "Writer lock '%s' could not be removed; remove it with python -m ingest --unlock",
                lock_name(settings),
                exc_info=True,
            )


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time: Chroma is thread-safe but not process-safe.

    Embedded: a file lock in the data folder. Server mode: that file lock (writers on this
    host) and a lock record on the Chroma server (writers on every host); see server_writer_lock.
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
