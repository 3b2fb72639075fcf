"""The writer lock in server mode: a lock record on the Chroma server itself.

App processes on several hosts share one Chroma server. A file lock only reaches the
processes of one host (and is unreliable on network file systems), so the lock lives where
the index lives: creating a collection is atomic on the server (names are unique), and the
collection ``<prefix>_writer`` is the lock. Whoever creates it holds it and deletes it
when done; its metadata says who holds it.

A writer that dies holding the lock leaves the record behind. A writer on the same host
removes it once that process is gone (the caller holds this host's file lock, so no other
writer here races it); otherwise ``python -m ingest --unlock`` removes it.
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
from chromadb.errors import ChromaError, NotFoundError

from .errors import IndexBusyError
from .settings import Settings

log = logging.getLogger(__name__)

LOCK_SUFFIX = "_writer"


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
    if holder is not None:
        with contextlib.suppress(NotFoundError):  # released in the meantime
            client.delete_collection(lock_name(settings))
    return holder


def _try_acquire(client: ClientAPI, settings: Settings) -> bool:
    me = {"host": socket.gethostname(), "pid": os.getpid(), "since": time.time()}
    try:
        client.create_collection(lock_name(settings), embedding_function=None, metadata=me)
    except ChromaError:
        if lock_holder(client, settings) is None:
            raise  # not a name clash: let the real error through
        return False
    return True


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
    """Hold the lock record on the Chroma server; IndexBusyError when someone else does.

    Call it while holding this host's file lock (store.writer_lock does).
    """
    acquired = _try_acquire(client, settings)
    if not acquired:
        holder = lock_holder(client, settings)
        if holder and holder.host == socket.gethostname() and _process_gone(holder.pid):
            log.warning("Writer lock of a stopped process removed (%s)", holder.describe())
            remove_lock(client, settings)
            acquired = _try_acquire(client, settings)
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
