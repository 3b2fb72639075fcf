"""What an upload must be before it may enter the corpus: a plain file name, a supported
type, a size within the limit, and content that is what its name says."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from bronwijzer.errors import DocumentError
from bronwijzer.settings import Settings
from ingest.loaders import SUPPORTED_SUFFIXES, check_file

_MAX_NAME_CHARS = 120
_TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
# Signatures of binary formats that must not pass as text under a text name.
_BINARY_MAGIC = {
    b"%PDF-": "een PDF",
    b"PK\x03\x04": "een ZIP- of Office-bestand",
    b"MZ": "een Windows-programma",
    b"\x7fELF": "een programma",
    b"\xd0\xcf\x11\xe0": "een oud Office-bestand (.doc/.xls)",
    b"\x89PNG": "een afbeelding (PNG)",
    b"\xff\xd8\xff": "een afbeelding (JPEG)",
}


def safe_filename(name: str) -> str:
    """A plain file name for the corpus: no folders, no hidden files, no odd characters."""
    base = re.split(r"[\\/]", name.strip())[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, suffix = ascii_name.rpartition(".")
    if not dot:
        stem, suffix = ascii_name, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip(".-_ ")
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix).lower()
    if not stem:
        raise DocumentError(
            f"'{name}': ongeldige bestandsnaam. Gebruik letters, cijfers, '-' of '_'."
        )
    stem = stem[: _MAX_NAME_CHARS - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def check_content(name: str, data: bytes, settings: Settings) -> None:
    """Refuse an upload of another type, empty, too large, or not what its name says."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(s.lstrip(".").upper() for s in SUPPORTED_SUFFIXES if s != ".htm")
        raise DocumentError(
            f"{name}: bestandstype '{suffix or '(geen)'}' is niet toegestaan. "
            f"Toegestaan: {allowed}."
        )
    check_file(name, len(data), data, int(settings.max_file_mb * 1_000_000))
    if suffix in _TEXT_SUFFIXES:
        for magic, what in _BINARY_MAGIC.items():
            if data.startswith(magic):
                raise DocumentError(
                    f"{name}: de naam zegt {suffix[1:].upper()}, maar de inhoud is {what}. "
                    "Geef het bestand de juiste extensie."
                )
