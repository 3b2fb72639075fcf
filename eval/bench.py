"""Timing of ingest, of warm queries and of refusing hostile files (python -m eval bench)."""

from __future__ import annotations

import io
import resource
import shutil
import socket
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

from bronwijzer.errors import DocumentError
from bronwijzer.knowledge import KnowledgeBase
from bronwijzer.settings import Settings
from bronwijzer.settings_sections import LLMSettings
from eval.metrics import load_jsonl
from ingest import sync
from ingest.metadata import document_info
from ingest.sync import chunk_file


def bench(settings: Settings, gold_path: Path, rounds: int = 3) -> dict[str, float]:
    """Cold ingest into a temporary data folder, a no-op re-ingest, then warm queries."""
    scratch = Path(tempfile.mkdtemp(prefix="bronwijzer-bench-"))
    try:
        bench_settings = settings.model_copy(update={"data_dir": scratch})
        hostile = bench_hostile(bench_settings, scratch)  # first: its peak memory is its own
        started = time.perf_counter()
        report = sync(bench_settings)
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        sync(bench_settings)
        reingest_s = time.perf_counter() - started

        kb = KnowledgeBase(bench_settings)
        started = time.perf_counter()
        kb.answer("warm-up")
        first_s = time.perf_counter() - started
        questions = [g["question"] for g in load_jsonl(gold_path)]
        latencies = []
        for _ in range(rounds):
            for question in questions:
                t = time.perf_counter()
                kb.answer(question)
                latencies.append((time.perf_counter() - t) * 1000)
        quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
        return {
            **hostile,
            **bench_stalled_model(bench_settings, questions[0]),
            "chunks": float(report.chunks_added),
            "ingest_s": ingest_s,
            "reingest_noop_s": reingest_s,
            "first_query_s": first_s,
            "queries": float(len(latencies)),
            "query_p50_ms": quantiles[49],
            "query_p95_ms": quantiles[94],
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def bench_stalled_model(
    settings: Settings, question: str, timeout_s: float = 1.0
) -> dict[str, float]:
    """How long an answer takes when the model endpoint accepts the request and never
    replies: the extractive answer must come within its timeout plus half a second."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # accepted by the kernel, never answered
        host, port = listener.getsockname()
        llm = LLMSettings(base_url=f"http://{host}:{port}/v1", model="stalled", timeout_s=timeout_s)
        kb = KnowledgeBase(settings.model_copy(update={"llm": llm}))
        kb.answer("warm-up")
        started = time.perf_counter()
        answer = kb.answer(question)
        took = time.perf_counter() - started
    assert answer.path == "extractive" and answer.model_notice, (
        "the stalled endpoint was not noticed"
    )
    return {"stalled_model_timeout_s": timeout_s, "stalled_model_answer_s": took}


# -- hostile files (issue #18): each must be refused in bounded time and memory -------------


def nested_html(levels: int, tag: str = "div") -> bytes:
    """An HTML page whose text sits ``levels`` elements deep."""
    return (
        f"<html><body><p>Inleiding.</p>{f'<{tag}>' * levels}Diepe tekst.{f'</{tag}>' * levels}"
        "</body></html>"
    ).encode()


def _docx_members() -> dict[str, bytes]:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Een gewone alinea.")
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def docx_with_paragraphs(paragraph: str, count: int, extra_members: int = 0) -> bytes:
    """A real DOCX with ``count`` copies of one paragraph and optional empty extra members."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    xml = f"<w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in _docx_members().items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head.encode())
            per_piece = max(1, (1 << 20) // len(xml))
            for start in range(0, count, per_piece):
                member.write(xml * min(per_piece, count - start))
            member.write(b"</w:body></w:document>")
        for number in range(extra_members):
            archive.writestr(f"word/extra/part{number}.xml", b"<a/>")
    return out.getvalue()


def zip_bomb_docx(unpacked_mb: int) -> bytes:
    """A DOCX whose few MB of XML unpack to ``unpacked_mb`` MB (its ZIP directory says so)."""
    paragraph = "bom " * 250
    return docx_with_paragraphs(paragraph, unpacked_mb * 1_000_000 // (len(paragraph) + 36))


def long_pdf(pages: int) -> bytes:
    """A real PDF of ``pages`` pages, each with a line of text."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(0, 8, f"Pagina {number}: de regeling geldt voor iedere zorgaanbieder.")
    return bytes(pdf.output())


def bench_hostile(settings: Settings, scratch: Path) -> dict[str, float]:
    """Seconds to refuse each hostile file (read in this process, as python -m ingest does),
    and this process's peak memory before and after all of them."""
    files = {
        "nested_div_200k": ("diep.html", nested_html(200_000)),
        "nested_span_200k": ("spans.html", nested_html(200_000, "span")),
        "zip_bomb_docx_2gb": ("bom.docx", zip_bomb_docx(2000)),
        "many_chunks_docx": ("veel.docx", docx_with_paragraphs("Een zin over zorg. " * 40, 28_000)),
        "pdf_1001_pages": ("lang.pdf", long_pdf(1001)),
    }
    results = {"rss_before_refusals_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    for key, (name, data) in files.items():
        path = scratch / name
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            chunk_file(path, document_info(path, {}), settings)
        except DocumentError:
            results[f"refuse_{key}_s"] = time.perf_counter() - started
        else:
            raise AssertionError(f"{name} was not refused")
        path.unlink()
    results["refuse_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results
