"""Ten readers asking at once while an admin replaces a document: no errors, no mixing.

Run against the core as the app runs it (one shared KnowledgeBase, a thread per session,
the replace through ingest.manage in another thread), not through a browser.
"""

from __future__ import annotations

import threading

from bronwijzer.index.store import IndexStore
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.types import Answer
from ingest.manage import replace_document
from tests.apphelpers import DOC, NEW_VERSION, QUESTIONS

SESSIONS = 10


def chunk_ids(settings: Settings, generation: str) -> set[str]:
    return set(IndexStore(settings).collection(generation).get(include=[])["ids"])


def test_ten_sessions_ask_while_a_document_is_replaced(app_site: Settings) -> None:
    kb = KnowledgeBase(app_site)
    old = kb.generation
    answers: list[list[Answer]] = [[] for _ in range(SESSIONS)]
    errors: list[BaseException] = []
    replaced = threading.Event()
    answered_before = threading.Barrier(SESSIONS + 1, timeout=300)

    def session(number: int) -> None:
        try:
            mine = answers[number]
            mine.append(kb.answer(QUESTIONS[number % 2]))
            answered_before.wait()
            after = 0
            while after < 2:  # keep asking through the replace, then twice more
                done = replaced.is_set()
                mine.append(kb.answer(QUESTIONS[len(mine) % 2]))
                after += done
        except BaseException as exc:  # any failure in a session is what this test looks for
            errors.append(exc)
            if not answered_before.broken:
                answered_before.abort()

    threads = [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    answered_before.wait()
    try:
        report = replace_document(app_site, DOC, DOC, NEW_VERSION)
    finally:
        replaced.set()
        for thread in threads:
            thread.join(300)
    assert not errors, errors
    new = report.generation
    assert new != old

    ids = {old: chunk_ids(app_site, old), new: chunk_ids(app_site, new)}
    seen: dict[str, int] = {old: 0, new: 0}
    for answer in (a for mine in answers for a in mine):
        assert answer.generation in ids, answer.generation
        seen[answer.generation] += 1
        # Every passage (and so every quote) comes from the generation the answer names.
        assert {p.chunk.chunk_id for p in answer.passages} <= ids[answer.generation]
        quotes = " ".join(c.passage for c in answer.citations if c.doc_id == DOC)
        if answer.generation == new:
            assert "2028" not in quotes
        else:
            assert "2031" not in quotes
    assert seen[old] >= SESSIONS and seen[new] >= 2 * SESSIONS
    assert all(mine[-1].generation == new for mine in answers)


def test_ten_sessions_open_the_index_at_once(app_site: Settings) -> None:
    """The app's first page loads: each session's first read opens the Chroma folder."""
    start = threading.Barrier(SESSIONS, timeout=60)
    seen: list[str] = []
    errors: list[BaseException] = []

    def open_index() -> None:
        try:
            start.wait()
            seen.append(IndexStore(app_site).require_active().name)
        except BaseException as exc:  # any failure here is what this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=open_index) for _ in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert len(seen) == SESSIONS and len(set(seen)) == 1
