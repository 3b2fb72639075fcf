"""One index generation loaded for questions: its retriever, term weights and the helpers
built beside the first questions (definition finder, speller)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from bronwijzer.retrieval.definitions import Definition, DefinitionFinder
from bronwijzer.retrieval.hybrid import HybridRetriever
from bronwijzer.retrieval.term_question import defined_term
from bronwijzer.retrieval.term_weights import TermWeights
from bronwijzer.text.normalize import FoldingStemmer
from bronwijzer.text.spelling import Correction, Speller, corrected, suspects
from bronwijzer.types import Chunk, DocumentInfo

log = logging.getLogger(__name__)

T = TypeVar("T")

_REMEMBERED_QUESTIONS = 1024


def _built_aside(pool: ThreadPoolExecutor, build: Callable[[], T], name: str) -> Future[T]:
    """`build` run in the background; a failure is logged now, and raised by `result()`
    to whoever needs the value."""

    def report(future: Future[T]) -> None:
        if (error := future.exception()) is not None:
            log.error("Building the %s failed", name, exc_info=error)

    future = pool.submit(build)
    future.add_done_callback(report)
    return future


class LoadedGeneration:
    """What answering needs of one generation, in memory; safe to share between threads."""

    def __init__(self, retriever: HybridRetriever, stemmer: FoldingStemmer, pointer: str) -> None:
        self.retriever = retriever
        self.stemmer = stemmer
        self.weights = TermWeights(retriever.chunks.values(), stemmer)
        # The active generation named in the manifest when this was loaded; differs from
        # retriever.generation when that one was damaged and its backup is used instead.
        self.pointer = pointer
        # The definition finder folds every text once, and the speller counts every word:
        # seconds at 100,000 chunks, so both are built beside the first questions.
        chunks = retriever.chunks.values()
        pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="generation-helpers")
        self._finder = _built_aside(pool, lambda: DefinitionFinder(chunks), "definition finder")
        self._speller = _built_aside(pool, lambda: Speller(c.text for c in chunks), "speller")
        pool.shutdown(wait=False)  # the two builds run on; the threads end with them
        # Remembered per question; two threads may both look one up, and find the same.
        self.definitions = functools.lru_cache(maxsize=_REMEMBERED_QUESTIONS)(self._definitions)

    def as_read(self, text: str, language: str) -> tuple[str, list[Correction]]:
        """The question as it is searched: a Dutch question's typing errors corrected."""
        if language != "nl":
            return text, []
        corrections = self.spelling(text)
        return corrected(text, corrections), corrections

    def spelling(self, question: str) -> list[Correction]:
        """The typing errors of a Dutch question, and the indexed words to read them as.
        Most questions have no suspect word and never wait for the speller."""
        words = suspects(question, self.weights.knows)
        return self._speller.result().corrections(words) if words else []

    def _definitions(self, question: str) -> list[Definition]:
        """The passages that define the term a definition question asks about, best first;
        none for any other question.

        Only explicit definitions and explanations count ('Met X wordt bedoeld …', 'Een X
        is een …', 'een zogenoemd X. …'), never a first use or an abbreviation's full name.
        """
        term = defined_term(question)
        return self._finder.result().definitions(term) if term else []

    def documents(self) -> list[DocumentInfo]:
        """The indexed documents with their metadata, newest first."""
        docs: dict[str, DocumentInfo] = {}
        for chunk in self.retriever.chunks.values():
            docs.setdefault(chunk.doc.doc_id, chunk.doc)
        return sorted(docs.values(), key=lambda d: (d.date, d.doc_id), reverse=True)

    def all_chunks(self) -> list[Chunk]:
        """Every chunk, per document in reading order."""
        return sorted(self.retriever.chunks.values(), key=lambda c: (c.doc.doc_id, c.order))
