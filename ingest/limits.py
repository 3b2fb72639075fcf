"""Checks that refuse a hostile file (a zip bomb, HTML nested too deep) before a parser
builds anything from it."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from bronwijzer.errors import DocumentError
from bronwijzer.settings import LimitSettings
from ingest.document import count_text


def check_zip(path: Path, limits: LimitSettings, kind: str) -> None:
    """Refuse a ZIP-based file (a DOCX) that unpacks into too much, before a parser opens it.

    The sizes come from the ZIP directory; every member is then read in pieces with the cap
    held, so a directory that understates a size cannot get more past (zipfile also stops at
    the stated size and checks the CRC).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members(path, archive, limits, kind)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError is a RuntimeError too.
        raise DocumentError(f"{path.name}: het {kind}-bestand is beschadigd ({exc}).") from exc


def _check_members(path: Path, archive: zipfile.ZipFile, limits: LimitSettings, kind: str) -> None:
    cap = int(limits.max_unpacked_mb * 1_000_000)
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


def _unpacked_too_large(path: Path, kind: str, size: int, limits: LimitSettings) -> DocumentError:
    return DocumentError(
        f"{path.name}: het {kind}-bestand is uitgepakt te groot ({size / 1e6:.1f} MB; "
        f"maximaal {limits.max_unpacked_mb:g} MB). Zo'n bestand is meestal een zip-bom."
    )


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
