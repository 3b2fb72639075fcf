"""Hostile text in documents and boxes: shown literally, bounded in length; app config.

A title or a glossary heading holding Markdown must not become an image (the reader's
browser would fetch it from another host) or a link. tests/test_browser.py checks the same
in Chromium, down to the requests the browser makes.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.config import ShowErrorDetailsConfigOptions
from streamlit.testing.v1 import AppTest

from bronwijzer.analysis.compare import compare
from bronwijzer.errors import QuestionError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from tests.apphelpers import (
    ADMIN_PASSWORD,
    HOSTILE_TITLE,
    LINK_DOC,
    add_link_document,
    open_documents,
    start,
)
from tests.commands import ROOT
from ui.safe_text import WORD_JOINER, literal, literal_lines


@pytest.fixture()
def link_env(app_env: Settings) -> Settings:
    add_link_document(app_env)
    return app_env


def shown(markdown: str) -> str:
    """What a reader sees of literal() output: escapes and word joiners gone."""
    return markdown.replace("\\", "").replace(WORD_JOINER, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![x](http://h/x.png)", "!\\[x\\](http:\u2060//h/x.png)"),
        ("[klik](https://h/l)", "\\[klik\\](https:\u2060//h/l)"),
        ("zie www.nza.nl of mail a@b.nl", "zie www\u2060.nza.nl of mail a@\u2060b.nl"),
        ("1. Inleiding", "1\\. Inleiding"),
        ("- punt", "\\- punt"),
        ("# Kop *nadruk* _ook_ <b>vet</b>", "\\# Kop \\*nadruk\\* \\_ook\\_ \\<b\\>vet\\</b\\>"),
        (":red[rood] $x$ a & b", ":red\\[rood\\] \\$x\\$ a \\& b"),
        ("twee\n\nregels", "twee regels"),
    ],
)
def test_literal_escapes_every_markdown_construct(text: str, expected: str) -> None:
    assert literal(text) == expected
    assert shown(literal(text)) == " ".join(text.split())  # the reader sees the same text


def test_literal_lines_keeps_lines() -> None:
    assert literal_lines("a *b*\nOvergeslagen: x.pdf\n") == "a \\*b\\*  \nOvergeslagen: x.pdf"


def md_values(at: AppTest) -> list[str]:
    elements = [*at.markdown, *at.caption, *at.subheader, *at.title, *at.warning, *at.info]
    return [e.value for e in elements] + [e.label for e in at.expander]


def assert_title_literal(values: list[str]) -> None:
    # Source cards are one-line HTML blocks, which Markdown leaves alone; their text is
    # HTML-escaped (see ui/render.source_card).
    holding = [
        v for v in values if "Linkbrief" in v and "example" in v and not v.startswith("<div")
    ]
    assert holding, "the title is shown"
    for value in holding:
        assert literal(HOSTILE_TITLE) in value and "http://" not in value, value


def test_a_title_with_markdown_is_shown_literally_on_every_page(link_env: Settings) -> None:
    at = start()
    assert_title_literal([m.value for m in at.sidebar.markdown])  # the document list

    at.switch_page("ui/clause.py").run()
    at.text_input[0].set_value("Zorginstituut").run()
    assert not at.exception, at.exception
    assert_title_literal([s.value for s in at.subheader])

    at.switch_page("ui/compare.py").run()
    at.multiselect[0].set_value([LINK_DOC, "kamerbrief-wijkverpleging.txt"])
    at.text_input[0].set_value("Wie adviseert over de zorg?").run()
    assert not at.exception, at.exception
    assert_title_literal(md_values(at))

    at.switch_page("ui/glossary.py").run()
    assert not at.exception, at.exception
    assert_glossary_literal(at)


def assert_glossary_literal(at: AppTest) -> None:
    """The glossary shows the document's URLs and asterisks as text, and the title literally."""
    labels = [e.label for e in at.expander]
    zin = next(label for label in labels if label.startswith("**ZIN**"))
    assert "http://" not in zin and "http:\u2060//example.invalid/zin" in zin
    assert "\\*Nederland\\*" in zin  # the document's asterisks are text, not emphasis
    regels = next(label for label in labels if "regels" in label and "example" in label)
    assert "www." not in regels and "www\u2060.example.invalid" in regels
    assert_title_literal([m.value for m in at.markdown if m.value.startswith("**Gebruikt in")])


def test_every_text_box_has_a_maximum_length(
    link_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRONWIJZER_ADMIN_PASSWORD", ADMIN_PASSWORD)
    at = start()
    boxes = {f"chat: {c.placeholder}": c.proto.max_chars for c in at.chat_input}
    for page in ("ui/clause.py", "ui/compare.py", "ui/glossary.py"):
        at.switch_page(page).run()
        boxes |= {f"{page}: {t.label}": t.max_chars for t in at.text_input}
    at = open_documents(at)
    boxes |= {f"login: {t.label}": t.max_chars for t in at.text_input}
    at = open_documents(at, ADMIN_PASSWORD)
    boxes |= {f"documents: {t.label} {t.key or t.id}": t.max_chars for t in at.text_input}
    at.switch_page("ui/ask.py").run()
    at.chat_input[0].set_value("Wie adviseert over de zorg?").run()
    boxes |= {f"feedback: {t.label}": t.max_chars for t in at.text_input}
    boxes |= {f"area: {t.label}": t.max_chars for t in at.text_area}
    assert len(boxes) >= 12, boxes  # chat, 3 page boxes, login, 6 document fields, feedback
    assert all(boxes.values()), [name for name, limit in boxes.items() if not limit]
    assert boxes["chat: Stel een vraag over de documenten…"] == 1000
    assert boxes["login: Beheerderswachtwoord"] == 256


def test_compare_refuses_a_too_long_question_before_any_work(tmp_path: Path) -> None:
    # No index at all: anything that looked at the documents first would fail on that.
    kb = KnowledgeBase(Settings(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "data"))
    with pytest.raises(QuestionError, match="te lang \\(14889 tekens; maximaal 1000\\)"):
        compare(kb, "lang " * 2977 + "lang", ["a.txt", "b.txt"])


def test_streamlit_config_limits_uploads_and_hides_error_details() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == Settings().max_file_mb == 50
    assert config["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE.value
    assert config["client"]["toolbarMode"] == "viewer"
