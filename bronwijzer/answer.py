"""Extractive, grounded answers: the most relevant sentences, quoted and cited."""

from __future__ import annotations

from .evidence import EvidenceCheck, Sentence
from .settings import AnswerSettings
from .types import Citation, Passage

ABSTAIN_NL = "Dit staat niet (duidelijk) in de documenten."
ABSTAIN_EN = "The documents do not (clearly) answer this."


def should_abstain(check: EvidenceCheck, language: str, settings: AnswerSettings) -> bool:
    """Abstain when no passage carries the question, or nothing of the asked type is there."""
    if language == "en":
        # Dutch passages share few words with an English question: trust the dense score,
        # and demand the asked type (a number, a date, a name) among the top sentences.
        return check.dense_top < settings.min_dense_en or not check.typed_present
    if check.passage_coverage < settings.min_passage_coverage:
        return True
    return bool(check.expected) and check.typed_coverage < settings.min_typed_coverage


def select_sentences(
    sentences: list[Sentence], passages: list[Passage], settings: AnswerSettings
) -> list[Sentence]:
    """The best sentence overall, then the best sentence of each top passage not yet quoted.

    Quoting several passages rather than several sentences of one keeps the answer honest
    when the ranking is unsure which passage answers; a second document among the top
    passages always gets its best sentence in.
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
                passage=chunk.text,
                chunk_id=chunk.chunk_id,
            )
        )
    return citations


def _date_key(date: str) -> str:
    return date or "0000"


def compose(citations: list[Citation], language: str) -> str:
    """Answer text: evidence grouped per document, newest document first, with [n] markers."""
    by_doc: dict[str, list[Citation]] = {}
    for citation in citations:
        by_doc.setdefault(citation.doc_id, []).append(citation)
    ordered = list(by_doc.values())  # citations already come newest document first
    english = language == "en"
    lines = [
        "According to the documents (quoted in Dutch):" if english else "Volgens de documenten:"
    ]
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
    proposal = any(w in f"{oldest.status} {oldest.kind}".lower() for w in _PROPOSAL)
    if english:
        note = f"Note: the {new_name} ({newest.date}) is more recent than the {old_name}"
        note += f" ({oldest.date})"
        return note + (", which was a proposal, not a decision." if proposal else ".")
    note = f"Let op: {new_name} ({newest.date}) is recenter dan {old_name} ({oldest.date})"
    if proposal:
        return note + f"; {old_name} was een voorstel, geen besluit."
    return note + "; lees elk in zijn eigen context."


def abstention_text(language: str) -> str:
    if language == "en":
        return f"{ABSTAIN_EN} The closest passages are listed below."
    return f"{ABSTAIN_NL} De dichtstbijzijnde passages staan hieronder."
