"""What a loader gives: a document as lines of raw text, each with its page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
