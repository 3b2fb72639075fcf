"""Chroma storage with index generations and a single writer.

Every re-index writes a new collection (a *generation*) beside the active one and then
switches a pointer kept in a small manifest collection: one metadata update, atomic in
Chroma's SQLite. Readers bind to one generation, so an answer never mixes old and new
chunks, and a writer killed halfway leaves the active generation untouched.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.errors import ChromaError

from bronwijzer.errors import IndexDamagedError, IndexLostError, IndexMissingError
from bronwijzer.index import generations as manifest
from bronwijzer.index.client import epoch, make_client, unreachable
from bronwijzer.index.fallback import Fallback, damaged_database_error, embedded_at, open_backup
from bronwijzer.index.generations import Generation
from bronwijzer.index.rows import copy_rows
from bronwijzer.index.state import (
    built_before,
    record_built,
    repair_hint,
    short_reason,
    when,
)
from bronwijzer.settings import Settings

log = logging.getLogger(__name__)


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
        self._fallback: Fallback | None = None
        # What readers should be told: the index is damaged and an older copy is used.
        self.notice: str | None = None

    @property
    def client(self) -> ClientAPI:
        # Connected on first use: an unreachable server then raises where callers already
        # turn BronwijzerError into one clear line (CLI) or st.error (app).
        embedded = self.settings.chroma_host is None
        if embedded and self._own_client and self._fallback is None:
            now = epoch(self.settings.chroma_dir)
            if now != self._epoch:  # the folder was set aside and rebuilt meanwhile
                self._client, self._epoch = None, now
        if self._client is None:
            try:
                self._client = make_client(self.settings)
            except ChromaError as exc:
                if not embedded:
                    raise
                self._damaged_database(short_reason(exc), exc)
        assert self._client is not None
        return self._client

    def _damaged_database(self, problem: str, exc: BaseException) -> None:
        """Use the backup folder (readers) or raise naming the repair."""
        error = damaged_database_error(self.settings, problem, exc)
        if isinstance(error, IndexDamagedError) and self._use_backup(
            f"De index is beschadigd: {problem}"
        ):
            return
        raise error from exc

    def _use_backup(self, what: str) -> bool:
        """Readers only: switch to the newest recorded backup when it reads back whole."""
        opened = open_backup(self.settings, what) if self._read_backup else None
        if opened is None:
            return False
        self._client, self._fallback = opened
        self.notice = self._fallback.notice
        log.info(self.notice)
        return True

    # -- reading -------------------------------------------------------------------------
    def _manifest(self) -> Collection:
        try:
            return self.client.get_or_create_collection(
                self._prefix + manifest.MANIFEST_SUFFIX, embedding_function=None
            )
        except httpx.TransportError as exc:  # server mode: stopped (e.g. for a backup)
            raise unreachable(self.settings, exc) from exc
        except ChromaError as exc:
            if self.settings.chroma_host is not None or self._fallback is not None:
                raise
            self._damaged_database(short_reason(exc), exc)
            return self._manifest()  # now the backup's

    def _manifest_meta(self) -> dict[str, Any]:
        return dict(self._manifest().metadata or {})

    def active(self) -> Generation | None:
        return manifest.active_from(self._manifest_meta())

    def backup(self) -> Generation | None:
        """The generation the active one replaced, if it is still kept."""
        previous = manifest.previous_from(self._manifest_meta())
        return previous if previous and previous.name in self.generations() else None

    def damage(self, generation: Generation) -> str | None:
        """What is wrong with a generation's collection, or None when it reads back whole."""
        return manifest.damage(self.client, generation)

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
        self._switch(usable.name, usable.embed_model, None)
        message = f"Beschadigde index {active.name} vervangen door de vorige versie {usable.name}."
        log.warning(message)
        return message

    def require_active(self) -> Generation:
        """The active generation; raises IndexLostError or IndexMissingError without one."""
        if self._fallback is not None and self._fallback.outdated(self.settings):
            self._client, self._fallback, self.notice = None, None, None
        generation = self.active()
        if generation is not None:
            self._mark_built(generation)
            return generation
        built = built_before(self.settings)
        if built is not None and self._fallback is None:
            lost = (
                f"De index in '{self.settings.chroma_dir}' is verdwenen of leeg, terwijl er "
                f"eerder een index was ({built.count} chunks, gemaakt {when(built.created)})"
            )
            if self._use_backup(lost):
                return self.require_active()
            raise IndexLostError(f"{lost}. {repair_hint(self.settings)}")
        where = (
            f"op de Chroma-server {self.settings.chroma_server}"
            if self.settings.chroma_server
            else f"in '{self.settings.data_dir}'"
        )
        raise IndexMissingError(f"Er is nog geen index {where}. Maak die met: python -m ingest")

    def _mark_built(self, generation: Generation) -> None:
        """An index built before index.json existed: recorded once, on its first read."""
        if self._marked:
            return
        self._marked = True
        if self._fallback is None and built_before(self.settings) is None:
            try:
                count = generation.count or 0
                record_built(self.settings, generation.name, count, generation.created)
            except OSError:  # a read-only data folder: the loss check waits for ingest
                log.debug("index.json not written", exc_info=True)

    def collection(self, name: str) -> Collection:
        return self.client.get_collection(name, embedding_function=None)

    def generations(self) -> list[str]:
        prefix = self._prefix + manifest.GENERATION_MARK
        return sorted(c.name for c in self.client.list_collections() if c.name.startswith(prefix))

    # -- writing (hold the writer lock) ---------------------------------------------------
    def new_generation(self) -> Collection:
        """An empty collection for a generation, with the configured HNSW graph."""
        return self.client.create_collection(
            manifest.new_generation_name(self._prefix),
            embedding_function=None,
            configuration=manifest.hnsw_configuration(self.settings.index),
        )

    def copy_rows(self, source: Collection, target: Collection, ids: list[str]) -> None:
        """Copy rows with their stored embeddings: nothing is embedded again."""
        copy_rows(source, target, ids)

    def activate(self, name: str, embed_model: str, keep_previous: bool = True) -> None:
        """Point readers at generation ``name``; one atomic metadata update.

        The manifest also records the row count (checked on load, see ``damage``) and the
        generation it replaces, the backup to fall back to (unless ``keep_previous`` is
        False: a damaged one). ``index.json`` beside it records that an index exists.
        """
        previous = self.active() if keep_previous else None
        if previous is not None and previous.name == name:
            previous = None
        count = self._switch(name, embed_model, previous)
        record_built(self.settings, name, count)

    def _switch(self, name: str, embed_model: str, previous: Generation | None) -> int:
        """Make ``name`` the active generation in the manifest; returns its row count."""
        count = self.collection(name).count()
        self._manifest().modify(metadata=manifest.pointer(name, embed_model, count, previous))
        return count

    def drop_stale(self, keep_previous: str | None) -> list[str]:
        """Delete generations other than the active one and the one before it (the backup)."""
        active = self.active()
        keep = {g for g in (active.name if active else None, keep_previous) if g}
        dropped = [name for name in self.generations() if name not in keep]
        for name in dropped:
            self.client.delete_collection(name)
        return dropped


def store_at(settings: Settings, folder: Path) -> IndexStore:
    """An IndexStore over an embedded Chroma in ``folder``/chroma, same collection names."""
    return IndexStore(embedded_at(settings, folder))
