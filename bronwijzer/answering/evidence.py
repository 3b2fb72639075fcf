"""Does a passage answer what was asked? The features the abstention decision rests on.

Unanswerable questions here are near-misses on topic, so a retrieval-score threshold cannot
tell them apart. Instead each candidate sentence is checked for the question's key terms
(weighted by rarity, `term_weights`) and, for 'how much', 'when', 'who' questions, for an
expression of that type (an amount, a date, an organisation: `answer_types`, `expressions`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bronwijzer.answering.answer_types import ANSWER_TYPES, WHICH_ORGANISATION, expected_types
from bronwijzer.answering.expressions import counted_terms, counts_of, has_type
from bronwijzer.retrieval.sentences import Sentence
from bronwijzer.retrieval.term_question import focus_term
from bronwijzer.retrieval.term_weights import TermWeights
from bronwijzer.text.normalize import FoldingStemmer, content_terms, detect_language, stopwords
from bronwijzer.types import Passage

# How deep an English question's answer type is looked for: all the passages quoted from
# (`evidence_passages`). With 3, 'How many responses did the NZa receive?' abstained, as its
# '326 reacties' passage ranked fourth.
_TYPED_PASSAGES = 5


@dataclass(frozen=True)
class EvidenceCheck:
    """The features the abstention decision rests on; recorded for calibration."""

    passage_coverage: float  # best idf coverage of the question terms by one top passage
    sentence_coverage: float  # best idf coverage by one sentence
    typed_coverage: float  # best coverage by a sentence holding the expected answer type
    typed_present: bool  # a sentence of the top passages holds the expected answer type
    dense_top: float
    expected: tuple[str, ...]
    unknown_term: str = ""  # a term the question is about that no indexed passage uses
    topicless: bool = False  # no word of the question occurs in the index ('Wat is het?')
    # For 'welke organisatie …': the key-term weight of the best sentence holding a name,
    # as a share of the best sentence's. Nearly every passage names someone ('de NZa'), so
    # a name counts only where the question's event is: 'er vindt een evaluatie plaats'
    # names no one, and the names elsewhere do not say who evaluates.
    name_share: float = 1.0


def check_evidence(
    passages: list[Passage],
    sentences: list[Sentence],
    query_terms: list[str],
    weights: TermWeights,
    question: str,
) -> EvidenceCheck:
    passage_cov = max(
        (weights.text_coverage(query_terms, p.chunk.text) for p in passages[:3]), default=0.0
    )
    sentence_cov = max((s.coverage for s in sentences), default=0.0)
    expected = tuple(expected_types(question))
    # Each asked thing in some sentence: 'Hoeveel reacties ontving de NZa en wanneer hield
    # zij de consultatie?' is answered by two sentences, not one.
    holding = {k: _holding(sentences, k, question, weights.stemmer) for k in expected}
    typed_cov = min(
        (max((s.coverage for s in found), default=0.0) for found in holding.values()),
        default=sentence_cov,
    )
    # Any sentence of the top passages: for an English question the Dutch sentences share
    # no words with it, so their order says little.
    typed_present = all(
        any(s.passage_rank < _TYPED_PASSAGES for s in found) for found in holding.values()
    )
    dense_top = max((p.dense_score or 0.0 for p in passages[:3]), default=0.0)
    # Every asked kind of name must be named (in the question's order: a set's order
    # changes with the hash seed, and with it the answer).
    name_share = min(
        (
            _name_share(sentences, holding[kind], question, query_terms, weights)
            for kind in expected
            if kind in WHICH_ORGANISATION
        ),
        default=1.0,
    )
    return EvidenceCheck(
        passage_cov,
        sentence_cov,
        typed_cov,
        typed_present,
        dense_top,
        expected,
        unknown_term(question, weights),
        topicless=not query_terms,
        name_share=name_share,
    )


def _holding(
    sentences: list[Sentence], kind: str, question: str, stemmer: FoldingStemmer
) -> list[Sentence]:
    """The sentences that hold an expression of the asked type; for a Dutch 'hoeveel X', a
    number of X ('Hoeveel zorgaanbieders …' wants a number of zorgaanbieders)."""
    found = [s for s in sentences if has_type(s.text, kind, question)]
    nouns = counted_terms(question, stemmer) if kind == "count" else set()
    if nouns and detect_language(question) == "nl":
        found = [s for s in found if counts_of(s.text, nouns, stemmer, question)]
    return found


def _name_share(
    sentences: list[Sentence],
    named: list[Sentence],
    question: str,
    query_terms: list[str],
    weights: TermWeights,
) -> float:
    """The key-term weight of the best sentence that names someone, as a share of the best
    sentence's. The asked class ('zorgverzekeraar' in 'Welke zorgverzekeraar …') is no key
    term here: the name stands in its place, and every sentence about insurers holds it."""
    asked = next(
        (m for k in WHICH_ORGANISATION if (m := ANSWER_TYPES[k][0].search(question))), None
    )
    slot = set(content_terms(asked.group(3), weights.stemmer)) if asked else set()
    terms = [t for t in query_terms if t not in slot]

    best = max((weights.text_coverage(terms, s.text) for s in sentences), default=0.0)
    if not best:
        return 0.0
    return max((weights.text_coverage(terms, s.text) for s in named), default=0.0) / best


def unknown_event(question: str, weights: TermWeights) -> str:
    """The verb of a Dutch 'wanneer' / 'op welke datum' / 'welk bedrag' question when no
    indexed passage uses it in any form ('Wanneer stuurde de NZa …'); '' otherwise.

    Dutch puts the finite verb right after the question phrase, so that word names the
    event whose date or amount is asked; an auxiliary ('is', 'werd') is no such word.
    """
    for kind in ("time", "date", "amount"):
        asked = ANSWER_TYPES[kind][0].search(question)
        if asked is None:
            continue
        after = re.match(r"\s+([^\W\d_]{4,})\b", question[asked.end() :])
        word = after.group(1).lower() if after else ""
        if word and word not in stopwords() and not weights.knows(word):
            return word
    return ""


def unknown_term(question: str, weights: TermWeights) -> str:
    """The term a question quotes or asks the meaning of, when no indexed passage uses any
    of its words, nor the parts of it as a compound; '' otherwise.

    A question about 'populatiebekostiging' must not be answered from passages about
    'bekostiging': that the documents never use the term is the answer.
    """
    term = focus_term(question)
    terms = content_terms(term, weights.stemmer) if term else []
    if not terms or weights.known(terms) or weights.compound_parts(term):
        return ""
    return term
