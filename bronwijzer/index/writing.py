"""Opening the index for a writer (hold the writer lock): what was wrong is repaired first.

A damaged active generation goes back to the kept previous one; a damaged embedded
database is set aside whole; an index that vanished after one was built is named.
"""

from __future__ import annotations

from bronwijzer.errors import IndexDamagedError
from bronwijzer.index.client import set_aside
from bronwijzer.index.generations import Generation
from bronwijzer.index.state import built_before, short_reason, when
from bronwijzer.index.store import IndexStore
from bronwijzer.settings import Settings


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
