"""Whether to answer at all, and the asked fact read out of the leading sentence."""

from __future__ import annotations

import re

from bronwijzer.answering.answer_types import expected_types
from bronwijzer.answering.evidence import EvidenceCheck
from bronwijzer.answering.expressions import counted_terms, counts_of, typed_matches
from bronwijzer.retrieval.sentences import Sentence
from bronwijzer.settings_sections import AnswerSettings
from bronwijzer.text.normalize import FoldingStemmer

ABSTAIN_NL = "Dit staat niet (duidelijk) in de documenten."
ABSTAIN_EN = "The documents do not (clearly) answer this."


def should_abstain(check: EvidenceCheck, language: str, settings: AnswerSettings) -> bool:
    """Abstain when no passage carries the question, or nothing of the asked type is there,
    or the term a Dutch question is about occurs in no document, or none of its words does."""
    if language == "en":
        # Dutch passages share few words with an English question: trust the dense score,
        # and demand the asked type (a number, a date, a name) among the top sentences.
        return check.dense_top < settings.min_dense_en or not check.typed_present
    if check.unknown_term or check.topicless:
        return True
    if check.passage_coverage < settings.min_passage_coverage:
        return True
    if check.name_share < settings.min_name_share:
        return True
    return bool(check.expected) and check.typed_coverage < settings.min_typed_coverage


# Key-term coverage the best sentence needs before the lead reads an answer out of it.
_SURE_COVERAGE = 0.5
# Types read out into the lead as they are found. Names and agents are read only where
# the sentence makes them the actor (`_actors`): a sentence names many parties, and the
# one that answers 'wie' is the one that does the thing.
READ_OUT_TYPES = ("amount", "date", "time", "duration", "frequency", "article", "count", "share")
# The actor positions: the subject opening the sentence ('Het Zorginstituut duidt …'), or
# the agent of a passive ('… vastgesteld door het CIZ').
_ACTOR_BEFORE = re.compile(r"(^[\W\d]*(het|de)\s+|\bdoor\s+(het|de)\s+)$", re.I)


def lead(
    question: str,
    best: Sentence,
    number: int,
    language: str,
    stemmer: FoldingStemmer,
    unchecked: bool = False,
) -> str:
    """'Kort antwoord: …' for a factual question, read out of the leading sentence only, and
    only when it holds most of the question's key terms: the amount, date, period or count it
    asks for, or for 'wie' the organisation that acts in it; '' when nothing is read out.

    `unchecked`: no document uses the verb of the event whose date or amount is asked
    ('Wanneer stuurde de NZa …'), so no sentence can be seen to say it; no date or amount
    is read out ('mei' is when the NZa held its consultation, not when it sent anything).
    """
    if best.coverage < _SURE_COVERAGE:
        return ""
    short = "In short" if language == "en" else "Kort antwoord"
    kinds = [k for k in expected_types(question) if k in READ_OUT_TYPES]
    # a count is read with what it counts, a share is a share of the question's subject;
    # a date or an amount alone says nothing of which event or cost it belongs to
    if unchecked and not {"count", "share"} & set(kinds):
        kinds = []
    # a question asking two things ('Hoeveel reacties … en wanneer …') is read out only when
    # the sentence says both: "mei" alone would look like the whole answer
    if kinds and all(typed_matches(best.text, k, question) for k in kinds):
        found = _read_out(best.text, kinds, question, stemmer)
        if 1 <= len(found) <= 2:
            return f"{short}: {', '.join(found)} [{number}]"
    actors = _actors(best.text, question)
    return f"{short}: {actors[0]} [{number}]" if len(actors) == 1 else ""


# a unit alone says no time ('jaar' in 'elk jaar'): the time pattern finds it, the lead skips it
_BARE_UNITS = frozenset({"jaar", "jaren", "maand", "maanden", "year", "years"})


def _read_out(text: str, kinds: list[str], question: str, stemmer: FoldingStemmer) -> list[str]:
    """The expressions of the asked types in the lead sentence, as the first line reads them.

    For 'hoeveel X', a number followed by X is read with it ('drie weken'), and the other
    numbers of the sentence are left out ('… drie weken … vier open vragen'); with no number
    of X, no number is read.
    """
    matches = [
        m
        for kind in kinds
        for m in typed_matches(text, kind, question)
        if re.search(r"[1-9]|[a-z]", m.group(0), re.I)  # not OCR debris such as '00' for 'oo'
        and m.group(0).strip().lower() not in _BARE_UNITS
    ]
    nouns = counted_terms(question, stemmer) if "count" in kinds else set()
    with_noun = counts_of(text, nouns, stemmer, question) if nouns else []
    if with_noun:
        return with_noun
    if nouns:  # a number that counts something else says nothing ('segment 3' for 'how many')
        counts = {m.span() for m in typed_matches(text, "count", question)}
        matches = [m for m in matches if m.span() not in counts]
    return list(dict.fromkeys(m.group(0).strip() for m in matches))


def _actors(text: str, question: str) -> list[str]:
    """For a 'wie' or 'welke organisatie' question: the names in the sentence that stand
    where the actor stands ('Het Zorginstituut duidt …', '… door het CIZ'), not the names
    it only mentions ('Daartoe zal ik de Eerste en Tweede Kamer een voorhangbrief zenden').
    A name that starts a compound ('de NZa-beleidsregel') is a thing, not an actor."""
    kinds = [k for k in expected_types(question) if k in ("name", "party", "agent")]
    found = [
        m.group(0).strip()
        for kind in kinds
        for m in typed_matches(text, kind, question)
        if m.group(0)[:1].isupper()
        and _ACTOR_BEFORE.search(text[: m.start()])
        and not re.match(r"-[a-z]", text[m.end() : m.end() + 2])
    ]
    return list(dict.fromkeys(found))


def abstention_text(language: str, unknown_term: str = "", topicless: bool = False) -> str:
    if language == "en":
        return f"{ABSTAIN_EN} The closest passages are listed below."
    if unknown_term:
        return (
            f"{ABSTAIN_NL} De term ‘{unknown_term}’ komt in geen van de geïndexeerde "
            "documenten voor. De dichtstbijzijnde passages staan hieronder."
        )
    if topicless:
        return (
            f"{ABSTAIN_NL} De vraag noemt geen onderwerp dat in de documenten voorkomt: "
            "zeg waar uw vraag over gaat. De dichtstbijzijnde passages staan hieronder."
        )
    return f"{ABSTAIN_NL} De dichtstbijzijnde passages staan hieronder."
