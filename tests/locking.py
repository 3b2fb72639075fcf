"""A writer lock held by another thread for the length of a with-block (test helper)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bronwijzer.index.serverlock import writer_lock
from bronwijzer.settings import Settings


@contextmanager
def writer_held(settings: Settings) -> Iterator[None]:
    """Another writer holds the lock (as another process would) until the block ends."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer_lock(settings):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10), "the other writer never got the lock"
        yield
    finally:
        release.set()
        holder.join()
