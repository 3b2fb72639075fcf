"""Read TXT, MD, PDF, DOCX and HTML files into pages of raw lines."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bronwijzer.errors import DocumentError
from bronwijzer.settings import LimitSettings

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")

# What a file must start with to be what its name says (a renamed .exe is refused).
_MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}


@dataclass
class Line:
    text: str
    page: int
    heading: bool = False  # the source marks it as a heading (DOCX style, HTML h1-h6, MD #)


@dataclass
class LoadedDocument:
    path: Path
    lines: list[Line] = field(default_factory=list)
    marked_headings: bool = False  # headings come from the format, not from guessing

    @property
    def page_count(self) -> int:
        return max((line.page for line in self.lines), default=0)


def count_text(number: int) -> str:
    """A count the Dutch way: 200.003."""
    return f"{number:,}".replace(",", ".")


def load(path: Path, max_bytes: int, limits: LimitSettings | None = None) -> LoadedDocument:
    """Load one file within ``limits``; raises DocumentError naming the file and the reason."""
    limits = limits or LimitSettings()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{path.name}: bestandstype '{suffix or '(geen)'}' wordt niet ondersteund "
            f"(wel: {', '.join(SUPPORTED_SUFFIXES)})."
        )
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(f"{path.name}: het bestand is leeg (0 bytes).")
    if size > max_bytes:
        raise DocumentError(
            f"{path.name}: te groot ({size / 1e6:.1f} MB; maximaal {max_bytes / 1e6:.0f} MB)."
        )
    magic = _MAGIC.get(suffix)
    if magic is not None:
        with path.open("rb") as handle:
            if not handle.read(len(magic)) == magic:
                raise DocumentError(
                    f"{path.name}: de inhoud is geen {suffix[1:].upper()} (beschadigd of "
                    "hernoemd bestand)."
                )
    reader = {
        ".txt": _load_txt,
        ".md": _load_md,
        ".pdf": _load_pdf,
        ".docx": _load_docx,
        ".html": _load_html,
        ".htm": _load_html,
    }[suffix]
    document = reader(path, limits)
    if not any(line.text.strip() for line in document.lines):
        raise DocumentError(f"{path.name}: er staat geen leesbare tekst in.")
    return document


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{path.name}: dit is een binair bestand, geen tekst.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _load_txt(path: Path, limits: LimitSettings) -> LoadedDocument:
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


def _load_md(path: Path, limits: LimitSettings) -> LoadedDocument:
    document = LoadedDocument(path, marked_headings=True)
    for raw in _read_text(path).split("\n"):
        match = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", raw)
        if match:
            document.lines.append(Line(match.group(1), 1, heading=True))
        else:
            document.lines.append(Line(raw.strip(), 1))
    return document


def _load_pdf(path: Path, limits: LimitSettings) -> LoadedDocument:
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
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"{path.name}: de PDF is beschadigd ({exc}).") from exc
    except Exception as exc:  # pypdf raises many types on broken input
        raise DocumentError(f"{path.name}: de PDF kan niet worden gelezen ({exc}).") from exc
    if pages and not any(text.strip() for text in pages):
        raise DocumentError(
            f"{path.name}: de PDF heeft geen tekstlaag (gescand document?). "
            "Laat er eerst OCR op draaien en voeg hem dan opnieuw toe."
        )
    document = LoadedDocument(path)
    for number, text in enumerate(pages, start=1):
        document.lines.extend(Line(raw.strip(), number) for raw in text.split("\n"))
    return document


def check_zip(path: Path, limits: LimitSettings, kind: str) -> None:
    """Refuse a ZIP-based file (a DOCX) that unpacks into too much, before a parser opens it.

    The sizes come from the ZIP directory; every member is then read in pieces with the cap
    held, so a directory that understates a size cannot get more past (zipfile also stops at
    the stated size and checks the CRC).
    """
    cap = int(limits.max_unpacked_mb * 1_000_000)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > limits.max_zip_members:
                raise DocumentError(
                    f"{path.name}: het {kind}-bestand bevat te veel onderdelen "
                    f"({count_text(len(members))}; maximaal {count_text(limits.max_zip_members)})."
                )
            stated = sum(member.file_size for member in members)
            if stated > cap:
                raise _unpacked_too_large(path, kind, stated, limits)
            unpacked = 0
            for member in members:
                with archive.open(member) as stream:
                    while piece := stream.read(1 << 20):
                        unpacked += len(piece)
                        if unpacked > cap:
                            raise _unpacked_too_large(path, kind, unpacked, limits)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError is a RuntimeError too.
        raise DocumentError(f"{path.name}: het {kind}-bestand is beschadigd ({exc}).") from exc


def _unpacked_too_large(path: Path, kind: str, size: int, limits: LimitSettings) -> DocumentError:
    return DocumentError(
        f"{path.name}: het {kind}-bestand is uitgepakt te groot ({size / 1e6:.1f} MB; "
        f"maximaal {limits.max_unpacked_mb:g} MB). Zo'n bestand is meestal een zip-bom."
    )


def _load_docx(path: Path, limits: LimitSettings) -> LoadedDocument:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(path, limits, "DOCX")
    try:
        parsed = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"{path.name}: het DOCX-bestand is beschadigd ({exc}).") from exc
    except Exception as exc:  # zip/xml errors from broken files
        raise DocumentError(
            f"{path.name}: het DOCX-bestand kan niet worden gelezen ({exc})."
        ) from exc
    from docx.oxml.ns import nsmap
    from lxml import etree

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


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class _HtmlShape:
    """lxml parser target that only counts: elements and the deepest nesting.

    It sees the elements BeautifulSoup would build (bs4 drives the same lxml parser), in
    one linear pass with no tree kept.
    """

    def __init__(self) -> None:
        self.depth = 0
        self.deepest = 0
        self.elements = 0

    def start(self, tag: str, attrib: Any) -> None:
        self.depth += 1
        self.elements += 1
        self.deepest = max(self.deepest, self.depth)

    def end(self, tag: str) -> None:
        self.depth -= 1

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def check_html(name: str, markup: str, limits: LimitSettings) -> None:
    """Refuse HTML that nests too deep or has too many elements, before a tree is built."""
    from lxml import etree

    shape = _HtmlShape()
    parser = etree.HTMLParser(target=shape, recover=True)
    for start in range(0, len(markup), 1 << 20):
        parser.feed(markup[start : start + (1 << 20)])
    parser.close()
    if shape.deepest > limits.max_html_depth:
        raise DocumentError(
            f"{name}: de HTML is te diep genest ({count_text(shape.deepest)} niveaus; "
            f"maximaal {count_text(limits.max_html_depth)})."
        )
    if shape.elements > limits.max_html_elements:
        raise DocumentError(
            f"{name}: de HTML heeft te veel elementen ({count_text(shape.elements)}; "
            f"maximaal {count_text(limits.max_html_elements)})."
        )


def _load_html(path: Path, limits: LimitSettings) -> LoadedDocument:
    from bs4 import BeautifulSoup

    markup = _read_text(path)
    check_html(path.name, markup, limits)
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head", "nav", "footer"]):
        tag.decompose()
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
    document = LoadedDocument(path, marked_headings=True)
    blocks = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre"])
    for block in blocks:
        if block.find_parent(["p", "li", "td", "th"]) is not None:
            continue  # nested block: its text is part of the parent's
        text = " ".join(block.get_text(" ").split())
        if text:
            heading = block.name in {"h1", "h2", "h3", "h4", "h5", "h6"}
            document.lines.append(Line(text, 1, heading=heading))
            document.lines.append(Line("", 1))
    if not blocks:
        for raw in soup.get_text("\n").split("\n"):
            document.lines.append(Line(raw.strip(), 1))
    return document
