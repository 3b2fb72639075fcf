"""Clause view on the real corpus: every passage with the term, checked by a plain search."""

from __future__ import annotations

import json
import re

import pytest

from bronwijzer.analysis.clause import (
    TermMatcher,
    find_clause,
    highlight,
    to_json,
    to_markdown,
)
from bronwijzer.errors import QuestionError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.text.normalize import folded
from tests.commands import run


def squeeze(text: str) -> str:
    return re.sub(r"[\W_]", "", folded(text))


def plain_search(kb: KnowledgeBase, term: str) -> set[str]:
    """Chunk ids whose text contains the term, case-insensitively (whitespace collapsed)."""
    return {c.chunk_id for c in kb.all_chunks() if term.lower() in " ".join(c.text.lower().split())}


@pytest.mark.parametrize("term", ["contractvereiste", "eigen risico"])
def test_clause_finds_every_passage_a_plain_search_finds(
    corpus_kb: KnowledgeBase, term: str
) -> None:
    groups = find_clause(term, corpus_kb.all_chunks(), corpus_kb.documents())
    found = {hit.chunk.chunk_id for g in groups for hit in g.hits}
    expected = plain_search(corpus_kb, term)
    assert expected, "the term must occur in the corpus"
    assert expected <= found
    # Both documents bear on both terms, and each hit highlights the term itself.
    assert len(groups) == 2
    for group in groups:
        for hit in group.hits:
            assert all(squeeze(term) in squeeze(m) for m in hit.matched())


@pytest.mark.parametrize("term", ["contractvereiste", "eigen risico"])
def test_clause_counts_every_occurrence_in_the_source_files(
    corpus_index: Settings, corpus_kb: KnowledgeBase, term: str
) -> None:
    """A plain search of the corpus files themselves (any whitespace between the words)."""
    groups = find_clause(term, corpus_kb.all_chunks(), corpus_kb.documents())
    assert len(groups) == 2
    for group in groups:
        raw = (corpus_index.corpus_dir / group.doc.doc_id).read_text(encoding="utf-8")
        pattern = r"\s+".join(re.escape(w) for w in term.split())
        in_file = len(re.findall(pattern, raw, flags=re.IGNORECASE))
        assert in_file > 0
        assert sum(len(hit.spans) for hit in group.hits) >= in_file


def test_clause_groups_per_document_in_reading_order(corpus_kb: KnowledgeBase) -> None:
    documents = corpus_kb.documents()
    groups = find_clause("betaaltitel", corpus_kb.all_chunks(), documents)
    assert [g.doc.doc_id for g in groups] == [d.doc_id for d in documents]
    for group in groups:
        orders = [hit.chunk.order for hit in group.hits]
        assert orders == sorted(orders)
        assert all(hit.page in hit.chunk.pages for hit in group.hits)


def test_clause_matches_ocr_variants_and_inflections() -> None:
    text = "De WIz en de Wlz-zorg; twee contractvereisten; het Eigen-Risico; bijwerken."
    assert [text[a:b] for a, b in TermMatcher("Wlz").spans(text)] == ["WIz", "Wlz"]
    assert [text[a:b] for a, b in TermMatcher("contractvereiste").spans(text)] == [
        "contractvereisten"
    ]
    assert [text[a:b] for a, b in TermMatcher("eigen risico").spans(text)] == ["Eigen-Risico"]
    assert TermMatcher("Jw").spans(text) == []  # not inside 'bijwerken'
    with pytest.raises(QuestionError):
        TermMatcher(" -- ")


def test_clause_markdown_and_json(corpus_kb: KnowledgeBase) -> None:
    groups = find_clause("Wmg", corpus_kb.all_chunks(), corpus_kb.documents())
    markdown = to_markdown("Wmg", groups)
    assert markdown.startswith("# Clausule: Wmg")
    assert "**Wmg**" in markdown and "p. " in markdown
    rows = to_json(groups)
    assert rows and {"doc", "page", "section", "text"} <= set(rows[0])
    assert highlight("ab", [(0, 1)], "[", "]") == "[a]b"


def test_cli_clause_json(corpus_index: Settings) -> None:
    result = run(["-m", "bronwijzer", "clause", "contractvereiste", "--json"], corpus_index)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["doc"] for r in rows} == {
        "kamerbrief-2023-11-29-tk-31765-836.txt",
        "nza-verkenning-sectoroverstijgende-betaaltitel-2021.txt",
    }
    assert all("contractvereiste" in r["text"].lower() for r in rows)
