"""Markdown export of an answer with its citations."""

from __future__ import annotations

from bronwijzer.answering.export import answer_markdown, escape_markdown
from bronwijzer.types import Answer, Chunk, Citation, DocumentInfo, Passage


def test_answer_exports_question_answer_and_every_citation() -> None:
    cite = Citation(
        number=1,
        doc_id="brief.txt",
        title="Kamerbrief *afstemming*",
        date="2023-11-29",
        kind="Kamerbrief",
        status="definitief",
        page=4,
        section="Eigen risico",
        quote="Er geldt geen eigen risico voor $100.",
        passage="...",
        chunk_id="c1",
        context="Zo is besloten. Er geldt geen eigen risico voor $100. Dat blijft zo.",
        role="lead",
    )
    other = Citation(
        number=2,
        doc_id="advies.txt",
        title="Advies",
        date="2021",
        kind="verkenning",
        status="advies (voorstel, geen besluit)",
        page=1,
        section="",
        quote="Het eigen risico geldt_ook.",
        passage="...",
        chunk_id="c2",
        role="proposal",
    )
    answer = Answer(
        question="Geldt het eigen risico ook voor de Wlz?",
        text=(
            "Nee — volgens de Kamerbrief, 2023-11-29; definitief [1].\n"
            "“Er geldt geen eigen risico voor $100.” [1]\n"
            "Eerder voorstel — Advies (2021, advies (voorstel, geen besluit)):\n"
            "- “Het eigen risico geldt_ook.” [2]"
        ),
        abstained=False,
        citations=[cite, other],
        settings_hash="abc",
        generation="g7",
        verdict="nee",
    )
    text = answer_markdown(answer, asked="En voor de Wlz?")
    assert text.startswith("# Vraag\n\nEn voor de Wlz?")
    assert "*Gelezen als:* Geldt het eigen risico ook voor de Wlz?" in text
    lines = text.splitlines()
    # the answer's lines, literal: the verdict, the quote, the proposal's heading and item
    assert "Nee — volgens de Kamerbrief, 2023-11-29; definitief \\[1\\]." in lines
    assert "“Er geldt geen eigen risico voor \\$100.” \\[1\\]" in lines
    assert "Eerder voorstel — Advies (2021, advies (voorstel, geen besluit)):" in lines
    assert "- “Het eigen risico geldt\\_ook.” \\[2\\]" in lines
    assert "1. Kamerbrief \\*afstemming\\*, 2023-11-29, p. 4, § Eigen risico" in lines
    # each source: the stretch of its paragraph, the quoted sentence in bold within it
    assert (
        "   > Zo is besloten. **Er geldt geen eigen risico voor \\$100.** Dat blijft zo." in lines
    )
    assert "   > **Het eigen risico geldt\\_ook.**" in lines  # no context: the quote alone
    assert lines.index("2. Advies, 2021, p. 1") > lines.index("## Bronnen")
    assert "index g7 · instellingen abc" in text


def test_abstention_exports_the_nearest_passages() -> None:
    doc = DocumentInfo(doc_id="a.md", title="Beleidsregel", date="2024")
    chunk = Chunk(chunk_id="c", doc=doc, text="Een passage\nover iets.", section="Doel", order=0)
    answer = Answer(
        question="Wat kost parkeren?",
        text="Dit staat niet in de documenten.",
        abstained=True,
        passages=[Passage(chunk, 0.5)],
    )
    text = answer_markdown(answer)
    assert "**Niet gevonden in de documenten.**" in text
    assert "## Dichtstbijzijnde passages" in text
    assert "1. Beleidsregel (2024), p. 1, § Doel" in text
    assert "> Een passage over iets." in text
    assert "## Bronnen" not in text


def test_escape_markdown_keeps_text_literal() -> None:
    assert escape_markdown("a_b *c* [1] $x$ <b>") == "a\\_b \\*c\\* \\[1\\] \\$x\\$ \\<b\\>"
