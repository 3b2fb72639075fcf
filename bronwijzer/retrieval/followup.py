"""Follow-up questions: rewrite an elliptic question into one that stands on its own.

There is no language model, so the rewrite is deterministic and conservative. A question is
only treated as a follow-up when it shows it: it opens with a connective ('En ...', 'Ook
...', 'What about ...'), it leans on a pronoun that points back ('Geldt dat ...', 'Wie
betaalt dat?'), or it is a bare fragment ('De Wlz?'). Two rewrites cover these:

* extension: the follow-up only adds a scope ('En voor de Wlz?', 'Geldt dat ook voor de
  Wlz?'), so the previous question is repeated with that scope:
  'Geldt het eigen risico voor X ook voor de Wlz?';
* combination: otherwise the previous question and the follow-up are joined into one
  sentence, so that the pronoun now points inside it: 'Wat is X, en wie betaalt dat?'.

A question that stands on its own is returned unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bronwijzer.text.normalize import detect_language

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)

# Words that open a follow-up and carry no content of their own.
_CONNECTIVES = {"en", "maar", "ook", "of", "and", "but", "also", "or", "dan", "then"}
_PREPOSITIONS = {
    "voor", "bij", "in", "onder", "binnen", "buiten", "met", "zonder", "na", "vanaf", "tot",
    "tijdens", "over", "op", "van", "per", "volgens",
    "for", "to", "under", "within", "outside", "with", "without", "after", "from", "during",
    "on", "of", "according",
}  # fmt: skip
_QUESTION_WORDS = {
    "wat", "wie", "welke", "welk", "waarom", "wanneer", "hoe", "hoeveel", "waar", "waardoor",
    "waarvoor", "waarmee", "what", "who", "which", "why", "when", "how", "where", "whom",
}  # fmt: skip
# Verbs that open a yes/no question; after one of them the sentence usually ends in its
# subject, so a scope can simply be appended ('Geldt X ook voor de Wlz?').
_OPENING_VERBS = {
    "geldt", "gelden", "is", "zijn", "valt", "vallen", "telt", "tellen", "bestaat", "bestaan",
    "does", "do", "are", "applies", "apply",
}  # fmt: skip
# Pronouns that point back at the previous turn. 'dat'/'dit'/'die' also open clauses of
# their own ('Klopt het dat ...'), so those count only in a pointing position.
_POINTING = {"dat", "dit", "die", "that", "this", "those", "these"}
_ALWAYS_POINTING = {
    "hetzelfde", "daarvoor", "daarbij", "daarop", "daarvan", "daarover", "daarmee", "hiervoor",
    "hierbij", "hierop", "hiervan", "same",
}  # fmt: skip
# Words that may follow a pointing 'dat'/'dit' (as opposed to the conjunction 'dat').
_AFTER_ANAPHOR = _PREPOSITIONS | {
    "ook", "dan", "nog", "wel", "niet", "eigenlijk", "precies", "zo", "al", "in", "aan", "af",
    "uit", "mee", "toe", "door", "te", "also", "too", "apply", "applies", "mean", "cost",
}  # fmt: skip
# 'What about X?': the rest of the question is a scope, a noun phrase or a prepositional one.
_SCOPE_HEAD = re.compile(
    r"^(?:hoe\s+zit\s+(?:het|dat)(?:\s+(?:dan|ook))*\s+met|wat\s+betreft|what\s+about"
    r"|how\s+about|same\s+for)\b\s*",
    re.IGNORECASE,
)
# 'Geldt dat ook voor X?': the rest is a scope when it opens with a preposition.
_APPLIES_HEAD = re.compile(
    r"^(?:(?:geldt|gelden|is|zijn|werkt|telt|klopt)\s+(?:dat|dit|hetzelfde|die)"
    r"(?:\s+(?:dan|ook|nog|eveneens|zo))*"
    r"|(?:does|do|is)\s+(?:that|this)(?:\s+also)?(?:\s+(?:apply|true|hold))?"
    r"|(?:does|do)\s+it(?:\s+also)?\s+apply)\b\s*",
    re.IGNORECASE,
)
# Words that may open the second half of a joined question in lower case.
_LOWER_OK = _QUESTION_WORDS | _OPENING_VERBS | {
    "mag", "mogen", "kan", "kunnen", "moet", "moeten", "wordt", "worden", "heeft", "hebben",
    "komt", "gaat", "zal", "can", "may", "must", "should", "will", "would", "could", "has",
    "have", "de", "het", "een", "the", "a", "an", "er", "wij", "we", "ik", "u", "je", "zij",
    "hij", "welk", "voor", "bij", "in", "for",
}  # fmt: skip
_MAX_FOLLOW_UP_WORDS = 10
_MAX_SCOPE_WORDS = 7


@dataclass(frozen=True)
class Rewrite:
    """A question as asked and as it will be answered."""

    asked: str
    standalone: str

    @property
    def rewritten(self) -> bool:
        return self.standalone != self.asked


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _strip_question(text: str) -> str:
    return " ".join(text.split()).rstrip(" ?!.").strip()


def _points_back(words: list[str]) -> bool:
    """True when a pronoun in the question refers to something outside it."""
    for index, word in enumerate(words):
        nxt = words[index + 1] if index + 1 < len(words) else None
        if word in _ALWAYS_POINTING:
            return True
        if word in _POINTING:
            # 'Geldt dat ...' / 'Wie betaalt dat?' point back; 'Klopt het dat de NZa ...'
            # is a conjunction that opens a clause of its own.
            opens = index == 1 or (index == 2 and words[0] in _QUESTION_WORDS)
            if nxt is None or nxt in _AFTER_ANAPHOR or opens:
                return True
        if word == "it" and (nxt is None or nxt in _PREPOSITIONS):
            return True
    return False


def is_follow_up(question: str) -> bool:
    """Does this question lean on the previous one to be understood?"""
    words = _words(question)
    if not words:
        return False
    text = _strip_question(question)
    if words[0] in _CONNECTIVES or _SCOPE_HEAD.match(text) or _APPLIES_HEAD.match(text):
        return True
    if len(words) <= _MAX_FOLLOW_UP_WORDS and _points_back(words):
        return True
    if all(w in _QUESTION_WORDS for w in words):
        return True  # 'Waarom?'
    # A bare fragment ('De Wlz?', 'Voor gemeenten?') asks nothing by itself.
    return len(words) <= 3 and words[0] not in _QUESTION_WORDS | _OPENING_VERBS


def _drop_connectives(text: str) -> str:
    words = text.split()
    while words and words[0].lower().strip(",") in _CONNECTIVES:
        words.pop(0)
    return " ".join(words)


def _scope(body: str) -> str | None:
    """The scope a follow-up adds ('voor de Wlz'), or None when it asks something new."""
    rest = _scope_candidate(body)
    return rest if rest is not None and _reads_as_scope(_words(rest)) else None


def _scope_candidate(body: str) -> str | None:
    """What may be a scope: the rest after 'What about' or 'Geldt dat ook' (only when a
    preposition follows), or a short or prepositional fragment as a whole."""
    if head := _SCOPE_HEAD.match(body):
        return body[head.end() :]
    if head := _APPLIES_HEAD.match(body):
        rest = body[head.end() :]
        first = _words(rest)[0] if _words(rest) else ""
        if first not in _PREPOSITIONS and not re.search(r"\b(to|for)\s*$", head.group(0)):
            return None  # 'Is dat definitief?' asks something new about it
        return rest
    words = _words(body)
    if words and (words[0] in _PREPOSITIONS or len(words) <= 3):
        return body  # 'Voor de Wlz?', 'De Wlz?'
    return None


def _reads_as_scope(words: list[str]) -> bool:
    """A few words that ask nothing and point nowhere."""
    if not words or len(words) > _MAX_SCOPE_WORDS:
        return False
    if words[0] in _OPENING_VERBS or any(w in _QUESTION_WORDS for w in words):
        return False
    return not _points_back(words)


def _lower_first(text: str) -> str:
    """'Wie betaalt' -> 'wie betaalt' inside a sentence; names ('Wlz', 'NZa') stay as they are."""
    first = text.split()[0] if text.split() else ""
    return text[0].lower() + text[1:] if first.lower() in _LOWER_OK else text


def _join_scope(previous: str, scope: str, english: bool) -> str:
    scope = _lower_first(re.sub(r"^(ook|also|too)\s+", "", scope, flags=re.IGNORECASE))
    if _words(scope)[0] not in _PREPOSITIONS:
        scope = f"{'for' if english else 'voor'} {scope}"
    if english:
        return f"{previous}, also {scope}?"
    # After 'Geldt X' the subject closes the sentence, so the scope follows without a comma.
    separator = " " if _words(previous)[0] in _OPENING_VERBS else ", "
    return f"{previous}{separator}ook {scope}?"


def standalone_question(question: str, previous: str | None) -> str:
    """The question rewritten to stand on its own, given the previous (standalone) question."""
    asked = " ".join(question.split())
    if not previous or not _words(previous) or not is_follow_up(asked):
        return asked
    prior = _strip_question(previous)
    english = detect_language(prior) == "en"
    body = _drop_connectives(_strip_question(asked))
    if not _words(body):
        return prior + "?"
    scope = _scope(body)
    if scope:
        return _join_scope(prior, scope, english)
    return f"{prior}, {'and' if english else 'en'} {_lower_first(body)}?"


def rewrite(question: str, previous: str | None) -> Rewrite:
    """Pair the question as asked with the standalone form used for retrieval."""
    return Rewrite(" ".join(question.split()), standalone_question(question, previous))
