"""Questions about what a term means, on the real corpus with the real model."""

from __future__ import annotations

import re

import pytest

from bronwijzer.analysis.glossary import build_glossary
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.retrieval.definitions import DefinitionFinder, definitions_of
from bronwijzer.retrieval.term_question import defined_term, focus_term
from bronwijzer.text.normalize import sentence_spans

KAMERBRIEF = "kamerbrief-2023-11-29-tk-31765-836.txt"
NZA = "nza-verkenning-sectoroverstijgende-betaaltitel-2021.txt"


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Wat verstaat de NZa in haar verkenning onder een 'betaaltitel'?", "betaaltitel"),
        ("Wat wordt in de Kamerbrief bedoeld met het contractvereiste?", "contractvereiste"),
        ("Wat bedoelt de minister met hybride overleggen?", "hybride overleggen"),
        ("Wat houdt het contractvereiste in?", "contractvereiste"),
        (
            "Wat is volgens de NZa een sectoroverstijgende betaaltitel?",
            "sectoroverstijgende betaaltitel",
        ),
        ("What is meant by the contractvereiste?", "contractvereiste"),
        ("Welke voorwaarden stelt het contractvereiste?", ""),
        ("Geldt het eigen risico?", ""),
    ],
)
def test_defined_term(question: str, term: str) -> None:
    assert defined_term(question) == term


def test_focus_term_is_a_quoted_term_or_the_defined_one() -> None:
    assert focus_term("Wat zegt de brief over 'lumpsum' betalingen?") == "lumpsum"
    assert focus_term("Wat betekent contractvereiste?") == "contractvereiste"
    assert focus_term("Hoeveel reacties kwamen er?") == ""


def test_the_defining_passage_goes_first(corpus_kb: KnowledgeBase) -> None:
    # 'betaaltitel' is in nearly every passage: ranking alone does not find the definition.
    passages = corpus_kb.retrieve("Wat verstaat de NZa onder een betaaltitel?")
    assert "Met betaaltitel wordt bedoeld" in passages[0].chunk.text
    assert len(passages) == corpus_kb.settings.retrieval.top_k
    assert len({p.chunk.chunk_id for p in passages}) == len(passages)


def test_the_definition_is_quoted_whole_and_read_first(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer("Wat verstaat de NZa onder een betaaltitel?")
    assert not answer.abstained
    quoted = [c for c in answer.citations if "Met betaaltitel wordt bedoeld" in c.quote]
    assert quoted, [c.quote for c in answer.citations]
    # the footnote's line break ('Wet\n\nmarktordening') does not cut the sentence
    assert quoted[0].quote.endswith("met een prestatiebeschrijving.")
    assert quoted[0].quote in quoted[0].passage
    # read first: the answer opens with the definition, quoted as [1], before anything else
    assert quoted[0].number == 1 and quoted[0].role == "lead"
    assert answer.text.splitlines()[0] == f"“{' '.join(quoted[0].quote.split())}” [1]"


def test_a_blank_line_inside_a_sentence_does_not_end_it() -> None:
    text = (
        "Met X wordt bedoeld een prestatie op basis van de Wet\n\nmarktordening "
        "gezondheidszorg.\n\nVoorwaarden\n\nEr is ruimte.\n\n"
        "a) eerste punt\n\nb) tweede punt\n\nHet einde:\n\nvolgt nog."
    )
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Met X wordt bedoeld een prestatie op basis van de Wet\n\nmarktordening gezondheidszorg.",
        "Voorwaarden",
        "Er is ruimte.",
        "a) eerste punt",
        "b) tweede punt",
        "Het einde:",
        "volgt nog.",
    ]


def test_a_definition_outside_the_chosen_documents_is_not_brought_in(
    corpus_kb: KnowledgeBase,
) -> None:
    passages = corpus_kb.retrieve("Wat verstaat de NZa onder een betaaltitel?", [KAMERBRIEF])
    assert passages
    assert {p.chunk.doc.doc_id for p in passages} == {KAMERBRIEF}


@pytest.mark.parametrize(
    "question",
    [
        "Wat verstaat de Kamerbrief onder 'populatiebekostiging'?",
        "Wat zegt de NZa over 'capitatiebekostiging'?",
    ],
)
def test_a_term_no_document_uses_is_not_answered(corpus_kb: KnowledgeBase, question: str) -> None:
    answer = corpus_kb.answer(question)
    assert answer.abstained
    assert not answer.citations
    assert "komt in geen van de geïndexeerde documenten voor" in answer.text
    assert answer.passages  # the nearest passages are still shown


def test_a_quoted_term_the_documents_use_is_answered(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer("Wat wordt in de Kamerbrief bedoeld met het 'contractvereiste'?")
    assert not answer.abstained
    assert any("contractvereiste" in c.quote for c in answer.citations)


def test_the_definition_finder_finds_what_reading_every_chunk_finds(
    corpus_kb: KnowledgeBase,
) -> None:
    # The finder reads only the chunks where the term stands in a defining position; it
    # must miss none: every glossary term, every word and every two words before a verb
    # of the corpus are compared.
    chunks = corpus_kb.all_chunks()
    finder = DefinitionFinder(chunks)
    terms = {entry.term for entry in build_glossary(chunks)} | {"Wlz", "WIz"}
    for chunk in chunks:
        words = re.findall(r"\w+", chunk.text)
        terms.update(w.lower() for w in words if len(w) > 3)
        terms.update(
            f"{a} {b}"
            for a, b, verb in zip(words, words[1:], words[2:], strict=False)
            if verb in {"is", "zijn", "wordt", "worden", "betekent"}
        )
    defined = 0
    for term in sorted(terms):
        expected = definitions_of(term, chunks)
        assert finder.definitions(term) == expected, term
        defined += bool(expected)
    assert defined >= 5  # betaaltitel, contractvereiste, hybride overleggen, ...
    found = finder.definitions("Betaaltitel")
    assert [d.doc_id for d in found] == [NZA]
    assert "Met betaaltitel wordt bedoeld" in found[0].sentence
    assert len(finder.candidates("betaaltitel")) < len(chunks) / 10
