"""Bronwijzer: answers over Dutch care-financing policy documents, with their sources."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from bronwijzer.errors import BronwijzerError, IndexMissingError, QuestionError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.types import Answer, Chunk, Citation, DocumentInfo, Passage

__all__ = [
    "Answer",
    "BronwijzerError",
    "Chunk",
    "Citation",
    "DocumentInfo",
    "IndexMissingError",
    "KnowledgeBase",
    "Passage",
    "QuestionError",
    "Settings",
    "answer",
    "open_knowledge_base",
]


@functools.cache
def open_knowledge_base(settings: Settings) -> KnowledgeBase:
    """One knowledge base per settings value, loaded on first use."""
    return KnowledgeBase(settings)


def answer(
    question: str, settings: Settings | None = None, doc_ids: Sequence[str] | None = None
) -> Answer:
    """Answer one question from the indexed documents (settings from the environment)."""
    return open_knowledge_base(settings or Settings()).answer(question, doc_ids)
