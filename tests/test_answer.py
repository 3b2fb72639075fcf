"""Answers over the real corpus with the real model: citations, Wlz/WIz, abstention."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bronwijzer.answering.abstain import _read_out
from bronwijzer.answering.answer_types import expected_types
from bronwijzer.answering.expressions import has_type
from bronwijzer.errors import QuestionError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.text.normalize import FoldingStemmer
from bronwijzer.types import Answer, Citation
from eval.metrics import quote_in
from ingest import sync

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def raw_text(doc_id: str) -> str:
    return " ".join((CORPUS / doc_id).read_text(encoding="utf-8").split())


def test_eigen_risico_answer_is_cited(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer(
        "Moet de verzekerde eigen risico betalen voor patiëntengroepsgebonden afstemming?"
    )
    assert not answer.abstained
    assert answer.citations and "[1]" in answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "geen eigen risico in rekening" in quotes
    first = answer.citations[0]
    assert first.doc_id.startswith("kamerbrief") and first.page == 6 and first.date == "2023-11-29"


def test_every_citation_occurs_in_the_indexed_text_and_corpus(corpus_kb: KnowledgeBase) -> None:
    questions = [
        "Welke voorwaarden stelt het contractvereiste?",
        "Valt Wmo-zorg onder de sectoroverstijgende betaaltitel?",
        "Wat is de looptijd van de nieuwe betaaltitel?",
        "Kan een lump sum worden afgesproken?",
    ]
    cited = 0
    for question in questions:
        for citation in corpus_kb.answer(question).citations:
            cited += 1
            assert citation.quote in citation.passage  # exact, character for character
            assert quote_in(citation.quote, raw_text(citation.doc_id), limit=10**6)
            assert citation.page >= 1
    assert cited >= len(questions)


def test_wlz_finds_ocr_wiz(corpus_kb: KnowledgeBase) -> None:
    passages = corpus_kb.retrieve("Hoe werkt de indicatiestelling in de Wlz?")
    top = passages[0].chunk
    assert top.doc.doc_id.startswith("nza")
    assert "WIz" in top.text or "Wiz" in top.text
    assert not re.search(r"\bWlz\b", top.text)


def test_abstains_on_unanswerable_and_lists_nearest(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer(
        "Welk bedrag in euro's krijgt een samenwerkingsverband per patiënt via de betaaltitel?"
    )
    assert answer.abstained
    assert "niet (duidelijk) in de documenten" in answer.text
    assert answer.citations == []
    assert len(answer.passages) >= 5  # the nearest passages are still shown


def test_english_question(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer("Which law article is the new payment title based on?")
    assert answer.language == "en"
    prediction = answer.to_prediction("en-1")
    assert len(prediction["retrieved"]) >= 10
    assert any("artikel 58" in r["text"] for r in prediction["retrieved"][:5])
    # the '326 reacties' passage ranks fourth for this English question: the asked type is
    # looked for in all the passages the answer quotes from, not only the first three
    assert not corpus_kb.answer("How many responses did the NZa receive?").abstained


def test_document_filter(corpus_kb: KnowledgeBase) -> None:
    nza = "nza-verkenning-sectoroverstijgende-betaaltitel-2021.txt"
    passages = corpus_kb.retrieve("Geldt het eigen risico?", doc_ids=[nza])
    assert passages and {p.chunk.doc.doc_id for p in passages} == {nza}


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "leeg"), ("   \n\t ", "leeg"), ("x" * 20_000, "te lang"), ("?!\x00\x07", "geen woorden")],
)
def test_bad_questions(corpus_kb: KnowledgeBase, question: str, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        corpus_kb.answer(question)


def test_control_characters_are_removed(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer("Geldt\x00 het eigen\x1b risico?")
    assert answer.question == "Geldt het eigen risico?"


def test_no_network_during_ingest_and_answer(
    no_network: list[str], tiny_settings: Settings
) -> None:
    report = sync(tiny_settings)
    assert report.chunks_added > 0
    answer = KnowledgeBase(tiny_settings).answer("Wie houdt toezicht op de privacy?")
    assert answer.passages
    assert no_network == []


def lead_line(answer_text: str) -> str:
    return answer_text.splitlines()[0]


def cited(answer_text: str, citations: list) -> list:
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", lead_line(answer_text))}
    return [c for c in citations if c.number in numbers]


def quoted(citation: Citation) -> str:
    """The line the answer quotes a citation's sentence on."""
    return f"“{' '.join(citation.quote.split())}” [{citation.number}]"


def blocks(answer_text: str) -> dict[str, list[int]]:
    """The citation numbers of the answer's list items ('- “…” [n]') under each heading
    ('Voorwaarden (…):', 'Verder in de …:', 'Eerder voorstel — …:')."""
    out: dict[str, list[int]] = {}
    heading = ""
    for line in answer_text.splitlines():
        if line.endswith(":"):
            heading = line
            out[heading] = []
        elif line.startswith("- “"):
            assert heading, answer_text  # a list item stands under a heading
            out[heading] += [int(n) for n in re.findall(r"\[(\d+)\]$", line)]
    return out


def reads_in_order(answer: Answer) -> None:
    """The citations are numbered in display order: the lead is [1], then [2], [3], ..."""
    assert [c.number for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    shown = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert sorted(set(shown)) == [c.number for c in answer.citations]
    assert [n for i, n in enumerate(shown) if n not in shown[:i]] == sorted(set(shown))
    lead = answer.citations[0]
    assert lead.role == "lead" and quoted(lead) in answer.text.splitlines()[:2]


KAMERBRIEF_NEE = "Nee — volgens de Kamerbrief, 2023-11-29; definitief [1]."
PROPOSAL = (
    "Eerder voorstel — NZa-verkenning sectoroverstijgende betaaltitel Zvw-Wlz"
    " (2021, advies (voorstel, geen besluit)):"
)


def test_yes_no_answer_leads_with_nee_where_the_source_denies_it(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer(
        "Moet de verzekerde eigen risico betalen voor patiëntengroepsgebonden afstemming?"
    )
    # the verdict, read from the decision's sentence, which is quoted right below it
    assert answer.verdict == "nee"
    assert lead_line(answer.text) == KAMERBRIEF_NEE
    [lead] = cited(answer.text, answer.citations)
    assert "geen eigen risico in rekening" in lead.quote
    assert answer.text.splitlines()[1] == quoted(lead)
    reads_in_order(answer)
    # the same question asked with a negation is not answered 'nee'
    negated = corpus_kb.answer("Is er geen eigen risico voor patiëntengroepsgebonden afstemming?")
    assert negated.verdict != "nee"
    assert "nee" not in lead_line(negated.text).lower()


def test_factual_answer_leads_with_the_asked_number(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer("Hoeveel reacties ontving de NZa op de consultatie?")
    # the fact alone, cited to the sentence it is read from, quoted on the next line
    assert lead_line(answer.text) == "Kort antwoord: 326 reacties [1]"
    assert answer.verdict is None
    [lead] = cited(answer.text, answer.citations)
    assert "326 reacties" in lead.quote and lead.doc_id.startswith("nza")
    assert answer.text.splitlines()[1] == quoted(lead)
    reads_in_order(answer)


def test_how_many_reads_the_number_of_what_was_counted(corpus_kb: KnowledgeBase) -> None:
    # 'Respondenten konden gedurende drie weken reageren op vier open vragen': each question
    # gets its own number, with what it counts
    for question, expected in (
        ("Hoeveel weken stond de consultatie open?", "drie weken"),
        ("Hoeveel open vragen stelde de NZa?", "vier open vragen"),
        ("Voor hoeveel jaar geldt de betaaltitel?", "vijf jaar"),  # not 'vijf, 58' (artikel 58)
    ):
        line = lead_line(corpus_kb.answer(question).text)
        assert re.match(rf"Kort antwoord: {expected} \[1\]$", line), line
    # a count of something else is no answer: no document says how many providers take part
    unanswered = corpus_kb.answer(
        "Hoeveel zorgaanbieders moeten minimaal deelnemen aan een samenwerkingsverband?"
    )
    assert unanswered.abstained, unanswered.text
    # a unit alone ('jaar') is no answer to 'wanneer'
    line = lead_line(corpus_kb.answer("Wanneer wordt de betaaltitel geëvalueerd?").text)
    assert not re.match(r"Kort antwoord: jaar \[", line), line


def test_a_share_question_wants_a_share_not_any_number(corpus_kb: KnowledgeBase) -> None:
    assert expected_types("Welk percentage van de reacties kwam van verzekeraars?") == ["share"]
    assert expected_types("Hoeveel reacties kwamen er?") == ["count"]
    assert has_type("Van de respondenten verwacht 80% dat", "share")
    assert not has_type("We ontvingen 326 reacties", "share")
    # the documents give the number of reactions, not the share of one kind of respondent
    unanswered = corpus_kb.answer("Welk percentage van de consultatiereacties kwam van huisartsen?")
    assert unanswered.abstained, unanswered.text
    # only the 2021 exploration gives the share; the Kamerbrief's 'De geboden ruimte … naar
    # verwachting' holds no number and must not take its place
    answer = corpus_kb.answer("Welk percentage van de respondenten verwacht meer ruimte?")
    assert re.match(r"Kort antwoord: 80% \[1\]$", lead_line(answer.text)), answer.text
    assert "80%" in answer.citations[0].quote, answer.text


def test_a_cost_question_wants_an_amount(corpus_kb: KnowledgeBase) -> None:
    for question in (
        "Wat kost de nieuwe betaaltitel per jaar?",
        "Hoeveel kost de betaaltitel?",
        "Hoe hoog is het maximumtarief voor deze prestatie?",
        "How much will the new payment title cost per year?",
    ):
        assert expected_types(question) == ["amount"], question
    # a risk is not an amount, and 'which costs' asks what, not how much
    assert expected_types("Hoe groot is het risico op dubbele bekostiging?") == []
    assert expected_types("Welke kosten vallen eronder?") == []
    assert has_type("de verzekerde geen eigen risico in rekening brengen", "amount")
    # the documents name no amount at all: a cost question is not answered from them
    for question in (
        "Wat kost de nieuwe betaaltitel per jaar?",
        "How much will the new payment title cost per year?",
    ):
        answer = corpus_kb.answer(question)
        assert answer.abstained, answer.text
    # ... but what the insured pays is answered: no eigen risico
    assert not corpus_kb.answer("Hoeveel kost de afstemming de verzekerde?").abstained


def test_footnote_marks_and_list_numbers_are_not_quantities(corpus_kb: KnowledgeBase) -> None:
    assert not has_type("oplossing breed getoetst.1 Door beleidsmakers", "count")
    assert not has_type("uit het Integraal Zorgakkoord (IZA).1 Met het IZA", "count")
    assert not has_type("1. Bevoegdheid betaaltitel vast te stellen o.b.v. Wmg", "count")
    assert has_type("We ontvingen 326 reacties (zie noot 2).", "count")
    # the corpus's 'breed getoetst.1' once led this answer with 'Kort antwoord: 1'
    answer = corpus_kb.answer("Hoeveel zorgaanbieders hebben gereageerd op de consultatie?")
    assert not re.search(r": 1 \[\d\]", lead_line(answer.text)), answer.text


def test_a_which_organisation_question_needs_the_name_where_its_event_is(
    corpus_kb: KnowledgeBase,
) -> None:
    assert expected_types("Welk ziekenhuis werkt mee?") == ["name"]
    assert expected_types("Welke gemeenten doen mee?") == ["name"]
    assert expected_types("Welke IZA-partijen zaten in de werkgroep?") == ["party"]
    assert has_type("de verschillende IZA-partijen", "name")
    assert not has_type("de Jeugdwet en de Wet kwaliteit", "name")  # laws are no organisation
    assert not has_type("met het opleveren van de NZa-beleidsregel", "name")  # nor things
    assert expected_types("Welke partijen sluiten de overeenkomst?") == ["party"]
    # the documents mention municipalities and an anonymous hospital, but name neither;
    # 'de NZa' elsewhere in the passages does not answer
    for question in (
        "Welke gemeenten werken al samen met zorgverzekeraars onder de nieuwe betaaltitel?",
        "Welk ziekenhuis gaf in de consultatie aan dat een sectoroverstijgende betaaltitel kan"
        " helpen bij het samen inrichten van de zorg door de eerste en tweede lijn?",
        # every sentence about insurers holds 'zorgverzekeraars': that is the asked class,
        # not the question's topic, and no sentence says who signed a contract
        "Welke zorgverzekeraars hebben al een contract gesloten?",
    ):
        answer = corpus_kb.answer(question)
        assert answer.abstained, answer.text
    answer = corpus_kb.answer(
        "Welke instantie heeft een handreiking over domeinoverstijgende activiteiten uitgebracht?"
    )
    assert not answer.abstained, answer.text
    assert "Zorginstituut" in answer.citations[0].quote
    # the name stands in a sentence that refers back ('daarvan') to the one with the topic
    answer = corpus_kb.answer(
        "Welke instanties beoordelen of een samenwerkingsverband zich aan de regels voor"
        " mededinging, privacy en belastingen houdt?"
    )
    assert not answer.abstained, answer.text
    assert any("Belastingdienst" in c.quote for c in answer.citations), answer.text
    # parties are answered by their role as much as by name
    answer = corpus_kb.answer("Welke partijen sluiten de onderlinge overeenkomst?")
    assert not answer.abstained, answer.text


def test_a_who_question_leads_with_the_actor_only(corpus_kb: KnowledgeBase) -> None:
    # 'Dat betekent dat de handreiking door het Zorginstituut aangepast zal worden …'
    answer = corpus_kb.answer("Door welke organisatie wordt de handreiking aangepast?")
    assert lead_line(answer.text) == "Kort antwoord: Zorginstituut [1]", answer.text
    assert "door het Zorginstituut aangepast" in answer.citations[0].quote
    answer = corpus_kb.answer("Wie duidt het verzekerde pakket?")
    assert lead_line(answer.text) == "Kort antwoord: Zorginstituut [1]", answer.text
    # 'Daartoe zal ik de Eerste en Tweede Kamer eerst een voorhangbrief zenden': the Kamer
    # receives it; '… wordt door brancheorganisaties ter hand genomen en … met het opleveren
    # van de NZa-beleidsregel gepubliceerd': the NZa does not work it out
    for question, wrong in (
        ("Wie moet de voorhangbrief naar de Kamer sturen?", "Kamer"),
        ("Wie werkt uit hoe partijen tot een overeenkomst komen?", "NZa"),
    ):
        answer = corpus_kb.answer(question)
        # the sentence that names the wrong one leads, but no actor is read out from it:
        # the answer opens with the quoted sentence itself
        assert wrong in answer.citations[0].quote, answer.text
        assert lead_line(answer.text) == quoted(answer.citations[0]), answer.text
        assert "Kort antwoord" not in answer.text, answer.text


def test_a_how_long_question_wants_a_duration(corpus_kb: KnowledgeBase) -> None:
    assert expected_types("Hoe lang loopt de betaaltitel?") == ["duration"]
    assert expected_types("How long could respondents react?") == ["duration"]
    answer = corpus_kb.answer("Hoe lang konden respondenten reageren?")
    assert re.match(r"Kort antwoord: drie weken \[1\]$", lead_line(answer.text)), answer.text
    # no document says how long anything must be kept, or how long the NZa took
    for question in (
        "Hoe lang moeten zorgaanbieders hun administratie bewaren?",
        "Hoe lang heeft de NZa over de verkenning gedaan?",
    ):
        assert corpus_kb.answer(question).abstained, question


def test_which_year_which_article_and_how_often(corpus_kb: KnowledgeBase) -> None:
    assert expected_types("In welk jaar verscheen het advies?") == ["time"]
    assert expected_types("Op grond van welk artikel wordt de betaaltitel ingebed?") == ["article"]
    assert expected_types("Op grond van welke wet?") == []  # a law's name answers that
    line = lead_line(
        corpus_kb.answer(
            "In welk jaar kwam er duidelijkheid over algemene diensten ten behoeve van"
            " verzekerde zorg?"
        ).text
    )
    assert re.match(r"Kort antwoord: 2020 \[1\]$", line), line
    # there is an evaluation, but no document says how often
    assert corpus_kb.answer("Hoe vaak wordt de betaaltitel geëvalueerd?").abstained
    # 'Niet alle behoefte aan zorg die wordt genoemd in artikel 10 van de Zvw …' (the 2021
    # exploration); the Kamerbrief's 'artikel 58 van de Wmg' is another law's article
    answer = corpus_kb.answer("Welk artikel van de Zvw noemt de behoefte aan zorg?")
    line = lead_line(answer.text)
    assert re.match(r"Kort antwoord: artikel 10 \[1\]$", line), answer.text
    assert "artikel 10 van de Zvw" in answer.citations[0].quote


def test_a_question_asking_two_things_may_be_answered_by_two_sentences(
    corpus_kb: KnowledgeBase,
) -> None:
    # '326 reacties' and 'afgelopen mei' stand in different sentences of the verkenning
    answer = corpus_kb.answer(
        "Hoeveel reacties ontving de NZa en wanneer hield zij de consultatie?"
    )
    assert not answer.abstained, answer.text
    # and the first line does not read one of the two as if it were the whole answer
    assert "Kort antwoord" not in lead_line(answer.text), answer.text


def test_labels_are_not_counts() -> None:
    # 'segment 3 in de huisartsenbekostiging' once answered 'How many … were about …?'
    assert not has_type("kennen we ook segment 3 in de huisartsenbekostiging", "count")
    assert not has_type("ex artikel 58 van de Wmg", "count")
    assert not has_type("Kamerstuk 31 765, nr. 812.", "count")
    assert has_type("We ontvingen 326 reacties.", "count")
    # a 'how many X' question reads a number of X or none, never another number
    stemmer = FoldingStemmer()
    text = "We ontvingen veel reacties, in 12 regio's."
    assert _read_out(text, ["count"], "Hoeveel reacties gingen over ouderen?", stemmer) == []


def test_no_nee_from_a_proposal_that_a_quoted_decision_contradicts(
    corpus_kb: KnowledgeBase,
) -> None:
    # the verkenning's 'Vanzelfsprekend valt WIz-zorg ook niet in de risicoverevening' is
    # about Wlz care; the Kamerbrief, also quoted, has the costs 'ingebracht in de
    # risicoverevening'
    answer = corpus_kb.answer("Valt de afstemming onder de risicoverevening?")
    assert answer.verdict != "nee" and "nee" not in lead_line(answer.text).lower(), answer.text
    assert not lead_line(answer.text).startswith("Volgens het voorstel"), answer.text
    # the decision leads; the exploration is quoted only under its own heading
    assert answer.citations[0].doc_id.startswith("kamerbrief"), answer.text
    assert "risicoverevening" in answer.citations[0].quote
    proposals = [c.number for c in answer.citations if c.doc_id.startswith("nza")]
    assert all(c.role == "proposal" for c in answer.citations if c.number in proposals)
    assert proposals == blocks(answer.text).get(PROPOSAL, []), answer.text
    reads_in_order(answer)
    # a denial from the decision itself still leads
    answer = corpus_kb.answer("Geldt het eigen risico voor de afstemming?")
    assert lead_line(answer.text) == KAMERBRIEF_NEE, answer.text
    assert answer.verdict == "nee" and "geen eigen risico" in answer.citations[0].quote


def test_a_question_about_nothing_the_documents_use_is_not_answered(
    corpus_kb: KnowledgeBase,
) -> None:
    # no word of these occurs in the index: quoting 'the most relevant' passage would
    # answer a question that was not asked
    for question in ("Wat is het?", "Wat doet een quokka?"):
        answer = corpus_kb.answer(question)
        assert answer.abstained, answer.text
        assert "noemt geen onderwerp dat in de documenten voorkomt" in answer.text
        assert answer.passages  # the nearest passages are still listed
    assert not corpus_kb.answer("Wat is de looptijd van de betaaltitel?").abstained


def test_a_date_is_read_whole(corpus_kb: KnowledgeBase) -> None:
    # 'Op 4 oktober 2023 bent u geïnformeerd …': one date, not 'oktober, 2023'
    answer = corpus_kb.answer("Wanneer is de Kamer geïnformeerd over de voortgang van het IZA?")
    assert re.match(r"Kort antwoord: 4 oktober 2023 \[1\]$", lead_line(answer.text)), answer.text


def test_wanneer_mag_asks_in_which_case_not_at_what_time(corpus_kb: KnowledgeBase) -> None:
    assert expected_types("Wanneer gaat de nieuwe betaaltitel in?") == ["time"]
    assert expected_types("Wanneer mogen wij deze afstemming bekostigen?") == []
    # the conditions answer it; demanding a year or a month made it abstain
    for question in (
        "Wanneer mogen wij afstemming rond kwetsbare ouderen met de betaaltitel bekostigen?",
        "Wanneer geldt het contractvereiste?",
    ):
        answer = corpus_kb.answer(question)
        assert not answer.abstained, answer.text


def test_no_date_is_read_out_for_an_event_no_document_names(corpus_kb: KnowledgeBase) -> None:
    # 'Als onderdeel van de verkenning hield de NZa afgelopen mei een openbare consultatie':
    # May is when the consultation was held; no document says when the NZa sent anything
    answer = corpus_kb.answer("Wanneer stuurde de NZa haar verkenning?")
    assert "Kort antwoord" not in answer.text, answer.text
    assert lead_line(answer.text) == quoted(answer.citations[0]), answer.text
    line = lead_line(corpus_kb.answer("Wanneer hield de NZa de consultatie?").text)
    assert re.match(r"Kort antwoord: mei \[1\]$", line), line


def test_the_lead_prefers_the_decision_and_names_a_proposal(corpus_kb: KnowledgeBase) -> None:
    # Both documents mention the eigen risico; the 2023 Kamerbrief decides (none is charged),
    # the 2021 exploration only describes it in general.
    answer = corpus_kb.answer("Geldt het eigen risico?")
    assert lead_line(answer.text) == KAMERBRIEF_NEE, answer.text
    assert answer.verdict == "nee"
    lead = answer.citations[0]
    assert lead.doc_id.startswith("kamerbrief") and "geen eigen risico" in lead.quote
    assert answer.text.splitlines()[1] == quoted(lead)
    # the exploration, quoted after the decision, is under its own heading
    proposals = [c for c in answer.citations if c.doc_id.startswith("nza")]
    assert proposals and all(c.role == "proposal" for c in proposals), answer.text
    assert blocks(answer.text)[PROPOSAL] == [c.number for c in proposals]
    assert all(f"- {quoted(c)}" in answer.text.splitlines() for c in answer.citations[1:])
    reads_in_order(answer)
    # Only the exploration says it in so many words: its answer is named as its own.
    answer = corpus_kb.answer("Heeft de betaaltitel een einddatum?")
    assert lead_line(answer.text) == (
        "Volgens het voorstel (verkenning, 2021; advies (voorstel, geen besluit)): nee [1]."
    ), answer.text
    assert answer.verdict == "nee"
    assert answer.citations[0].doc_id.startswith("nza")
    assert "Geen einddatum" in answer.citations[0].quote


def test_condition_question_points_at_the_conditions(corpus_kb: KnowledgeBase) -> None:
    answer = corpus_kb.answer("Welke voorwaarden stelt het contractvereiste?")
    first = lead_line(answer.text)
    assert first == "Ja, onder voorwaarden — volgens de Kamerbrief, 2023-11-29; definitief [1].", (
        answer.text
    )
    assert answer.verdict == "onder voorwaarden" and "nee" not in first.lower()
    assert "contractvereiste" in answer.citations[0].quote
    # the decision's conditions as a checklist, right after the lead sentence
    heading = "Voorwaarden (Kamerbrief, 2023-11-29):"
    assert answer.text.splitlines()[2] == heading, answer.text
    conditions = [c for c in answer.citations if c.role == "condition"]
    assert len(conditions) >= 3, answer.text
    assert (
        blocks(answer.text)[heading]
        == [c.number for c in conditions]
        == list(range(2, len(conditions) + 2))
    )
    for condition in conditions:
        assert condition.doc_id.startswith("kamerbrief")
        assert f"- {quoted(condition)}" in answer.text.splitlines()
        assert re.search(
            r"\b(moet|moeten|dient|dienen|voorwaarde\w*|vereist\w*)\b", condition.quote
        )
    reads_in_order(answer)
