"""The answer a reader sees: the verdict or the asked fact first, the deciding sentence, the
conditions as a checklist, and what a proposal said under its own heading."""

from __future__ import annotations

from dataclasses import dataclass

from bronwijzer.answering.abstain import READ_OUT_TYPES
from bronwijzer.answering.abstain import lead as fact_line
from bronwijzer.answering.conditions import condition_sentences
from bronwijzer.answering.expressions import has_type
from bronwijzer.answering.question import Question
from bronwijzer.answering.shown import Shown, is_proposal, lead_sentence, show, supporting
from bronwijzer.answering.verdict import CONDITIONAL, read_verdict
from bronwijzer.retrieval.sentences import Sentence
from bronwijzer.retrieval.term_weights import TermWeights
from bronwijzer.settings_sections import AnswerSettings
from bronwijzer.text.domain import Domain
from bronwijzer.types import Chunk, Citation


@dataclass(frozen=True)
class Composed:
    text: str
    citations: list[Citation]
    verdict: str | None


def compose_answer(
    question: Question,
    sentences: list[Sentence],
    chunks: list[Chunk],
    terms: list[str],
    weights: TermWeights,
    domain: Domain,
    settings: AnswerSettings,
    defining: Sentence | None = None,
    unchecked: bool = False,
) -> Composed:
    """Choose what to show from the scored sentences (best first) and write it out."""
    lead = defining or lead_sentence(sentences, domain, question.asks_proposal)
    if defining is None and question.expected and not question.wants_verdict:
        lead = typed_lead(lead, sentences, question, domain)
    verdict, _ = read_verdict(question, lead, domain, settings.verdict_min_coverage)
    shown = [show(lead, "lead")]
    if not is_proposal(lead, domain) and (question.asks_conditions or verdict == CONDITIONAL):
        checklist = _conditions(lead, sentences, chunks, terms, weights, domain, shown, settings)
        if checklist and question.asks_conditions:
            verdict = CONDITIONAL  # the deciding document lists the conditions asked for
        shown += checklist
    proposals = settings.proposal_quotes + (1 if question.asks_proposal else 0)
    shown += supporting(
        sentences, shown, domain, settings.support_quotes, proposals, settings.support_min_share
    )
    shown += _continuation(lead, sentences, shown, domain, settings.continuation_quotes)
    shown += _other_documents(sentences, shown, domain, settings.min_second_document_coverage)
    # reading order: the lead, the checklist, the rest of the decision, then the proposal
    order = {"lead": 0, "condition": 1, "support": 2, "proposal": 3}
    shown.sort(key=lambda s: order[s.role])
    citations = [citation_of(n, s) for n, s in enumerate(shown, start=1)]
    english = question.language == "en"
    first = _first_line(question, verdict, lead, citations, domain, weights, unchecked)
    return Composed(_body(first, shown, citations, english), citations, verdict)


def typed_lead(
    lead: Sentence, sentences: list[Sentence], question: Question, domain: Domain
) -> Sentence:
    """For a factual question, the sentence that holds the asked type (a duration, a date, an
    article) and most of the question leads: 'De regeling geldt … voor vier jaar' for 'Hoe
    lang geldt de regeling?'. Among equals, a decision before a proposal, the newer first.
    A sentence that merely holds the type ('artikel 58') does not beat one that also holds
    the question ('artikel 10 … behoefte aan zorg')."""
    kinds = [k for k in question.expected if k in READ_OUT_TYPES]
    typed = [s for s in sentences if all(has_type(s.text, k, question.text) for k in kinds)]
    if not kinds or not typed:
        return lead
    best = max(
        typed,
        key=lambda s: (
            round(s.coverage, 6),
            not is_proposal(s, domain),
            s.chunk.doc.date,
            s.score,
        ),
    )
    top = max(s.coverage for s in sentences)
    return best if best.coverage >= TYPED_LEAD_SHARE * top else lead


# The share of the best key-term weight a sentence holding the asked type needs to lead
TYPED_LEAD_SHARE = 0.75


def _role(sentence: Sentence, domain: Domain) -> str:
    return "proposal" if is_proposal(sentence, domain) else "support"


def _continuation(
    lead: Sentence, sentences: list[Sentence], shown: list[Shown], domain: Domain, limit: int
) -> list[Shown]:
    """The best list item of the other chunk of the lead's passage: the lead's chunk often
    introduces what the list after it names ('Het ziekenhuis heeft meerdere projecten …'
    then '• COVID-thuis …'). Prose of the other chunk is shown only on its own merit."""
    out: list[Shown] = []
    for sentence in sentences:
        if len(out) >= limit:
            break
        if sentence.chunk != lead.chunk or sentence.piece_id == lead.piece_id:
            continue
        if not sentence.text.lstrip().startswith(_BULLETS):
            continue
        item = show(sentence, _role(sentence, domain))
        if not any(item.shares_context(s) or sentence.text in s.context for s in shown):
            out.append(item)
    return out


_BULLETS = ("•", "–", "-", "·", "*")


def _other_documents(
    sentences: list[Sentence], shown: list[Shown], domain: Domain, min_coverage: float
) -> list[Shown]:
    """A document among the top three passages that nothing shown comes from gets its best
    sentence in, when that holds enough of the question: a follow-up's own subject ('… ook
    voor de wijkverpleging?') may be answered in another document than the first."""
    docs = {s.sentence.chunk.doc.doc_id for s in shown}
    out: list[Shown] = []
    for sentence in sentences:
        doc = sentence.chunk.doc.doc_id
        if sentence.passage_rank >= 3 or doc in docs or sentence.coverage < min_coverage:
            continue
        docs.add(doc)
        out.append(show(sentence, _role(sentence, domain)))
    return out


def _conditions(
    lead: Sentence,
    sentences: list[Sentence],
    chunks: list[Chunk],
    terms: list[str],
    weights: TermWeights,
    domain: Domain,
    shown: list[Shown],
    settings: AnswerSettings,
) -> list[Shown]:
    found = condition_sentences(sentences, chunks, lead.chunk.doc.doc_id, terms, weights, domain)
    out: list[Shown] = []
    for sentence in found:
        item = Shown(sentence, sentence.start, sentence.end, "condition")
        if sentence.text in lead.text or any(
            item.shares_context(s) or sentence.text in s.context for s in [*shown, *out]
        ):
            continue
        out.append(item)
        if len(out) >= settings.max_conditions:
            break
    return out


def citation_of(number: int, shown: Shown) -> Citation:
    """The citation of a shown sentence: where it stands, its paragraph and its role."""
    sentence = shown.sentence
    chunk = sentence.chunk
    chunk_id, start, end = chunk.part_at(sentence.start)
    return Citation(
        number=number,
        doc_id=chunk.doc.doc_id,
        title=chunk.doc.title,
        date=chunk.doc.date,
        kind=chunk.doc.kind,
        status=chunk.doc.status,
        page=chunk.page_at(sentence.start),
        section=chunk.section,
        quote=sentence.text,
        passage=chunk.text[start:end],
        chunk_id=chunk_id,
        context=shown.context,
        role=shown.role,
    )


_VERDICT_WORDS = {
    "nl": {"ja": "Ja", "nee": "Nee", CONDITIONAL: "Ja, onder voorwaarden"},
    "en": {"ja": "Yes", "nee": "No", CONDITIONAL: "Yes, under conditions (onder voorwaarden)"},
}


def _source(citation: Citation) -> str:
    return ", ".join(x for x in (citation.kind or citation.title, citation.date) if x)


def _first_line(
    question: Question,
    verdict: str | None,
    lead: Sentence,
    citations: list[Citation],
    domain: Domain,
    weights: TermWeights,
    unchecked: bool,
) -> str:
    english = question.language == "en"
    top = citations[0]
    source = _source(top)
    proposal = domain.is_proposal(top.status)
    if verdict:
        said = _VERDICT_WORDS["en" if english else "nl"][verdict]
        if proposal:
            who = (
                f"According to the proposal ({source}"
                if english
                else f"Volgens het voorstel ({source}"
            )
            return f"{who}; {top.status}): {said.lower()} [1]."
        status = f"; {top.status}" if top.status else ""
        return f"{said} — {'according to the' if english else 'volgens de'} {source}{status} [1]."
    if question.wants_verdict:
        if english:
            return "The documents do not say this in so many words; most relevant: [1]."
        return "De documenten zeggen dit niet met zoveel woorden; het meest relevant is [1]."
    return fact_line(question.text, lead, 1, question.language, weights.stemmer, unchecked)


def _body(first: str, shown: list[Shown], citations: list[Citation], english: bool) -> str:
    lines = [first] if first else []
    lead_doc = citations[0].doc_id
    heading = ""
    for item, citation in zip(shown, citations, strict=True):
        quote = f"“{' '.join(citation.quote.split())}” [{citation.number}]"
        if item.role == "lead":
            lines.append(quote)
            continue
        if item.role == "condition":
            title = (
                f"Conditions ({_source(citation)}):"
                if english
                else f"Voorwaarden ({_source(citation)}):"
            )
        elif item.role == "proposal":
            status = f", {citation.status}" if citation.status else ""
            title = (
                f"Earlier proposal — {citation.title} ({citation.date}{status}):"
                if english
                else f"Eerder voorstel — {citation.title} ({citation.date}{status}):"
            )
        else:
            same = citation.doc_id == lead_doc
            title = (
                ("Also in the " if english else "Verder in de ") + _source(citation) + ":"
                if same
                else ("Also " if english else "Ook ") + _source(citation) + ":"
            )
        if title != heading:
            lines.append(title)
            heading = title
        lines.append(f"- {quote}")
    return "\n".join(lines)
