"""Where a text holds an expression of an answer type: the amounts, dates, counts … that a
question asks for and does not already say itself."""

from __future__ import annotations

import re

from bronwijzer.answering.answer_types import ANSWER_TYPES
from bronwijzer.text.normalize import WORD, FoldingStemmer, content_terms


def has_type(text: str, kind: str, question: str = "") -> bool:
    """Does the text hold an expression of this type that the question does not already say?"""
    return bool(typed_expressions(text, kind, question))


def typed_expressions(text: str, kind: str, question: str = "") -> list[str]:
    """The expressions of this type in the text that the question does not already say."""
    return [m.group(0).strip() for m in typed_matches(text, kind, question)]


def typed_matches(text: str, kind: str, question: str = "") -> list[re.Match[str]]:
    """Where the text holds an expression of this type that the question does not already
    say; the first place of each expression."""
    asked = {w.lower() for w in WORD.findall(question)}
    found: dict[str, re.Match[str]] = {}
    for match in ANSWER_TYPES[kind][1].finditer(text):
        if _numbers_a_note_or_item(text, match.start(), match.end()):
            continue
        words = {w.lower() for w in WORD.findall(match.group(0))}
        if not words or not words <= asked:
            found.setdefault(match.group(0).strip(), match)
    return list(found.values())


_LABEL_BEFORE = re.compile(
    r"\b(artikel|art\.|lid|segment|nr\.?|nummer|hoofdstuk|paragraaf|bijlage|fase|stap|"
    r"versie|kamerstuk(ken)?|article|section|chapter|step|phase|no\.)\s*(\d+\s+)?$",
    re.I,
)


def _numbers_a_note_or_item(text: str, start: int, end: int) -> bool:
    """Is the number at text[start:end] a footnote mark, a list number or a label ('artikel
    58'), not a quantity?

    A footnote mark is glued to the word or full stop before it ('breed getoetst.1 Door',
    '(IZA).1'); a list number opens its line and is followed by a full stop ('1. Bevoegdheid').
    """
    if not text[start : start + 1].isdigit():
        return False
    before = text[start - 1] if start else ""
    if before.isalpha() or before in ".,;:)]":
        return True
    if _LABEL_BEFORE.search(text[max(0, start - 20) : start]):
        return True  # 'artikel 58', 'segment 3', 'nr. 812': a label, not a quantity
    opens_line = not text[text.rfind("\n", 0, start) + 1 : start].strip()
    return opens_line and text[end : end + 2] in {". ", ".\n", "."}


# 'Hoeveel weken …', 'how many responses …': the words that say what is counted
_HOW_MANY = re.compile(r"\b(?:hoeveel|how many)\s+((?:\w+\s+){0,2}\w+)", re.I)


def counted_terms(question: str, stemmer: FoldingStemmer) -> set[str]:
    """The stems of what a 'hoeveel X' question counts ('weken', 'open vragen'); empty when
    it asks no count of something."""
    asked = _HOW_MANY.search(question)
    return set(content_terms(asked.group(1), stemmer)) if asked else set()


def counts_of(text: str, nouns: set[str], stemmer: FoldingStemmer, question: str = "") -> list[str]:
    """The counts of what is counted in the text: a number followed, within three words, by
    one of `nouns`, read with the words up to it ('drie weken', 'vier open vragen')."""
    found: list[str] = []
    for match in typed_matches(text, "count", question):
        after = list(WORD.finditer(text[match.end() : match.end() + 60]))[:3]
        hits = [i for i, w in enumerate(after) if set(content_terms(w.group(0), stemmer)) & nouns]
        if hits:
            words = text[match.end() : match.end() + after[max(hits)].end()]
            found.append(" ".join(f"{match.group(0)} {words}".split()))
    return list(dict.fromkeys(found))
