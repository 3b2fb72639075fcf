"""The term a question is about: quoted (‘betaaltitel’), or asked the meaning of ('Wat
wordt verstaan onder populatiebekostiging?')."""

from __future__ import annotations

import re

# Questions that ask what a term means. The term is what follows the marker, up to the
# question mark; a quoted term ('betaaltitel') wins. 'Wat is X' only counts when X is the
# whole rest of the question: 'Wat is de looptijd van de betaaltitel?' asks for a period.
_ARTICLE = r"(?:(?:een|de|het|a|an|the)\s+)?"
_DEFINITION_QUESTION = re.compile(
    r"^(?:wat\s+(?:verstaa?t|verstaan|bedoelt|bedoelen)\b.*?\b(?:onder|met)\s+"
    r"|wat\s+(?:wordt|worden)\b.*?\b(?:bedoeld|verstaan)\s+(?:met|onder)\s+"
    r"|wat\s+(?:betekent|betekenen|houdt)\s+"
    r"|wat\s+(?:is|zijn)\s+"
    r"|what\s+(?:is|are)\s+meant\s+by\s+"
    r"|what\s+(?:does|do)\b.*?\bmean\s+by\s+"
    r"|what\s+(?:is|are)\s+)" + _ARTICLE + r"(?P<term>[^?]{2,80}?)(?:\s+in)?\s*\??\s*$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"['‘’\"“”](?P<term>[^'‘’\"“”]{2,60})['‘’\"“”]")
# 'volgens de NZa een X', 'in de Kamerbrief het X': who says it, then the term
_QUALIFIER = re.compile(
    r"^(?:volgens|in|bij|according\s+to)\s+(?:(?:de|het|haar|zijn|the)\s+)?\S+(?:\s+\S+){0,3}?"
    r"\s+(?:een|de|het|a|an|the)\s+",
    re.I,
)


def defined_term(question: str) -> str:
    """The term a 'what does X mean' question asks about, or '' for any other question."""
    match = _DEFINITION_QUESTION.match(question.strip())
    if not match:
        return ""
    quoted = _QUOTED.search(question)
    return _tidy(quoted["term"] if quoted else _QUALIFIER.sub("", match["term"]))


def focus_term(question: str) -> str:
    """The term a question is about when it says so: quoted, or asked the meaning of."""
    quoted = _QUOTED.search(question)
    return _tidy(quoted["term"]) if quoted else defined_term(question)


def _tidy(term: str) -> str:
    return " ".join(term.strip(" '‘’\"“”.,").split())
