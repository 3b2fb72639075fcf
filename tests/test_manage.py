"""Adding, replacing and deleting documents: validated first, atomic, restored on failure."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from filelock import FileLock

from bronwijzer.errors import DocumentError, IndexBusyError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from ingest.manage import add_document, delete_document, replace_document
from ingest.uploads import safe_filename

NEW_TEXT = (
    b"Notitie mantelzorgondersteuning\n\n"
    b"Gemeenten bekostigen de respijtzorg voor mantelzorgers uit de Wmo. Een mantelzorger "
    b"kan bij de gemeente een aanvraag doen voor logeeropvang van de naaste.\n"
)


def snapshot(settings: Settings) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(settings.corpus_dir.iterdir())}


def metadata(settings: Settings) -> dict[str, dict[str, str]]:
    path = settings.corpus_dir / settings.metadata_file
    return json.loads(path.read_text(encoding="utf-8"))


def indexed(settings: Settings) -> dict[str, str]:
    """doc_id -> all indexed text of that document, from a fresh knowledge base."""
    kb = KnowledgeBase(settings)
    return {d.doc_id: " ".join(c.text for c in kb.chunks_of(d.doc_id)) for d in kb.documents()}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.md", "evil.md"),
        ("Kamerbrief (definitief) 2023!.PDF", "Kamerbrief-definitief-2023.pdf"),
        (".verborgen.txt", "verborgen.txt"),
        ("Notitie over zorg én welzijn.docx", "Notitie-over-zorg-en-welzijn.docx"),
        ("rapport.final.html", "rapport.final.html"),
    ],
)
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given) == expected


@pytest.mark.parametrize("given", ["", "../", "???.txt", "..."])
def test_safe_filename_refuses_names_without_letters(given: str) -> None:
    with pytest.raises(DocumentError, match="ongeldige bestandsnaam"):
        safe_filename(given)


def _broken_docx() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 40


def _docx_without_text() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("programma.exe", b"MZ\x90\x00\x03", "niet toegestaan"),
        ("leeg.txt", b"", "leeg"),
        ("nep.txt", b"%PDF-1.4\n%binary", "de inhoud is een PDF"),
        ("nep.md", b"MZ\x90\x00 program", "Windows-programma"),
        ("nep.pdf", b"MZ\x90\x00 program", "geen PDF"),
        ("kapot.docx", _broken_docx(), "DOCX"),
        ("zonder-tekst.docx", _docx_without_text(), "tekst"),
        ("spaties.txt", b"   \n\n  \n", "tekst"),
    ],
)
def test_bad_uploads_are_refused_before_the_corpus_changes(
    app_site: Settings, filename: str, data: bytes, message: str
) -> None:
    before = snapshot(app_site)
    with pytest.raises(DocumentError, match=message):
        add_document(app_site, filename, data)
    assert snapshot(app_site) == before


def test_too_large_is_refused_with_the_limit(app_site: Settings) -> None:
    small = app_site.model_copy(update={"max_file_mb": 0.0001})  # 100 bytes
    with pytest.raises(DocumentError, match=r"te groot .*maximaal 0\.0001 MB"):
        add_document(small, "groot.txt", b"woord " * 100)
    assert not (app_site.corpus_dir / "groot.txt").exists()


def test_same_content_under_another_name_is_a_duplicate(app_site: Settings) -> None:
    existing = (app_site.corpus_dir / "kamerbrief-wijkverpleging.txt").read_bytes()
    with pytest.raises(DocumentError, match=r"staat er al, als 'kamerbrief-wijkverpleging\.txt'"):
        add_document(app_site, "kopie van de brief.txt", existing)
    assert not (app_site.corpus_dir / "kopie-van-de-brief.txt").exists()


def test_an_existing_name_asks_for_replace(app_site: Settings) -> None:
    with pytest.raises(DocumentError, match="Vervangen"):
        add_document(app_site, "kamerbrief-wijkverpleging.txt", NEW_TEXT)


def test_add_writes_inside_the_corpus_and_indexes_with_metadata(
    app_site: Settings, tmp_path: Path
) -> None:
    report = add_document(
        app_site,
        "../../mantelzorg notitie.txt",
        NEW_TEXT,
        {"title": " Notitie  mantelzorg ", "date": "2025-01-02", "kind": "notitie", "x": "weg"},
    )
    name = "mantelzorg-notitie.txt"
    assert (app_site.corpus_dir / name).read_bytes() == NEW_TEXT
    assert not list(tmp_path.glob("*.txt")), "nothing may be written outside the corpus"
    assert report.documents == 4 and report.chunks_added >= 1 and report.chunks_removed == 0
    assert metadata(app_site)[name] == {
        "title": "Notitie mantelzorg",
        "date": "2025-01-02",
        "kind": "notitie",
    }
    assert "beleidsregel-afstemming.md" in metadata(app_site)  # other entries kept
    assert not [p for p in app_site.corpus_dir.iterdir() if p.name.startswith(".")]
    answer = KnowledgeBase(app_site).answer("Wie bekostigt de respijtzorg voor mantelzorgers?")
    assert not answer.abstained
    assert answer.passages[0].chunk.doc.doc_id == name  # the new document answers it
    cited = {c.doc_id: c.title for c in answer.citations}  # numbered newest document first
    assert cited[name] == "Notitie mantelzorg"


def test_replace_indexes_the_new_version_and_keeps_metadata(app_site: Settings) -> None:
    doc = "kamerbrief-wijkverpleging.txt"
    new = (
        b"Kamerbrief over de bekostiging van de wijkverpleging\n\n"
        b"De integrale bekostiging van de wijkverpleging wordt verlengd tot en met 2030.\n"
    )
    report = replace_document(app_site, doc, "brief-v2.txt", new, {"date": "2025-09-01"})
    assert report.chunks_added >= 1 and report.chunks_removed >= 1
    assert (app_site.corpus_dir / doc).read_bytes() == new
    entry = metadata(app_site)[doc]
    assert entry["title"] == "Kamerbrief bekostiging wijkverpleging"
    assert entry["date"] == "2025-09-01"
    text = indexed(app_site)[doc]
    assert "2030" in text and "zorg mijden" not in text


def test_replace_by_another_format_renames_and_moves_metadata(app_site: Settings) -> None:
    new = b"# Advies betaaltitel\n\nDe NZa adviseert nu een landelijke betaaltitel vanaf 2027.\n"
    replace_document(app_site, "nza-advies-betaaltitel.html", "advies.md", new)
    assert not (app_site.corpus_dir / "nza-advies-betaaltitel.html").exists()
    assert (app_site.corpus_dir / "nza-advies-betaaltitel.md").read_bytes() == new
    entries = metadata(app_site)
    assert "nza-advies-betaaltitel.html" not in entries
    assert entries["nza-advies-betaaltitel.md"]["kind"] == "advies"
    assert set(indexed(app_site)) == {
        "beleidsregel-afstemming.md",
        "kamerbrief-wijkverpleging.txt",
        "nza-advies-betaaltitel.md",
    }


def test_replace_refuses_the_same_version_and_unknown_documents(app_site: Settings) -> None:
    doc = "kamerbrief-wijkverpleging.txt"
    same = (app_site.corpus_dir / doc).read_bytes()
    with pytest.raises(DocumentError, match="dezelfde versie"):
        replace_document(app_site, doc, doc, same)
    with pytest.raises(DocumentError, match="staat niet in de corpusmap"):
        replace_document(app_site, "../corpus/bestaat-niet.txt", "x.txt", NEW_TEXT)
    with pytest.raises(DocumentError, match="staat niet in de corpusmap"):
        delete_document(app_site, "bestaat-niet.txt")


def test_delete_removes_file_metadata_and_index_entries(app_site: Settings) -> None:
    doc = "beleidsregel-afstemming.md"
    report = delete_document(app_site, doc)
    assert report.chunks_removed >= 1
    assert not (app_site.corpus_dir / doc).exists()
    assert doc not in metadata(app_site)
    assert doc not in indexed(app_site)


def test_a_failed_sync_restores_the_previous_file_and_metadata(app_site: Settings) -> None:
    before = snapshot(app_site)
    before_index = indexed(app_site)
    doc = "kamerbrief-wijkverpleging.txt"
    # Another process holds the index's writer lock, so sync() fails after the file moved.
    with FileLock(str(app_site.data_dir / "write.lock")):
        with pytest.raises(IndexBusyError):
            replace_document(app_site, doc, doc, b"Een heel andere versie van de brief.\n")
        with pytest.raises(IndexBusyError):
            add_document(app_site, "nieuw.txt", NEW_TEXT, {"title": "Nieuw"})
        with pytest.raises(IndexBusyError):
            delete_document(app_site, "beleidsregel-afstemming.md")
    assert snapshot(app_site) == before
    assert indexed(app_site) == before_index


def test_update_metadata_changes_status_without_reembedding(app_site: Settings) -> None:
    from ingest.manage import update_metadata

    doc = "nza-advies-betaaltitel.html"
    report = update_metadata(
        app_site, doc, {**metadata(app_site)[doc], "status": "vervangen door beleidsregel"}
    )
    assert report.chunks_added == 0 and report.chunks_updated >= 1
    info = {d.doc_id: d for d in KnowledgeBase(app_site).documents()}[doc]
    assert info.status == "vervangen door beleidsregel"
    with pytest.raises(DocumentError, match="niet veranderd"):
        update_metadata(app_site, doc, metadata(app_site)[doc])
    with pytest.raises(DocumentError, match="staat niet in de corpusmap"):
        update_metadata(app_site, "../metadata.json", {"title": "x"})
