"""Clean page furniture, join hyphenated line breaks, and find headings and paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby, islice

from ingest.document import Line, LoadedDocument

_FURNITURE = [
    re.compile(r"^Pagina( \d+( van \d+)?)?$", re.IGNORECASE),
    re.compile(r"^(Kenmerk|Datum|Onze referentie|Uw kenmerk)$", re.IGNORECASE),
    re.compile(r"^Ke\w{2,4}rk$"),  # OCR'd 'Kenmerk' ('Keninerk')
    re.compile(r"^[0-9/]{6,}[A-Z]*\d*$"),  # a document reference code
    re.compile(r"^-?\s*\d{1,3}\s*-?$"),  # a bare page number
    re.compile(r"^Tweede Kamer, vergaderjaar \d{4}[–-]\d{4}, \d"),
]
_TRAILING_FURNITURE = re.compile(r"\s+(Kenmerk|Pagina \d+ van \d+)$")
_BULLET = re.compile(r"^([–•·▪◦*-]|\(?[a-z]\)|\d{1,2}[.)])\s+")
_FOOTNOTE = re.compile(r"^(\d{1,2} [A-Z(h]|\^ ?\S)")
_CARET_NOTE = re.compile(r"^\^ ?\S")
_FOOTNOTE_WINDOW = 8  # footnotes sit in the last lines of a page
_SENTENCE_END = re.compile(r"[.!?:;]['\"”’)]?$")


@dataclass
class Block:
    """A heading, paragraph or list item: lines joined, with the page each part came from."""

    text: str
    heading: bool
    page_starts: list[tuple[int, int]] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def mark_page(self, offset: int, page: int) -> None:
        """Record that the text from ``offset`` on is on ``page``, if that is a new page."""
        if not self.page_starts or self.page_starts[-1][1] != page:
            self.page_starts.append((offset, page))


def join_blocks(blocks: list[Block], separator: str) -> Block:
    """One block of the blocks' texts, each page start shifted to where its text now is."""
    joined = Block("", False, [])
    for block in blocks:
        base = len(joined.text) + (len(separator) if joined.text else 0)
        joined.text = f"{joined.text}{separator}{block.text}" if joined.text else block.text
        for offset, page in block.page_starts:
            joined.mark_page(base + offset, page)
    return joined


def clean_lines(document: LoadedDocument) -> list[Line]:
    """Drop page furniture and running headers/footers; keep everything else verbatim."""
    lines = [
        Line(_TRAILING_FURNITURE.sub("", ln.text), ln.page, ln.heading) for ln in document.lines
    ]
    lines = [ln for ln in lines if not any(p.match(ln.text) for p in _FURNITURE)]
    return _without_running_lines(lines)


def _without_running_lines(lines: list[Line]) -> list[Line]:
    """A short line that recurs on most pages is a running header or footer."""
    pages = {ln.page for ln in lines}
    if len(pages) < 3:
        return lines
    per_page = Counter({(ln.text, ln.page) for ln in lines if ln.text and len(ln.text) < 80})
    counts = Counter(text for text, _ in per_page)
    running = {t for t, n in counts.items() if n >= max(3, 0.6 * len(pages))}
    return [ln for ln in lines if ln.text not in running]


def _is_heading(lines: list[Line], i: int, prev_text: str, prev_page: int) -> bool:
    """A short line that starts afresh and introduces running text or a list."""
    line = lines[i]
    if not _looks_like_heading(line.text):
        return False
    starts_fresh = not prev_text or _SENTENCE_END.search(prev_text) or line.page != prev_page
    if not starts_fresh:
        return False
    return _introduces_text(next((ln.text for ln in islice(lines, i + 1, None) if ln.text), ""))


def _looks_like_heading(text: str) -> bool:
    """Short, capitalised, no closing punctuation, not a bullet or a footnote."""
    if not 1 <= len(text.split()) <= 12 or len(text) < 3:
        return False
    if _BULLET.match(text) and not re.match(r"^\d{1,2}\.\s+[A-Z]", text):
        return False
    if re.search(r"[.,;:]$", text) or not (text[0].isupper() or text[0].isdigit()):
        return False
    return not _FOOTNOTE.match(text)


def _introduces_text(following: str) -> bool:
    """Whether the line after a heading candidate is running text or a list item."""
    if not following or not (
        following[0].isupper() or following[0].isdigit() or _BULLET.match(following)
    ):
        return False
    # A heading introduces running text or a list; a short bare line next means a list.
    return (
        bool(_BULLET.match(following))
        or len(following.split()) >= 6
        or bool(_SENTENCE_END.search(following))
    )


def _join(previous: str, line: str) -> str:
    """Join a line to the text before it, undoing line-break hyphenation."""
    if not previous:
        return line
    if re.search(r"[a-zà-ÿ]-$", previous) and line[:1].islower():
        return previous[:-1] + line  # 'domeinover-' + 'stijgende'
    if previous.endswith("-") and line[:1].isupper() and not previous.endswith(" -"):
        return previous + line  # 'Zvw-' + 'Wlz'
    return previous + " " + line


def _footnote_tail(lines: list[Line], start: int, end: int) -> int:
    """Index where the footnotes at the bottom of the page lines[start:end] begin (or end)."""
    filled = [i for i in range(start, end) if lines[i].text]
    for i in filled[-_FOOTNOTE_WINDOW:]:
        after_blank = i == start or not lines[i - 1].text
        if after_blank and _FOOTNOTE.match(lines[i].text) and i > start:
            return i
    return end


def _notes_last(lines: list[Line], marked_headings: bool) -> list[tuple[Line, bool]]:
    """(line, is_footnote) in reading order: footnotes at a page bottom interrupt the
    running sentence, so they are set aside."""
    ordered: list[tuple[Line, bool]] = []
    start = 0
    for _, page in groupby(lines, key=lambda ln: ln.page):
        end = start + len(list(page))
        tail = _footnote_tail(lines, start, end) if not marked_headings else end
        ordered.extend((ln, False) for ln in lines[start:tail])
        ordered.extend((ln, True) for ln in lines[tail:end] if ln.text)
        start = end
    return ordered


def _mark_caret_notes(ordered: list[tuple[Line, bool]]) -> list[tuple[Line, bool]]:
    """OCR'd superscript footnotes ('^ Met betaaltitel wordt bedoeld ...') can sit anywhere:
    from such a line up to the next blank line is a footnote."""
    marked: list[tuple[Line, bool]] = []
    in_note = False
    for line, is_note in ordered:
        if _CARET_NOTE.match(line.text):
            in_note = True
        elif not line.text:
            in_note = False
        marked.append((line, is_note or in_note))
    return marked


class _BlockBuilder:
    """Joins lines into blocks; a footnote waits until the block it interrupts is closed."""

    def __init__(self, marked_headings: bool) -> None:
        self.marked_headings = marked_headings
        self.blocks: list[Block] = []
        self.pending_notes: list[Line] = []
        self.current: Block | None = None
        self.prev_text, self.prev_page = "", 0

    def note(self, line: Line) -> None:
        self.pending_notes.append(line)

    def add(self, body: list[Line], i: int) -> None:
        """Add body[i]: a blank line may end the block, a heading or list item starts one."""
        line = body[i]
        if not line.text:
            self._blank_line()
            return
        heading = line.heading or (
            not self.marked_headings and _is_heading(body, i, self.prev_text, self.prev_page)
        )
        new_item = heading or bool(_BULLET.match(line.text))
        if self.current is not None and (new_item or self.current.heading):
            self.close()
        if self.current is None:
            self.current = Block("", heading, [])
        joined = _join(self.current.text, line.text)
        self.current.mark_page(max(0, len(joined) - len(line.text)), line.page)
        self.current.text = joined
        self.prev_text, self.prev_page = line.text, line.page

    def _blank_line(self) -> None:
        """A blank line ends a block when headings are marked, else after a full sentence."""
        if self.current is not None and (
            self.marked_headings or _SENTENCE_END.search(self.current.text)
        ):
            self.close()

    def close(self) -> None:
        """End the current block; the footnotes that waited for it follow it."""
        if self.current is not None and self.current.text.strip():
            self.blocks.append(self.current)
        self.current = None
        for note in self.pending_notes:
            self.blocks.append(Block(note.text, False, [(0, note.page)]))
        self.pending_notes.clear()


def to_blocks(document: LoadedDocument) -> list[Block]:
    """Headings and paragraphs in reading order; footnotes move after their paragraph."""
    ordered = _mark_caret_notes(_notes_last(clean_lines(document), document.marked_headings))
    body = [line for line, _ in ordered]
    builder = _BlockBuilder(document.marked_headings)
    for i, (line, is_note) in enumerate(ordered):
        if is_note:
            builder.note(line)
        else:
            builder.add(body, i)
    builder.close()
    return _lists_not_headings(builder.blocks)


def _lists_not_headings(blocks: list[Block]) -> list[Block]:
    """Three or more 'headings' in a row are a list of short items: one paragraph."""
    out: list[Block] = []
    run: list[Block] = []
    for block in [*blocks, Block("", False)]:
        if block.heading:
            run.append(block)
            continue
        if len(run) >= 3:
            out.append(join_blocks(run, "\n"))
        else:
            out.extend(run)
        run = []
        if block.text:
            out.append(block)
    return out
