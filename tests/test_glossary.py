"""Glossary extracted from the real corpus: entries with a cited defining passage."""

from __future__ import annotations

import json

import pytest

from bronwijzer.analysis.glossary import GlossaryEntry, build_glossary, lookup
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.retrieval.definitions import expansion_before
from bronwijzer.settings import Settings
from tests.commands import run

KAMERBRIEF = "kamerbrief-2023-11-29-tk-31765-836.txt"
NZA = "nza-verkenning-sectoroverstijgende-betaaltitel-2021.txt"


@pytest.fixture(scope="module")
def corpus_glossary(corpus_kb: KnowledgeBase) -> list[GlossaryEntry]:
    return build_glossary(corpus_kb.all_chunks())


@pytest.mark.parametrize(
    ("term", "expansion"),
    [
        ("Zvw", "Zorgverzekeringswet"),
        ("Wlz", "Wet langdurige zorg"),
        ("Wmg", "Wet marktordening gezondheidszorg"),
        ("Wmo", "Wet maatschappelijke ondersteuning 2015"),
        ("NZa", "Nederlandse Zorgautoriteit"),
        ("betaaltitel", ""),
    ],
)
def test_glossary_entry_cites_its_defining_passage(
    corpus_glossary: list[GlossaryEntry], corpus_kb: KnowledgeBase, term: str, expansion: str
) -> None:
    entry = lookup(corpus_glossary, term)
    assert entry is not None, term
    assert entry.term == term and entry.expansion == expansion
    definition = entry.definition
    chunk = next(c for c in corpus_kb.all_chunks() if c.chunk_id == definition.chunk_id)
    assert definition.sentence in chunk.text  # an exact quote from the cited passage
    assert definition.page in chunk.pages
    assert term.lower() in definition.sentence.lower()
    if expansion:
        assert f"{expansion} ({term})" in " ".join(definition.sentence.split())
    assert len(entry.uses) >= 1


def test_betaaltitel_is_defined_by_the_nza_footnote(corpus_glossary: list[GlossaryEntry]) -> None:
    entry = lookup(corpus_glossary, "betaaltitel")
    assert entry is not None
    assert entry.definition.pattern == "definitie" and entry.definition.doc_id == NZA
    assert "Met betaaltitel wordt bedoeld" in entry.definition.sentence
    assert {u.doc_id for u in entry.uses} == {KAMERBRIEF, NZA}


def test_ocr_spelling_is_one_entry(corpus_glossary: list[GlossaryEntry]) -> None:
    entry = lookup(corpus_glossary, "WIz")  # OCR of 'Wlz' in the NZa scan
    assert entry is not None and entry.term == "Wlz"
    assert {u.doc_id for u in entry.uses} == {KAMERBRIEF, NZA}
    assert {d.doc_id for d in entry.definitions} == {KAMERBRIEF, NZA}


def test_a_new_document_extends_the_glossary(corpus_kb: KnowledgeBase) -> None:
    chunks = corpus_kb.all_chunks()
    before = build_glossary([c for c in chunks if c.doc.doc_id == NZA])
    after = build_glossary(chunks)
    assert lookup(before, "Wmg") is None
    entry = lookup(after, "Wmg")
    assert entry is not None and entry.definition.doc_id == KAMERBRIEF


def test_expansion_needs_the_letters_in_order() -> None:
    assert expansion_before("de Zvw en de Wet marktordening gezondheidszorg ", "Wmg") == (
        "Wet marktordening gezondheidszorg"
    )
    assert expansion_before("in de regio ", "Wmg") == ""


def test_cli_glossary_json(corpus_index: Settings) -> None:
    result = run(["-m", "bronwijzer", "glossary", "--json"], corpus_index)
    assert result.returncode == 0, result.stderr
    entries = {e["term"]: e for e in json.loads(result.stdout)}
    assert {"Zvw", "Wlz", "Wmg", "Wmo", "betaaltitel"} <= set(entries)
    definition = entries["Wmo"]["definition"]
    assert definition["doc"] == KAMERBRIEF and definition["page"] >= 1
    assert "(Wmo)" in definition["text"] and entries["Wmo"]["uses"]
