"""Contrasts between two statements: one side negated or qualified and the other not, or
different durations, amounts, percentages, articles or years; and the statements of a
passage (its sentences, with flattened table rows split and qualifiers kept together)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bronwijzer.text.normalize import sentence_spans, stopwords
from bronwijzer.types import Chunk

NEGATION = re.compile(
    r"\b(?:niet|geen|nooit|zonder|onmogelijk|uitgesloten|niets|noch|evenmin|"
    r"not|no|never|without)\b",
    re.IGNORECASE,
)
_NUMBER = r"(?:\d+(?:[.,]\d+)?|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf)"
QUANTITIES: dict[str, re.Pattern[str]] = {
    "duur": re.compile(
        rf"\b{_NUMBER}\s+(?:jaar|jaren|maanden|maand|weken|week|dagen|dag)\b"
        r"|\b(?:geen|zonder)\s+(?:einddatum|looptijd|termijn)\b|\bonbepaalde\s+tijd\b",
        re.IGNORECASE,
    ),
    "bedrag": re.compile(r"€\s?\d[\d.,]*|\b\d[\d.,]*\s*(?:euro|miljoen|miljard)\b", re.I),
    "percentage": re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:%|procent)", re.IGNORECASE),
    "artikel": re.compile(r"\b(?:artikel|art\.)\s*\d+\w*", re.IGNORECASE),
    "jaar": re.compile(r"\b(?:19|20)\d\d\b"),
}
# A value on one side only is a difference for these; for the others only two values are.
ONE_SIDED = {"duur", "bedrag", "percentage"}
# A table flattened to one line: 'geen verplichting Actieve rol …', '(contractvereiste) Geen …'
_RUN_ON = re.compile(r"(?<=\))\s+(?=[A-Z])|(?<=[a-z]{3})\s+(?=[A-Z][a-z]{2,}\b)")


# A sentence that qualifies the one before it ('De Zvw is echter zo ingericht dat …').
QUALIFIER = re.compile(
    r"\b(?:echter|maar|evenwel|daarentegen|tenzij|alleen|slechts|uitsluitend|however|but)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Difference:
    kind: str  # 'ontkenning', 'voorbehoud' or a key of QUANTITIES
    left: str  # what the left statement says ('' when nothing)
    right: str


def statements_of(chunk: Chunk) -> list[tuple[int, int]]:
    """Sentence spans, with flattened table rows and list items split into their own."""
    spans = []
    for start, end in sentence_spans(chunk.text):
        cut = start
        for m in _RUN_ON.finditer(chunk.text, start, end):
            before = chunk.text[cut : m.start()].split()
            if before and before[-1].lower() not in stopwords():
                spans.append((cut, m.start()))
                cut = m.end()
        spans.append((cut, end))
    spans = [(a, b) for a, b in spans if len(chunk.text[a:b].split()) >= 2]
    # Keep a qualifying sentence with the sentence it qualifies.
    joined: list[tuple[int, int]] = []
    for a, b in spans:
        opening = " ".join(chunk.text[a:b].split()[:6])
        if (
            joined
            and QUALIFIER.search(opening)
            and not QUALIFIER.search(chunk.text[slice(*joined[-1])])
        ):
            joined[-1] = (joined[-1][0], b)
        else:
            joined.append((a, b))
    return joined


def _quote(text: str, match: re.Match[str]) -> str:
    """The cue with a few words after it ('niet mogelijk, omdat')."""
    tail = text[match.end() :].split()[:3]
    return " ".join([match.group(), *tail])


def differences(left: str, right: str) -> list[Difference]:
    """General contrasts between two aligned statements."""
    found = [d for d in (_negation(left, right), _qualification(left, right)) if d]
    return found + _quantities(left, right)


def _negation(left: str, right: str) -> Difference | None:
    """One side negated and the other not, by the parity of negations: 'niet wordt
    uitgesloten' is not a negation."""
    negated_left = len(NEGATION.findall(left)) % 2 == 1
    negated_right = len(NEGATION.findall(right)) % 2 == 1
    if negated_left == negated_right:
        return None
    cue = NEGATION.search(left if negated_left else right)
    said = _quote(left if negated_left else right, cue) if cue else ""
    return Difference("ontkenning", said if negated_left else "", said if negated_right else "")


def _qualification(left: str, right: str) -> Difference | None:
    """One side qualified ('echter', 'tenzij') and the other not."""
    qual_left, qual_right = QUALIFIER.search(left), QUALIFIER.search(right)
    if bool(qual_left) == bool(qual_right):
        return None
    return Difference(
        "voorbehoud",
        _quote(left, qual_left) if qual_left else "",
        _quote(right, qual_right) if qual_right else "",
    )


def _quantities(left: str, right: str) -> list[Difference]:
    """Quantities of a kind that differ: two values, or for ONE_SIDED kinds one side's."""
    found = []
    for kind, pattern in QUANTITIES.items():
        a = _values(pattern, left)
        b = _values(pattern, right)
        if a != b and ((a and b) or (kind in ONE_SIDED and (a or b))):
            found.append(Difference(kind, ", ".join(a), ", ".join(b)))
    return found


def _values(pattern: re.Pattern[str], text: str) -> list[str]:
    return sorted({" ".join(m.group().lower().split()) for m in pattern.finditer(text)})
