"""Extractive, grounded answers: the most relevant sentences, quoted and cited."""

from __future__ import annotations

import re

from .evidence import (
    EvidenceCheck,
    Sentence,
    asks_yes_no,
    counted_terms,
    counts_of,
    expected_types,
    typed_matches,
)
from .settings import AnswerSettings
from .textnorm import WORD, FoldingStemmer, content_terms, stopwords
from .types import Citation, Passage

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


def select_sentences(
    sentences: list[Sentence], passages: list[Passage], settings: AnswerSettings
) -> list[Sentence]:
    """The best sentence overall, then the best sentence of each top passage not yet quoted.

    Quoting several passages rather than several sentences of one keeps the answer honest
    when the ranking is unsure which passage answers. A passage joined with a neighbouring
    chunk holds two chunks: the best sentence of the one not yet quoted may come in as
    well (`continuation_quotes`), since a heading's chunk often wins the passage's quote
    while the answer is the list after it. A second document among the top passages always
    gets its best sentence in.
    """
    if not sentences:
        return []
    ranked = sorted(sentences, key=lambda s: -s.score)
    chosen: list[Sentence] = [ranked[0]]
    used = {ranked[0].chunk.chunk_id}
    for rank in range(len(passages)):
        if len(chosen) >= settings.max_sentences:
            break
        best = next((s for s in ranked if s.passage_rank == rank), None)
        if best is not None and best.chunk.chunk_id not in used:
            chosen.append(best)
            used.add(best.chunk.chunk_id)
    pieces = {s.piece_id for s in chosen}
    extra = [s for s in ranked if s.chunk.chunk_id in used and s.piece_id not in pieces]
    for sentence in extra[: settings.continuation_quotes]:
        chosen.append(sentence)
    top_docs = {p.chunk.doc.doc_id for p in passages[:3]}
    chosen_docs = {s.chunk.doc.doc_id for s in chosen}
    for doc_id in sorted(top_docs - chosen_docs):
        best = next((s for s in ranked if s.chunk.doc.doc_id == doc_id), None)
        if best is not None and best.coverage >= settings.min_second_document_coverage:
            chosen.append(best)
    return chosen


def to_citations(chosen: list[Sentence]) -> list[Citation]:
    """Numbered citations in reading order: per document, newest document first."""
    first_seen = {s.chunk.doc.doc_id: i for i, s in reversed(list(enumerate(chosen)))}
    reading = sorted(
        chosen,
        key=lambda s: (_date_key(s.chunk.doc.date), -first_seen[s.chunk.doc.doc_id]),
        reverse=True,
    )
    citations = []
    for number, sentence in enumerate(reading, start=1):
        chunk = sentence.chunk
        # The indexed chunk that holds the quote, also when the passage ran on into the next
        chunk_id, start, end = chunk.part_at(sentence.start)
        citations.append(
            Citation(
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
            )
        )
    return citations


def _date_key(date: str) -> str:
    return date or "0000"


_NEGATIONS = {"geen", "niet", "nooit", "not", "no", "never"}
_CONDITIONS = re.compile(
    r"\b(voorwaarde\w*|mits|indien|alleen als|alleen wanneer|vereist\w*|"
    r"conditions?|provided that|only if|required|requirement)\b",
    re.I,
)
# Key-term coverage the best sentence needs before the lead reads an answer out of it.
_SURE_COVERAGE = 0.5
# Types read out into the lead as they are found. Names and agents are read only where
# the sentence makes them the actor (`_actors`): a sentence names many parties, and the
# one that answers 'wie' is the one that does the thing.
_READ_OUT_TYPES = ("amount", "date", "time", "duration", "frequency", "article", "count", "share")
# The actor positions: the subject opening the sentence ('Het Zorginstituut duidt …'), or
# the agent of a passive ('… vastgesteld door het CIZ').
_ACTOR_BEFORE = re.compile(r"(^[\W\d]*(het|de)\s+|\bdoor\s+(het|de)\s+)$", re.I)


def _negated_terms(sentence: str, question: str, stemmer: FoldingStemmer) -> str | None:
    """The words of the sentence that deny something the question asks about, if any.

    Only a negation right before one of the question's own key terms counts ('geen eigen
    risico' for 'Geldt het eigen risico?'); a question that itself negates is left alone.
    """
    asked_words = [w.lower() for w in WORD.findall(question)]
    if _NEGATIONS & set(asked_words):
        return None
    asked = set(stemmer.stemWords([w for w in asked_words if w not in stopwords()]))
    words = WORD.findall(sentence)
    for i, word in enumerate(words):
        if word.lower() not in _NEGATIONS:
            continue
        for j in range(i + 1, min(i + 4, len(words))):  # skip up to two stopwords
            following = words[j].lower()
            if following in stopwords():
                continue
            end = j
            while end < len(words) and stemmer.stem(words[end].lower()) in asked:
                end += 1
            if end > j:
                return " ".join(words[i:end])
            break
    return None


def lead(
    question: str,
    chosen: list[Sentence],
    citations: list[Citation],
    language: str,
    stemmer: FoldingStemmer,
    first_answers: bool = False,
    unchecked: bool = False,
) -> str:
    """The first line of an answer: what the question asks for, pointing at its citation.

    `first_answers`: the first chosen sentence is known to answer (a definition), so it is
    the one read, whatever else holds the question's words.
    `unchecked`: no document uses the verb of the event whose date or amount is asked
    ('Wanneer stuurde de NZa …'), so no sentence can be seen to say it; no date or amount
    is read out ('mei' is when the NZa held its consultation, not when it sent anything).

    Only the best sentence is read, and only when it holds most of the question's key terms:
    a factual question gets the amount, date, period or count it asks for; a yes/no question gets
    'nee' where that sentence explicitly denies the asked thing. No 'ja' is ever inferred
    (an extractive answer cannot see a permission that is not written). Otherwise the line
    only says which citation is most relevant and which ones state conditions.
    """
    if not chosen or not citations:
        return ""
    english = language == "en"
    best = chosen[0] if first_answers else _lead_sentence(chosen)
    key = (best.piece_id, best.text)
    number = {(c.chunk_id, c.quote): c.number for c in citations}[key]
    sure = best.coverage >= _SURE_COVERAGE
    short = "In short" if english else "Kort antwoord"
    doc = best.chunk.doc
    if _is_proposal(doc.status, doc.kind) and any(
        not _is_proposal(c.status, c.kind) for c in citations
    ):
        # read from a proposal while a decision is cited too: say whose answer it is (the
        # last line of the answer says that it was a proposal)
        kind, date = doc.kind or doc.title, doc.date or "?"
        short += f" according to the {kind} ({date})" if english else f" volgens de {kind} ({date})"
    kinds = [k for k in expected_types(question) if k in _READ_OUT_TYPES]
    # a count is read with what it counts, a share is a share of the question's subject;
    # a date or an amount alone says nothing of which event or cost it belongs to
    if unchecked and not {"count", "share"} & set(kinds):
        kinds = []
    # a question asking two things ('Hoeveel reacties … en wanneer …') is read out only when
    # the sentence says both: "mei" alone would look like the whole answer
    if sure and kinds and all(typed_matches(best.text, k, question) for k in kinds):
        found = _read_out(best.text, kinds, question, stemmer)
        if 1 <= len(found) <= 2:
            return f"{short}: {', '.join(found)} [{number}]"
    actors = _actors(best.text, question) if sure else []
    if len(actors) == 1:
        return f"{short}: {actors[0]} [{number}]"
    parts = []
    denied = _negated_terms(best.text, question, stemmer) if sure else None
    if denied and _decision_says_otherwise(best, chosen, denied, stemmer):
        denied = None
    if denied and asks_yes_no(question):
        parts.append(f"{short}: {'no' if english else 'nee'} (“{denied}”) [{number}]")
    elif len(citations) > 1:
        parts.append(f"Most relevant: [{number}]" if english else f"Meest relevant: [{number}]")
    conditions = [c.number for c in citations if _CONDITIONS.search(c.quote)]
    if conditions and (asks_yes_no(question) or _CONDITIONS.search(question)):
        refs = ", ".join(f"[{n}]" for n in conditions)
        parts.append(f"conditions: {refs}" if english else f"voorwaarden: {refs}")
    return "; ".join(parts) + ("." if parts else "")


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


def _decision_says_otherwise(
    best: Sentence, chosen: list[Sentence], denied: str, stemmer: FoldingStemmer
) -> bool:
    """Is the denial read from a proposal while a quoted decision uses the denied terms
    without denying them? 'Vanzelfsprekend valt WIz-zorg ook niet in de risicoverevening'
    (verkenning, 2021) is no 'nee' to 'Valt de afstemming onder de risicoverevening?' when
    the Kamerbrief says the costs 'kunnen worden ingebracht in de risicoverevening'."""
    if not _is_proposal(best.chunk.doc.status, best.chunk.doc.kind):
        return False
    terms = set(content_terms(denied, stemmer))
    for sentence in chosen:
        if _is_proposal(sentence.chunk.doc.status, sentence.chunk.doc.kind):
            continue
        words = [w.lower() for w in WORD.findall(sentence.text)]
        if terms <= set(stemmer.stemWords(words)) and not _NEGATIONS & set(words):
            return True
    return False


def _lead_sentence(chosen: list[Sentence]) -> Sentence:
    """The sentence the first line reads: the best one, unless a sentence that holds at least
    as much of the question comes from a decision rather than a proposal, or from a newer
    document (the 2023 Kamerbrief decides what the 2021 exploration proposed)."""
    best = chosen[0]
    if best.coverage <= 0:  # an English question: no sentence holds its words
        return best
    level = [s for s in chosen if s.coverage >= best.coverage]
    return max(
        level,
        key=lambda s: (
            not _is_proposal(s.chunk.doc.status, s.chunk.doc.kind),
            _date_key(s.chunk.doc.date),
        ),
    )


def _is_proposal(status: str, kind: str) -> bool:
    return any(w in f"{status} {kind}".lower() for w in _PROPOSAL)


def compose(citations: list[Citation], language: str, first_line: str = "") -> str:
    """Answer text: evidence grouped per document, newest document first, with [n] markers."""
    by_doc: dict[str, list[Citation]] = {}
    for citation in citations:
        by_doc.setdefault(citation.doc_id, []).append(citation)
    ordered = list(by_doc.values())  # citations already come newest document first
    english = language == "en"
    lines = [first_line] if first_line else []
    lines.append(
        "According to the documents (quoted in Dutch):" if english else "Volgens de documenten:"
    )
    for group in ordered:
        first = group[0]
        source = ", ".join(x for x in (first.kind or first.title, first.date) if x)
        if first.status:
            source += f"; {first.status}"
        lines.append(f"- {source}:")
        lines.extend(f"    - “{' '.join(c.quote.split())}” [{c.number}]" for c in group)
    if len(ordered) > 1:
        lines.append(_recency_note(ordered[0][0], ordered[-1][0], english))
    return "\n".join(lines)


_PROPOSAL = ("voorstel", "advies", "concept", "verkenning", "proposal", "draft")


def _recency_note(newest: Citation, oldest: Citation, english: bool) -> str:
    """Which source is newer, and whether the older one was only a proposal."""
    new_name, old_name = newest.kind or newest.title, oldest.kind or oldest.title
    proposal = _is_proposal(oldest.status, oldest.kind)
    if english:
        note = f"Note: the {new_name} ({newest.date}) is more recent than the {old_name}"
        note += f" ({oldest.date})"
        return note + (", which was a proposal, not a decision." if proposal else ".")
    note = f"Let op: {new_name} ({newest.date}) is recenter dan {old_name} ({oldest.date})"
    if proposal:
        return note + f"; {old_name} was een voorstel, geen besluit."
    return note + "; lees elk in zijn eigen context."


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
