"""The analyst pages (clause, glossary, differences) through AppTest on the real corpus."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from bronwijzer.settings import Settings
from tests.apphelpers import APP


@pytest.fixture()
def real_corpus_env(corpus_index: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """BRONWIJZER_* pointing at the indexed real corpus (the pages only read it)."""
    monkeypatch.setenv("BRONWIJZER_CORPUS_DIR", str(corpus_index.corpus_dir))
    monkeypatch.setenv("BRONWIJZER_DATA_DIR", str(corpus_index.data_dir))
    return corpus_index


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def cards(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith('<div class="bw-source')]


def test_clause_page_shows_every_passage_highlighted(real_corpus_env: Settings) -> None:
    at = open_page("ui/clause.py")
    at.text_input[0].set_value("contractvereiste").run()
    assert not at.exception, at.exception
    shown = cards(at)
    assert len(shown) == 5  # 1 in the Kamerbrief, 4 in the NZa exploration
    assert all("<mark>contractvereiste" in c.lower() for c in shown)
    assert at.subheader[0].value.startswith("Kamerbrief")  # newest first
    assert at.get("download_button")


def test_glossary_page_lists_defined_abbreviations(real_corpus_env: Settings) -> None:
    at = open_page("ui/glossary.py")
    labels = [e.label for e in at.expander]
    assert any(label.startswith("**Wlz** — Wet langdurige zorg") for label in labels)
    assert any(label.startswith("**betaaltitel**") for label in labels)
    at.text_input[0].set_value("wmg").run()
    assert [e.label.split(" · ")[0] for e in at.expander] == [
        "**Wmg** — Wet marktordening gezondheidszorg"
    ]
    assert any("<mark>Wet marktordening gezondheidszorg</mark>" in c for c in cards(at))


def test_compare_page_flags_end_date_difference(real_corpus_env: Settings) -> None:
    at = open_page("ui/compare.py")
    at.text_input[0].set_value("Heeft de betaaltitel een einddatum of een beperkte looptijd?")
    at.run()
    assert not at.exception, at.exception
    warnings = "\n".join(w.value for w in at.warning)
    assert "duur / looptijd" in warnings
    assert "vijf jaar" in warnings and "geen einddatum" in warnings
    assert any("<mark>Geen einddatum</mark>" in c for c in cards(at))


def test_answer_explains_its_abbreviations(real_corpus_env: Settings) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.chat_input[0].set_value("Wat stelt de NZa voor over een betaaltitel voor Zvw en Wlz?").run()
    assert not at.exception, at.exception
    # AppTest has no popover element: the label is in the block's proto.
    popovers = {p.proto.popover.label: p for p in at.get("popover")}  # type: ignore[attr-defined]
    assert {"NZa", "Zvw", "Wlz"} <= set(popovers)
    inside = "\n".join(m.value for m in popovers["Wlz"].markdown)
    assert "**Wlz**: Wet langdurige zorg" in inside and "p. " in inside
