"""The domain vocabulary (abbreviations, English terms, bodies, proposal statuses, condition
markers), read from one data file so that no code names a document or a body of the corpus.

The file is `bronwijzer/data/domain.toml`, shipped with the package.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bronwijzer.errors import BronwijzerError

DEFAULT_FILE = Path(__file__).parent.parent / "data" / "domain.toml"


@dataclass(frozen=True)
class Domain:
    abbreviations: dict[str, str]
    english: dict[str, str]
    laws: tuple[str, ...]
    agents: tuple[str, ...]
    proposal_status: tuple[str, ...]
    condition_markers: tuple[str, ...]
    condition_headings: tuple[str, ...]
    negations: frozenset[str]
    restrictions: frozenset[str]
    not_denying: tuple[str, ...]
    optional: frozenset[str]

    def is_proposal(self, status: str) -> bool:
        """Does a document's status say it decides nothing (advies, voorstel, concept)?"""
        folded = status.lower()
        return any(word in folded for word in self.proposal_status)

    @property
    def condition_pattern(self) -> re.Pattern[str]:
        return _alternation(self.condition_markers)

    @property
    def condition_heading_pattern(self) -> re.Pattern[str]:
        return _alternation(self.condition_headings, suffix=r"\w*")

    def expansions(
        self, question: str, language: str, known: Callable[[str], bool] = lambda _: False
    ) -> list[str]:
        """The document words for the question's abbreviations and, in an English question,
        its field terms ('ZV' → 'zorgverzekeraar', 'deductible' → 'eigen risico').

        An abbreviation the documents use themselves (`known`: 'NZa') is matched as it is;
        its long form would only add common words."""
        folded = question.lower()
        found: list[str] = []
        for short, long in self.abbreviations.items():
            text = folded if short.islower() else question
            if known(short):
                continue
            if re.search(rf"(?<![\w-]){re.escape(short)}(?:'?s)?(?![\w-])", text):
                found.append(long)
        if language == "en":
            # longest phrases first, each word of the question used once
            taken: list[tuple[int, int]] = []
            for phrase in sorted(self.english, key=lambda p: -len(p)):
                for match in re.finditer(rf"\b{re.escape(phrase)}\b", folded):
                    span = match.span()
                    if any(a < span[1] and span[0] < b for a, b in taken):
                        continue
                    taken.append(span)
                    found.append(self.english[phrase])
        return list(dict.fromkeys(found))


def _alternation(words: tuple[str, ...], suffix: str = "") -> re.Pattern[str]:
    body = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{body}){suffix}\b", re.I)


@cache
def load_domain(path: Path = DEFAULT_FILE) -> Domain:
    """The vocabulary in the data file; a clear error when it is missing or malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        conditions = data.get("conditions", {})
        return Domain(
            abbreviations={
                k if k.isupper() else k.lower(): str(v)
                for k, v in data.get("abbreviations", {}).items()
            },
            english={k.lower(): str(v) for k, v in data.get("english", {}).items()},
            laws=tuple(data.get("names", {}).get("laws", [])),
            agents=tuple(data.get("names", {}).get("agents", [])),
            proposal_status=tuple(
                w.lower() for w in data.get("documents", {}).get("proposal_status", [])
            ),
            condition_markers=tuple(conditions.get("markers", [])),
            condition_headings=tuple(conditions.get("headings", [])),
            negations=frozenset(data.get("verdict", {}).get("negations", [])),
            restrictions=frozenset(data.get("verdict", {}).get("restrictions", [])),
            not_denying=tuple(data.get("verdict", {}).get("not_denying", [])),
            optional=frozenset(conditions.get("optional", [])),
        )
    except (OSError, tomllib.TOMLDecodeError, AttributeError, TypeError) as exc:
        raise BronwijzerError(
            f"Het domeinbestand {path} is niet te lezen ({exc}). Herstel het, of zet de "
            "versie uit de installatie terug."
        ) from exc
