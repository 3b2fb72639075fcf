"""Shared fixtures: tiny real documents, a real Chroma index in a temp dir, the real model."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from eval.chroma_server import ChromaServer
from ingest import sync
from tests.apphelpers import ADMIN_PASSWORD
from tests.commands import ROOT

REAL_CORPUS = ROOT / "corpus"

TXT_DOC = (
    " Hierbij informeer ik u over de nieuwe regeling.\n"
    "\n"
    "Hoofdpunten van de regeling\n"
    "De nieuwe betaaltitel voor samenwerking in de WIz en de Zvw maakt het mogelijk om\n"
    "afstemming rond kwetsbare ouderen te bekostigen. Zorgverzekeraars brengen voor deze\n"
    "kosten geen eigen risico in rekening bij de verzekerde. Dat geldt voor domeinover-\n"
    "stijgende afstemming tussen aanbieders.\n"
    "Kenmerk\n"
    "Pagina 1 van 2\n"
    " Looptijd en evaluatie\n"
    "De betaaltitel heeft een looptijd van vijf jaar en wordt na drie jaar geëvalueerd door\n"
    "een onafhankelijk bureau. Daarna besluit de minister over een definitieve vorm.\n"
    "Pagina 2 van 2\n"
)


def make_pdf(path: Path) -> None:
    """A real two-page PDF with a text layer."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pages = [
        "Bijlage contractvereiste. Een zorgaanbieder moet een overeenkomst met de "
        "zorgverzekeraar hebben voordat de prestatie kan worden gedeclareerd.",
        "Monitoring. De NZa monitort het gebruik van de prestatie jaarlijks en rapporteert "
        "daarover aan de minister van VWS.",
    ]
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


def make_docx(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Toelichting lump sum", level=1)
    document.add_paragraph(
        "Partijen kunnen een lump sum afspreken voor de afstemming. Het bedrag wordt per "
        "jaar vastgesteld in de overeenkomst tussen zorgverzekeraar en samenwerkingsverband."
    )
    document.add_heading("Privacy", level=1)
    document.add_paragraph(
        "De Autoriteit Persoonsgegevens houdt toezicht op de verwerking van persoonsgegevens "
        "binnen het samenwerkingsverband."
    )
    document.save(str(path))


HTML_DOC = """<!doctype html><html><head><title>Nieuwsbericht</title>
<style>p { color: red }</style><script>var secret = "scriptgeheim";</script></head>
<body><nav>Menu Home Contact</nav>
<h1>Facultatieve prestatie</h1>
<p>Een facultatieve prestatie is een prestatie die partijen alleen in onderling overleg
kunnen declareren.</p>
<h2>Voorwaarden</h2>
<ul><li>Er is een schriftelijke overeenkomst.</li><li>De prestatie is vooraf aangevraagd.</li></ul>
<p style="display:none">Verborgen tekst verstopt</p>
<div hidden>Nog meer verborgen inhoud</div>
</body></html>"""


def indexed_texts(
    base: Path, texts: dict[str, str], metadata: dict[str, dict[str, str]]
) -> Settings:
    """A corpus of the given text files and metadata under `base`, indexed for real."""
    from ingest import sync

    corpus = base / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    settings = Settings(corpus_dir=corpus, data_dir=base / "data")
    sync(settings)
    return settings


def write_tiny_corpus(folder: Path) -> Path:
    """Real small files of every supported kind, plus an empty and a corrupt one."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "regeling.txt").write_text(TXT_DOC, encoding="utf-8")
    make_pdf(folder / "bijlage.pdf")
    make_docx(folder / "toelichting.docx")
    (folder / "nieuws.html").write_text(HTML_DOC, encoding="utf-8")
    (folder / "notitie.md").write_text(
        "# Notitie\n\nDe Wmo valt niet onder deze\nbetaaltitel; gemeenten bekostigen die zelf.\n",
        encoding="utf-8",
    )
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    (folder / "metadata.json").write_text(
        json.dumps(
            {
                "regeling.txt": {
                    "title": "Regeling samenwerking",
                    "date": "2024-01-15",
                    "kind": "beleidsregel",
                    "status": "definitief",
                }
            }
        ),
        encoding="utf-8",
    )
    return folder


@pytest.fixture()
def tiny_settings(tmp_path: Path) -> Settings:
    """Settings over a fresh copy of the tiny corpus; nothing indexed yet."""
    corpus = write_tiny_corpus(tmp_path / "corpus")
    return Settings(corpus_dir=corpus, data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def tiny_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The tiny corpus indexed once per session (read-only for the tests using it)."""
    base = tmp_path_factory.mktemp("tiny")
    settings = Settings(corpus_dir=write_tiny_corpus(base / "corpus"), data_dir=base / "data")
    sync(settings)
    return settings


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real two-document corpus indexed once per session with the real model."""
    base = tmp_path_factory.mktemp("real")
    corpus = base / "corpus"
    shutil.copytree(REAL_CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, data_dir=base / "data")
    sync(settings)
    return settings


@pytest.fixture(scope="session")
def corpus_kb(corpus_index: Settings) -> KnowledgeBase:
    return KnowledgeBase(corpus_index)


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any attempt to open a network connection; yields the attempts made."""
    attempts: list[str] = []

    def refuse(self: socket.socket, address: object, *args: object) -> None:
        attempts.append(repr(address))
        raise OSError(f"network access attempted: {address!r}")

    def refuse_lookup(host: object, *args: object, **kwargs: object) -> list[object]:
        attempts.append(repr(host))
        raise OSError(f"DNS lookup attempted: {host!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_lookup)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield attempts


# -- app fixtures (tests/test_app.py, tests/test_manage.py, tests/test_browser.py) -----------
APP_DATA = Path(__file__).resolve().parent / "data" / "app"


@pytest.fixture(scope="session")
def app_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The three tiny app documents (tests/data/app) indexed once per session; read-only."""
    base = tmp_path_factory.mktemp("app-index")
    shutil.copytree(APP_DATA, base / "corpus")
    settings = Settings(corpus_dir=base / "corpus", data_dir=base / "data")
    sync(settings)
    return settings


@pytest.fixture()
def app_site(app_index: Settings, tmp_path: Path) -> Settings:
    """A private, writable copy of the indexed app corpus (corpus folder and index)."""
    base = tmp_path / "site"
    shutil.copytree(app_index.corpus_dir, base / "corpus")
    shutil.copytree(app_index.data_dir, base / "data")
    return Settings(corpus_dir=base / "corpus", data_dir=base / "data")


@pytest.fixture()
def app_env(app_site: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """app_site, with BRONWIJZER_* pointing there so that app.py (AppTest) reads it."""
    monkeypatch.setenv("BRONWIJZER_CORPUS_DIR", str(app_site.corpus_dir))
    monkeypatch.setenv("BRONWIJZER_DATA_DIR", str(app_site.data_dir))
    return app_site


@pytest.fixture()
def admin_env(app_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """app_env with an admin password configured (BRONWIJZER_ADMIN_PASSWORD)."""
    monkeypatch.setenv("BRONWIJZER_ADMIN_PASSWORD", ADMIN_PASSWORD)
    return app_env


# -- Chroma server fixtures (tests/test_server.py) ---------------------------------------------
@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A real `chroma run` on 127.0.0.1 and a free port, for the whole session."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def server_settings(
    chroma_server: ChromaServer, tmp_path: Path, request: pytest.FixtureRequest
) -> Settings:
    """The tiny corpus, to be indexed on the Chroma server under collections of its own."""
    prefix = "t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
    return Settings(
        corpus_dir=write_tiny_corpus(tmp_path / "corpus"),
        data_dir=tmp_path / "data",
        chroma_host="127.0.0.1",
        chroma_port=chroma_server.port,
        collection_prefix=prefix,
    )


@pytest.fixture()
def server_env(server_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """server_settings, also in BRONWIJZER_* so that the CLIs (python -m ...) read them."""
    values = {
        "CORPUS_DIR": server_settings.corpus_dir,
        "DATA_DIR": server_settings.data_dir,
        "CHROMA_HOST": server_settings.chroma_host,
        "CHROMA_PORT": server_settings.chroma_port,
        "COLLECTION_PREFIX": server_settings.collection_prefix,
    }
    for name, value in values.items():
        monkeypatch.setenv(f"BRONWIJZER_{name}", str(value))
    return server_settings
