"""Load TXT, MD, PDF, DOCX and HTML files into pages of raw lines, after the checks every
file passes first (type, size, content); the readers themselves are in ingest.formats."""

from __future__ import annotations

from pathlib import Path

from bronwijzer.errors import DocumentError
from bronwijzer.settings import LimitSettings
from ingest.document import LoadedDocument
from ingest.formats import READERS

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")

# What a file must start with to be what its name says (a renamed .exe is refused).
_MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}


def check_file(name: str, size: int, head: bytes, max_bytes: int) -> None:
    """Refuse an empty or too large file, or one whose first bytes are not its format's.

    The same check for a file in the corpus folder and an upload; ``head`` holds at least
    the first few bytes of the content.
    """
    if size == 0:
        raise DocumentError(f"{name}: het bestand is leeg (0 bytes).")
    if size > max_bytes:
        raise DocumentError(
            f"{name}: te groot ({size / 1e6:.1f} MB; maximaal {max_bytes / 1e6:g} MB)."
        )
    suffix = Path(name).suffix.lower()
    magic = _MAGIC.get(suffix)
    if magic is not None and not head.startswith(magic):
        raise DocumentError(
            f"{name}: de inhoud is geen {suffix[1:].upper()} (beschadigd of hernoemd bestand)."
        )


def load(path: Path, max_bytes: int, limits: LimitSettings | None = None) -> LoadedDocument:
    """Load one file within ``limits``; raises DocumentError naming the file and the reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{path.name}: bestandstype '{suffix or '(geen)'}' wordt niet ondersteund "
            f"(wel: {', '.join(SUPPORTED_SUFFIXES)})."
        )
    with path.open("rb") as handle:
        head = handle.read(max(len(magic) for magic in _MAGIC.values()))
    check_file(path.name, path.stat().st_size, head, max_bytes)
    document = READERS[suffix](path, limits or LimitSettings())
    if not any(line.text.strip() for line in document.lines):
        raise DocumentError(f"{path.name}: er staat geen leesbare tekst in.")
    return document
