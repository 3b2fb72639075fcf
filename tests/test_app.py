"""The Streamlit app through AppTest, on a small real index (real model, real Chroma)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bronwijzer.records.audit import AuditLog
from bronwijzer.settings import Settings
from tests.apphelpers import (
    ADMIN_PASSWORD,
    QUESTION,
    ask,
    open_documents,
    source_cards,
    start,
    texts,
)


def test_question_gives_an_answer_with_highlighted_citations(app_env: Settings) -> None:
    at = ask(start(), QUESTION)
    assert len(at.chat_message) == 2
    assert at.chat_message[0].name == "user" and at.chat_message[1].name == "assistant"
    body = texts(at.chat_message[1].markdown)
    # the verdict first, in bold, then the deciding sentence quoted with its marker
    assert (
        body.splitlines()[0] == "**Nee — volgens de beleidsregel, 2024-10-01; definitief \\[1\\].**"
    )
    assert (
        "“Voor de prestatie patiëntengroepsgebonden afstemming geldt geen eigen risico.” **[1]**"
        in body.splitlines()
    )
    cards = source_cards(at)
    assert cards, "every citation is shown with its passage"
    assert any(
        "<mark>Voor de prestatie patiëntengroepsgebonden afstemming geldt geen eigen risico."
        "</mark>" in card
        for card in cards
    )
    assert any("2024-10-01 · beleidsregel · definitief · p. 1 · § Eigen risico" in c for c in cards)
    assert not at.warning
    assert [b.label for b in at.download_button] == ["Antwoord downloaden (Markdown)"]


def test_source_in_context_opens_the_document_at_the_passage(app_env: Settings) -> None:
    at = ask(start(), QUESTION)
    cards = source_cards(at)
    number = next(i for i, card in enumerate(cards, start=1) if "2024-10-01 · beleidsregel" in card)
    at.button(key=f"ctx-0-0-{number}").click().run()
    assert not at.exception, at.exception
    shown = texts(at.markdown)
    assert "**Soort:** beleidsregel" in shown and "**Bestand:** beleidsregel-afstemming.md" in shown
    target = [m for m in source_cards(at) if "bw-target" in m]
    assert len(target) == 1 and "<mark>" in target[0] and "Geciteerde passage" in target[0]
    # the neighbouring passages of the same document are shown too
    assert "Ingangsdatum" in shown or "Doel van de prestatie" in shown


def test_follow_up_is_rewritten_and_the_rewrite_shown(app_env: Settings) -> None:
    at = ask(ask(start(), QUESTION), "En geldt dat ook voor de wijkverpleging?")
    assert len(at.chat_message) == 4
    captions = texts(at.caption)
    assert (
        "Vervolgvraag gelezen als: “Geldt het eigen risico voor patiëntengroepsgebonden "
        "afstemming ook voor de wijkverpleging?”" in captions
    )
    last = texts(at.chat_message[3].markdown)
    assert "wijkverpleging geldt geen eigen risico" in last


def test_abstention_looks_different_and_shows_nearest_passages(app_env: Settings) -> None:
    at = ask(start(), "Hoeveel kost een parkeervergunning in Utrecht?")
    assert "Niet gevonden in de documenten" in texts(at.warning)
    shown = texts(at.markdown)
    assert "**Dichtstbijzijnde passages**" in shown and "**Bronnen**" not in shown
    assert source_cards(at) and not any("<mark>" in c for c in source_cards(at))


def test_document_filter_restricts_the_sources(app_env: Settings) -> None:
    at = start()
    listed = texts(at.sidebar.markdown)
    assert "Kamerbrief bekostiging wijkverpleging" in listed and "2022-06-30" in listed
    at.sidebar.multiselect[0].set_value(["kamerbrief-wijkverpleging.txt"]).run()
    at = ask(at, "Geldt er een eigen risico?")
    assert "Gezocht in: Kamerbrief bekostiging wijkverpleging" in texts(at.caption)
    cards = source_cards(at)
    assert cards and all("Kamerbrief bekostiging wijkverpleging" in c for c in cards)


def test_example_question_button_asks_it(app_env: Settings) -> None:
    at = start()
    at.button(key=f"example-{QUESTION}").click().run()
    assert not at.exception, at.exception
    assert texts(at.chat_message[0].markdown) == QUESTION
    assert source_cards(at)


def test_feedback_is_stored_in_the_data_folder(app_env: Settings) -> None:
    at = ask(start(), QUESTION)
    at.segmented_control(key="verdict-0-0").set_value("Niet nuttig")
    at.text_input(key="comment-0-0").set_value("Mist de Wlz")
    at.button(key="FormSubmitter:feedback-0-0-Versturen").click().run()
    assert not at.exception, at.exception
    rows = (app_env.data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1
    record = json.loads(rows[0])
    assert record["helpful"] is False and record["comment"] == "Mist de Wlz"
    assert record["question"] == QUESTION
    assert record["citations"] and record["settings_hash"] == app_env.fingerprint()
    assert "Feedback opgeslagen (niet nuttig)" in texts(at.caption)


def test_upload_adds_a_document_that_can_then_be_asked_about(admin_env: Settings) -> None:
    app_env = admin_env
    at = open_documents(start(), ADMIN_PASSWORD)
    at.file_uploader(key="add-file").upload(
        "respijtzorg.txt",
        b"Respijtzorg\n\nGemeenten bekostigen de respijtzorg voor mantelzorgers uit de Wmo.\n",
        "text/plain",
    )
    at.text_input[0].set_value("Notitie respijtzorg")
    at.button(key="FormSubmitter:add-Toevoegen en indexeren").click().run()
    assert not at.exception, at.exception
    assert not at.error, texts(at.error)
    assert "4 documenten" in texts(at.success)
    assert (app_env.corpus_dir / "respijtzorg.txt").exists()
    table = at.dataframe[0].value
    assert "Notitie respijtzorg" in set(table["Titel"])
    assert set(table["In de index"]) == {"ja"}

    at.switch_page("ui/ask.py").run()
    at = ask(at, "Wie bekostigt de respijtzorg voor mantelzorgers?")
    assert any("Notitie respijtzorg" in c for c in source_cards(at))


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00", "bestandstype '.exe' is niet toegestaan"),
        ("leeg.txt", b"", "het bestand is leeg"),
    ],
)
def test_rejected_upload_shows_why_and_changes_nothing(
    admin_env: Settings, filename: str, data: bytes, message: str
) -> None:
    app_env = admin_env
    before = sorted(p.name for p in app_env.corpus_dir.iterdir())
    at = open_documents(start(), ADMIN_PASSWORD)
    at.file_uploader(key="add-file").upload(filename, data)
    at.button(key="FormSubmitter:add-Toevoegen en indexeren").click().run()
    assert not at.exception, at.exception
    assert message in texts(at.error)
    assert sorted(p.name for p in app_env.corpus_dir.iterdir()) == before


def test_delete_on_the_documents_page(admin_env: Settings) -> None:
    app_env = admin_env
    at = open_documents(start(), ADMIN_PASSWORD)
    form = at.get("form")  # add, details, replace, delete
    assert len(form) == 4
    at.selectbox(key="delete-doc").set_value("nza-advies-betaaltitel.html")
    at.checkbox[0].check()
    at.button(key="FormSubmitter:delete-Verwijderen").click().run()
    assert not at.exception, at.exception
    assert "2 documenten" in texts(at.success)
    assert not (app_env.corpus_dir / "nza-advies-betaaltitel.html").exists()
    assert "nza-advies-betaaltitel.html" not in set(at.dataframe[0].value["Bestand"])


def test_edit_document_details_without_reembedding(admin_env: Settings) -> None:
    at = open_documents(start(), ADMIN_PASSWORD)
    at.selectbox(key="details-doc").set_value("nza-advies-betaaltitel.html").run()
    status = next(t for t in at.text_input if t.label == "Status")
    status.set_value("vervangen door beleidsregel 2024-10-01")
    at.button(key="FormSubmitter:details-nza-advies-betaaltitel.html-Gegevens opslaan").click()
    at.run()
    assert not at.exception, at.exception
    assert "0 toegevoegd" in texts(at.success) and "metadata bijgewerkt" in texts(at.success)
    saved = json.loads((admin_env.corpus_dir / "metadata.json").read_text(encoding="utf-8"))
    assert (
        saved["nza-advies-betaaltitel.html"]["status"] == "vervangen door beleidsregel 2024-10-01"
    )
    assert saved["nza-advies-betaaltitel.html"]["kind"] == "advies"  # other fields kept


def test_without_an_index_only_an_admin_can_build_one_and_the_build_is_audited(
    app_index: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(app_index.corpus_dir, tmp_path / "corpus")
    monkeypatch.setenv("BRONWIJZER_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("BRONWIJZER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BRONWIJZER_ADMIN_PASSWORD", ADMIN_PASSWORD)
    at = start()
    assert "python -m ingest" in texts(at.info)
    assert not at.chat_input
    # An anonymous visitor is told who can build it, and gets no button for it.
    assert "Alleen een beheerder kan de index maken" in texts(at.warning)
    assert not [b for b in at.button if "Index" in b.label]
    at.run()
    assert not at.chat_input, "still no index"

    at = open_documents(at, ADMIN_PASSWORD)
    at.switch_page("ui/ask.py").run()
    [build] = [b for b in at.button if b.label == "Index nu maken"]
    build.click().run()
    assert not at.exception, at.exception
    assert "3 documenten" in texts(at.success)
    at.run()
    at = ask(at, QUESTION)
    assert source_cards(at)
    settings = Settings(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "data")
    [built] = [r for r in AuditLog(settings).records() if r.get("action") == "Indexeren"]
    assert built["ok"] and built["actor"] == "beheerder" and "3 documenten" in built["summary"]
