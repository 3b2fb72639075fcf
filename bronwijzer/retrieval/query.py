"""Reading a question for search: cleaned, its words as the documents write them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bronwijzer.errors import QuestionError
from bronwijzer.retrieval.term_weights import TermWeights
from bronwijzer.text.domain import load_domain
from bronwijzer.text.normalize import FoldingStemmer, content_terms, detect_language
from bronwijzer.types import DocumentInfo

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# 'lang' in 'Hoe lang …' asks for a duration; it is not a subject to match ('lang' in 'zo
# lang als', 'lange termijn'). The same for 'hoe hoog', 'hoe groot', 'hoe duur'.
_ASKING_WORDS = re.compile(r"\b(hoe)\s+(?:lang|hoog|groot|duur)\b", re.I)


def clean_question(question: str, max_chars: int) -> str:
    """The question without control characters; QuestionError when unusable."""
    if not isinstance(question, str):
        raise QuestionError("De vraag moet tekst zijn.")
    text = " ".join(_CONTROL.sub(" ", question).split())
    if not text:
        raise QuestionError("De vraag is leeg. Typ een vraag over de documenten.")
    if len(text) > max_chars:
        raise QuestionError(
            f"De vraag is te lang ({len(text)} tekens; maximaal {max_chars}). "
            "Stel een kortere, concrete vraag."
        )
    if not re.search(r"\w\w", text):
        raise QuestionError("De vraag bevat geen woorden. Typ een vraag over de documenten.")
    return text


def word_query(question: str, weights: TermWeights, compounds: bool = True) -> str:
    """The question for word matching: split verbs joined ('stelt … vast' →
    'vaststellen'), abbreviations and English field terms in the documents' words
    ('ZV' → 'zorgverzekeraar'), and, for retrieval, the parts of compounds the index
    lacks (the evidence check counts only the question's own words)."""
    question = _ASKING_WORDS.sub(r"\1", question)
    parts = weights.separable_verbs(question)
    parts += load_domain().expansions(question, detect_language(question), weights.knows)
    if compounds:
        parts = weights.compound_parts(question) + parts
    return f"{question} {' '.join(parts)}" if parts else question


def key_terms(question: str, weights: TermWeights, stemmer: FoldingStemmer) -> list[str]:
    """The question's key terms as the index knows them (the evidence check's words)."""
    words = word_query(question, weights, compounds=False)
    return weights.known(content_terms(words, stemmer))


def asks_about_proposal(
    question: str, docs: Iterable[DocumentInfo], by_publisher: bool = False
) -> bool:
    """Does the question ask what a proposal said? It says 'voorstel' or 'proposed', or names
    a proposal's kind ('verkenning') or year; `by_publisher`: or its publisher ('de NZa' of
    an NZa advice), which also acts in decisions ('vraag de NZa om …'), so that counts only
    where a proposal may lead the answer, not in the ranking."""
    domain = load_domain()
    folded = question.lower()
    if any(w in folded for w in domain.proposal_status) or "propos" in folded:
        return True
    words = set(re.findall(r"\w+", folded))
    for doc in docs:
        if not domain.is_proposal(doc.status):
            continue
        short = re.findall(r"\(([^)]+)\)", doc.publisher)  # 'Nederlandse Zorgautoriteit (NZa)'
        names = {doc.date[:4], doc.kind.lower()} | {s.lower() for s in short if by_publisher}
        if names & words:
            return True
    return False
