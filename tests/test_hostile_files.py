"""Hostile documents (issue #18): every reader runs within limits, whatever the file looks like.

Deep HTML, zip bombs, DOCX files of many parts, PDFs of too many pages and documents that
give too many chunks are refused with a message naming the limit, through python -m ingest
and through the upload; what was indexed stays indexed. An upload is read in its own process,
outside the write lock and under a time limit, so one bad file never holds up the next.
"""

from __future__ import annotations

import io
import multiprocessing
import re
import struct
import threading
import zipfile
from pathlib import Path

import pytest

from bronwijzer.errors import DocumentError
from bronwijzer.settings import LimitSettings, Settings
from eval.bench import docx_with_paragraphs, long_pdf, nested_html, zip_bomb_docx
from ingest.loaders import load
from ingest.manage import add_document
from tests.apphelpers import (
    ADMIN_PASSWORD,
    INDEXED,
    assert_ingest_skips,
    indexed,
    open_documents,
    start,
    texts,
    upload,
)

NEW_TEXT = (
    b"Notitie mantelzorgondersteuning\n\n"
    b"Gemeenten bekostigen de respijtzorg voor mantelzorgers uit de Wmo. Een mantelzorger "
    b"kan bij de gemeente een aanvraag doen voor logeeropvang van de naaste.\n"
)


def with_limits(settings: Settings, **limits: float) -> Settings:
    return settings.model_copy(update={"limits": settings.limits.model_copy(update=limits)})


def lying_docx() -> bytes:
    """A DOCX of 20 MB of XML whose ZIP directory says word/document.xml is 1000 bytes."""
    data = bytearray(docx_with_paragraphs("Een zin over zorg. " * 40, 25_000))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.start_dir
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        name = data[offset + 46 : offset + 46 + name_len].decode()
        if name == "word/document.xml":
            struct.pack_into("<I", data, offset + 24, 1000)  # the stated unpacked size
        offset += 46 + name_len + extra_len + comment_len
    return bytes(data)


def many_chunks_txt(paragraphs: int) -> bytes:
    """Plain text of paragraphs long enough to be a chunk each."""
    sentence = "De zorgaanbieder stemt de zorg in de wijk af met de huisarts en de gemeente. "
    return "\n\n".join(f"Alinea {n}. " + sentence * 6 for n in range(paragraphs)).encode()


def hostile_cases() -> list[tuple[str, bytes, str]]:
    """(file name, content, the message) for each file over a default limit."""
    return [
        ("diep.html", nested_html(200_000), r"te diep genest \(200\.00\d niveaus; maximaal 256\)"),
        ("spans.html", nested_html(200_000, "span"), r"te diep genest \(200\.00\d niveaus"),
        ("bom.docx", zip_bomb_docx(120), r"uitgepakt te groot \(12\d\.\d MB; maximaal 100 MB\)"),
        (
            "onderdelen.docx",
            docx_with_paragraphs("Een alinea.", 3, extra_members=1200),
            r"te veel onderdelen \(1\.2\d\d; maximaal 1\.000\)",
        ),
        ("liegt.docx", lying_docx(), r"beschadigd \(Bad CRC-32"),
        ("lang.pdf", long_pdf(1001), r"te veel pagina's \(1\.001; maximaal 1\.000\)"),
        ("veel.txt", many_chunks_txt(5100), r"te veel tekstdelen op \(5\.1\d\d chunks; maximaal"),
    ]


def test_ingest_cli_skips_each_hostile_file_with_its_limit(
    app_site: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_ingest_skips(app_site, hostile_cases(), capsys)


@pytest.mark.parametrize("index", range(7))
def test_upload_refuses_each_hostile_file_and_changes_nothing(
    app_site: Settings, index: int
) -> None:
    name, data, message = hostile_cases()[index]
    before = sorted(p.name for p in app_site.corpus_dir.iterdir())
    with pytest.raises(DocumentError) as refused:
        add_document(app_site, name, data)
    assert re.search(message, str(refused.value)), str(refused.value)
    assert str(refused.value).startswith(f"{name}: ")
    assert sorted(p.name for p in app_site.corpus_dir.iterdir()) == before
    assert indexed(app_site) == INDEXED


def test_limits_come_from_the_settings(app_site: Settings, tmp_path: Path) -> None:
    small = with_limits(
        app_site, max_html_depth=20, max_pdf_pages=3, max_unpacked_mb=1, max_chunks=2
    )
    cases = [
        ("diep.html", nested_html(30), r"te diep genest \(3\d niveaus; maximaal 20\)"),
        ("lang.pdf", long_pdf(4), r"te veel pagina's \(4; maximaal 3\)"),
        ("bom.docx", zip_bomb_docx(2), r"uitgepakt te groot \(2\.\d MB; maximaal 1 MB\)"),
        ("veel.txt", many_chunks_txt(3), r"te veel tekstdelen op \(3 chunks; maximaal 2\)"),
    ]
    for name, data, message in cases:
        with pytest.raises(DocumentError, match=message):
            add_document(small, name, data)
        # The same file within the default limits is read.
        path = tmp_path / name
        path.write_bytes(data)
        assert load(path, max_bytes=10**8, limits=LimitSettings()).lines
    assert indexed(app_site) == INDEXED


def test_html_within_the_depth_limit_loses_only_its_hidden_parts(tmp_path: Path) -> None:
    levels = 250
    markup = (
        "<html><body>"
        + "<div>" * 100
        + '<div hidden><p>Verborgen buiten.</p><div style="display:none">'
        + "<div>" * 50
        + "<p>Verborgen binnen.</p>"
        + "</div>" * 52
        + "<div>" * (levels - 110)
        + "<p>Zichtbare tekst diep in de pagina.</p>"
        + "</div>" * (levels - 10)
        + "</body></html>"
    )
    path = tmp_path / "diep.html"
    path.write_text(markup, encoding="utf-8")
    text = [line.text for line in load(path, max_bytes=10**8).lines if line.text]
    assert text == ["Zichtbare tekst diep in de pagina."]
    with pytest.raises(DocumentError, match=r"te diep genest \(2\d\d niveaus; maximaal 200\)"):
        load(path, max_bytes=10**8, limits=LimitSettings(max_html_depth=200))


def slow_docx() -> bytes:
    """A DOCX within the size limits that takes seconds to read (50,000 paragraphs)."""
    return docx_with_paragraphs("Een zin over zorg in de wijk. " * 25, 50_000)


def test_a_read_over_the_time_limit_is_stopped_and_the_next_upload_goes_on(
    app_site: Settings,
) -> None:
    impatient = with_limits(app_site, parse_timeout_s=0.5, max_chunks=1_000_000)
    before = sorted(p.name for p in app_site.corpus_dir.iterdir())
    with pytest.raises(DocumentError, match=r"het lezen duurde langer dan 0\.5 s"):
        add_document(impatient, "traag.docx", slow_docx())
    assert not multiprocessing.active_children()  # the reading process was stopped
    assert sorted(p.name for p in app_site.corpus_dir.iterdir()) == before
    add_document(app_site, "notitie.txt", NEW_TEXT)  # the default time limit
    assert set(indexed(app_site)) == INDEXED | {"notitie.txt"}


def test_a_second_upload_completes_while_a_slow_file_is_being_read(app_site: Settings) -> None:
    outcome: list[BaseException] = []

    def add_slow() -> None:
        try:
            add_document(app_site, "traag.docx", slow_docx())
        except BaseException as exc:  # the outcome is checked below
            outcome.append(exc)

    slow = threading.Thread(target=add_slow)
    slow.start()
    for _ in range(6000):  # until the slow file's reading process runs (a minute at most)
        if multiprocessing.active_children():
            break
        slow.join(0.01)
    assert multiprocessing.active_children(), "the slow file was never read"
    add_document(app_site, "notitie.txt", NEW_TEXT)
    assert slow.is_alive()  # the first file is still being read: it held no lock
    slow.join()
    assert len(outcome) == 1 and "te veel tekstdelen" in str(outcome[0])
    assert set(indexed(app_site)) == INDEXED | {"notitie.txt"}
    assert not (app_site.corpus_dir / "traag.docx").exists()


def test_documents_page_refuses_deep_html_with_its_limit(admin_env: Settings) -> None:
    before = sorted(p.name for p in admin_env.corpus_dir.iterdir())
    at = upload(open_documents(start(), ADMIN_PASSWORD), "diep.html", nested_html(200_000))
    message = "diep.html: de HTML is te diep genest (200.002 niveaus; maximaal 256)."
    assert message in texts(at.error)
    assert sorted(p.name for p in admin_env.corpus_dir.iterdir()) == before
    assert indexed(admin_env) == INDEXED
