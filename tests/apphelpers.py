"""Driving app.py through AppTest, and the documents the app tests add or replace.

A plain module, not a test module: test files import from here, never from each other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from ingest.__main__ import main as ingest_main
from ingest.sync import sync

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ADMIN_PASSWORD = "beheer-test-7f3a"
QUESTION = "Geldt het eigen risico voor patiëntengroepsgebonden afstemming?"
ADD = "FormSubmitter:add-Toevoegen en indexeren"
INDEXED = {  # the documents of tests/data/app, as the app_index fixture indexes them
    "beleidsregel-afstemming.md",
    "kamerbrief-wijkverpleging.txt",
    "nza-advies-betaaltitel.html",
}


def start(timeout: float = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)  # the first run loads the model
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def open_documents(at: AppTest, password: str | None = None) -> AppTest:
    """Go to the documents page; log in as admin there when a password is given."""
    at.switch_page("ui/documents.py").run()
    assert not at.exception, at.exception
    if password is not None:
        at.text_input(key="admin-password").set_value(password)
        at.button(key="FormSubmitter:admin-login-Inloggen als beheerder").click().run()
        assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    """Add a file through the documents page's upload form."""
    at.file_uploader(key="add-file").upload(name, data)
    at.button(key=ADD).click().run()
    assert not at.exception, at.exception
    return at


def source_cards(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith('<div class="bw-source')]


def texts(elements: object) -> str:
    return "\n".join(e.value for e in elements)  # type: ignore[attr-defined]


def indexed(settings: Settings) -> set[str]:
    return {d.doc_id for d in KnowledgeBase(settings).documents()}


def assert_ingest_skips(
    site: Settings, cases: list[tuple[str, bytes, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m ingest` over the corpus with the cases' files added skips each with its
    message (a pattern) and loses nothing indexed before."""
    for name, data, _ in cases:
        (site.corpus_dir / name).write_bytes(data)
    argv = ["--corpus", str(site.corpus_dir), "--data", str(site.data_dir)]
    assert ingest_main(argv) == 0
    out = capsys.readouterr().out
    skipped = {
        line.split(":")[1].strip(): line for line in out.splitlines() if "Overgeslagen" in line
    }
    for name, _, message in cases:
        assert name in skipped, out
        assert re.search(message, skipped[name]), skipped[name]
    assert indexed(site) == INDEXED  # nothing indexed before was lost


# -- a document whose title and text hold Markdown (test_render_safety, test_browser) ---------
LINK_DOC = "linkbrief.txt"
HOSTILE_TITLE = "Linkbrief ![x](http://example.invalid/x.png) [klik](http://example.invalid/link)"
LINK_TEXT = (
    "Linkbrief\n\n"
    "Het Zorginstituut ZIN (Zorginstituut *Nederland* http://example.invalid/zin) adviseert "
    "over de zorg. De regels voor de zorg (hierna: www.example.invalid/regels) gelden voor "
    "iedereen. ZIN adviseert over de regels. Meer informatie: [lees](http://example.invalid/"
    "lees) en ![logo](http://example.invalid/logo.png).\n"
)


def add_link_document(settings: Settings) -> None:
    """A document whose title and text hold Markdown images, links and bare URLs; indexed."""
    (settings.corpus_dir / LINK_DOC).write_text(LINK_TEXT, encoding="utf-8")
    path = settings.corpus_dir / settings.metadata_file
    metadata = json.loads(path.read_text(encoding="utf-8"))
    metadata[LINK_DOC] = {"title": HOSTILE_TITLE, "date": "2025-01-01", "kind": "brief"}
    path.write_text(json.dumps(metadata), encoding="utf-8")
    sync(settings)


# -- a document replaced while readers ask (test_concurrency, test_app_concurrency) -----------
DOC = "kamerbrief-wijkverpleging.txt"
QUESTIONS = [
    "Tot wanneer wordt de integrale bekostiging van de wijkverpleging verlengd?",
    "Uit welke wet wordt de wijkverpleging bekostigd?",
]
NEW_VERSION = (
    b"Kamerbrief over de bekostiging van de wijkverpleging\n\n"
    b"Het kabinet verlengt de integrale bekostiging van de wijkverpleging tot en met 2031. "
    b"De wijkverpleging blijft bekostigd uit de Zorgverzekeringswet; zorgverzekeraars kopen "
    b"haar in met meerjarige afspraken over kwaliteit en prijs.\n"
)
