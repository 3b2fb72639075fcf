"""One reader per format: TXT, MD, PDF, DOCX and HTML files into pages of raw lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bronwijzer.errors import DocumentError
from bronwijzer.settings import LimitSettings
from ingest.document import Line, LoadedDocument, count_text
from ingest.limits import check_html, check_zip

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{path.name}: dit is een binair bestand, geen tekst.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_txt(path: Path, limits: LimitSettings) -> LoadedDocument:
    """Plain text. A form feed, or a line that starts with one space, starts a new page."""
    document = LoadedDocument(path)
    page = 1
    for index, raw in enumerate(_read_text(path).split("\n")):
        raw = raw.rstrip("\r")
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        elif index > 0 and raw.startswith(" ") and not raw.startswith("  ") and raw.strip():
            page += 1
        document.lines.append(Line(raw.strip(), page))
    return document


def load_md(path: Path, limits: LimitSettings) -> LoadedDocument:
    document = LoadedDocument(path, marked_headings=True)
    for raw in _read_text(path).split("\n"):
        match = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", raw)
        if match:
            document.lines.append(Line(match.group(1), 1, heading=True))
        else:
            document.lines.append(Line(raw.strip(), 1))
    return document


def load_pdf(path: Path, limits: LimitSettings) -> LoadedDocument:
    pages = _pdf_pages(path, limits)
    if pages and not any(text.strip() for text in pages):
        raise DocumentError(
            f"{path.name}: de PDF heeft geen tekstlaag (gescand document?). "
            "Laat er eerst OCR op draaien en voeg hem dan opnieuw toe."
        )
    document = LoadedDocument(path)
    for number, text in enumerate(pages, start=1):
        document.lines.extend(Line(raw.strip(), number) for raw in text.split("\n"))
    return document


def _pdf_pages(path: Path, limits: LimitSettings) -> list[str]:
    """The text of every page; DocumentError for a locked, too long or broken PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                f"{path.name}: de PDF is versleuteld met een wachtwoord; "
                "sla hem onbeveiligd op en voeg hem opnieuw toe."
            )
        if (page_count := len(reader.pages)) > limits.max_pdf_pages:
            raise DocumentError(
                f"{path.name}: de PDF heeft te veel pagina's ({count_text(page_count)}; "
                f"maximaal {count_text(limits.max_pdf_pages)}). Splits hem op in delen."
            )
        return [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"{path.name}: de PDF is beschadigd ({exc}).") from exc
    except Exception as exc:  # pypdf raises many types on broken input
        raise DocumentError(f"{path.name}: de PDF kan niet worden gelezen ({exc}).") from exc


def load_docx(path: Path, limits: LimitSettings) -> LoadedDocument:
    from docx.oxml.ns import nsmap
    from lxml import etree

    parsed = _open_docx(path, limits)
    page_breaks = etree.XPath('.//w:br[@w:type="page"]', namespaces={"w": nsmap["w"]})
    # Resolving a paragraph's style searches all styles: once per style id, not per paragraph.
    heading_styles: dict[str | None, bool] = {}
    document = LoadedDocument(path, marked_headings=True)
    page = 1
    for paragraph in parsed.paragraphs:
        style_id = paragraph._p.style
        if style_id not in heading_styles:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            heading_styles[style_id] = style.lower().startswith(
                ("heading", "kop", "title", "titel")
            )
        is_heading = heading_styles[style_id]
        document.lines.append(Line(paragraph.text.strip(), page, heading=is_heading))
        document.lines.append(Line("", page))
        # An explicit page break inside the paragraph starts a new page after it.
        page += len(page_breaks(paragraph._p))
    return document


def _open_docx(path: Path, limits: LimitSettings) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(path, limits, "DOCX")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"{path.name}: het DOCX-bestand is beschadigd ({exc}).") from exc
    except Exception as exc:  # zip/xml errors from broken files
        raise DocumentError(
            f"{path.name}: het DOCX-bestand kan niet worden gelezen ({exc})."
        ) from exc


def load_html(path: Path, limits: LimitSettings) -> LoadedDocument:
    from bs4 import BeautifulSoup

    markup = _read_text(path)
    check_html(path.name, markup, limits)
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head", "nav", "footer"]):
        tag.decompose()
    _drop_hidden(soup)
    document = LoadedDocument(path, marked_headings=True)
    blocks = soup.find_all([*_HEADING_TAGS, "p", "li", "td", "th", "pre"])
    for block in blocks:
        if block.find_parent(["p", "li", "td", "th"]) is not None:
            continue  # nested block: its text is part of the parent's
        text = " ".join(block.get_text(" ").split())
        if text:
            document.lines.append(Line(text, 1, heading=block.name in _HEADING_TAGS))
            document.lines.append(Line("", 1))
    if not blocks:
        for raw in soup.get_text("\n").split("\n"):
            document.lines.append(Line(raw.strip(), 1))
    return document


def _drop_hidden(soup: Any) -> None:
    """Remove the elements a browser does not show (hidden, aria-hidden, display: none)."""
    for tag in soup.find_all(True):
        # Read the flag from the instance: a Tag looks up a missing attribute ('decomposed'
        # before decompose() ran) as a child tag, a search of its whole subtree per tag.
        if vars(tag).get("_decomposed"):
            continue
        attrs = tag.attrs or {}
        if (
            "hidden" in attrs
            or str(attrs.get("aria-hidden", "")).lower() == "true"
            or _HIDDEN_STYLE.search(str(attrs.get("style", "")))
        ):
            tag.decompose()


READERS: dict[str, Callable[[Path, LimitSettings], LoadedDocument]] = {
    ".txt": load_txt,
    ".md": load_md,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".html": load_html,
    ".htm": load_html,
}
