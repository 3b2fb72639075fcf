"""Differences between documents: aligned statements side by side, contrasts flagged.

For a question, the statements of two documents that bear on it are aligned by meaning
(the embedding model), and each aligned pair is checked for general contrasts: one side
negated and the other not, or different durations, amounts, percentages, articles or years
(`contrasts`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from bronwijzer.analysis.clause import TermMatcher
from bronwijzer.analysis.contrasts import QUANTITIES, Difference, differences, statements_of
from bronwijzer.errors import QuestionError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.retrieval.query import clean_question
from bronwijzer.retrieval.term_weights import idf
from bronwijzer.text.normalize import stopwords
from bronwijzer.types import Chunk, DocumentInfo


@dataclass(frozen=True)
class Statement:
    doc_id: str
    page: int
    section: str
    text: str  # exact text from the chunk
    chunk_id: str
    relevance: float  # cosine similarity to the question


@dataclass(frozen=True)
class AlignedPair:
    left: Statement
    right: Statement
    similarity: float
    differences: list[Difference] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    question: str
    left: DocumentInfo  # the newer document
    right: DocumentInfo
    pairs: list[AlignedPair]

    def to_dict(self) -> dict[str, object]:
        return {
            "question": self.question,
            "documents": [asdict(self.left), asdict(self.right)],
            "pairs": [
                {
                    "left": asdict(p.left),
                    "right": asdict(p.right),
                    "similarity": round(p.similarity, 3),
                    "differences": [asdict(d) for d in p.differences],
                }
                for p in self.pairs
            ],
        }


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def compare(
    kb: KnowledgeBase,
    question: str,
    doc_ids: Sequence[str] | None = None,
    per_document: int = 5,
    max_pairs: int = 4,
) -> Comparison:
    """Aligned statements of two documents on a question, each pair with its differences."""
    # Checked before any work: weighing a 15,000-character question's words over every
    # chunk took 100 s before retrieval refused it.
    question = clean_question(question, kb.settings.answer.max_question_chars)
    documents = {d.doc_id: d for d in kb.documents()}
    if doc_ids:
        chosen = list(dict.fromkeys(doc_ids))
        unknown = [d for d in chosen if d not in documents]
        if unknown or len(chosen) != 2:
            raise QuestionError(
                f"Vergelijk precies twee geïndexeerde documenten (onbekend: {unknown or '-'})."
            )
    else:
        chosen = list(dict.fromkeys(p.chunk.doc.doc_id for p in kb.retrieve(question)))[:2]
        if len(chosen) < 2:
            raise QuestionError("Er zijn minstens twee documenten nodig om te vergelijken.")
    left_doc, right_doc = sorted(
        (documents[d] for d in chosen), key=lambda d: (d.date, d.doc_id), reverse=True
    )
    weights = _term_weights(question, kb.all_chunks())
    left = _relevant(kb, question, left_doc.doc_id, weights, per_document)
    right = _relevant(kb, question, right_doc.doc_id, weights, per_document)
    # Meaning aligns what words alone miss ('geen einddatum' beside 'looptijd van vijf jaar');
    # only the few selected statements are embedded, which keeps this fast on a CPU.
    vectors = kb.embedding.get_text_embedding_batch(
        [" ".join(s.text.split()) for s in left + right]
    )
    return Comparison(
        question,
        left_doc,
        right_doc,
        _align(left, right, vectors[: len(left)], vectors[len(left) :], weights, max_pairs),
    )


def _term_weights(question: str, chunks: Sequence[Chunk]) -> dict[str, tuple[TermMatcher, float]]:
    """The question's content words with an IDF weight over the corpus (rare words count)."""
    words = [w for w in re.findall(r"\w{3,}", question.lower()) if w not in stopwords()]
    weights = {}
    for word in dict.fromkeys(words):
        matcher = TermMatcher(word)
        df = sum(1 for c in chunks if matcher.spans(c.text))
        if df:
            weights[word] = (matcher, idf(df, len(chunks)))
    return weights


def _matched(text: str, weights: dict[str, tuple[TermMatcher, float]]) -> dict[str, float]:
    return {w: idf for w, (m, idf) in weights.items() if m.spans(text)}


def _relevant(
    kb: KnowledgeBase,
    question: str,
    doc_id: str,
    weights: dict[str, tuple[TermMatcher, float]],
    keep: int,
) -> list[Statement]:
    # The passages retrieval ranks first, plus those holding the question's rarest words
    # ('lumpsum' for 'lump sum'), which a fused ranking of long passages can push down.
    # A passage may join two indexed chunks; statements keep to the chunk they stand in.
    indexed = kb.retriever().chunks
    retrieved: list[Chunk] = []
    for passage in kb.retrieve(question, [doc_id])[:4]:
        for chunk_id, _, _ in passage.chunk.pieces():
            if chunk_id in indexed and indexed[chunk_id] not in retrieved:
                retrieved.append(indexed[chunk_id])
    lexical = sorted(
        (c for c in kb.chunks_of(doc_id) if c not in retrieved),
        key=lambda c: sum(_matched(c.text, weights).values()),
        reverse=True,
    )[:2]
    scored = []
    for rank, chunk in enumerate(retrieved + lexical):
        for a, b in statements_of(chunk):
            text = chunk.text[a:b]
            relevance = sum(_matched(text, weights).values()) + 1 / (rank + 2)
            scored.append(
                Statement(doc_id, chunk.page_at(a), chunk.section, text, chunk.chunk_id, relevance)
            )
    return sorted(scored, key=lambda s: s.relevance, reverse=True)[:keep]


def _align(
    left: list[Statement],
    right: list[Statement],
    left_vectors: list[list[float]],
    right_vectors: list[list[float]],
    weights: dict[str, tuple[TermMatcher, float]],
    max_pairs: int,
) -> list[AlignedPair]:
    """Greedy one-to-one alignment on meaning, shared question words and relevance."""
    candidates = []
    for a, va in zip(left, left_vectors, strict=True):
        for b, vb in zip(right, right_vectors, strict=True):
            similarity = _cosine(va, vb)
            shared = set(_matched(a.text, weights)) & set(_matched(b.text, weights))
            # Statements that state the same kind of quantity (a duration, an amount) are
            # claims about the same thing, whether or not the values agree.
            comparable = sum(
                1 for p in QUANTITIES.values() if p.search(a.text) and p.search(b.text)
            )
            score = (
                10 * similarity
                + sum(weights[w][1] for w in shared)
                + a.relevance
                + b.relevance
                + 4 * comparable
            )
            candidates.append((score, similarity, a, b))
    pairs: list[AlignedPair] = []
    used: set[str] = set()
    for _, similarity, a, b in sorted(candidates, key=lambda c: c[0], reverse=True):
        if a.text in used or b.text in used:
            continue
        used |= {a.text, b.text}
        pairs.append(AlignedPair(a, b, similarity, differences(a.text, b.text)))
        if len(pairs) == max_pairs:
            break
    return pairs
