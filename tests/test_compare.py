"""Differences between the two real documents: aligned statements with general contrasts."""

from __future__ import annotations

import json

import pytest

from bronwijzer.analysis.compare import AlignedPair, compare
from bronwijzer.analysis.contrasts import differences, statements_of
from bronwijzer.errors import QuestionError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.types import Chunk, DocumentInfo
from tests.commands import run

KAMERBRIEF = "kamerbrief-2023-11-29-tk-31765-836.txt"
NZA = "nza-verkenning-sectoroverstijgende-betaaltitel-2021.txt"


def flagged(pairs: list[AlignedPair], right_has: str, kind: str | None = None) -> list[AlignedPair]:
    """Pairs whose right (NZa) statement contains the words and that carry a difference."""
    return [
        p
        for p in pairs
        if right_has in " ".join(p.right.text.lower().split())
        and any(kind is None or d.kind == kind for d in p.differences)
    ]


def test_end_date_none_versus_five_years(corpus_kb: KnowledgeBase) -> None:
    comparison = compare(corpus_kb, "Heeft de betaaltitel een einddatum of een beperkte looptijd?")
    assert (comparison.left.doc_id, comparison.right.doc_id) == (KAMERBRIEF, NZA)  # newer left
    pairs = flagged(comparison.pairs, "geen einddatum", "duur")
    assert pairs, comparison.pairs
    duration = next(d for d in pairs[0].differences if d.kind == "duur")
    assert duration.left == "vijf jaar" and duration.right == "geen einddatum"
    assert pairs[0].left.text in corpus_kb.retriever().chunks[pairs[0].left.chunk_id].text


def test_lump_sum_proposal_versus_decision(corpus_kb: KnowledgeBase) -> None:
    comparison = compare(corpus_kb, "Is lump sum bekostiging mogelijk?")
    assert flagged(comparison.pairs, "lump sum"), comparison.pairs


def test_coordination_excluded_versus_the_subject(corpus_kb: KnowledgeBase) -> None:
    comparison = compare(
        corpus_kb, "Vallen coördinatie en multidisciplinair overleg onder de betaaltitel?"
    )
    pairs = flagged(comparison.pairs, "multidisciplinair overleg", "ontkenning")
    assert pairs, comparison.pairs
    assert "overleg" in pairs[0].left.text  # the Kamerbrief's own passage on overleggen


def test_contrasts_are_general() -> None:
    kinds = {d.kind for d in differences("Er geldt geen einddatum.", "De looptijd is 3 jaar.")}
    assert kinds == {"ontkenning", "duur"}
    assert differences("Dit is niet uitgesloten.", "Dit is mogelijk.") == []  # double negation
    assert {d.kind for d in differences("Het tarief is 12%.", "Het tarief is 15%.")} == {
        "percentage"
    }


def test_flattened_table_rows_are_separate_statements() -> None:
    doc = DocumentInfo(doc_id="t.txt", title="t")
    chunk = Chunk(
        "c", doc, "Vrij tarief (zie bijlage) Geen einddatum Declaratie per patient", "", 0
    )
    texts = [chunk.text[a:b] for a, b in statements_of(chunk)]
    assert texts == ["Vrij tarief (zie bijlage)", "Geen einddatum", "Declaratie per patient"]


def test_compare_needs_two_known_documents(corpus_kb: KnowledgeBase) -> None:
    with pytest.raises(QuestionError):
        compare(corpus_kb, "Wat is de looptijd?", doc_ids=[KAMERBRIEF])


def test_cli_compare_json(corpus_index: Settings) -> None:
    question = "Heeft de betaaltitel een einddatum of een beperkte looptijd?"
    result = run(["-m", "bronwijzer", "compare", question, "--json"], corpus_index)
    assert result.returncode == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert [d["doc_id"] for d in comparison["documents"]] == [KAMERBRIEF, NZA]
    pair = comparison["pairs"][0]
    assert {"left", "right", "differences", "similarity"} <= set(pair)
    assert any(d["differences"] for d in comparison["pairs"])
