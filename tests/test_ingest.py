"""Ingest on real small files: pages, sections, cleaning, incremental sync, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest
from llama_index.core.schema import MetadataMode

from bronwijzer.errors import DocumentError
from bronwijzer.index.store import IndexStore
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.retrieval.hybrid import chunk_to_node
from bronwijzer.settings import Settings
from ingest import chunk_file, document_info, read_metadata, sync
from ingest.loaders import load
from ingest.structure import to_blocks


def chunks_for(settings: Settings, name: str) -> list:
    path = settings.corpus_dir / name
    return chunk_file(path, document_info(path, read_metadata(settings)), settings)


def test_txt_pages_sections_and_cleaning(tiny_settings: Settings) -> None:
    chunks = chunks_for(tiny_settings, "regeling.txt")
    text = "\n".join(c.text for c in chunks)
    # A line starting with one space starts a new page; furniture is gone.
    assert "Pagina 1 van 2" not in text and "Kenmerk" not in text
    # Line-break hyphenation is joined.
    assert "domeinoverstijgende afstemming" in text
    looptijd = next(c for c in chunks if "looptijd van vijf jaar" in c.text)
    assert looptijd.page_at(looptijd.text.index("looptijd van vijf jaar")) == 2
    assert looptijd.section == "Looptijd en evaluatie"
    first = next(c for c in chunks if "eigen risico" in c.text)
    assert first.section == "Hoofdpunten van de regeling"
    assert first.doc.title == "Regeling samenwerking" and first.doc.date == "2024-01-15"


def test_pdf_keeps_page_numbers(tiny_settings: Settings) -> None:
    chunks = chunks_for(tiny_settings, "bijlage.pdf")
    monitoring = next(c for c in chunks if "monitort" in c.text)
    assert monitoring.page_at(monitoring.text.index("monitort")) == 2
    contract = next(c for c in chunks if "overeenkomst" in c.text)
    assert contract.page_at(contract.text.index("overeenkomst")) == 1


def test_docx_and_html_headings_and_hidden_text(tiny_settings: Settings) -> None:
    docx_chunks = chunks_for(tiny_settings, "toelichting.docx")
    privacy = next(c for c in docx_chunks if "Autoriteit Persoonsgegevens" in c.text)
    assert privacy.section == "Privacy"
    html_chunks = chunks_for(tiny_settings, "nieuws.html")
    html_text = " ".join(c.text for c in html_chunks)
    assert "onderling overleg" in html_text
    assert "schriftelijke overeenkomst" in html_text
    for hidden in ("scriptgeheim", "Verborgen", "verborgen inhoud", "color: red", "Menu Home"):
        assert hidden not in html_text
    voorwaarden = next(c for c in html_chunks if "schriftelijke" in c.text)
    assert voorwaarden.section == "Voorwaarden"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.txt", b"", "leeg"),
        ("kapot.pdf", b"%PDF-1.4 garbage", "PDF"),
        ("programma.pdf", b"MZ\x90\x00\x03binary", "geen PDF"),
        ("tabel.xlsx", b"PK\x03\x04", "niet ondersteund"),
        ("binair.txt", b"\x00\x01\x02\x00", "binair"),
    ],
)
def test_bad_files_raise_clear_errors(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        load(path, max_bytes=10_000_000)
    assert name in str(caught.value) and message in str(caught.value)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "groot.txt"
    path.write_text("woord " * 1000, encoding="utf-8")
    # The limit as given, not rounded to whole MB (was 'maximaal 0 MB').
    with pytest.raises(
        DocumentError, match=r"groot\.txt: te groot \(0\.0 MB; maximaal 0\.0001 MB\)"
    ):
        load(path, max_bytes=100)


def test_real_corpus_furniture_and_footnotes() -> None:
    path = Path(__file__).resolve().parent.parent / "corpus"
    nza = load(path / "nza-verkenning-sectoroverstijgende-betaaltitel-2021.txt", 10**8)
    text = "\n".join(b.text for b in to_blocks(nza))
    assert "Pagina 2 van 6" not in text
    assert "\nKenmerk\n" not in text
    brief = load(path / "kamerbrief-2023-11-29-tk-31765-836.txt", 10**8)
    blocks = [b.text for b in to_blocks(brief)]
    # The footnotes at the bottom of page 1 no longer split the running sentence.
    assert any(
        "aanbieders uit het sociaal domein (maatschappelijke ondersteuning" in b for b in blocks
    )
    assert brief.page_count == 7


def test_section_heading_is_embedded_once() -> None:
    """The heading goes with every chunk of its section into the vector and BM25, but once:
    the first chunk of a section already opens with it (counting it twice pulled such chunks
    towards any question sharing a word with a heading; eval/README.md, heading once)."""
    settings = Settings(corpus_dir=Path(__file__).resolve().parent.parent / "corpus")
    name = "nza-verkenning-sectoroverstijgende-betaaltitel-2021.txt"
    chunks = chunks_for(settings, name)
    opening = [c for c in chunks if c.section and c.text.startswith(c.section)]
    continuing = [c for c in chunks if c.section and not c.text.startswith(c.section)]
    assert opening and continuing
    for chunk in opening + continuing:
        embedded = chunk_to_node(chunk).get_content(metadata_mode=MetadataMode.EMBED)
        assert embedded.startswith(chunk.section) and embedded.count(chunk.section) == 1
        assert embedded.endswith(chunk.text)


def test_sync_is_incremental_and_skips_bad_files(tiny_settings: Settings) -> None:
    first = sync(tiny_settings)
    assert first.documents == 5
    assert {name for name, _ in first.skipped} == {"leeg.txt", "kapot.pdf"}
    assert first.chunks_added > 0 and first.changed

    again = sync(tiny_settings)
    assert not again.changed and again.chunks_added == 0 and again.chunks_removed == 0
    assert again.generation == first.generation  # nothing embedded, nothing switched

    # A changed file replaces its chunks; the other documents are kept as they were.
    regeling = tiny_settings.corpus_dir / "regeling.txt"
    regeling.write_text(
        regeling.read_text(encoding="utf-8").replace("vijf jaar", "zeven jaar"), encoding="utf-8"
    )
    changed = sync(tiny_settings)
    assert changed.chunks_added >= 1 and changed.chunks_removed >= 1
    assert changed.chunks_kept >= first.chunks_added - 2
    kb = KnowledgeBase(tiny_settings)
    texts = " ".join(p.chunk.text for p in kb.retrieve("looptijd van de betaaltitel"))
    assert "zeven jaar" in texts and "vijf jaar" not in texts

    # A removed file's chunks are deleted.
    (tiny_settings.corpus_dir / "nieuws.html").unlink()
    removed = sync(tiny_settings)
    assert removed.chunks_removed >= 1 and removed.chunks_added == 0
    assert "nieuws.html" not in {d.doc_id for d in kb.documents()}
    assert IndexStore(tiny_settings).active() is not None


def test_unreadable_new_version_keeps_the_old_chunks(tiny_settings: Settings) -> None:
    sync(tiny_settings)
    kb = KnowledgeBase(tiny_settings)
    before = {c.chunk_id for c in kb.chunks_of("bijlage.pdf")}
    assert before
    (tiny_settings.corpus_dir / "bijlage.pdf").write_bytes(b"%PDF-1.4 truncated")
    report = sync(tiny_settings)
    assert "bijlage.pdf" in {name for name, _ in report.skipped}
    assert {c.chunk_id for c in kb.chunks_of("bijlage.pdf")} == before


def test_metadata_change_updates_without_reembedding(tiny_settings: Settings) -> None:
    sync(tiny_settings)
    meta = tiny_settings.corpus_dir / "metadata.json"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("definitief", "vervangen door regeling 2025"),
        encoding="utf-8",
    )
    report = sync(tiny_settings)
    assert report.chunks_updated > 0 and report.chunks_added == 0
    docs = {d.doc_id: d for d in KnowledgeBase(tiny_settings).documents()}
    assert docs["regeling.txt"].status == "vervangen door regeling 2025"
