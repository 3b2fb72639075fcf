"""Typing errors in a Dutch question, read as the indexed word they are a keystroke or two
from ('trajcet' → 'traject', 'betaaltitl' → 'betaaltitel').

A word is only corrected when nothing else explains it: the index does not hold it (nor
its stem, nor its two parts as a compound), and it is not a Dutch word (wordfreq's
frequency list, in its wheel). 'voort' stays 'voort' even if no document uses it; only a
string no Dutch text uses is read as the nearest indexed word. Edit distance is
Damerau-Levenshtein (rapidfuzz): one edit for words up to 7 letters, two for longer ones,
and the first letter is taken as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from wordfreq import zipf_frequency

from bronwijzer.text.normalize import TOKEN_PATTERN, stopwords

_WORD = re.compile(TOKEN_PATTERN)
_QUESTION_WORD = re.compile(r"\b[^\W\d_]{5,}\b")  # letters only: no numbers, codes, 'Zvw-'
# Zipf frequency (log10 per billion words) from which a word counts as Dutch: once per
# hundred million words. Typing errors score 0; 'lumpsum' 1.0, 'voort' 4.7.
_DUTCH_ZIPF = 1.0


@dataclass(frozen=True)
class Correction:
    typed: str
    read_as: str


class Speller:
    """The words of the indexed texts, for reading a question's typing errors."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(_WORD.findall(text.lower()))
        self._counts = counts
        by_first: dict[str, list[str]] = {}
        for word in counts:
            by_first.setdefault(word[0], []).append(word)
        self._by_first = by_first
        zipf_frequency("betaaltitel", "nl")  # loads the Dutch word list now, not mid-question

    def corrections(self, suspects: list[str]) -> list[Correction]:
        """What to read each suspect word (see `suspects`) as; a word with no indexed word
        near enough is left out."""
        found: list[Correction] = []
        for typed in suspects:
            word = typed.lower()
            if word in self._counts:
                continue
            best = self._nearest(word)
            if best is not None:
                found.append(Correction(typed, best.capitalize() if typed[0].isupper() else best))
        return found

    def _nearest(self, word: str) -> str | None:
        limit = 1 if len(word) <= 7 else 2
        candidates = process.extract(
            word,
            self._by_first.get(word[0], []),
            scorer=DamerauLevenshtein.distance,
            score_cutoff=limit,
            limit=20,
        )
        if not candidates:
            return None
        # the fewest edits; then a real word over OCR debris ('betaaititel'); then the commonest
        best = min(
            candidates,
            key=lambda c: (c[1], zipf_frequency(c[0], "nl") == 0, -self._counts[c[0]], c[0]),
        )
        return str(best[0])


def suspects(question: str, known: Callable[[str], bool]) -> list[str]:
    """The words of a question that may be typing errors: not an abbreviation, not a
    stopword, not known to the index in any form (`known(word)`: its stem, its parts as a
    compound), and not a Dutch word. Cheap: it reads no indexed text."""
    return [
        typed
        for typed in dict.fromkeys(_QUESTION_WORD.findall(question))
        if not typed.isupper()
        and typed.lower() not in stopwords()
        and not known(typed.lower())
        and zipf_frequency(typed.lower(), "nl") < _DUTCH_ZIPF
    ]


def corrected(question: str, corrections: list[Correction]) -> str:
    """The question with each typing error replaced by what it is read as."""
    for c in corrections:
        question = re.sub(rf"\b{re.escape(c.typed)}\b", c.read_as, question)
    return question


def spelling_note(corrections: list[Correction]) -> str:
    """The line that tells the reader how the question was read ('' when as typed)."""
    if not corrections:
        return ""
    read = ", ".join(f"‘{c.typed}’ als ‘{c.read_as}’" for c in corrections)
    return f"Gelezen: {read}."
