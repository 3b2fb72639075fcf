"""What a question asks: a verdict (and of which kind), conditions, a fact, or a proposal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bronwijzer.answering.answer_types import asks_yes_no, expected_types
from bronwijzer.text.domain import Domain
from bronwijzer.text.normalize import WORD

# The modal of a yes/no question says what a 'yes' means. Asking whether something is
# required ('Moet er een regioplan liggen?') is answered 'ja' by a sentence that requires it;
# asking whether something is allowed ('Mogen wij …?') is answered 'ja, onder voorwaarden'
# by a sentence that allows it under a condition.
_OBLIGATION = re.compile(
    r"^\W*(moet|moeten|dient|dienen|is het verplicht|zijn \w+ verplicht|must|do we need|"
    r"do i need|does \w+ need|is it required|are \w+ required|need)\b",
    re.I,
)
_ASKS_CONDITIONS = re.compile(
    r"\b(onder welke (voorwaarde\w*|omstandigheden)|welke (voorwaarde\w*|eisen|vereisten)|"
    r"aan welke (voorwaarde\w*|eisen)|wat (moet|moeten) \w+|wanneer (mag|mogen|kan|kunnen)|"
    r"under what conditions|which conditions|what conditions|what requirements)\b",
    re.I,
)


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    yes_no: bool  # asks for a verdict
    obligation: bool  # asks whether something is required (vs allowed)
    asks_conditions: bool  # asks which conditions apply
    negated: bool  # the question itself denies ('mogen we … niet …')
    asks_proposal: bool  # asks what a proposal said ('voorstel', 'proposed', a year)
    expected: tuple[str, ...]  # the answer types of a factual question

    @property
    def wants_verdict(self) -> bool:
        return self.yes_no or self.asks_conditions


def read_question(
    text: str, language: str, domain: Domain, asks_proposal: bool = False
) -> Question:
    """What the question asks; `asks_proposal`: it names a proposal (see
    `bronwijzer.knowledge.asks_about_proposal`), or says 'voorstel' / 'proposed'."""
    words = {w.lower() for w in WORD.findall(text)}
    folded = text.lower()
    # 'Onder welke voorwaarden mag …' asks for conditions, and so for a verdict too
    asks_conditions = bool(_ASKS_CONDITIONS.search(text))
    # a question of two sentences ('…? verschil tussen …') is yes/no by its first
    yes_no = asks_yes_no(text) or (asks_yes_no(text.lower()) and not asks_conditions)
    return Question(
        text=text,
        language=language,
        yes_no=yes_no,
        obligation=bool(_OBLIGATION.search(text)),
        asks_conditions=asks_conditions,
        negated=bool(words & domain.negations - {"no"}),
        asks_proposal=asks_proposal
        or any(w in folded for w in domain.proposal_status)
        or "propos" in folded,
        expected=tuple(expected_types(text)),
    )
