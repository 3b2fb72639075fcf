"""The verdict of a yes/no question, read from the sentence that answers it, never inferred
beyond it: 'Nee' where it denies, 'Ja' where it states, 'Ja, onder voorwaarden' where it
allows under a condition; none where no sentence holds enough of the question."""

from __future__ import annotations

from bronwijzer.answering.question import Question
from bronwijzer.retrieval.sentences import Sentence
from bronwijzer.text.domain import Domain
from bronwijzer.text.normalize import WORD

JA, NEE, CONDITIONAL = "ja", "nee", "onder voorwaarden"


def denies(text: str, domain: Domain) -> str | None:
    """The denying words of a sentence ('geen eigen risico'), unless what is denied is a
    restriction ('geen beperkingen': that allows)."""
    folded = text.lower()
    for phrase in domain.not_denying:
        folded = folded.replace(phrase, " ")
    words = WORD.findall(folded)
    for i, word in enumerate(words):
        if word.lower() not in domain.negations:
            continue
        following = [w.lower() for w in words[i + 1 : i + 4]]
        if domain.restrictions & set(following):
            continue
        return " ".join(words[i : i + 3])
    return None


def read_verdict(
    question: Question, lead: Sentence, domain: Domain, min_coverage: float
) -> tuple[str | None, str]:
    """(verdict, the words it rests on); (None, '') when the lead sentence does not hold
    enough of the question to be read as its answer."""
    if not question.wants_verdict or lead.coverage < min_coverage:
        return None, ""
    if question.negated:
        # 'Is er geen eigen risico?': a 'ja' or 'nee' would have to be read the other way
        # round; no verdict rather than a wrong one
        return None, ""
    text = lead.text
    denied = denies(text, domain)
    condition = domain.condition_pattern.search(text)
    if question.asks_conditions:
        return (CONDITIONAL, condition.group(0)) if condition else (None, "")
    if denied:
        return NEE, denied
    if question.obligation:
        # 'Moet er een contract zijn?': 'moet' says yes; 'kan bijvoorbeeld' says it need not
        if condition:
            return JA, condition.group(0)
        optional = domain.optional & {w.lower() for w in WORD.findall(text)}
        return (NEE, sorted(optional)[0]) if optional else (None, "")
    if condition:
        return CONDITIONAL, condition.group(0)
    return JA, ""
