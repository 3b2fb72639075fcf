"""The answer a reader sees, on two tiny policy texts written here: a decision with a
'Voorwaarden' section, and an earlier proposal that says otherwise. Real Chroma in a temp
folder, the real embedding model; nothing of the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from bronwijzer.answering.question import read_question
from bronwijzer.answering.verdict import denies
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.text.domain import load_domain
from tests.conftest import indexed_texts

DECISION = """Beleidsregel groepsafstemming

Doel

Met deze regeling kunnen zorgverzekeraars de afstemming van zorg rond een groep kwetsbare
verzekerden rechtstreeks vergoeden aan samenwerkende zorgaanbieders. De regeling geldt vanaf
1 maart 2025 voor een periode van vier jaar.

Voorwaarden

De zorgverzekeraar en de zorgaanbieders moeten een schriftelijke overeenkomst sluiten over de
afstemming. De afstemming dient ten goede te komen aan een omschreven groep verzekerden.
Vergoeding is alleen mogelijk als de behoefte aan afstemming in een regioplan is onderbouwd.

Eigen risico

Voor de afstemming brengt de zorgverzekeraar geen eigen risico in rekening bij de verzekerde.
De kosten worden als lumpsum betaald aan het samenwerkingsverband.

Individuele zorg

De vergoeding van individuele zorg aan een patiënt valt niet onder deze regeling; die zorg
wordt vergoed zoals voorheen.
"""

PROPOSAL = """Verkenning groepsafstemming

Advies

Wij stellen voor dat de verzekerde voor de afstemming wel een eigen risico betaalt, net als
voor andere zorg. Een overeenkomst tussen zorgverzekeraar en zorgaanbieders achten wij niet
nodig. De afstemming zou ook individuele patiënten kunnen omvatten.
"""


@pytest.fixture(scope="module")
def policy_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    settings = indexed_texts(
        tmp_path_factory.mktemp("policy"),
        {"regeling.txt": DECISION, "verkenning.txt": PROPOSAL},
        {
            "regeling.txt": {
                "title": "Beleidsregel groepsafstemming",
                "date": "2024-12-01",
                "kind": "beleidsregel",
                "status": "definitief",
            },
            "verkenning.txt": {
                "title": "Verkenning groepsafstemming",
                "date": "2022",
                "kind": "verkenning",
                "status": "advies (voorstel, geen besluit)",
            },
        },
    )
    return KnowledgeBase(settings)


def test_a_denial_in_the_decision_is_a_nee_verdict_that_names_the_decision(
    policy_kb: KnowledgeBase,
) -> None:
    answer = policy_kb.answer("Moet de verzekerde eigen risico betalen voor de afstemming?")
    assert answer.verdict == "nee"
    first = answer.text.splitlines()[0]
    assert first.startswith("Nee — volgens de beleidsregel, 2024-12-01; definitief [1]")
    assert answer.citations[0].doc_id == "regeling.txt"
    assert "geen eigen risico" in answer.citations[0].quote
    # the proposal that said otherwise is shown, under its own heading, after the decision
    proposal = [c for c in answer.citations if c.doc_id == "verkenning.txt"]
    assert all(c.role == "proposal" for c in proposal)
    if proposal:
        assert "Eerder voorstel — Verkenning groepsafstemming (2022" in answer.text


def test_a_conditions_question_lists_the_conditions_of_the_decision(
    policy_kb: KnowledgeBase,
) -> None:
    answer = policy_kb.answer(
        "Onder welke voorwaarden mag een zorgverzekeraar de afstemming rond een groep vergoeden?"
    )
    conditions = [c for c in answer.citations if c.role == "condition"]
    listed = " ".join(c.quote for c in answer.citations)
    # every condition of the 'Voorwaarden' section is shown, each once, from the decision
    assert "schriftelijke overeenkomst" in listed
    assert "omschreven groep verzekerden" in listed
    assert "regioplan" in listed
    assert len({c.quote for c in answer.citations}) == len(answer.citations)
    assert all(c.doc_id == "regeling.txt" for c in conditions)
    if conditions:
        assert "Voorwaarden (beleidsregel, 2024-12-01):" in answer.text
    assert answer.verdict in {"onder voorwaarden", None}


def test_the_proposal_is_never_the_lead_while_the_decision_speaks(
    policy_kb: KnowledgeBase,
) -> None:
    answer = policy_kb.answer("Moeten zorgverzekeraar en zorgaanbieders een overeenkomst sluiten?")
    assert answer.citations[0].doc_id == "regeling.txt"
    assert "Volgens het voorstel" not in answer.text.splitlines()[0]


def test_the_shown_context_holds_the_quote_and_stays_short(policy_kb: KnowledgeBase) -> None:
    answer = policy_kb.answer("Hoe wordt de afstemming betaald aan het samenwerkingsverband?")
    assert answer.citations
    for citation in answer.citations:
        assert citation.quote in citation.shown
        assert citation.shown in citation.passage or citation.shown == citation.quote
        assert len(citation.shown.split()) <= 70 or citation.shown == citation.quote
    prediction = answer.to_prediction("x")
    assert prediction["verdict"] == answer.verdict
    assert [c["quote"] for c in prediction["citations"]] == [c.shown for c in answer.citations]


def test_a_factual_question_reads_out_the_asked_fact(policy_kb: KnowledgeBase) -> None:
    answer = policy_kb.answer("Voor hoe lang geldt de regeling?")
    assert answer.verdict is None
    assert answer.text.splitlines()[0].startswith("Kort antwoord: vier jaar [1]")


def test_what_a_question_asks() -> None:
    domain = load_domain()
    required = read_question("Moet er een regioplan liggen?", "nl", domain)
    assert required.yes_no and required.obligation and not required.asks_conditions
    allowed = read_question("Mogen wij de uren van het wijkteam betalen?", "nl", domain)
    assert allowed.yes_no and not allowed.obligation
    conditions = read_question("Onder welke voorwaarden mag een huisarts dit?", "nl", domain)
    assert conditions.asks_conditions and conditions.wants_verdict
    proposal = read_question("Wat was het voorstel van de verkenning?", "nl", domain)
    assert proposal.asks_proposal and not proposal.yes_no
    fact = read_question("Hoeveel reacties kwamen er?", "nl", domain)
    assert not fact.wants_verdict and "count" in fact.expected


def test_denial_words_that_allow_or_do_not_deny() -> None:
    domain = load_domain()
    assert denies("Er wordt geen eigen risico in rekening gebracht.", domain)
    assert not denies("Er worden geen beperkingen gesteld aan de vormen van afstemming.", domain)
    assert not denies("Dat geldt niet alleen voor de zorg, maar ook voor privacy.", domain)


def test_abbreviations_and_english_terms_widen_the_word_search() -> None:
    domain = load_domain()
    assert "zorgverzekeraar" in domain.expansions("mogen wij als ZV dit betalen?", "nl")
    assert domain.expansions("Is de ZIN hier?", "nl") == ["Zorginstituut"]
    assert domain.expansions("Wat is de zin hiervan?", "nl") == []  # a Dutch word, no 'ZIN'
    # an abbreviation the documents use themselves is left as it is
    assert domain.expansions("Wat doet de NZa?", "nl", known=lambda w: w == "nza") == []
    assert "eigen risico" in domain.expansions("does the deductible apply?", "en")
    assert domain.expansions("does the deductible apply?", "nl") == []


def test_a_broken_domain_file_is_named(tmp_path: Path) -> None:
    from bronwijzer.errors import BronwijzerError

    broken = tmp_path / "domain.toml"
    broken.write_text("[abbreviations\nzv = ", encoding="utf-8")
    with pytest.raises(BronwijzerError, match="domeinbestand"):
        load_domain(broken)
